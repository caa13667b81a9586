package detectors

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	unorm "golang.org/x/text/unicode/norm"
)

func TestAddressArea(t *testing.T) {
	for in, want := range map[string]string{
		"愛知県岡崎市十王町2-9":              "愛知県岡崎市",
		"岡崎市康生通西4-71":               "愛知県岡崎市",  // no prefecture: the name is unique
		"愛知県名古屋市中村区名駅1-1-4":         "愛知県名古屋市", // a ward: its city
		"名古屋市中区栄3丁目":                "愛知県名古屋市",
		"〒889-4292 宮崎県えびの市大字栄町1290": "宮崎県えびの市",
		"東京都千代田区丸の内1-1":             "東京都千代田区",
		"東京都府中市宮西町2-24":             "東京都府中市",
		"広島県府中市府川町315":              "広島県府中市",
		"三重県桑名郡木曽岬町西対海地251":         "三重県桑名郡木曽岬町",
		"三重県木曽岬町西対海地251":            "三重県桑名郡木曽岬町", // written without its 郡
		"北海道札幌市北区北8条西2丁目":           "北海道札幌市",
		"大阪府大阪市北区梅田1-1":             "大阪府大阪市",
		"ｱｲﾁｹﾝ愛知県岡崎市":               "",
		"府中市寿町1-5":                  "", // 東京都 or 広島県: names nothing
		"架空市中央1-2-3":                "", // a fictional town
		"愛知県":                       "",
		"":                          "",
	} {
		got, ok := AddressArea(in)
		if got != want || ok != (want != "") {
			t.Errorf("AddressArea(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	// Full-width input is read after NFKC.
	if got, _ := AddressArea("愛知県岡崎市十王町２－９"); got != "愛知県岡崎市" {
		t.Errorf("full width: %q", got)
	}
}

func TestPostalAndPhoneArea(t *testing.T) {
	for in, want := range map[string]string{
		"444-0001": "愛知県岡崎市", "〒4440001": "愛知県岡崎市", "889-4300": "宮崎県えびの市",
		"460-0008": "愛知県名古屋市", "498-0000": "", "000-0000": "",
	} {
		if got, ok := PostalArea(in); got != want || ok != (want != "") {
			t.Errorf("PostalArea(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"0564-23-3100": "愛知県岡崎市", "0566-21-1234": "愛知県刈谷市", "052-961-1111": "愛知県名古屋市",
		"011-231-4111": "北海道札幌市", "0985-25-1111": "宮崎県宮崎市",
		"03-5321-1111":  "東京都", // 03 is no single municipality: its prefecture
		"090-1234-5678": "", "080-2345-6789": "", "050-1234-5678": "", "0120-123-456": "", "0570-000-123": "",
	} {
		if got, ok := PhoneArea(in); got != want || ok != (want != "") {
			t.Errorf("PhoneArea(%q) = %q, want %q", in, got, want)
		}
	}
}

// The people of synthetic lists: made-up names and street numbers.
var (
	testSurnames = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山口"}
	testGiven    = []string{"花子", "健一", "美咲", "大輔", "陽子", "翔太", "由美", "誠", "恵子", "拓也", "彩", "浩二"}
)

func personName(i int) string {
	return testSurnames[i%len(testSurnames)] + " " + testGiven[(i/len(testSurnames)+i)%len(testGiven)]
}

// list builds an overdue list of n people; cols says what each row holds.
func list(n int, header string, row func(i int) string) string {
	var b strings.Builder
	b.WriteString(header + "\n")
	for i := 0; i < n; i++ {
		b.WriteString(row(i) + "\n")
	}
	return b.String()
}

func areasString(as []AreaCount) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, fmt.Sprintf("%s:%d:%s", a.Area, a.Persons, a.Basis))
	}
	return strings.Join(parts, " ")
}

func TestAnalyzerAreas(t *testing.T) {
	mobile := func(i int) string { return fmt.Sprintf("090-%04d-%04d", 2000+i*7, 3000+i*13) }
	for _, c := range []struct {
		name, text, want string
	}{
		{"one municipality by address", list(12, "利用者番号,氏名,住所,電話番号,書名,返却期限", func(i int) string {
			return fmt.Sprintf("%06d,%s,愛知県岡崎市十王町%d-%d,%s,吾輩は猫である,2025-06-%02d", 100+i, personName(i), i+1, i%9+1, mobile(i), i%28+1)
		}), "愛知県岡崎市:12:address"},
		{"two municipalities by address", list(10, "利用者番号,氏名,住所,電話番号", func(i int) string {
			addr := fmt.Sprintf("愛知県岡崎市康生通西%d-%d", i+1, 3)
			if i%5 == 0 {
				addr = fmt.Sprintf("宮崎県えびの市大字原田%d", 100+i)
			}
			return fmt.Sprintf("%06d,%s,%s,%s", 200+i, personName(i), addr, mobile(i))
		}), "愛知県岡崎市:8:address 宮崎県えびの市:2:address"},
		{"several by postal code only", list(9, "利用者番号,氏名,郵便番号,電話番号", func(i int) string {
			zip := []string{"444-0001", "460-0008", "889-4300"}[i%3]
			return fmt.Sprintf("%06d,%s,%s,%s", 300+i, personName(i), zip, mobile(i))
		}), "宮崎県えびの市:3:postal 愛知県名古屋市:3:postal 愛知県岡崎市:3:postal"},
		{"by phone only", list(8, "利用者番号,氏名,電話番号", func(i int) string {
			tel := fmt.Sprintf("0564-%02d-%04d", 21+i, 1000+i*17)
			if i >= 6 {
				tel = fmt.Sprintf("0566-%02d-%04d", 21+i, 2000+i*19)
			}
			return fmt.Sprintf("%06d,%s,%s", 400+i, personName(i), tel)
		}), "愛知県岡崎市:6:phone 愛知県刈谷市:2:phone"},
		{"address beats postal code and phone; mixed bases", list(6, "利用者番号,氏名,郵便番号,住所,電話番号", func(i int) string {
			if i < 3 { // a postal code of 名古屋市, but the address is in 岡崎市
				return fmt.Sprintf("%06d,%s,460-0008,愛知県岡崎市羽根町%d,0564-%02d-%04d", 500+i, personName(i), i+1, 30+i, 4000+i)
			}
			return fmt.Sprintf("%06d,%s,444-0001,,%s", 500+i, personName(i), mobile(i))
		}), "愛知県岡崎市:6:mixed"},
		{"mobile only: no area", list(10, "利用者番号,氏名,電話番号", func(i int) string {
			return fmt.Sprintf("%06d,%s,%s", 600+i, personName(i), mobile(i))
		}), ""},
	} {
		v, _ := analyse(t, c.text)
		if v.Persons == 0 {
			t.Errorf("%s: no persons", c.name)
			continue
		}
		if got := areasString(v.Areas); got != c.want {
			t.Errorf("%s: areas %q, want %q (persons %d)", c.name, got, c.want, v.Persons)
		}
		sum := 0
		for _, a := range v.Areas {
			sum += a.Persons
		}
		if sum > v.Persons {
			t.Errorf("%s: areas count %d people of %d", c.name, sum, v.Persons)
		}
	}
}

// One person written twice (two overdue books, by patron ID) counts once in
// its area.
func TestAnalyzerAreasCountPersonsOnce(t *testing.T) {
	text := list(10, "利用者番号,氏名,住所,書名,返却期限", func(i int) string {
		p := i / 2
		return fmt.Sprintf("%06d,%s,宮崎県えびの市大字栄町%d,本%d,2025-06-01", 700+p, personName(p), 10+p, i)
	})
	v, _ := analyse(t, text)
	if got := areasString(v.Areas); got != "宮崎県えびの市:5:address" || v.Persons != 5 {
		t.Errorf("areas %q, persons %d", got, v.Persons)
	}
}

func TestAreaLookupsOnOddInput(t *testing.T) {
	long := strings.Repeat("市", 10000)
	for _, in := range []string{"\xff\xfe市", "市", "区", long, "愛知県" + long, "〒", "〒444-", "0564", strings.Repeat("0", 200)} {
		if a, ok := AddressArea(in); ok {
			t.Errorf("AddressArea(%.20q) = %q", in, a)
		}
		PostalArea(in)
		PhoneArea(in)
	}
}

// The generated area table answers as libphonenumber's geocoding does,
// for random fixed-line numbers all over the numbering plan (the
// generator checked three subscriber numbers per prefix; these are
// others) and in the forms a list writes them.
func TestPhoneAreaTableMatchesLibrary(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	fixed, named := 0, 0
	for i := 0; i < 60000; i++ {
		d := fmt.Sprintf("0%09d", rng.IntN(1000000000))
		want := PhoneAreaByLibrary(d)
		if want != "" {
			named++
		}
		if fixedLine(d) {
			fixed++
		}
		for _, form := range []string{d, d[:4] + "-" + d[4:6] + "-" + d[6:], "（" + d[:3] + "）" + d[3:6] + "－" + d[6:],
			unorm.NFKC.String(d) /* unchanged */, toFullWidth(d)} {
			if got, ok := PhoneArea(form); got != want || ok != (want != "") {
				t.Fatalf("PhoneArea(%s…) = %q, the library %q", form[:min(4, len(form))], got, want)
			}
		}
	}
	if fixed < 10000 || named < 10000 {
		t.Fatalf("only %d fixed-line numbers, %d with an area: the sample misses the plan", fixed, named)
	}
}

func toFullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r - '0' + '０')
	}
	return b.String()
}
