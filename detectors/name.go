package detectors

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rouei/rouei/patterns"
)

// NameDetector finds Japanese personal names: kanji names (category
// "name", detector "jp-name") and their katakana readings (category
// "name_kana", detector "jp-name-kana").
//
// A bare surname list matched against prose hits every few lines (所, 本,
// 中 are surnames too), so a name needs context:
//
//   - an honorific after it (様, 殿, さん, 君, くん, ちゃん, 氏): 0.9, also for
//     surnames the dictionary does not know when the shape is right (2–6
//     kanji, at most one space between surname and given name);
//   - a label before it on the same line (氏名, 名前, 利用者名, 宛名, 申込者,
//     借受人, 予約者 … then ':', '：', space or tab): 0.9. When only white
//     space follows the label, a name the dictionary does not know must end
//     its line (a header row "名前<TAB>容量<TAB>…" is not a name);
//   - a dictionary surname followed by a dictionary given name: 0.7 with a
//     space between them, 0.55 without ("佐藤花子"). A surname alone is
//     never reported from free text.
//
// Katakana readings are matched on their own terms, since a dictionary
// tokenizer misreads them: two katakana words separated by a space whose
// first is a known surname reading and second a known given-name reading
// (0.8, 0.9 with an honorific), or any katakana name after a reading label
// (フリガナ, カナ氏名, ヨミ: 0.9). Loanwords (データ ベース) do not match.
//
// Names in an author attribution (著者: 夏目漱石, 夏目漱石 著, 訳/編/監修/作)
// are public and are not reported at all (no match), unless an honorific
// or a person label marks them. Organisation words (株式会社, 図書館,
// 市役所), places (岡崎市, 愛知県), role nouns before an honorific (お客様,
// 皆様, 利用者様, ご担当者様) and template placeholders ({{.Name}} 様) do not
// match. Matches whose value is a recognisable dummy (山田太郎, ヤマダ タロウ,
// テスト花子, see patterns/dummy_names.txt) have Dummy set.
//
// Match.Value is the name as written, with a single ASCII space between
// surname and given name when the text had a space there.
type NameDetector struct{}

var _ Detector = NameDetector{}

// Detector IDs and categories of NameDetector's matches.
const (
	nameID         = "jp-name"
	nameKanaID     = "jp-name-kana"
	nameCategory   = "name"
	nameKanaCatego = "name_kana"
)

// Confidences of the name matches.
const (
	nameConfContext     = 0.9  // honorific or label
	nameConfDictSpace   = 0.7  // dictionary surname + space + given name
	nameConfDictJoined  = 0.55 // dictionary surname + given name, no space
	nameConfKanaPair    = 0.8  // surname reading + space + given-name reading
	nameConfLikeDict    = 0.9  // NameLikeness: dictionary-confirmed
	nameConfLikeShape   = 0.8  // NameLikeness: right shape only
	nameConfLikeReading = 0.8  // NameLikeness: katakana/hiragana reading
)

// ID implements Detector.
func (NameDetector) ID() string { return nameID }

// Category implements Detector; the katakana matches carry "name_kana".
func (NameDetector) Category() string { return nameCategory }

// nameData is the read-only lookup data of the name detector, built once.
type nameData struct {
	sur, giv, surR, givR *patterns.WordSet
	dummy                map[string]bool // dummy names without spaces
	dummyForms           [][]byte        // dummy names as they may be written (with and without the space)
	surFirst, givLast    []uint64        // bitsets of runes that start a surname / end a given name
	prefectures          map[string]struct{}
	stop                 map[string]struct{} // nameStopWords
}

const nameRuneLimit = 0x32000 // bitset range: BMP and the CJK extension planes

var nameDataOnce = sync.OnceValue(func() *nameData {
	d := &nameData{
		sur:         patterns.Surnames(),
		giv:         patterns.GivenNames(),
		surR:        patterns.SurnameReadings(),
		givR:        patterns.GivenNameReadings(),
		dummy:       map[string]bool{},
		surFirst:    make([]uint64, nameRuneLimit/64),
		givLast:     make([]uint64, nameRuneLimit/64),
		prefectures: map[string]struct{}{},
		stop:        map[string]struct{}{},
	}
	for _, p := range patterns.Prefectures() {
		d.prefectures[p] = struct{}{}
	}
	for _, w := range nameStopWords {
		d.stop[w] = struct{}{}
	}
	for _, n := range patterns.DummyNames() {
		joined := strings.ReplaceAll(n, " ", "")
		d.dummy[joined] = true
		d.dummyForms = append(d.dummyForms, []byte(n))
		if joined != n {
			d.dummyForms = append(d.dummyForms, []byte(joined))
		}
	}
	// Longest first, so that 名無しの権兵衛 wins over 名無し.
	for i := 1; i < len(d.dummyForms); i++ {
		for j := i; j > 0 && len(d.dummyForms[j]) > len(d.dummyForms[j-1]); j-- {
			d.dummyForms[j], d.dummyForms[j-1] = d.dummyForms[j-1], d.dummyForms[j]
		}
	}
	for _, w := range d.sur.Words() {
		r, _ := utf8.DecodeRuneInString(w)
		nameBitSet(d.surFirst, r)
	}
	for _, w := range d.giv.Words() {
		r, _ := utf8.DecodeLastRuneInString(w)
		nameBitSet(d.givLast, r)
	}
	return d
})

func nameBitSet(bs []uint64, r rune) {
	if r >= 0 && r < nameRuneLimit {
		bs[r>>6] |= 1 << (uint(r) & 63)
	}
}

func nameBitHas(bs []uint64, r rune) bool {
	return r >= 0 && r < nameRuneLimit && bs[r>>6]&(1<<(uint(r)&63)) != 0
}

// isNameKanji reports whether r is a CJK ideograph (not 々, which cannot
// start a word).
func isNameKanji(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0x20000 && r <= 0x3134F)
}

func nmIsKatakana(r rune) bool {
	return (r >= 0x30A1 && r <= 0x30FA) || r == 'ー' || r == 'ヽ' || r == 'ヾ'
}

func nmIsHiragana(r rune) bool { return r >= 0x3041 && r <= 0x309F }

// nmRuneAt decodes the rune at i (utf8.RuneError, 0 past the end).
func nmRuneAt(text []byte, i int) (rune, int) {
	if i >= len(text) {
		return utf8.RuneError, 0
	}
	c := text[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	// Fast path for the three-byte sequences of kana and kanji.
	if c&0xF0 == 0xE0 && i+2 < len(text) {
		c1, c2 := text[i+1], text[i+2]
		if c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			r := rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F)
			if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
				return r, 3
			}
		}
	}
	return utf8.DecodeRune(text[i:])
}

// nmRuneBefore decodes the rune that ends at i.
func nmRuneBefore(text []byte, i int) (rune, int) {
	if i <= 0 {
		return utf8.RuneError, 0
	}
	if c := text[i-1]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	if i >= 3 && text[i-3]&0xF0 == 0xE0 {
		if r, sz := nmRuneAt(text, i-3); sz == 3 {
			return r, 3
		}
	}
	return utf8.DecodeLastRune(text[:i])
}

func nmKanjiAt(text []byte, i int) bool {
	r, _ := nmRuneAt(text, i)
	return isNameKanji(r)
}

func nmKatakanaAt(text []byte, i int) bool {
	r, _ := nmRuneAt(text, i)
	return nmIsKatakana(r)
}

// nmKanjiRunEnd returns the end of the run of kanji starting at i (which
// must be a kanji) and the number of runes in it. 々 and the connectors
// ヶ, ケ and ノ (霞ヶ関, 一ノ瀬) belong to the run when a kanji comes next
// (々: when a kanji came before).
func nmKanjiRunEnd(text []byte, i int) (int, int) {
	n := 0
	for i < len(text) {
		r, sz := nmRuneAt(text, i)
		switch {
		case isNameKanji(r), r == '々' && n > 0:
		case (r == 'ヶ' || r == 'ケ' || r == 'ノ') && n > 0 && nmKanjiAt(text, i+sz):
		default:
			return i, n
		}
		i += sz
		n++
	}
	return i, n
}

// nmKatakanaRunEnd returns the end of the katakana run starting at i and the
// number of runes in it.
func nmKatakanaRunEnd(text []byte, i int) (int, int) {
	n := 0
	for i < len(text) {
		r, sz := nmRuneAt(text, i)
		if !nmIsKatakana(r) {
			break
		}
		i += sz
		n++
	}
	return i, n
}

// Find implements Detector.
func (NameDetector) Find(dst []Match, text []byte) []Match {
	d := nameDataOnce()
	i := 0
	for i < len(text) {
		// Kanji, kana and the CJK extensions all start with a lead byte
		// of 0xE3 or more; everything below is skipped byte by byte.
		if text[i] < 0xE3 {
			i++
			continue
		}
		r, sz := nmRuneAt(text, i)
		switch {
		case isNameKanji(r):
			dst, i = d.kanjiRun(dst, text, i)
		case nmIsKatakana(r):
			dst, i = d.kanaRun(dst, text, i)
		default:
			i += sz
		}
	}
	return dst
}

// ---- kanji names ----------------------------------------------------------

// nameCand is a kanji name candidate: one part [s1,e1) or two parts
// separated by one space ([s1,e1) ' ' [s2,e2)).
type nameCand struct {
	s1, e1, s2, e2 int
	n1, n2         int // runes per part
}

func (c nameCand) start() int { return c.s1 }

func (c nameCand) end() int {
	if c.s2 >= 0 {
		return c.e2
	}
	return c.e1
}

func (c nameCand) runes() int { return c.n1 + c.n2 }

func (c nameCand) value(text []byte) string {
	if c.s2 < 0 {
		return string(text[c.s1:c.e1])
	}
	return string(text[c.s1:c.e1]) + " " + string(text[c.s2:c.e2])
}

func nmOneCand(s, e, n int) nameCand { return nameCand{s1: s, e1: e, s2: -1, e2: -1, n1: n} }

// kanjiRun handles the kanji run starting at s and returns where to go on.
func (d *nameData) kanjiRun(dst []Match, text []byte, s int) ([]Match, int) {
	e1, n1 := nmKanjiRunEnd(text, s)

	// A Latin label before the run: NAME：…, Full name: …
	if nmASCIILabelBefore(text, s) {
		if m, end, ok := d.labelValue(text, s, false, true); ok {
			return append(dst, m), end
		}
	}

	// A label ending the run: 氏名：…, 利用者名 …
	if p, kana, strong, ok := nmLabelAfterKanji(text, s, e1); ok {
		if m, end, ok := d.labelValue(text, p, kana, strong); ok {
			return append(dst, m), end
		}
		return dst, e1
	}

	// An honorific inside the run: 山田様, 山田太郎殿, 鈴木氏, 佐藤様方.
	if hs, hw := nmKanjiHonorificSuffix(text, s, e1); hs >= 0 {
		if hs > s {
			if m, ok := d.honorific(text, nmOneCand(s, hs, utf8.RuneCount(text[s:hs])), hw); ok {
				return append(dst, m), e1
			}
		}
		return dst, e1
	}

	// A second run after one space: 山田 太郎, 山田 様, 山田 太郎様.
	if e1+1 < len(text) && text[e1] == ' ' && nmKanjiAt(text, e1+1) {
		s2 := e1 + 1
		e2, n2 := nmKanjiRunEnd(text, s2)
		hs, hw := nmKanjiHonorificSuffix(text, s2, e2)
		if hs > s2 && !d.sur.HasBytes(text[s:e1]) {
			// "拝啓 高橋恵子様": the second run is a whole name by itself.
			if _, ok := d.split(text[s2:hs], 1, 1); ok {
				return dst, e1
			}
		}
		switch {
		case hs == s2: // "山田 様": apart, the honorific makes no word with the name's last character (健一 様 is no 一様)
			if m, ok := d.honorific(text, nmOneCand(s, e1, n1), -1); ok {
				return append(dst, m), e2
			}
			return dst, e2
		case hs > s2: // "山田 太郎様"
			c := nameCand{s1: s, e1: e1, s2: s2, e2: hs, n1: n1, n2: utf8.RuneCount(text[s2:hs])}
			if m, ok := d.honorific(text, c, hw); ok {
				return append(dst, m), e2
			}
			return dst, e1
		}
		c := nameCand{s1: s, e1: e1, s2: s2, e2: e2, n1: n1, n2: n2}
		if hl := nmKanaHonorificAt(text, e2); hl > 0 { // "山田 太郎さん", "山田 太郎 様"
			if m, ok := d.honorific(text, c, -1); ok {
				return append(dst, m), e2 + hl
			}
			return dst, e1
		}
		if m, ok := d.dictPair(text, c); ok {
			return append(dst, m), e2
		}
	}

	// A given name in hiragana after one space, or glued to a surname the
	// dictionary knows, then an honorific: 楠畑 さくら 様, 藤田さくら 様,
	// 佐藤 ひなたさん.
	if sp := e1 < len(text) && text[e1] == ' '; e1+1 < len(text) && n1 <= 4 {
		gap := 0
		if sp {
			gap = 1
		}
		if r, _ := nmRuneAt(text, e1+gap); nmIsHiragana(r) {
			s2 := e1 + gap
			e2 := s2
			for e2 < len(text) {
				r, sz := nmRuneAt(text, e2)
				if !nmIsHiragana(r) {
					break
				}
				e2 += sz
			}
			for _, h := range [...]string{"さん", "ちゃん", "くん"} {
				if bytes.HasSuffix(text[s2:e2], []byte(h)) && e2-len(h) > s2 {
					e2 -= len(h)
					break
				}
			}
			n2 := utf8.RuneCount(text[s2:e2])
			if hl := nmKanaHonorificAt(text, e2); hl > 0 && n2 >= 2 && n2 <= 4 && (sp || d.sur.HasBytes(text[s:e1])) {
				c := nameCand{s1: s, e1: e1, s2: s2, e2: e2, n1: n1, n2: n2}
				if m, ok := d.honorific(text, c, -1); ok {
					return append(dst, m), e2 + hl
				}
			}
		}
	}

	// An honorific after the run: 山田さん, 山田 様, 花子ちゃん.
	if hl := nmKanaHonorificAt(text, e1); hl > 0 {
		if m, ok := d.honorific(text, nmOneCand(s, e1, n1), -1); ok {
			return append(dst, m), e1 + hl
		}
		return dst, e1
	}

	// Free text: a dictionary surname directly followed by a given name.
	if n1 >= 3 && n1 <= 6 {
		if m, ok := d.dictPair(text, nmOneCand(s, e1, n1)); ok {
			return append(dst, m), e1
		}
	}
	return dst, e1
}

// Honorifics written in kanji, and the characters that make a common word
// with them when they come right before (仕様, 王様, 殿様, 諸君, 彼氏 …).
var nmKanjiHonorifics = func() (out []struct{ h, words string }) {
	for _, e := range patterns.Words("name_honorifics").JP {
		h, words, _ := strings.Cut(e, " ")
		out = append(out, struct{ h, words string }{h, words})
	}
	return out
}()

// nmKanjiHonorificSuffix finds an honorific at the end of the kanji run
// [s,e): 様, 殿, 君, 氏, optionally followed by 方 or 宛 (様方, 殿宛). It
// returns the honorific's start and the index into nmKanjiHonorifics, or -1.
func nmKanjiHonorificSuffix(text []byte, s, e int) (int, int) {
	end := e
	if r, sz := nmRuneBefore(text, end); (r == '方' || r == '宛') && end-sz > s {
		end -= sz
	}
	r, sz := nmRuneBefore(text, end)
	for k, h := range nmKanjiHonorifics {
		if hr, _ := utf8.DecodeRuneInString(h.h); r == hr {
			if end == e || r == '様' || r == '殿' {
				return end - sz, k
			}
		}
	}
	return -1, -1
}

// nmKanaHonorificAt returns the length of an honorific at p, allowing one
// space before it: さん, ちゃん, くん, or a kanji honorific making up a whole
// kanji run (" 様", "様", "様方").
func nmKanaHonorificAt(text []byte, p int) int {
	q := p
	if q < len(text) && text[q] == ' ' {
		q++
	}
	rest := text[q:]
	for _, h := range [...]string{"さん", "ちゃん", "くん"} {
		if bytes.HasPrefix(rest, []byte(h)) {
			return q - p + len(h)
		}
	}
	// A kanji honorific standing alone: "山田 様", "ヤマダ様".
	if q < len(text) && text[q] >= 0xE3 {
		e, _ := nmKanjiRunEnd(text, q)
		if e > q {
			if hs, _ := nmKanjiHonorificSuffix(text, q, e); hs == q {
				return e - p
			}
		}
	}
	return 0
}

// honorific judges a candidate followed by an honorific. hw is the index
// into nmKanjiHonorifics for a kanji honorific glued to the name (仕様,
// 王様 are words, not names), -1 otherwise.
func (d *nameData) honorific(text []byte, c nameCand, hw int) (Match, bool) {
	if r, _ := nmRuneBefore(text, c.s1); r == 'お' || r == 'ご' || r == '御' {
		return Match{}, false // お客様, ご担当者様, ご家族様
	}
	c, ok := d.checkKanjiCand(text, c, 2, func(last rune) bool {
		if hw >= 0 && hw < len(nmKanjiHonorifics) {
			return strings.ContainsRune(nmKanjiHonorifics[hw].words, last)
		}
		return false
	})
	if !ok {
		return Match{}, false
	}
	return d.kanjiMatch(text, c, nameConfContext), true
}

// checkKanjiCand validates a name candidate found through context. Names
// the dictionary confirms pass unless they hold an organisation or
// document word; other names of the right shape pass unless they end in a
// role/place/organisation character or start with a role prefix. When the
// whole fails, a dictionary-confirmed tail (会員山田 → 山田) is used.
// badLast reports characters that form a word with the following
// honorific.
func (d *nameData) checkKanjiCand(text []byte, c nameCand, minRunes int, badLast func(rune) bool) (nameCand, bool) {
	if c.runes() < 1 || c.n1 > 10 || c.n2 > 5 || (c.s2 >= 0 && c.n1 > 4) {
		return c, false
	}
	ok := func(c nameCand) bool {
		if c.runes() < minRunes || c.runes() > 6 {
			return false
		}
		if d.knownGiven(text, c) {
			// A given name the dictionary knows is no stop word (伊三男
			// holds 三男): only the surname is checked.
			if d.hasStopWord(text, nmOneCand(c.s1, c.e1, c.n1)) {
				return false
			}
		} else if d.hasStopWord(text, c) {
			return false
		}
		if d.verified(text, c) || d.knownGiven(text, c) {
			return true
		}
		if c.runes() < 2 {
			return false
		}
		last, _ := nmRuneBefore(text, c.end())
		first, _ := nmRuneAt(text, c.s1)
		if badLast(last) || strings.ContainsRune(nameStopLast, last) || strings.ContainsRune(nameStopFirst, first) {
			return false
		}
		if c.s2 >= 0 {
			if l1, _ := nmRuneBefore(text, c.e1); strings.ContainsRune(nameStopLast, l1) {
				return false
			}
		}
		return true
	}
	if ok(c) {
		return c, true
	}
	if c.s2 >= 0 {
		return c, false
	}
	// A dictionary-confirmed tail of a single run.
	p := c.s1
	for n := c.n1; n > 2; n-- {
		_, sz := nmRuneAt(text, p)
		p += sz
		t := nmOneCand(p, c.e1, n-1)
		if t.runes() <= 6 && d.verified(text, t) && !d.hasStopWord(text, t) {
			if last, _ := nmRuneBefore(text, t.end()); badLast(last) {
				return c, false
			}
			return t, true
		}
	}
	return c, false
}

// verified reports whether the dictionary knows the candidate as a
// surname, a given name, or a surname followed by a given name.
func (d *nameData) verified(text []byte, c nameCand) bool {
	if c.s2 >= 0 {
		return d.sur.HasBytes(text[c.s1:c.e1]) && d.giv.HasBytes(text[c.s2:c.e2])
	}
	w := text[c.s1:c.e1]
	if d.sur.HasBytes(w) || d.giv.HasBytes(w) {
		return true
	}
	_, ok := d.split(w, 1, 1)
	return ok
}

// knownGiven reports whether a two-part candidate's second part is a
// given name the dictionary knows, after a surname of 2–4 kanji
// (鶴館 直美, 萩沢 正人): the given name vouches for the surname the
// dictionary lacks, whatever characters end either part (館, 人 end
// organisation and role nouns, and names too).
func (d *nameData) knownGiven(text []byte, c nameCand) bool {
	return c.s2 >= 0 && c.n1 >= 2 && c.n1 <= 4 && d.giv.HasBytes(text[c.s2:c.e2])
}

// knownGivenTail reports whether a kanji run written without a space
// ends in a given name the dictionary knows after 2–3 kanji of a surname
// it lacks (楠岬正人, 鶴館直美): knownGiven for a joined name.
func (d *nameData) knownGivenTail(w []byte) bool {
	n := utf8.RuneCount(w)
	for i, k := 0, 0; i < len(w) && k < 3; k++ {
		_, sz := utf8.DecodeRune(w[i:])
		i += sz
		if k >= 1 && n-k-1 >= 1 && d.giv.HasBytes(w[i:]) {
			return true
		}
	}
	return false
}

// split finds a split of the kanji run w into a dictionary surname and a
// dictionary given name, with parts of at least minSur and minGiv runes.
// It returns the byte offset of the split.
func (d *nameData) split(w []byte, minSur, minGiv int) (int, bool) {
	var offs [16]int
	n := 0
	for i := 0; i < len(w) && n < len(offs); {
		offs[n] = i
		n++
		_, sz := nmRuneAt(w, i)
		i += sz
	}
	if n >= len(offs) {
		return 0, false
	}
	offs[n] = len(w)
	first, _ := nmRuneAt(w, 0)
	last, _ := nmRuneBefore(w, len(w))
	if !nameBitHas(d.surFirst, first) || !nameBitHas(d.givLast, last) {
		return 0, false
	}
	// Prefer the longest surname (長谷川 before 長).
	for k := n - minGiv; k >= minSur; k-- {
		if d.sur.HasBytes(w[:offs[k]]) && d.giv.HasBytes(w[offs[k]:]) {
			return offs[k], true
		}
	}
	return 0, false
}

// dictPair reports a name the dictionary confirms without any context:
// surname + space + given name (0.7) or a run that splits into a surname
// and a given name (0.55). A single-character part must be matched by a
// part of two characters or more; without a space it must also be a common
// one-character name (nameJoinedOneGiven, nameJoinedOneSurname), since
// most one-character entries are word pieces (最上+行, 高+品質, 岡崎+市).
func (d *nameData) dictPair(text []byte, c nameCand) (Match, bool) {
	conf := nameConfDictJoined
	if c.s2 >= 0 {
		if c.n1 > 3 || c.n2 > 3 || c.n1+c.n2 < 3 {
			return Match{}, false
		}
		if !d.sur.HasBytes(text[c.s1:c.e1]) || !d.giv.HasBytes(text[c.s2:c.e2]) {
			return Match{}, false
		}
		if c.n2 == 1 {
			if r, _ := nmRuneAt(text, c.s2); strings.ContainsRune(nameStopLast, r) {
				return Match{}, false
			}
		}
		conf = nameConfDictSpace
	} else {
		w := text[c.s1:c.e1]
		k, ok := d.split(w, 1, 1)
		if !ok {
			return Match{}, false
		}
		ns, ng := utf8.RuneCount(w[:k]), utf8.RuneCount(w[k:])
		if ns == 1 && ng < 2 || ng == 1 && ns < 2 {
			return Match{}, false
		}
		// One-character parts are mostly word pieces (最上+行, 高+品質):
		// only common one-character names count here.
		if ng == 1 {
			if r, _ := utf8.DecodeRune(w[k:]); !strings.ContainsRune(nameJoinedOneGiven, r) {
				return Match{}, false
			}
		}
		if ns == 1 {
			if r, _ := utf8.DecodeRune(w); !strings.ContainsRune(nameJoinedOneSurname, r) {
				return Match{}, false
			}
		}
	}
	if d.hasStopWord(text, c) || nmAuthorContext(text, c.start(), c.end()) {
		return Match{}, false
	}
	return d.kanjiMatch(text, c, conf), true
}

// kanjiMatch builds the match for a kanji candidate. A dummy prefix
// written in katakana right before it (テスト太郎) joins the match.
func (d *nameData) kanjiMatch(text []byte, c nameCand, conf float64) Match {
	s := c.start()
	v := c.value(text)
	for _, p := range nameDummyKanaPrefixes {
		if !bytes.HasSuffix(text[:s], []byte(p)) {
			continue
		}
		if r, _ := nmRuneBefore(text, s-len(p)); !nmIsKatakana(r) {
			s -= len(p)
			v = p + v
			break
		}
	}
	return Match{
		Detector: nameID, Category: nameCategory, Value: v,
		Start: s, End: c.end(), Confidence: conf, Dummy: d.isDummy(v),
	}
}

// nmLineEndsAt reports whether only blanks remain on the line from p.
func nmLineEndsAt(text []byte, p int) bool {
	for ; p < len(text); p++ {
		switch text[p] {
		case ' ', '\t', '\r':
		case '\n':
			return true
		default:
			return false
		}
	}
	return true
}

// nmHasKanji reports whether b holds a kanji.
func nmHasKanji(b []byte) bool {
	for i := 0; i < len(b); {
		r, sz := utf8.DecodeRune(b[i:])
		if isNameKanji(r) {
			return true
		}
		i += sz
	}
	return false
}

// ---- stop lists -----------------------------------------------------------

// nameStopLast are last characters of role, place and organisation nouns
// (利用者, 担当者, 岡崎市, 総務課, 館長, 管理人 …): a candidate the dictionary
// does not know is not a name when it ends in one.
const nameStopLast = "者員方部課係館所局室社庁省店長家族会校院団園府県市町村区郡都道署宛中内外先主客職士師生民人屋工手様殿君氏事務業品物料類式書表票欄名号番語字文帳簿録版器機場地駅線港寺宮神堂王母父兄姉弟妹供達等性用的型値列例版頁項目欄覧表"

// nameJoinedOneGiven are the one-character given names accepted in a
// surname+given-name run without a space or context (佐藤誠).
const nameJoinedOneGiven = "誠浩隆修茂勝清蓮愛彩博稔勇薫淳徹剛聡肇仁忍亮恵栞萌葵凛舞翼巧哲優翔譲昇悟毅渉潤崇悠晃敦篤馨彰睦瞳梓楓椿茜藍遥宏弘豊勉忠"

// nameJoinedOneSurname are the one-character surnames accepted in such a
// run (林健太).
const nameJoinedOneSurname = "林森辻堀岡沢谷菅星杉堤畑梅萩柳桑浜島栗牧宮"

// nameStopFirst are first characters of role nouns (御社, 貴社, 各位, 当館,
// 弊社, 全員, 某氏 …).
const nameStopFirst = "御貴各当弊全諸皆某同他両"

// nameStopWords are words that never occur in a person's name: document,
// form, organisation and place vocabulary.
var nameStopWords = patterns.Words("name_stop_words").JP

// nameDummyKanaPrefixes mark a dummy name written before a kanji name
// (テスト太郎, ダミー花子).
var nameDummyKanaPrefixes = patterns.Words("name_dummy_kana_prefixes").JP

// nameDummyPrefixes mark a matched value as dummy data.
var nameDummyPrefixes = patterns.Words("name_dummy_prefixes").JP

func (d *nameData) hasStopWord(text []byte, c nameCand) bool {
	parts := [2][]byte{text[c.s1:c.e1], nil}
	if c.s2 >= 0 {
		parts[1] = text[c.s2:c.e2]
	}
	for _, p := range parts {
		if len(p) < 6 {
			continue // one kanji: no two-character stop word fits
		}
		// Rune boundaries of p (names are short; longer runs are cut).
		var b [16]int
		n := 0
		for i := 0; i < len(p) && n < len(b)-1; n++ {
			b[n] = i
			_, sz := nmRuneAt(p, i)
			i += sz
			b[n+1] = i
		}
		for i := 0; i+2 <= n; i++ {
			if _, ok := d.stop[string(p[b[i]:b[i+2]])]; ok {
				return true
			}
			if i+3 <= n {
				if _, ok := d.stop[string(p[b[i]:b[i+3]])]; ok {
					return true
				}
			}
		}
		for k := 3; k <= 4 && k <= n; k++ {
			if _, ok := d.prefectures[string(p[:b[k]])]; ok {
				return true
			}
		}
	}
	return false
}

// isDummy reports whether v is a recognisable dummy name.
func (d *nameData) isDummy(v string) bool {
	if d.dummy[strings.ReplaceAll(v, " ", "")] {
		return true
	}
	for _, p := range nameDummyPrefixes {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// nameAuthorMarkers before a name on its line mark a public attribution.
var nameAuthorMarkers = authorMarkers()

// authorMarkers are patterns/words.toml's name_author_markers: its
// Japanese words as written, its ASCII words in lower, Title and UPPER case.
func authorMarkers() [][]byte {
	c := patterns.Words("name_author_markers")
	out := nmByteSlices(c.JP...)
	for _, w := range c.ASCII {
		out = append(out, []byte(w), []byte(strings.ToUpper(w[:1])+w[1:]), []byte(strings.ToUpper(w)))
	}
	return out
}

func nmByteSlices(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// nameAuthorSuffixes after a name mark it as an author (夏目漱石 著).
// A kanji run after the name that ends in one of them (著, 共著, 編著, 訳,
// 共訳, 監修) marks an author.
var nameAuthorSuffixes = nmByteSlices(patterns.Words("name_author_suffixes").JP...)

// nmAuthorContext reports whether the name [s,e) is an author attribution.
func nmAuthorContext(text []byte, s, e int) bool {
	w := text[max(0, s-40):s]
	if i := bytes.LastIndexByte(w, '\n'); i >= 0 {
		w = w[i+1:]
	}
	for _, m := range nameAuthorMarkers {
		if bytes.Contains(w, m) {
			return true
		}
	}
	// After the name: more names joined by separators, then an author
	// mark (青木 蓮／杉浦 裕子 共著, 夏目漱石 著, 森鴎外・訳).
	p := e
	for k := 0; k < 8 && p < len(text); k++ {
		switch {
		case text[p] == ' ' || text[p] == '/':
			p++
			continue
		case bytes.HasPrefix(text[p:], nameSepSlash), bytes.HasPrefix(text[p:], nameSepDot), bytes.HasPrefix(text[p:], nameSepComma):
			p += 3
			continue
		}
		if !nmKanjiAt(text, p) {
			return false
		}
		q, _ := nmKanjiRunEnd(text, p)
		run := text[p:q]
		for _, m := range nameAuthorSuffixes {
			if bytes.HasSuffix(run, m) {
				return true
			}
		}
		p = q
	}
	return false
}

var (
	nameSepSlash = []byte("／")
	nameSepDot   = []byte("・")
	nameSepComma = []byte("、")
)

// ---- labels ---------------------------------------------------------------

// nameLabels end a kanji run and announce a person's name.
var nameLabels = patterns.Words("name_labels").JP

// nameAuthorLabels end in 者名 but announce an author.
var nameAuthorLabels = patterns.Words("name_author_labels").JP

// nameKanaLabelSuffixes after a kanji label ask for the reading (氏名カナ,
// 氏名（カナ）; the text is normalised, so '(' is ASCII).
var nameKanaLabelSuffixes = patterns.Words("name_kana_label_suffixes").JP

// nameKanaLabels are katakana runs that announce a reading.
var nameKanaLabels = patterns.Words("name_kana_labels").JP

// nmLabelSep skips the separator after a label: at least one of ':', '：',
// ' ', '\t'. strong reports a colon.
func nmLabelSep(text []byte, p int) (int, bool, bool) {
	q, strong := p, false
	for q < len(text) {
		switch {
		case text[q] == ' ' || text[q] == '\t':
			q++
		case text[q] == ':':
			q, strong = q+1, true
		case bytes.HasPrefix(text[q:], []byte("：")):
			q, strong = q+3, true
		default:
			return q, strong, q > p
		}
	}
	return q, strong, false
}

// nmLabelAfterKanji reports whether the kanji run [s,e) ends with a person
// label followed by a separator; it returns where the value starts,
// whether a reading is asked for and whether the separator was a colon.
func nmLabelAfterKanji(text []byte, s, e int) (int, bool, bool, bool) {
	run := text[s:e]
	switch r, _ := nmRuneBefore(text, e); r { // cheap test first
	case '名', '前', '者', '人':
	default:
		return 0, false, false, false
	}
	found := false
	for _, l := range nameLabels {
		if bytes.HasSuffix(run, []byte(l)) {
			found = true
			break
		}
	}
	if !found {
		return 0, false, false, false
	}
	for _, l := range nameAuthorLabels {
		if bytes.HasSuffix(run, []byte(l)) {
			return 0, false, false, false
		}
	}
	p, kana := e, false
	for _, k := range nameKanaLabelSuffixes {
		if bytes.HasPrefix(text[p:], []byte(k)) {
			p, kana = p+len(k), true
			break
		}
	}
	if !kana && bytes.HasPrefix(run, []byte("カナ")) {
		kana = true
	}
	q, strong, ok := nmLabelSep(text, p)
	if !ok || q >= len(text) || text[q] == '\n' || text[q] == '\r' {
		return 0, false, false, false
	}
	return q, kana, strong, true
}

// labelValue reads the name after a label at p.
func (d *nameData) labelValue(text []byte, p int, kana, strong bool) (Match, int, bool) {
	// A listed dummy name, whatever its script (名無し, テスト 太郎).
	for _, f := range d.dummyForms {
		if bytes.HasPrefix(text[p:], f) {
			e := p + len(f)
			if r, _ := nmRuneAt(text, e); !isNameKanji(r) && !nmIsKatakana(r) && !nmIsHiragana(r) {
				cat, id := nameCategory, nameID
				if !nmHasKanji(f) {
					cat, id = nameKanaCatego, nameKanaID
				}
				return Match{Detector: id, Category: cat, Value: string(f), Start: p, End: e,
					Confidence: nameConfContext, Dummy: true}, e, true
			}
		}
	}
	r, _ := nmRuneAt(text, p)
	if nmIsKatakana(r) {
		// テスト太郎: a dummy prefix glued to a kanji name.
		for _, pre := range nameDummyKanaPrefixes {
			if bytes.HasPrefix(text[p:], []byte(pre)) && nmKanjiAt(text, p+len(pre)) {
				return d.labelKanji(text, p+len(pre), true, strong)
			}
		}
		return d.kanaName(text, p, kana, strong)
	}
	if kana || !isNameKanji(r) {
		return Match{}, 0, false
	}
	return d.labelKanji(text, p, false, strong)
}

// labelKanji reads a kanji name (one run, or two runs with one space) at p.
func (d *nameData) labelKanji(text []byte, p int, dummyPrefixed, strong bool) (Match, int, bool) {
	e1, n1 := nmKanjiRunEnd(text, p)
	try := func(c nameCand) (Match, int, bool) {
		// An honorific glued to the name: 氏名：山田太郎様.
		hl := 0
		if c.s2 >= 0 {
			if hs, _ := nmKanjiHonorificSuffix(text, c.s2, c.e2); hs > c.s2 {
				hl = c.e2 - hs
				c.e2, c.n2 = hs, utf8.RuneCount(text[c.s2:hs])
			}
		} else if hs, _ := nmKanjiHonorificSuffix(text, c.s1, c.e1); hs > c.s1 {
			hl = c.e1 - hs
			c.e1, c.n1 = hs, utf8.RuneCount(text[c.s1:hs])
		}
		end := c.end() + hl
		if hl == 0 {
			end += nmKanaHonorificAt(text, c.end())
		}
		if end == c.end() {
			// A name is not followed by okurigana or a particle:
			// 名前：自由に入力, 氏名：漢字で記入.
			if r, _ := nmRuneAt(text, end); nmIsHiragana(r) {
				return Match{}, 0, false
			}
		}
		c2, ok := d.checkKanjiCand(text, c, 1, func(rune) bool { return false })
		if !ok || (c2.runes() == 1 && !d.sur.HasBytes(text[c2.s1:c2.e1])) || isHeaderWord(text[c2.s1:c2.e1]) {
			return Match{}, 0, false // 氏名  電話番号: a header row
		}
		if !strong && end == c.end() && !d.verified(text, c2) && !nmLineEndsAt(text, end) {
			// After a label and white space only, a name the dictionary
			// does not know must end its line: "名前<TAB>容量<TAB>…" is a
			// header row.
			return Match{}, 0, false
		}
		m := d.kanjiMatch(text, c2, nameConfContext)
		if dummyPrefixed {
			m.Dummy = true
		}
		return m, max(end, m.End), true
	}
	if e1+1 < len(text) && text[e1] == ' ' && nmKanjiAt(text, e1+1) {
		e2, n2 := nmKanjiRunEnd(text, e1+1)
		if n1 <= 4 && n2 <= 5 {
			if m, end, ok := try(nameCand{s1: p, e1: e1, s2: e1 + 1, e2: e2, n1: n1, n2: n2}); ok {
				return m, end, true
			}
		}
	}
	return try(nmOneCand(p, e1, n1))
}

// ---- katakana readings ----------------------------------------------------

// kanaRun handles the katakana run starting at s.
func (d *nameData) kanaRun(dst []Match, text []byte, s int) ([]Match, int) {
	e1, _ := nmKatakanaRunEnd(text, s)
	w1 := text[s:e1]

	// A Latin label before the run: NAME：サトウ ケンイチ.
	if nmASCIILabelBefore(text, s) {
		if m, end, ok := d.kanaName(text, s, false, true); ok {
			return append(dst, m), end
		}
	}

	// Reading labels: フリガナ：, カナ氏名：, ヨミ .
	for _, l := range nameKanaLabels {
		if !bytes.Equal(w1, []byte(l)) {
			continue
		}
		p := e1
		if nmKanjiAt(text, p) {
			e, _ := nmKanjiRunEnd(text, p)
			if lbl := text[p:e]; !bytes.Equal(lbl, []byte("氏名")) && !bytes.Equal(lbl, []byte("名前")) {
				return dst, e1
			}
			p = e
		}
		if q, _, ok := nmLabelSep(text, p); ok && q < len(text) && nmKatakanaAt(text, q) {
			if m, end, ok := d.labelValue(text, q, true, true); ok {
				return append(dst, m), end
			}
		}
		return dst, e1
	}

	// Surname reading + space + given-name reading.
	if e1+1 < len(text) && text[e1] == ' ' && nmKatakanaAt(text, e1+1) {
		s2 := e1 + 1
		e2, _ := nmKatakanaRunEnd(text, s2)
		w2 := text[s2:e2]
		hl := nmKanaHonorificAt(text, e2)
		sur, giv := d.surR.HasBytes(w1), d.givR.HasBytes(w2)
		v := string(w1) + " " + string(w2)
		listed := d.dummy[string(w1)+string(w2)]
		if (sur && giv) || (hl > 0 && (sur || giv)) || listed {
			conf := nameConfKanaPair
			if hl > 0 {
				conf = nameConfContext
			}
			return append(dst, Match{Detector: nameKanaID, Category: nameKanaCatego, Value: v,
				Start: s, End: e2, Confidence: conf, Dummy: d.isDummy(v)}), e2 + hl
		}
		return dst, e1
	}

	// A lone reading before an honorific: ヤマダ様, ハナコちゃん, and a
	// full name written without a space (ヤマダタロウ様), whose parts the
	// dictionary knows or that is the whole line (an addressee's line).
	if hl := nmKanaHonorificAt(text, e1); hl > 0 && utf8.RuneCount(w1) >= 2 &&
		(d.surR.HasBytes(w1) || d.givR.HasBytes(w1) || d.splitReading(w1) ||
			nmAddresseeLine(text, s, e1+hl) && nmKanaNameShape(w1)) {
		v := string(w1)
		return append(dst, Match{Detector: nameKanaID, Category: nameKanaCatego, Value: v,
			Start: s, End: e1, Confidence: nameConfContext, Dummy: d.isDummy(v)}), e1 + hl
	}
	return dst, e1
}

// nameKanaStopWords are katakana words that follow reading labels in
// headers and form descriptions, never names.
var nameKanaStopWords = patterns.Words("name_kana_stop_words").JP

func nameKanaStop(w []byte) bool {
	for _, s := range nameKanaStopWords {
		if bytes.Equal(w, []byte(s)) {
			return true
		}
	}
	return false
}

// kanaName reads a katakana name of one or two words at p after a label.
// After a reading label (kanaLabel) the shape is enough; after a kanji
// label the dictionary must know one of the words, or split the run into
// a surname and a given-name reading (サトウハナコ), or the label has a
// colon (strong) and the name ends its line (氏名：エニワマリコ).
func (d *nameData) kanaName(text []byte, p int, kanaLabel, strong bool) (Match, int, bool) {
	e1, n1 := nmKatakanaRunEnd(text, p)
	e, n2 := e1, 0
	if e1+1 < len(text) && text[e1] == ' ' && nmKatakanaAt(text, e1+1) {
		e, n2 = nmKatakanaRunEnd(text, e1+1)
	}
	if r, _ := nmRuneAt(text, e); isNameKanji(r) || nmIsHiragana(r) && nmKanaHonorificAt(text, e) == 0 {
		return Match{}, 0, false // カタカナで入力, データ形式
	}
	w1 := text[p:e1]
	if nameKanaStop(w1) || n1+n2 < 2 || n1 > 12 || n2 > 12 || isHeaderWord(w1) {
		return Match{}, 0, false // … and a header row's next cell (フリガナ  タイトル) is none
	}
	var w2 []byte
	if n2 > 0 {
		w2 = text[e1+1 : e]
		if nameKanaStop(w2) {
			return Match{}, 0, false
		}
	}
	if !kanaLabel && !d.surR.HasBytes(w1) && !d.givR.HasBytes(w1) && !(n2 > 0 && d.givR.HasBytes(w2)) &&
		!(n2 == 0 && d.splitReading(w1)) &&
		!(strong && nmKanaNameShape(w1) && (n2 == 0 || nmKanaNameShape(w2)) &&
			(nmLineEndsAt(text, e) || nmKanaHonorificAt(text, e) > 0)) {
		return Match{}, 0, false
	}
	v := string(w1)
	if n2 > 0 {
		v += " " + string(w2)
	}
	end := e + nmKanaHonorificAt(text, e)
	return Match{Detector: nameKanaID, Category: nameKanaCatego, Value: v, Start: p, End: e,
		Confidence: nameConfContext, Dummy: d.isDummy(v)}, end, true
}

// ---- table cells ----------------------------------------------------------

// NameLikeness judges one table cell known to sit in a name column (氏名,
// カナ氏名, フリガナ …): "name" with a confidence for a kanji name (1–4
// kanji surname, optional space, 1–4 kanji or kana given name; rare
// surnames pass on shape alone), "name_kana" for a katakana, half-width
// katakana or hiragana reading, "" for anything else (numbers, dates,
// placeholders, header words, organisations, empty cells).
func NameLikeness(cell string) (category string, confidence float64) {
	d := nameDataOnce()
	s := strings.Trim(cell, " \t\r\n\u3000\"'")
	for _, h := range [...]string{"様", "殿", "さん"} {
		s = strings.TrimRight(strings.TrimSuffix(s, h), " \u3000")
	}
	if s == "" || len(s) > 60 {
		return "", 0
	}
	// Split on runs of spaces (ASCII or ideographic) into at most 3 parts.
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\u3000' || r == '\t' })
	if len(parts) > 3 {
		return "", 0
	}
	kanji, kana, hira, other := 0, 0, 0, 0
	for _, r := range s {
		switch {
		case r == ' ' || r == '\u3000' || r == '\t':
		case isNameKanji(r) || r == '々' || r == 'ヶ':
			kanji++
		case nmIsKatakana(r) || (r >= 0xFF66 && r <= 0xFF9F) || r == '・':
			kana++
		case nmIsHiragana(r):
			hira++
		default:
			other++
		}
	}
	if other > 0 {
		return "", 0 // digits, Latin letters, placeholders (〇〇, ＊＊, {{.Name}}), punctuation
	}
	switch {
	case kanji > 0:
		return d.kanjiCellLikeness(parts)
	case kana > 0 && hira == 0:
		for _, p := range parts {
			if nameKanaStop([]byte(p)) || utf8.RuneCountInString(p) > 12 {
				return "", 0
			}
		}
		if kana < 2 {
			return "", 0
		}
		return nameKanaCatego, nameConfLikeReading
	case hira > 0 && kana == 0:
		for _, p := range parts {
			if n := utf8.RuneCountInString(p); n > 10 {
				return "", 0
			}
		}
		if hira < 2 || len(parts) == 1 && (s == "なし" || s == "ふめい" || s == "みにゅうりょく") {
			return "", 0
		}
		return nameKanaCatego, nameConfLikeReading - 0.1
	}
	return "", 0
}

// kanjiCellLikeness judges a cell holding kanji: one part (山田太郎,
// 佐藤さくら) or two (山田 太郎, 佐藤 さくら).
func (d *nameData) kanjiCellLikeness(parts []string) (string, float64) {
	if len(parts) > 2 {
		return "", 0
	}
	b := []byte(strings.Join(parts, " "))
	var c nameCand
	kanjiOnly := func(p string) bool {
		for _, r := range p {
			if !isNameKanji(r) && r != '々' && r != 'ヶ' && r != 'ケ' && r != 'ノ' {
				return false
			}
		}
		return true
	}
	hiraOnly := func(p string) bool {
		for _, r := range p {
			if !nmIsHiragana(r) {
				return false
			}
		}
		return true
	}
	p0 := parts[0]
	if len(parts) == 2 {
		p1 := parts[1]
		n0, n1 := utf8.RuneCountInString(p0), utf8.RuneCountInString(p1)
		if !kanjiOnly(p0) || n0 > 4 || n1 > 5 || !(kanjiOnly(p1) || hiraOnly(p1)) {
			return "", 0
		}
		c = nameCand{s1: 0, e1: len(p0), s2: len(p0) + 1, e2: len(b), n1: n0, n2: n1}
		if hiraOnly(p1) {
			c = nmOneCand(0, len(p0), n0)
		}
	} else {
		// 佐藤さくら: a kanji surname then a kana given name.
		k := 0
		for _, r := range p0 {
			if !isNameKanji(r) && r != '々' && r != 'ヶ' && r != 'ケ' && r != 'ノ' {
				break
			}
			k += utf8.RuneLen(r)
		}
		rest := p0[k:]
		if k == 0 || (rest != "" && !hiraOnly(rest)) {
			return "", 0
		}
		c = nmOneCand(0, k, utf8.RuneCountInString(p0[:k]))
		if rest != "" {
			if !d.sur.Has(p0[:k]) || utf8.RuneCountInString(rest) > 5 {
				return "", 0
			}
			return nameCategory, nameConfLikeDict
		}
		if c.n1 > 8 {
			return "", 0
		}
	}
	if d.hasStopWord(b, c) {
		return "", 0
	}
	if c.s2 < 0 && c.n1 == 1 {
		if d.sur.Has(p0) {
			return nameCategory, nameConfLikeShape
		}
		return "", 0
	}
	if c.s2 < 0 {
		if d.sur.HasBytes(b[:c.e1]) || d.giv.HasBytes(b[:c.e1]) {
			return nameCategory, nameConfLikeDict
		}
		if _, ok := d.split(b[:c.e1], 1, 1); ok {
			return nameCategory, nameConfLikeDict
		}
		if d.knownGivenTail(b[:c.e1]) {
			return nameCategory, nameConfLikeShape
		}
	} else if d.verified(b, c) {
		return nameCategory, nameConfLikeDict
	} else if d.knownGiven(b, c) {
		return nameCategory, nameConfLikeShape
	}
	last, _ := utf8.DecodeLastRune(b[:c.end()])
	first, _ := utf8.DecodeRune(b)
	if strings.ContainsRune(nameStopLast, last) || strings.ContainsRune(nameStopFirst, first) {
		return "", 0
	}
	if c.s2 < 0 && c.n1 > 6 {
		return "", 0
	}
	return nameCategory, nameConfLikeShape
}

// splitReading reports whether a katakana run is a surname reading
// followed by a given-name reading (サトウハナコ), each of two runes or more.
func (d *nameData) splitReading(w []byte) bool {
	if utf8.RuneCount(w) < 4 {
		return false
	}
	for i := 0; i < len(w); {
		_, sz := utf8.DecodeRune(w[i:])
		i += sz
		if utf8.RuneCount(w[:i]) >= 2 && utf8.RuneCount(w[i:]) >= 2 && d.surR.HasBytes(w[:i]) && d.givR.HasBytes(w[i:]) {
			return true
		}
	}
	return false
}

// nmKanaNameShape reports whether a katakana word has a name's shape on
// its own: 2 to 12 runes, no long-vowel mark (the mark of loanwords:
// ユーザー, メンバー) and not a form word (nameKanaStop).
func nmKanaNameShape(w []byte) bool {
	n := utf8.RuneCount(w)
	return n >= 2 && n <= 12 && !bytes.ContainsRune(w, 'ー') && !nameKanaStop(w)
}

// nmAddresseeLine reports whether [s,e) is the whole of its line, less
// white space: an addressee's line in an address block (ヤマダタロウ 様).
func nmAddresseeLine(text []byte, s, e int) bool {
	for p := s - 1; p >= 0 && text[p] != '\n'; p-- {
		if text[p] != ' ' && text[p] != '\t' {
			return false
		}
	}
	return nmLineEndsAt(text, e)
}

// nmASCIILabelBefore reports whether a Latin name label (words.toml's
// name_labels_ascii: NAME, Full name) and a colon come right before s, the
// label capitalised and first on its line: a form's label, not a data
// format's key (name: in YAML, LTSV or JSON names anything).
func nmASCIILabelBefore(text []byte, s int) bool {
	p := s
	for p > 0 && (text[p-1] == ' ' || text[p-1] == '\t') {
		p--
	}
	if p == 0 || text[p-1] != ':' {
		return false
	}
	p--
	for p > 0 && text[p-1] == ' ' {
		p--
	}
	for _, l := range nameASCIILabels {
		if p < len(l) || !hasPrefixFold(text[p-len(l):p], l) {
			continue
		}
		q := p - len(l)
		if text[q] < 'A' || text[q] > 'Z' {
			continue
		}
		for q > 0 && (text[q-1] == ' ' || text[q-1] == '\t') {
			q--
		}
		if q == 0 || text[q-1] < ' ' { // a line or page start (\n, \r, \f)
			return true
		}
	}
	return false
}

// nameASCIILabels are the Latin labels of a person's name, lower case.
var nameASCIILabels = func() []string {
	var out []string
	for _, w := range patterns.Words("name_labels_ascii").ASCII {
		out = append(out, strings.ToLower(w))
	}
	return out
}()
