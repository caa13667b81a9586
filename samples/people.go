package samples

import (
	"github.com/rouei/rouei/patterns"

	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// nameEntry is a surname or given name with its reading and romanisation.
// from and to bound the birth years a given name is used for (0: any).
type nameEntry struct {
	kanji, kana, romaji string
	from, to            int
}

var surnames = []nameEntry{
	{"佐藤", "サトウ", "sato", 0, 0}, {"鈴木", "スズキ", "suzuki", 0, 0},
	{"高橋", "タカハシ", "takahashi", 0, 0}, {"田中", "タナカ", "tanaka", 0, 0},
	{"伊藤", "イトウ", "ito", 0, 0}, {"渡辺", "ワタナベ", "watanabe", 0, 0},
	{"山本", "ヤマモト", "yamamoto", 0, 0}, {"中村", "ナカムラ", "nakamura", 0, 0},
	{"小林", "コバヤシ", "kobayashi", 0, 0}, {"加藤", "カトウ", "kato", 0, 0},
	{"吉田", "ヨシダ", "yoshida", 0, 0}, {"山田", "ヤマダ", "yamada", 0, 0},
	{"佐々木", "ササキ", "sasaki", 0, 0}, {"山口", "ヤマグチ", "yamaguchi", 0, 0},
	{"松本", "マツモト", "matsumoto", 0, 0}, {"井上", "イノウエ", "inoue", 0, 0},
	{"木村", "キムラ", "kimura", 0, 0}, {"林", "ハヤシ", "hayashi", 0, 0},
	{"斎藤", "サイトウ", "saito", 0, 0}, {"清水", "シミズ", "shimizu", 0, 0},
	{"山崎", "ヤマザキ", "yamazaki", 0, 0}, {"森", "モリ", "mori", 0, 0},
	{"池田", "イケダ", "ikeda", 0, 0}, {"橋本", "ハシモト", "hashimoto", 0, 0},
	{"阿部", "アベ", "abe", 0, 0}, {"石川", "イシカワ", "ishikawa", 0, 0},
	{"山下", "ヤマシタ", "yamashita", 0, 0}, {"中島", "ナカジマ", "nakajima", 0, 0},
	{"石井", "イシイ", "ishii", 0, 0}, {"小川", "オガワ", "ogawa", 0, 0},
	{"前田", "マエダ", "maeda", 0, 0}, {"岡田", "オカダ", "okada", 0, 0},
	{"長谷川", "ハセガワ", "hasegawa", 0, 0}, {"藤田", "フジタ", "fujita", 0, 0},
	{"後藤", "ゴトウ", "goto", 0, 0}, {"近藤", "コンドウ", "kondo", 0, 0},
	{"村上", "ムラカミ", "murakami", 0, 0}, {"遠藤", "エンドウ", "endo", 0, 0},
	{"青木", "アオキ", "aoki", 0, 0}, {"坂本", "サカモト", "sakamoto", 0, 0},
	{"神谷", "カミヤ", "kamiya", 0, 0}, {"杉浦", "スギウラ", "sugiura", 0, 0},
	{"本多", "ホンダ", "honda", 0, 0}, {"稲垣", "イナガキ", "inagaki", 0, 0},
	{"柴田", "シバタ", "shibata", 0, 0}, {"野村", "ノムラ", "nomura", 0, 0},
}

var maleNames = []nameEntry{
	{"健一", "ケンイチ", "kenichi", 1950, 1985}, {"誠", "マコト", "makoto", 1955, 1995},
	{"浩", "ヒロシ", "hiroshi", 1935, 1975}, {"大輔", "ダイスケ", "daisuke", 1970, 1995},
	{"翔太", "ショウタ", "shota", 1985, 2010}, {"拓也", "タクヤ", "takuya", 1970, 2000},
	{"和也", "カズヤ", "kazuya", 1960, 1995}, {"直樹", "ナオキ", "naoki", 1960, 1995},
	{"隆", "タカシ", "takashi", 1940, 1980}, {"修", "オサム", "osamu", 1935, 1970},
	{"茂", "シゲル", "shigeru", 1930, 1960}, {"博之", "ヒロユキ", "hiroyuki", 1950, 1985},
	{"健太", "ケンタ", "kenta", 1980, 2005}, {"悠斗", "ユウト", "yuto", 1995, 2012},
	{"蓮", "レン", "ren", 1995, 2012}, {"大翔", "ヒロト", "hiroto", 1995, 2012},
	{"正人", "マサト", "masato", 1950, 1990}, {"秀樹", "ヒデキ", "hideki", 1950, 1985},
	{"達也", "タツヤ", "tatsuya", 1960, 1995}, {"勝", "マサル", "masaru", 1930, 1965},
	{"清", "キヨシ", "kiyoshi", 1930, 1960}, {"昭夫", "アキオ", "akio", 1930, 1960},
	{"義男", "ヨシオ", "yoshio", 1930, 1960}, {"一郎", "イチロウ", "ichiro", 1935, 1990},
	{"陽介", "ヨウスケ", "yosuke", 1970, 2000}, {"颯太", "ソウタ", "sota", 1995, 2012},
}

var femaleNames = []nameEntry{
	{"恵子", "ケイコ", "keiko", 1935, 1975}, {"洋子", "ヨウコ", "yoko", 1935, 1970},
	{"幸子", "サチコ", "sachiko", 1930, 1965}, {"由美子", "ユミコ", "yumiko", 1950, 1980},
	{"美穂", "ミホ", "miho", 1965, 1995}, {"裕子", "ユウコ", "yuko", 1950, 1985},
	{"直美", "ナオミ", "naomi", 1955, 1985}, {"真由美", "マユミ", "mayumi", 1955, 1985},
	{"愛", "アイ", "ai", 1975, 2005}, {"彩", "アヤ", "aya", 1980, 2005},
	{"美咲", "ミサキ", "misaki", 1985, 2010}, {"さくら", "サクラ", "sakura", 1990, 2012},
	{"結衣", "ユイ", "yui", 1990, 2012}, {"陽菜", "ヒナ", "hina", 1995, 2012},
	{"久美子", "クミコ", "kumiko", 1945, 1975}, {"智子", "トモコ", "tomoko", 1945, 1980},
	{"和子", "カズコ", "kazuko", 1930, 1960}, {"節子", "セツコ", "setsuko", 1930, 1955},
	{"明美", "アケミ", "akemi", 1950, 1980}, {"千尋", "チヒロ", "chihiro", 1975, 2005},
	{"美紀", "ミキ", "miki", 1965, 1995}, {"麻衣", "マイ", "mai", 1980, 2005},
	{"奈々", "ナナ", "nana", 1985, 2010}, {"文子", "フミコ", "fumiko", 1930, 1955},
}

// town is a fictional town with its postal code prefix and dialling code.
type town struct {
	pref, city, name string
	postal           string // "444-08"
	area             string // "0564", "052", "0566"
}

var towns = []town{
	{"愛知県", "架空市", "みどり町", "444-08", "0564"},
	{"愛知県", "架空市", "若葉台", "444-09", "0564"},
	{"愛知県", "架空市", "桜ヶ丘", "444-21", "0564"},
	{"愛知県", "架空市", "東野町", "444-38", "0564"},
	{"愛知県", "架空市", "西川原町", "444-07", "0564"},
	{"愛知県", "架空市", "北山町", "444-22", "0564"},
	{"愛知県", "架空市", "南浜町", "444-86", "0564"},
	{"愛知県", "架空市", "旭町", "444-05", "0564"},
	{"愛知県", "架空郡", "みどり町大字上野", "444-32", "0566"},
	{"愛知県", "架空郡", "みどり町大字下野", "444-33", "0566"},
	{"愛知県", "かもめ市", "港南町", "455-08", "052"},
	{"愛知県", "かもめ市", "汐見台", "455-09", "052"},
}

var buildings = []string{"コーポみどり", "ハイツ若葉", "サンライズ架空", "メゾン桜ヶ丘", "グリーンヒル東野"}

var emailDomains = []string{"kakuu-net.jp", "mail-midori.ne.jp", "kakuu-mobile.ne.jp", "midori-isp.or.jp"}

// person is one synthetic individual of the shared population.
type person struct {
	sei, mei nameEntry
	male     bool
	birth    time.Time
	phone    string // normalised ("090-1234-5678")
	mobile   bool
	email    string
	town     town
	block    string // "2-14-3" or "123"
	building string // "コーポみどり201" or ""
	postal   string // "444-0812"
	patronID string // 8 digits
	myNumber string // 12 digits
}

func (p *person) name(sep string) string { return p.sei.kanji + sep + p.mei.kanji }
func (p *person) kana(sep string) string { return p.sei.kana + sep + p.mei.kana }

// kanaHalf is the reading in half-width katakana ("ｻﾄｳ ｹﾝｲﾁ").
func (p *person) kanaHalf() string { return halfKana(p.kana(" ")) }

// halfKana converts katakana to half-width, voiced sounds as two runes
// (ガ → ｶﾞ), as old systems stored readings.
func halfKana(s string) string {
	var b strings.Builder
	for _, c := range norm.NFD.String(s) {
		switch c {
		case '\u3099':
			b.WriteRune('ﾞ')
		case '\u309a':
			b.WriteRune('ﾟ')
		default:
			b.WriteString(width.Narrow.String(string(c)))
		}
	}
	return b.String()
}

// address is the full address as written with ASCII digits.
func (p *person) address() string {
	a := p.town.pref + p.town.city + p.town.name + p.block
	if p.building != "" {
		a += " " + p.building
	}
	return a
}

// ageAt returns the age in completed years at day d.
func (p *person) ageAt(d time.Time) int {
	age := d.Year() - p.birth.Year()
	if d.Month() < p.birth.Month() || (d.Month() == p.birth.Month() && d.Day() < p.birth.Day()) {
		age--
	}
	return age
}

func isoDate(t time.Time) string { return t.Format("2006-01-02") }

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// randDate returns a day in [from, to].
func randDate(r *rand.Rand, from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, r.IntN(days+1))
}

func digits(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// dull reports whether a digit group looks like a placeholder
// (0000, 1111, 1234, 9876 …), which real-looking numbers avoid.
func dull(g string) bool {
	same, up, down := true, true, true
	for i := 1; i < len(g); i++ {
		same = same && g[i] == g[0]
		up = up && g[i] == g[i-1]+1
		down = down && g[i] == g[i-1]-1
	}
	return same || up || down || strings.Count(g, "0") >= len(g)-1
}

// group returns n random digits, the first from first..9, not dull.
func group(r *rand.Rand, n int, first byte) string {
	for {
		g := string(rune(first+byte(r.IntN(int('9'-first+1))))) + digits(r, n-1)
		if !dull(g) {
			return g
		}
	}
}

func mobileNumber(r *rand.Rand) string {
	prefix := []string{"090", "090", "080", "080", "070"}[r.IntN(5)]
	return prefix + "-" + group(r, 4, '1') + "-" + group(r, 4, '0')
}

func fixedNumber(r *rand.Rand, area string) string {
	local := 6 - len(area) // ten digits: 0564-XX-XXXX, 052-XXX-XXXX
	return area + "-" + group(r, local, '2') + "-" + group(r, 4, '0')
}

// myNumberCheck computes the check digit of the first 11 digits of an
// individual number (番号法施行令 第8条).
func myNumberCheck(d11 string) byte {
	sum := 0
	for n := 1; n <= 11; n++ {
		p := int(d11[11-n] - '0')
		q := n + 1
		if n >= 7 {
			q = n - 5
		}
		sum += p * q
	}
	rem := sum % 11
	if rem <= 1 {
		return '0'
	}
	return byte('0' + 11 - rem)
}

// ValidMyNumber reports whether s is 12 ASCII digits with a correct check digit.
func ValidMyNumber(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return myNumberCheck(s[:11]) == s[11]
}

// isbn13 returns a valid Japanese ISBN-13 with hyphens (978-4-PP-TTTTTT-C
// with a publisher code of 2 to 4 digits).
func isbn13(r *rand.Rand) string {
	pl := 2 + r.IntN(3)
	pub := group(r, pl, '1')
	title := digits(r, 8-pl)
	d := "9784" + pub + title
	return "978-4-" + pub + "-" + title + "-" + string(isbnCheck(d))
}

func isbnCheck(d12 string) byte {
	sum := 0
	for i := range 12 {
		w := 1
		if i%2 == 1 {
			w = 3
		}
		sum += int(d12[i]-'0') * w
	}
	return byte('0' + (10-sum%10)%10)
}

// ValidISBN13 reports whether s (hyphens allowed) is an ISBN-13 with a
// correct check digit.
func ValidISBN13(s string) bool {
	d := strings.ReplaceAll(s, "-", "")
	if len(d) != 13 {
		return false
	}
	for i := range len(d) {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return isbnCheck(d[:12]) == d[12]
}

// wareki eras, newest first.
var eras = []struct {
	name, abbr string
	start      time.Time
}{
	{"令和", "R", date(2019, 5, 1)},
	{"平成", "H", date(1989, 1, 8)},
	{"昭和", "S", date(1926, 12, 25)},
	{"大正", "T", date(1912, 7, 30)},
}

// warekiLong writes 昭和45年3月2日 (元年 for the first year).
func warekiLong(t time.Time) string {
	for _, e := range eras {
		if !t.Before(e.start) {
			y := t.Year() - e.start.Year() + 1
			ys := strconv.Itoa(y)
			if y == 1 {
				ys = "元"
			}
			return fmt.Sprintf("%s%s年%d月%d日", e.name, ys, int(t.Month()), t.Day())
		}
	}
	return t.Format("2006年1月2日")
}

// warekiShort writes S45.3.2.
func warekiShort(t time.Time) string {
	for _, e := range eras {
		if !t.Before(e.start) {
			return fmt.Sprintf("%s%d.%d.%d", e.abbr, t.Year()-e.start.Year()+1, int(t.Month()), t.Day())
		}
	}
	return t.Format("2006.1.2")
}

// population builds the shared synthetic population: n people with
// distinct names, some of them families sharing surname, address and home
// phone. Names listed in avoid are never used.
func population(r *rand.Rand, n int, avoid map[string]bool) []*person {
	used := map[string]bool{}
	for k := range avoid {
		used[k] = true
	}
	// A name on the dummy list (鈴木 一郎) is test data, not a planted person.
	for _, n := range patterns.Lines("dummy_names.txt") {
		used[strings.ReplaceAll(n, " ", "")] = true
	}
	postal := map[string]string{} // town+block → postal code
	var out []*person
	pickGiven := func(male bool, year int) nameEntry {
		list := femaleNames
		if male {
			list = maleNames
		}
		for range 100 {
			e := list[r.IntN(len(list))]
			if year >= e.from && year <= e.to {
				return e
			}
		}
		return list[r.IntN(len(list))]
	}
	newPerson := func(sei nameEntry, birth time.Time) *person {
		for {
			male := r.IntN(2) == 0
			p := &person{sei: sei, male: male, birth: birth}
			p.mei = pickGiven(male, birth.Year())
			if used[p.name("")] {
				continue
			}
			used[p.name("")] = true
			p.patronID = "1" + group(r, 7, '0')
			d11 := group(r, 11, '1')
			p.myNumber = d11 + string(myNumberCheck(d11))
			return p
		}
	}
	addr := func(p *person) {
		p.town = towns[r.IntN(len(towns))]
		if strings.Contains(p.town.name, "大字") {
			p.block = strconv.Itoa(100+r.IntN(1800)) + "番地"
		} else {
			p.block = fmt.Sprintf("%d-%d-%d", 1+r.IntN(5), 1+r.IntN(30), 1+r.IntN(20))
			if r.IntN(5) == 0 {
				p.building = buildings[r.IntN(len(buildings))] + strconv.Itoa(100*(1+r.IntN(4))+1+r.IntN(8))
			}
		}
		key := p.town.name + p.block[:1]
		if _, ok := postal[key]; !ok {
			postal[key] = p.town.postal + digits(r, 2)
		}
		p.postal = postal[key]
	}
	for len(out) < n {
		sei := surnames[r.IntN(len(surnames))]
		birth := randDate(r, date(1932, 1, 1), date(1992, 12, 31))
		p := newPerson(sei, birth)
		addr(p)
		if r.IntN(10) < 6 {
			p.mobile = true
			p.phone = mobileNumber(r)
		} else {
			p.phone = fixedNumber(r, p.town.area)
		}
		if r.IntN(2) == 0 {
			local := []string{
				p.mei.romaji[:1] + "." + p.sei.romaji,
				p.mei.romaji + "_" + p.sei.romaji[:1],
				p.sei.romaji + strconv.Itoa(p.birth.Year()%100),
				p.mei.romaji + "." + p.sei.romaji + strconv.Itoa(r.IntN(100)),
			}[r.IntN(4)]
			p.email = local + "@" + emailDomains[r.IntN(len(emailDomains))]
		}
		out = append(out, p)
		// Some households: a child sharing surname, address and home phone.
		if len(out) < n && r.IntN(6) == 0 && birth.Year() < 1975 {
			cb := randDate(r, date(birth.Year()+24, 1, 1), date(min(birth.Year()+40, 2001), 12, 31))
			c := newPerson(sei, cb)
			c.town, c.block, c.building, c.postal = p.town, p.block, p.building, p.postal
			if p.mobile {
				p.mobile = false
				p.phone = fixedNumber(r, p.town.area)
			}
			c.phone = p.phone
			out = append(out, c)
		}
	}
	return out
}
