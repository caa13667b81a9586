package report

import (
	"strings"
	"testing"

	"github.com/rouei/rouei/detectors"
)

func TestRenderReasonsInBothLanguages(t *testing.T) {
	why := []detectors.Reason{
		{Code: detectors.ReasonHeader, Args: []string{"返却日", "return_date", "氏名", "name"}},
		{Code: detectors.ReasonReturned},
		{Code: detectors.ReasonCapped, Args: []string{"credit_line", "3"}},
		{Code: detectors.ReasonWords, Args: []string{detectors.ClassOverdueList, "督促・延滞"}},
	}
	for _, c := range []struct {
		lang Lang
		want []string
	}{
		{English, []string{"headers 返却日 → returned date, 氏名 → name", "history, not overdue",
			"attribution context (credit line): 3 match(es) capped at low", "words 督促・延滞 (text or file name) → overdue list"}},
		{Japanese, []string{"見出し 返却日・氏名", "延滞ではなく貸出履歴", "帰属表示の文脈（著作権・著者の行）: 3件を低に抑制", "延滞リスト"}},
	} {
		got := RenderReasons(c.lang, why)
		if len(got) != len(why) {
			t.Fatalf("%s: %d reasons, want %d: %q", c.lang, len(got), len(why), got)
		}
		for i, w := range c.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s: reason %d = %q, want it to contain %q", c.lang, i, got[i], w)
			}
		}
	}
	// Every reason code has words in every language: no code shows raw.
	codes := []string{detectors.ReasonHeader, detectors.ReasonValues, detectors.ReasonReturned, detectors.ReasonWords,
		detectors.ReasonPersons, detectors.ReasonBulk, detectors.ReasonSingle, detectors.ReasonMyNumber,
		detectors.ReasonDummy, detectors.ReasonOrg, detectors.ReasonCapped, detectors.ReasonNamesOnly, detectors.ReasonWeakSignals}
	for _, l := range []Lang{English, Japanese} {
		for _, c := range codes {
			if _, ok := reasonWordsFor(l).formats[c]; !ok {
				t.Errorf("%s: no words for reason %s", l, c)
			}
		}
	}
}

func TestLocalizeKeepsReasonsReadBack(t *testing.T) {
	r := &Report{Files: []File{
		{Path: "a.csv", Why: []detectors.Reason{{Code: detectors.ReasonDummy}}},
		{Path: "b.csv", Reasons: []string{"kept as read from JSON"}},
	}}
	r.Localize(Japanese)
	if len(r.Files[0].Reasons) != 1 || !strings.Contains(r.Files[0].Reasons[0], "テストデータ") {
		t.Errorf("a.csv reasons %q", r.Files[0].Reasons)
	}
	if r.Files[1].Reasons[0] != "kept as read from JSON" {
		t.Errorf("b.csv reasons rewritten: %q", r.Files[1].Reasons)
	}
}
