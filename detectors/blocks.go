package detectors

import (
	"bytes"
	"strings"
)

// Blocks and sections: free text read a block (between blank lines) and
// a section (between rules and form feeds) at a time, one addressee at a
// time (a reminder postcard), an organisation's block apart.

// Classification names of the contract (files[].classification).
const (
	ClassNone           = "none"
	ClassOverdueList    = "overdue_list"
	ClassHoldList       = "hold_list"
	ClassPatronRegistry = "patron_registry"
	ClassLoanRecord     = "loan_record"
	ClassContactList    = "contact_list"
)

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

// minListed is how many contact values alone on their lines make a
// list of contacts (fewer are an address in a manual, a footer), and
// 1/listShare of the file's lines the least share of them (a password
// list with three phone-shaped words is no list of phones).
const (
	minListed = 3
	listShare = 10
)

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
	// a surname on a line of its own (氏：蓬垣), for the given name next
	sur      []byte
	surField Field
	surLine  int
	surLabel string
}

type blockItem struct {
	m      Located
	kept   int  // index in kept, or -1
	listed bool // the value is most of its line: a list of contacts, not prose
}

// blockLine adds a line of free text to the current block.
func (a *Analyzer) blockLine(line int, offset int64, text []byte, ms []Located) {
	b := &a.blk
	org := false
	if hasNameMatch(ms) && chineseProse(text) && a.chineseLessNames(text, ms) {
		// Kanji prose without a single kana is Chinese, not Japanese: its
		// two-character words read as names and are none. The names are
		// left out of the count: a label and its name (利用者名：神谷 美穂)
		// is no prose.
		for i := range ms {
			if isNameCat(ms[i].Category) {
				ms[i].Confidence = min(ms[i].Confidence, MinConfidence/2)
			}
		}
	}
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
	if m, ok := a.splitNameLine(line, offset, text); ok {
		// 氏：蓬垣 then 名：義男: one name, written a part a line.
		ms = append(ms, m)
	}
	content := len(trimASCIISpace(text))
	for _, m := range ms {
		if isNameCat(m.Category) && m.Confidence >= MinConfidence && !m.Dummy && !m.Org {
			b.names++
		}
		listed := contactCategory(m.Category) && (a.binary || (m.End-m.Start)*10 >= content*6)
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
// maxRecordLines is how many lines one record of free text may span: a
// reminder postcard or a letter's address block fits in far fewer.
const maxRecordLines = 40

func (a *Analyzer) endBlock() {
	b := &a.blk
	if b.org && b.names == 0 {
		for _, it := range b.items {
			if it.kept >= 0 {
				a.kept[it.kept].Org = true
				if a.kept[it.kept].Context == "" {
					a.kept[it.kept].Context = "organisation block"
				}
			}
			a.org++
		}
	} else {
		if len(b.items) > 0 && a.cur.firstLine > 0 && b.items[0].m.Line-a.cur.firstLine > maxRecordLines {
			// Text with no rule or form feed between its parts (a manual,
			// an HTML page) is not one addressee's section: a record of
			// free text reaches maxRecordLines lines at most.
			a.closeRecord()
		}
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
	b.sur = b.sur[:0]
}

// splitNameLine reads a line "氏：蓬垣" or "名：義男" (a label that names
// one part of a name: a surname or given-name header, in kanji or kana,
// then ':' or a tab, then the part). A surname is kept; the given name on
// the next line joins it into one name match, returned.
func (a *Analyzer) splitNameLine(line int, offset int64, text []byte) (Located, bool) {
	b := &a.blk
	f, s, e := splitNameLabel(text, &a.hbuf)
	last := b.surLine
	b.surLine = 0
	switch f {
	case FieldSurname, FieldSurnameKana:
		b.sur = append(b.sur[:0], text[s:e]...)
		b.surField, b.surLine = f, line
		b.surLabel = strings.Trim(string(text[:s]), ":： \t")
	case FieldGivenName, FieldGivenKana:
		if last == 0 || line != last+1 || f != b.surField+1 || len(b.sur) == 0 {
			break
		}
		v := string(b.sur) + " " + string(text[s:e])
		cat := nameCategory
		if f == FieldGivenKana || !nmHasKanji([]byte(v)) {
			cat = nameKanaCatego
		}
		m := Located{Match: Match{Detector: nameDetectorID(cat), Category: cat, Value: v, Start: s, End: e,
			Confidence: confColumn, Dummy: isDummyName(v)}, Line: line, Offset: offset, Context: "label " + string(text[:s])}
		m.Context = "label " + b.surLabel + "/" + strings.Trim(string(text[:s]), ":： \t")
		return m, true
	}
	return Located{}, false
}

// splitNameLabel returns the part-of-a-name field a line's label names
// (FieldSurname … FieldGivenKana) and where its value lies, or FieldNone.
func splitNameLabel(text []byte, buf *[]byte) (Field, int, int) {
	if len(text) > 96 {
		return FieldNone, 0, 0 // a label and one part of a name are short
	}
	w := text[:min(len(text), 28)]
	i, sep := bytes.IndexAny(w, ":\t"), 1
	if j := bytes.Index(w, []byte("：")); j >= 0 && (i < 0 || j < i) {
		i, sep = j, len("：") // the text is normalised to ':'; a caller's may not be
	}
	if i <= 0 || i > 24 || !mayBeHeaderWord(trimASCIISpace(text[:i])) {
		return FieldNone, 0, 0
	}
	var f Field
	f, *buf = headerField(*buf, text[:i])
	switch f {
	case FieldSurname, FieldGivenName, FieldSurnameKana, FieldGivenKana:
	default:
		return FieldNone, 0, 0
	}
	s := i + sep
	for s < len(text) && (text[s] == ' ' || text[s] == '\t' || text[s] == ':') {
		s++
	}
	v := trimASCIISpace(text[s:])
	if !namePart(v) {
		return FieldNone, 0, 0
	}
	return f, s, s + len(v)
}

// endSection closes the block and the person in hand.
func (a *Analyzer) endSection() {
	a.endBlock()
	a.closeRecord()
}

func hasNameMatch(ms []Located) bool {
	for _, m := range ms {
		if isNameCat(m.Category) {
			return true
		}
	}
	return false
}

// chineseProse reports whether a line of free text is Chinese: eight or
// more kanji and no kana at all (Japanese prose has kana in every
// sentence; an address or a name with its honorific is shorter).
func chineseProse(text []byte) bool {
	kanji := 0
	for _, r := range string(text) {
		switch {
		case r >= 0x3041 && r <= 0x30FF:
			return false
		case r >= 0x4E00 && r <= 0x9FFF:
			kanji++
		}
	}
	return kanji >= 8
}

// chineseLessNames reports whether a line is Chinese prose once its name
// matches are left out.
func (a *Analyzer) chineseLessNames(text []byte, ms []Located) bool {
	dst, p := a.hbuf[:0], 0
	for _, m := range ms {
		if isNameCat(m.Category) && m.Start >= p && m.End <= len(text) {
			dst = append(dst, text[p:m.Start]...)
			dst = append(dst, ' ')
			p = m.End
		}
	}
	a.hbuf = append(dst, text[p:]...)
	return chineseProse(a.hbuf)
}

// chineseSentence reports whether a line has the marks of a Chinese
// sentence: a full stop, or function words Japanese does not use
// (您, 們/们, 這/这, 嗎/吗, 麼/么, 呢).
func chineseSentence(text []byte) bool {
	return bytes.ContainsAny(text, "。您們们這这嗎吗麼么呢")
}
