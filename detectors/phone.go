package detectors

import (
	"bytes"
	"strings"
	"sync"

	"github.com/rouei/rouei/detectors/internal/phoneplan"
)

// Phone finds Japanese telephone numbers (category "phone").
//
// Candidates come from a byte prefilter (a digit run starting with '0', or
// "+81") and are parsed by hand into digit groups, then checked against the
// numbering plan:
//
//   - fixed lines: 10 digits, 0 + area code + local exchange + 4-digit
//     subscriber; the written area-code split must be the one libphonenumber
//     formats (so 06-0123-4567, really a 060 number, is rejected);
//   - mobiles 070/080/090, IP phones 050 and toll-free 0800: 11 digits;
//   - toll-free 0120 and navi-dial 0570: 10 digits;
//   - +81 forms are read as the domestic number.
//
// libphonenumber's answer (IsValidNumberForRegion "JP", GetNumberType,
// the national format) is the second check. It depends only on the first
// digits, so it is compiled from the library's metadata into a prefix
// table (phone_table.go, `go generate`; see detectors/internal/phoneplan)
// and looked up without a library call or an allocation; the rare numbers
// the table leaves to the library (domestic "00…") are asked through a
// cache. Unseparated 10/11-digit runs are accepted with lower confidence.
// Recognisable dummies (patterns/dummy.txt, 090-0000-0000, 1234-5678
// sequences, a local exchange starting with 0 or 1) are reported with
// Dummy set and low confidence. Value is the number in libphonenumber's
// national format ("0564-23-3100").
//
// The zero value is ready to use; NewPhone adds the cache of library answers.
type Phone struct {
	cache *phoneCache
}

var _ Detector = (*Phone)(nil)

// NewPhone returns a Phone detector with its cache of library answers.
func NewPhone() *Phone { return &Phone{cache: newPhoneCache()} }

// ID implements Detector.
func (*Phone) ID() string { return "jp-phone" }

// Category implements Detector.
func (*Phone) Category() string { return "phone" }

// Confidence levels of phone matches.
const (
	phoneConfSeparated = 0.9
	phoneConfMobile    = 0.95
	phoneConfBare      = 0.6
	phoneConfDummy     = 0.3
)

// Find implements Detector.
func (p *Phone) Find(dst []Match, text []byte) []Match {
	nextPlus := bytes.IndexByte(text, '+')
	i := 0
	for i < len(text) {
		z := bytes.IndexByte(text[i:], '0')
		if z >= 0 {
			z += i
		}
		for nextPlus >= 0 && nextPlus < i {
			nextPlus = indexFrom(text, nextPlus+1, '+')
		}
		var c phoneCand
		var ok bool
		switch {
		case nextPlus >= 0 && (z < 0 || nextPlus < z):
			ok = c.parseIntl(text, nextPlus)
			if !ok {
				i = nextPlus + 1
				continue
			}
		case z >= 0:
			if z > 0 && isDigit(text[z-1]) {
				i = digitRun(text, z)
				continue
			}
			ok = c.parseDomestic(text, z)
			if !ok {
				i = digitRun(text, z)
				continue
			}
		default:
			return dst
		}
		if m, found := p.check(&c); found {
			dst = append(dst, m)
		}
		i = c.end
	}
	return dst
}

func indexFrom(text []byte, i int, c byte) int {
	if i >= len(text) {
		return -1
	}
	j := bytes.IndexByte(text[i:], c)
	if j < 0 {
		return -1
	}
	return i + j
}

// phoneCand is a parsed candidate: its domestic digits and the written
// group lengths (for +81 forms the first group includes the added '0').
type phoneCand struct {
	start, end int
	d          [11]byte
	nd         int
	g          [3]int
	ng         int
}

func (c *phoneCand) digits() []byte { return c.d[:c.nd] }

// add appends the digits of text[s:e] as a new group.
func (c *phoneCand) add(text []byte, s, e int) bool {
	if c.ng == 3 || c.nd+e-s > len(c.d) {
		return false
	}
	c.nd += copy(c.d[c.nd:], text[s:e])
	c.g[c.ng] = e - s
	c.ng++
	return true
}

// okBefore reports whether the byte(s) before a candidate starting at s
// allow a phone number to start there.
func okBefore(text []byte, s int) bool {
	if s == 0 {
		return true
	}
	b := text[s-1]
	switch {
	case isAlnum(b), b == '_', b == '+', b == '#', b == '$', b == '@', b == '/', b == '\\':
		return false
	case b == '-', b == '.', b == ':':
		// 978-4-06-…, 1.0564…, 12:0312… — part of something longer.
		return s < 2 || !isDigit(text[s-2])
	}
	return true
}

// okAfter reports whether a candidate may end at e. spaceSep tells whether
// the groups were separated by spaces.
func okAfter(text []byte, e int, spaceSep bool) bool {
	if e >= len(text) {
		return true
	}
	b := text[e]
	if isAlnum(b) || b == '_' {
		return false
	}
	if e+1 < len(text) && isDigit(text[e+1]) {
		switch b {
		case '-', '.', '/', ':', '(':
			return false
		case ' ':
			return !spaceSep
		}
	}
	return true
}

// parseDomestic parses a number whose first digit '0' is at z.
func (c *phoneCand) parseDomestic(text []byte, z int) bool {
	e1 := digitRun(text, z)
	if e1-z > 11 {
		return false
	}
	// "(0564)23-3100", "(0564) 23-3100"
	if z > 0 && text[z-1] == '(' && e1 < len(text) && text[e1] == ')' {
		j := e1 + 1
		if j < len(text) && (text[j] == ' ' || text[j] == '-') {
			j++
		}
		if j < len(text) && isDigit(text[j]) && okBefore(text, z-1) {
			e2 := digitRun(text, j)
			if e2+1 < len(text) && (text[e2] == '-' || text[e2] == ' ') && isDigit(text[e2+1]) {
				e3 := digitRun(text, e2+1)
				c.start = z - 1
				if c.add(text, z, e1) && c.add(text, j, e2) && c.add(text, e2+1, e3) && okAfter(text, e3, false) {
					c.end = e3
					return true
				}
			}
		}
		*c = phoneCand{}
	}
	if !okBefore(text, z) {
		return false
	}
	c.start = z
	return c.parseGroups(text, z, e1)
}

// parseGroups reads "G1", "G1-G2-G3", "G1 G2 G3" or "G1(G2)G3" where the
// first group is text[s:e1].
func (c *phoneCand) parseGroups(text []byte, s, e1 int) bool {
	if !c.add(text, s, e1) {
		return false
	}
	if e1+1 < len(text) && isDigit(text[e1+1]) {
		switch sep := text[e1]; sep {
		case '-', ' ':
			e2 := digitRun(text, e1+1)
			if e2+1 < len(text) && text[e2] == sep && isDigit(text[e2+1]) {
				e3 := digitRun(text, e2+1)
				if c.add(text, e1+1, e2) && c.add(text, e2+1, e3) && okAfter(text, e3, sep == ' ') {
					c.end = e3
					return true
				}
			}
			return false
		case '(':
			e2 := digitRun(text, e1+1)
			if e2+1 < len(text) && text[e2] == ')' && isDigit(text[e2+1]) {
				e3 := digitRun(text, e2+1)
				if c.add(text, e1+1, e2) && c.add(text, e2+1, e3) && okAfter(text, e3, false) {
					c.end = e3
					return true
				}
			}
			return false
		}
	}
	c.end = e1
	return okAfter(text, e1, false)
}

// parseIntl parses "+81-564-23-3100", "+81 90 1234 5678", "+81(0)90…",
// "+81564233100" at the '+' at i.
func (c *phoneCand) parseIntl(text []byte, i int) bool {
	if i+3 >= len(text) || text[i+1] != '8' || text[i+2] != '1' {
		return false
	}
	if i > 0 && (isAlnum(text[i-1]) || text[i-1] == '+') {
		return false
	}
	j := i + 3
	if text[j] == '-' || text[j] == ' ' {
		j++
	}
	if bytes.HasPrefix(text[j:], []byte("(0)")) {
		j += 3
		if j < len(text) && (text[j] == '-' || text[j] == ' ') {
			j++
		}
	}
	if j >= len(text) || !isDigit(text[j]) || text[j] == '0' {
		return false
	}
	c.start = i
	c.d[0] = '0'
	c.nd = 1
	e1 := digitRun(text, j)
	if !c.parseGroups(text, j, e1) {
		return false
	}
	c.g[0]++ // the national prefix belongs to the first group
	return true
}

// check validates a parsed candidate and builds its Match.
func (p *Phone) check(c *phoneCand) (Match, bool) {
	d := c.digits()
	m := Match{Detector: "jp-phone", Category: "phone", Start: c.start, End: c.end}
	if c.nd != 10 && c.nd != 11 {
		return m, false
	}
	if c.ng == 3 && (c.g[2] < 3 || c.g[2] > 4 || c.g[0] < 2 || c.g[0] > 5) {
		return m, false
	}
	sh := p.shape(d)
	// Separated dummies are reported even when not valid numbers
	// (090-0000-0000); a bare digit run must at least be a valid number,
	// or every run of zeros in a dump would be a "phone".
	if (c.ng == 3 || sh.OK) && phoneDummy(d, c.g[0]) {
		m.Dummy, m.Confidence = true, phoneConfDummy
		m.Value = joinGroups(d, c.g[:c.ng])
		if sh.OK && (c.ng == 1 || sh.G == c.g) {
			m.Value = joinGroups(d, sh.G[:])
		}
		return m, true
	}
	if !sh.OK {
		return m, false
	}
	if c.ng == 3 && sh.G != c.g && !(sh.Flexible && c.g[0] == sh.G[0]) {
		return m, false
	}
	m.Value = joinGroups(d, sh.G[:])
	switch {
	case sh.Fixed && (d[sh.G[0]] == '0' || d[sh.G[0]] == '1'):
		// A local exchange never starts with 0 or 1: not a real line.
		m.Dummy, m.Confidence = true, phoneConfDummy
	case c.ng == 1:
		m.Confidence = phoneConfBare
	case sh.Mobile:
		m.Confidence = phoneConfMobile
	default:
		m.Confidence = phoneConfSeparated
	}
	return m, true
}

func joinGroups(d []byte, g []int) string {
	var b strings.Builder
	b.Grow(len(d) + 2)
	o := 0
	for k, n := range g {
		if k > 0 {
			b.WriteByte('-')
		}
		b.Write(d[o : o+n])
		o += n
	}
	return b.String()
}

// phoneDummy reports recognisable test numbers: listed ones, all-same
// digits after the prefix, ascending runs.
func phoneDummy(d []byte, g0 int) bool {
	if dummies().phone[string(d)] {
		return true
	}
	rest := d[1:]
	if g0 > 1 && g0 < len(d) {
		rest = d[g0:]
	}
	same := true
	for _, b := range rest[1:] {
		if b != rest[0] {
			same = false
			break
		}
	}
	if same {
		return true
	}
	if bytes.HasSuffix(d, []byte("12345678")) || bytes.HasSuffix(d, []byte("23456789")) {
		return true
	}
	asc := true
	for k := 1; k < len(d); k++ {
		if d[k] != '0'+(d[k-1]-'0'+1)%10 {
			asc = false
			break
		}
	}
	return asc
}

// phoneShape is what libphonenumber says about a number: whether it is a
// valid Japanese number of a kind people have, and its national grouping.
type phoneShape = phoneplan.Shape

//go:generate go run ./internal/phoneplan/phonegen -o phone_table.go
//go:generate go run ./internal/phoneplan/areagen -o phonearea_table.go

// shape answers from the numbering-plan table (phone_table.go, generated
// from libphonenumber's metadata and checked against it by
// TestPhoneTableMatchesLibrary): a walk of at most phoneTableDepth digits,
// no allocation. Numbers the table leaves to the library (domestic "00…",
// rare) are asked through the cache.
func (p *Phone) shape(d []byte) phoneShape {
	if sh, ok := tableShape(d); ok {
		return sh
	}
	if p.cache == nil {
		return phoneplan.Library(d)
	}
	return p.cache.get(d)
}

// tableShape walks phoneNodes for the 10 or 11 digits d; ok is false when
// the library must be asked.
func tableShape(d []byte) (phoneShape, bool) {
	n := phoneRoots[len(d)-10]
	for i := 1; i < len(d); i++ {
		v := phoneNodes[n][d[i]-'0']
		switch {
		case v == phoneplan.AskLibrary:
			return phoneShape{}, false
		case v&phoneplan.Leaf != 0:
			return phoneShapes[v&^phoneplan.Leaf], true
		}
		n = v
	}
	return phoneShape{}, false
}

// phoneCacheMax bounds the memory of the cache (entries, ~40 bytes each).
const phoneCacheMax = 1 << 16

// phoneCache memoises phoneplan.Library per number (its digits and
// length), for the numbers the table leaves to the library: their answer
// may depend on more digits than the table's, so nothing is assumed.
type phoneCache struct {
	mu sync.RWMutex
	m  map[uint64]phoneShape
}

func newPhoneCache() *phoneCache { return &phoneCache{m: map[uint64]phoneShape{}} }

func (pc *phoneCache) get(d []byte) phoneShape {
	key := uint64(atoi(d))*2 + uint64(len(d)-10)
	pc.mu.RLock()
	sh, ok := pc.m[key]
	pc.mu.RUnlock()
	if ok {
		return sh
	}
	sh = phoneplan.Library(d)
	pc.mu.Lock()
	if len(pc.m) < phoneCacheMax {
		pc.m[key] = sh
	}
	pc.mu.Unlock()
	return sh
}
