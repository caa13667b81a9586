package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/patterns"
)

// Area is how many of a file's people live in one area
// (files[].areas[]): a municipality "愛知県岡崎市" (a designated city's
// wards are the city), or a prefecture alone where a fixed-line area code
// names no single municipality. Area names are not personal data; nothing
// finer than a municipality is ever shown.
type Area struct {
	Area    string `json:"area"`
	Persons int    `json:"persons"`
	Basis   string `json:"basis,omitempty"` // address, postal, phone or mixed
}

// AreasOf converts the detectors' area counts.
func AreasOf(as []detectors.AreaCount) []Area {
	if len(as) == 0 {
		return nil
	}
	out := make([]Area, len(as))
	for i, a := range as {
		out[i] = Area{Area: a.Area, Persons: a.Persons, Basis: a.Basis}
	}
	return out
}

// ForeignCategory is the finding category of a person list whose people
// live mostly outside the customer's areas.
const ForeignCategory = "foreign_residents"

// ForeignDetector is the detector id of ForeignCategory findings.
const ForeignDetector = "rouei-areas"

// Customer is the set of areas a delivery or server belongs to.
type Customer struct {
	labels []string        // as shown: "宮崎県えびの市", "愛知県"
	munis  map[string]bool // municipality labels
	prefs  map[string]bool // whole prefectures
}

// Labels returns the customer's areas as shown.
func (c *Customer) Labels() []string {
	if c == nil {
		return nil
	}
	return append([]string(nil), c.labels...)
}

// ParseCustomer reads --customer values: a municipality by name, with or
// without its prefecture ("宮崎県えびの市", "えびの市", "名古屋市中村区" is
// 愛知県名古屋市), a prefecture ("愛知県"), or a local government code
// (5 digits, or 6 with the check digit: "452092"). Names are read after
// NFKC. A name of several municipalities (府中市) needs its prefecture.
func ParseCustomer(specs []string) (*Customer, error) {
	c := &Customer{munis: map[string]bool{}, prefs: map[string]bool{}}
	add := func(label string, pref bool) {
		if c.munis[label] || c.prefs[label] {
			return
		}
		if pref {
			c.prefs[label] = true
		} else {
			c.munis[label] = true
		}
		c.labels = append(c.labels, label)
	}
	for _, raw := range specs {
		for _, spec := range strings.Split(raw, ",") {
			s := strings.TrimSpace(norm.NFKC.String(spec))
			if s == "" {
				continue
			}
			if _, err := strconv.Atoi(s); err == nil {
				m, ok := patterns.MunicipalityByCode(s)
				if !ok {
					return nil, fmt.Errorf("customer %q: no such local government code (5 digits, or 6 with a right check digit)", s)
				}
				add(m.Label(), false)
				continue
			}
			if isPrefecture(s) {
				add(s, true)
				continue
			}
			label, ok := detectors.AddressArea(s)
			last := []rune(s)[len([]rune(s))-1]
			if !ok || !strings.ContainsRune("市区町村", last) {
				return nil, fmt.Errorf("customer %q: not a municipality (or a name of several: add its prefecture, 東京都府中市)", s)
			}
			add(label, false)
		}
	}
	if len(c.labels) == 0 {
		return nil, nil
	}
	return c, nil
}

func isPrefecture(s string) bool {
	for _, p := range patterns.Prefectures() {
		if s == p {
			return true
		}
	}
	return false
}

// prefectureOf returns the prefecture an area label starts with.
func prefectureOf(label string) string {
	for _, p := range patterns.Prefectures() {
		if strings.HasPrefix(label, p) {
			return p
		}
	}
	return ""
}

// inside says whether an area is one of the customer's: yes, no, or
// unknown. A fixed-line area code's area is an exchange area, which often
// spans neighbouring municipalities (えびの市's numbers are geocoded 小林),
// so an area known from phone numbers only is outside only when it lies in
// another prefecture; the same holds for a prefecture alone (03: 東京都).
func (c *Customer) inside(area, basis string) (in, known bool) {
	if c.munis[area] || c.prefs[area] {
		return true, true
	}
	pref := prefectureOf(area)
	if c.prefs[pref] {
		return true, true
	}
	if pref == area || basis == detectors.AreaPhone {
		for m := range c.munis {
			if prefectureOf(m) == pref {
				return false, false
			}
		}
	}
	return false, true
}

// ApplyCustomer marks the person lists whose people live mostly (more
// than half of those whose area is known) outside the customer's areas:
// other_customer, severity at least critical, a foreign_residents finding
// and a reason naming the largest foreign area. A list with no known area
// (mobile numbers only) is never marked. It records the customer in the
// report and finalizes it again (counts and order change).
func (r *Report) ApplyCustomer(c *Customer) {
	if c == nil || r == nil {
		return
	}
	r.Customer = c.Labels()
	for i := range r.Files {
		if r.Files[i].Persons == 0 {
			continue
		}
		d := r.fileDetail(r.Files[i])
		f := &d
		if len(f.Areas) == 0 {
			continue
		}
		in, out := 0, 0
		var top Area
		for _, a := range f.Areas {
			inside, known := c.inside(a.Area, a.Basis)
			switch {
			case !known:
			case inside:
				in += a.Persons
			default:
				out += a.Persons
				if a.Persons > top.Persons {
					top = a
				}
			}
		}
		if out == 0 || out*2 <= in+out {
			continue
		}
		f.OtherCustomer = true
		f.Findings++
		f.Severity = max(f.Severity, detectors.Critical)
		cust := strings.Join(c.labels, "・")
		f.Why = append(f.Why, detectors.Reason{Code: detectors.ReasonOtherCustomer,
			Args: []string{strconv.Itoa(top.Persons), top.Area, cust, strconv.Itoa(out), strconv.Itoa(in + out)}})
		fd := Finding{
			Fingerprint: foreignFingerprint(f.Path, top.Area),
			Path:        f.Path,
			Detector:    ForeignDetector,
			Category:    ForeignCategory,
			Severity:    detectors.Critical,
			Confidence:  float64(out) / float64(in+out),
			Evidence:    fmt.Sprintf("%d people of %s (%d of %d with a known area live outside %s)", top.Persons, top.Area, out, in+out, cust),
			Context:     "customer " + cust,
		}
		if r.Spool != nil {
			// with the file's other findings, in report order
			r.Spool.List(r.Spool.Write([]Finding{fd}))
		} else {
			r.Findings = append(r.Findings, fd)
		}
		r.putFile(i, d)
	}
	r.Finalize()
}

// foreignFingerprint identifies a foreign_residents finding by its file
// and area (neither is personal data).
func foreignFingerprint(path, area string) string {
	h := sha256.New()
	for _, s := range []string{"rouei-fp/v1", ForeignDetector, path, area} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// areaWords are the words of the area lines and charts.
type areaWords struct {
	basis      map[string]string
	basisFmt   string // %s the basis, after a count
	line       string // %s the areas
	person     func(n int) string
	foreign    string // %[1]s people, %[2]s area, %[3]s customer
	more       func(areas, persons int) string
	chartFile  string
	chartAll   string
	chartNote  string
	customer   string // %s the customer's areas
	otherShort string
	sep        string
}

var areaWordsFor = map[Lang]*areaWords{
	English: {
		basis:    map[string]string{detectors.AreaAddress: "address", detectors.AreaPostal: "postal code", detectors.AreaPhone: "phone area", detectors.AreaMixed: "mixed"},
		line:     "areas: %s",
		basisFmt: " (%s)",
		person:   func(n int) string { return group(n) },
		foreign:  "OTHER CUSTOMER: %[1]s people of %[2]s in a delivery for %[3]s",
		more: func(a, p int) string {
			return fmt.Sprintf("… and %s more %s (%s)", group(a), map[bool]string{true: "area", false: "areas"}[a == 1], plural(p, "person", "people"))
		},
		chartFile:  "People by area",
		chartAll:   "People by area, all files",
		chartNote:  "From each person's address, else postal code, else fixed-line phone area; a person in two files counts in both, as in the people total.",
		customer:   "Delivery for: %s",
		otherShort: "other customer",
		sep:        ", ",
	},
	Japanese: {
		basis:    map[string]string{detectors.AreaAddress: "住所", detectors.AreaPostal: "郵便番号", detectors.AreaPhone: "市外局番", detectors.AreaMixed: "混在"},
		line:     "地域: %s",
		basisFmt: "（%s）",
		person:   func(n int) string { return group(n) + "人" },
		foreign:  "他の顧客: %[3]s向けの納品物に%[2]sの%[1]s人",
		more: func(a, p int) string {
			return fmt.Sprintf("…ほか%s地域（%s人）", group(a), group(p))
		},
		chartFile:  "地域別の人数",
		chartAll:   "地域別の人数（全ファイル）",
		chartNote:  "各人の住所、なければ郵便番号、なければ固定電話の市外局番から。2つのファイルにいる人は両方で数える（人数の合計と同じ）。",
		customer:   "納品先: %s",
		otherShort: "他の顧客",
		sep:        "、",
	},
}

func areaWordsOf(t *texts) *areaWords {
	if t == textsFor(Japanese) {
		return areaWordsFor[Japanese]
	}
	return areaWordsFor[English]
}

// maxAreasShown is how many areas a file's line or chart names; the rest
// are counted.
const maxAreasShown = 8

// foreignTop is the largest area of a file's people outside the customer.
func foreignTop(f File, customer []string) (Area, bool) {
	if !f.OtherCustomer {
		return Area{}, false
	}
	c, err := ParseCustomer(customer)
	if err != nil || c == nil {
		return Area{}, false
	}
	for _, a := range f.Areas { // most people first
		if in, known := c.inside(a.Area, a.Basis); known && !in {
			return a, true
		}
	}
	return Area{}, false
}

// areaLine is the text report's line of a file's areas ("" when none).
func areaLine(t *texts, f File, customer []string) string {
	if len(f.Areas) == 0 {
		return ""
	}
	w := areaWordsOf(t)
	var parts []string
	rest, restP := 0, 0
	for i, a := range f.Areas {
		if i >= maxAreasShown {
			rest++
			restP += a.Persons
			continue
		}
		s := a.Area + " " + w.person(a.Persons)
		if b, ok := w.basis[a.Basis]; ok {
			s += fmt.Sprintf(w.basisFmt, b)
		}
		parts = append(parts, s)
	}
	if rest > 0 {
		parts = append(parts, w.more(rest, restP))
	}
	line := fmt.Sprintf(w.line, strings.Join(parts, w.sep))
	if top, ok := foreignTop(f, customer); ok {
		line += " — " + fmt.Sprintf(w.foreign, group(top.Persons), top.Area, strings.Join(customer, "・"))
	}
	return line
}

// htmlAreaBar is one bar of an area chart.
type htmlAreaBar struct {
	Area, Persons, Basis string
	Pct                  int  // bar length, percent of the longest
	Foreign              bool // outside the customer's areas
}

// htmlAreas is the area chart of a file or of the whole report.
type htmlAreas struct {
	Title string
	Bars  []htmlAreaBar
	More  string
}

func buildAreaChart(title string, areas []Area, t *texts, c *Customer) *htmlAreas {
	if len(areas) == 0 {
		return nil
	}
	w := areaWordsOf(t)
	h := &htmlAreas{Title: title}
	most := areas[0].Persons
	rest, restP := 0, 0
	for i, a := range areas {
		if i >= maxAreasShown {
			rest++
			restP += a.Persons
			continue
		}
		pct := 0
		if most > 0 {
			pct = max(1, a.Persons*100/most)
		}
		foreign := false
		if c != nil {
			in, known := c.inside(a.Area, a.Basis)
			foreign = known && !in
		}
		h.Bars = append(h.Bars, htmlAreaBar{Area: a.Area, Persons: w.person(a.Persons), Basis: w.basis[a.Basis], Pct: pct, Foreign: foreign})
	}
	if rest > 0 {
		h.More = w.more(rest, restP)
	}
	return h
}

// totalAreas adds up the files' areas (a person in two files counts in
// both, as summary.persons does), most people first.
func totalAreas(r *Report) []Area {
	sum := map[string]*Area{}
	var order []string
	for _, f := range r.Files {
		if f.Persons == 0 {
			continue // no one's area
		}
		for _, a := range r.fileDetail(f).Areas {
			s := sum[a.Area]
			if s == nil {
				s = &Area{Area: a.Area, Basis: a.Basis}
				sum[a.Area] = s
				order = append(order, a.Area)
			} else if s.Basis != a.Basis {
				s.Basis = detectors.AreaMixed
			}
			s.Persons += a.Persons
		}
	}
	out := make([]Area, 0, len(order))
	for _, k := range order {
		out = append(out, *sum[k])
	}
	slices.SortStableFunc(out, func(a, b Area) int {
		if a.Persons != b.Persons {
			return b.Persons - a.Persons
		}
		return strings.Compare(a.Area, b.Area)
	})
	return out
}

// withAreas adds a file's area chart and, for another customer's list,
// the sentence that names it.
func withAreas(h htmlFile, f File, t *texts, c *Customer, customer []string) htmlFile {
	w := areaWordsOf(t)
	h.Areas = buildAreaChart(w.chartFile, f.Areas, t, c)
	if top, ok := foreignTop(f, customer); ok {
		h.Foreign = fmt.Sprintf(w.foreign, group(top.Persons), top.Area, strings.Join(customer, "・"))
	}
	return h
}

// reportAreas is the whole report's area chart, its note and the
// customer line.
func reportAreas(r *Report, t *texts, c *Customer) (*htmlAreas, string, string) {
	w := areaWordsOf(t)
	a := buildAreaChart(w.chartAll, totalAreas(r), t, c)
	if a == nil {
		return nil, "", ""
	}
	cust := ""
	if len(r.Customer) > 0 {
		cust = fmt.Sprintf(w.customer, strings.Join(r.Customer, "・"))
	}
	return a, w.chartNote, cust
}

// The foreign_residents category in the SARIF rules and in words.
func init() {
	sarifCategoryRule[ForeignCategory] = sarifRuleText{"OtherCustomersResidents", "Another customer's residents",
		"Flags a person list whose people live mostly outside the areas the delivery or server belongs to (--customer).",
		"A list of another municipality's residents in this customer's delivery is a leak of that municipality's data, whatever its own content."}
	for l, words := range map[Lang]string{English: "another customer's residents", Japanese: "他地域の住民"} {
		if t := textsFor(l); t.categoryWords != nil {
			t.categoryWords[ForeignCategory] = words
		}
	}
}
