package detectors

import (
	"slices"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/rouei/rouei/samples"
)

func TestAgeTruePositives(t *testing.T) {
	checkTPs(t, Age{}, []tp{
		{"山田太郎（45歳）", "45", false},
		{"満４５歳", "45", false},
		{"年齢: 45", "45", false},
		{"年齢：45", "45", false},
		{"年齢45", "45", false},
		{"AGE 45", "45", false},
		{"age: 0", "0", false},
		{`{"age": 102}`, "102", false},
		{"Age=7,", "7", false},
		{"享年 88 才", "88", false},
		{"年齢 45歳", "45", false},
	})
}

func TestAgeFalsePositives(t *testing.T) {
	checkFPs(t, Age{}, []string{
		"18歳以上の方", "6歳未満", "12歳以下", "3歳から5歳まで", "3歳〜5歳", "0歳児クラス",
		"65歳以降", "20歳代",
		"築45年", "45年", "平成45年",
		"年齢制限なし", "page: 45", "usage 45", "image_age 45", "storage=45",
		"age 45-60", "age: 4.5", "age 121", "年齢 130", "121歳",
		"(45)", "v1.45歳", "age45",
	})
}

// prefilterTexts are texts to check a detector's cheap rejection on: the
// sample deliverable's UTF-8 files, the UTF-8 random sample files, the
// benchmark corpora, and short fragments around ages and labels.
func prefilterTexts(t *testing.T) [][]byte {
	t.Helper()
	prefilterOnce.Do(func() { prefilterCorpus = buildPrefilterTexts(t) })
	if prefilterCorpus == nil {
		t.Fatal("no prefilter texts")
	}
	return prefilterCorpus
}

var (
	prefilterOnce   sync.Once
	prefilterCorpus [][]byte
)

func buildPrefilterTexts(t *testing.T) [][]byte {
	var out [][]byte
	files, _, err := samples.Build()
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range files {
		if utf8.Valid(data) {
			out = append(out, data)
		}
	}
	for seed := uint64(0); seed < 150; seed++ {
		if f := samples.Random(seed); utf8.Valid(f.Data) {
			out = append(out, f.Data)
		}
	}
	out = append(out, mixedText(1<<18), patronText(t, 1<<18), asciiLog(1<<16))
	for _, s := range []string{"age 45", "AGE:45", "x age=45", "(age 45)", "page 45", "年齢 45", "45才", "45歳",
		"aGe\t7", "age：45", "age", "ag", "-age 45", "_age 45", "age'45'", "age\"45\""} {
		out = append(out, []byte(s), []byte(s+"\n"), []byte("id 12 "+s))
	}
	return out
}

func TestAgeAnchoredChangesNothing(t *testing.T) {
	texts := prefilterTexts(t)
	skipped := 0
	for i, text := range texts {
		a := Age{}.Find(nil, text)
		b := Age{}.find(nil, text)
		if !slices.Equal(a, b) {
			t.Errorf("text %d: %d matches with the rejection, %d without", i, len(a), len(b))
		}
		if !ageAnchored(text) {
			skipped++
		}
	}
	if skipped == 0 || skipped == len(texts) {
		t.Errorf("%d of %d texts skipped", skipped, len(texts))
	}
}
