package patterns

import (
	"strings"
	"testing"
)

func TestNameSets(t *testing.T) {
	for name, s := range map[string]*WordSet{
		"surnames": Surnames(), "given names": GivenNames(),
		"surname readings": SurnameReadings(), "given-name readings": GivenNameReadings(),
	} {
		if s.Len() < 5000 {
			t.Errorf("%s: %d words", name, s.Len())
		}
		if ws := s.Words(); len(ws) != s.Len() || !s.Has(ws[0]) || !s.HasBytes([]byte(ws[len(ws)-1])) {
			t.Errorf("%s: Words/Has disagree", name)
		}
	}
	if Surnames().Len() <= 10000 {
		t.Errorf("surnames: %d, want > 10000", Surnames().Len())
	}
	if !Surnames().Has("佐藤") || Surnames().Has("花子") || !GivenNames().Has("花子") {
		t.Error("surname/given-name sets mixed up")
	}
	if !SurnameReadings().Has("サトウ") || !GivenNameReadings().Has("ハナコ") || SurnameReadings().Has("佐藤") {
		t.Error("reading sets wrong")
	}
	if Surnames().Has("") || Surnames().HasBytes(nil) {
		t.Error("empty word in set")
	}
}

func TestDummyNames(t *testing.T) {
	d := DummyNames()
	if len(d) < 10 {
		t.Fatalf("%d dummy names", len(d))
	}
	seen := map[string]bool{}
	for i, n := range d {
		if strings.Contains(n, "  ") || strings.TrimSpace(n) != n || strings.Contains(n, "\u3000") {
			t.Errorf("dummy name %d: spacing", i)
		}
		if seen[n] {
			t.Errorf("dummy name %d: duplicate", i)
		}
		seen[n] = true
	}
	d[0] = "changed"
	if DummyNames()[0] == "changed" {
		t.Error("DummyNames is not a copy")
	}
}
