package detectors

import (
	"bytes"
	"errors"
	"slices"
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

// TestRuleLineStartPrefilter checks that skipping the windows of keywords
// inside a line, for the rules whose pattern starts a line, changes no
// match: the same rules without the prefilter over texts with prefecture
// names at and inside lines and the prefilter texts (the sample
// deliverable's UTF-8 files, 150 random sample files of every layout, the
// benchmark corpora) that hold one.
func TestRuleLineStartPrefilter(t *testing.T) {
	defs, err := patterns.Rules()
	if err != nil {
		t.Fatal(err)
	}
	fast, err := CompileRuleSet(defs)
	if err != nil {
		t.Fatal(err)
	}
	slow, _ := CompileRuleSet(defs)
	n := 0
	for _, r := range slow.rules {
		if r.lineStart {
			n++
		}
		r.lineStart = false
	}
	if n == 0 {
		t.Fatal("no rule of patterns/rules.toml starts a line")
	}
	texts := []string{
		"愛知県架空市旭町5-21-17\n",
		"  愛知県架空市旭町5-21-17 メゾン桜ヶ丘302\n\t東京都千代田区丸の内1-1-1\n",
		"1,高橋 正人,愛知県架空市旭町5-21-17,090-2746-3158\n愛知県かもめ市港南町4-8-20\n2,山田,大阪府架空市北町1-2-3\n",
		"住所: 愛知県かもめ市港南町4-8-20\n〒444-8601 愛知県岡崎市十王町2-9\n",
		"備考 東京都\n東京都\n北海道札幌市中央区北1条西2丁目\r\n",
	}
	for _, data := range prefilterTexts(t) {
		if bytes.ContainsAny(data, "県都府道") {
			texts = append(texts, string(data))
		}
	}
	if len(texts) < 20 {
		t.Fatalf("only %d texts", len(texts))
	}
	for i, s := range texts {
		a := fast.Find(nil, []byte(s))
		b := slow.Find(nil, []byte(s))
		if !slices.Equal(a, b) {
			t.Errorf("text %d: %d matches with the prefilter, %d without", i, len(a), len(b))
		}
	}
}
