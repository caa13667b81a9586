// Package lzh reads LZH (LHA) archives as a stream, like archive/tar:
// Next moves to the next member and Read decompresses its data.
//
// Header levels 0, 1, 2 and 3 are read, with their extended headers
// (file name, directory name, header CRC, Unix time; others are skipped).
// The methods -lh0- and -lz4- (stored), -lh4-, -lh5-, -lh6- and -lh7-
// (LZSS with static Huffman blocks) are decompressed with a bounded
// sliding dictionary (at most 64 KiB); other methods (-lh1-, -lzs-, -lhx-
// …) give an error wrapping ErrUnsupported for their member and Next
// skips their data. The CRC-16 of each member's data is checked when its
// last byte has been read.
//
// The reader is meant for hostile input: every size, table and code is
// checked, and corrupt data gives an error, never a panic, a loop that
// does not end or an allocation beyond a few hundred KiB.
package lzh

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

var (
	// ErrHeader is wrapped by the errors of malformed member headers.
	ErrHeader = errors.New("lzh: invalid header")
	// ErrChecksum is wrapped by the error of a member whose data does
	// not match the CRC-16 in its header.
	ErrChecksum = errors.New("lzh: checksum mismatch")
	// ErrUnsupported is wrapped by the error reading a member compressed
	// with a method this package does not decompress.
	ErrUnsupported = errors.New("lzh: unsupported compression method")
	// ErrCorrupt is wrapped by the errors of corrupt compressed data.
	ErrCorrupt = errors.New("lzh: corrupt compressed data")
)

// maxExtHeaders bounds the bytes of one member's extended headers (a
// level 1 or 3 header can chain them without a total).
const maxExtHeaders = 1 << 20

// Header describes one member.
type Header struct {
	// Name is the member's path as stored: the raw bytes of the file
	// name (CP932 in Japanese archives, sometimes UTF-8 or EUC-JP), with
	// the directory name of an extended header in front of it. 0xFF
	// separators are turned into '/'; a level 0 or 1 name written on DOS
	// or Windows may still use '\' (which is also a CP932 trail byte, so
	// it is left for the caller to convert after decoding).
	Name string
	// Linkname is the target of a Unix symbolic link member.
	Linkname string
	// Method is the compression method id, such as "-lh5-".
	Method string
	// Level is the header level, 0 to 3.
	Level int
	// OS is the operating system id ('M' MS-DOS, 'U' Unix, 'w' Windows,
	// 'J' Java …), 0 when the header has none.
	OS byte
	// Size is the member's expanded size in bytes.
	Size int64
	// CompressedSize is the size of the member's data in the archive.
	CompressedSize int64
	// ModTime is the modification time: a level 0 or 1 header stores a
	// local wall-clock time, returned as if it were UTC.
	ModTime time.Time
	// CRC is the CRC-16 (ARC) of the expanded data.
	CRC uint16
	// Attr is the MS-DOS attribute byte.
	Attr byte
	// IsDir says the member is a directory ("-lhd-" without a link).
	IsDir bool
	// IsSymlink says the member is a Unix symbolic link to Linkname.
	IsSymlink bool
}

// MethodSupported says whether Read decompresses members stored with
// method (such as "-lh5-"). Directories ("-lhd-") have no data.
func MethodSupported(method string) bool {
	switch method {
	case "-lh0-", "-lz4-", "-lhd-", "-lh4-", "-lh5-", "-lh6-", "-lh7-":
		return true
	}
	return false
}

// headerError wraps ErrHeader with what is wrong.
func headerError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrHeader, fmt.Sprintf(format, args...))
}

// readFull reads len(b) bytes; a short read is io.ErrUnexpectedEOF.
func readFull(br *bufio.Reader, b []byte) error {
	_, err := io.ReadFull(br, b)
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// extState collects what the extended headers say.
type extState struct {
	name, dir   []byte
	hasName     bool
	crcAt       int // offset of the header CRC field in the header bytes, -1 when none
	unixTime    int64
	hasUnixTime bool
	size64      [2]int64
	hasSize64   bool
}

// parseExt reads one extended header's type and data; at is the offset of
// data within the whole header (for the header CRC).
func (e *extState) parseExt(typ byte, data []byte, at int) {
	switch typ {
	case 0x00: // header CRC
		if len(data) >= 2 {
			e.crcAt = at
		}
	case 0x01: // file name
		e.name = append(e.name[:0], trimNUL(data)...)
		e.hasName = true
	case 0x02: // directory name
		e.dir = append(e.dir[:0], trimNUL(data)...)
	case 0x42: // 64-bit sizes (LHa for Windows)
		if len(data) >= 16 {
			c := binary.LittleEndian.Uint64(data)
			s := binary.LittleEndian.Uint64(data[8:])
			if c < 1<<62 && s < 1<<62 {
				e.size64 = [2]int64{int64(c), int64(s)}
				e.hasSize64 = true
			}
		}
	case 0x54: // Unix modification time
		if len(data) >= 4 {
			e.unixTime = int64(binary.LittleEndian.Uint32(data))
			e.hasUnixTime = true
		}
	}
}

func trimNUL(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// readHeader reads the next member's header. It returns io.EOF at the end
// of the archive (end of input, or the zero byte that ends an archive),
// and the size of the member's data that follows the header.
func readHeader(br *bufio.Reader) (*Header, int64, error) {
	first, err := br.Peek(1)
	if err == io.EOF || (err == nil && first[0] == 0) {
		return nil, 0, io.EOF
	}
	if err != nil {
		return nil, 0, err
	}
	head, err := br.Peek(22)
	if err != nil {
		if err == io.EOF {
			return nil, 0, fmt.Errorf("%w: header: %w", ErrHeader, io.ErrUnexpectedEOF)
		}
		return nil, 0, err
	}
	if head[2] != '-' || head[6] != '-' {
		return nil, 0, headerError("no method id at offset 2")
	}
	switch head[20] {
	case 0, 1:
		return readLevel01(br, int(head[0])+2, head[20])
	case 2:
		return readLevel2(br, int(binary.LittleEndian.Uint16(head)))
	case 3:
		return readLevel3(br)
	}
	return nil, 0, headerError("unknown header level %d", head[20])
}

// common fills the fields at the same place in every level.
func common(b []byte, level int) *Header {
	h := &Header{
		Method: string(b[2:7]),
		Level:  level,
		Attr:   b[19],
	}
	return h
}

func dosTime(t uint32) time.Time {
	d, c := t>>16, t&0xFFFF
	return time.Date(int(1980+d>>9), time.Month(d>>5&15), int(d&31), int(c>>11), int(c>>5&63), int(c&31)*2, 0, time.UTC)
}

func readLevel01(br *bufio.Reader, total int, level byte) (*Header, int64, error) {
	if total < 24 {
		return nil, 0, headerError("level %d header of %d bytes", level, total)
	}
	b := make([]byte, total)
	if err := readFull(br, b); err != nil {
		return nil, 0, fmt.Errorf("%w: header: %w", ErrHeader, err)
	}
	var sum byte
	for _, c := range b[2:] {
		sum += c
	}
	if sum != b[1] {
		return nil, 0, headerError("header checksum mismatch")
	}
	h := common(b, int(level))
	comp := int64(binary.LittleEndian.Uint32(b[7:]))
	h.Size = int64(binary.LittleEndian.Uint32(b[11:]))
	h.ModTime = dosTime(binary.LittleEndian.Uint32(b[15:]))
	n := int(b[21])
	need := 24 + n
	if level == 1 {
		need += 3
	}
	if total < need {
		return nil, 0, headerError("name of %d bytes does not fit a header of %d", n, total)
	}
	name := b[22 : 22+n]
	h.CRC = binary.LittleEndian.Uint16(b[22+n:])
	if total > 24+n {
		h.OS = b[24+n]
	}
	e := extState{crcAt: -1}
	if level == 1 {
		next := int(binary.LittleEndian.Uint16(b[total-2:]))
		var ext int64
		for next != 0 {
			if next < 3 {
				return nil, 0, headerError("extended header of %d bytes", next)
			}
			ext += int64(next)
			if ext > maxExtHeaders || ext > comp {
				return nil, 0, headerError("extended headers of %d bytes, past the member's %d", ext, comp)
			}
			x := make([]byte, next)
			if err := readFull(br, x); err != nil {
				return nil, 0, fmt.Errorf("%w: extended header: %w", ErrHeader, err)
			}
			e.parseExt(x[0], x[1:next-2], -1)
			next = int(binary.LittleEndian.Uint16(x[next-2:]))
		}
		comp -= ext
		if e.hasUnixTime {
			h.ModTime = time.Unix(e.unixTime, 0).UTC()
		}
	}
	if e.hasName {
		name = e.name
	}
	h.CompressedSize = comp
	setName(h, e.dir, name)
	return h, comp, nil
}

func readLevel2(br *bufio.Reader, total int) (*Header, int64, error) {
	if total < 26 {
		return nil, 0, headerError("level 2 header of %d bytes", total)
	}
	b := make([]byte, total)
	if err := readFull(br, b); err != nil {
		return nil, 0, fmt.Errorf("%w: header: %w", ErrHeader, err)
	}
	h := common(b, 2)
	comp := int64(binary.LittleEndian.Uint32(b[7:]))
	h.Size = int64(binary.LittleEndian.Uint32(b[11:]))
	h.ModTime = time.Unix(int64(binary.LittleEndian.Uint32(b[15:])), 0).UTC()
	h.CRC = binary.LittleEndian.Uint16(b[21:])
	h.OS = b[23]
	e := extState{crcAt: -1}
	next := int(binary.LittleEndian.Uint16(b[24:]))
	pos := 26
	for next != 0 {
		if next < 3 || next > total-pos {
			return nil, 0, headerError("extended header of %d bytes at %d in a header of %d", next, pos, total)
		}
		e.parseExt(b[pos], b[pos+1:pos+next-2], pos+1)
		pos += next
		next = int(binary.LittleEndian.Uint16(b[pos-2:]))
	}
	if err := checkHeaderCRC(b, e.crcAt); err != nil {
		return nil, 0, err
	}
	if e.hasSize64 {
		comp, h.Size = e.size64[0], e.size64[1]
	}
	h.CompressedSize = comp
	setName(h, e.dir, e.name)
	return h, comp, nil
}

func readLevel3(br *bufio.Reader) (*Header, int64, error) {
	base, err := br.Peek(32)
	if err != nil {
		if err == io.EOF {
			return nil, 0, fmt.Errorf("%w: header: %w", ErrHeader, io.ErrUnexpectedEOF)
		}
		return nil, 0, err
	}
	if binary.LittleEndian.Uint16(base) != 4 {
		return nil, 0, headerError("level 3 header with word size %d", binary.LittleEndian.Uint16(base))
	}
	total := int64(binary.LittleEndian.Uint32(base[24:]))
	if total < 32 || total > maxExtHeaders {
		return nil, 0, headerError("level 3 header of %d bytes", total)
	}
	b := make([]byte, total)
	if err := readFull(br, b); err != nil {
		return nil, 0, fmt.Errorf("%w: header: %w", ErrHeader, err)
	}
	h := common(b, 3)
	comp := int64(binary.LittleEndian.Uint32(b[7:]))
	h.Size = int64(binary.LittleEndian.Uint32(b[11:]))
	h.ModTime = time.Unix(int64(binary.LittleEndian.Uint32(b[15:])), 0).UTC()
	h.CRC = binary.LittleEndian.Uint16(b[21:])
	h.OS = b[23]
	e := extState{crcAt: -1}
	next := int64(binary.LittleEndian.Uint32(b[28:]))
	pos := int64(32)
	for next != 0 {
		if next < 5 || next > total-pos {
			return nil, 0, headerError("extended header of %d bytes at %d in a header of %d", next, pos, total)
		}
		e.parseExt(b[pos], b[pos+1:pos+next-4], int(pos+1))
		pos += next
		next = int64(binary.LittleEndian.Uint32(b[pos-4:]))
	}
	if err := checkHeaderCRC(b, e.crcAt); err != nil {
		return nil, 0, err
	}
	if e.hasSize64 {
		comp, h.Size = e.size64[0], e.size64[1]
	}
	h.CompressedSize = comp
	setName(h, e.dir, e.name)
	return h, comp, nil
}

// checkHeaderCRC checks the CRC-16 of a level 2 or 3 header, computed over
// the whole header with the CRC field zeroed.
func checkHeaderCRC(b []byte, at int) error {
	if at < 0 {
		return nil
	}
	want := binary.LittleEndian.Uint16(b[at:])
	c := crc16(0, b[:at])
	c = crc16(c, []byte{0, 0})
	c = crc16(c, b[at+2:])
	if c != want {
		return headerError("header CRC %04x, want %04x", c, want)
	}
	return nil
}

// setName joins the directory and file names, turns 0xFF separators into
// '/', and recognises directories and Unix symbolic links.
func setName(h *Header, dir, name []byte) {
	full := make([]byte, 0, len(dir)+1+len(name))
	if len(dir) > 0 {
		full = append(full, dir...)
		if full[len(full)-1] != 0xFF && full[len(full)-1] != '/' {
			full = append(full, '/')
		}
	}
	full = append(full, name...)
	for i, c := range full {
		if c == 0xFF {
			full[i] = '/'
		}
	}
	h.Name = string(full)
	if h.Method != "-lhd-" {
		return
	}
	// A Unix symbolic link is a -lhd- entry named "name|target" ('|' may
	// be a CP932 trail byte, so only a Unix archiver's name is split).
	if h.OS == 'U' {
		if i := bytes.IndexByte(full, '|'); i >= 0 {
			h.Name, h.Linkname, h.IsSymlink = string(full[:i]), string(full[i+1:]), true
			return
		}
	}
	h.IsDir = true
}
