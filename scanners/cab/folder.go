package cab

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// FolderReader streams a folder's uncompressed bytes, one data block at
// a time. For MSZIP each block is "CK" and a deflate stream that may
// refer back into the previous 32 KiB of the folder's output, which the
// reader keeps as the next block's dictionary.
type FolderReader struct {
	c     *Cabinet
	index int
	f     *Folder

	next  int64 // file offset of the next CFDATA
	block int   // index of the next block

	in   []byte // the current block's header, reserve and data
	buf  []byte // uncompressed output buffer (maxBlockOut)
	out  []byte // the current block's output; out[pos:] is unread
	pos  int
	hist []byte // the last ≤ 32 KiB of output (MSZIP's dictionary)

	src      bytes.Reader
	inflater io.ReadCloser

	offset int64 // uncompressed bytes read or skipped
	err    error // sticky
}

// OpenFolder returns a reader of folder i's uncompressed stream.
func (c *Cabinet) OpenFolder(i int) (*FolderReader, error) {
	if i < 0 || i >= len(c.folders) {
		return nil, fmt.Errorf("cab: no folder %d", i)
	}
	f := &c.folders[i]
	if f.Err != nil {
		return nil, f.Err
	}
	return &FolderReader{c: c, index: i, f: f, next: f.start}, nil
}

// Offset returns how many uncompressed bytes were read or skipped.
func (r *FolderReader) Offset() int64 { return r.offset }

// Read reads the folder's uncompressed bytes.
func (r *FolderReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for r.pos >= len(r.out) {
		if r.err != nil {
			return 0, r.err
		}
		if r.err = r.nextBlock(false); r.err != nil {
			return 0, r.err
		}
	}
	n := copy(p, r.out[r.pos:])
	r.pos += n
	r.offset += int64(n)
	return n, nil
}

// Next returns a reader of the folder's next n bytes, which fails with
// io.ErrUnexpectedEOF when the folder ends before them.
func (r *FolderReader) Next(n int64) io.Reader { return &exactReader{r: r, n: n} }

// Skip discards the next n uncompressed bytes. The blocks of an
// uncompressed folder that lie wholly in the skipped range are not read.
func (r *FolderReader) Skip(n int64) error {
	for n > 0 {
		if r.pos < len(r.out) {
			k := int64(len(r.out) - r.pos)
			if k > n {
				k = n
			}
			r.pos += int(k)
			r.offset += k
			n -= k
			continue
		}
		if r.err != nil {
			if r.err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return r.err
		}
		before := r.offset
		if r.err = r.nextBlock(r.f.Compression == CompressNone && n >= maxBlockOut); r.err != nil {
			if r.err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return r.err
		}
		// A block passed over whole advanced the offset by its size.
		n -= r.offset - before
	}
	return nil
}

// nextBlock reads and decodes the next data block into r.out. With
// skipWhole (uncompressed folders only) a block no larger than the bytes
// left to skip is passed over without reading its data: r.out is left
// nil and r.offset advanced.
func (r *FolderReader) nextBlock(skipWhole bool) error {
	r.out, r.pos = r.out[:0], 0
	if r.block >= r.f.Blocks {
		return io.EOF
	}
	resv := r.c.dataResv
	hlen := dataSize + resv
	if cap(r.in) < hlen+maxBlockIn {
		r.in = make([]byte, hlen+maxBlockIn)
	}
	h := r.in[:hlen]
	if err := r.readAt(h, r.next); err != nil {
		return err
	}
	csum := binary.LittleEndian.Uint32(h)
	cbData := int(binary.LittleEndian.Uint16(h[4:]))
	cbUncomp := int(binary.LittleEndian.Uint16(h[6:]))
	if err := checkBlock(r.f.Compression, int64(cbData), int64(cbUncomp)); err != nil {
		return r.blockError(err)
	}
	if cbUncomp == 0 {
		return r.blockError(formatError("block continues in another cabinet"))
	}
	dataOff := r.next + int64(hlen)
	if skipWhole {
		r.next = dataOff + int64(cbData)
		r.block++
		r.out = nil
		r.offset += int64(cbUncomp)
		return nil
	}
	data := r.in[hlen : hlen+cbData]
	if err := r.readAt(data, dataOff); err != nil {
		return err
	}
	if csum != 0 {
		// The checksum covers the data, then cbData and cbUncomp; some
		// writers add the reserve bytes after them, so both are taken.
		sum := checksum(data, 0)
		if checksum(h[4:8], sum) != csum && (resv == 0 || checksum(h[4:], sum) != csum) {
			return r.blockError(ErrChecksum)
		}
	}
	if r.buf == nil {
		r.buf = make([]byte, maxBlockOut)
	}
	switch r.f.Compression {
	case CompressNone:
		r.out = data
	case CompressMSZIP:
		if err := r.inflate(data, cbUncomp); err != nil {
			return r.blockError(err)
		}
	default:
		return fmt.Errorf("%w: %v", ErrUnsupported, r.f.Compression)
	}
	r.next = dataOff + int64(cbData)
	r.block++
	return nil
}

// inflate decodes one MSZIP block into r.out, with the previous output
// as its dictionary, and keeps the last 32 KiB of output for the next.
func (r *FolderReader) inflate(data []byte, cbUncomp int) error {
	if len(data) < 2 || data[0] != 'C' || data[1] != 'K' {
		return formatError("MSZIP block without its CK signature")
	}
	r.src.Reset(data[2:])
	if r.inflater == nil {
		r.inflater = flate.NewReaderDict(&r.src, r.hist)
	} else if err := r.inflater.(flate.Resetter).Reset(&r.src, r.hist); err != nil {
		return err
	}
	out := r.buf[:cbUncomp]
	if _, err := io.ReadFull(r.inflater, out); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return formatError("MSZIP block expands to less than its %d bytes", cbUncomp)
		}
		return fmt.Errorf("%w: MSZIP block: %v", ErrFormat, err)
	}
	// A block that expands past its declared size is corrupt; a stream
	// that ends without its final-block flag, once the declared bytes
	// are out, is accepted.
	var one [1]byte
	if n, _ := r.inflater.Read(one[:]); n > 0 {
		return formatError("MSZIP block expands past its %d bytes", cbUncomp)
	}
	r.out = out
	// The dictionary is the last 32 KiB of the folder's output.
	if cap(r.hist) < 2*maxBlockOut {
		h := make([]byte, len(r.hist), 2*maxBlockOut)
		copy(h, r.hist)
		r.hist = h
	}
	r.hist = append(r.hist, out...)
	if k := len(r.hist) - maxBlockOut; k > 0 {
		r.hist = r.hist[:copy(r.hist, r.hist[k:])]
	}
	return nil
}

// readAt fills p from the cabinet at off.
func (r *FolderReader) readAt(p []byte, off int64) error {
	if off < 0 || off > r.c.size || int64(len(p)) > r.c.size-off {
		return r.blockError(formatError("data past the end of the file (truncated)"))
	}
	n, err := r.c.r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return r.blockError(err)
}

func (r *FolderReader) blockError(err error) error {
	return fmt.Errorf("cab: folder %d: data block %d: %w", r.index, r.block, err)
}
