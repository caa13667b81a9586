package detectors

import (
	"fmt"
	"hash/maphash"
	"sort"
	"strings"
)

// Classification names of the contract (files[].classification).
const (
	ClassNone = "none"
)

// MinConfidence is the confidence below which a match is reported but
// does not count toward a file's verdict.
const MinConfidence = 0.5

// BulkPersons is how many distinct people with contact data make a file
// a bulk leak (severity high) rather than one person's data (medium).
const BulkPersons = 5

// maxPersonKeys bounds the memory spent on telling people apart in one
// file; past it, every further record counts as a new person.
const maxPersonKeys = 1 << 20

// contactCategories are the categories that make a person reachable.
var contactCategories = map[string]bool{
	"phone": true, "email": true, "address": true, "postal_code": true,
}

// weakCategories identify nobody alone.
var weakCategories = map[string]bool{
	"age": true, "birth_date": true, "name": true, "name_kana": true,
}

// FileVerdict is the judgement on one file from all its matches.
type FileVerdict struct {
	Classification string         // contract classification (none until records are classified)
	Severity       Severity       // the file's severity
	Persons        int            // distinct people whose data the file holds
	Dummy          bool           // the file's personal data is recognisably test data
	Reason         string         // one line: why this verdict
	Categories     map[string]int // counted matches per category (dummy ones included)
}

// FindingSeverity is the severity of one of the file's matches: dummy
// data is info, anything else shares the file's severity.
func (v FileVerdict) FindingSeverity(m Match) Severity {
	if m.Dummy {
		return Info
	}
	if v.Severity == None {
		return Low
	}
	return v.Severity
}

// Scorer accumulates one file's matches, record by record, and gives the
// file verdict. A record is a line of text or one string of a binary; the
// record numbers passed to Add must not decrease. Memory stays bounded
// whatever the file size: only the current record is kept, plus a set of
// hashed person keys capped at maxPersonKeys.
type Scorer struct {
	seed       maphash.Seed
	cur        int
	curMatches []Match
	started    bool

	categories  map[string]int
	real        int // non-dummy matches at or above MinConfidence
	dummy       int
	myNumber    int
	contactRecs int
	weakRecs    int
	persons     map[uint64]struct{}
	overflow    int // persons counted after the key set was full
}

// NewScorer returns an empty Scorer.
func NewScorer() *Scorer {
	return &Scorer{seed: maphash.MakeSeed(), categories: map[string]int{}, persons: map[uint64]struct{}{}}
}

// Add records a match found in the given record.
func (s *Scorer) Add(record int, m Match) {
	if !s.started || record != s.cur {
		s.flush()
		s.cur, s.started = record, true
	}
	s.categories[m.Category]++
	switch {
	case m.Dummy:
		s.dummy++
		return
	case m.Confidence < MinConfidence:
		return
	}
	s.real++
	if m.Category == "my_number" {
		s.myNumber++
	}
	s.curMatches = append(s.curMatches, m)
}

// flush closes the current record.
func (s *Scorer) flush() {
	if len(s.curMatches) == 0 {
		return
	}
	var key string
	for _, cat := range []string{"my_number", "phone", "email", "address", "postal_code"} {
		if key != "" {
			break
		}
		for _, m := range s.curMatches {
			if m.Category == cat {
				key = cat + "\x00" + m.Value
				break
			}
		}
	}
	if key == "" {
		s.weakRecs++
	} else {
		s.contactRecs++
		h := maphash.String(s.seed, key)
		if _, ok := s.persons[h]; !ok {
			if len(s.persons) < maxPersonKeys {
				s.persons[h] = struct{}{}
			} else {
				s.overflow++
			}
		}
	}
	s.curMatches = s.curMatches[:0]
}

// Verdict closes the last record and judges the file.
func (s *Scorer) Verdict() FileVerdict {
	s.flush()
	v := FileVerdict{Classification: ClassNone, Categories: s.categories}
	v.Persons = len(s.persons) + s.overflow
	switch {
	case s.myNumber > 0:
		v.Severity = Critical
	case v.Persons >= BulkPersons:
		v.Severity = High
	case v.Persons > 0:
		v.Severity = Medium
	case s.weakRecs > 0:
		v.Severity = Low
	case s.dummy > 0:
		v.Severity = Info
		v.Dummy = true
	case len(s.categories) > 0:
		v.Severity = Low // only low-confidence signals
	}
	v.Reason = s.reason(v)
	return v
}

func (s *Scorer) reason(v FileVerdict) string {
	if len(s.categories) == 0 {
		return ""
	}
	cats := make([]string, 0, len(s.categories))
	for c := range s.categories {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	parts := make([]string, len(cats))
	for i, c := range cats {
		parts[i] = fmt.Sprintf("%s×%d", c, s.categories[c])
	}
	r := strings.Join(parts, ", ")
	switch {
	case v.Dummy:
		r += "; all recognisable test data"
	case s.myNumber > 0:
		r += "; My Number present"
	}
	return r
}
