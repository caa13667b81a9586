package patterns

import (
	"sort"
	"strings"
	"sync"
)

//go:generate go run ./internal/gennames

// WordSet is a read-only set of words built once from an embedded list.
// It is safe for concurrent use.
type WordSet struct {
	m map[string]struct{}
}

// Has reports whether w is in the set.
func (s *WordSet) Has(w string) bool {
	_, ok := s.m[w]
	return ok
}

// HasBytes reports whether b is in the set. It does not allocate.
func (s *WordSet) HasBytes(b []byte) bool {
	_, ok := s.m[string(b)]
	return ok
}

// Len returns the number of words in the set.
func (s *WordSet) Len() int { return len(s.m) }

// Words returns the words of the set, sorted.
func (s *WordSet) Words() []string {
	out := make([]string, 0, len(s.m))
	for w := range s.m {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

func newWordSet(words []string) *WordSet {
	s := &WordSet{m: make(map[string]struct{}, len(words))}
	for _, w := range words {
		if w != "" {
			s.m[w] = struct{}{}
		}
	}
	return s
}

// nameList is one generated "surface<TAB>reading" file split into its two
// columns.
type nameList struct {
	surfaces, readings *WordSet
}

func loadNameList(file string) nameList {
	var surf, read []string
	for _, l := range Lines(file) {
		s, r, ok := strings.Cut(l, "\t")
		if !ok {
			continue
		}
		surf = append(surf, strings.TrimSpace(s))
		read = append(read, strings.TrimSpace(r))
	}
	return nameList{newWordSet(surf), newWordSet(read)}
}

var (
	surnameOnce   = sync.OnceValue(func() nameList { return loadNameList("surnames.txt") })
	givenOnce     = sync.OnceValue(func() nameList { return loadNameList("given_names.txt") })
	dummyNameOnce = sync.OnceValue(func() []string { return Lines("dummy_names.txt") })
)

// Surnames returns the set of Japanese surnames written with kanji
// ("佐藤", "長谷川", ...) from surnames.txt (IPAdic 人名,姓).
func Surnames() *WordSet { return surnameOnce().surfaces }

// GivenNames returns the set of Japanese given names written with kanji
// ("花子", "健一", ...) from given_names.txt (IPAdic 人名,名).
func GivenNames() *WordSet { return givenOnce().surfaces }

// SurnameReadings returns the katakana readings of the surnames
// ("サトウ", "ハセガワ", ...).
func SurnameReadings() *WordSet { return surnameOnce().readings }

// GivenNameReadings returns the katakana readings of the given names
// ("ハナコ", "ケンイチ", ...).
func GivenNameReadings() *WordSet { return givenOnce().readings }

// DummyNames returns the recognisable dummy person names of
// dummy_names.txt ("山田太郎", "ヤマダ タロウ", ...), as written there (a
// single ASCII space may separate surname and given name). The slice is a
// copy.
func DummyNames() []string { return append([]string(nil), dummyNameOnce()...) }
