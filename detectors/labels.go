package detectors

import (
	"bytes"
	"strings"
)

// Labels in findings[].context: the fixed word beside a match that the
// detectors weigh — 生年月日 before a birth date, 様 after a name, 電話
// before a phone, 〒 before a postal code, 年齢 before an age — named as
// "label 生年月日", "honorific 様", "mark 〒", "suffix 歳". Never the value.

// labelContext returns the context word of a match on its line, or "".
func labelContext(text []byte, m *Located) string {
	if m.Start < 0 || m.End > len(text) || m.Start > m.End {
		return ""
	}
	switch m.Category {
	case "birth_date":
		if m.Confidence < MinConfidence {
			return "" // an unlabelled date: no label raised it
		}
		if w := birthLabels.find(sameLineBefore(text, m.Start, 160)); w != "" {
			return "label " + w
		}
		if a := trimLeftSpace(sameLineAfter(text, m.End, 12)); hasPrefixAny(a, "生", "(生") {
			return "label 生"
		}
	case "phone":
		if w := phoneLabels.find(sameLineBefore(text, m.Start, 24)); w != "" {
			return "label " + w
		}
	case "postal_code":
		b := bytes.TrimRight(sameLineBefore(text, m.Start, 16), " :\t")
		b = bytes.TrimSuffix(b, []byte("："))
		if bytes.HasSuffix(bytes.TrimRight(b, " "), postalMark) {
			return "mark 〒"
		}
		if w := postalLabels.find(sameLineBefore(text, m.Start, 40)); w != "" {
			return "label " + w
		}
	case "my_number":
		if w := myNumberLabels.find(sameLineBefore(text, m.Start, 40)); w != "" {
			return "label " + w
		}
	case "age":
		if b := sameLineBefore(text, m.Start, 24); bytes.Contains(b, ageLabelJP) {
			return "label 年齢"
		} else if hasSuffixFoldAny(bytes.TrimRight(b, " :=\"'\t"), "age") {
			return "label age"
		}
		for _, s := range ageSuffixes {
			if bytes.HasPrefix(text[m.End:], []byte(s)) {
				return "suffix " + s
			}
		}
	case "name", "name_kana":
		if h := honorificAfter(text, m.End); h != "" {
			return "honorific " + h
		}
		if l := nameLabelBefore(text, m.Start); l != "" {
			return "label " + l
		}
	}
	return ""
}

// find returns the first label of l that occurs in w, as written in its
// word list, or "".
func (l *labels) find(w []byte) string {
	if len(w) == 0 {
		return ""
	}
	for _, s := range l.jp {
		if bytes.Contains(w, s) {
			return string(s)
		}
	}
	for i := 0; i < len(w); i++ {
		if !l.first[w[i]] || (i > 0 && isASCIILetter(w[i-1])) {
			continue
		}
		for _, s := range l.ascii {
			if w[i]|0x20 == s[0] && hasPrefixFold(w[i:], s) {
				return s
			}
		}
	}
	return ""
}

// honorificAfter returns the honorific right after a name (one space
// allowed): さん, ちゃん, くん, or a kanji honorific (様, 殿, 君, 氏).
func honorificAfter(text []byte, e int) string {
	if e < len(text) && text[e] == ' ' {
		e++
	}
	rest := text[e:]
	for _, h := range [...]string{"さん", "ちゃん", "くん"} {
		if bytes.HasPrefix(rest, []byte(h)) {
			return h
		}
	}
	for _, h := range nmKanjiHonorifics {
		if bytes.HasPrefix(rest, []byte(h.h)) {
			return h.h
		}
	}
	return ""
}

// nameLabelBefore returns the person label right before a name and its
// separator (氏名：, 宛名 , NAME:, フリガナ:), or "".
func nameLabelBefore(text []byte, s int) string {
	b := sameLineBefore(text, s, 48)
	t := bytes.TrimRight(b, " \t:")
	t = bytes.TrimSuffix(t, []byte("："))
	t = bytes.TrimRight(t, " \t")
	if len(t) == len(b) {
		return "" // no separator: the name is glued to the word before it
	}
	for _, l := range nameAuthorLabels {
		if bytes.HasSuffix(t, []byte(l)) {
			return ""
		}
	}
	for _, ls := range [2][]string{nameLabels, nameKanaLabels} {
		for _, l := range ls {
			if bytes.HasSuffix(t, []byte(l)) {
				return l
			}
		}
	}
	for _, l := range nameASCIILabels {
		if len(t) >= len(l) && hasPrefixFold(t[len(t)-len(l):], l) && (len(t) == len(l) || !isAlnum(t[len(t)-len(l)-1])) {
			return strings.ToUpper(l)
		}
	}
	return ""
}

// hasSuffixFoldAny reports whether w ends with one of the lower-case
// ASCII words, ignoring case, not inside a longer word.
func hasSuffixFoldAny(w []byte, words ...string) bool {
	for _, s := range words {
		if n := len(w) - len(s); n >= 0 && hasPrefixFold(w[n:], s) && (n == 0 || !isASCIILetter(w[n-1])) {
			return true
		}
	}
	return false
}
