package detectors

import (
	"bytes"
	"slices"
	"sync"

	"github.com/rouei/rouei/patterns"
)

// Postal finds Japanese postal codes (category "postal_code").
//
// Accepted: "〒123-4567", "〒 1234567", and a bare "123-4567" only when the
// label 郵便番号 (or ZIP / postal code) comes shortly before it, on its line
// or the line before, or an address follows within ~36 bytes on the same
// line (a prefecture from patterns/prefectures.txt, or 市/区/町/村/郡). A
// seven-digit run needs 〒 or the label. Bare codes in prose, phone number
// fragments (03-123-4567) and longer digit groups are not matched. Value is
// "123-4567".
type Postal struct{}

var _ Detector = Postal{}

// ID implements Detector.
func (Postal) ID() string { return "jp-postal" }

// Category implements Detector.
func (Postal) Category() string { return "postal_code" }

// Confidence levels of postal-code matches.
const (
	postalConfMark    = 0.9
	postalConfLabel   = 0.85
	postalConfAddress = 0.7
	postalConfDummy   = 0.3
)

var (
	postalMark   = []byte("〒")
	postalLabels = wordLabels("postal_labels")
	phoneLabels  = wordLabels("phone_labels")
	prefBytes    = sync.OnceValue(func() [][]byte {
		var out [][]byte
		for _, p := range patterns.Prefectures() {
			out = append(out, []byte(p))
		}
		return out
	})
	municipalityMarks = nmByteSlices(patterns.Words("municipality_suffixes").JP...)
	// addressWords are the prefectures and municipality marks by their
	// first three bytes, to find any of them in one pass over a window.
	addressWords = sync.OnceValue(func() map[[3]byte][][]byte {
		m := map[[3]byte][][]byte{}
		for _, w := range append(append([][]byte(nil), prefBytes()...), municipalityMarks...) {
			if len(w) < 3 {
				panic("detectors: an address word of less than three bytes")
			}
			k := [3]byte{w[0], w[1], w[2]}
			m[k] = append(m[k], w)
		}
		return m
	})
)

// hasAddressWord reports whether w holds a prefecture or a municipality
// mark (the same as bytes.Contains of each, in one pass).
func hasAddressWord(w []byte) bool {
	m := addressWords()
	for i := 0; i+3 <= len(w); i++ {
		if w[i] < 0xC0 {
			continue
		}
		for _, a := range m[[3]byte{w[i], w[i+1], w[i+2]}] {
			if bytes.HasPrefix(w[i:], a) {
				return true
			}
		}
	}
	return false
}

// Find implements Detector.
func (p Postal) Find(dst []Match, text []byte) []Match {
	n0 := len(dst)
	pl, ph := labelsIn{l: &postalLabels}, labelsIn{l: &phoneLabels}
	// 123-4567 forms, found at their hyphen.
	for i := 0; ; {
		j := indexFrom(text, i, '-')
		if j < 0 {
			break
		}
		i = j + 1
		if j < 3 || j+5 > len(text) || !isDigit(text[j-1]) || !isDigit(text[j+1]) {
			continue
		}
		s, e := j-3, j+5
		if !allDigits(text[s:j]) || !allDigits(text[j+1:e]) || !postalBounds(text, s, e) {
			continue
		}
		if conf := postalContext(text, s, e, &pl, &ph); conf > 0 {
			dst = append(dst, postalMatch(text, s, e, conf))
			i = e
		}
	}
	// 1234567 forms after 〒 or the label.
	for _, mark := range [][]byte{postalMark, []byte("郵便番号")} {
		for i := 0; ; {
			j := bytes.Index(text[i:], mark)
			if j < 0 {
				break
			}
			i += j + len(mark)
			k := i
			for k < len(text) && k-i < 8 && (text[k] == ' ' || text[k] == ':' || text[k] == '\t') {
				k++
			}
			if bytes.HasPrefix(text[k:], []byte("：")) {
				k += len("：")
			}
			if bytes.HasPrefix(text[k:], postalMark) {
				k += len(postalMark)
			}
			for k < len(text) && text[k] == ' ' {
				k++
			}
			if e := k + 7; e <= len(text) && allDigits(text[k:e]) && postalBounds(text, k, e) {
				conf := postalConfLabel
				if bytes.Equal(mark, postalMark) {
					conf = postalConfMark
				}
				dst = append(dst, postalMatch(text, k, e, conf))
			}
		}
	}
	if len(dst)-n0 > 1 {
		ms := dst[n0:]
		slices.SortFunc(ms, func(a, b Match) int { return a.Start - b.Start })
	}
	return dst
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

// postalBounds rejects codes glued to other digits, hyphen groups
// (03-123-4567, 123-4567-8), decimals or words.
func postalBounds(text []byte, s, e int) bool {
	if s > 0 {
		b := text[s-1]
		if isAlnum(b) || b == '-' || b == '.' || b == '/' || b == '_' || b == '(' || b == ')' {
			return false
		}
	}
	if e < len(text) {
		b := text[e]
		if isAlnum(b) || b == '_' {
			return false
		}
		if (b == '-' || b == '.' || b == '/') && e+1 < len(text) && isDigit(text[e+1]) {
			return false
		}
	}
	return true
}

// postalContext returns the confidence for a hyphenated code at s..e, or 0
// when nothing marks it as a postal code. pl and ph are the postal and
// phone labels of text.
func postalContext(text []byte, s, e int, pl, ph *labelsIn) float64 {
	b := trimRightSpace(before(text, s, 8))
	if bytes.HasSuffix(b, postalMark) {
		return postalConfMark
	}
	if pl.in(text, sameLineBefore(text, s, 40)) || pl.in(text, prevLine(text, s, 200)) {
		return postalConfLabel
	}
	if ph.in(text, sameLineBefore(text, s, 16)) {
		return 0
	}
	if hasAddressWord(sameLineAfter(text, e, 36)) {
		return postalConfAddress
	}
	return 0
}

func postalMatch(text []byte, s, e int, conf float64) Match {
	d := text[s:e]
	var v string
	if len(d) == 7 {
		v = string(d[:3]) + "-" + string(d[3:])
	} else {
		v = string(d)
	}
	m := Match{Detector: "jp-postal", Category: "postal_code", Value: v, Start: s, End: e, Confidence: conf}
	if dummies().postal[v[:3]+v[4:]] || allSame(v) {
		m.Dummy, m.Confidence = true, postalConfDummy
	}
	return m
}

// allSame reports whether all digits of s are the same.
func allSame(s string) bool {
	var first byte
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			continue
		}
		if first == 0 {
			first = s[i]
		} else if s[i] != first {
			return false
		}
	}
	return true
}
