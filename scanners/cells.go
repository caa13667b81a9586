package scanners

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// AppendCell appends s to dst as the text of one cell of a tab-separated
// row: control characters (but keep, when it is not 0) and the line and
// paragraph separators become spaces, invalid UTF-8 becomes U+FFFD, so a
// value can never break its row.
func AppendCell(dst, s []byte, keep byte) []byte {
	for len(s) > 0 {
		c := s[0]
		if c < utf8.RuneSelf {
			if (c < 0x20 || c == 0x7f) && (c != keep || keep == 0) {
				c = ' '
			}
			dst = append(dst, c)
			s = s[1:]
			continue
		}
		r, n := utf8.DecodeRune(s)
		switch {
		case r == utf8.RuneError && n == 1:
			dst = append(dst, "\uFFFD"...)
		case r == 0x85 || r == 0x2028 || r == 0x2029:
			dst = append(dst, ' ')
		default:
			dst = append(dst, s[:n]...)
		}
		s = s[n:]
	}
	return dst
}

// SafeReader turns a panic of the reader it wraps (a third-party parser
// of a hostile file) into an error wrapping Corrupt, naming the stream;
// a read error other than io.EOF is wrapped the same way.
type SafeReader struct {
	R       io.Reader
	Name    string
	Corrupt error
	err     error
}

func (s *SafeReader) Read(p []byte) (n int, err error) {
	if s.err != nil {
		return 0, s.err
	}
	defer func() {
		if x := recover(); x != nil {
			s.err = fmt.Errorf("%w: stream %s: %v", s.Corrupt, s.Name, x)
			n, err = 0, s.err
		}
	}()
	n, err = s.R.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: stream %s: %v", s.Corrupt, s.Name, err)
		s.err = err
	}
	return n, err
}
