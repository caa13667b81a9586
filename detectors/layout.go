package detectors

import (
	"bytes"

	"golang.org/x/text/width"
)

// Layout: lines into rows of cells, whatever the shape (a header and its
// delimiter, fixed-width columns cut at the header's display columns,
// headerless delimited or print lines). It knows nothing about people.

// isBlankLine reports whether a line holds only white space.
func isBlankLine(b []byte) bool {
	return len(bytes.TrimSpace(b)) == 0
}

// ruleStart marks the bytes a rule line can start with: the ASCII rule
// characters and the lead bytes of ─ ━ ＊ ＿ ＝.
var ruleStart = func() (t [256]bool) {
	for _, r := range "-=_*~#─━＊＿＝" {
		t[string(r)[0]] = true
	}
	return t
}()

// shiftMatches drops the matches before cut and makes the others
// relative to it.
func shiftMatches(ms []Located, cut int) []Located {
	out := ms[:0]
	for _, m := range ms {
		if m.Start >= cut {
			m.Start -= cut
			m.End -= cut
			out = append(out, m)
		}
	}
	return out
}

// isRuleLine reports whether a line separates sections: eight or more
// rule characters and nothing else.
func isRuleLine(b []byte) bool {
	b = trimASCIISpace(b)
	if len(b) == 0 || !ruleStart[b[0]] {
		return false
	}
	n := 0
	for _, r := range string(b) {
		switch r {
		case '-', '=', '_', '*', '─', '━', '＊', '＿', '＝', '~', '#':
			n++
		default:
			return false
		}
	}
	return n >= 8
}

// header tries text as a table header. In a binary, a line is strings
// joined by tabs, and the header is one of them (the column list of an
// INSERT statement after its CREATE TABLE): the last that qualifies wins.
func (a *Analyzer) header(text []byte) bool {
	if !a.binary || bytes.IndexByte(text, '\t') < 0 {
		return a.tryHeader(text)
	}
	for rest := text; len(rest) > 0; {
		i := bytes.LastIndexByte(rest, '\t')
		if a.tryHeader(rest[i+1:]) {
			return true
		}
		if i < 0 {
			break
		}
		rest = rest[:i]
	}
	return false
}

// tryHeader opens a table when text is a header row: two or more cells
// that name fields, and at least half the cells known (so prose with a
// comma is not a header). A catalogue's header (書名, 著者名, ISBN) opens
// one too, so that its author column is known for what it is.
func (a *Analyzer) tryHeader(text []byte) bool {
	if len(text) > maxHeaderLine || !mayBeHeader(text) {
		return false
	}
	bestKnown, bestDelim := 0, byte(0)
	for _, d := range [...]byte{',', '\t', ' ', spaceDelim} {
		switch d {
		case ' ':
			if !bytes.Contains(text, []byte("  ")) {
				continue
			}
		case spaceDelim:
			if bytes.IndexByte(text, ' ') < 0 {
				continue
			}
		default:
			if bytes.IndexByte(text, d) < 0 {
				continue
			}
		}
		a.cells = splitCells(a.cells[:0], text, d)
		if len(a.cells) < 2 {
			continue
		}
		known := 0
		for _, c := range a.cells {
			var f Field
			f, a.hbuf = headerField(a.hbuf, c)
			if f != FieldNone {
				known++
			}
		}
		// Among a binary's strings two known words are everywhere (a
		// docstring's NAME and ADDRESS): a dump's column list names three.
		minKnown := 2
		if a.binary {
			minKnown = 3
		}
		if known >= minKnown && known*2 >= len(a.cells) && known > bestKnown {
			bestKnown, bestDelim = known, d
		}
	}
	if bestKnown == 0 {
		return false
	}
	a.cells = splitCells(a.cells[:0], text, bestDelim)
	a.table, a.delim = true, bestDelim
	a.colStarts = a.colStarts[:0]
	if bestDelim == ' ' || bestDelim == spaceDelim {
		for _, c := range a.cells {
			s, _ := cellSpan(text, c)
			a.colStarts = append(a.colStarts, displayWidth(text[:s]))
		}
	}
	a.cols = a.cols[:0]
	a.heads = a.heads[:0]
	a.headFields = a.headFields[:0]
	a.colHeads = a.colHeads[:0]
	a.minCells = 2
	a.detail = true
	for i, c := range a.cells {
		var f Field
		f, a.hbuf = headerField(a.hbuf, c)
		a.cols = append(a.cols, f)
		a.colHeads = append(a.colHeads, "header "+headerText(c))
		if f != FieldNone {
			a.heads = append(a.heads, headerText(c))
			a.headFields = append(a.headFields, f)
			a.minCells = i + 1
			a.detail = a.detail && !f.identifies()
		}
	}
	return true
}

// spaceDelim marks a fixed-width table whose header cells are one space
// apart: its rows are cut at the header's columns.
const spaceDelim = 1

// cellSpan is where a cell lies in its line.
func cellSpan(line, cell []byte) (int, int) {
	s := cap(line) - cap(cell)
	return s, s + len(cell)
}

// tableRow reads text as a row of the open table. It reports false when
// the line does not fit the table.
func (a *Analyzer) tableRow(line int, offset int64, text []byte, ms []Located) bool {
	a.cells = splitCells(a.cells[:0], text, a.delim)
	if a.delim == spaceDelim || (a.delim == ' ' && len(a.cells) != len(a.colStarts)) {
		// Columns of a print file one space apart: cut at the header's
		// columns instead.
		a.cells = cutAtColumns(a.cells[:0], text, a.colStarts)
	}
	if len(a.cells) < a.minCells && a.delim != '\t' && bytes.IndexByte(text, '\t') >= 0 {
		a.cells = splitCells(a.cells[:0], text, '\t')
	}
	if len(a.cells) < a.minCells {
		return false
	}
	if extra := len(a.cells) - a.minCells; extra > 0 && a.binary {
		// Junk strings next to a dump's row join it: find where the row starts.
		best, bestFit := 0, -1
		for k := 0; k <= extra && k < 8; k++ {
			if fit := a.rowFit(text, a.cells[k:], ms); fit > bestFit {
				best, bestFit = k, fit
			}
		}
		a.cells = a.cells[best:]
	}
	a.tableRows++
	a.row(line, offset, text, ms, a.cols)
	return true
}

// hasCol reports whether the open table has a column of field f.
func hasCol(cols []Field, f Field) bool {
	for _, c := range cols {
		if c == f {
			return true
		}
	}
	return false
}

// headerlessRow reads a delimited line with contact data but no header:
// its cells are typed from their values.
func (a *Analyzer) headerlessRow(line int, offset int64, text []byte, ms []Located) bool {
	hasContact, hasName := false, false
	for _, m := range ms {
		if contactCategory(m.Category) || m.Category == "my_number" {
			hasContact = true
		}
		if isNameCat(m.Category) && m.Confidence >= MinConfidence {
			hasName = true
		}
	}
	if chineseProse(text) && chineseSentence(text) {
		// A sentence of Chinese prose whose full-width commas normalised
		// to ',': not a delimited row (its names are lowered in blockLine).
		return false
	}
	dated := hasDateCell(text)
	if !hasContact && !dated {
		// A row is a person's record when it holds contact data, or a
		// name or a patron's number beside a date (a loan, a hold).
		return false
	}
	if labelledField(text) {
		// 名前<TAB>佐々木 正人, TEL<TAB>0564-…: one field of a record
		// written a field a line, read with its block.
		return false
	}
	for _, d := range [...]byte{'\t', ',', ' '} {
		if d == ' ' {
			// A print line: columns two or more spaces apart.
			if !bytes.Contains(trimASCIISpace(text), []byte("  ")) {
				continue
			}
		} else if bytes.IndexByte(text, d) < 0 {
			continue
		}
		a.cells = splitCells(a.cells[:0], text, d)
		if len(a.cells) < 2 {
			continue
		}
		tentative := false
		if d == ' ' && len(a.cells) == 2 {
			// Two columns of a print line (a name and a phone): a row only
			// if a run of them shows a column of names (profile.go).
			if !contactCell(text, a.cells, ms) {
				continue
			}
			tentative = true
		}
		if !hasContact && !hasName && !(len(a.cells) >= 3 && idAndTextCells(a.cells)) {
			// A date beside a patron's number and Japanese text (an export
			// of loans or holds without a header) is a record too; beside
			// a name no dictionary knows, when the run shows a column of
			// names.
			if len(a.cells) < 3 || !a.readingWords() {
				continue
			}
			tentative = true
		}
		switch a.profiledRow(line, offset, text, ms, d, tentative) {
		case rowHeld:
			return true // held until the run shows its columns
		case rowText:
			return false
		}
		a.rowDelim = d
		a.row(line, offset, text, ms, nil)
		a.hints = nil
		return true
	}
	return false
}

// contactCell reports whether one of the cells is wholly a phone number
// or an e-mail address.
func contactCell(text []byte, cells [][]byte, ms []Located) bool {
	for _, c := range cells {
		s, e := cellSpan(text, cellText(c))
		for _, m := range ms {
			if (m.Category == "phone" || m.Category == "email") && m.Start <= s && m.End >= e {
				return true
			}
		}
	}
	return false
}

// labelledField reports whether a line is a label and its value: two
// cells at a tab (or a comma, or two spaces), the first a column header
// (名前, TEL, 生年月日).
func labelledField(text []byte) bool {
	t := trimASCIISpace(text)
	for _, d := range [...]byte{'\t', ',', ' '} {
		var k, n int
		if d == ' ' {
			k = bytes.Index(t, []byte("  "))
		} else {
			k = bytes.IndexByte(t, d)
		}
		if k <= 0 {
			continue
		}
		rest := trimASCIISpace(t[k+1:])
		switch d {
		case ' ':
			n = bytes.Index(rest, []byte("  "))
		default:
			n = bytes.IndexByte(rest, d)
		}
		return n < 0 && len(rest) > 0 && mayBeHeaderWord(trimASCIISpace(t[:k])) && isHeaderWord(trimASCIISpace(t[:k]))
	}
	return false
}

// mayBeDatedRow reports whether a line without matches may still be a
// headerless row: it has cells (a comma, a tab, two spaces) and a digit,
// for a date among them (a loan's or a hold's, beside a name no
// dictionary knows; headerlessRow looks for it).
func mayBeDatedRow(text []byte) bool {
	return (bytes.IndexByte(text, ',') >= 0 || bytes.IndexByte(text, '\t') >= 0 || bytes.Contains(text, []byte("  "))) &&
		nextDigit(text, 0) >= 0
}

// rowFit counts the cells whose content fits their column: a phone
// column holding a phone match, a name column a name, a date column a
// date.
func (a *Analyzer) rowFit(text []byte, cells [][]byte, ms []Located) int {
	fit := 0
	for i, c := range cells {
		if i >= len(a.cols) {
			break
		}
		v := cellText(c)
		if len(v) == 0 {
			continue
		}
		s, e := cellSpan(text, v)
		switch a.cols[i] {
		case FieldPhone, FieldPostalCode, FieldEmail:
			want := map[Field]string{FieldPhone: "phone", FieldPostalCode: "postal_code", FieldEmail: "email"}[a.cols[i]]
			for _, m := range ms {
				if m.Category == want && m.Start >= s && m.End <= e {
					fit++
					break
				}
			}
		case FieldName, FieldNameKana:
			if cat, _ := NameLikeness(string(v)); cat != "" {
				fit++
			}
		case FieldBirthDate:
			if _, ok := parseBirthCell(v); ok {
				fit++
			}
		case FieldPatronID, FieldMyNumber:
			if len(digitBytes(v)) == len(v) {
				fit++
			}
		}
	}
	return fit
}

// displayWidth is the width of b on a terminal or a printed page: East
// Asian wide and full-width characters take two columns.
func displayWidth(b []byte) int {
	n := 0
	for _, r := range string(b) {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	if r < 0x1100 {
		return 1
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// cutAtColumns cuts a fixed-width row at the display columns where its
// header's cells start. A value running past the next column's start
// stays whole: the cut moves on to the next space.
func cutAtColumns(dst [][]byte, line []byte, starts []int) [][]byte {
	if len(starts) == 0 {
		return append(dst, line)
	}
	col, prev, k := 0, 0, 1
	for i, r := range string(line) {
		for k < len(starts) && col >= starts[k] {
			if i > 0 && line[i-1] != ' ' && r != ' ' {
				break // inside a value: cut at the next space
			}
			dst = append(dst, line[prev:i])
			prev = i
			k++
		}
		col += runeWidth(r)
	}
	return append(dst, line[prev:])
}

// headerText is a header cell as shown in a verdict: trimmed, and for a
// column list in SQL the quoted identifier alone ("PATRON_NO").
func headerText(c []byte) string {
	if i := bytes.LastIndexByte(c, '"'); i > 0 {
		if j := bytes.LastIndexByte(c[:i], '"'); j >= 0 && i-j > 1 {
			return string(c[j+1 : i])
		}
	}
	return string(trimHeaderCell(c))
}

// idAndTextCells reports whether a row's cells hold a number of 6 to 12
// digits (a patron or card number) and a cell of Japanese text.
func idAndTextCells(cells [][]byte) bool {
	id, jp := false, false
	for _, c := range cells {
		v := cellText(c)
		switch {
		case len(v) >= 6 && len(v) <= 12 && isDigits(v):
			id = true
		case japaneseText(v):
			jp = true
		}
	}
	return id && jp
}
