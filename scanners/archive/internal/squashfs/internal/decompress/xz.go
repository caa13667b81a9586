package decompress

import (
	"bytes"
	"io"

	"github.com/ulikunitz/xz"
)

type Xz struct{}

// rouei: github.com/ulikunitz/xz (already a dependency) instead of
// upstream's github.com/therootcompany/xz.
func (x Xz) Decompress(data []byte) ([]byte, error) {
	rdr, err := xz.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(rdr)
}
