package textdec

import (
	"encoding/binary"
	"unicode/utf8"
)

// Normalize appends to dst a copy of the UTF-8 text src normalised for the
// detectors, and returns the extended slice:
//
//   - full-width ASCII (U+FF01..U+FF5E: ０-９, Ａ-Ｚ, ａ-ｚ, ＠, ．, （, ）, …) becomes
//     ASCII and the ideographic space U+3000 becomes ' ';
//   - hyphen and dash forms (U+2010..U+2015, U+2212, U+FE63, U+FF0D) become
//     '-'; the katakana long vowel marks ー (U+30FC) and ｰ (U+FF70) become '-'
//     only between a digit and a digit, '(' or ')' (as in ０５６４ー２３), since
//     elsewhere they belong to words such as タロー;
//   - half-width katakana (U+FF61..U+FF9F) become full-width, with the voiced
//     sound marks ﾞ and ﾟ composed onto the preceding kana (ﾀﾞ → ダ).
//
// Everything else, '〒' and '\r' included, is copied unchanged; invalid UTF-8
// becomes U+FFFD. No '\n' is added or removed, so every line keeps its
// number. ASCII runs are copied in bulk.
func Normalize(dst, src []byte) []byte {
	start := len(dst)
	n := len(src)
	p := 0 // src[p:i] is pending unchanged output
	i := 0
	for i < n {
		for i+8 <= n && binary.LittleEndian.Uint64(src[i:])&0x8080808080808080 == 0 {
			i += 8
		}
		for i < n && src[i] < utf8.RuneSelf {
			i++
		}
		if i >= n {
			break
		}
		b := src[i]
		var r rune
		var size int
		if b >= 0xE1 && b != 0xED && b <= 0xEF && i+2 < n && src[i+1]&0xC0 == 0x80 && src[i+2]&0xC0 == 0x80 {
			// Fast path: a valid 3-byte sequence, as kana and kanji are.
			if b != 0xE2 && b != 0xE3 && b != 0xEF {
				i += 3
				continue
			}
			r, size = rune(b&0x0F)<<12|rune(src[i+1]&0x3F)<<6|rune(src[i+2]&0x3F), 3
		} else {
			r, size = utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, src[p:i]...)
				dst = append(dst, "\uFFFD"...)
				i++
				p = i
				continue
			}
			if b != 0xE2 && b != 0xE3 && b != 0xEF {
				i += size
				continue
			}
		}
		switch {
		case r >= 0x2010 && r <= 0x2015, r == 0x2212, r == 0xFE63, r == 0xFF0D:
			dst = append(dst, src[p:i]...)
			dst = append(dst, '-')
		case r == 0x3000:
			dst = append(dst, src[p:i]...)
			dst = append(dst, ' ')
		case r >= 0xFF01 && r <= 0xFF5E:
			dst = append(dst, src[p:i]...)
			dst = append(dst, byte(r-0xFF01+'!'))
		case r == 0x30FC || r == 0xFF70:
			dst = append(dst, src[p:i]...)
			var prev byte
			if len(dst) > start {
				prev = dst[len(dst)-1]
			}
			next := peekASCII(src[i+size:])
			if (isDigit(prev) && (isDigit(next) || isParen(next))) || (isParen(prev) && isDigit(next)) {
				dst = append(dst, '-')
			} else {
				dst = append(dst, "ー"...)
			}
		case r >= 0xFF61 && r <= 0xFF9F:
			dst = append(dst, src[p:i]...)
			dst = appendHalfWidthKana(dst, start, r)
		default:
			i += size
			continue
		}
		i += size
		p = i
	}
	return append(dst, src[p:]...)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
func isParen(b byte) bool { return b == '(' || b == ')' }

// peekASCII returns the ASCII form of the first character of s if it is an
// ASCII or full-width ASCII character, else 0.
func peekASCII(s []byte) byte {
	if len(s) == 0 {
		return 0
	}
	if s[0] < utf8.RuneSelf {
		return s[0]
	}
	if len(s) >= 3 && s[0] == 0xEF {
		r, _ := utf8.DecodeRune(s)
		if r >= 0xFF01 && r <= 0xFF5E {
			return byte(r - 0xFF01 + '!')
		}
	}
	return 0
}

// halfWidthKana maps U+FF61..U+FF9F to their full-width forms.
var halfWidthKana = [...]rune{
	0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2, 0x30A1, 0x30A3, // ｡｢｣､･ｦｧｨ
	0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3, 0x30FC, // ｩｪｫｬｭｮｯｰ
	0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF, // ｱｲｳｴｵｶｷｸ
	0x30B1, 0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, // ｹｺｻｼｽｾｿﾀ
	0x30C1, 0x30C4, 0x30C6, 0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD, // ﾁﾂﾃﾄﾅﾆﾇﾈ
	0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8, 0x30DB, 0x30DE, 0x30DF, // ﾉﾊﾋﾌﾍﾎﾏﾐ
	0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9, 0x30EA, // ﾑﾒﾓﾔﾕﾖﾗﾘ
	0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3, 0x309B, 0x309C, // ﾙﾚﾛﾜﾝﾞﾟ
}

// appendHalfWidthKana appends the full-width form of the half-width
// katakana r, composing ﾞ and ﾟ with a preceding kana written since start.
func appendHalfWidthKana(dst []byte, start int, r rune) []byte {
	if (r == 0xFF9E || r == 0xFF9F) && len(dst)-start >= 3 {
		last, size := utf8.DecodeLastRune(dst)
		if size == 3 {
			if c := composeVoiced(last, r == 0xFF9F); c != 0 {
				return utf8.AppendRune(dst[:len(dst)-3], c)
			}
		}
	}
	return utf8.AppendRune(dst, halfWidthKana[r-0xFF61])
}

// composeVoiced returns katakana base with the voiced (゛) or, if semi,
// semi-voiced (゜) sound mark, or 0 if there is no such character.
func composeVoiced(base rune, semi bool) rune {
	switch {
	case base >= 0x30CF && base <= 0x30DB && (base-0x30CF)%3 == 0: // ハヒフヘホ
		if semi {
			return base + 2
		}
		return base + 1
	case semi:
		return 0
	case base >= 0x30AB && base <= 0x30C2 && (base-0x30AB)%2 == 0: // カ..チ
		return base + 1
	case base == 0x30C4 || base == 0x30C6 || base == 0x30C8: // ツテト
		return base + 1
	case base == 0x30A6: // ウ
		return 0x30F4
	case base == 0x30EF || base == 0x30F2: // ワ ヲ
		return base + 8
	}
	return 0
}
