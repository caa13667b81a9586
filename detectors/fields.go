package detectors

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rouei/rouei/patterns"
)

// Field is the kind of a column of a record set (patterns/headers.txt).
type Field uint8

// Fields of personal and library records.
const (
	FieldNone Field = iota
	FieldName
	FieldNameKana
	FieldPhone
	FieldEmail
	FieldAddress
	FieldPostalCode
	FieldBirthDate
	FieldAge
	FieldMyNumber
	FieldPatronID
	FieldBookTitle
	FieldISBN
	FieldAuthor
	FieldPublisher
	FieldLoanDate
	FieldDueDate
	FieldOverdueDays
	FieldHoldNo
	FieldHoldDate
	FieldHoldExpiry
	FieldPickup
	FieldRegistered
	FieldSex
	FieldDept
	FieldReturnDate // the date a loan was returned: a loan history, not an overdue list
	FieldUpdated    // a record's update or expiry date: says nothing of what the record is
	FieldExtension  // an internal extension (内線): organisational, never a person's phone
	FieldSurname    // 姓: joined with FieldGivenName into one name
	FieldGivenName  // 名
	FieldSurnameKana
	FieldGivenKana
	numFields
)

var fieldNames = [numFields]string{
	"", "name", "name_kana", "phone", "email", "address", "postal_code", "birth_date", "age",
	"my_number", "patron_id", "book_title", "isbn", "author", "publisher", "loan_date",
	"due_date", "overdue_days", "hold_no", "hold_date", "hold_expiry", "pickup", "registered", "sex", "dept",
	"return_date", "updated", "extension", "surname", "given_name", "surname_kana", "given_kana",
}

// String returns the field's name as in patterns/headers.txt.
func (f Field) String() string {
	if f < numFields {
		return fieldNames[f]
	}
	return "field?"
}

// data reports whether the field is personal or reading data (as
// opposed to a column that only tells what kind of list it is).
func (f Field) data() bool {
	switch f {
	case FieldName, FieldNameKana, FieldPhone, FieldEmail, FieldAddress, FieldPostalCode,
		FieldBirthDate, FieldAge, FieldMyNumber, FieldPatronID, FieldBookTitle, FieldISBN:
		return true
	}
	return false
}

// identifies reports whether a column of this field tells whose record
// a row is: a table without one is a detail table (the titles and dates
// of a reminder), whose rows belong to the person in hand.
func (f Field) identifies() bool {
	switch f {
	case FieldName, FieldNameKana, FieldPhone, FieldEmail, FieldAddress, FieldPostalCode, FieldBirthDate,
		FieldMyNumber, FieldPatronID, FieldSurname, FieldGivenName, FieldSurnameKana, FieldGivenKana,
		FieldAuthor, FieldPublisher, FieldDept, FieldExtension, FieldHoldNo:
		return true
	}
	return false
}

// fieldSet is a set of fields.
type fieldSet uint32

func (s fieldSet) has(f Field) bool { return s&(1<<f) != 0 }
func (s *fieldSet) add(f Field)     { *s |= 1 << f }

// headerFields maps a normalised header (see normHeader) to its field.
var headerFields = sync.OnceValue(func() map[string]Field {
	byName := map[string]Field{}
	for f := Field(1); f < numFields; f++ {
		byName[f.String()] = f
	}
	out := map[string]Field{}
	for key, heads := range patterns.Fields("headers.txt") {
		f, ok := byName[key]
		if !ok {
			panic("detectors: headers.txt names an unknown field " + key)
		}
		for _, h := range heads {
			out[string(normHeader(nil, []byte(h)))] = f
		}
	}
	return out
})

// headerHeads is a bitmap of the first three bytes of every header (in
// upper and lower case), so that a line that names no field is passed
// over without being split into cells.
var headerHeads = sync.OnceValue(func() []uint64 {
	bits := make([]uint64, 1<<24/64)
	set := func(h string) {
		if len(h) >= 3 {
			k := uint32(h[0])<<16 | uint32(h[1])<<8 | uint32(h[2])
			bits[k/64] |= 1 << (k % 64)
		}
	}
	for h := range headerFields() {
		set(h)
		set(strings.ToLower(h))
	}
	return bits
})

// mayBeHeader reports whether line could be a header row: at least two
// of its cells could start with a known header.
func mayBeHeader(line []byte) bool {
	bits := headerHeads()
	hits := 0
	for i := 0; i+2 < len(line); i++ {
		if i > 0 && !cellStart[line[i-1]] {
			continue
		}
		k := uint32(line[i])<<16 | uint32(line[i+1])<<8 | uint32(line[i+2])
		if bits[k/64]&(1<<(k%64)) != 0 {
			if hits++; hits >= 2 {
				return true
			}
		}
	}
	return false
}

// cellStart marks the bytes after which a header cell can start.
var cellStart = func() (t [256]bool) {
	for _, c := range []byte(" \t,\"'(|") {
		t[c] = true
	}
	return t
}()

// headerField returns the field a header cell names.
func headerField(buf []byte, cell []byte) (Field, []byte) {
	buf = normHeader(buf[:0], cell)
	return headerFields()[string(buf)], buf
}

// mayBeHeaderWord reports cheaply whether w could be a known header: a
// short cell whose first three bytes start one (headerHeads).
func mayBeHeaderWord(w []byte) bool {
	if len(w) < 3 || len(w) > 40 {
		return len(w) > 0 && len(w) < 3 // short ASCII headers (ID) are looked up
	}
	k := uint32(w[0])<<16 | uint32(w[1])<<8 | uint32(w[2])
	return headerHeads()[k/64]&(1<<(k%64)) != 0
}

// isHeaderWord reports whether w is a known column header (電話番号,
// タイトル): after a label it is the next cell of a header row, not a value.
func isHeaderWord(w []byte) bool {
	var buf [64]byte
	if len(w) > len(buf) {
		return false
	}
	return headerFields()[string(normHeader(buf[:0], w))] != FieldNone
}

// normHeader appends the normalised form of a header cell to dst: the
// last double-quoted identifier if there is one ("PATRON_NO" in
// `INSERT INTO "PATRON" ("PATRON_NO"`), else the cell trimmed of white
// space, quotes, brackets and a trailing colon, ASCII upper-cased.
func normHeader(dst, cell []byte) []byte {
	if i := bytes.LastIndexByte(cell, '"'); i > 0 {
		if j := bytes.LastIndexByte(cell[:i], '"'); j >= 0 && i-j > 1 {
			cell = cell[j+1 : i]
		}
	}
	cell = trimHeaderCell(cell)
	for _, c := range cell {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// vocabClass is a class of words that hint at a record set's kind.
type vocabClass uint8

const (
	vocabOverdue vocabClass = iota
	vocabHold
	vocabLoan
	vocabRegistry
	vocabContact
	vocabOrganisation
	numVocab
	vocabNone = numVocab // no vocabulary class (scores fields alone)
)

var vocabClassNames = map[string]vocabClass{
	"overdue": vocabOverdue, "hold": vocabHold, "loan": vocabLoan, "registry": vocabRegistry,
	"contact": vocabContact, "organisation": vocabOrganisation,
}

type vocabWord struct {
	word  []byte
	class vocabClass
}

// vocabIndex is patterns/vocabulary.txt indexed for one pass over a
// line: a bitmap of the first three bytes of every word (2 MiB; most
// positions of a line start no word) and the words by those bytes.
type vocabIndex struct {
	heads []uint64
	words map[uint32][]vocabWord
}

var vocabulary = sync.OnceValue(func() *vocabIndex {
	ix := &vocabIndex{heads: make([]uint64, 1<<24/64), words: map[uint32][]vocabWord{}}
	for key, words := range patterns.Fields("vocabulary.txt") {
		c, ok := vocabClassNames[key]
		if !ok {
			panic("detectors: vocabulary.txt names an unknown class " + key)
		}
		for _, w := range words {
			if len(w) < 3 {
				panic("detectors: vocabulary word shorter than three bytes: " + w)
			}
			k := uint32(w[0])<<16 | uint32(w[1])<<8 | uint32(w[2])
			ix.heads[k/64] |= 1 << (k % 64)
			ix.words[k] = append(ix.words[k], vocabWord{[]byte(w), c})
		}
	}
	return ix
})

// vocabSeen keeps the first few distinct words of each class that a
// file used, so that a verdict can name them.
type vocabSeen [numVocab][]string

// maxVocabSeen is how many words of a class a verdict names.
const maxVocabSeen = 3

func (s *vocabSeen) note(c vocabClass, w []byte) {
	if s == nil || len(s[c]) >= maxVocabSeen {
		return
	}
	for _, x := range s[c] {
		if x == string(w) {
			return
		}
	}
	s[c] = append(s[c], string(w))
}

// countVocab adds the vocabulary words in line to counts.
func countVocab(counts *[numVocab]int, line []byte) { countVocabSeen(counts, nil, line) }

// countVocabSeen is countVocab that also notes the words in seen.
func countVocabSeen(counts *[numVocab]int, seen *vocabSeen, line []byte) {
	ix := vocabulary()
	for i := 0; i+2 < len(line); i++ {
		k := uint32(line[i])<<16 | uint32(line[i+1])<<8 | uint32(line[i+2])
		if ix.heads[k/64]&(1<<(k%64)) == 0 {
			continue
		}
		for _, w := range ix.words[k] {
			if bytes.HasPrefix(line[i:], w.word) {
				counts[w.class]++
				seen.note(w.class, w.word)
				i += len(w.word) - 1
				break
			}
		}
	}
}

// hasVocab reports whether line holds a word of class c.
func hasVocab(line []byte, c vocabClass) bool {
	var counts [numVocab]int
	countVocab(&counts, line)
	return counts[c] > 0
}

// splitCells splits a line into cells at delim, honouring double quotes
// for ',' (CSV). For delim ' ' cells are separated by runs of two or more
// spaces (fixed-width print files). It appends to dst and returns it.
func splitCells(dst [][]byte, line []byte, delim byte) [][]byte {
	switch delim {
	case spaceDelim:
		// Like bytes.Fields, but the cells keep their capacity: cellSpan
		// finds a cell in its line by it.
		start := -1
		for i, c := range line {
			switch {
			case c == ' ' && start >= 0:
				dst = append(dst, line[start:i])
				start = -1
			case c != ' ' && start < 0:
				start = i
			}
		}
		if start >= 0 {
			dst = append(dst, line[start:])
		}
		return dst
	case ' ':
		i := 0
		for i < len(line) && line[i] == ' ' {
			i++
		}
		start := i
		for i < len(line) {
			if line[i] == ' ' && i+1 < len(line) && line[i+1] == ' ' {
				dst = append(dst, line[start:i])
				for i < len(line) && line[i] == ' ' {
					i++
				}
				start = i
				continue
			}
			i++
		}
		if start < len(line) {
			dst = append(dst, bytes.TrimRight(line[start:], " "))
		}
		return dst
	case ',':
		start, quoted := 0, false
		for i, c := range line {
			switch {
			case c == '"':
				quoted = !quoted
			case c == ',' && !quoted:
				dst = append(dst, line[start:i])
				start = i + 1
			}
		}
		return append(dst, line[start:])
	}
	for {
		i := bytes.IndexByte(line, delim)
		if i < 0 {
			return append(dst, line)
		}
		dst = append(dst, line[:i])
		line = line[i+1:]
	}
}

// cellText trims a cell for typing: white space (the text is normalised:
// ideographic spaces are ASCII) and CSV quotes.
func cellText(c []byte) []byte {
	c = trimASCIISpace(c)
	if len(c) >= 2 && c[0] == '"' && c[len(c)-1] == '"' {
		c = c[1 : len(c)-1]
	}
	return trimASCIISpace(c)
}

func trimASCIISpace(c []byte) []byte {
	for len(c) > 0 && (c[0] == ' ' || c[0] == '\t' || c[0] == '\r') {
		c = c[1:]
	}
	for len(c) > 0 && (c[len(c)-1] == ' ' || c[len(c)-1] == '\t' || c[len(c)-1] == '\r') {
		c = c[:len(c)-1]
	}
	return c
}

var prefectures = sync.OnceValue(patterns.Prefectures)

// looksLikeAddress reports whether a cell reads as a postal address: a
// prefecture, or a municipality suffix followed by more text.
func looksLikeAddress(s string) bool {
	if len(s) < 9 {
		return false
	}
	for _, p := range prefectures() {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return municipalityIn(s)
}

// municipalityIn reports whether s holds a municipality suffix (市区町村郡)
// followed by more text.
func municipalityIn(s string) bool {
	for _, suf := range municipalityMarks {
		if i := strings.Index(s, string(suf)); i > 0 && i+len(suf) < len(s) {
			return true
		}
	}
	return false
}

// trimHeaderCell trims a header cell of white space, quotes, brackets and
// marks (" \t\r'`\"()[]<>「」【】『』:：*＊※"), as bytes.Trim would with
// that cutset, without its per-rune search of a non-ASCII cutset.
func trimHeaderCell(c []byte) []byte {
	for len(c) > 0 {
		if n := headerTrimAt(c); n > 0 {
			c = c[n:]
			continue
		}
		break
	}
	for len(c) > 0 {
		r, n := utf8.DecodeLastRune(c)
		if headerTrimRune(r) {
			c = c[:len(c)-n]
			continue
		}
		break
	}
	return c
}

func headerTrimAt(c []byte) int {
	if c[0] < utf8.RuneSelf {
		if headerTrimRune(rune(c[0])) {
			return 1
		}
		return 0
	}
	r, n := utf8.DecodeRune(c)
	if headerTrimRune(r) {
		return n
	}
	return 0
}

func headerTrimRune(r rune) bool {
	switch r {
	case ' ', '\t', '\r', '\'', '`', '"', '(', ')', '[', ']', '<', '>', '「', '」', '【', '】', '『', '』', ':', '：', '*', '＊', '※':
		return true
	}
	return false
}
