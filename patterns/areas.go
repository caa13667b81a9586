package patterns

import (
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ./internal/genareas

// Municipality is one local government of municipalities.txt (generated
// from Japan Post's KEN_ALL, see patterns/internal/genareas).
type Municipality struct {
	Code string // 5-digit local government code (全国地方公共団体コード without its check digit): "23202"
	Pref string // prefecture: "愛知県"
	Area string // municipality: "岡崎市"; a designated city's ward has its city, "名古屋市"
	Name string // the name in KEN_ALL: "名古屋市中村区" for a ward, else Area
}

// Label is the municipality as reports name it: prefecture and
// municipality, "愛知県岡崎市", "愛知県名古屋市", "東京都千代田区".
func (m Municipality) Label() string { return m.Pref + m.Area }

// Ward reports whether m is a ward of a designated city (名古屋市中村区).
func (m Municipality) Ward() bool { return m.Name != m.Area }

type postalRange struct {
	first, last int32
	muni        int32 // index in municipalities; -1: several
}

type areaTables struct {
	munis  []Municipality
	byCode map[string]int
	postal []postalRange
}

var areaOnce = sync.OnceValue(func() *areaTables {
	t := &areaTables{byCode: map[string]int{}}
	for _, l := range Lines("municipalities.txt") {
		f := strings.Split(l, "\t")
		if len(f) != 4 {
			continue
		}
		t.byCode[f[0]] = len(t.munis)
		t.munis = append(t.munis, Municipality{Code: f[0], Pref: f[1], Area: f[2], Name: f[3]})
	}
	for _, l := range Lines("postal_codes.txt") {
		f := strings.Split(l, "\t")
		if len(f) != 3 {
			continue
		}
		a, err1 := strconv.Atoi(f[0])
		b, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil {
			continue
		}
		i, ok := t.byCode[f[2]]
		if !ok {
			i = -1
		}
		t.postal = append(t.postal, postalRange{int32(a), int32(b), int32(i)})
	}
	return t
})

// Municipalities returns every municipality of municipalities.txt in code
// order (wards of designated cities included). The slice is a copy.
func Municipalities() []Municipality { return append([]Municipality(nil), areaOnce().munis...) }

// MunicipalityByCode returns the municipality of a local government code:
// five digits, or six with the check digit (which must be right). A ward's
// code gives the ward (its Area is the city).
func MunicipalityByCode(code string) (Municipality, bool) {
	switch len(code) {
	case 6:
		if !LocalGovCheckDigitOK(code) {
			return Municipality{}, false
		}
		code = code[:5]
	case 5:
	default:
		return Municipality{}, false
	}
	t := areaOnce()
	i, ok := t.byCode[code]
	if !ok {
		return Municipality{}, false
	}
	return t.munis[i], true
}

// LocalGovCheckDigitOK reports whether a 6-digit local government code
// has the right check digit (the digits weighted 6,5,4,3,2, summed; 11
// less the sum's remainder modulo 11, its last digit).
func LocalGovCheckDigitOK(code string) bool {
	if len(code) != 6 {
		return false
	}
	s := 0
	for i := 0; i < 6; i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
		if i < 5 {
			s += int(code[i]-'0') * (6 - i)
		}
	}
	return int(code[5]-'0') == (11-s%11)%10
}

// PostalMunicipality returns the municipality of a 7-digit postal code
// (digits only, "4440001"); false when KEN_ALL has no such code or gives
// it to several municipalities.
func PostalMunicipality(code string) (Municipality, bool) {
	if len(code) != 7 {
		return Municipality{}, false
	}
	n, err := strconv.Atoi(code)
	if err != nil || n < 0 {
		return Municipality{}, false
	}
	t := areaOnce()
	i := sort.Search(len(t.postal), func(i int) bool { return t.postal[i].last >= int32(n) })
	if i == len(t.postal) || t.postal[i].first > int32(n) || t.postal[i].muni < 0 {
		return Municipality{}, false
	}
	return t.munis[t.postal[i].muni], true
}
