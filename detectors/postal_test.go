package detectors

import (
	"bytes"
	"testing"
)

func TestPostalTruePositives(t *testing.T) {
	checkTPs(t, Postal{}, []tp{
		{"〒444-8601 愛知県岡崎市十王町", "444-8601", false},
		{"〒 4448601", "444-8601", false},
		{"〒4448601", "444-8601", false},
		{"〒 444-8601", "444-8601", false},
		{"郵便番号: 444-8601", "444-8601", false},
		{"郵便番号：4448601", "444-8601", false},
		{"郵便番号,住所\n444-8601,別の地名", "444-8601", false},
		{"山田,444-8601,愛知県岡崎市", "444-8601", false},
		{"444-8601 岡崎市康生通西", "444-8601", false},
		{"zip: 160-0023", "160-0023", false},
		{"〒123-4567", "123-4567", true},
		{"〒000-0000", "000-0000", true},
	})
}

func TestPostalFalsePositives(t *testing.T) {
	checkFPs(t, Postal{}, []string{
		"受付番号 444-8601 を参照",
		"ticket 444-8601 closed",
		"03-444-8601 岡崎市",
		"TEL 444-8601 岡崎市",
		"090-4448-6012",
		"1444-8601 市",
		"444-86012 市",
		"444-8601-2 市",
		"1.444-8601 市",
		"item 4448601 愛知県",
		"〒 44486012",
		"a444-8601 市",
	})
}

// TestPostalContextShortcuts checks the one-pass address-word search and
// the per-text label rejection against what they replace (bytes.Contains
// of each prefecture and mark; labels.in of each window) on windows all
// over the prefilter texts.
func TestPostalContextShortcuts(t *testing.T) {
	windows, found := 0, 0
	for _, text := range prefilterTexts(t) {
		pl, ph := labelsIn{l: &postalLabels}, labelsIn{l: &phoneLabels}
		step := max(1, len(text)/3000)
		for pos := 0; pos < len(text); pos += step {
			w := sameLineAfter(text, pos, 36)
			want := false
			for _, p := range prefBytes() {
				want = want || bytes.Contains(w, p)
			}
			for _, mk := range municipalityMarks {
				want = want || bytes.Contains(w, mk)
			}
			if got := hasAddressWord(w); got != want {
				t.Fatalf("address word in %q: %v, want %v", Mask("address", string(w)), got, want)
			}
			for _, c := range []struct {
				li *labelsIn
				l  *labels
				w  []byte
			}{{&pl, &postalLabels, sameLineBefore(text, pos, 40)}, {&pl, &postalLabels, prevLine(text, pos, 200)},
				{&ph, &phoneLabels, sameLineBefore(text, pos, 16)}} {
				got, want := c.li.in(text, c.w), c.l.in(c.w)
				if got != want {
					t.Fatalf("label in a window: %v, want %v", got, want)
				}
				if want {
					found++
				}
			}
			windows++
		}
	}
	if windows < 10000 || found == 0 {
		t.Errorf("%d windows, %d with a label", windows, found)
	}
}
