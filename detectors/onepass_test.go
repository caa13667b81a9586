package detectors

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/width"
)

// naiveIn is labels.in as a search per label: the reference the one-pass
// search of Japanese labels must agree with.
func naiveIn(l *labels, w []byte) bool {
	for _, s := range l.jp {
		if bytes.Contains(w, s) {
			return true
		}
	}
	for i := 0; i < len(w); i++ {
		if i > 0 && isASCIILetter(w[i-1]) {
			continue
		}
		for _, s := range l.ascii {
			if w[i]|0x20 == s[0] && hasPrefixFold(w[i:], s) {
				return true
			}
		}
	}
	return false
}

// TestLabelsOnePassMatchesNaive: for the label classes of the detectors
// and a class mixing labels that start with ASCII, two-, three- and
// four-byte characters, the one-pass search answers as a search per
// label does, on texts made of label pieces, Japanese, ASCII and invalid
// UTF-8.
func TestLabelsOnePassMatchesNaive(t *testing.T) {
	mixed := newLabels([]string{"生年月日", "Ｅメール", "e-mail欄", "é名", "𠮷田様", "〒", "ＴＥＬ"}, []string{"tel", "dob"})
	classes := map[string]*labels{"birth": &birthLabels, "mynumber": &myNumberLabels, "postal": &postalLabels, "phone": &phoneLabels, "mixed": &mixed}
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"電話", "生年", "月日", "住所", "〒", "番号", "氏名", "Ｅ", "メール", "TEL", "Tel", "dob", "adobe", "𠮷", "田", "様", "é", "名",
		"ABC", " ", ":", "：", "\n", "\xe3", "\x81", "\xe9\x9b", "2005/05/01", "090-1234-5678"}
	for name, l := range classes {
		for _, s := range append(append([]string{}, pieces...), string(l.jp[0])) {
			pieces = append(pieces, s)
		}
		hits := 0
		for n := 0; n < 20000; n++ {
			var b []byte
			for k := r.IntN(12); k >= 0; k-- {
				b = append(b, pieces[r.IntN(len(pieces))]...)
			}
			got, want := l.in(b), naiveIn(l, b)
			if got != want {
				t.Fatalf("%s: in(%q) = %v, a search per label says %v", name, b, got, want)
			}
			if got != l.mayOccur(b) && got {
				t.Fatalf("%s: mayOccur(%q) false where in is true", name, b)
			}
			if got {
				hits++
			}
		}
		if hits == 0 {
			t.Errorf("%s: no text held a label: the test tests nothing", name)
		}
	}
}

// TestPersonKeyFastPathMatchesFold: personKey's shortcut for text without
// width variants gives the key the full fold gives.
func TestPersonKeyFastPathMatchesFold(t *testing.T) {
	full := func(v string) string {
		return strings.Map(func(r rune) rune {
			if r == ' ' || r == '\u3000' || r == '\t' || r == '・' {
				return -1
			}
			return r
		}, width.Fold.String(v))
	}
	for _, v := range []string{"佐々木 健一", "佐々木　健一", "佐々木健一", "ｻｻｷ ｹﾝｲﾁ", "ササキ・ケンイチ", "Ａ１２３", "12345678",
		"O'Brien\tJohn", "ﾔﾏﾀﾞ", "山田・太郎", "", " ", "\u3000", "￥100", "a\xefb", "ＴＡＲＯ　ｙａｍａｄａ", "𠮷田 花子"} {
		if got, want := personKey(v), full(v); got != want {
			t.Errorf("personKey(%q) = %q, the full fold gives %q", v, got, want)
		}
	}
}
