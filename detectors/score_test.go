package detectors

import "testing"

func m(cat, val string, dummy bool) Match {
	return Match{Detector: "t-" + cat, Category: cat, Value: val, Confidence: 0.9, Dummy: dummy}
}

func TestScorerVerdicts(t *testing.T) {
	type add struct {
		rec int
		m   Match
	}
	cases := []struct {
		name    string
		adds    []add
		sev     Severity
		persons int
		dummy   bool
	}{
		{"empty", nil, None, 0, false},
		{"one person", []add{{1, m("phone", "p1", false)}, {1, m("email", "e1", false)}}, Medium, 1, false},
		{"same person on three lines (three overdue books)", []add{
			{1, m("phone", "p1", false)}, {2, m("phone", "p1", false)}, {3, m("phone", "p1", false)},
		}, Medium, 1, false},
		{"bulk", []add{
			{1, m("phone", "p1", false)}, {2, m("phone", "p2", false)}, {3, m("phone", "p3", false)},
			{4, m("email", "e4", false)}, {5, m("postal_code", "z5", false)}, {6, m("phone", "p1", false)},
		}, High, 5, false},
		{"my number is critical", []add{{1, m("my_number", "n1", false)}}, Critical, 1, false},
		{"weak only", []add{{1, m("age", "45", false)}, {2, m("birth_date", "1970-03-02", false)}}, Low, 0, false},
		{"dummy only", []add{{1, m("phone", "d", true)}, {2, m("email", "d@example.com", true)}}, Info, 0, true},
		{"dummy beside real data does not count", []add{{1, m("phone", "d", true)}, {2, m("phone", "p2", false)}}, Medium, 1, false},
		{"low confidence only", []add{{1, Match{Category: "phone", Value: "x", Confidence: 0.2}}}, Low, 0, false},
	}
	for _, c := range cases {
		s := NewScorer()
		for _, a := range c.adds {
			s.Add(a.rec, a.m)
		}
		v := s.Verdict()
		if v.Severity != c.sev || v.Persons != c.persons || v.Dummy != c.dummy {
			t.Errorf("%s: got severity %v persons %d dummy %v, want %v %d %v",
				c.name, v.Severity, v.Persons, v.Dummy, c.sev, c.persons, c.dummy)
		}
	}
}

func TestFindingSeverity(t *testing.T) {
	v := FileVerdict{Severity: High}
	if got := v.FindingSeverity(m("phone", "p", true)); got != Info {
		t.Errorf("dummy finding: %v, want info", got)
	}
	if got := v.FindingSeverity(m("phone", "p", false)); got != High {
		t.Errorf("real finding: %v, want high", got)
	}
}
