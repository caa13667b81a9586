package samples

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// The generators in this file exercise record layouts beyond headed
// tables: a headerless export, a print listing over pages, rare surnames
// no dictionary knows, and clean files with organisational contact data
// and maintainer attributions.

// dispWidth is the width of s on a fixed-pitch printer: ASCII and
// half-width kana take one column, everything else two.
func dispWidth(s string) int {
	n := 0
	for _, c := range s {
		if c < 0x80 || (c >= 0xff61 && c <= 0xff9f) {
			n++
		} else {
			n += 2
		}
	}
	return n
}

// padRight pads s with ASCII spaces to w columns.
func padRight(s string, w int) string {
	if n := dispWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// padLeft right-aligns s in w columns.
func padLeft(s string, w int) string {
	if n := dispWidth(s); n < w {
		s = strings.Repeat(" ", w-n) + s
	}
	return s
}

// overdueLoan is one overdue book of a person.
type overdueLoan struct {
	p     *person
	title string
	due   time.Time
}

// overdueLoans gives each person one or two overdue books (every third
// person two), due between from and to.
func overdueLoans(r *rand.Rand, people []*person, from, to time.Time) []overdueLoan {
	var out []overdueLoan
	for i, p := range people {
		n := 1
		if i%3 == 0 {
			n = 2
		}
		for _, t := range titles(r, n) {
			out = append(out, overdueLoan{p, t, randDate(r, from, to)})
		}
	}
	return out
}

// genEntaiNoHeader: an overdue export without a header row, CP932, CRLF:
// patron number, name, kana, phone, title, due date. Only the file name
// (entai = 延滞) and the due dates say what it is.
func genEntaiNoHeader(g *gen) genFile {
	const rel = "data/export/entai_noheader.csv"
	r := g.rng(rel)
	people := g.pick(r, 20)
	slices.SortFunc(people, func(a, b *person) int { return strings.Compare(a.patronID, b.patronID) })
	var rows [][]string
	var pl Planted
	for _, l := range overdueLoans(r, people, date(2009, 10, 20), date(2009, 11, 20)) {
		p := l.p
		rows = append(rows, []string{p.patronID, p.name("\u3000"), p.kana("\u3000"), p.phone, l.title, ymd(l.due)})
		pl.Name = append(pl.Name, p.name("\u3000"))
		pl.NameKana = append(pl.NameKana, p.kana("\u3000"))
		pl.Phone = append(pl.Phone, p.phone)
		pl.PatronID = append(pl.PatronID, p.patronID)
	}
	return file(rel, sjis(lines(rows, ",", "\r\n")), leak(EncShiftJIS, "overdue_list", "high", len(people), pl))
}

// genEntaiIchiran: a fixed-width print listing of overdue patrons
// (延滞者一覧表) in UTF-16BE with BOM, two pages separated by a form feed,
// each with a title, the column labels and a rule line.
func genEntaiIchiran(g *gen) genFile {
	const rel = "print/entai_ichiran.txt"
	r := g.rng(rel)
	listDay := date(2010, 3, 1)
	people := g.pick(r, 25)
	slices.SortFunc(people, func(a, b *person) int { return strings.Compare(a.patronID, b.patronID) })
	loans := overdueLoans(r, people, date(2010, 1, 10), date(2010, 2, 20))
	labels := []string{"利用者番号", "氏名", "電話番号", "書名", "返却期限", "延滞日数"}
	widths := []int{12, 16, 15, 26, 12, 8}
	row := func(cells []string) string {
		var b strings.Builder
		b.WriteString("  ")
		for i, c := range cells {
			switch {
			case i == len(cells)-1:
				b.WriteString(padLeft(c, widths[i]))
			default:
				b.WriteString(padRight(c, widths[i]))
			}
		}
		return strings.TrimRight(b.String(), " ")
	}
	const perPage = 18
	pages := (len(loans) + perPage - 1) / perPage
	var b strings.Builder
	var pl Planted
	for pg := range pages {
		if pg > 0 {
			b.WriteString("\f")
		}
		b.WriteString(padRight("", 30) + "延滞者一覧表\r\n")
		b.WriteString(fmt.Sprintf("  %s  貸出係%s基準日 %s  頁 %d/%d\r\n", libraryName,
			strings.Repeat(" ", 34), ymd(listDay), pg+1, pages))
		b.WriteString("\r\n")
		b.WriteString(row(labels) + "\r\n")
		b.WriteString("  " + strings.Repeat("-", 87) + "\r\n")
		end := min(len(loans), (pg+1)*perPage)
		for _, l := range loans[pg*perPage : end] {
			p := l.p
			late := int(listDay.Sub(l.due).Hours() / 24)
			b.WriteString(row([]string{p.patronID, p.name("\u3000"), p.phone, l.title, ymd(l.due), fmt.Sprint(late)}) + "\r\n")
			pl.Name = append(pl.Name, p.name("\u3000"))
			pl.Phone = append(pl.Phone, p.phone)
			pl.PatronID = append(pl.PatronID, p.patronID)
		}
		b.WriteString("\r\n")
		b.WriteString(fmt.Sprintf("  %d 件%s- %d -\r\n", end-pg*perPage, strings.Repeat(" ", 36), pg+1))
	}
	return file(rel, utf16be("\ufeff"+b.String()), leak(EncUTF16BE, "overdue_list", "high", len(people), pl))
}

// rareSurnames are real but rare surnames that neither the generator's
// surname list nor patterns/surnames.txt (IPAdic) holds.
var rareSurnames = []nameEntry{
	{"小鳥遊", "タカナシ", "takanashi", 0, 0}, {"月見里", "ヤマナシ", "yamanashi", 0, 0},
	{"鰐部", "ワニベ", "wanibe", 0, 0}, {"十二月田", "シワスダ", "shiwasuda", 0, 0},
	{"四十物", "アイモノ", "aimono", 0, 0}, {"百目鬼", "ドウメキ", "domeki", 0, 0},
	{"雲母", "キララ", "kirara", 0, 0}, {"栗花落", "ツユリ", "tsuyuri", 0, 0},
}

// rarePeople makes one person per rare surname, and for every fourth a
// family member sharing surname and home phone. Given names are the
// ordinary ones of the population.
func rarePeople(r *rand.Rand) []*person {
	var out []*person
	given := func(male bool, year int) nameEntry {
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
	newPerson := func(sei nameEntry, birth time.Time, male bool) *person {
		p := &person{sei: sei, male: male, birth: birth, mei: given(male, birth.Year())}
		p.town = towns[r.IntN(len(towns))]
		p.patronID = "2" + group(r, 7, '0')
		return p
	}
	for i, sei := range rareSurnames {
		family := i%4 == 1
		birth := randDate(r, date(1945, 1, 1), date(1990, 12, 31))
		if family {
			birth = randDate(r, date(1940, 1, 1), date(1965, 12, 31))
		}
		p := newPerson(sei, birth, r.IntN(2) == 0)
		if family {
			p.phone = fixedNumber(r, p.town.area)
			out = append(out, p)
			c := newPerson(sei, randDate(r, date(birth.Year()+25, 1, 1), date(birth.Year()+30, 12, 31)), !p.male)
			c.town, c.phone = p.town, p.phone
			out = append(out, c)
			continue
		}
		if r.IntN(10) < 7 {
			p.mobile, p.phone = true, mobileNumber(r)
		} else {
			p.phone = fixedNumber(r, p.town.area)
		}
		out = append(out, p)
	}
	return out
}

// genYoyakuBunkan: a branch's hold list (EUC-JP TSV) of patrons with rare
// surnames.
func genYoyakuBunkan(g *gen) genFile {
	const rel = "data/holds/yoyaku_bunkan.tsv"
	r := g.rng(rel)
	people := rarePeople(r)
	rows := [][]string{{"予約番号", "予約日", "利用者番号", "氏名", "電話番号", "書名", "取置期限", "受取館"}}
	var pl Planted
	n := 0
	for i, p := range people {
		k := 1
		if i%3 == 0 {
			k = 2
		}
		for _, t := range titles(r, k) {
			n++
			day := randDate(r, date(2010, 2, 1), date(2010, 2, 28))
			rows = append(rows, []string{fmt.Sprintf("Y2010-%06d", 5200+n*11), ymd(day), p.patronID,
				p.name("\u3000"), p.phone, t, ymd(day.AddDate(0, 0, 10)), "みどり分館"})
		}
		pl.Name = append(pl.Name, p.name("\u3000"))
		pl.Phone = append(pl.Phone, p.phone)
		pl.PatronID = append(pl.PatronID, p.patronID)
	}
	return file(rel, eucjp(lines(rows, "\t", "\n")), leak(EncEUCJP, "hold_list", "high", len(people), pl))
}

// isbn10 returns the ISBN-10 form of a Japanese ISBN-13 (978-4-…).
func isbn10(s string) string {
	d := strings.ReplaceAll(strings.TrimPrefix(s, "978-"), "-", "")[:9]
	sum := 0
	for i := range 9 {
		sum += int(d[i]-'0') * (10 - i)
	}
	c := "0123456789X"[(11-sum%11)%11]
	return strings.TrimSuffix(strings.TrimPrefix(s, "978-"), s[len(s)-1:]) + string(c)
}

// Vendor developers named in the release notes: maintainer attributions.
var maintainers = []struct{ name, email string }{
	{"大野 修平", "s.ohno@ils-vendor.example.co.jp"},
	{"水谷 朋美", "t.mizutani@ils-vendor.example.co.jp"},
	{"桑原 亮", "r.kuwabara@ils-vendor.example.co.jp"},
}

// vendorPhone is the vendor's support line (organisational).
const vendorPhone = "052-218-7731"

// genReleaseNotes: CP932 release notes with versions, dates, an ISBN
// example and a changelog crediting the vendor's developers.
func genReleaseNotes(g *gen) genFile {
	const rel = "docs/release_notes_ja.txt"
	r := g.rng(rel)
	isbnA, isbnB := isbn13(r), isbn13(r)
	m := maintainers
	src := `ILS 図書館システム リリースノート（改版履歴）
================================================

製品名: ILS 図書館システム（` + libraryName + ` 様 納入版）
最新版: v2.3.1（2024年1月15日）

------------------------------------------------
v2.3.1  2024-01-15
------------------------------------------------
  ・延滞日数の計算を開館日ベースに変更しました（#1423、担当: 大野）。
  ・督促はがきの印字位置を 2mm 下げました（#1431、担当: 水谷）。
  ・ISBN-10 で入力された資料を ISBN-13 に変換して検索します（#1402）。
      例: ` + isbn10(isbnA) + ` → ` + isbnA + `（チェックディジットを再計算）
  ・Oracle Database 19c (19.21.0.0.0) で動作を確認しました。

------------------------------------------------
v2.3.0  2023-10-02
------------------------------------------------
  ・個人番号（マイナンバー）列を廃止しました。既存データは移行時に消去されます（#1377、担当: 桑原）。
  ・予約の取置期間を館ごとに設定できるようにしました（既定 10 日）。
  ・貸出上限を 10 点から 15 点に変更できる設定を追加しました（patron.loan.max）。

------------------------------------------------
v2.2.4  2022-04-01
------------------------------------------------
  ・Windows 10 (10.0.19041) / Windows 11 (10.0.22000) に対応しました。
  ・書誌インポートで ISBN のハイフン位置が誤る不具合を修正しました（#1290）。
      例: ` + isbnB + `
  ・利用者検索の応答時間を改善しました（10 万件で 2.4 秒 → 0.3 秒）。

------------------------------------------------
v1.0.0  2009-07-21
------------------------------------------------
  ・初版。

■ 既知の問題
  ・Java 17.0.9 より前の版では帳票のフォントが置き換わります（#1440）。
  ・IPv6 環境（fe80::/10）では OPAC の自動接続が失敗することがあります。

■ 開発担当（問い合わせは下記サポート窓口へ）
  ` + m[0].name + ` <` + m[0].email + `>  貸出・督促モジュール
  ` + m[1].name + ` <` + m[1].email + `>  帳票
  ` + m[2].name + ` <` + m[2].email + `>  データ移行

■ サポート窓口
  株式会社アイエルエス・ベンダー 名古屋サポートセンター
  TEL ` + vendorPhone + `（平日 9:00～17:30） ／ ` + supportEmail + `
`
	e := clean(EncShiftJIS, "low")
	for _, x := range m {
		e.Benign.Name = append(e.Benign.Name, x.name)
		e.Benign.Email = append(e.Benign.Email, x.email)
	}
	e.Benign.Email = append(e.Benign.Email, supportEmail)
	e.Benign.Phone = []string{vendorPhone}
	return file(rel, sjis(crlf(src)), e)
}

// genKakariRenraku: the library's own departments with their direct
// lines and fax numbers, all in the library's number block. UTF-8 with
// an Excel BOM, CRLF.
func genKakariRenraku(_ *gen) genFile {
	const rel = "data/staff/kakari_renraku.csv"
	type dept struct{ name, ext, tel, fax string }
	depts := []dept{
		{"中央図書館 代表", "100", libraryPhone, libraryFax},
		{"中央図書館 総務係", "110", "0564-23-0102", libraryFax},
		{"中央図書館 貸出係", "120", "0564-23-0103", libraryFax},
		{"中央図書館 参考調査係", "130", "0564-23-0104", "0564-23-0119"},
		{"中央図書館 児童サービス係", "140", "0564-23-0105", "0564-23-0119"},
		{"中央図書館 資料整理係", "150", "0564-23-0106", "0564-23-0129"},
		{"中央図書館 システム管理係", "160", "0564-23-0107", "0564-23-0129"},
		{"みどり分館", "210", "0564-23-0131", "0564-23-0139"},
		{"若葉台分館", "220", "0564-23-0141", "0564-23-0149"},
		{"東野分室", "230", "0564-23-0151", "0564-23-0149"},
	}
	rows := [][]string{{"\ufeff部署名", "内線", "電話番号", "FAX", "備考"}}
	e := clean(EncUTF8, "low")
	for i, d := range depts {
		note := ""
		switch i {
		case 0:
			note = "開館日 9:00〜19:00"
		case 7, 8, 9:
			note = "月曜・第3木曜休館"
		}
		rows = append(rows, []string{d.name, d.ext, d.tel, d.fax, note})
		e.Benign.Phone = append(e.Benign.Phone, d.tel, d.fax)
	}
	return file(rel, []byte(lines(rows, ",", "\r\n")), e)
}
