package detectors

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dlclark/regexp2"

	"github.com/rouei/rouei/patterns"
)

// RuleTimeout bounds one regexp2 match of a contextual rule: a pattern
// that backtracks badly on hostile text gives up instead of hanging.
// The timeout is wall-clock time, and a window is at most maxRuleWindow
// bytes, which a sound pattern matches in microseconds: a match that runs
// past RuleTimeout is tried once more with RuleRetryTimeout, so that a
// loaded machine (a goroutine descheduled, a garbage collection) does not
// turn a sound match into an error; only a match past both is one, and
// the rule is then given up for the rest of the text.
const (
	RuleTimeout      = 100 * time.Millisecond
	RuleRetryTimeout = 20 * RuleTimeout
)

// maxRuleWindow is the most text one rule match is tried on: the line
// of a keyword hit and the next one.
const maxRuleWindow = 4096

// FallibleDetector is a Detector that can fail on a chunk (a rule's
// match timeout): the engine reports the error for the item and goes on.
type FallibleDetector interface {
	Detector
	FindErr(dst []Match, text []byte) ([]Match, error)
}

// ErrRuleTimeout is returned when a rule's match ran past RuleTimeout.
var ErrRuleTimeout = errors.New("detectors: rule match timed out")

// Rule is a compiled contextual rule (patterns/rules.toml or a site
// rule from the policy file).
type Rule struct {
	def      patterns.Rule
	re       *regexp2.Regexp
	retry    *regexp2.Regexp // the same pattern with RuleRetryTimeout
	keywords [][]byte
	check    func(string) bool
	// lineStart: the pattern begins "(?:^|\n)[ \t]*", so a match starts at
	// the beginning of a line, and only a keyword there (after blanks) can
	// lead to one: a keyword inside a line does not make its window worth
	// trying (a CSV column of addresses, "…,愛知県…", in every line).
	lineStart bool
}

// lineStartPrefix is the pattern prefix that makes a rule lineStart.
const lineStartPrefix = `(?:^|\n)[ \t]*`

// keywordCounts reports whether a keyword hit at i, on the line starting at
// ls, can lead r to a match.
func (r *Rule) keywordCounts(text []byte, ls, i int) bool {
	if !r.lineStart {
		return true
	}
	for _, b := range text[ls:i] {
		if b != ' ' && b != '\t' {
			return false
		}
	}
	return true
}

var (
	_ Detector         = (*Rule)(nil)
	_ FallibleDetector = (*Rule)(nil)
)

// ruleChecks are the checks in code a rule may ask its value to pass.
var ruleChecks = map[string]func(string) bool{
	"address": looksLikeAddress,
}

// CompileRule compiles one rule definition.
func CompileRule(def patterns.Rule) (*Rule, error) {
	re, err := regexp2.Compile(def.Pattern, regexp2.None)
	if err != nil {
		return nil, fmt.Errorf("rule %s: %w", def.ID, err)
	}
	re.MatchTimeout = RuleTimeout
	if re.GroupNumberFromName("v") < 0 {
		return nil, fmt.Errorf("rule %s: pattern has no group (?<v>…) for the value", def.ID)
	}
	retry := regexp2.MustCompile(def.Pattern, regexp2.None)
	retry.MatchTimeout = RuleRetryTimeout
	r := &Rule{def: def, re: re, retry: retry, lineStart: strings.HasPrefix(def.Pattern, lineStartPrefix)}
	if def.Check != "" {
		if r.check = ruleChecks[def.Check]; r.check == nil {
			return nil, fmt.Errorf("rule %s: unknown check %q", def.ID, def.Check)
		}
	}
	if def.Confidence <= 0 || def.Confidence > 1 {
		r.def.Confidence = 0.8
	}
	for _, k := range def.Keywords {
		if k == "" {
			return nil, fmt.Errorf("rule %s: empty keyword", def.ID)
		}
		r.keywords = append(r.keywords, []byte(k))
	}
	return r, nil
}

// CompileRules compiles rule definitions (a policy file's site rules)
// into one detector (nil for none).
func CompileRules(defs []patterns.Rule) ([]Detector, error) {
	if len(defs) == 0 {
		return nil, nil
	}
	rs, err := CompileRuleSet(defs)
	if err != nil {
		return nil, err
	}
	return []Detector{rs}, nil
}

// CompileRuleSet compiles rule definitions into a RuleSet.
func CompileRuleSet(defs []patterns.Rule) (*RuleSet, error) {
	var rules []*Rule
	for _, d := range defs {
		r, err := CompileRule(d)
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	return NewRuleSet(rules), nil
}

// builtinRules are patterns/rules.toml compiled once, as one set.
var builtinRules = sync.OnceValue(func() *RuleSet {
	defs, err := patterns.Rules()
	if err != nil {
		panic(err)
	}
	rs, err := CompileRuleSet(defs)
	if err != nil {
		panic("detectors: patterns/rules.toml: " + err.Error())
	}
	return rs
})

// ID implements Detector.
func (r *Rule) ID() string { return r.def.ID }

// Category implements Detector.
func (r *Rule) Category() string { return r.def.Category }

// Find implements Detector; a timed-out match is dropped (FindErr
// reports it).
func (r *Rule) Find(dst []Match, text []byte) []Match {
	dst, _ = r.FindErr(dst, text)
	return dst
}

// FindErr implements FallibleDetector. The pattern runs only on the
// lines where a keyword occurs (and the line after, for a value on the
// next line), so text without one costs a keyword search.
func (r *Rule) FindErr(dst []Match, text []byte) ([]Match, error) {
	var starts []int // starts of the lines with a keyword, in order
	for _, k := range r.keywords {
		last := -1
		for from := 0; from < len(text); {
			i := bytes.Index(text[from:], k)
			if i < 0 {
				break
			}
			i += from
			from = i + len(k)
			if ls := bytes.LastIndexByte(text[:i], '\n') + 1; ls != last && r.keywordCounts(text, ls, i) {
				starts = append(starts, ls)
				last = ls
			}
		}
	}
	if len(starts) == 0 {
		return dst, nil
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	return r.windows(dst, text, starts)
}

// windows runs the pattern on the line (and the next) of each start.
func (r *Rule) windows(dst []Match, text []byte, starts []int) ([]Match, error) {
	var firstErr error
	for _, ls := range starts {
		// The line and the next one (a value below its label).
		le := len(text)
		if j := bytes.IndexByte(text[ls:], '\n'); j >= 0 {
			le = ls + j + 1
			if j2 := bytes.IndexByte(text[le:], '\n'); j2 >= 0 {
				le += j2
			} else {
				le = len(text)
			}
		}
		le = min(le, ls+maxRuleWindow)
		n := len(dst)
		var err error
		dst, err = r.window(dst, r.re, text, ls, le)
		if err != nil {
			dst, err = r.window(dst[:n], r.retry, text, ls, le)
		}
		if err != nil {
			firstErr = err
			break // past both timeouts: the rule gives up on this text
		}
	}
	return dst, firstErr
}

// window runs the pattern over text[s:e] and appends its values.
func (r *Rule) window(dst []Match, re *regexp2.Regexp, text []byte, s, e int) ([]Match, error) {
	// regexp2 matches runes: the window is decoded once into pooled
	// buffers (no string of it, no second conversion inside regexp2),
	// with each rune's byte offset, so that an invalid byte (one U+FFFD
	// rune, one byte) still maps back exactly.
	rb := windowRunes.Get().(*runeBuf)
	defer windowRunes.Put(rb)
	rb.runes, rb.offs = rb.runes[:0], rb.offs[:0]
	for i := s; i < e; {
		c, n := utf8.DecodeRune(text[i:e])
		rb.runes = append(rb.runes, c)
		rb.offs = append(rb.offs, i)
		i += n
	}
	rb.offs = append(rb.offs, e)
	m, err := re.FindRunesMatch(rb.runes)
	for ; m != nil && err == nil; m, err = re.FindNextMatch(m) {
		g := m.GroupByName("v")
		if g == nil || g.Length == 0 {
			continue
		}
		v := strings.TrimSpace(g.String())
		if v == "" || (r.check != nil && !r.check(v)) {
			continue
		}
		bs, be := rb.offs[g.Index], rb.offs[g.Index+g.Length]
		if overlaps(dst, bs, be, r.def.Category) {
			continue
		}
		mt := Match{Detector: r.def.ID, Category: r.def.Category, Value: v, Start: bs, End: be, Confidence: r.def.Confidence}
		if r.def.Category == "address" {
			mt.Dummy = isDummyAddress(v)
		}
		dst = append(dst, mt)
	}
	if err != nil {
		return dst, fmt.Errorf("%w (%v, and %v once more): rule %s (%s)", ErrRuleTimeout, RuleTimeout, RuleRetryTimeout, r.def.ID, r.def.Description)
	}
	return dst, nil
}

// overlaps reports whether a match of the category already covers s..e.
func overlaps(ms []Match, s, e int, cat string) bool {
	for i := len(ms) - 1; i >= 0 && i >= len(ms)-16; i-- {
		if ms[i].Category == cat && ms[i].Start < e && s < ms[i].End {
			return true
		}
	}
	return false
}

// runeBuf is a window decoded into runes, with each rune's byte offset
// (and the window's end after the last).
type runeBuf struct {
	runes []rune
	offs  []int
}

var windowRunes = sync.Pool{New: func() any { return &runeBuf{} }}

// RuleSet runs many rules with one keyword pass: a bitmap of the first
// three bytes of every keyword (like the vocabulary's) finds, in one
// scan, the lines each rule must try, so text with no keyword costs one
// pass whatever the number of rules.
type RuleSet struct {
	rules []*Rule
	first [256]bool             // bytes a keyword starts with
	heads []uint64              // bit k: some keyword starts with the three bytes k
	words map[uint32][]ruleWord // keywords by their first three bytes
	short []ruleWord            // keywords shorter than three bytes, searched apart
}

type ruleWord struct {
	word []byte
	rule int
}

var (
	_ Detector         = (*RuleSet)(nil)
	_ FallibleDetector = (*RuleSet)(nil)
)

// NewRuleSet gathers compiled rules into one detector.
func NewRuleSet(rules []*Rule) *RuleSet {
	rs := &RuleSet{rules: rules, heads: make([]uint64, 1<<24/64), words: map[uint32][]ruleWord{}}
	for i, r := range rules {
		for _, k := range r.keywords {
			if len(k) < 3 {
				rs.short = append(rs.short, ruleWord{k, i})
				continue
			}
			h := uint32(k[0])<<16 | uint32(k[1])<<8 | uint32(k[2])
			rs.first[k[0]] = true
			rs.heads[h/64] |= 1 << (h % 64)
			rs.words[h] = append(rs.words[h], ruleWord{k, i})
		}
	}
	return rs
}

// ID implements Detector: the set's matches carry their rules' IDs.
func (rs *RuleSet) ID() string { return "rules" }

// Category implements Detector; each match carries its rule's category.
func (rs *RuleSet) Category() string { return "" }

// Rules returns the set's rules.
func (rs *RuleSet) Rules() []*Rule { return rs.rules }

// Find implements Detector.
func (rs *RuleSet) Find(dst []Match, text []byte) []Match {
	dst, _ = rs.FindErr(dst, text)
	return dst
}

// FindErr implements FallibleDetector.
func (rs *RuleSet) FindErr(dst []Match, text []byte) ([]Match, error) {
	if len(rs.rules) == 0 {
		return dst, nil
	}
	starts := make([][]int, len(rs.rules)) // per rule, line starts with a keyword, in order
	any := false
	hit := func(rule, at int) {
		ls := bytes.LastIndexByte(text[:at], '\n') + 1
		if !rs.rules[rule].keywordCounts(text, ls, at) {
			return
		}
		if s := starts[rule]; len(s) == 0 || s[len(s)-1] != ls {
			starts[rule] = append(starts[rule], ls)
			any = true
		}
	}
	for i := 0; i+2 < len(text); i++ {
		if !rs.first[text[i]] {
			continue
		}
		h := uint32(text[i])<<16 | uint32(text[i+1])<<8 | uint32(text[i+2])
		if rs.heads[h/64]&(1<<(h%64)) == 0 {
			continue
		}
		for _, w := range rs.words[h] {
			if bytes.HasPrefix(text[i:], w.word) {
				hit(w.rule, i)
			}
		}
	}
	for _, w := range rs.short {
		for from := 0; ; {
			j := bytes.Index(text[from:], w.word)
			if j < 0 {
				break
			}
			hit(w.rule, from+j)
			from += j + len(w.word)
		}
	}
	for _, s := range starts {
		slices.Sort(s) // the short keywords' hits come after the others'
	}
	for i := range starts {
		starts[i] = slices.Compact(starts[i])
	}
	if !any {
		return dst, nil
	}
	var firstErr error
	n0 := len(dst)
	for i, r := range rs.rules {
		if len(starts[i]) == 0 {
			continue
		}
		var err error
		dst, err = r.windows(dst, text, starts[i])
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	slices.SortStableFunc(dst[n0:], func(a, b Match) int { return a.Start - b.Start })
	return dst, firstErr
}
