package detectors

import (
	"bytes"
	"unicode/utf8"
)

// Headerless runs: a run of delimited or print lines without a header
// row is a table whose header is missing. What one line cannot say (is
// 鶴館 直美 a name when no dictionary knows 鶴館? is 18758097 in the fifth
// cell a patron's number?) the run says by position: a cell position
// whose values have a name's shape on most lines is a name column, two
// adjacent positions of short name parts are a surname and a given name
// written apart, a position of 6–12-digit numbers on most lines is an
// identifier. The first lines of a run are held until the run has
// shown enough of itself, then typed with the rest.

const (
	// profileRows is how many lines of a headerless run are held before
	// the first is typed.
	profileRows = 6
	// profileMinRows is how many lines a position needs before it is typed.
	profileMinRows = 3
	// profileVoteRows is how many lines of a run vote; the types hold after.
	profileVoteRows = 64
	// maxProfileCols bounds the cells of a run's line that are typed.
	maxProfileCols = 32
	// maxProfileLine is the longest line held.
	maxProfileLine = 4096
)

// colVotes counts, for one cell position, the lines whose value there
// has a shape.
type colVotes struct {
	name, kana         int // a full name: kanji (鶴館 直美), katakana (ツルダテ ナオミ, ツルダテナオミ)
	kanaSpaced         int // … katakana with a space
	part, kanaPart     int // one part of a name: 1–4 kanji, 2–8 katakana
	id                 int // a number of 6 to 12 digits no detector claimed
	filled, partFilled int // lines with a value at the position
}

// heldRow is a line of a headerless run held until the run is typed.
type heldRow struct {
	line      int
	offset    int64
	text      []byte
	ms        []Located
	tentative bool // a row only if the run has a column of names, else text
}

// What profiledRow does with a row.
const (
	rowNow  = iota // type it now (a.hints set)
	rowHeld        // held until the run shows its columns
	rowText        // not a row: read it as text
)

// runProfile is the open headerless run.
type runProfile struct {
	delim byte
	n     int // cells per line
	rows  int // lines that voted
	votes [maxProfileCols]colVotes
	held  []heldRow
	hints [maxProfileCols]Field // the positions' types, from the votes
}

// reset starts a new run of lines of n cells split at delim.
func (p *runProfile) reset(delim byte, n int) {
	held := p.held[:0]
	*p = runProfile{delim: delim, n: n, held: held}
}

// profiledRow takes a headerless row (a.cells split at delim): it votes,
// and is held while the run is young. It returns rowHeld when the row was
// held, rowNow when the caller types it now (with a.hints set), and
// rowText when a tentative row is none: its run has no column of names.
func (a *Analyzer) profiledRow(line int, offset int64, text []byte, ms []Located, delim byte, tentative bool) int {
	p := &a.prof
	if a.binary || len(a.cells) > maxProfileCols {
		a.hints = nil
		if tentative {
			return rowText
		}
		return rowNow
	}
	if p.delim != delim || p.n != len(a.cells) {
		a.flushHeld()
		p.reset(delim, len(a.cells))
	}
	if p.rows < profileVoteRows {
		p.vote(text, a.cells, ms)
	}
	if p.rows <= profileRows && len(p.held) == p.rows-1 && len(text) <= maxProfileLine {
		h := heldRow{line: line, offset: offset, text: append([]byte(nil), text...), ms: append([]Located(nil), ms...),
			tentative: tentative}
		p.held = append(p.held, h)
		if p.rows == profileRows {
			a.flushHeld()
		}
		return rowHeld
	}
	a.flushHeld()
	a.hints = p.typed()
	if tentative && !namedRun(a.hints) {
		a.hints = nil
		return rowText
	}
	return rowNow
}

// namedRun reports whether a run's types hold a column of names.
func namedRun(hints []Field) bool {
	for _, f := range hints {
		switch f {
		case FieldName, FieldNameKana, FieldSurname, FieldSurnameKana:
			return true
		}
	}
	return false
}

// heldTentative reports whether a held row is tentative: the run's held
// lines are then read before a blank line ends their block.
func (a *Analyzer) heldTentative() bool {
	for _, h := range a.prof.held {
		if h.tentative {
			return true
		}
	}
	return false
}

// flushHeld types the held lines of the run with what the run has shown.
func (a *Analyzer) flushHeld() {
	p := &a.prof
	if len(p.held) == 0 {
		return
	}
	held := p.held
	p.held = p.held[:0]
	hints := p.typed()
	named := namedRun(hints)
	for _, h := range held {
		if h.tentative && !named {
			a.hints = nil
			a.blockLine(h.line, h.offset, h.text, h.ms)
			continue
		}
		a.cells = splitCells(a.cells[:0], h.text, p.delim)
		a.rowDelim = p.delim
		a.hints = hints
		a.row(h.line, h.offset, h.text, h.ms, nil)
	}
	a.hints = nil
	clear(held[:cap(held)])
}

// continuesRun reports whether a line could be the next of the held
// run: as many cells at the run's delimiter, with a match or a date.
func (a *Analyzer) continuesRun(text []byte, ms []Located) bool {
	p := &a.prof
	if len(ms) == 0 && !hasDateCell(text) {
		return false
	}
	a.cells = splitCells(a.cells[:0], text, p.delim)
	return len(a.cells) == p.n
}

// vote counts the shapes of one line's values.
func (p *runProfile) vote(text []byte, cells [][]byte, ms []Located) {
	p.rows++
	for i, c := range cells {
		v := cellText(c)
		if len(v) == 0 {
			continue
		}
		cv := &p.votes[i]
		cv.filled++
		s, e := cellSpan(text, v)
		claimed := false
		for _, m := range ms {
			if m.Start < e && s < m.End && !isNameCat(m.Category) {
				claimed = true
			}
		}
		if claimed {
			continue
		}
		if v[0] < 0x80 {
			// ASCII: a number, or no name's shape at all.
			if len(v) >= 6 && len(v) <= 12 && isDigits(v) && !compactDate(v) {
				cv.id++
			}
			continue
		}
		switch {
		case kanjiNameShape(v):
			cv.name++
		case kanaNameShape(v, true):
			cv.kana++
			cv.kanaSpaced++
		case kanaJoinedName(v):
			cv.kana++
		}
		switch {
		case kanjiNamePart(v):
			cv.part++
		case kanaNameShape(v, false):
			cv.kanaPart++
		}
	}
}

// typed returns the positions' types: a name column where most lines
// hold a name's shape, a surname and a given name where two adjacent
// positions hold short parts on most lines, and the first position of
// numbers on most lines as the patron's identifier.
func (p *runProfile) typed() []Field {
	if p.rows < profileMinRows {
		return nil
	}
	most := func(n int) bool { return n*10 >= p.rows*8 }
	out := p.hints[:p.n]
	clear(out)
	id := false
	for i := 0; i < p.n; i++ {
		v := &p.votes[i]
		switch {
		case i+1 < p.n && most(v.part) && most(p.votes[i+1].part) && v.name < v.part:
			out[i], out[i+1] = FieldSurname, FieldGivenName
			i++
		case i+1 < p.n && most(v.kanaPart) && most(p.votes[i+1].kanaPart) && v.kanaSpaced*2 < p.rows &&
			p.votes[i+1].kanaSpaced*2 < p.rows:
			out[i], out[i+1] = FieldSurnameKana, FieldGivenKana
			i++
		case most(v.name + v.part):
			if most(v.name) || v.name*2 >= v.part {
				out[i] = FieldName
			}
		case most(v.kana):
			out[i] = FieldNameKana
		case !id && most(v.id):
			out[i], id = FieldPatronID, true
		}
	}
	return out
}

// kanjiNameShape reports whether a value has the shape of a full name in
// kanji: a surname of 1–4 kanji, one space, a given name of 1–4 kanji or
// hiragana (鶴館 直美, 佐藤 さくら); or 3–6 kanji without a space (楠岬正人).
// No word of the stop lists (図書館, 市役所 …) may be in it.
func kanjiNameShape(v []byte) bool {
	sur, giv, spaced := bytes.Cut(v, []byte(" "))
	d := nameDataOnce()
	if spaced {
		n1, n2 := utf8.RuneCount(sur), utf8.RuneCount(giv)
		if n1 < 1 || n1 > 4 || n2 < 1 || n2 > 4 || !allKanji(sur) || !(allKanji(giv) || allHiragana(giv)) {
			return false
		}
		c := nameCand{s1: 0, e1: len(sur), s2: len(sur) + 1, e2: len(v), n1: n1, n2: n2}
		return !d.hasStopWord(v, c)
	}
	n := utf8.RuneCount(v)
	if n < 3 || n > 6 || !allKanji(v) {
		return false
	}
	last, _ := utf8.DecodeLastRune(v)
	first, _ := utf8.DecodeRune(v)
	if bytes.ContainsRune([]byte(nameStopLast), last) || bytes.ContainsRune([]byte(nameStopFirst), first) {
		return false // 会議室, 中央図書館: a noun, unless the dictionary says otherwise (NameLikeness)
	}
	return !d.hasStopWord(v, nmOneCand(0, len(v), n))
}

// compactDate reports whether eight digits read as a date yyyymmdd.
func compactDate(v []byte) bool {
	if len(v) != 8 || !(v[0] == '1' && v[1] == '9' || v[0] == '2' && v[1] == '0') {
		return false
	}
	m, d := atoi(v[4:6]), atoi(v[6:8])
	return m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// kanjiNamePart reports whether a value is one part of a name: 1–4 kanji.
func kanjiNamePart(v []byte) bool {
	n := utf8.RuneCount(v)
	return n >= 1 && n <= 4 && allKanji(v) && !nameDataOnce().hasStopWord(v, nmOneCand(0, len(v), n))
}

// kanaNameShape reports whether a value has the shape of a katakana name:
// full, two words of 2–12 katakana one space apart (ツルダテ ナオミ); or a
// part, one word of 2–8 katakana. Form words (データ, カナ) are not names.
func kanaNameShape(v []byte, full bool) bool {
	w1, w2, spaced := bytes.Cut(v, []byte(" "))
	if spaced != full {
		return false
	}
	maxRunes := 8
	if full {
		maxRunes = 12
	}
	for _, w := range [2][]byte{w1, w2} {
		if !full && w == nil {
			continue
		}
		n := utf8.RuneCount(w)
		if n < 2 || n > maxRunes || nameKanaStop(w) {
			return false
		}
		for _, r := range string(w) {
			if !nmIsKatakana(r) {
				return false
			}
		}
	}
	return true
}

// kanaJoinedName reports whether a value is a katakana full name written
// without a space (アオイウラアイ): one word of 4–12 katakana.
func kanaJoinedName(v []byte) bool {
	n := utf8.RuneCount(v)
	if n < 4 || n > 12 || nameKanaStop(v) {
		return false
	}
	for _, r := range string(v) {
		if !nmIsKatakana(r) {
			return false
		}
	}
	return true
}

func allKanji(v []byte) bool {
	for _, r := range string(v) {
		if !isNameKanji(r) && r != '々' && r != 'ヶ' {
			return false
		}
	}
	return len(v) > 0
}

func allHiragana(v []byte) bool {
	for _, r := range string(v) {
		if !nmIsHiragana(r) {
			return false
		}
	}
	return len(v) > 0
}
