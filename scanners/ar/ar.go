// Package ar reads Unix ar archives (the container of Debian packages and
// static libraries): the common format, GNU long names ("//" table,
// "/123" references) and BSD long names ("#1/20"). It reads front to
// back from a stream and bounds every field it allocates for.
package ar

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Magic starts every ar archive.
const Magic = "!<arch>\n"

// MaxNameBytes bounds a long name (BSD) and the GNU name table.
const MaxNameBytes = 1 << 20

// ErrFormat is wrapped by the errors of a malformed archive.
var ErrFormat = errors.New("ar: malformed archive")

// Header is one member's header.
type Header struct {
	Name string // the member's name, long names resolved, trailing "/" removed
	Size int64  // the member's data size in bytes
	Mode int64
}

// Reader walks an ar archive.
type Reader struct {
	r       *bufio.Reader
	started bool
	remain  int64 // bytes of the current member not read yet
	pad     bool  // a pad byte follows the current member
	names   string
	err     error
}

// NewReader reads an ar archive from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReader(r)}
}

func formatError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// Next advances to the next member and returns its header; io.EOF at
// the end. The GNU name table and symbol tables ("/", "//",
// "__.SYMDEF") are read or skipped, not returned.
func (a *Reader) Next() (*Header, error) {
	if a.err != nil {
		return nil, a.err
	}
	h, err := a.next()
	if err != nil {
		a.err = err
	}
	return h, err
}

func (a *Reader) next() (*Header, error) {
	if !a.started {
		a.started = true
		var m [8]byte
		if _, err := io.ReadFull(a.r, m[:]); err != nil {
			return nil, formatError("no magic")
		}
		if string(m[:]) != Magic {
			return nil, formatError("no magic")
		}
	}
	for {
		if err := a.skipRest(); err != nil {
			return nil, err
		}
		var hb [60]byte
		n, err := io.ReadFull(a.r, hb[:])
		if n == 0 && err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, fmt.Errorf("ar: truncated header: %w", io.ErrUnexpectedEOF)
		}
		if hb[58] != '`' || hb[59] != '\n' {
			return nil, formatError("bad header terminator")
		}
		rawName := strings.TrimRight(string(hb[0:16]), " ")
		size, err := decimal(hb[48:58])
		if err != nil {
			return nil, formatError("bad size field %q", strings.TrimSpace(string(hb[48:58])))
		}
		mode, _ := strconv.ParseInt(strings.TrimSpace(string(hb[40:48])), 8, 64)
		a.remain, a.pad = size, size%2 == 1
		h := &Header{Size: size, Mode: mode}
		switch {
		case rawName == "/" || rawName == "/SYM64/" || rawName == "__.SYMDEF" || rawName == "__.SYMDEF SORTED":
			continue // symbol table
		case rawName == "//":
			if size > MaxNameBytes {
				return nil, formatError("name table of %d bytes", size)
			}
			b := make([]byte, size)
			if _, err := io.ReadFull(a.r, b); err != nil {
				return nil, fmt.Errorf("ar: truncated name table: %w", io.ErrUnexpectedEOF)
			}
			a.remain = 0
			a.names = string(b)
			continue
		case strings.HasPrefix(rawName, "#1/"):
			n, err := strconv.ParseInt(rawName[3:], 10, 64)
			if err != nil || n < 0 || n > MaxNameBytes || n > size {
				return nil, formatError("bad BSD long name %q", rawName)
			}
			b := make([]byte, n)
			if _, err := io.ReadFull(a.r, b); err != nil {
				return nil, fmt.Errorf("ar: truncated name: %w", io.ErrUnexpectedEOF)
			}
			a.remain -= n
			h.Size -= n
			h.Name = strings.TrimRight(string(b), "\x00")
		case len(rawName) > 1 && rawName[0] == '/' && rawName[1] >= '0' && rawName[1] <= '9':
			off, err := strconv.Atoi(rawName[1:])
			if err != nil || off < 0 || off >= len(a.names) {
				return nil, formatError("long name reference %q outside the name table", rawName)
			}
			s := a.names[off:]
			if i := strings.Index(s, "\n"); i >= 0 {
				s = s[:i]
			}
			h.Name = strings.TrimSuffix(s, "/")
		default:
			h.Name = strings.TrimSuffix(rawName, "/")
		}
		return h, nil
	}
}

// decimal reads a space-padded decimal field.
func decimal(b []byte) (int64, error) {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return 0, errors.New("empty")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, errors.New("not a number")
		}
	}
	return strconv.ParseInt(s, 10, 64)
}

// skipRest discards what is left of the current member and its pad.
func (a *Reader) skipRest() error {
	if a.remain > 0 {
		n, err := io.CopyN(io.Discard, a.r, a.remain)
		a.remain -= n
		if err != nil {
			return fmt.Errorf("ar: truncated member: %w", io.ErrUnexpectedEOF)
		}
	}
	if a.pad {
		a.pad = false
		if b, err := a.r.Peek(1); err == nil && b[0] == '\n' {
			a.r.Discard(1)
		}
	}
	return nil
}

// Read reads the current member's data.
func (a *Reader) Read(p []byte) (int, error) {
	if a.remain <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > a.remain {
		p = p[:a.remain]
	}
	n, err := a.r.Read(p)
	a.remain -= int64(n)
	if err == io.EOF {
		if a.remain > 0 {
			return n, fmt.Errorf("ar: truncated member: %w", io.ErrUnexpectedEOF)
		}
	}
	return n, err
}
