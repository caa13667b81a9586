package detectors

import (
	"fmt"
	"strings"
	"testing"
)

// norm mimics textdec.Normalize for test inputs: full-width digits,
// letters, parens, hyphens and the ideographic space become ASCII.
func norm(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
			b.WriteRune(r - '０' + '0')
		case r == '（':
			b.WriteByte('(')
		case r == '）':
			b.WriteByte(')')
		case r == '－', r == '―', r == '‐':
			b.WriteByte('-')
		case r == '　':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// tp is a true positive: the text holds exactly one match with Value want.
type tp struct {
	text, want string
	dummy      bool
}

// checkTPs runs each text through d.Find and checks there is exactly one
// match, with the expected value and dummy flag, whose offsets cover a
// slice of the text. Failure messages name the row index only.
func checkTPs(t *testing.T, d Detector, cases []tp) {
	t.Helper()
	for i, c := range cases {
		text := []byte(norm(c.text))
		ms := d.Find(nil, text)
		if len(ms) != 1 {
			t.Errorf("%s TP #%d: %d matches, want 1 (%s)", d.ID(), i, len(ms), masked(ms))
			continue
		}
		m := ms[0]
		if m.Value != c.want {
			t.Errorf("%s TP #%d: value %s, want %s", d.ID(), i, Mask(m.Category, m.Value), Mask(m.Category, c.want))
		}
		if m.Dummy != c.dummy {
			t.Errorf("%s TP #%d: dummy %v, want %v", d.ID(), i, m.Dummy, c.dummy)
		}
		if m.Detector != d.ID() || m.Category != d.Category() {
			t.Errorf("%s TP #%d: detector/category %q/%q", d.ID(), i, m.Detector, m.Category)
		}
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
			t.Errorf("%s TP #%d: bad offsets %d..%d", d.ID(), i, m.Start, m.End)
		}
		if m.Confidence <= 0 || m.Confidence > 1 {
			t.Errorf("%s TP #%d: confidence %v", d.ID(), i, m.Confidence)
		}
	}
}

// checkFPs runs each text through d.Find and expects no match.
func checkFPs(t *testing.T, d Detector, cases []string) {
	t.Helper()
	for i, c := range cases {
		if ms := d.Find(nil, []byte(norm(c))); len(ms) != 0 {
			t.Errorf("%s FP #%d: %d unexpected matches (%s)", d.ID(), i, len(ms), masked(ms))
		}
	}
}

func masked(ms []Match) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, fmt.Sprintf("%s@%d", Mask(m.Category, m.Value), m.Start))
	}
	return strings.Join(parts, ", ")
}

func TestNextDigit(t *testing.T) {
	for b := 0; b < 256; b++ {
		for pos := 0; pos < 20; pos++ {
			text := make([]byte, 20)
			for k := range text {
				text[k] = byte(b)
			}
			want := -1
			if isDigit(byte(b)) {
				want = 0
			} else {
				text[pos] = '7'
				want = pos
			}
			if got := nextDigit(text, 0); got != want {
				t.Fatalf("byte %#x, digit at %d: got %d", b, pos, got)
			}
		}
	}
	if nextDigit([]byte("abc"), 0) != -1 || nextDigit([]byte("a/:9"), 0) != 3 {
		t.Fatal("short input")
	}
}
