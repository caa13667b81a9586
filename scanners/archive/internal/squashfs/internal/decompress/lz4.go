package decompress

import (
	"errors"

	"github.com/pierrec/lz4/v4"
)

// Lz4 decompresses squashfs lz4 blocks. mksquashfs writes raw LZ4 blocks
// (LZ4_compress_default), not LZ4 frames, so each block is decoded with
// lz4.UncompressBlock into a buffer of at most Max bytes: the image's
// block size for data blocks, 8 KiB for metadata blocks.
//
// rouei: upstream (sylabs/squashfs v1.0.6) read blocks with lz4.NewReader,
// the frame reader, which fails on every lz4 image ("lz4: bad magic
// number").
type Lz4 struct {
	Max int
}

func (l Lz4) Decompress(data []byte) ([]byte, error) {
	n := max(l.Max, 8192)
	out := make([]byte, n)
	k, err := lz4.UncompressBlock(data, out)
	if err != nil {
		return nil, errors.Join(errors.New("lz4 block"), err)
	}
	return out[:k], nil
}
