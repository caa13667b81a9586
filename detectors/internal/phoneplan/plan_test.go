package phoneplan

import (
	"regexp/syntax"
	"testing"
)

func TestDepths(t *testing.T) {
	for _, c := range []struct {
		pattern string
		prefix  bool
		want    int
	}{
		{`(?:601[0-4]0|[7-9]0[1-9]\d\d)\d{5}`, false, 5},
		{`00[1-9]\d{6,14}|[25-9]\d{9}|(?:00|[1-9]\d\d)\d{6}`, false, 1},
		{`00777(?:[01]|5\d)\d\d|(?:00(?:7778|882[1245])|(?:120|800\d)\d\d)\d{4}|00(?:37|66|78)\d{6,13}`, false, 3},
		{`(?:2[2-9]|[36][1-9])\d\d{6}`, false, 2},
		{`(\d{4})(\d)(\d{4})`, false, 0},
		{`570\d{6}`, false, 3},
		{`1(?:2[3-6]|3[3-9])|499[2468]`, true, 4},
		{`00777[01]`, true, 0}, // only numbers starting 0, left to the library
		{`[14]|[289][2-9]`, true, 2},
	} {
		re, err := syntax.Parse(c.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		var got int
		if c.prefix {
			got, err = prefixDepth(re)
		} else {
			got, err = fullDepth(re)
		}
		if err != nil || got != c.want {
			t.Errorf("%s: depth %d (%v), want %d", c.pattern, got, err, c.want)
		}
	}
	re, _ := syntax.Parse(`12\d*`, syntax.Perl)
	if _, err := prefixDepth(re); err == nil {
		t.Error("an unbounded pattern has no depth")
	}
}

func TestDepthOfTheMetadata(t *testing.T) {
	d, err := Depth()
	if err != nil {
		t.Fatal(err)
	}
	if d < 3 || d > 7 {
		t.Errorf("depth %d", d)
	}
}
