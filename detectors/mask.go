package detectors

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rouei/rouei/patterns"
)

// Mask returns evidence for a match of category that keeps only its shape,
// as the contract's Masking section requires. It never returns value
// itself when value has four or more bytes.
//
//	phone        090-1234-5678 → 090-****-**78  (first group, at most 4
//	             digits, and the last 2 digits kept; separators kept)
//	email        taro@example.jp → t***@example.jp
//	postal_code  444-8601 → 4**-**01  (first digit and last 2)
//	my_number    1234 5678 9018 → **** **** ***8  (only the check digit)
//	birth_date   1970-03-02 → 19**-**-**  (the century only)
//	age          45 → 4*
//	name, name_kana  山田 太郎 → 山＊ ＊＊  (first character kept)
//	address      愛知県岡崎市十王町2-9 → 愛知県岡崎市…  (prefecture and city)
//	otherwise    first and last character kept, '*' between
func Mask(category, value string) string {
	var out string
	switch category {
	case "phone":
		out = maskPhone(value)
	case "email":
		out = maskEmail(value)
	case "postal_code":
		out = maskDigits(value, 1, 2)
	case "my_number":
		out = maskDigits(value, 0, 1)
	case "birth_date":
		out = maskDigits(value, 2, 0)
	case "age":
		out = maskDigits(value, 1, 0)
	case "name", "name_kana":
		out = maskName(value)
	case "address":
		out = maskAddress(value)
	default:
		out = maskDefault(value)
	}
	if out == value || !hasMaskMark(out) {
		out = maskDefault(value)
	}
	if out == value { // value made of mask marks only
		if value == "***" {
			return "****"
		}
		return "***"
	}
	return out
}

func hasMaskMark(s string) bool {
	return strings.ContainsAny(s, "*＊…")
}

// maskDigits keeps the first head and last tail digits of s and replaces
// the other digits with '*'; everything else is kept. When s has too few
// digits for that to hide any, only its first digit is kept (none when it
// has just one).
func maskDigits(s string, head, tail int) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	if n <= head+tail {
		// Too short to keep anything: hide every digit but the first.
		head, tail = min(head, 1), 0
		if n <= 1 {
			head = 0
		}
	}
	b := []byte(s)
	k := 0
	for i, c := range b {
		if !isDigit(c) {
			continue
		}
		if k >= head && k < n-tail {
			b[i] = '*'
		}
		k++
	}
	return string(b)
}

func maskPhone(s string) string {
	head := 3
	if i := strings.IndexAny(s, "-( )"); i > 0 {
		head = min(i, 4)
		if s[0] == '+' {
			head = 3
		}
	}
	return maskDigits(s, head, 2)
}

func maskEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at < 1 {
		return maskDefault(s)
	}
	_, n := utf8.DecodeRuneInString(s)
	return s[:n] + "***" + s[at:]
}

// maskName keeps the first character and replaces every other non-space
// character with a full-width asterisk.
func maskName(s string) string {
	var b strings.Builder
	first := true
	for _, r := range s {
		switch {
		case r == ' ' || r == '　' || r == '\t':
			b.WriteRune(r)
		case first:
			b.WriteRune(r)
			first = false
		default:
			b.WriteRune('＊')
		}
	}
	return b.String()
}

var prefectureList = sync.OnceValue(patterns.Prefectures)

// maskAddress keeps the prefecture and the city (or ward, town, village)
// and replaces the rest with '…'.
func maskAddress(s string) string {
	rest := s
	keep := 0
	for _, p := range prefectureList() {
		if strings.HasPrefix(s, p) {
			keep = len(p)
			rest = s[keep:]
			break
		}
	}
	// The municipality: up to the first 市/区/町/村 (after a 郡, its town or
	// village), within the first 8 characters.
	runes := 0
	for i, r := range rest {
		if runes >= 8 {
			break
		}
		runes++
		if r == '市' || r == '区' || r == '町' || r == '村' {
			keep += i + utf8.RuneLen(r)
			break
		}
	}
	if keep == 0 {
		return maskName(s)
	}
	return s[:keep] + "…"
}

// maskDefault keeps the first and last character of s and masks the rest;
// values of one or two characters keep only the first.
func maskDefault(s string) string {
	n := utf8.RuneCountInString(s)
	var b strings.Builder
	k := 0
	for _, r := range s {
		switch {
		case k == 0 && n > 1, k == n-1 && n > 2:
			b.WriteRune(r)
		case r < utf8.RuneSelf:
			b.WriteByte('*')
		default:
			b.WriteRune('＊')
		}
		k++
	}
	return b.String()
}
