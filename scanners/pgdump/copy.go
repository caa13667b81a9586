package pgdump

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/rouei/rouei/scanners"
)

// decoderFor is the decoding of a PostgreSQL client encoding name, nil
// for UTF-8 (and SQL_ASCII, whose bytes are taken as they are). ok is
// false for an encoding this build does not know.
func decoderFor(name string) (enc encoding.Encoding, ok bool) {
	switch strings.ToUpper(strings.ReplaceAll(name, "-", "_")) {
	case "", "UTF8", "UTF_8", "UNICODE", "SQL_ASCII":
		return nil, true
	case "SJIS", "SHIFT_JIS", "SHIFT_JIS_2004", "MSKANJI", "WIN932", "WIN":
		return japanese.ShiftJIS, true
	case "EUC_JP", "EUC_JIS_2004":
		return japanese.EUCJP, true
	case "LATIN1", "ISO_8859_1":
		return charmap.ISO8859_1, true
	case "WIN1252":
		return charmap.Windows1252, true
	case "WIN1251":
		return charmap.Windows1251, true
	case "EUC_KR", "UHC":
		return korean.EUCKR, true
	case "GBK", "EUC_CN", "GB18030":
		return simplifiedchinese.GB18030, true
	case "BIG5":
		return traditionalchinese.Big5, true
	}
	return nil, false
}

// decoder is a fresh decoder of a client encoding, nil for UTF-8.
func decoder(name string) (*encoding.Decoder, error) {
	enc, ok := decoderFor(name)
	if !ok {
		return nil, fmt.Errorf("pgdump: client encoding %q not read", name)
	}
	if enc == nil {
		return nil, nil
	}
	return enc.NewDecoder(), nil
}

// decodeString decodes s from the dump's encoding (dec nil: UTF-8).
func decodeString(dec *encoding.Decoder, s string) string {
	if dec == nil {
		return s
	}
	if d, err := dec.String(s); err == nil {
		return d
	}
	return s
}

// copyColumns reads the column list of a COPY statement,
// `COPY public.patrons (patron_id, "氏名") FROM stdin;`, unquoting
// quoted identifiers. nil when the statement has none.
func copyColumns(stmt string) []string {
	i := strings.IndexByte(stmt, '(')
	if i < 0 {
		return nil
	}
	var cols []string
	var cur strings.Builder
	quoted := false
	s := stmt[i+1:]
	for j := 0; j < len(s); j++ {
		c := s[j]
		switch {
		case quoted && c == '"' && j+1 < len(s) && s[j+1] == '"':
			cur.WriteByte('"')
			j++
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ')'):
			cols = append(cols, strings.TrimSpace(cur.String()))
			cur.Reset()
			if c == ')' {
				return cols
			}
		default:
			cur.WriteByte(c)
		}
	}
	return nil // no closing parenthesis
}

// copyTable turns COPY text (fields separated by tabs, backslash escapes,
// \N for NULL, ending at "\." or the end) into the tab-separated lines of
// a Text member, the column list first. The bytes are decoded from the
// dump's encoding (dec nil: UTF-8).
type copyTable struct {
	src    *bufio.Reader
	dec    *encoding.Decoder
	header []string
	max    int64 // bytes of text at most
	n      int64
	name   string
	line   []byte
	field  []byte
	done   bool
	err    error
}

func newCopyTable(name string, r io.Reader, cols []string, dec *encoding.Decoder, max int64) *copyTable {
	return &copyTable{src: bufio.NewReaderSize(r, 64<<10), dec: dec, header: cols, max: max, name: name}
}

// Read implements io.Reader, a row at a time.
func (t *copyTable) Read(p []byte) (int, error) {
	for len(t.line) == 0 {
		if t.err != nil {
			return 0, t.err
		}
		t.err = t.fill()
	}
	n := copy(p, t.line)
	t.line = t.line[n:]
	return n, nil
}

func (t *copyTable) Close() error { return nil }

// fill makes the next output line.
func (t *copyTable) fill() error {
	if t.done {
		return io.EOF
	}
	if t.header != nil {
		t.line = t.line[:0]
		for i, c := range t.header {
			if i > 0 {
				t.line = append(t.line, '\t')
			}
			t.line = appendClean(t.line, []byte(c))
		}
		t.line = append(t.line, '\n')
		t.header = nil
		return t.count()
	}
	raw, err := readLine(t.src, t.max)
	if err == io.EOF && len(raw) == 0 {
		t.done = true
		return io.EOF
	}
	if err != nil && err != io.EOF {
		return fmt.Errorf("pgdump: %s: %w", t.name, err)
	}
	raw = bytes.TrimSuffix(bytes.TrimSuffix(raw, []byte("\n")), []byte("\r"))
	if string(raw) == `\.` {
		t.done = true
		return io.EOF
	}
	if t.dec != nil {
		if d, derr := t.dec.Bytes(raw); derr == nil {
			raw = d
		}
	}
	t.line = appendCopyRow(t.line[:0], raw, &t.field)
	return t.count()
}

func (t *copyTable) count() error {
	t.n += int64(len(t.line))
	if t.n > t.max {
		t.line = nil
		return fmt.Errorf("pgdump: %s: table data larger than %d bytes: %w", t.name, t.max, scanners.ErrLimit)
	}
	return nil
}

// readLine reads one line, at most max bytes.
func readLine(r *bufio.Reader, max int64) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	buf := append([]byte(nil), line...)
	for err == bufio.ErrBufferFull {
		if int64(len(buf)) > max {
			return nil, fmt.Errorf("line longer than %d bytes: %w", max, scanners.ErrLimit)
		}
		line, err = r.ReadSlice('\n')
		buf = append(buf, line...)
	}
	return buf, err
}

// appendCopyRow appends one COPY text row as a tab-separated line,
// each field unescaped and cleaned to stay one cell.
func appendCopyRow(dst, row []byte, field *[]byte) []byte {
	first := true
	for {
		i := bytes.IndexByte(row, '\t')
		f := row
		if i >= 0 {
			f = row[:i]
		}
		if !first {
			dst = append(dst, '\t')
		}
		first = false
		if string(f) != `\N` {
			*field = unescapeCopy((*field)[:0], f)
			dst = appendClean(dst, *field)
		}
		if i < 0 {
			break
		}
		row = row[i+1:]
	}
	return append(dst, '\n')
}

// unescapeCopy decodes the backslash escapes of COPY text format.
func unescapeCopy(dst, f []byte) []byte {
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '\\' || i+1 == len(f) {
			dst = append(dst, c)
			continue
		}
		i++
		switch c = f[i]; c {
		case 'b', 'f', 'n', 'r', 't', 'v':
			dst = append(dst, ' ')
		case 'x':
			v, n := 0, 0
			for n < 2 && i+1 < len(f) && isHex(f[i+1]) {
				v = v*16 + hexVal(f[i+1])
				i++
				n++
			}
			if n == 0 {
				dst = append(dst, 'x')
			} else {
				dst = append(dst, byte(v))
			}
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(c - '0')
			for n := 0; n < 2 && i+1 < len(f) && f[i+1] >= '0' && f[i+1] <= '7'; n++ {
				v = v*8 + int(f[i+1]-'0')
				i++
			}
			dst = append(dst, byte(v))
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c >= 'a':
		return int(c-'a') + 10
	case c >= 'A':
		return int(c-'A') + 10
	}
	return int(c - '0')
}

func appendClean(dst, s []byte) []byte { return scanners.AppendCell(dst, s, 0) }

// textReader decodes a stream from the dump's encoding, bounded.
type textReader struct {
	r    io.Reader
	max  int64
	n    int64
	name string
}

func newTextReader(name string, r io.Reader, dec *encoding.Decoder, max int64) *textReader {
	if dec != nil {
		r = dec.Reader(r)
	}
	return &textReader{r: r, max: max, name: name}
}

func (t *textReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	if t.n > t.max {
		return 0, fmt.Errorf("pgdump: %s: larger than %d bytes: %w", t.name, t.max, scanners.ErrLimit)
	}
	return n, err
}

func (t *textReader) Close() error { return nil }
