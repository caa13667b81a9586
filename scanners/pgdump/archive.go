package pgdump

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rouei/rouei/scanners"
)

// Archive formats of the header's format byte. A custom-format file
// says 1; the toc.dat of a directory-format dump (and of a tar-format
// one) says 3, and its entries name their data files.
const (
	fmtCustom    = 1
	fmtDirectory = 3
	fmtDirAlt    = 5 // archDirectory of pg_backup.h's enumeration, read alike
)

// Compression algorithms of a 1.15+ header (pg_compression_algorithm).
const (
	compNone = 0
	compGzip = 1
	compLZ4  = 2
	compZstd = 3
)

// Versions read: 1.0 to 1.16 (pg_dump 7.x to 17 and 18).
const (
	maxMinor = 16
)

// Offset flags of a custom-format TOC entry.
const (
	offsetNotSet = 1
	offsetSet    = 2
	offsetNoData = 3
)

// Block types of a custom-format archive's data section.
const (
	blkData  = 1
	blkBlobs = 3
)

var errCorrupt = errors.New("pgdump: corrupt PostgreSQL dump")

// header is what the start of an archive (a custom-format file, a
// directory format's toc.dat) says.
type header struct {
	vmaj, vmin, vrev byte
	intSize, offSize int
	format           byte
	comp             byte // compNone, compGzip, compLZ4, compZstd
	dbname           string
}

func (h *header) version() string { return fmt.Sprintf("%d.%d.%d", h.vmaj, h.vmin, h.vrev) }

func (h *header) atLeast(min byte) bool { return h.vmaj > 1 || (h.vmaj == 1 && h.vmin >= min) }

// entry is one TOC entry.
type entry struct {
	dumpID    int
	hadDumper bool
	tag       string
	desc      string
	defn      string
	copyStmt  string
	namespace string
	dataState byte   // custom format: offsetNotSet, offsetSet, offsetNoData
	filename  string // directory format: the data file ("3351.dat"), or ""
}

// name is the member name of a table's data: "public.patrons".
func (e *entry) name() string {
	n := e.tag
	if e.namespace != "" {
		n = e.namespace + "." + n
	}
	return cleanName(n)
}

// cleanName keeps a member name one path element of printable text.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return '_'
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		s = "_"
	}
	return s
}

// reader reads the integers, offsets and strings of an archive, bounded:
// no string longer than maxStr, and no more than budget bytes in all of
// the TOC's strings.
type reader struct {
	r      *bufio.Reader
	h      *header
	pos    int64
	budget int64
}

func (r *reader) byte() (byte, error) {
	c, err := r.r.ReadByte()
	if err != nil {
		return 0, eof(err)
	}
	r.pos++
	return c, nil
}

func eof(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// int reads a ReadInt: a sign byte (from 1.0.1 on), then intSize bytes,
// least significant first.
func (r *reader) int() (int64, error) {
	neg := false
	if r.h.atLeast(1) || r.h.vrev > 0 {
		s, err := r.byte()
		if err != nil {
			return 0, err
		}
		neg = s != 0
	}
	var v uint64
	for i := 0; i < r.h.intSize; i++ {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		if i < 8 {
			v |= uint64(c) << (8 * i)
		}
	}
	if v > 1<<62 {
		return 0, fmt.Errorf("%w: integer out of range", errCorrupt)
	}
	if neg {
		return -int64(v), nil
	}
	return int64(v), nil
}

// str reads a ReadStr: a length (-1 for NULL) and the bytes. ok is false
// for NULL.
func (r *reader) str() (s string, ok bool, err error) {
	n, err := r.int()
	if err != nil {
		return "", false, err
	}
	if n < 0 {
		return "", false, nil
	}
	if n > r.budget {
		return "", false, fmt.Errorf("pgdump: table of contents larger than the member limit: %w", scanners.ErrLimit)
	}
	r.budget -= n
	b := make([]byte, n)
	if _, err := io.ReadFull(r.r, b); err != nil {
		return "", false, eof(err)
	}
	r.pos += n
	return string(b), true, nil
}

func (r *reader) skip(n int64) error {
	m, err := r.r.Discard(int(n))
	r.pos += int64(m)
	return eof(err)
}

// offset reads a custom-format data offset: a flag byte and offSize
// bytes.
func (r *reader) offset() (byte, error) {
	flag, err := r.byte()
	if err != nil {
		return 0, err
	}
	return flag, r.skip(int64(r.h.offSize))
}

// readHeader reads an archive's header up to the TOC.
func readHeader(r *reader) error {
	h := r.h
	var magic [5]byte
	if _, err := io.ReadFull(r.r, magic[:]); err != nil || string(magic[:]) != "PGDMP" {
		return fmt.Errorf("%w: no PGDMP magic", errCorrupt)
	}
	r.pos = 5
	var err error
	if h.vmaj, err = r.byte(); err != nil {
		return err
	}
	if h.vmin, err = r.byte(); err != nil {
		return err
	}
	if h.vmaj > 1 || (h.vmaj == 1 && h.vmin > 0) {
		if h.vrev, err = r.byte(); err != nil {
			return err
		}
	}
	if h.vmaj != 1 || h.vmin > maxMinor {
		return fmt.Errorf("pgdump: dump version %s not read (this build reads archive versions 1.0 to 1.%d, pg_dump up to 18)", h.version(), maxMinor)
	}
	c, err := r.byte()
	if err != nil {
		return err
	}
	h.intSize = int(c)
	if h.intSize < 1 || h.intSize > 8 {
		return fmt.Errorf("%w: integer size %d", errCorrupt, h.intSize)
	}
	h.offSize = h.intSize
	if h.atLeast(7) {
		if c, err = r.byte(); err != nil {
			return err
		}
		h.offSize = int(c)
		if h.offSize < 1 || h.offSize > 16 {
			return fmt.Errorf("%w: offset size %d", errCorrupt, h.offSize)
		}
	}
	if h.format, err = r.byte(); err != nil {
		return err
	}
	switch h.format {
	case fmtCustom, fmtDirectory:
	case fmtDirAlt:
		h.format = fmtDirectory
	default:
		return fmt.Errorf("pgdump: dump format %d not read", h.format)
	}
	switch {
	case h.atLeast(15):
		if h.comp, err = r.byte(); err != nil {
			return err
		}
		if h.comp > compZstd {
			return fmt.Errorf("pgdump: dump compression %d not read (none, gzip, lz4 and zstd are)", h.comp)
		}
	case h.atLeast(2):
		var level int64
		if h.atLeast(4) {
			level, err = r.int()
		} else {
			var c byte
			c, err = r.byte()
			level = int64(c)
		}
		if err != nil {
			return err
		}
		if level != 0 {
			h.comp = compGzip
		}
	}
	if h.atLeast(4) {
		for i := 0; i < 7; i++ { // creation date: sec, min, hour, mday, mon, year, isdst
			if _, err := r.int(); err != nil {
				return err
			}
		}
	}
	if h.atLeast(10) {
		if h.dbname, _, err = r.str(); err != nil {
			return err
		}
		for i := 0; i < 2; i++ { // server and pg_dump versions
			if _, _, err := r.str(); err != nil {
				return err
			}
		}
	}
	return nil
}

// readTOC reads the table of contents after the header; maxEntries bounds
// its length.
func readTOC(r *reader, maxEntries int) ([]entry, error) {
	h := r.h
	n, err := r.int()
	if err != nil {
		return nil, err
	}
	if n < 0 || n > int64(maxEntries) {
		return nil, fmt.Errorf("pgdump: %d table of contents entries: %w", n, scanners.ErrLimit)
	}
	entries := make([]entry, 0, min(n, 4096))
	for i := int64(0); i < n; i++ {
		var e entry
		id, err := r.int()
		if err != nil {
			return nil, err
		}
		e.dumpID = int(id)
		had, err := r.int()
		if err != nil {
			return nil, err
		}
		e.hadDumper = had != 0
		if h.atLeast(8) {
			if _, _, err := r.str(); err != nil { // table OID
				return nil, err
			}
		}
		if _, _, err := r.str(); err != nil { // OID
			return nil, err
		}
		if e.tag, _, err = r.str(); err != nil {
			return nil, err
		}
		if e.desc, _, err = r.str(); err != nil {
			return nil, err
		}
		if h.atLeast(11) {
			if _, err := r.int(); err != nil { // section
				return nil, err
			}
		}
		if e.defn, _, err = r.str(); err != nil {
			return nil, err
		}
		if _, _, err := r.str(); err != nil { // drop statement
			return nil, err
		}
		if h.atLeast(3) {
			if e.copyStmt, _, err = r.str(); err != nil {
				return nil, err
			}
		}
		if h.atLeast(6) {
			if e.namespace, _, err = r.str(); err != nil {
				return nil, err
			}
		}
		if h.atLeast(10) {
			if _, _, err := r.str(); err != nil { // tablespace
				return nil, err
			}
		}
		if h.atLeast(14) {
			if _, _, err := r.str(); err != nil { // table access method
				return nil, err
			}
		}
		if h.atLeast(16) {
			if _, err := r.int(); err != nil { // relkind
				return nil, err
			}
		}
		if _, _, err := r.str(); err != nil { // owner
			return nil, err
		}
		if h.atLeast(9) {
			if _, _, err := r.str(); err != nil { // with OIDs
				return nil, err
			}
		}
		if h.atLeast(5) {
			for deps := 0; ; deps++ {
				_, ok, err := r.str()
				if err != nil {
					return nil, err
				}
				if !ok {
					break
				}
				if deps > maxEntries {
					return nil, fmt.Errorf("%w: entry %d: endless dependency list", errCorrupt, e.dumpID)
				}
			}
		}
		switch h.format {
		case fmtCustom:
			if e.dataState, err = r.offset(); err != nil {
				return nil, err
			}
			if !h.atLeast(7) {
				if _, err := r.int(); err != nil {
					return nil, err
				}
			}
		case fmtDirectory:
			if e.filename, _, err = r.str(); err != nil {
				return nil, err
			}
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// encoding returns the dump's client encoding, from its ENCODING entry
// ("SET client_encoding = 'UTF8';"); "" when there is none.
func encodingOf(entries []entry) string {
	for _, e := range entries {
		if e.desc == "ENCODING" {
			return clientEncoding(e.defn)
		}
	}
	return ""
}

// clientEncoding reads the name in "SET client_encoding = 'X';".
func clientEncoding(s string) string {
	i := strings.Index(s, "client_encoding")
	if i < 0 {
		return ""
	}
	s = s[i:]
	a := strings.IndexByte(s, '\'')
	if a < 0 {
		return ""
	}
	b := strings.IndexByte(s[a+1:], '\'')
	if b < 0 {
		return ""
	}
	return s[a+1 : a+1+b]
}
