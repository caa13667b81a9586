package detectors

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/patterns"
)

// TestRuleExamples runs every rule's examples through the detector,
// keyword prefilter and check included, the way gitleaks validates a
// rule: each tp matches (with its value when "=> value" is given), no fp
// does.
func TestRuleExamples(t *testing.T) {
	defs, err := patterns.Rules()
	if err != nil {
		t.Fatal(err)
	}
	for i, def := range defs {
		r, err := CompileRule(def)
		if err != nil {
			t.Fatal(err)
		}
		if def.Description == "" || len(def.TP) == 0 || len(def.FP) == 0 {
			t.Errorf("rule %d (%s) needs a description, tp and fp examples", i+1, def.ID)
		}
		for _, tp := range def.TP {
			text, want, _ := strings.Cut(tp, " => ")
			ms, err := r.FindErr(nil, []byte(text))
			if err != nil {
				t.Errorf("rule %d (%s): %v", i+1, def.ID, err)
			}
			if len(ms) == 0 {
				t.Errorf("rule %d (%s): tp %q does not match", i+1, def.ID, text)
				continue
			}
			if want != "" && ms[0].Value != want {
				t.Errorf("rule %d (%s): tp %q gives %s, want %s", i+1, def.ID, text,
					Mask(def.Category, ms[0].Value), Mask(def.Category, want))
			}
			if got := text[ms[0].Start:ms[0].End]; want != "" && got != want {
				t.Errorf("rule %d (%s): offsets point at %s", i+1, def.ID, Mask(def.Category, got))
			}
			// The same through the built-in set's one keyword pass.
			found := false
			for _, m := range builtinRules().Find(nil, []byte(text)) {
				found = found || (m.Detector == def.ID && m.Category == def.Category)
			}
			if !found {
				t.Errorf("rule %d (%s): tp %q not found through the RuleSet", i+1, def.ID, text)
			}
		}
		for _, fp := range def.FP {
			if ms := r.Find(nil, []byte(fp)); len(ms) > 0 {
				t.Errorf("rule %d (%s): fp %q matches", i+1, def.ID, fp)
			}
		}
	}
}

// TestRuleTimeout: a pattern that backtracks catastrophically on hostile
// text gives up with ErrRuleTimeout instead of hanging.
func TestRuleTimeout(t *testing.T) {
	r, err := CompileRule(patterns.Rule{ID: "evil", Category: "x", Keywords: []string{"a"},
		Pattern: `(?<v>(a+)+)b`, Description: "catastrophic backtracking"})
	if err != nil {
		t.Fatal(err)
	}
	text := []byte(strings.Repeat("a", 3000) + "c")
	start := time.Now()
	_, err = r.FindErr(nil, text)
	if !errors.Is(err, ErrRuleTimeout) {
		t.Fatalf("err %v, want ErrRuleTimeout", err)
	}
	// Tried twice on the first window, then given up: not once per "a".
	if d := time.Since(start); d > 2*(RuleTimeout+RuleRetryTimeout) {
		t.Errorf("took %v", d)
	}
}

func TestCompileRuleRejectsBadRules(t *testing.T) {
	for _, def := range []patterns.Rule{
		{ID: "x", Category: "x", Keywords: []string{"k"}, Pattern: `(?<v>[`},
		{ID: "x", Category: "x", Keywords: []string{"k"}, Pattern: `no group`},
		{ID: "x", Category: "x", Keywords: []string{"k"}, Pattern: `(?<v>x)`, Check: "nope"},
		{ID: "x", Category: "x", Keywords: []string{""}, Pattern: `(?<v>x)`},
	} {
		if _, err := CompileRule(def); err == nil {
			t.Errorf("rule %q compiled", def.Pattern)
		}
	}
}
