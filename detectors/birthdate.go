package detectors

import (
	"bytes"
	"fmt"
	"slices"
)

// BirthDate finds dates of birth (category "birth_date").
//
// Japanese-era dates (和暦) count by themselves: 昭和45年3月2日, 平成2年3月4日,
// 令和元年5月1日, S45.3.2, H2/3/4, R1.5.1, S45年3月2日 — with the era year in
// range (明治1–45, 大正1–15, 昭和1–64, 平成1–31, 令和1–) and the date inside
// the era. Gregorian dates (1970年3月2日, 1970/03/02, 1970-03-02, 1970.3.2,
// 19700302) count only with a label — 生年月日, 誕生日, 生まれ, DOB, birth… —
// within the 40 bytes before or earlier on the same line, or 生/生まれ right
// after, because dates are everywhere in software. Impossible dates
// (2月30日) never match. Value is the ISO date (1970-03-02).
type BirthDate struct{}

var _ Detector = BirthDate{}

// ID implements Detector.
func (BirthDate) ID() string { return "jp-birthdate" }

// Category implements Detector.
func (BirthDate) Category() string { return "birth_date" }

// Confidence levels of birth-date matches.
const (
	birthConfLabel   = 0.9
	birthConfCompact = 0.8
	// An unlabelled 和暦 date is any date of a letter or a form (its
	// issue, a deadline): alone it stays below MinConfidence; a birth
	// label, a birth-date column or an age in the same record make it one.
	birthConfEra    = 0.45
	birthConfLetter = 0.4
	birthConfAge    = 0.7 // an unlabelled 和暦 date in a record with an age
	birthConfDummy  = 0.3
)

var birthLabels = wordLabels("birth_labels")

type era struct {
	name       string
	letter     byte
	y, m, d    int // first day
	maxYear    int
	nextStartY int // first day of the next era, as y*10000+m*100+d
}

var eras = []era{
	{"明治", 'M', 1868, 1, 1, 45, 19120730},
	{"大正", 'T', 1912, 7, 30, 15, 19261225},
	{"昭和", 'S', 1926, 12, 25, 64, 19890108},
	{"平成", 'H', 1989, 1, 8, 31, 20190501},
	{"令和", 'R', 2019, 5, 1, 99, 99999999},
}

var (
	kanjiYear  = []byte("年")
	kanjiMonth = []byte("月")
	kanjiDay   = []byte("日")
	gannen     = []byte("元年")
)

// Find implements Detector.
func (b BirthDate) Find(dst []Match, text []byte) []Match {
	n0 := len(dst)
	for i := 0; i < len(text); {
		s, e := nextDigitRun(text, i)
		if s < 0 {
			break
		}
		i = e
		var m Match
		ok := false
		switch e - s {
		case 1, 2:
			m, ok = b.era(text, s, e, atoi(text[s:e]))
		case 4:
			m, ok = b.western(text, s, e)
		case 8:
			m, ok = b.compact(text, s, e)
		}
		if ok {
			dst = append(dst, m)
			i = m.End
		}
	}
	// 令和元年…: the first year of an era written 元.
	found := false
	for i := 0; ; {
		j := bytes.Index(text[i:], gannen)
		if j < 0 {
			break
		}
		j += i
		i = j + len(gannen)
		if m, ok := b.era(text, j, j+len("元"), 1); ok {
			dst = append(dst, m)
			found = true
		}
	}
	if found {
		slices.SortFunc(dst[n0:], func(a, b Match) int { return a.Start - b.Start })
	}
	return dst
}

// skipSpace skips at most two ASCII spaces.
func skipSpace(text []byte, k int) int {
	for n := 0; n < 2 && k < len(text) && text[k] == ' '; n++ {
		k++
	}
	return k
}

// monthDay parses the month and day following a year that ends at k:
// "年M月D日" (kanji) or, for sep != 0, "<sep>M<sep>D". For sep == 0 the
// separator is read from the text.
func monthDay(text []byte, k int, kanjiOnly bool) (mo, d, end int, ok bool) {
	k = skipSpace(text, k)
	if bytes.HasPrefix(text[k:], kanjiYear) {
		k = skipSpace(text, k+len(kanjiYear))
		ms, me := k, digitRun(text, k)
		if me-ms < 1 || me-ms > 2 {
			return 0, 0, 0, false
		}
		k = skipSpace(text, me)
		if !bytes.HasPrefix(text[k:], kanjiMonth) {
			return 0, 0, 0, false
		}
		k = skipSpace(text, k+len(kanjiMonth))
		ds, de := k, digitRun(text, k)
		if de-ds < 1 || de-ds > 2 {
			return 0, 0, 0, false
		}
		k = skipSpace(text, de)
		if !bytes.HasPrefix(text[k:], kanjiDay) {
			return 0, 0, 0, false
		}
		return atoi(text[ms:me]), atoi(text[ds:de]), k + len(kanjiDay), true
	}
	if kanjiOnly || k >= len(text) {
		return 0, 0, 0, false
	}
	sep := text[k]
	if sep != '/' && sep != '-' && sep != '.' {
		return 0, 0, 0, false
	}
	ms, me := k+1, digitRun(text, k+1)
	if me-ms < 1 || me-ms > 2 || me >= len(text) || text[me] != sep {
		return 0, 0, 0, false
	}
	ds, de := me+1, digitRun(text, me+1)
	if de-ds < 1 || de-ds > 2 {
		return 0, 0, 0, false
	}
	// 1.2.3.4, 2024-01-15-2, 1970/3/2/… are something else.
	if de+1 < len(text) && isDigit(text[de+1]) && (text[de] == sep || text[de] == ':') {
		return 0, 0, 0, false
	}
	if de < len(text) && (isASCIILetter(text[de]) || text[de] == '_') {
		return 0, 0, 0, false
	}
	return atoi(text[ms:me]), atoi(text[ds:de]), de, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func validDate(y, m, d int) bool {
	return y >= 1868 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

// westernBounds rejects a year glued to letters, digits or a dotted or
// dashed prefix (v1.1970.3.2, 12-1970-03-02).
func westernBounds(text []byte, s int) bool {
	if s == 0 {
		return true
	}
	c := text[s-1]
	if isAlnum(c) || c == '_' {
		return false
	}
	if (c == '.' || c == '-' || c == '/') && s > 1 && isDigit(text[s-2]) {
		return false
	}
	return true
}

func (BirthDate) hasLabel(text []byte, s, end int) bool {
	// The same line up to 160 bytes back, or at least the 40 bytes before.
	w := sameLineBefore(text, s, 160)
	if len(w) < 40 {
		w = before(text, s, 40)
	}
	if birthLabels.in(w) {
		return true
	}
	a := trimLeftSpace(sameLineAfter(text, end, 12))
	return hasPrefixAny(a, "生", "うまれ") || bytes.HasPrefix(a, []byte("(生"))
}

func (b BirthDate) western(text []byte, s, e int) (Match, bool) {
	if !westernBounds(text, s) {
		return Match{}, false
	}
	y := atoi(text[s:e])
	mo, d, end, ok := monthDay(text, e, false)
	if !ok || !validDate(y, mo, d) || !b.hasLabel(text, s, end) {
		return Match{}, false
	}
	return birthMatch(s, end, y, mo, d, birthConfLabel), true
}

func (b BirthDate) compact(text []byte, s, e int) (Match, bool) {
	if !westernBounds(text, s) || (e < len(text) && (isAlnum(text[e]) || text[e] == '_')) {
		return Match{}, false
	}
	y, mo, d := atoi(text[s:s+4]), atoi(text[s+4:s+6]), atoi(text[s+6:e])
	if y < 1900 || !validDate(y, mo, d) || !b.hasLabel(text, s, e) {
		return Match{}, false
	}
	return birthMatch(s, e, y, mo, d, birthConfCompact), true
}

// era parses an era date whose year (ey) is written at text[s:e] ("45" or
// "元").
func (b BirthDate) era(text []byte, s, e, ey int) (Match, bool) {
	var er *era
	start := 0
	letter := false
	if s == 0 {
		return Match{}, false
	}
	// Quick reject: an era name ends in 治 正 和 成 (last UTF-8 bytes BB A3
	// 8C 90), possibly followed by a space, or the era is one letter.
	switch c := text[s-1]; {
	case c == ' ' && s > 1:
		c = text[s-2]
		if c != 0xBB && c != 0xA3 && c != 0x8C && c != 0x90 {
			return Match{}, false
		}
	case c == 0xBB, c == 0xA3, c == 0x8C, c == 0x90:
	case c == 'M', c == 'T', c == 'S', c == 'H', c == 'R':
	default:
		return Match{}, false
	}
	if !isDigit(text[s-1]) {
		p := s
		if text[p-1] == ' ' {
			p--
		}
		for k := range eras {
			if hasSuffixAny(text[:p], eras[k].name) {
				er, start = &eras[k], p-len(eras[k].name)
				break
			}
		}
		if er == nil && isASCIILetter(text[s-1]) && (s < 2 || !(isAlnum(text[s-2]) || text[s-2] == '_' || text[s-2] == '.' || text[s-2] == '-')) {
			for k := range eras {
				if text[s-1] == eras[k].letter {
					er, start, letter = &eras[k], s-1, true
					break
				}
			}
		}
	}
	if er == nil || ey < 1 || ey > er.maxYear {
		return Match{}, false
	}
	mo, d, end, ok := monthDay(text, e, false)
	if !ok {
		return Match{}, false
	}
	y := er.y + ey - 1
	key := y*10000 + mo*100 + d
	if !validDate(y, mo, d) || key < er.y*10000+er.m*100+er.d || key >= er.nextStartY {
		return Match{}, false
	}
	conf := birthConfEra
	if letter {
		conf = birthConfLetter
	}
	if b.hasLabel(text, start, end) {
		conf = birthConfLabel
	}
	return birthMatch(start, end, y, mo, d, conf), true
}

func birthMatch(s, e, y, mo, d int, conf float64) Match {
	v := fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
	m := Match{Detector: "jp-birthdate", Category: "birth_date", Value: v, Start: s, End: e, Confidence: conf}
	if dummies().birthDate[v] {
		m.Dummy, m.Confidence = true, birthConfDummy
	}
	return m
}
