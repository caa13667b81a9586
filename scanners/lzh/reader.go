package lzh

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// Reader reads the members of an LZH archive in order.
type Reader struct {
	br      *bufio.Reader
	hdr     *Header
	bits    bitReader // the current member's data (left: bytes still in br)
	lh      lhDecoder
	mode    int
	out     int64 // bytes of the member read so far
	crc     uint16
	crcDone bool
	err     error // ends the archive
	merr    error // ends the member
}

// How the current member's data is read.
const (
	modeNone = iota // no data (directory, link)
	modeStored
	modeLH
	modeUnsupported
)

// NewReader reads an archive from r. It reads in 4 KiB chunks and keeps
// at most one member's dictionary (64 KiB) and tables in memory.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 4096)}
}

// Next skips what is left of the current member's data and returns the
// next member's header. It returns io.EOF at the end of the archive; any
// other error (a malformed header, truncated data) ends the archive and is
// returned again by later calls.
func (r *Reader) Next() (*Header, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.hdr != nil {
		if err := r.skip(); err != nil {
			r.err, r.hdr = err, nil
			return nil, err
		}
	}
	r.hdr = nil
	h, size, err := readHeader(r.br)
	if err != nil {
		r.err = err
		return nil, err
	}
	if size < 0 {
		r.err = headerError("negative data size")
		return nil, r.err
	}
	r.bits = bitReader{br: r.br, left: size}
	r.out, r.crc, r.crcDone, r.merr = 0, 0, false, nil
	switch h.Method {
	case "-lhd-":
		r.mode = modeNone
	case "-lh0-", "-lz4-":
		r.mode = modeStored
	case "-lh4-", "-lh5-":
		r.mode = modeLH
		r.lh.reset(&r.bits, 14, 4)
	case "-lh6-":
		r.mode = modeLH
		r.lh.reset(&r.bits, 16, 5)
	case "-lh7-":
		r.mode = modeLH
		r.lh.reset(&r.bits, 17, 5)
	default:
		r.mode = modeUnsupported
	}
	r.hdr = h
	return h, nil
}

// skip discards the current member's data not yet read from the input.
func (r *Reader) skip() error {
	for r.bits.left > 0 {
		n, err := r.br.Discard(int(min(r.bits.left, 1<<30)))
		r.bits.left -= int64(n)
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("lzh: member data: %w", err)
		}
	}
	return nil
}

// Read reads the current member's expanded data. After the member's last
// byte it checks the CRC-16 and returns an error wrapping ErrChecksum on a
// mismatch, else io.EOF. A member in an unsupported method gives an error
// wrapping ErrUnsupported; a directory or link has no data.
func (r *Reader) Read(p []byte) (int, error) {
	h := r.hdr
	if h == nil {
		if r.err != nil && r.err != io.EOF {
			return 0, r.err
		}
		return 0, io.EOF
	}
	if r.merr != nil {
		return 0, r.merr
	}
	switch r.mode {
	case modeNone:
		return 0, io.EOF
	case modeUnsupported:
		r.merr = fmt.Errorf("%w %q", ErrUnsupported, h.Method)
		return 0, r.merr
	}
	rem := h.Size - r.out
	if rem <= 0 {
		if err := r.checkCRC(); err != nil {
			return 0, err
		}
		return 0, io.EOF
	}
	if int64(len(p)) > rem {
		p = p[:rem]
	}
	if len(p) == 0 {
		return 0, nil
	}
	var (
		n   int
		err error
	)
	if r.mode == modeStored {
		n, err = r.readStored(p)
	} else {
		n, err = r.lh.Read(p)
	}
	r.crc = crc16(r.crc, p[:n])
	r.out += int64(n)
	if err != nil {
		r.merr = err
		return n, err
	}
	if r.out == h.Size {
		if err := r.checkCRC(); err != nil {
			return n, err
		}
	}
	return n, nil
}

func (r *Reader) checkCRC() error {
	if r.crcDone {
		return r.merr
	}
	r.crcDone = true
	if r.crc != r.hdr.CRC {
		r.merr = fmt.Errorf("%w: data CRC %04x, header says %04x", ErrChecksum, r.crc, r.hdr.CRC)
	}
	return r.merr
}

func (r *Reader) readStored(p []byte) (int, error) {
	if r.bits.left <= 0 {
		return 0, fmt.Errorf("lzh: stored data shorter than the member's size: %w", io.ErrUnexpectedEOF)
	}
	if int64(len(p)) > r.bits.left {
		p = p[:r.bits.left]
	}
	n, err := r.br.Read(p)
	r.bits.left -= int64(n)
	if errors.Is(err, io.EOF) {
		err = fmt.Errorf("lzh: stored data: %w", io.ErrUnexpectedEOF)
	}
	return n, err
}
