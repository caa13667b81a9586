package detectors

import (
	"fmt"
	"sort"
	"strings"
)

// Classification: the file's kind of record set and its severity, from
// the fields of its people, the meaning of its dates and its words.

// MinConfidence is the confidence below which a match is reported but
// does not count toward a file's verdict.
const MinConfidence = 0.5

// BulkPersons is how many distinct people with contact data make a file
// a bulk leak (severity high) rather than one person's data (medium).
const BulkPersons = 5

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
	Areas          []AreaCount    // where its people live, most people first (areas.go)
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

// Result closes the file and returns its verdict and the kept matches in
// file order, with the number of all matches.
func (a *Analyzer) Result() (FileVerdict, []Located, int) {
	a.flushHeld()
	a.endSection()
	a.settlePlaceholders()
	if len(a.listed) >= minListed && len(a.listed)*listShare >= a.nonBlank && !a.document {
		for _, l := range a.listed {
			a.people.add([]string{l.key}, true)
			a.keepArea(l.key, l.area)
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
		v.Areas = a.areas()
	}
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
