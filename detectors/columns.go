package detectors

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Columns: a row's cells typed from the header that names them and from
// their values, and the matches they give.

func contactCategory(c string) bool {
	switch c {
	case "phone", "email", "address", "postal_code":
		return true
	}
	return false
}

func isNameCat(c string) bool { return c == "name" || c == "name_kana" }

// row turns one table row into a record. cols types the cells (nil: type
// them from their values).
func (a *Analyzer) row(line int, offset int64, text []byte, ms []Located, cols []Field) {
	detail := a.detail && cols != nil
	if detail {
		// A table of titles and dates inside a reminder: the rows are the
		// reading data of the person the section is about.
		a.endBlock()
	} else {
		a.endSection()
	}
	r := &a.cur
	why := "" // the column's header, for findings[].context
	at := func(s, e int) Located {
		return Located{Match: Match{Start: s, End: e}, Line: line, Offset: offset, Context: why}
	}
	covered := func(s, e int, cat string) bool {
		for _, m := range ms {
			if m.Start < e && s < m.End && (cat == "" || m.Category == cat || (isNameCat(cat) && isNameCat(m.Category))) {
				return true
			}
		}
		return false
	}
	colOf := func(pos int) Field {
		for i, c := range a.cells {
			if s, e := cellSpan(text, c); pos >= s && pos <= e && i < len(cols) {
				return cols[i]
			}
		}
		return FieldNone
	}
	first := len(a.kept)
	// The detectors' matches, less names in author and publisher columns.
	for _, m := range ms {
		if isNameCat(m.Category) {
			if f := colOf(m.Start); f == FieldAuthor || f == FieldPublisher {
				continue
			}
		}
		if m.Context == "" && cols != nil {
			for i, c := range a.cells {
				if s, e := cellSpan(text, c); m.Start >= s && m.Start <= e && i < len(a.colHeads) {
					m.Context = a.colHeads[i]
					break
				}
			}
		}
		a.add(r, m, a.keep(m))
	}
	var split [4][]byte // surname, given name, their kana: joined into one name below
	for i, c := range a.cells {
		f, hinted := FieldNone, false
		if i < len(cols) {
			f = cols[i]
		} else if cols == nil && i < len(a.hints) && a.hints[i] != FieldNone {
			f, hinted = a.hints[i], true // a headerless run's column, typed by position
		}
		v := cellText(c)
		if len(v) == 0 {
			continue
		}
		s, e := cellSpan(text, v)
		why = ""
		if i < len(a.colHeads) && cols != nil {
			why = a.colHeads[i]
		} else if hinted {
			why = runColumnContext
		}
		switch f {
		case FieldSurname, FieldGivenName, FieldSurnameKana, FieldGivenKana:
			split[f-FieldSurname] = v
		case FieldNone:
			// Typed from its value below when the row has no header.
		case FieldName, FieldNameKana:
			if covered(s, e, "name") {
				continue
			}
			cat, _ := NameLikeness(string(v))
			dummy := isDummyName(string(v))
			if cat == "" && (dummy || hinted && (kanjiNameShape(v) || kanaNameShape(v, true) || kanaJoinedName(v))) {
				// A column of names in a headerless run holds the names
				// no dictionary knows by their shape alone.
				cat = map[Field]string{FieldName: "name", FieldNameKana: "name_kana"}[f]
			}
			if cat != "" {
				m := at(s, e)
				m.Detector, m.Category, m.Value, m.Confidence = nameDetectorID(cat), cat, string(v), confColumn
				m.Dummy = dummy
				a.add(r, m, a.keep(m))
			}
		case FieldBirthDate:
			if covered(s, e, "birth_date") {
				continue
			}
			if iso, ok := parseBirthCell(v); ok {
				m := at(s, e)
				m.Detector, m.Category, m.Value, m.Confidence = "jp-birthdate", "birth_date", iso, confColumnDate
				a.add(r, m, a.keep(m))
			}
		case FieldMyNumber:
			if covered(s, e, "my_number") {
				continue
			}
			if d := digitBytes(v); len(d) == 12 && validMyNumber(d) {
				m := at(s, e)
				m.Detector, m.Category, m.Value, m.Confidence = "jp-mynumber", "my_number", string(d), confColumn
				m.Dummy = dummies().myNumber[string(d)]
				a.add(r, m, a.keep(m))
			}
		case FieldAge:
			if covered(s, e, "age") {
				continue
			}
			if n, ok := smallNumber(v); ok && n <= 120 {
				m := at(s, e)
				m.Detector, m.Category, m.Value, m.Confidence = "jp-age", "age", string(v), confColumnWeak
				a.add(r, m, a.keep(m))
			}
		case FieldPostalCode:
			if covered(s, e, "postal_code") {
				continue
			}
			if pv, ok := postalCell(v); ok {
				m := at(s, e)
				m.Detector, m.Category, m.Value, m.Confidence = "jp-postal", "postal_code", pv, confColumn
				m.Dummy = dummies().postal[pv[:3]+pv[4:]] || allSame(pv)
				a.add(r, m, a.keep(m))
			}
		case FieldAddress:
			if covered(s, e, "address") || !looksLikeAddress(string(v)) {
				continue
			}
			m := at(s, e)
			m.Detector, m.Category, m.Value, m.Confidence = AddressDetector, "address", string(v), confColumnAddr
			m.Dummy = isDummyAddress(m.Value)
			a.add(r, m, a.keep(m))
		case FieldPatronID:
			m := at(s, e)
			m.Detector, m.Category, m.Value, m.Confidence = PatronIDDetector, "patron_id", string(v), confColumnWeak
			r.pending = append(r.pending, m)
		case FieldBookTitle:
			m := at(s, e)
			m.Detector, m.Category, m.Value, m.Confidence = BookTitleDetector, "book_title", string(v), confColumnWeak
			r.pending = append(r.pending, m)
		case FieldISBN:
			if d := digitBytes(v); validISBN(d) {
				m := at(s, e)
				m.Detector, m.Category, m.Value, m.Confidence = ISBNDetector, "isbn", string(v), confColumn
				r.pending = append(r.pending, m)
			}
		default:
			r.fields.add(f) // loan/due/hold dates, pickup branch …: the row's kind
		}
	}
	for k, cat := range [2]string{"name", "name_kana"} {
		sur, giv := split[2*k], split[2*k+1]
		if len(sur) == 0 || len(giv) == 0 {
			continue
		}
		s, _ := cellSpan(text, sur)
		_, e := cellSpan(text, giv)
		if s > e {
			s, e = e, s
		}
		if covered(s, e, cat) {
			continue
		}
		if !namePart(sur) || !namePart(giv) {
			continue // code or junk under 姓/名-like headers
		}
		v := string(sur) + " " + string(giv)
		m := at(s, e)
		m.Detector, m.Category, m.Value, m.Confidence = nameDetectorID(cat), cat, v, confColumn
		m.Dummy = isDummyName(v)
		a.add(r, m, a.keep(m))
	}
	if cols == nil {
		a.typeFromValues(r, text, line, offset, covered)
	}
	if r.name == "" && r.kana == "" && (hasCol(cols, FieldDept) || hasCol(cols, FieldExtension) || hasVocab(text, vocabOrganisation)) {
		// A department's row (部署名, 内線, the library's numbers): not a person.
		for i := first; i < len(a.kept); i++ {
			a.kept[i].Org = true
		}
		a.org += max(r.real, 1)
		pending := r.pending[:0]
		*r = record{pending: pending}
		return
	}
	if !detail {
		// A row of a table whose header typed its columns is a record
		// even with a contact value alone (a column of addresses); a
		// headerless line must tie it to a name or an ID to be one.
		r.fromRow = cols != nil
		if cols == nil {
			// A headerless delimited line, or a record of a binary's
			// strings, is one of a list when the file has several (a CSV
			// of numbers with a label column); a print line only when the
			// value is most of it.
			r.listed = a.binary || a.rowDelim == ',' || a.rowDelim == '\t'
			content := len(trimASCIISpace(text))
			for _, m := range ms {
				if contactCategory(m.Category) && (m.End-m.Start)*10 >= content*6 {
					r.listed = true
				}
			}
		}
		a.closeRecord()
	}
}

// typeFromValues types the cells of a headerless row that no detector
// claimed: a name, a number that identifies the patron, and a title
// (text that is neither a name nor an address) beside a date, which
// makes the row a loan.
func (a *Analyzer) typeFromValues(r *record, text []byte, line int, offset int64, covered func(s, e int, cat string) bool) {
	dated := false
	for _, c := range a.cells {
		if isDateCell(cellText(c)) {
			dated = true
			break
		}
	}
	titled := false
	for i, c := range a.cells {
		v := cellText(c)
		if len(v) == 0 || isDateCell(v) || i < len(a.hints) && a.hints[i] != FieldNone {
			continue
		}
		s, e := cellSpan(text, v)
		if covered(s, e, "") {
			continue
		}
		if i == 0 && len(v) >= 6 && len(v) <= 12 && isDigits(v) {
			m := Located{Match: Match{Detector: PatronIDDetector, Category: "patron_id", Value: string(v),
				Start: s, End: e, Confidence: confValueID}, Line: line, Offset: offset}
			r.pending = append(r.pending, m)
			continue
		}
		if !japaneseText(v) {
			continue
		}
		if utf8.RuneCount(v) <= 12 {
			if cat, conf := NameLikeness(string(v)); cat != "" {
				// In a run whose columns are typed, a name stands in the
				// column of names: elsewhere a name-like word (完了, 中央)
				// is a status or a place.
				if conf >= 0.8 && a.hints == nil {
					m := Located{Match: Match{Detector: nameDetectorID(cat), Category: cat, Value: string(v),
						Start: s, End: e, Confidence: confValueName, Dummy: isDummyName(string(v))}, Line: line, Offset: offset}
					a.add(r, m, a.keep(m))
				}
				continue
			}
		}
		if dated && !titled && !looksLikeAddress(string(v)) &&
			(identified(r) || namedRun(a.hints) && (r.name != "" || r.kana != "") && a.readingWords()) {
			// A title from its value alone (Japanese text beside a date)
			// only in a row that says whose it is (contact data, a patron's
			// number; a name in its run's column of names when the
			// document's words name a list of loans: 督促, 延滞, 予約): a
			// dictionary's word beside a date is no loan, a work log's task
			// beside its assignee none either.
			titled = true
			m := Located{Match: Match{Detector: BookTitleDetector, Category: "book_title", Value: string(v),
				Start: s, End: e, Confidence: confValueTitle}, Line: line, Offset: offset}
			r.pending = append(r.pending, m)
			r.fields.add(FieldLoanDate)
		}
	}
}

// readingWords reports whether the document's words name a list of
// loans, holds or overdue loans (督促, 延滞, 予約, 取置, 貸出).
func (a *Analyzer) readingWords() bool {
	return a.vocab[vocabOverdue]+a.vocab[vocabHold]+a.vocab[vocabLoan] > 0
}

// runColumnContext is the findings[].context of a value typed by its
// column in a headerless run.
const runColumnContext = "column of a headerless run, typed from its values"

// hasDateCell reports whether a line holds a yyyy/m/d date between
// delimiters.
func hasDateCell(text []byte) bool {
	for i := 0; i < len(text); {
		s, e := nextDigitRun(text, i)
		if s < 0 {
			return false
		}
		if e < len(text) && hasPrefixAny(text[e:], "年") {
			// a kanji or era date: its cell, up to the next delimiter
			cs := s
			for cs > 0 && !bytes.ContainsRune([]byte(",\t "), rune(text[cs-1])) {
				cs--
			}
			ce := e
			for ce < len(text) && !bytes.ContainsRune([]byte(",\t "), rune(text[ce])) {
				ce++
			}
			if isDateCell(cellText(text[cs:ce])) {
				return true
			}
		}
		if e-s == 4 && e+4 <= len(text) {
			end := e + 1
			for end < len(text) && end < e+7 && (isDigit(text[end]) || text[end] == text[e]) {
				end++
			}
			if isDateCell(text[s:end]) {
				return true
			}
		}
		i = e
	}
	return false
}

// namePart reports whether a cell can be one part of a split name: a
// short run of kanji or kana, or one capitalised Latin word.
func namePart(v []byte) bool {
	n := utf8.RuneCount(v)
	if n == 0 || n > 10 {
		return false
	}
	latin := v[0] >= 'A' && v[0] <= 'Z'
	for _, r := range string(v) {
		switch {
		case r >= 0x3041 && r <= 0x30FF, r >= 0x4E00 && r <= 0x9FFF, r == '々', r == 'ヶ':
			if latin {
				return false
			}
		case latin && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '\''):
		default:
			return false
		}
	}
	return true
}

// isDateCell reports whether a cell is a date: yyyy/m/d with '/', '-'
// or '.' (2009/10/23).
func isDateCell(v []byte) bool {
	if len(v) >= 6 && len(v) <= 30 && !isDigit(v[0]) || bytes.Contains(v, kanjiYear) {
		// 2024年6月1日, 令和6年6月1日, R6.6.1, H2/3/4: read as the
		// birth-date detector reads a labelled date.
		if bytes.Contains(v, kanjiYear) || (len(v) >= 6 && bytes.IndexByte([]byte("MTSHR"), v[0]) >= 0 && isDigit(v[1])) {
			_, ok := parseBirthCell(v)
			return ok
		}
		return false
	}
	if len(v) < 8 || len(v) > 10 || !isDigits(v[:4]) {
		return false
	}
	sep := v[4]
	if sep != '/' && sep != '-' && sep != '.' {
		return false
	}
	mo, d, ok := bytes.Cut(v[5:], []byte{sep})
	return ok && len(mo) >= 1 && len(mo) <= 2 && len(d) >= 1 && len(d) <= 2 && isDigits(mo) && isDigits(d)
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// japaneseText reports whether a cell is mostly Japanese script, 2 to 60
// characters long.
func japaneseText(v []byte) bool {
	n, jp := 0, 0
	for _, r := range string(v) {
		n++
		if r >= 0x3040 && r <= 0x9FFF {
			jp++
		}
	}
	return n >= 2 && n <= 60 && jp*2 >= n
}

func nameDetectorID(cat string) string {
	if cat == "name_kana" {
		return nameKanaID
	}
	return nameID
}

// digitBytes returns the ASCII digits of v.
func digitBytes(v []byte) []byte {
	out := make([]byte, 0, len(v))
	for _, c := range v {
		if c >= '0' && c <= '9' {
			out = append(out, c)
		}
	}
	return out
}

// smallNumber parses a cell of 1–3 digits.
func smallNumber(v []byte) (int, bool) {
	if len(v) == 0 || len(v) > 3 {
		return 0, false
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseBirthCell reads a date cell of a birth-date column (西暦 or 和暦).
func parseBirthCell(v []byte) (string, bool) {
	buf := make([]byte, 0, len(v)+16)
	buf = append(buf, "生年月日:"...)
	buf = append(buf, v...)
	for _, m := range (BirthDate{}).Find(nil, buf) {
		return m.Value, true
	}
	return "", false
}

// validISBN checks an ISBN-10 or ISBN-13 check digit (digits only; an
// ISBN-10 check digit X is not supported by digitBytes and fails).
func validISBN(d []byte) bool {
	switch len(d) {
	case 13:
		sum := 0
		for i, c := range d[:12] {
			w := 1
			if i%2 == 1 {
				w = 3
			}
			sum += int(c-'0') * w
		}
		return (10-sum%10)%10 == int(d[12]-'0')
	case 10:
		sum := 0
		for i, c := range d {
			sum += int(c-'0') * (10 - i)
		}
		return sum%11 == 0
	}
	return false
}

// isDummyName reports whether v is a recognisable dummy name.
func isDummyName(v string) bool { return nameDataOnce().isDummy(v) }

// isDummyAddress reports whether an address is a recognisable placeholder
// (テスト県…, or one of patterns/dummy.txt's addresses).
func isDummyAddress(v string) bool {
	if strings.Contains(v, "テスト") || strings.Contains(v, "〇〇") || strings.Contains(v, "○○") {
		return true
	}
	for _, d := range dummies().address {
		if strings.HasPrefix(strings.ReplaceAll(v, " ", ""), d) {
			return true
		}
	}
	return false
}
