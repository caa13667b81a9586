// Package textdec detects the character encoding of files (UTF-8, UTF-16,
// Shift_JIS/CP932, EUC-JP, ISO-2022-JP or binary), decodes them to UTF-8 as
// a stream, normalises decoded text for the detectors without moving line
// numbers, and extracts printable strings from binary files.
package textdec

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// Encoding names a text encoding as it appears in reports.
type Encoding string

// The encodings Detect can report.
const (
	// UTF8 is UTF-8, with or without a byte order mark (a BOM is stripped).
	UTF8 Encoding = "utf-8"
	// UTF16LE is little-endian UTF-16.
	UTF16LE Encoding = "utf-16le"
	// UTF16BE is big-endian UTF-16.
	UTF16BE Encoding = "utf-16be"
	// ShiftJIS is Shift_JIS as Windows writes it (CP932, Windows-31J).
	ShiftJIS Encoding = "shift_jis"
	// EUCJP is EUC-JP.
	EUCJP Encoding = "euc-jp"
	// ISO2022JP is the 7-bit ISO-2022-JP (JIS) encoding.
	ISO2022JP Encoding = "iso-2022-jp"
	// Binary means the data is not text in any supported encoding.
	Binary Encoding = "binary"
)

// SampleSize is the sample length Detect is designed for: callers pass up to
// the first SampleSize bytes of a file.
const SampleSize = 64 << 10

// statMinBytes is the sample size from which the statistical tie-breaker
// (hiragana and common-kanji frequency) is trusted.
const statMinBytes = 200

// Detect guesses the encoding of sample, the first bytes (up to SampleSize)
// of a file. atEOF reports whether sample holds the whole file; when it is
// false a multi-byte character cut at the end of sample is tolerated.
//
// Decoders never fail, so the candidates are ranked by strictness: byte
// order marks, ISO-2022-JP escapes in 7-bit data, UTF-16 by the position of
// NUL bytes, valid UTF-8, and finally a trial decode of the remaining
// candidates (CP932, EUC-JP, UTF-16 without NULs, lossy UTF-8) counting
// invalid and implausible characters. Data that decodes badly in every
// encoding, or holds NUL bytes without being UTF-16, is Binary. Mostly clean
// text with some corruption or mixed encodings is reported as its most
// likely encoding.
func Detect(sample []byte, atEOF bool) Encoding {
	if len(sample) > SampleSize {
		sample = sample[:SampleSize]
		atEOF = false
	}
	n := len(sample)
	if n == 0 {
		return UTF8
	}
	switch {
	case bytes.HasPrefix(sample, []byte{0xEF, 0xBB, 0xBF}):
		return UTF8
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}):
		return UTF16LE
	case bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		return UTF16BE
	}

	var nul, nulEven, high, ctrl, esc int
	for i, b := range sample {
		switch {
		case b >= 0x80:
			high++
		case b == 0:
			nul++
			if i&1 == 0 {
				nulEven++
			}
		case b == 0x1B:
			esc++
		case b < 0x20 && !isSpaceCtrl(b), b == 0x7F:
			ctrl++
		}
	}

	if nul > 0 {
		// UTF-16 text with ASCII in it has NULs in every other byte.
		if enc, ok := detectUTF16(sample, atEOF, nul, nulEven); ok {
			return enc
		}
		// A stray NUL or two in a large text file is corruption, not a
		// binary format; anything more is binary.
		if nul*1000 > n || nul > 16 {
			return Binary
		}
		ctrl += nul
	}

	if high == 0 && esc > 0 && hasISO2022Escape(sample) {
		return ISO2022JP
	}
	if ctrl*10 <= n && validUTF8(sample, atEOF) {
		return UTF8
	}
	return detectLegacy(sample, atEOF)
}

func isSpaceCtrl(b byte) bool {
	return b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

// hasISO2022Escape reports whether s holds an ISO-2022-JP designation
// sequence (ESC $ @, ESC $ B, ESC ( B, ESC ( J, ESC ( I).
func hasISO2022Escape(s []byte) bool {
	for {
		i := bytes.IndexByte(s, 0x1B)
		if i < 0 || i+2 >= len(s) {
			return false
		}
		a, b := s[i+1], s[i+2]
		if (a == '$' && (b == '@' || b == 'B')) || (a == '(' && (b == 'B' || b == 'J' || b == 'I')) {
			return true
		}
		s = s[i+1:]
	}
}

// validUTF8 reports whether s is valid UTF-8, allowing a truncated final
// character when !atEOF.
func validUTF8(s []byte, atEOF bool) bool {
	if utf8.Valid(s) {
		return true
	}
	if atEOF {
		return false
	}
	// Trim an incomplete trailing sequence (at most 3 bytes).
	for k := 1; k <= 3 && k <= len(s); k++ {
		b := s[len(s)-k]
		if b < 0x80 {
			return false
		}
		if b >= 0xC0 { // a lead byte: is the tail a proper prefix of a sequence?
			if utf8.FullRune(s[len(s)-k:]) {
				return false
			}
			return utf8.Valid(s[:len(s)-k])
		}
	}
	return false
}

// detectUTF16 decides between UTF-16LE and UTF-16BE for a sample with NULs.
func detectUTF16(s []byte, atEOF bool, nul, nulEven int) (Encoding, bool) {
	nulOdd := nul - nulEven
	le, be := scoreUTF16(s, true, atEOF), scoreUTF16(s, false, atEOF)
	enc, st := UTF16LE, le
	// ASCII in UTF-16LE puts NULs at odd offsets; the byte order with the
	// fewer implausible code units wins, the NUL positions break ties.
	if pb, pl := be.penalty(), le.penalty(); pb < pl || (pb == pl && nulEven > nulOdd) {
		enc, st = UTF16BE, be
	}
	if st.chars == 0 {
		return "", false
	}
	// Mostly plausible code units: at most one in ten is implausible.
	if (st.bad+st.rare)*10 <= st.chars {
		return enc, true
	}
	return "", false
}

// stats counts the character classes of a trial decode.
type stats struct {
	chars  int // characters (code points) decoded
	bad    int // invalid sequences, controls, private use
	rare   int // valid but unlikely in Japanese text
	weak   int // level-2 kanji: valid, less likely
	half   int // half-width katakana: valid, common in old records
	hira   int
	kata   int
	common int // common kanji
}

// penalty weighs the implausible characters of a decode.
func (s stats) penalty() int { return 20*s.bad + 4*s.rare + 2*s.weak + s.half }

// score is the statistical likelihood of Japanese text.
func (s stats) score() int { return 2*s.hira + s.kata + 2*s.common }

func (s *stats) add(r rune) {
	s.chars++
	switch {
	case r < 0x80:
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' && r != '\v' && r != 0x1B || r == 0x7F {
			s.bad++
		}
	case r == utf8.RuneError:
		s.bad++
	case r < 0xA0:
		s.bad++
	case r <= 0xFF:
		s.rare++
	case r >= 0x3041 && r <= 0x309F:
		s.hira++
	case r >= 0x30A0 && r <= 0x30FF:
		s.kata++
	case r >= 0x3000 && r <= 0x303F:
	case r >= 0x4E00 && r <= 0x9FFF:
		if isCommonKanji(r) {
			s.common++
		} else if !isLevel1Kanji(r) {
			s.weak++
		}
	case r >= 0xFF01 && r <= 0xFF5E:
	case r >= 0xFF61 && r <= 0xFF9F:
		s.half++
	case r >= 0xE000 && r <= 0xF8FF, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		s.bad++
	default:
		s.rare++
	}
}

// scoreUTF16 classifies the code units of s read as UTF-16.
func scoreUTF16(s []byte, le, atEOF bool) stats {
	var st stats
	for i := 0; i+1 < len(s); i += 2 {
		var u rune
		if le {
			u = rune(s[i]) | rune(s[i+1])<<8
		} else {
			u = rune(s[i])<<8 | rune(s[i+1])
		}
		if u >= 0xD800 && u <= 0xDBFF { // high surrogate
			if i+3 < len(s) {
				var v rune
				if le {
					v = rune(s[i+2]) | rune(s[i+3])<<8
				} else {
					v = rune(s[i+2])<<8 | rune(s[i+3])
				}
				if v >= 0xDC00 && v <= 0xDFFF {
					st.chars++
					st.rare++
					i += 2
					continue
				}
			} else if !atEOF {
				break
			}
		}
		if u == 0 {
			st.chars++
			st.bad++
			continue
		}
		st.add(u)
	}
	if atEOF && len(s)%2 == 1 {
		st.chars++
		st.bad++
	}
	return st
}

// scoreDecoder trial-decodes s with t and classifies the result.
func scoreDecoder(t transform.Transformer, s []byte, atEOF bool, buf []byte) stats {
	var st stats
	for len(s) > 0 {
		nDst, nSrc, err := t.Transform(buf, s, atEOF)
		for d := buf[:nDst]; len(d) > 0; {
			r, size := utf8.DecodeRune(d)
			st.add(r)
			d = d[size:]
		}
		s = s[nSrc:]
		if err != transform.ErrShortDst {
			break
		}
	}
	return st
}

// scoreUTF8 classifies s read as (possibly invalid) UTF-8.
func scoreUTF8(s []byte, atEOF bool) stats {
	var st stats
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		if r == utf8.RuneError && size == 1 && !atEOF && !utf8.FullRune(s) {
			break
		}
		st.add(r)
		s = s[size:]
	}
	return st
}

// detectLegacy ranks the non-UTF-8 candidates of a sample that is not
// valid UTF-8.
func detectLegacy(s []byte, atEOF bool) Encoding {
	buf := make([]byte, 16<<10)
	type cand struct {
		enc Encoding
		st  stats
	}
	// Order matters: earlier candidates win ties.
	cands := []cand{
		{ShiftJIS, scoreDecoder(japanese.ShiftJIS.NewDecoder(), s, atEOF, buf)},
		{EUCJP, scoreDecoder(japanese.EUCJP.NewDecoder(), s, atEOF, buf)},
		{UTF8, scoreUTF8(s, atEOF)},
		{UTF16LE, scoreUTF16(s, true, atEOF)},
		{UTF16BE, scoreUTF16(s, false, atEOF)},
	}
	// UTF-16 without NULs has no ASCII at all; accept it only when nearly
	// every code unit is plausible, as random pairs of bytes often are CJK.
	for i := 3; i < 5; i++ {
		if c := &cands[i]; (c.st.bad+c.st.rare)*10 > c.st.chars {
			c.st.bad += c.st.chars // disqualify
		}
	}
	best := 0
	for i := 1; i < len(cands); i++ {
		a, b := cands[i].st, cands[best].st
		pa, pb := a.penalty(), b.penalty()
		switch {
		case pa < pb:
			best = i
		case pa == pb && len(s) >= statMinBytes && a.score() > b.score():
			best = i
		}
	}
	st := cands[best].st
	// Mostly invalid in every encoding: binary.
	if st.chars == 0 || st.bad*4 > st.chars {
		return Binary
	}
	return cands[best].enc
}
