package detectors

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Classification names of the contract (files[].classification).
const (
	ClassNone           = "none"
	ClassOverdueList    = "overdue_list"
	ClassHoldList       = "hold_list"
	ClassPatronRegistry = "patron_registry"
	ClassLoanRecord     = "loan_record"
	ClassContactList    = "contact_list"
)

// MinConfidence is the confidence below which a match is reported but
// does not count toward a file's verdict.
const MinConfidence = 0.5

// BulkPersons is how many distinct people with contact data make a file
// a bulk leak (severity high) rather than one person's data (medium).
const BulkPersons = 5

const (
	// maxPersonKeys bounds the memory spent on telling people apart in one
	// file; past it, every further record counts as a new person.
	maxPersonKeys = 1 << 18
	// maxBlockLines bounds a block of text lines judged together.
	maxBlockLines = 200
	// maxHeaderLine is the longest line tried as a table header.
	maxHeaderLine = 4096
	// vocabLines is how many first lines of a file count toward its vocabulary.
	vocabLines = 64
	// recentLines is how many lines before a block's first match are
	// searched for organisation words.
	recentLines = 4
)

// Located is a match placed in its file.
type Located struct {
	Match
	Line   int   // 1-based line; 0 in a binary
	Offset int64 // byte offset of the string in a binary; 0 in text
	Org    bool  // organisational contact data (the library's own number, …)
}

// FileVerdict is the judgement on one file from all its records.
type FileVerdict struct {
	Classification string         // contract classification
	Severity       Severity       // the file's severity
	Persons        int            // distinct people whose data the file holds
	Dummy          bool           // the file's personal data is recognisably test data
	Reason         string         // one line: why this verdict
	Columns        []string       // header cells behind the verdict, as written (tables)
	Fields         []string       // kinds of data in the people's records (name, phone, …)
	Categories     map[string]int // counted matches per category (dummy ones included)
	Reasons        []Reason       // why: the evidence behind the class and the context that capped it
}

// FindingSeverity is the severity of one of the file's matches: dummy
// data is info, organisational contact data and matches below
// MinConfidence are low, anything else shares the file's severity.
func (v FileVerdict) FindingSeverity(m Located) Severity {
	switch {
	case m.Dummy, v.Dummy:
		return Info
	case m.Org, m.Confidence < MinConfidence, v.Severity < Low:
		return Low
	}
	return v.Severity
}

// Analyzer reads one file line by line, with the detectors' matches of
// each line, understands its record structure and judges the file.
//
// Tables (CSV, TSV, fixed-width columns, the column list of a database
// dump) are recognised by a header row whose cells name fields
// (patterns/headers.txt); each following row is one record, and its
// cells are typed by their column: a name column's cells are names even
// when the dictionary does not know them, a birth-date column's dates
// are birth dates. A row with delimiters and contact data but no header
// is typed from its values. Any other text is read in blocks separated
// by blank lines, and in sections separated by rule lines or form feeds:
// a section holds one person at a time (a reminder postcard: 〒, address,
// 「氏名 様」, the overdue books); a block with organisation words
// (図書館, 市役所, 株式会社 …) and no person's name holds the
// organisation's own contact data.
//
// Memory is bounded whatever the file size: the current record and block,
// at most maxKept kept matches and a capped set of hashed person keys.
type Analyzer struct {
	binary  bool
	maxKept int
	seed    maphash.Seed

	kept  []Located
	total int

	// table state
	table     bool
	delim     byte
	cols      []Field
	minCells  int
	heads     []string // known header cells as written, of the last table
	cells     [][]byte
	colStarts []int // display column of each header cell (fixed-width tables)
	hbuf      []byte

	blk    block
	cur    record
	recent [recentLines]recentLine
	nrec   int

	vocab        [numVocab]int
	fields       fieldSet // fields of non-dummy person records
	categories   map[string]int
	people       people              // persons, told apart by their identifiers
	dummyPersons map[uint64]struct{} // test people (山田 太郎 with 090-0000-0000)
	myNumber     int
	weak         int // records with weak signals only (an age, a date)
	dummyNamed   int // dummy records with a dummy name (山田太郎)
	org          int // organisational matches
	lines        int
	tableRows    int

	detail       bool                    // the open table has no column that identifies a person
	creditsFile  bool                    // the file is credits, a change log or package metadata
	credits      bool                    // inside a credits section
	attributed   [attrDictionary + 1]int // matches capped as public attributions, by how
	vocabSeen    vocabSeen               // words that named the list
	headFields   []Field                 // the fields of a.heads
	listed       []listedContact         // contact values alone on their lines, persons if there are minListed of them
	dictSample   int                     // lines of the file's start tried as dictionary entries
	dictHits     int                     // … that are
	idKeyed      int                     // persons' records keyed on a patron ID
	contactKeyed int                     // … on a contact value alone
}

// listedContact is a contact value alone on its line, tied to no name.
type listedContact struct {
	key    string
	fields fieldSet
}

// minListed is how many contact values alone on their lines make a
// list of contacts (fewer are an address in a manual, a footer).
const minListed = 3

// dictSampleLines is how many first lines are tried as dictionary
// entries; a file most of whose sampled lines are entries is a
// dictionary throughout.
const dictSampleLines = 256

// recentLine keeps the start of a recent line of the current block, to
// be searched for organisation words once a match turns up.
type recentLine struct{ text []byte }

// maxRecentBytes is how much of a recent line is kept.
const maxRecentBytes = 256

// block is a run of text lines between blank lines.
type block struct {
	items []blockItem
	books []Located
	org   bool
	names int
	lines int
}

type blockItem struct {
	m      Located
	kept   int  // index in kept, or -1
	listed bool // the value is most of its line: a list of contacts, not prose
}

// record is the personal data of one person: a table row, or a section
// of text around one name.
type record struct {
	name, kana      string
	contact, birth  string
	fields          fieldSet
	real, dummy     int
	myNumber, books bool
	nameDummy       bool   // a name that is test data by itself (テスト花子)
	placeholder     []int  // kept indices of placeholder names (山田 太郎): dummy only with fake or no contact data
	realAttrs       int    // real matches other than names: contact data, birth dates, ages, My Numbers
	fromRow         bool   // the record is a table row or a delimited line
	listed          bool   // a contact value that is most of its line (a list of addresses)
	weakBirth       string // an unlabelled 和暦 date: a birth date only beside an age
	weakBirthKept   int
	dummyKey        string    // tells dummy people apart
	dummyNameKey    bool      // dummyKey is a name
	pending         []Located // patron IDs and titles, kept once the record proves to be a person's
}

// NewAnalyzer returns an Analyzer that keeps at most maxKept matches for
// the report (all are counted). binary says the lines are strings
// extracted from a binary file: a table opened by a header there is not
// closed by the junk strings between its rows.
func NewAnalyzer(maxKept int, binary bool) *Analyzer {
	seed := maphash.MakeSeed()
	return &Analyzer{
		binary: binary, maxKept: maxKept, seed: seed, people: newPeople(seed),
		categories: map[string]int{}, dummyPersons: map[uint64]struct{}{},
	}
}

// keep counts a match and keeps it for the report if there is room. It
// returns its index in kept, or -1.
func (a *Analyzer) keep(m Located) int {
	a.total++
	a.categories[m.Category]++
	if len(a.kept) >= a.maxKept {
		return -1
	}
	a.kept = append(a.kept, m)
	return len(a.kept) - 1
}

// Line takes one line of normalised text (without its '\n') and the
// detectors' matches in it, with Start/End relative to text, in order.
// offset is the line's byte offset in a binary (0 in text).
func (a *Analyzer) Line(line int, offset int64, text []byte, ms []Located) {
	a.lines++
	text = bytes.TrimRight(text, "\r")
	// Blank lines, rule lines and form feeds end a block or a section of
	// text; a table goes on across them (a listing's header is underlined,
	// its pages break) until a line does not fit it.
	if i := bytes.LastIndexByte(text, '\f'); i >= 0 {
		// A form feed starts a new page: a new section from here on.
		a.endSection()
		ms = shiftMatches(ms, i+1)
		text = text[i+1:]
	}
	if len(text) == 0 || isBlankLine(text) {
		a.endBlock()
		return
	}
	if isRuleLine(text) {
		a.endSection()
		return
	}
	if a.dictSample < dictSampleLines && !commentLine(text) {
		a.dictSample++
		if dictionaryEntry(text) {
			a.dictHits++
		}
	}
	if h, ok := heading(text); ok && len(ms) == 0 {
		a.credits = creditsHeading(h)
	}
	if len(ms) > 0 {
		a.attribute(text, ms)
	}
	markOrganisational(text, ms)
	if len(ms) == 0 && a.header(text) {
		// A header's words type its columns; they are not counted again
		// as the document's vocabulary (返却期限 beside 返却日 is a loan
		// history's column, not a reminder's wording). A table with no
		// column that identifies a person (書名 / 返却期限 in a reminder)
		// belongs to the section in hand.
		if a.detail {
			a.endBlock()
		} else {
			a.endSection()
		}
		return
	}
	if a.lines <= vocabLines {
		countVocabSeen(&a.vocab, &a.vocabSeen, text)
	}
	if a.table {
		if a.tableRow(line, offset, text, ms) {
			return
		}
		if !a.binary {
			a.table = false
		}
	}
	if len(ms) > 0 && a.headerlessRow(line, offset, text, ms) {
		return
	}
	a.blockLine(line, offset, text, ms)
}

// attribute marks the matches of a line that are public attributions
// or dictionary entries: organisational, never a person's record.
func (a *Analyzer) attribute(text []byte, ms []Located) {
	kind := notAttribution
	switch {
	case a.creditsFile:
		kind = attrFile
	case a.credits:
		kind = attrSection
	case creditLine(text) || roffComment(text):
		kind = attrLine
	case dictionaryEntry(text):
		kind = attrDictionary
	default:
		return
	}
	for i := range ms {
		ms[i].Org = true
	}
	a.attributed[kind] += len(ms)
}

// isBlankLine reports whether a line holds only white space.
func isBlankLine(b []byte) bool {
	return len(bytes.TrimSpace(b)) == 0
}

// markOrganisational marks the matches of a line that are not a private
// person's: a government body's e-mail address (*.lg.jp, *.go.jp), and a
// "Name <address>" attribution of a maintainer or author.
func markOrganisational(text []byte, ms []Located) {
	for i := range ms {
		m := &ms[i]
		if m.Category != "email" {
			continue
		}
		if orgEmail(m.Value) || roleMailbox(m.Value) {
			m.Org = true
		}
		if m.Start == 0 || text[m.Start-1] != '<' {
			continue
		}
		for j := range ms {
			n := &ms[j]
			if isNameCat(n.Category) && n.End <= m.Start-1 && n.End >= m.Start-3 {
				m.Org, n.Org = true, true
			}
		}
	}
}

// SetName tells the analyzer the file's name: a vendor's export is often
// named for what it holds (tokusoku_200506.csv, 延滞リスト.xlsx).
func (a *Analyzer) SetName(name string) {
	a.creditsFile = attributionFile(name)
	if i := strings.LastIndexAny(name, "/\\"); i >= 0 {
		name = name[i+1:]
	}
	countVocabSeen(&a.vocab, &a.vocabSeen, []byte(strings.ToUpper(name)))
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
		if known >= 2 && known*2 >= len(a.cells) && known > bestKnown {
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
	a.minCells = 2
	a.detail = true
	for i, c := range a.cells {
		var f Field
		f, a.hbuf = headerField(a.hbuf, c)
		a.cols = append(a.cols, f)
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
	if !hasContact && !(hasName && hasDateCell(text)) {
		// A row is a person's record when it holds contact data, or a
		// name beside a date (a loan, a hold) in delimited cells.
		return false
	}
	for _, d := range [...]byte{'\t', ',', ' '} {
		if d == ' ' {
			// A print line: columns two or more spaces apart.
			if bytes.Count(trimASCIISpace(text), []byte("  ")) < 2 {
				continue
			}
		} else if bytes.Count(text, []byte{d}) < 2 {
			continue
		}
		a.cells = splitCells(a.cells[:0], text, d)
		if len(a.cells) < 3 {
			continue
		}
		a.row(line, offset, text, ms, nil)
		return true
	}
	return false
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
	at := func(s, e int) Located {
		return Located{Match: Match{Start: s, End: e}, Line: line, Offset: offset}
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
		a.add(r, m, a.keep(m))
	}
	var split [4][]byte // surname, given name, their kana: joined into one name below
	for i, c := range a.cells {
		f := FieldNone
		if i < len(cols) {
			f = cols[i]
		}
		v := cellText(c)
		if len(v) == 0 {
			continue
		}
		s, e := cellSpan(text, v)
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
			if cat == "" && dummy {
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
		if len(v) == 0 || isDateCell(v) {
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
				if conf >= 0.8 {
					m := Located{Match: Match{Detector: nameDetectorID(cat), Category: cat, Value: string(v),
						Start: s, End: e, Confidence: confValueName, Dummy: isDummyName(string(v))}, Line: line, Offset: offset}
					a.add(r, m, a.keep(m))
				}
				continue
			}
		}
		if dated && !titled && !looksLikeAddress(string(v)) && (r.contact != "" || hasPatronID(r)) {
			// A title from its value alone (Japanese text beside a date)
			// only in a row that says whose it is: a dictionary's word
			// beside a date is no loan.
			titled = true
			m := Located{Match: Match{Detector: BookTitleDetector, Category: "book_title", Value: string(v),
				Start: s, End: e, Confidence: confValueTitle}, Line: line, Offset: offset}
			r.pending = append(r.pending, m)
			r.fields.add(FieldLoanDate)
		}
	}
}

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

// contactKinds counts the kinds of contact data in a set of fields: a
// phone, an e-mail address, a postal address (with or without its
// postal code). Two of them in one section tie it to one addressee.
func contactKinds(f fieldSet) int {
	n := 0
	if f.has(FieldPhone) {
		n++
	}
	if f.has(FieldEmail) {
		n++
	}
	if f.has(FieldAddress) || f.has(FieldPostalCode) {
		n++
	}
	return n
}

// identified reports whether a record says more of its person than a
// name: contact data or a patron ID.
func identified(r *record) bool {
	return r.contact != "" || hasPatronID(r) || r.fields.has(FieldAddress) || r.fields.has(FieldPostalCode)
}

// hasPatronID reports whether a record holds a patron ID.
func hasPatronID(r *record) bool {
	for _, m := range r.pending {
		if m.Category == "patron_id" {
			return true
		}
	}
	return false
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

// blockLine adds a line of free text to the current block.
func (a *Analyzer) blockLine(line int, offset int64, text []byte, ms []Located) {
	b := &a.blk
	org := false
	if len(b.items) > 0 || len(ms) > 0 || a.cur.name != "" {
		var counts [numVocab]int
		seen := &a.vocabSeen
		if a.lines <= vocabLines {
			seen = nil // counted in Line already
		}
		countVocabSeen(&counts, seen, text)
		org = counts[vocabOrganisation] > 0
		if a.lines > vocabLines {
			for i, n := range counts {
				a.vocab[i] += n
			}
		}
	}
	if len(ms) > 0 && len(b.items) == 0 {
		// The block's first match: were the lines before it an organisation's?
		for i := 0; i < recentLines && i < b.lines; i++ {
			org = org || hasVocab(a.recent[i].text, vocabOrganisation)
		}
	}
	b.org = b.org || org
	// Remember this line (the ring holds the block's last lines, newest first).
	last := a.recent[recentLines-1].text[:0]
	copy(a.recent[1:], a.recent[:recentLines-1])
	a.recent[0].text = append(last, text[:min(len(text), maxRecentBytes)]...)
	b.lines++
	content := len(trimASCIISpace(text))
	for _, m := range ms {
		if isNameCat(m.Category) && m.Confidence >= MinConfidence && !m.Dummy && !m.Org {
			b.names++
		}
		listed := contactCategory(m.Category) && (m.End-m.Start)*10 >= content*6
		b.items = append(b.items, blockItem{m: m, kept: a.keep(m), listed: listed})
	}
	// Titles in 『』 on a line are the reading data of the person in hand.
	for rest, base := text, 0; ; {
		i := bytes.Index(rest, []byte("『"))
		if i < 0 {
			break
		}
		j := bytes.Index(rest[i:], []byte("』"))
		if j < 0 {
			break
		}
		s, e := base+i+len("『"), base+i+j
		if e > s {
			m := Located{Match: Match{Detector: BookTitleDetector, Category: "book_title", Value: string(text[s:e]),
				Start: s, End: e, Confidence: confBracketTitle}, Line: line, Offset: offset}
			b.books = append(b.books, m)
		}
		base += i + j + len("』")
		rest = text[base:]
	}
	if b.lines >= maxBlockLines {
		a.endBlock()
	}
}

// endBlock judges the current block: an organisation's block keeps its
// contact data out of the people; any other feeds the section's person.
func (a *Analyzer) endBlock() {
	b := &a.blk
	if b.org && b.names == 0 {
		for _, it := range b.items {
			if it.kept >= 0 {
				a.kept[it.kept].Org = true
			}
			a.org++
		}
	} else {
		for _, it := range b.items {
			m := it.m
			r := &a.cur
			switch {
			case isNameCat(m.Category) && m.Confidence >= MinConfidence && !m.Dummy && !m.Org:
				v := personKey(m.Value)
				if (m.Category == "name" && r.name != "" && r.name != v) ||
					(m.Category == "name_kana" && r.kana != "" && r.kana != v && r.name == "") {
					a.closeRecord()
				}
			case m.Category == "postal_code" && r.fields.has(FieldPostalCode) && r.name != "":
				a.closeRecord() // a new address block after a named person: the next postcard
			case (m.Category == "phone" || m.Category == "email") && r.name == "" && r.kana == "" &&
				r.contact != "" && r.contact != m.Category+":"+m.Value && m.Confidence >= MinConfidence && !m.Dummy:
				a.closeRecord() // a list of contacts without names: one per record
			}
			a.add(&a.cur, m, it.kept)
			a.cur.listed = a.cur.listed || it.listed
		}
		if len(b.books) > 0 && (a.cur.name != "" || a.cur.kana != "") && identified(&a.cur) {
			// Titles in 『』 are the reading data of a person the section
			// says more of (a reminder's address, phone or card number):
			// beside a bare name they are a text's citations.
			for _, m := range b.books {
				a.keep(m)
				a.cur.books = true
				a.cur.fields.add(FieldBookTitle)
			}
		}
	}
	b.items, b.books = b.items[:0], b.books[:0]
	b.org, b.names, b.lines = false, 0, 0
}

// endSection closes the block and the person in hand.
func (a *Analyzer) endSection() {
	a.endBlock()
	a.closeRecord()
}

// add records a match in r. kept is its index in a.kept (-1: not kept,
// -2: already counted by keep).
func (a *Analyzer) add(r *record, m Located, kept int) {
	_ = kept
	if m.Org {
		a.org++
		return
	}
	if m.Dummy && isNameCat(m.Category) && placeholderName(m.Value) {
		// 山田 太郎 or 鈴木 一郎 may be a real person: the record is test
		// data only if its contact data is too (closeRecord decides).
		if kept != -1 {
			r.placeholder = append(r.placeholder, kept)
		}
		if !r.dummyNameKey {
			r.dummyKey, r.dummyNameKey = personKey(m.Value), true
		}
		m.Dummy = false
	}
	if m.Dummy {
		r.dummy++
		if isNameCat(m.Category) {
			r.nameDummy = true
			if !r.dummyNameKey {
				// Test people are told apart by their names: many share
				// one placeholder number.
				r.dummyKey, r.dummyNameKey = personKey(m.Value), true
			}
		} else if r.dummyKey == "" {
			r.dummyKey = m.Category + ":" + m.Value
		}
		return
	}
	if m.Confidence < MinConfidence {
		if m.Category == "birth_date" && r.weakBirth == "" {
			r.weakBirth, r.weakBirthKept = m.Value, kept
		}
		return
	}
	r.real++
	if !isNameCat(m.Category) && m.Category != "patron_id" && m.Category != "book_title" && m.Category != "isbn" {
		r.realAttrs++
	}
	switch m.Category {
	case "name":
		if r.name == "" {
			r.name = personKey(m.Value)
		}
		r.fields.add(FieldName)
	case "name_kana":
		if r.kana == "" {
			r.kana = personKey(m.Value)
		}
		r.fields.add(FieldNameKana)
	case "phone", "email":
		if r.contact == "" {
			r.contact = m.Category + ":" + m.Value
		}
		r.fields.add(map[string]Field{"phone": FieldPhone, "email": FieldEmail}[m.Category])
	case "address":
		r.fields.add(FieldAddress)
	case "postal_code":
		r.fields.add(FieldPostalCode)
	case "my_number":
		r.myNumber = true
		if r.contact == "" {
			r.contact = "my:" + m.Value
		}
		r.fields.add(FieldMyNumber)
	case "birth_date":
		if r.birth == "" {
			r.birth = m.Value
		}
		r.fields.add(FieldBirthDate)
	case "age":
		r.fields.add(FieldAge)
	case "book_title", "isbn":
		r.books = true
		r.fields.add(FieldBookTitle)
	case "patron_id":
		r.fields.add(FieldPatronID)
	}
}

// closeRecord counts the record in hand as a person (or not) and starts
// a new one.
func (a *Analyzer) closeRecord() {
	r := &a.cur
	defer func() {
		pending := r.pending[:0]
		*r = record{pending: pending}
	}()
	if r.real == 0 && r.dummy == 0 {
		return
	}
	a.nrec++
	if r.weakBirth != "" && r.birth == "" && r.fields.has(FieldAge) {
		r.birth = r.weakBirth
		r.fields.add(FieldBirthDate)
		if r.weakBirthKept >= 0 {
			a.kept[r.weakBirthKept].Confidence = birthConfAge
		}
	}
	ident := r.name
	if ident == "" {
		ident = r.kana
	}
	// A placeholder name with no real contact data is test data.
	// A placeholder name is test data when the record's other values are
	// too, most of them (山田 太郎, 090-0000-0000, a made-up street); with
	// real-looking contact data it is a person (鈴木 一郎 is one).
	placeholder := len(r.placeholder) > 0 && (r.realAttrs == 0 || r.dummy >= r.realAttrs)
	dummy := r.nameDummy || placeholder || r.real == 0
	keys := personKeys(r)
	if dummy && r.dummyKey != "" {
		keys = []string{"d:" + r.dummyKey}
	}
	contactOnly := len(keys) == 1 && strings.HasPrefix(keys[0], "c:")
	if !dummy && contactOnly && !r.fromRow && r.listed {
		// An address alone on its line: one of a list of contacts if the
		// file has several such lines (Result decides).
		if len(a.listed) < maxPersonKeys {
			a.listed = append(a.listed, listedContact{key: keys[0], fields: r.fields})
		}
		return
	}
	if len(keys) == 0 || (!dummy && contactOnly && !r.fromRow && contactKinds(r.fields) < 2) {
		// Nothing identifies a person, or only an address or a number in
		// running text (a bug-report address, a mailing list in a manual):
		// a weak signal, not a record of a person.
		if !dummy {
			a.weak++
		}
		return
	}
	if !dummy {
		for _, k := range r.placeholder {
			if k >= 0 {
				a.kept[k].Dummy = false
			}
		}
	} else if placeholder {
		for _, k := range r.placeholder {
			if k >= 0 {
				a.kept[k].Dummy = true
			}
		}
	}
	if dummy {
		h := maphash.String(a.seed, keys[0])
		if r.nameDummy || placeholder {
			a.dummyNamed++
		}
		if len(a.dummyPersons) < maxPersonKeys {
			a.dummyPersons[h] = struct{}{}
		}
		return
	}
	// A person's patron ID and reading data count once the record is a person's.
	for _, m := range r.pending {
		a.keep(m)
		a.add(r, m, -2)
	}
	hasContact := r.fields.has(FieldPhone) || r.fields.has(FieldEmail) || r.fields.has(FieldAddress) ||
		r.fields.has(FieldPostalCode) || r.myNumber
	a.people.add(keys, hasContact)
	switch {
	case strings.HasPrefix(keys[0], "id:"):
		a.idKeyed++
	case strings.HasPrefix(keys[0], "c:"):
		a.contactKeyed++
	}
	if r.myNumber {
		a.myNumber++
	}
	a.fields |= r.fields
}

// Result closes the file and returns its verdict and the kept matches in
// file order, with the number of all matches.
func (a *Analyzer) Result() (FileVerdict, []Located, int) {
	a.endSection()
	if len(a.listed) >= minListed {
		for _, l := range a.listed {
			a.people.add([]string{l.key}, true)
			a.fields |= l.fields
			a.contactKeyed++
			a.nrec++
		}
	} else {
		a.weak += len(a.listed)
	}
	a.listed = nil
	if a.dictSample >= 10 && a.dictHits*2 >= a.dictSample {
		a.capDictionary()
	}
	v := FileVerdict{Classification: ClassNone, Categories: a.categories}
	persons := a.people.count()
	v.Persons = persons
	v.Classification = a.classify()
	reading := v.Classification == ClassOverdueList || v.Classification == ClassHoldList ||
		v.Classification == ClassLoanRecord || v.Classification == ClassPatronRegistry
	switch {
	case a.myNumber > 0:
		v.Severity = Critical
	case reading && persons > 0:
		v.Severity = Critical
	case a.people.nContact >= BulkPersons:
		v.Severity = High
	case a.people.nContact > 0:
		v.Severity = Medium
	case persons == 0 && (a.dummyNamed > 0 || len(a.dummyPersons) >= 2):
		// Only test people: 山田太郎, 090-0000-0000, example.com.
		v.Severity, v.Dummy = Info, true
		v.Persons = len(a.dummyPersons)
	case persons > 0 || a.weak > 0 || a.org > 0:
		v.Severity = Low
	case a.total > 0:
		v.Severity = Low
		if a.onlyDummy() {
			v.Severity = Info // a lone placeholder (support@example.co.jp in a manual)
		}
	}
	if v.Classification == ClassNone && v.Severity <= Low && !v.Dummy {
		// Names alone, organisational data, weak signals: no record ties a
		// person to personal data, so the file holds no one's record.
		v.Persons = 0
	}
	v.Reason = a.reason(v)
	v.Reasons = a.reasons(v)
	if v.Persons > 0 && !v.Dummy {
		if a.tableRows > 0 && len(a.heads) > 0 {
			v.Columns = append([]string(nil), a.heads...)
		}
		for f := Field(1); f < numFields; f++ {
			if a.fields.has(f) && f.data() {
				v.Fields = append(v.Fields, f.String())
			}
		}
	}
	sort.SliceStable(a.kept, func(i, j int) bool {
		if a.kept[i].Line != a.kept[j].Line {
			return a.kept[i].Line < a.kept[j].Line
		}
		if a.kept[i].Offset != a.kept[j].Offset {
			return a.kept[i].Offset < a.kept[j].Offset
		}
		return a.kept[i].Start < a.kept[j].Start
	})
	return v, a.kept, a.total
}

// onlyDummy reports whether every counted match is dummy data.
func (a *Analyzer) onlyDummy() bool {
	for _, m := range a.kept {
		if !m.Dummy && m.Confidence >= MinConfidence && !m.Org {
			return false
		}
	}
	return len(a.kept) > 0
}

// classify names the kind of record set from the fields of its people
// and the vocabulary around them.
func (a *Analyzer) classify() string {
	if a.people.count() == 0 {
		return ClassNone
	}
	f := a.fields
	score := func(v vocabClass, fs ...Field) int {
		n := 0
		if v < numVocab {
			n = a.vocab[v]
		}
		for _, x := range fs {
			if f.has(x) {
				n += 3
			}
		}
		return n
	}
	// What the dates mean: a due date is an overdue list's only while the
	// loans are not returned; a loan history's 返却日 says they were.
	returned := f.has(FieldReturnDate)
	overdue := score(vocabOverdue, FieldOverdueDays)
	if !returned {
		overdue += score(vocabNone, FieldDueDate)
	}
	hold := score(vocabHold, FieldHoldNo, FieldHoldDate, FieldHoldExpiry, FieldPickup)
	books := f.has(FieldBookTitle) || f.has(FieldISBN)
	person := f.has(FieldName) || f.has(FieldNameKana) || f.has(FieldPatronID)
	contact := f.has(FieldPhone) || f.has(FieldEmail) || f.has(FieldAddress) || f.has(FieldPostalCode)
	// Attributes that make a list of names a register of people: contact
	// data, a birth date, an identifier. A registration, update or expiry
	// date, a sex or a register's title alone do not (a staff list
	// 氏名,内線,更新日 is names).
	attrs := contact || f.has(FieldBirthDate) || f.has(FieldMyNumber) || f.has(FieldPatronID) || f.has(FieldAge)
	switch {
	case books && person && overdue > 0 && overdue >= hold:
		return ClassOverdueList
	case books && person && hold > 0:
		return ClassHoldList
	case books && person:
		return ClassLoanRecord
	case hold >= 6 && person && attrs &&
		(f.has(FieldHoldNo) || f.has(FieldHoldDate) || f.has(FieldHoldExpiry) || f.has(FieldPickup)):
		// A hold list without titles (予約番号, 氏名, 電話番号, 取置期限): its
		// columns say so, not the word 予約 in a text.
		return ClassHoldList
	case f.has(FieldBirthDate) || f.has(FieldMyNumber) ||
		(f.has(FieldPatronID) && contact) ||
		(person && attrs && (f.has(FieldRegistered) || f.has(FieldSex) || a.vocab[vocabRegistry] > 0)):
		return ClassPatronRegistry
	case contact:
		if person || a.people.nContact >= BulkPersons {
			return ClassContactList
		}
	}
	return ClassNone
}

var classWords = map[string]string{
	ClassOverdueList: "overdue list", ClassHoldList: "hold list", ClassPatronRegistry: "patron registry",
	ClassLoanRecord: "loan record", ClassContactList: "contact list",
}

// reason explains the verdict in one line.
func (a *Analyzer) reason(v FileVerdict) string {
	var b strings.Builder
	if w, ok := classWords[v.Classification]; ok {
		b.WriteString(w + ": ")
	}
	switch {
	case a.tableRows > 0 && len(a.heads) > 0 && v.Persons > 0:
		heads := a.heads
		if len(heads) > 8 {
			heads = heads[:8]
		}
		fmt.Fprintf(&b, "%s columns", strings.Join(heads, "/"))
	case v.Persons > 0:
		var fs []string
		for f := Field(1); f < numFields; f++ {
			if a.fields.has(f) {
				fs = append(fs, f.String())
			}
		}
		fmt.Fprintf(&b, "records with %s", strings.Join(fs, "+"))
	default:
		cats := make([]string, 0, len(a.categories))
		for c := range a.categories {
			cats = append(cats, c)
		}
		sort.Strings(cats)
		for i, c := range cats {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s×%d", c, a.categories[c])
		}
	}
	if v.Persons > 0 && !v.Dummy {
		fmt.Fprintf(&b, ", %d people", v.Persons)
	}
	switch {
	case v.Dummy:
		b.WriteString("; all recognisable test data")
	case a.myNumber > 0:
		b.WriteString("; My Number present")
	case a.org > 0 && v.Persons == 0:
		b.WriteString("; organisational contact data")
	}
	return b.String()
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

// orgEmail reports whether an address belongs to a government body
// (*.lg.jp for local government, *.go.jp for the state): organisational
// contact data, not a person's.
func orgEmail(v string) bool {
	v = strings.ToLower(v)
	return strings.HasSuffix(v, ".lg.jp") || strings.HasSuffix(v, ".go.jp")
}

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
	return string(bytes.Trim(c, " \t\r'`\"()[]<>「」【】『』:：*＊※"))
}
