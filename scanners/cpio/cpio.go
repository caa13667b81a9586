// Package cpio reads cpio archives front to back from a stream: the SVR4
// "newc" format (070701) and its CRC variant (070702), the portable
// ASCII "odc" format (070707), and the old binary format (070707 as a
// 16-bit word, either byte order). RPM payloads and Linux initramfs
// images are newc. Names are bounded (MaxNameBytes); data is streamed.
package cpio

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxNameBytes bounds a member's name.
const MaxNameBytes = 64 << 10

// ErrFormat is wrapped by the errors of a malformed archive.
var ErrFormat = errors.New("cpio: malformed archive")

// Mode bits of a member's type.
const (
	TypeMask    = 0o170000
	TypeRegular = 0o100000
	TypeDir     = 0o040000
	TypeSymlink = 0o120000
)

// Header is one member's header.
type Header struct {
	Name   string
	Mode   int64 // file type and permission bits
	Size   int64
	Format string // "newc", "crc", "odc", "bin"
}

// Type returns the file type bits of the mode.
func (h *Header) Type() int64 { return h.Mode & TypeMask }

// Reader walks a cpio archive.
type Reader struct {
	r      *bufio.Reader
	off    int64 // bytes consumed from r
	remain int64
	pad    int64 // alignment bytes after the current member's data
	done   bool
	err    error
}

// NewReader reads a cpio archive from r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReader(r)} }

// Identify says whether head starts a cpio archive this package reads.
func Identify(head []byte) bool {
	if len(head) >= 6 {
		switch string(head[:6]) {
		case "070701", "070702", "070707":
			return true
		}
	}
	if len(head) >= 26 {
		if binary.LittleEndian.Uint16(head) == 0o70707 || binary.BigEndian.Uint16(head) == 0o70707 {
			return true
		}
	}
	return false
}

func formatError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// Next advances to the next member and returns its header; io.EOF after
// the trailer. A stream that ends before the trailer is truncated.
func (c *Reader) Next() (*Header, error) {
	if c.err != nil {
		return nil, c.err
	}
	h, err := c.next()
	if err != nil {
		c.err = err
	}
	return h, err
}

func (c *Reader) discard(n int64) error {
	if n <= 0 {
		return nil
	}
	k, err := io.CopyN(io.Discard, c.r, n)
	c.off += k
	if err != nil {
		return fmt.Errorf("cpio: truncated member: %w", io.ErrUnexpectedEOF)
	}
	return nil
}

func (c *Reader) readFull(b []byte) error {
	n, err := io.ReadFull(c.r, b)
	c.off += int64(n)
	return err
}

func (c *Reader) next() (*Header, error) {
	if c.done {
		return nil, io.EOF
	}
	if err := c.discard(c.remain + c.pad); err != nil {
		return nil, err
	}
	c.remain, c.pad = 0, 0
	magic, err := c.r.Peek(6)
	if len(magic) == 0 && err == io.EOF {
		return nil, fmt.Errorf("cpio: truncated archive (no trailer): %w", io.ErrUnexpectedEOF)
	}
	if len(magic) < 2 {
		return nil, fmt.Errorf("cpio: truncated header: %w", io.ErrUnexpectedEOF)
	}
	var (
		h             Header
		nameSize      int64
		align         int64
		afterHdrAlign bool
	)
	switch {
	case len(magic) == 6 && (string(magic) == "070701" || string(magic) == "070702"):
		var b [110]byte
		if err := c.readFull(b[:]); err != nil {
			return nil, fmt.Errorf("cpio: truncated header: %w", io.ErrUnexpectedEOF)
		}
		field := func(i int) (int64, error) {
			v, err := strconv.ParseUint(string(b[6+8*i:6+8*i+8]), 16, 32)
			return int64(v), err
		}
		var errs [3]error
		h.Mode, errs[0] = field(1)
		h.Size, errs[1] = field(6)
		nameSize, errs[2] = field(11)
		for _, e := range errs {
			if e != nil {
				return nil, formatError("bad newc header field")
			}
		}
		h.Format = "newc"
		if string(magic) == "070702" {
			h.Format = "crc"
		}
		align, afterHdrAlign = 4, true
	case len(magic) == 6 && string(magic) == "070707":
		var b [76]byte
		if err := c.readFull(b[:]); err != nil {
			return nil, fmt.Errorf("cpio: truncated header: %w", io.ErrUnexpectedEOF)
		}
		oct := func(lo, hi int) (int64, error) { return strconv.ParseInt(string(b[lo:hi]), 8, 64) }
		var errs [3]error
		h.Mode, errs[0] = oct(18, 24)
		nameSize, errs[1] = oct(59, 65)
		h.Size, errs[2] = oct(65, 76)
		for _, e := range errs {
			if e != nil {
				return nil, formatError("bad odc header field")
			}
		}
		h.Format, align = "odc", 1
	case binary.LittleEndian.Uint16(magic) == 0o70707 || binary.BigEndian.Uint16(magic) == 0o70707:
		var b [26]byte
		if err := c.readFull(b[:]); err != nil {
			return nil, fmt.Errorf("cpio: truncated header: %w", io.ErrUnexpectedEOF)
		}
		var bo binary.ByteOrder = binary.LittleEndian
		if binary.LittleEndian.Uint16(b[:]) != 0o70707 {
			bo = binary.BigEndian
		}
		u16 := func(i int) int64 { return int64(bo.Uint16(b[i:])) }
		h.Mode = u16(6)
		nameSize = u16(20)
		// a 32-bit size is stored as two 16-bit words, high word first
		h.Size = u16(22)<<16 | u16(24)
		h.Format, align, afterHdrAlign = "bin", 2, true
	default:
		return nil, formatError("no cpio header at offset %d", c.off)
	}
	if nameSize <= 0 || nameSize > MaxNameBytes {
		return nil, formatError("name of %d bytes", nameSize)
	}
	name := make([]byte, nameSize)
	if err := c.readFull(name); err != nil {
		return nil, fmt.Errorf("cpio: truncated name: %w", io.ErrUnexpectedEOF)
	}
	h.Name = strings.TrimRight(string(name), "\x00")
	if afterHdrAlign {
		if err := c.discard(pad(c.off, align)); err != nil {
			return nil, err
		}
	}
	if h.Size < 0 {
		return nil, formatError("%s: negative size", h.Name)
	}
	c.remain = h.Size
	c.pad = pad(c.off+h.Size, align)
	if h.Name == "TRAILER!!!" {
		c.done = true
		return nil, io.EOF
	}
	return &h, nil
}

// pad is how many bytes bring off to a multiple of align.
func pad(off, align int64) int64 {
	if align <= 1 {
		return 0
	}
	return (align - off%align) % align
}

// Read reads the current member's data.
func (c *Reader) Read(p []byte) (int, error) {
	if c.remain <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > c.remain {
		p = p[:c.remain]
	}
	n, err := c.r.Read(p)
	c.off += int64(n)
	c.remain -= int64(n)
	if err == io.EOF && c.remain > 0 {
		return n, fmt.Errorf("cpio: truncated member: %w", io.ErrUnexpectedEOF)
	}
	return n, err
}
