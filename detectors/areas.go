package detectors

import (
	"hash/maphash"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
	unorm "golang.org/x/text/unicode/norm"

	"github.com/rouei/rouei/detectors/internal/phoneplan"
	"github.com/rouei/rouei/patterns"
)

// Areas: where a file's people live, by municipality, from the strongest
// evidence each person's records hold — a written address (its
// prefecture and municipality), else a postal code (Japan Post's KEN_ALL,
// patterns/postal_codes.txt), else a fixed-line phone number's area
// (libphonenumber's geocoding). Mobile, IP and free-dial numbers name no
// area. A designated city's wards are its city (愛知県名古屋市), the
// special wards of Tokyo are municipalities (東京都千代田区); nothing finer
// than a municipality is ever named. A phone area that is no single
// municipality (03: 東京) names its prefecture alone (東京都).
//
// The evidence is kept per record as the analyzer goes (three strings at
// most) and read once per person when the file ends: the scan itself does
// no lookup.

// Area bases (files[].areas[].basis).
const (
	AreaAddress = "address"
	AreaPostal  = "postal"
	AreaPhone   = "phone"
	AreaMixed   = "mixed"
)

// AreaCount is how many of a file's people live in one area.
type AreaCount struct {
	Area    string // prefecture and municipality: "愛知県岡崎市"; a prefecture alone from a phone area: "東京都"
	Persons int
	Basis   string // AreaAddress, AreaPostal, AreaPhone, or AreaMixed when its people got there by different bases
}

// areaEvidence is what a record says of where its person lives: its first
// address, postal code and fixed-line phone number.
type areaEvidence struct {
	address, postal, phone string
}

func (e areaEvidence) empty() bool { return e.address == "" && e.postal == "" && e.phone == "" }

// merge fills what e lacks from o.
func (e *areaEvidence) merge(o areaEvidence) {
	if e.address == "" {
		e.address = o.address
	}
	if e.postal == "" {
		e.postal = o.postal
	}
	if e.phone == "" {
		e.phone = o.phone
	}
}

// noteArea takes the area evidence of a match kept in a person's record.
func (r *record) noteArea(m Located) {
	switch m.Category {
	case "address":
		if r.area.address == "" {
			r.area.address = m.Value
		}
	case "postal_code":
		if r.area.postal == "" {
			r.area.postal = m.Value
		}
	case "phone":
		if r.area.phone == "" && fixedLine(m.Value) {
			r.area.phone = m.Value
		}
	}
}

// fixedLine reports whether a phone value (national format) is a fixed
// line by the numbering plan (the phone table, else the library): not a
// mobile, IP phone, free dial or navi-dial number.
func fixedLine(v string) bool {
	var buf [16]byte
	d := buf[:0]
	for i := 0; i < len(v); i++ {
		if c := v[i]; c >= '0' && c <= '9' {
			if len(d) == len(buf) {
				return false
			}
			d = append(d, c)
		}
	}
	if (len(d) != 10 && len(d) != 11) || d[0] != '0' {
		return false
	}
	sh, ok := tableShape(d)
	if !ok {
		sh = phoneplan.Library(d)
	}
	return sh.OK && sh.Fixed
}

// keepArea records the area evidence of a person's record under its
// first identifier (the union of identifiers is read at the end).
func (a *Analyzer) keepArea(key string, e areaEvidence) {
	if e.empty() {
		return
	}
	if a.areaEv == nil {
		a.areaEv = map[uint64]areaEvidence{}
	}
	h := maphash.String(a.seed, key)
	if old, ok := a.areaEv[h]; ok {
		old.merge(e)
		a.areaEv[h] = old
		return
	}
	if len(a.areaEv) < maxPersonKeys {
		a.areaEv[h] = e
	}
}

// areas counts the file's people by area, most people first.
func (a *Analyzer) areas() []AreaCount {
	if len(a.areaEv) == 0 {
		return nil
	}
	byRoot := make(map[uint64]areaEvidence, len(a.areaEv))
	for h, e := range a.areaEv {
		if _, ok := a.people.parent[h]; !ok {
			continue // past the bound of person keys
		}
		root := a.people.find(h)
		old := byRoot[root]
		old.merge(e)
		byRoot[root] = old
	}
	type tally struct {
		n     int
		basis string
	}
	counts := map[string]*tally{}
	for _, e := range byRoot {
		area, basis := ResolveArea(e.address, e.postal, e.phone)
		if area == "" {
			continue
		}
		t := counts[area]
		if t == nil {
			t = &tally{basis: basis}
			counts[area] = t
		} else if t.basis != basis {
			t.basis = AreaMixed
		}
		t.n++
	}
	out := make([]AreaCount, 0, len(counts))
	for area, t := range counts {
		out = append(out, AreaCount{Area: area, Persons: t.n, Basis: t.basis})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Persons != out[j].Persons {
			return out[i].Persons > out[j].Persons
		}
		return out[i].Area < out[j].Area
	})
	return out
}

// ResolveArea names the area of one person from its address, postal code
// and fixed-line phone number (any may be empty), the strongest first, and
// the basis it came from; "" when none names one.
func ResolveArea(address, postal, phone string) (area, basis string) {
	if address != "" {
		if m, ok := AddressArea(address); ok {
			return m, AreaAddress
		}
	}
	if postal != "" {
		if m, ok := PostalArea(postal); ok {
			return m, AreaPostal
		}
	}
	if phone != "" {
		if m, ok := PhoneArea(phone); ok {
			return m, AreaPhone
		}
	}
	return "", ""
}

// PostalArea names the municipality of a postal code ("444-0001", "〒4440001").
func PostalArea(v string) (string, bool) {
	var d []byte
	for _, r := range unorm.NFKC.String(v) {
		if r >= '0' && r <= '9' {
			d = append(d, byte(r))
		}
	}
	m, ok := patterns.PostalMunicipality(string(d))
	if !ok {
		return "", false
	}
	return m.Label(), true
}

// areaIndex finds municipalities by the names an address writes them with.
type areaIndex struct {
	byName  map[string][]patterns.Municipality // KEN_ALL name, city of a ward, name without its 郡
	maxLen  int                                // longest name, in bytes
	byPref  map[string]bool
	prefs   []string
	romaji  map[string]string // "Aichi" → 愛知県
	byLabel map[string]patterns.Municipality
}

var areaIdx = sync.OnceValue(func() *areaIndex {
	x := &areaIndex{byName: map[string][]patterns.Municipality{}, byPref: map[string]bool{},
		romaji: map[string]string{}, byLabel: map[string]patterns.Municipality{}}
	add := func(name string, m patterns.Municipality) {
		for _, o := range x.byName[name] {
			if o.Label() == m.Label() {
				return
			}
		}
		x.byName[name] = append(x.byName[name], m)
		x.maxLen = max(x.maxLen, len(name))
	}
	for _, m := range patterns.Municipalities() {
		add(m.Name, m)
		add(m.Area, m)
		// 桑名郡木曽岬町 is written 木曽岬町 too (a town or village of a 郡;
		// not 蒲郡市 or 大和郡山市, cities whose names hold the character).
		if i := strings.Index(m.Name, "郡"); i > 0 && (strings.HasSuffix(m.Name, "町") || strings.HasSuffix(m.Name, "村")) &&
			utf8.RuneCountInString(m.Name[i+len("郡"):]) >= 2 {
			add(m.Name[i+len("郡"):], m)
		}
		if _, ok := x.byLabel[m.Label()]; !ok || !m.Ward() {
			x.byLabel[m.Label()] = m
		}
	}
	x.prefs = patterns.Prefectures()
	for i, p := range x.prefs {
		x.byPref[p] = true
		if i < len(prefRomaji) {
			x.romaji[prefRomaji[i]] = p
		}
	}
	return x
})

// prefRomaji are the prefectures' names as libphonenumber's English
// geocoding writes them, in JIS X 0401 order (patterns/prefectures.txt).
var prefRomaji = [...]string{
	"Hokkaido", "Aomori", "Iwate", "Miyagi", "Akita", "Yamagata", "Fukushima", "Ibaraki", "Tochigi", "Gunma",
	"Saitama", "Chiba", "Tokyo", "Kanagawa", "Niigata", "Toyama", "Ishikawa", "Fukui", "Yamanashi", "Nagano",
	"Gifu", "Shizuoka", "Aichi", "Mie", "Shiga", "Kyoto", "Osaka", "Hyogo", "Nara", "Wakayama",
	"Tottori", "Shimane", "Okayama", "Hiroshima", "Yamaguchi", "Tokushima", "Kagawa", "Ehime", "Kochi", "Fukuoka",
	"Saga", "Nagasaki", "Kumamoto", "Oita", "Miyazaki", "Kagoshima", "Okinawa",
}

// AddressArea names the municipality of a written address: its
// prefecture (when written) and the longest municipality name that
// follows ("愛知県岡崎市十王町" → 愛知県岡崎市; "名古屋市中村区名駅" →
// 愛知県名古屋市). A municipality name of several prefectures (府中市)
// names nothing without its prefecture.
func AddressArea(v string) (string, bool) {
	x := areaIdx()
	s := strings.TrimSpace(unorm.NFKC.String(v))
	s = strings.TrimLeft(strings.TrimPrefix(s, "〒"), " ")
	// A postal code before the address: 444-0001 愛知県…
	if i := strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '-' || r == ' ') }); i > 0 {
		s = s[i:]
	}
	pref := ""
	for _, p := range x.prefs {
		if strings.HasPrefix(s, p) {
			pref, s = p, strings.TrimLeft(s[len(p):], " ")
			break
		}
	}
	// Candidates end at a 市, 区, 町 or 村; the longest known one wins.
	limit := min(len(s), x.maxLen)
	for end := limit; end > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:end])
		if r == '市' || r == '区' || r == '町' || r == '村' {
			if ms, ok := x.byName[s[:end]]; ok {
				var found []patterns.Municipality
				for _, m := range ms {
					if pref == "" || m.Pref == pref {
						found = append(found, m)
					}
				}
				if len(found) == 1 {
					return found[0].Label(), true
				}
				if len(found) > 1 {
					return "", false
				}
			}
		}
		end -= size
	}
	return "", false
}

// PhoneArea names the area of a fixed-line number ("0564-23-3100" →
// 愛知県岡崎市), from libphonenumber's geocoding: its Japanese place name
// as a municipality of the prefecture its English name gives, else the
// prefecture alone. Mobile, IP, free-dial and unknown numbers name none.
// The answers are precomputed by prefix (phonearea_table.go, generated
// from PhoneAreaByLibrary), so nothing is loaded or allocated here.
func PhoneArea(v string) (string, bool) {
	for i := 0; i < len(v); i++ {
		if v[i] >= utf8.RuneSelf { // full-width digits and the like
			v = unorm.NFKC.String(v)
			break
		}
	}
	var buf [10]byte
	n := 0
	for i := 0; i < len(v); i++ {
		if c := v[i]; c >= '0' && c <= '9' {
			if n == len(buf) {
				return "", false
			}
			buf[n] = c
			n++
		}
	}
	d := buf[:n]
	if n != 10 || d[0] != '0' || !fixedLine(string(d)) {
		return "", false
	}
	p := uint32(0)
	for _, c := range d[1:7] {
		p = p*10 + uint32(c-'0')
	}
	i, found := slices.BinarySearch(phoneAreaStarts[:], p)
	if !found {
		i--
	}
	area := phoneAreaNames[phoneAreaRuns[i]]
	return area, area != ""
}

// PhoneAreaByLibrary is PhoneArea asked of libphonenumber's geocoding
// for a ten-digit domestic number's digits, without the table: the
// generator of the table and its test call it.
func PhoneAreaByLibrary(digits string) string {
	if len(digits) != 10 || digits[0] != '0' || !fixedLine(digits) {
		return ""
	}
	return phoneArea(digits)
}

func phoneArea(digits string) string {
	// A domestic fixed-line number (PhoneArea checked it by the phone
	// table): the number is built, not parsed.
	national, err := strconv.ParseUint(digits[1:], 10, 64)
	if err != nil {
		return ""
	}
	cc := int32(81)
	n := &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &national}
	ja, err1 := phonenumbers.GetGeocodingForNumber(n, "ja")
	en, err2 := phonenumbers.GetGeocodingForNumber(n, "en")
	if err1 != nil || err2 != nil || ja == "" || ja == "日本" {
		return ""
	}
	x := areaIdx()
	// "Okazaki, Aichi": the prefecture is the last part; "Tokyo" alone.
	romaji := en
	if i := strings.LastIndex(en, ","); i >= 0 {
		romaji = strings.TrimSpace(en[i+1:])
	}
	pref := x.romaji[romaji]
	if pref == "" {
		return ""
	}
	for _, suf := range []string{"市", "区", "町", "村"} {
		if m, ok := x.byLabel[pref+ja+suf]; ok {
			return m.Label()
		}
	}
	for _, suf := range []string{"町", "村"} { // 額田郡幸田町 is geocoded 幸田
		for _, m := range x.byName[ja+suf] {
			if m.Pref == pref {
				return m.Label()
			}
		}
	}
	return pref
}

// postalCell reads a postal-code column's cell: "444-0001", "〒444-0001"
// or "4440001", as "444-0001".
func postalCell(v []byte) (string, bool) {
	c := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(v)), "〒"))
	switch {
	case len(c) == 8 && c[3] == '-' && allDigitsString(c[:3]) && allDigitsString(c[4:]):
		return c, true
	case len(c) == 7 && allDigitsString(c):
		return c[:3] + "-" + c[3:], true
	}
	return "", false
}

func allDigitsString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ReasonOtherCustomer explains a list of another customer's people
// (report.ApplyCustomer): n people of the largest foreign area, that
// area, the customer's areas, the people outside them, the people whose
// area is known.
const ReasonOtherCustomer = "other_customer"
