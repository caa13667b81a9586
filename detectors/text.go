package detectors

import (
	"bytes"
	"encoding/binary"
	"math/bits"

	"github.com/rouei/rouei/patterns"
)

// Small byte-level helpers shared by the detectors. Everything here works
// on normalised UTF-8 text and never allocates.

func isDigit(c byte) bool { return c-'0' < 10 }

func isASCIILetter(c byte) bool { return (c|0x20)-'a' < 26 }

func isAlnum(c byte) bool { return isDigit(c) || isASCIILetter(c) }

// digitRun returns the end of the run of ASCII digits starting at i.
func digitRun(text []byte, i int) int {
	for i < len(text) && isDigit(text[i]) {
		i++
	}
	return i
}

// nextDigitRun finds the next run of digits at or after i that is not
// preceded by a digit and returns its bounds, or -1, -1.
func nextDigitRun(text []byte, i int) (int, int) {
	i = nextDigit(text, i)
	if i < 0 {
		return -1, -1
	}
	return i, digitRun(text, i+1)
}

const (
	swarOnes = 0x0101010101010101
	swarHigh = 0x8080808080808080
)

// nextDigit returns the index of the first ASCII digit at or after i, or
// -1. It tests eight bytes at a time (a SWAR "has byte between" test), so
// Japanese text and prose without digits are skipped quickly.
func nextDigit(text []byte, i int) int {
	for ; i+8 <= len(text); i += 8 {
		x := binary.LittleEndian.Uint64(text[i:])
		low := x &^ swarHigh
		// High bit set in each byte b with 0x2F < b < 0x3A (and b < 0x80).
		t := (swarOnes*(127+0x3A) - low) &^ x & (low + swarOnes*(127-0x2F)) & swarHigh
		if t != 0 {
			return i + bits.TrailingZeros64(t)/8
		}
	}
	for ; i < len(text); i++ {
		if isDigit(text[i]) {
			return i
		}
	}
	return -1
}

// atoi2 converts a short run of digits; callers bound its length.
func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

// before returns up to n bytes before pos, crossing lines.
func before(text []byte, pos, n int) []byte {
	return text[max(0, pos-n):pos]
}

// sameLineBefore returns the part of pos's line before pos, at most n bytes.
func sameLineBefore(text []byte, pos, n int) []byte {
	w := text[max(0, pos-n):pos]
	if i := bytes.LastIndexByte(w, '\n'); i >= 0 {
		w = w[i+1:]
	}
	return w
}

// sameLineAfter returns the part of the line from pos on, at most n bytes.
func sameLineAfter(text []byte, pos, n int) []byte {
	w := text[pos:min(len(text), pos+n)]
	if i := bytes.IndexByte(w, '\n'); i >= 0 {
		w = w[:i]
	}
	return w
}

// prevLine returns the line before the one holding pos (without its line
// end), limited to its last n bytes, or nil on the first line or when pos's
// own line is longer than n bytes before pos.
func prevLine(text []byte, pos, n int) []byte {
	w := text[max(0, pos-n):pos]
	i := bytes.LastIndexByte(w, '\n')
	if i < 0 {
		return nil
	}
	abs := max(0, pos-n) + i // index of the '\n' ending the previous line
	p := text[max(0, abs-n):abs]
	if j := bytes.LastIndexByte(p, '\n'); j >= 0 {
		p = p[j+1:]
	}
	return bytes.TrimSuffix(p, []byte{'\r'})
}

// label is a word that makes a nearby value more likely to be personal data.
// Japanese labels match as bytes; ASCII labels (lower case) match case-
// insensitively and not right after another ASCII letter ("dob" is not
// found in "adobe").
type labels struct {
	jp    [][]byte // every Japanese label
	jp3   [][]byte // those that start with a three-byte character (most)
	jpAny [][]byte // the others, searched one by one
	// first3 has a bit for each BMP character that starts a label of jp3
	// (a three-byte UTF-8 sequence encodes 16 bits of code point): one
	// pass over a text finds every place a label may start.
	first3 *[1 << 10]uint64
	ascii  []string
	first  [256]bool // first bytes of the ASCII labels, both cases
}

// wordLabels are the labels of a patterns/words.toml class.
func wordLabels(class string) labels {
	c := patterns.Words(class)
	return newLabels(c.JP, c.ASCII)
}

func newLabels(jp []string, ascii []string) labels {
	l := labels{ascii: ascii}
	for _, s := range jp {
		b := []byte(s)
		l.jp = append(l.jp, b)
		if len(b) >= 3 && b[0]&0xF0 == 0xE0 {
			if l.first3 == nil {
				l.first3 = new([1 << 10]uint64)
			}
			c := bmp3(b)
			l.first3[c>>6] |= 1 << (c & 63)
			l.jp3 = append(l.jp3, b)
		} else {
			l.jpAny = append(l.jpAny, b)
		}
	}
	for _, s := range ascii {
		l.first[s[0]] = true
		l.first[s[0]&^0x20] = true
	}
	return l
}

// in reports whether any label occurs in w.
func (l *labels) in(w []byte) bool {
	if len(w) == 0 {
		return false
	}
	if l.jpIn(w) {
		return true
	}
	if len(l.ascii) == 0 {
		return false
	}
	// One pass over w; labels are only tried where their first letter is.
	for i := 0; i < len(w); i++ {
		if !l.first[w[i]] || (i > 0 && isASCIILetter(w[i-1])) {
			continue
		}
		for _, s := range l.ascii {
			if w[i]|0x20 == s[0] && hasPrefixFold(w[i:], s) {
				return true
			}
		}
	}
	return false
}

// jpIn reports whether a Japanese label occurs in w: one pass over w,
// a label tried only where a character that starts one is.
func (l *labels) jpIn(w []byte) bool {
	for _, s := range l.jpAny {
		if bytes.Contains(w, s) {
			return true
		}
	}
	if l.first3 == nil {
		return false
	}
	for i := 0; i+3 <= len(w); i++ {
		if w[i]&0xF0 != 0xE0 {
			continue
		}
		c := bmp3(w[i:])
		if l.first3[c>>6]&(1<<(c&63)) == 0 {
			continue
		}
		for _, s := range l.jp3 {
			if bytes.HasPrefix(w[i:], s) {
				return true
			}
		}
	}
	return false
}

// bmp3 is the 16 bits of code point a three-byte UTF-8 sequence at b[0]
// encodes (whatever its continuation bytes hold).
func bmp3(b []byte) uint32 {
	return uint32(b[0]&0x0F)<<12 | uint32(b[1]&0x3F)<<6 | uint32(b[2]&0x3F)
}

// mayOccur reports whether in could be true for some part of text: a
// Japanese label occurs in it, or an ASCII one ignoring case and the word
// boundary (which a window's edge may cut off). When it is false, no
// window of text holds a label, and a detector can skip the search of
// every candidate's window.
func (l *labels) mayOccur(text []byte) bool {
	if l.jpIn(text) {
		return true
	}
	if len(l.ascii) == 0 {
		return false
	}
	for i := 0; i < len(text); i++ {
		if !l.first[text[i]] {
			continue
		}
		for _, s := range l.ascii {
			if text[i]|0x20 == s[0] && hasPrefixFold(text[i:], s) {
				return true
			}
		}
	}
	return false
}

// labelsIn answers labels.in for the windows of one text, skipping the
// search when the text holds no label at all (mayOccur, asked once, when
// the first window is).
type labelsIn struct {
	l     *labels
	state int8 // 0: not asked yet; 1: may occur; 2: does not
}

func (c *labelsIn) in(text, w []byte) bool {
	if c.state == 0 {
		c.state = 2
		if c.l.mayOccur(text) {
			c.state = 1
		}
	}
	return c.state == 1 && c.l.in(w)
}

// hasPrefixFold reports whether w starts with lower (ASCII lower case),
// ignoring ASCII case.
func hasPrefixFold(w []byte, lower string) bool {
	if len(w) < len(lower) {
		return false
	}
	for j := 0; j < len(lower); j++ {
		c := w[j]
		if isASCIILetter(c) {
			c |= 0x20
		}
		if c != lower[j] {
			return false
		}
	}
	return true
}

// hasSuffixAny reports whether w ends with one of the strings.
func hasSuffixAny(w []byte, ss ...string) bool {
	for _, s := range ss {
		if len(w) >= len(s) && string(w[len(w)-len(s):]) == s {
			return true
		}
	}
	return false
}

// hasPrefixAny reports whether w starts with one of the strings.
func hasPrefixAny(w []byte, ss ...string) bool {
	for _, s := range ss {
		if len(w) >= len(s) && string(w[:len(s)]) == s {
			return true
		}
	}
	return false
}

// trimLeftSpace drops leading ASCII blanks.
func trimLeftSpace(w []byte) []byte {
	for len(w) > 0 && (w[0] == ' ' || w[0] == '\t') {
		w = w[1:]
	}
	return w
}

// trimRightSpace drops trailing ASCII blanks.
func trimRightSpace(w []byte) []byte {
	for len(w) > 0 && (w[len(w)-1] == ' ' || w[len(w)-1] == '\t') {
		w = w[:len(w)-1]
	}
	return w
}
