package patterns

import "testing"

func TestMunicipalities(t *testing.T) {
	ms := Municipalities()
	if len(ms) < 1800 {
		t.Fatalf("%d municipalities", len(ms))
	}
	for _, c := range []struct{ code, label, name string }{
		{"23202", "愛知県岡崎市", "岡崎市"},
		{"232025", "愛知県岡崎市", "岡崎市"}, // with its check digit
		{"45209", "宮崎県えびの市", "えびの市"},
		{"23105", "愛知県名古屋市", "名古屋市中村区"}, // a ward: the city
		{"23100", "愛知県名古屋市", "名古屋市"},    // the designated city itself
		{"13101", "東京都千代田区", "千代田区"},    // a special ward is a municipality
		{"131016", "東京都千代田区", "千代田区"},
		{"01100", "北海道札幌市", "札幌市"},
	} {
		m, ok := MunicipalityByCode(c.code)
		if !ok || m.Label() != c.label || m.Name != c.name {
			t.Errorf("%s: %+v %v, want %s (%s)", c.code, m, ok, c.label, c.name)
		}
	}
	for _, bad := range []string{"232026", "99999", "2320", "abcde", ""} {
		if m, ok := MunicipalityByCode(bad); ok {
			t.Errorf("%q: %+v", bad, m)
		}
	}
}

func TestPostalMunicipality(t *testing.T) {
	for code, want := range map[string]string{
		"4440001": "愛知県岡崎市", // 岡崎市
		"4440008": "愛知県岡崎市",
		"4500002": "愛知県名古屋市", // 中村区名駅: a ward, shown as its city
		"4600008": "愛知県名古屋市", // 中区栄
		"1000001": "東京都千代田区",
		"1006090": "東京都千代田区", // a building's floors (a 5-digit prefix entry)
		"8894300": "宮崎県えびの市",
		"0600001": "北海道札幌市",
		"9000001": "沖縄県那覇市",
	} {
		m, ok := PostalMunicipality(code)
		if !ok || m.Label() != want {
			t.Errorf("%s: %q %v, want %s", code, m.Label(), ok, want)
		}
	}
	// 498-0000 is both 愛知県弥富市 and 三重県桑名郡木曽岬町: no area.
	for _, code := range []string{"4980000", "0000000", "9999999", "123456", "12345678", "44400a1"} {
		if m, ok := PostalMunicipality(code); ok {
			t.Errorf("%s: %+v", code, m)
		}
	}
}
