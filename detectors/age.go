package detectors

import (
	"bytes"

	"github.com/rouei/rouei/patterns"
)

// Age finds a person's age (category "age").
//
// Accepted: "45歳", "45才", "年齢: 45", "年齢45", "AGE 45", "age: 45",
// "\"age\": 45", with the age in 0–120. Policy prose about ages is not a
// person's age: 歳以上, 歳未満, 歳以下, 歳から, 歳まで, 歳児, 歳以降… do not
// match; neither do 築45年 or 45年. A bare number in parentheses after a
// name is too weak a signal and is not matched. Value is the number ("45").
type Age struct{}

var _ Detector = Age{}

// ID implements Detector.
func (Age) ID() string { return "jp-age" }

// Category implements Detector.
func (Age) Category() string { return "age" }

// Confidence levels of age matches.
const (
	ageConfSuffix = 0.6
	ageConfLabel  = 0.7
)

var (
	ageSuffixes = patterns.Words("age_suffixes").JP
	// What follows 歳 in rules and policy text rather than a person's age.
	agePolicy  = patterns.Words("age_policy_words").JP
	ageLabelJP = []byte("年齢")
	// Last bytes of what may come right before a labelled age.
	ageLabelEnd = [256]bool{' ': true, ':': true, '=': true, '"': true, '\'': true, '\t': true,
		0x9A: true, 0xA2: true, 'e': true, 'E': true}
)

// Find implements Detector.
func (a Age) Find(dst []Match, text []byte) []Match {
	if !ageAnchored(text) {
		return dst
	}
	return a.find(dst, text)
}

// find is Find without the rejection of the whole text.
func (a Age) find(dst []Match, text []byte) []Match {
	for i := 0; i < len(text); {
		s, e := nextDigitRun(text, i)
		if s < 0 {
			break
		}
		i = e
		if e-s > 3 {
			continue
		}
		if s > 0 && (text[s-1] == '.' || text[s-1] == ',') && s > 1 && isDigit(text[s-2]) {
			continue // 1.45歳, 1,45
		}
		// Quick reject: 歳/才 (first byte E6) or a space must follow, or a
		// label separator (" :=\"'\t", "：" ending 9A) or 年齢 (ending A2)
		// precede.
		next, prev := byte(0), byte(0)
		if e < len(text) {
			next = text[e]
		}
		if s > 0 {
			prev = text[s-1]
		}
		if next != 0xE6 && next != ' ' && !ageLabelEnd[prev] {
			continue
		}
		n := atoi(text[s:e])
		if n > 120 {
			continue
		}
		if m, ok := a.suffix(text, s, e); ok {
			dst = append(dst, m)
			continue
		}
		if ageLabelled(text, s) && ageEndOK(text, e) {
			dst = append(dst, Match{Detector: "jp-age", Category: "age", Value: itoa(n), Start: s, End: e, Confidence: ageConfLabel})
		}
	}
	return dst
}

// ageAnchored is Find's cheap rejection of a whole text: an age needs a
// suffix (歳, 才), 年齢, or an ASCII "age" word followed by a separator
// (what ageLabelled accepts), so a log or source file without any is
// skipped without looking at its digit runs.
func ageAnchored(text []byte) bool {
	if bytes.Contains(text, ageLabelJP) {
		return true
	}
	for _, suf := range ageSuffixes {
		if bytes.Contains(text, []byte(suf)) {
			return true
		}
	}
	for i := 0; ; {
		j := bytes.IndexAny(text[i:], "gG")
		if j < 0 {
			return false
		}
		j += i
		i = j + 1
		if j < 1 || j+2 >= len(text) || text[j-1]|0x20 != 'a' || text[j+1]|0x20 != 'e' {
			continue
		}
		if k := j - 1; k > 0 && (isAlnum(text[k-1]) || text[k-1] == '_' || text[k-1] == '-') {
			continue
		}
		switch text[j+2] {
		case ' ', ':', '=', '"', '\'', '\t', 0xEF: // 0xEF: "："
			return true
		}
	}
}

func (Age) suffix(text []byte, s, e int) (Match, bool) {
	k := e
	if k < len(text) && text[k] == ' ' {
		k++
	}
	rest := text[k:]
	for _, suf := range ageSuffixes {
		if !bytes.HasPrefix(rest, []byte(suf)) {
			continue
		}
		after := trimLeftSpace(rest[len(suf):])
		if hasPrefixAny(after, agePolicy...) {
			return Match{}, false
		}
		// "3歳〜5歳": the lower end of a range written the other way round.
		if b := trimRightSpace(before(text, s, 6)); hasSuffixAny(b, "~", "〜", "～") {
			return Match{}, false
		}
		if s > 0 && (isASCIILetter(text[s-1]) || text[s-1] == '-') {
			return Match{}, false
		}
		return Match{Detector: "jp-age", Category: "age", Value: itoa(atoi(text[s:e])), Start: s, End: e, Confidence: ageConfSuffix}, true
	}
	return Match{}, false
}

// ageLabelled reports whether the number at s follows 年齢 or an "age"
// word, separated by at most a few of ` :=：'"`.
func ageLabelled(text []byte, s int) bool {
	k := s
	for n := 0; n < 4 && k > 0; n++ {
		c := text[k-1]
		if c == ' ' || c == ':' || c == '=' || c == '"' || c == '\'' || c == '\t' {
			k--
			continue
		}
		if k >= 3 && string(text[k-3:k]) == "：" {
			k -= 3
			continue
		}
		break
	}
	if k == s && (k < 1 || !bytes.HasSuffix(text[:k], ageLabelJP)) {
		// "age45" is not a label; "年齢45" is.
		return false
	}
	if bytes.HasSuffix(text[:k], ageLabelJP) {
		return true
	}
	if k < 3 {
		return false
	}
	w := text[k-3 : k]
	if w[0]|0x20 != 'a' || w[1]|0x20 != 'g' || w[2]|0x20 != 'e' {
		return false
	}
	return k == 3 || !(isAlnum(text[k-4]) || text[k-4] == '_' || text[k-4] == '-')
}

// ageEndOK rejects numbers that continue (age 4.5, age 45-60, age 45歳以上).
func ageEndOK(text []byte, e int) bool {
	if e >= len(text) {
		return true
	}
	c := text[e]
	if isASCIILetter(c) || c == '_' || c == '%' {
		return false
	}
	if (c == '.' || c == '-' || c == '/' || c == ',') && e+1 < len(text) && isDigit(text[e+1]) {
		return false
	}
	rest := trimLeftSpace(text[e:])
	for _, suf := range ageSuffixes {
		if bytes.HasPrefix(rest, []byte(suf)) {
			return !hasPrefixAny(trimLeftSpace(rest[len(suf):]), agePolicy...)
		}
	}
	return !hasPrefixAny(rest, agePolicy...) && !hasPrefixAny(rest, "年", "ヶ月", "か月", "ヵ月")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [4]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
