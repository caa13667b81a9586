package detectors

import (
	"bytes"
	"hash/maphash"
	"strings"
)

// Located is a match placed in its file.
type Located struct {
	Match
	Line   int   // 1-based line; 0 in a binary
	Offset int64 // byte offset of the string in a binary; 0 in text
	Org    bool  // organisational contact data (the library's own number, …)
	// Context is the fixed word, label or header that typed the match or
	// capped it ("header 電話番号", "credit line"): report.Finding.Context.
	Context string
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
	rowDelim     byte                    // the delimiter of the headerless row in hand
	creditsFile  bool                    // the file is credits, a change log or package metadata
	credits      bool                    // inside a credits section
	creditsLeft  int                     // lines left in a credits section opened by a plain heading (-1: to the next heading)
	attributed   [attrDictionary + 1]int // matches capped as public attributions, by how
	vocabSeen    vocabSeen               // words that named the list
	headFields   []Field                 // the fields of a.heads
	colHeads     []string                // "header " and every header cell of the open table, as shown (findings[].context)
	listed       []listedContact         // contact values alone on their lines, persons if there are minListed of them
	nonBlank     int                     // lines with text
	document     bool                    // the file is documentation markup (a man page, HTML, Markdown, Texinfo): its bare addresses are examples and credits
	dictSample   int                     // lines of the file's start tried as dictionary entries
	dictHits     int                     // … that are
	prof         runProfile              // the open headerless run (profile.go)
	hints        []Field                 // the types of the headerless row in hand's cells, by position
	placeholders []heldPlaceholder       // records of a placeholder name and reading data, for the file to decide (placeholder.go)
	idKeyed      int                     // persons' records keyed on a patron ID
	contactKeyed int                     // … on a contact value alone
	areaEv       map[uint64]areaEvidence // area evidence of persons' records, by their first identifier (areas.go)
}

// dictSampleLines is how many first lines are tried as dictionary
// entries; a file most of whose sampled lines are entries is a
// dictionary throughout.
const dictSampleLines = 256

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
	if len(a.prof.held) > 0 && (isBlankLine(text) && a.heldTentative() || !isBlankLine(text) && !a.continuesRun(text, ms)) {
		a.flushHeld() // the headerless run has ended: type its held lines
	}
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
	for i := range ms {
		if ms[i].Context == "" {
			ms[i].Context = labelContext(text, &ms[i]) // the label or honorific beside it (labels.go)
		}
	}
	a.nonBlank++
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
	if a.lines <= vocabLines && hasPrefixAny(text, ".TH ", ".Dd ", ".TH\t", "\\input texinfo", "<!DOCTYPE", "<html", "<HTML") {
		a.document = true
	}
	if len(ms) > 0 {
		if a.creditsLeft > 0 {
			if a.creditsLeft--; a.creditsLeft == 0 {
				a.credits = false
			}
		}
	} else if h, ok, explicit := headingKind(text); ok {
		// Explicit markup opens and ends sections; a plain heading line
		// only opens a credits section, for plainCreditsLines lines (a
		// line "リーダー:" inside the credits does not end them).
		switch credits := creditsHeading(h); {
		case explicit:
			a.credits, a.creditsLeft = credits, -1
		case credits:
			a.credits, a.creditsLeft = true, plainCreditsLines
		}
	} else if a.creditsLeft > 0 {
		if a.creditsLeft--; a.creditsLeft == 0 {
			a.credits = false
		}
	}
	if len(ms) > 0 {
		a.attribute(text, ms)
	}
	markOrganisational(text, ms)
	if len(a.prof.held) > 0 && (len(ms) == 0 && !mayBeDatedRow(text) || bytes.HasPrefix(trimASCIISpace(text), []byte("INSERT"))) {
		a.flushHeld() // the line is no row of the run
	}
	if a.insertRows(line, offset, text, ms) {
		return
	}
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
	if (len(ms) > 0 || a.readingWords() && mayBeDatedRow(text)) && a.headerlessRow(line, offset, text, ms) {
		return
	}
	if a.prof.n != 0 {
		a.flushHeld()
		a.prof.reset(0, 0) // the run has ended
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
		ms[i].Context = attributionContext[kind]
	}
	a.attributed[kind] += len(ms)
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
			m.Org, m.Context = true, "organisation: government or role mailbox"
		}
		if m.Start == 0 || (text[m.Start-1] != '<' && text[m.Start-1] != '(') {
			// "Name <address>" and "Name (address)" are how credits and
			// headers write an author, never how a record holds a patron.
			continue
		}
		for j := range ms {
			n := &ms[j]
			if isNameCat(n.Category) && n.End <= m.Start-1 && n.End >= m.Start-12 &&
				creditGap(text[n.End:m.Start-1]) {
				m.Org, n.Org = true, true
				m.Context, n.Context = "credit: Name <address>", "credit: Name <address>"
			}
		}
	}
}

// SetName tells the analyzer the file's name: a vendor's export is often
// named for what it holds (tokusoku_200506.csv, 延滞リスト.xlsx).
func (a *Analyzer) SetName(name string) {
	a.creditsFile = attributionFile(name)
	a.document = documentFile(name)
	if i := strings.LastIndexAny(name, "/\\"); i >= 0 {
		name = name[i+1:]
	}
	countVocabSeen(&a.vocab, &a.vocabSeen, []byte(strings.ToUpper(name)))
}

// orgEmail reports whether an address belongs to a government body
// (*.lg.jp for local government, *.go.jp for the state): organisational
// contact data, not a person's.
func orgEmail(v string) bool {
	v = strings.ToLower(v)
	return strings.HasSuffix(v, ".lg.jp") || strings.HasSuffix(v, ".go.jp")
}
