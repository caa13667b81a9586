// Package phoneplan compiles libphonenumber's metadata for Japan
// (github.com/nyaruka/phonenumbers) into a prefix table, so that the phone
// detector can validate and format a candidate without a library call.
//
// The table is built by asking the library itself: Library is the
// reference answer for one number; Depth reads the metadata's patterns and
// proves how many leading digits that answer can depend on; Build asks
// Library once per prefix of that depth and length and folds the answers
// into a trie. Generate writes the trie as Go source (detectors/phone_table.go,
// by `go generate ./detectors`).
package phoneplan

import (
	"fmt"
	"regexp/syntax"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// Shape is what libphonenumber says about a domestic number: whether it is
// a valid Japanese number of a kind people have, of which kind, and its
// national grouping (digits per group, the national prefix 0 included in
// the first).
type Shape struct {
	OK       bool
	Fixed    bool
	Mobile   bool
	Flexible bool // toll-free / navi-dial / UAN: only the first group is fixed
	G        [3]int
}

// Library computes the Shape of the domestic digits d (ASCII digits, the
// first '0') with phonenumbers: Parse, IsValidNumberForRegion,
// GetNumberType and Format(NATIONAL).
func Library(d []byte) Shape {
	var sh Shape
	num, err := phonenumbers.Parse(string(d), "JP")
	if err != nil || !phonenumbers.IsValidNumberForRegion(num, "JP") {
		return sh
	}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.FIXED_LINE, phonenumbers.FIXED_LINE_OR_MOBILE:
		sh.Fixed = true
	case phonenumbers.MOBILE, phonenumbers.VOIP:
		sh.Mobile = true
	case phonenumbers.TOLL_FREE, phonenumbers.SHARED_COST, phonenumbers.UAN:
		sh.Flexible = true
	default: // pagers, personal numbers (060), premium rate, unknown
		return sh
	}
	f := phonenumbers.Format(num, phonenumbers.NATIONAL)
	k, n := 0, 0
	for i := 0; i < len(f); i++ {
		if f[i] >= '0' && f[i] <= '9' {
			n++
			continue
		}
		if n > 0 {
			if k == 2 {
				return sh
			}
			sh.G[k] = n
			k, n = k+1, 0
		}
	}
	if k != 2 || n == 0 {
		return sh
	}
	sh.G[2] = n
	sh.OK = true
	return sh
}

// Lengths are the domestic lengths (with the leading 0) the detector asks
// about.
var Lengths = [2]int{10, 11}

func jpMetadata() (*phonenumbers.PhoneMetadata, error) {
	c, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil, err
	}
	for _, m := range c.Metadata {
		if m.GetId() == "JP" {
			return m, nil
		}
	}
	return nil, fmt.Errorf("phonenumbers has no metadata for JP")
}

// Depth returns D: for a domestic number 0 + N whose national significant
// number N does not start with 0, the library's answer depends only on the
// first D digits of N and on its length. It is read from the metadata:
//
//   - a number-type pattern (general, fixed line, mobile, toll-free …) is
//     matched against all of N; each of its alternatives is a head followed
//     by a run of any digits (\d{6}), so it is decided by the head's longest
//     match;
//   - a format's leading-digits pattern is matched at the start of N, so it
//     is decided by its longest match; a format's pattern ((\d{4})(\d)(\d{4}))
//     is a run of any digits, decided by the length.
//
// Alternatives that can only match an N starting with 0 are left out: such
// numbers (domestic "00…") are not in the table; the detector asks the
// library about them. For the others, parsing strips exactly the leading
// 0 (the national prefix for parsing, (000[2569]…)|(003768…)|0, only
// reads more on "00…"), so N is the rest of the digits. The detectors
// test compares the table with Library on every prefix of 1+Depth digits
// with other suffixes, which would catch a wrong claim.
func Depth() (int, error) {
	m, err := jpMetadata()
	if err != nil {
		return 0, err
	}
	depth := 0
	use := func(pattern string, prefix bool) error {
		re, err := syntax.Parse(pattern, syntax.Perl)
		if err != nil {
			return fmt.Errorf("%q: %v", pattern, err)
		}
		var d int
		if prefix {
			d, err = prefixDepth(re)
		} else {
			d, err = fullDepth(re)
		}
		if err != nil {
			return fmt.Errorf("%q: %v", pattern, err)
		}
		depth = max(depth, d)
		return nil
	}
	for _, desc := range []*phonenumbers.PhoneNumberDesc{m.GetGeneralDesc(), m.GetFixedLine(), m.GetMobile(),
		m.GetTollFree(), m.GetPremiumRate(), m.GetSharedCost(), m.GetVoip(), m.GetPersonalNumber(),
		m.GetPager(), m.GetUan(), m.GetVoicemail()} {
		if desc == nil || desc.GetNationalNumberPattern() == "" {
			continue
		}
		if err := use(desc.GetNationalNumberPattern(), false); err != nil {
			return 0, err
		}
	}
	for _, f := range m.GetNumberFormat() {
		if err := use(f.GetPattern(), false); err != nil {
			return 0, err
		}
		// The library uses the last leading-digits pattern only.
		if l := f.GetLeadingDigitsPattern(); len(l) > 0 {
			if err := use(l[len(l)-1], true); err != nil {
				return 0, err
			}
		}
	}
	return depth, nil
}

const nonZero = 0x3fe // digits 1-9 as a bit set

// alternatives returns the top-level alternatives of re that can match a
// string starting with a digit 1-9.
func alternatives(re *syntax.Regexp) []*syntax.Regexp {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpAlternate {
		subs = re.Sub
	}
	var out []*syntax.Regexp
	for _, s := range subs {
		if first(s)&nonZero != 0 {
			out = append(out, s)
		}
	}
	return out
}

// prefixDepth bounds the digits a match at the start of the text can read.
func prefixDepth(re *syntax.Regexp) (int, error) {
	d := 0
	for _, a := range alternatives(re) {
		n, err := maxLen(a)
		if err != nil {
			return 0, err
		}
		d = max(d, n)
	}
	return d, nil
}

// fullDepth bounds the leading digits a whole-text match depends on: re
// is expanded into sequences (alternations distributed over what follows
// them), and each sequence that can start with 1-9 is read up to its
// trailing run of any digits.
func fullDepth(re *syntax.Regexp) (int, error) {
	d := 0
	for _, seq := range expand(re) {
		if first(&syntax.Regexp{Op: syntax.OpConcat, Sub: seq})&nonZero == 0 {
			continue
		}
		head := seq
		for len(head) > 0 && anyDigits(head[len(head)-1]) {
			head = head[:len(head)-1]
		}
		n := 0
		for _, h := range head {
			l, err := maxLen(h)
			if err != nil {
				return 0, err
			}
			n += l
		}
		d = max(d, n)
	}
	return d, nil
}

// maxSequences bounds expand; a larger alternation stays whole (its
// longest match then counts, a looser but still true bound).
const maxSequences = 4096

// expand returns the sequences of atoms re is the alternation of.
func expand(re *syntax.Regexp) [][]*syntax.Regexp {
	switch re.Op {
	case syntax.OpCapture:
		return expand(re.Sub[0])
	case syntax.OpAlternate:
		var out [][]*syntax.Regexp
		for _, s := range re.Sub {
			out = append(out, expand(s)...)
		}
		if len(out) <= maxSequences {
			return out
		}
	case syntax.OpConcat:
		seqs := [][]*syntax.Regexp{{}}
		for _, s := range re.Sub {
			e := expand(s)
			if len(seqs)*len(e) > maxSequences {
				e = [][]*syntax.Regexp{{s}}
			}
			var next [][]*syntax.Regexp
			for _, a := range seqs {
				for _, b := range e {
					next = append(next, append(append([]*syntax.Regexp(nil), a...), b...))
				}
			}
			seqs = next
		}
		return seqs
	}
	return [][]*syntax.Regexp{{re}}
}

// anyDigits reports whether re matches exactly the digit strings of some
// set of lengths (\d, \d{6}, \d{6,13}, (\d{4})).
func anyDigits(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpCharClass:
		return len(re.Rune) == 2 && re.Rune[0] == '0' && re.Rune[1] == '9'
	case syntax.OpCapture, syntax.OpRepeat, syntax.OpQuest, syntax.OpStar, syntax.OpPlus:
		return anyDigits(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !anyDigits(s) {
				return false
			}
		}
		return true
	}
	return false
}

// maxLen is the longest string re matches; patterns of unbounded length
// are refused.
func maxLen(re *syntax.Regexp) (int, error) {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune), nil
	case syntax.OpCharClass:
		return 1, nil
	case syntax.OpCapture, syntax.OpQuest:
		return maxLen(re.Sub[0])
	case syntax.OpRepeat:
		if re.Max < 0 {
			return 0, fmt.Errorf("unbounded repeat")
		}
		n, err := maxLen(re.Sub[0])
		return re.Max * n, err
	case syntax.OpConcat, syntax.OpAlternate:
		t := 0
		for _, s := range re.Sub {
			n, err := maxLen(s)
			if err != nil {
				return 0, err
			}
			if re.Op == syntax.OpConcat {
				t += n
			} else {
				t = max(t, n)
			}
		}
		return t, nil
	case syntax.OpEmptyMatch:
		return 0, nil
	}
	return 0, fmt.Errorf("unexpected %v", re.Op)
}

// first returns the digits a match of re can start with, as a bit set; any
// construct it does not know counts as any digit.
func first(re *syntax.Regexp) uint16 {
	switch re.Op {
	case syntax.OpLiteral:
		if c := re.Rune[0]; c >= '0' && c <= '9' && re.Flags&syntax.FoldCase == 0 {
			return 1 << (c - '0')
		}
		return 0x3ff
	case syntax.OpCharClass:
		var s uint16
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for c := max(re.Rune[i], '0'); c <= min(re.Rune[i+1], '9'); c++ {
				s |= 1 << (c - '0')
			}
		}
		return s
	case syntax.OpCapture, syntax.OpRepeat, syntax.OpPlus:
		if re.Op == syntax.OpRepeat && re.Min == 0 {
			return 0x3ff
		}
		return first(re.Sub[0])
	case syntax.OpAlternate:
		var s uint16
		for _, a := range re.Sub {
			s |= first(a)
		}
		return s
	case syntax.OpConcat:
		if len(re.Sub) > 0 {
			switch re.Sub[0].Op {
			case syntax.OpLiteral, syntax.OpCharClass, syntax.OpCapture, syntax.OpAlternate, syntax.OpConcat:
				return first(re.Sub[0])
			}
		}
	}
	return 0x3ff
}

// Table is the folded trie: Nodes[n][c] is the next node after digit c, or
// Leaf|shape index into Shapes; Roots[i] starts the numbers of length
// Lengths[i] at their second digit (the first of N). A first digit of N
// of 0 leads to AskLibrary: the detector asks phonenumbers.
type Table struct {
	Depth  int
	Nodes  [][10]uint16
	Roots  [2]uint16
	Shapes []Shape
}

// Leaf marks a trie entry that is an answer; AskLibrary is the answer "ask
// the library".
const (
	Leaf       = 1 << 15
	AskLibrary = Leaf | (1<<15 - 1)
)

// Build asks Library about every prefix of Depth digits of N and each
// length, and folds equal answers.
func Build() (*Table, error) {
	depth, err := Depth()
	if err != nil {
		return nil, err
	}
	if depth < 1 || depth > 7 {
		return nil, fmt.Errorf("phone plan depth %d out of range", depth)
	}
	t := &Table{Depth: depth}
	shapeIdx := map[Shape]uint16{{}: Leaf}
	t.Shapes = []Shape{{}}
	for li, length := range Lengths {
		// answers[p] for every prefix p of depth digits (first digit 1-9).
		n := 1
		for range depth {
			n *= 10
		}
		answers := make([]Shape, n)
		var wg sync.WaitGroup
		workers := 4
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := make([]byte, length)
				for p := n/10 + w; p < n; p += workers {
					for i := range d {
						d[i] = '0'
					}
					for i, v := depth, p; i >= 1; i, v = i-1, v/10 {
						d[i] = byte('0' + v%10)
					}
					answers[p] = Library(d)
				}
			}()
		}
		wg.Wait()
		var node func(level, p int) uint16
		node = func(level, p int) uint16 {
			if level == depth {
				sh := answers[p]
				ix, ok := shapeIdx[sh]
				if !ok {
					ix = Leaf | uint16(len(t.Shapes))
					shapeIdx[sh] = ix
					t.Shapes = append(t.Shapes, sh)
				}
				return ix
			}
			var kids [10]uint16
			for c := range 10 {
				if level == 0 && c == 0 {
					kids[c] = AskLibrary
					continue
				}
				kids[c] = node(level+1, p*10+c)
			}
			same := level > 0
			for _, k := range kids[1:] {
				if k != kids[0] || k&Leaf == 0 {
					same = false
				}
			}
			if same && kids[0]&Leaf != 0 {
				return kids[0]
			}
			t.Nodes = append(t.Nodes, kids)
			return uint16(len(t.Nodes) - 1)
		}
		t.Roots[li] = node(0, 0)
	}
	if len(t.Nodes) >= Leaf || len(t.Shapes) >= Leaf-1 {
		return nil, fmt.Errorf("phone table too large: %d nodes", len(t.Nodes))
	}
	return t, nil
}

// Lookup walks the table for the domestic digits d (len 10 or 11); ok is
// false when the library must be asked.
func (t *Table) Lookup(d []byte) (Shape, bool) {
	n := t.Roots[len(d)-10]
	for i := 1; ; i++ {
		v := t.Nodes[n][d[i]-'0']
		if v == AskLibrary {
			return Shape{}, false
		}
		if v&Leaf != 0 {
			return t.Shapes[v&^Leaf], true
		}
		n = v
	}
}
