package textdec

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// Escaped text. Personal data is often written escaped: Java .properties
// from native2ascii and JSON or JavaScript strings (\uXXXX), query
// strings in URLs and access logs (%XX, UTF-8 or CP932 bytes), HTML and
// XML (&#20304; &#x4F50; &amp;), and base64 blobs (data: URLs, columns of
// JSON, XML or SQL). Unescape decodes them in UTF-8 text before the
// detectors see it. It works line by line: a line's escapes are decoded
// in place, and a newline that decoding yields (an escaped "\n", %0A,
// &#10;, the rows of a base64 CSV) is a soft newline, whose ordinal the
// caller gets so that everything decoded from one line keeps that line's
// number.

// MinBase64Run is the shortest run of base64 characters tried as an
// encoded blob (24 bytes decoded).
const MinBase64Run = 32

// maxUnescapeDepth bounds escapes inside escapes (a base64 blob of JSON
// with \u escapes in it).
const maxUnescapeDepth = 2

const (
	clB64 = 1 << iota // the base64 alphabet (A-Z a-z 0-9 + /)
	clHex
	clTrigger // '\\', '%', '&'
)

var class = func() (t [256]uint8) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] |= clB64
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= clB64
	}
	for c := '0'; c <= '9'; c++ {
		t[c] |= clB64 | clHex
	}
	for _, c := range "abcdefABCDEF" {
		t[c] |= clHex
	}
	t['+'] |= clB64
	t['/'] |= clB64
	t['\\'] |= clTrigger
	t['%'] |= clTrigger
	t['&'] |= clTrigger
	return t
}()

func isHex(c byte) bool { return class[c]&clHex != 0 }

// MayHaveEscapes is the byte prefilter of Unescape: it reports whether b
// holds anything Unescape might decode (\u followed by four hex digits,
// % followed by two, &# or a named reference, a base64 run of at least
// MinBase64Run characters). When it is false Unescape would copy b
// unchanged.
func MayHaveEscapes(b []byte) bool {
	return newEscScanner(b).find(0) >= 0
}

// escScanner finds where escapes may start in b, remembering the next
// hit of each kind so that a chunk is searched once per kind, not once
// per line.
type escScanner struct {
	b    []byte
	next [4]int // next '\\', '%', '&' trigger and base64 run; -1: none left
}

const unknown = -2

func newEscScanner(b []byte) *escScanner {
	return &escScanner{b: b, next: [4]int{unknown, unknown, unknown, unknown}}
}

// find returns the first position at or after from where an escape may
// start, or -1.
func (s *escScanner) find(from int) int {
	best := -1
	for k := range s.next {
		if n := s.next[k]; n != -1 && n < from {
			if k < 3 {
				s.next[k] = s.nextTrigger(from, `\%&`[k])
			} else {
				s.next[k] = nextBase64Run(s.b, from)
			}
		}
		if n := s.next[k]; n >= 0 && (best < 0 || n < best) {
			best = n
		}
	}
	return best
}

func (s *escScanner) nextTrigger(from int, c byte) int {
	for i := from; i < len(s.b); {
		j := bytes.IndexByte(s.b[i:], c)
		if j < 0 {
			return -1
		}
		i += j
		if triggerAt(s.b, i) {
			return i
		}
		i++
	}
	return -1
}

// nextBase64Run returns where the first run of MinBase64Run base64
// characters at or after from starts, or -1. Such a run covers an
// aligned block of MinBase64Run/2 bytes, so only blocks are tested, and
// most fail on their first bytes (a high byte, a space, a comma).
func nextBase64Run(b []byte, from int) int {
	const blk = MinBase64Run / 2
	for k := (from + blk - 1) / blk * blk; k+blk <= len(b); k += blk {
		if binary.LittleEndian.Uint64(b[k:])&0x8080808080808080 != 0 ||
			class[b[k+blk-1]]&class[b[k+blk/2]]&class[b[k+blk/4]]&clB64 == 0 {
			continue
		}
		all := true
		for _, c := range b[k : k+blk] {
			if class[c]&clB64 == 0 {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		lo, hi := k, k+blk
		for lo > from && class[b[lo-1]]&clB64 != 0 {
			lo--
		}
		for hi < len(b) && class[b[hi]]&clB64 != 0 {
			hi++
		}
		if hi-lo >= MinBase64Run {
			return lo
		}
		k = hi/blk*blk - blk // the loop resumes at the block holding hi
	}
	return -1
}

// triggerAt reports whether an escape starts at b[i] ('\\', '%' or '&').
func triggerAt(b []byte, i int) bool {
	switch b[i] {
	case '\\':
		return i+5 < len(b) && b[i+1] == 'u' && isHex(b[i+2]) && isHex(b[i+3]) && isHex(b[i+4]) && isHex(b[i+5])
	case '%':
		return i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2])
	case '&':
		if i+2 < len(b) && b[i+1] == '#' {
			return true
		}
		_, n := namedRef(b[i:])
		return n > 0
	}
	return false
}

// Unescape appends to dst the UTF-8 text src with its escapes decoded and
// returns it, with the ordinals of the soft newlines it made appended to
// soft. Ordinals count the newlines of the output, starting at nlBase for
// the first newline of this call's output. Lines without escapes are
// copied unchanged; every newline of src is kept.
func Unescape(dst, src []byte, soft []int, nlBase int) ([]byte, []int) {
	nl := nlBase
	sc := newEscScanner(src)
	for pos := 0; pos < len(src); {
		i := sc.find(pos)
		if i < 0 {
			dst = append(dst, src[pos:]...)
			break
		}
		// The lines before the escape's line go as they are.
		ls := pos + bytes.LastIndexByte(src[pos:i], '\n') + 1
		dst = append(dst, src[pos:ls]...)
		nl += bytes.Count(src[pos:ls], []byte{'\n'})
		le := len(src)
		if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
			le = i + j
		}
		start := len(dst)
		dst = unescapeLine(dst, src[ls:le], 0)
		for out := dst[start:]; ; {
			j := bytes.IndexByte(out, '\n')
			if j < 0 {
				break
			}
			soft = append(soft, nl)
			nl++
			out = out[j+1:]
		}
		pos = le
		if le < len(src) {
			dst = append(dst, '\n')
			nl++
			pos = le + 1
		}
	}
	return dst, soft
}

// unescapeLine appends line (no '\n') with its escapes decoded.
func unescapeLine(dst, line []byte, depth int) []byte {
	if !MayHaveEscapes(line) {
		return append(dst, line...)
	}
	cur := line
	if out, ok := decodeBase64Runs(nil, cur, depth); ok {
		cur = out
	}
	if out, ok := decodeBackslashU(nil, cur); ok {
		cur = out
	}
	if out, ok := decodeCharRefs(nil, cur); ok {
		cur = out
	}
	if out, ok := decodePercent(nil, cur); ok {
		cur = out
	}
	return append(dst, cur...)
}

// decodeBackslashU decodes \uXXXX escapes (surrogate pairs joined) and,
// on a line that has one, the other escapes of Java, JSON and
// JavaScript strings: \n \t \r \" \' \/ \\ and the \: \= \  \# \! of
// .properties. A decoded '\r' is dropped.
func decodeBackslashU(dst, s []byte) ([]byte, bool) {
	if !hasBackslashU(s) {
		return s, false
	}
	p := 0
	for i := 0; i+1 < len(s); {
		if s[i] != '\\' {
			i++
			continue
		}
		dst = append(dst, s[p:i]...)
		c := s[i+1]
		n := 2
		switch c {
		case 'u':
			r, ok := hex4(s[i+2:])
			if !ok {
				dst = append(dst, '\\', 'u')
				break
			}
			n = 6
			if r >= 0xD800 && r < 0xDC00 && i+11 < len(s) && s[i+6] == '\\' && s[i+7] == 'u' {
				if r2, ok := hex4(s[i+8:]); ok && r2 >= 0xDC00 && r2 <= 0xDFFF {
					r, n = utf16.DecodeRune(r, r2), 12
				}
			}
			dst = appendRuneSafe(dst, r)
		case 'n':
			dst = append(dst, '\n')
		case 't':
			dst = append(dst, '\t')
		case 'r':
		case '"', '\'', '/', '\\', ':', '=', ' ', '#', '!':
			dst = append(dst, c)
		default:
			dst = append(dst, '\\', c)
		}
		i += n
		p = i
	}
	return append(dst, s[p:]...), true
}

func hasBackslashU(s []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(s[i:], '\\')
		if j < 0 {
			return false
		}
		i += j
		if triggerAt(s, i) {
			return true
		}
		i++
	}
}

// hex4 parses four hex digits at the start of s.
func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		if !isHex(c) {
			return 0, false
		}
		r = r<<4 | rune(hexVal(c))
	}
	return r, true
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// appendRuneSafe appends r, as U+FFFD when it is a control character
// other than tab and newline, a lone surrogate or out of range; '\r' is
// dropped.
func appendRuneSafe(dst []byte, r rune) []byte {
	switch {
	case r == '\r':
		return dst
	case r == '\t' || r == '\n':
		return append(dst, byte(r))
	case r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0):
		return append(dst, "\uFFFD"...)
	case r == 0xA0:
		return append(dst, ' ')
	}
	return utf8.AppendRune(dst, r)
}

// namedRefs are the named character references decoded: XML's five and
// the spaces of HTML.
var namedRefs = []struct {
	name string
	r    rune
}{
	{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''},
	{"nbsp;", ' '}, {"ensp;", ' '}, {"emsp;", ' '}, {"thinsp;", ' '},
}

// namedRef returns the character of a named reference at the start of s
// ('&' included) and its length, or 0.
func namedRef(s []byte) (rune, int) {
	if len(s) < 4 || s[0] != '&' {
		return 0, 0
	}
	for _, n := range namedRefs {
		if len(s) > len(n.name) && string(s[1:1+len(n.name)]) == n.name {
			return n.r, 1 + len(n.name)
		}
	}
	return 0, 0
}

// decodeCharRefs decodes &#NNNN; &#xHHHH; and the named references.
func decodeCharRefs(dst, s []byte) ([]byte, bool) {
	if bytes.IndexByte(s, '&') < 0 {
		return s, false
	}
	p, changed := 0, false
	for i := 0; i < len(s); i++ {
		if s[i] != '&' {
			continue
		}
		r, n := charRef(s[i:])
		if n == 0 {
			continue
		}
		dst = append(dst, s[p:i]...)
		dst = appendRuneSafe(dst, r)
		i += n - 1
		p = i + 1
		changed = true
	}
	if !changed {
		return s, false
	}
	return append(dst, s[p:]...), true
}

// charRef parses a character reference at the start of s.
func charRef(s []byte) (rune, int) {
	if len(s) < 4 || s[1] != '#' {
		return namedRef(s)
	}
	i, base := 2, rune(10)
	if s[2] == 'x' || s[2] == 'X' {
		i, base = 3, 16
	}
	var r rune
	j := i
	for ; j < len(s) && j-i < 7; j++ {
		c := s[j]
		switch {
		case c >= '0' && c <= '9':
			r = r*base + rune(c-'0')
		case base == 16 && isHex(c):
			r = r*base + rune(hexVal(c))
		default:
			goto end
		}
	}
end:
	if j == i || j >= len(s) || s[j] != ';' || r > utf8.MaxRune || utf16.IsSurrogate(r) || r == 0 {
		return 0, 0
	}
	return r, j + 1
}

// decodePercent decodes percent-encoded runs: from a %XX escape up to
// anything that is neither an escape nor a character a URL leaves
// unescaped (A-Z a-z 0-9 - . _ ~ ! * ' ( ) and '+', a space
// in a form). Literal characters inside a run are bytes of it (CP932
// trail bytes are often letters: 山 is "%8ER"). Runs with bytes >= 0x80
// are decoded as UTF-8 when all such runs of the line are valid UTF-8,
// else as CP932 or EUC-JP when Detect names one and they decode without
// an invalid sequence, else left as they are. Escapes of controls other
// than tab and newline stay as written; "%0A" makes a soft newline.
func decodePercent(dst, s []byte) ([]byte, bool) {
	if bytes.IndexByte(s, '%') < 0 {
		return s, false
	}
	type run struct {
		start, end int // in s
		lo, hi     int // bytes in raw
		high       bool
	}
	var runs []run
	var raw []byte
	isEsc := func(i int) bool { return i+2 < len(s) && s[i] == '%' && isHex(s[i+1]) && isHex(s[i+2]) }
	escByte := func(i int) byte { return hexVal(s[i+1])<<4 | hexVal(s[i+2]) }
	isCtrl := func(c byte) bool { return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F }
	for i := 0; i < len(s); {
		if !isEsc(i) || isCtrl(escByte(i)) {
			i++
			continue
		}
		r := run{start: i, lo: len(raw)}
		for i < len(s) {
			if isEsc(i) {
				c := escByte(i)
				if isCtrl(c) {
					break // stays escaped
				}
				raw = append(raw, c)
				r.high = r.high || c >= 0x80
				i += 3
				continue
			}
			if !urlLiteral(s[i]) {
				break
			}
			c := s[i]
			if c == '+' {
				c = ' '
			}
			raw = append(raw, c)
			i++
		}
		r.end, r.hi = i, len(raw)
		runs = append(runs, r)
	}
	if len(runs) == 0 {
		return s, false
	}
	// The encoding of the non-ASCII runs.
	enc := UTF8
	var hi []byte
	for _, r := range runs {
		if r.high {
			hi = append(hi, raw[r.lo:r.hi]...)
			hi = append(hi, '\n')
			if !utf8.Valid(raw[r.lo:r.hi]) {
				enc = ""
			}
		}
	}
	if enc == "" {
		switch e := Detect(hi, true); e {
		case ShiftJIS, EUCJP:
			enc = e
			for _, r := range runs {
				if r.high && !legacyValid(e, raw[r.lo:r.hi]) {
					enc = ""
					break
				}
			}
		}
	}
	p, changed := 0, false
	for _, r := range runs {
		if r.high && enc == "" {
			continue
		}
		b := raw[r.lo:r.hi]
		if r.high {
			b = decodeBytes(enc, b)
		} else {
			b = bytes.ReplaceAll(b, []byte("\r"), nil)
		}
		dst = append(dst, s[p:r.start]...)
		dst = append(dst, b...)
		p, changed = r.end, true
	}
	if !changed {
		return s, false
	}
	return append(dst, s[p:]...), true
}

// urlLiteral reports whether c is left unescaped inside an encoded URL
// component (RFC 3986 unreserved, the marks QueryEscape's relatives
// leave, and '+').
func urlLiteral(c byte) bool {
	switch {
	case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '-', '.', '_', '~', '!', '*', '\'', '(', ')', '+':
		return true
	}
	return false
}

// decodeBytes decodes b from enc (UTF-8, CP932, EUC-JP, UTF-16) to UTF-8
// with controls dropped as appendRuneSafe does.
func decodeBytes(enc Encoding, b []byte) []byte {
	var s []byte
	switch enc {
	case UTF8:
		s = b
	default:
		e, err := decoderFor(enc)
		if err != nil {
			return nil
		}
		if s, err = e.NewDecoder().Bytes(b); err != nil {
			return nil
		}
	}
	out := make([]byte, 0, len(s))
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		out = appendRuneSafe(out, r)
		s = s[n:]
	}
	return out
}

// decodeBase64Runs replaces runs of at least MinBase64Run base64
// characters (with optional '=' padding) that decode to text by that
// text, its own escapes decoded up to maxUnescapeDepth.
func decodeBase64Runs(dst, s []byte, depth int) ([]byte, bool) {
	if depth >= maxUnescapeDepth || nextBase64Run(s, 0) < 0 {
		return s, false
	}
	p, changed := 0, false
	for i := 0; i < len(s); {
		if class[s[i]]&clB64 == 0 {
			i++
			continue
		}
		j := i
		for j < len(s) && class[s[j]]&clB64 != 0 {
			j++
		}
		run := s[i:j]
		end := j
		for end < len(s) && end-j < 2 && s[end] == '=' {
			end++
		}
		if len(run) >= MinBase64Run {
			if text, ok := base64Text(run); ok {
				dst = append(dst, s[p:i]...)
				dst = unescapeLine(dst, text, depth+1)
				p, changed = end, true
			}
		}
		i = end
	}
	if !changed {
		return s, false
	}
	return append(dst, s[p:]...), true
}

// maybeText is the cheap test before Detect: UTF-8, CP932 or EUC-JP
// without control bytes but tab and newlines, or UTF-16 (either byte
// order) whose every code unit is printable ASCII, Latin-1, kana, CJK or
// full-width. Random bytes (hashes, keys, images) fail it at once.
func maybeText(b []byte) bool {
	ctrl := false
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F {
			ctrl = true
			break
		}
	}
	if !ctrl && (utf8.Valid(b) || legacyValid(ShiftJIS, b) || legacyValid(EUCJP, b)) {
		return true
	}
	return len(b)%2 == 0 && (plausibleUTF16(b, true) || plausibleUTF16(b, false))
}

// plausibleUTF16 reports whether every code unit of b read as UTF-16
// is one of Japanese text's.
func plausibleUTF16(b []byte, le bool) bool {
	for i := 0; i+1 < len(b); i += 2 {
		u := rune(b[i])<<8 | rune(b[i+1])
		if le {
			u = rune(b[i+1])<<8 | rune(b[i])
		}
		switch {
		case u == '\t' || u == '\n' || u == '\r':
		case u >= 0x20 && u < 0x7F, u >= 0xA0 && u <= 0xFF:
		case u >= 0x3000 && u <= 0x30FF, u >= 0x4E00 && u <= 0x9FFF, u >= 0xFF01 && u <= 0xFF9F:
		default:
			return false
		}
	}
	return true
}

// base64Text decodes a base64 run (without padding) and returns its text
// when it is text: UTF-8, CP932, EUC-JP or UTF-16 whose characters are
// all plausible (no controls but tab and newline, nothing invalid, few
// rare or unlikely characters).
func base64Text(run []byte) ([]byte, bool) {
	if len(run)%4 == 1 {
		return nil, false
	}
	raw := make([]byte, base64.RawStdEncoding.DecodedLen(len(run)))
	n, err := base64.RawStdEncoding.Decode(raw, run)
	if err != nil {
		return nil, false
	}
	raw = raw[:n]
	if !maybeText(raw) {
		return nil, false
	}
	var text []byte
	if utf8.Valid(raw) {
		text = raw
	} else {
		var e interface{ Bytes([]byte) ([]byte, error) }
		switch Detect(raw, true) {
		case ShiftJIS:
			e = japanese.ShiftJIS.NewDecoder()
		case EUCJP:
			e = japanese.EUCJP.NewDecoder()
		case UTF16LE:
			e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		case UTF16BE:
			e = unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
		default:
			return nil, false
		}
		if text, err = e.Bytes(raw); err != nil {
			return nil, false
		}
	}
	var st stats
	for d := text; len(d) > 0; {
		r, size := utf8.DecodeRune(d)
		if r != '\r' {
			st.add(r)
		}
		d = d[size:]
	}
	if st.chars == 0 || st.bad > 0 {
		return nil, false
	}
	// A legacy decode of random bytes is often valid: it must also look
	// like Japanese text.
	if len(text) != len(raw) || !utf8.Valid(raw) {
		if (st.rare+st.weak+st.half)*4 > st.chars {
			return nil, false
		}
	}
	return bytes.ReplaceAll(text, []byte("\r"), nil), true
}
