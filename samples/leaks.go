package samples

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// generators produce the files of the deliverable, leaks and clean parts.
var generators = []func(*gen) genFile{
	genTokusoku, genRenrakusaki, genKashidashi, genPatronDump, genYoyaku,
	genReminderMail, genHagaki, genRegistry,
	genBinary, genOverdueService, genPatronDao, genDDL, genProperties, genManual, genReadme,
	genTemplate, genBiblio, genDummyFixture, genImportTemplate,
	genEntaiNoHeader, genEntaiIchiran, genYoyakuBunkan, genReleaseNotes, genKakariRenraku,
	genRelease, genTokusokuXlsx, genZoushoXlsx, genIlsSqlite, genSchemaOnly, genLetterDocx,
	genPatronExportBz2, genPatronExportXz, genContactsZst, genKenshuPptx,
	fixtureGen(fixSetup7z), fixtureGen(fixDeliveryISO), fixtureGen(fixRiyoshaXls),
	fixtureGen(fixPatchLzh), fixtureGen(fixDriverCab),
	genEncryptedZip, genBombZip, genTraversalZip, genTruncatedZip, genEmptyXlsx, genCorruptSqlite,
}

var bookTitles = []string{
	"みどり町の四季", "星を数える夜", "はじめての園芸", "架空市の歴史", "海辺の図書室",
	"猫と暮らす毎日", "やさしい家庭料理", "森の探検隊", "時計台の秘密", "雨の日の物語",
	"風の通り道", "小さな発明家", "川べりの散歩道", "宇宙のふしぎ図鑑", "昆虫のくらし",
	"日本の城めぐり", "世界の国旗えほん", "数学パズル百選", "手づくりのお菓子", "北の町の郵便局",
	"夏休み自由研究ガイド", "鉄道のある風景", "山歩き入門", "暮らしの法律相談", "健康ウォーキング",
	"はじめての俳句", "古い家の記憶", "月夜の音楽会", "青い鳥の行方", "名探偵みどり",
	"魔法使いの弟子たち", "恐竜のなぞ", "野菜づくりの基本", "家計簿のつけ方", "江戸の町並み",
	"子育てのヒント", "英会話はじめの一歩", "ピアノ名曲集", "将棋の定跡入門", "写真の撮り方教室",
	"旅する絵本", "介護の手引き", "パソコン活用術", "草花の名前事典", "灯台守の日記",
}

var branches = []string{"中央図書館", "中央図書館", "みどり分館", "東野分室", "若葉台分館"}

func title(r *rand.Rand) string { return bookTitles[r.IntN(len(bookTitles))] }

// titles returns n distinct book titles.
func titles(r *rand.Rand, n int) []string {
	idx := r.Perm(len(bookTitles))[:n]
	out := make([]string, n)
	for i, j := range idx {
		out[i] = bookTitles[j]
	}
	return out
}

// booksPer returns 1, 2 or 3 books (60/30/10).
func booksPer(r *rand.Rand) int {
	switch x := r.IntN(10); {
	case x < 6:
		return 1
	case x < 9:
		return 2
	}
	return 3
}

func ymd(t time.Time) string { return t.Format("2006/01/02") }

// leak is the verdict of a leaking file.
func leak(enc, class, minSev string, persons int, pl Planted) Expected {
	return Expected{Encoding: enc, Leak: true, MinSeverity: minSev, MaxSeverity: "critical",
		Classification: class, Persons: persons, Planted: pl}
}

func lines(rows [][]string, sep, eol string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, sep))
		b.WriteString(eol)
	}
	return b.String()
}

// genTokusoku: the 2005 overdue list of the old system, CP932, CRLF.
func genTokusoku(g *gen) genFile {
	const rel = "data/old/tokusoku_200506.csv"
	r := g.rng(rel)
	listDay := date(2005, 6, 20)
	people := g.pick(r, 40)
	slices.SortFunc(people, func(a, b *person) int { return strings.Compare(a.patronID, b.patronID) })
	rows := [][]string{{"利用者番号", "氏名", "カナ氏名", "年齢", "電話番号", "書名", "貸出日", "返却期限", "延滞日数"}}
	var pl Planted
	for _, p := range people {
		name, kana := p.name("\u3000"), p.kanaHalf()
		pl.Name = append(pl.Name, name)
		pl.NameKana = append(pl.NameKana, kana)
		pl.Phone = append(pl.Phone, p.phone)
		pl.PatronID = append(pl.PatronID, p.patronID)
		for _, t := range titles(r, booksPer(r)) {
			lent := randDate(r, date(2005, 3, 15), date(2005, 6, 1))
			due := lent.AddDate(0, 0, 14)
			late := int(listDay.Sub(due).Hours() / 24)
			rows = append(rows, []string{p.patronID, name, kana, fmt.Sprint(p.ageAt(listDay)), p.phone, t,
				ymd(lent), ymd(due), fmt.Sprint(late)})
		}
	}
	return file(rel, sjis(lines(rows, ",", "\r\n")), leak(EncShiftJIS, "overdue_list", "high", len(people), pl))
}

// genRenrakusaki: a contact list exported from Excel as UTF-16LE with BOM.
func genRenrakusaki(g *gen) genFile {
	const rel = "data/contacts/renrakusaki.csv"
	r := g.rng(rel)
	people := g.pick(r, 25)
	rows := [][]string{{"\ufeff氏名", "フリガナ", "電話番号", "メールアドレス", "住所", "郵便番号"}}
	var pl Planted
	for _, p := range people {
		name := p.name(" ")
		rows = append(rows, []string{name, p.kana("\u3000"), p.phone, p.email, p.address(), "〒" + p.postal})
		pl.Name = append(pl.Name, name)
		pl.NameKana = append(pl.NameKana, p.kana("\u3000"))
		pl.Phone = append(pl.Phone, p.phone)
		pl.Email = append(pl.Email, p.email)
		pl.Address = append(pl.Address, p.address())
		pl.PostalCode = append(pl.PostalCode, p.postal)
	}
	return file(rel, utf16le(lines(rows, ",", "\r\n")), leak(EncUTF16LE, "contact_list", "high", len(people), pl))
}

// genKashidashi: loan records from a Unix host, EUC-JP, tab-separated.
func genKashidashi(g *gen) genFile {
	const rel = "data/loans/kashidashi.txt"
	r := g.rng(rel)
	people := g.pick(r, 22)
	type loan struct {
		p     *person
		t     string
		lent  time.Time
		style int
	}
	var loans []loan
	for i, p := range people {
		n := 1
		if i < 8 {
			n = 2
		}
		for _, t := range titles(r, n) {
			loans = append(loans, loan{p, t, randDate(r, date(2008, 9, 1), date(2008, 10, 31)), r.IntN(3)})
		}
	}
	slices.SortStableFunc(loans, func(a, b loan) int { return a.lent.Compare(b.lent) })
	rows := [][]string{{"利用者番号", "氏名", "生年月日", "電話番号", "書名", "貸出日"}}
	var pl Planted
	for _, l := range loans {
		p := l.p
		birth := warekiLong(p.birth)
		if l.style == 0 {
			birth = warekiShort(p.birth)
		}
		phone := p.phone
		if !p.mobile && l.style == 1 {
			// (0564)23-4567
			i := strings.IndexByte(phone, '-')
			phone = "(" + phone[:i] + ")" + phone[i+1:]
		}
		rows = append(rows, []string{p.patronID, p.name(""), birth, phone, l.t, ymd(l.lent)})
		pl.Name = append(pl.Name, p.name(""))
		pl.Phone = append(pl.Phone, p.phone)
		pl.BirthDate = append(pl.BirthDate, isoDate(p.birth))
		pl.PatronID = append(pl.PatronID, p.patronID)
	}
	return file(rel, eucjp(lines(rows, "\t", "\n")), leak(EncEUCJP, "loan_record", "high", len(people), pl))
}

// genYoyaku: the hold list, UTF-8 CSV.
func genYoyaku(g *gen) genFile {
	const rel = "data/holds/yoyaku_list.csv"
	r := g.rng(rel)
	people := g.pick(r, 16)
	rows := [][]string{{"予約番号", "予約日", "利用者番号", "氏名", "電話番号", "書名", "取置期限", "受取館"}}
	var pl Planted
	n := 0
	for i, p := range people {
		k := 1
		if i%4 == 0 {
			k = 2
		}
		for _, t := range titles(r, k) {
			n++
			day := randDate(r, date(2010, 2, 1), date(2010, 2, 28))
			rows = append(rows, []string{fmt.Sprintf("Y2010-%06d", 4100+n*7), ymd(day), p.patronID,
				p.name("\u3000"), p.phone, t, ymd(day.AddDate(0, 0, 10)), branches[r.IntN(len(branches))]})
		}
		pl.Name = append(pl.Name, p.name("\u3000"))
		pl.Phone = append(pl.Phone, p.phone)
		pl.PatronID = append(pl.PatronID, p.patronID)
	}
	return file(rel, []byte(lines(rows, ",", "\n")), leak(EncUTF8, "hold_list", "high", len(people), pl))
}

// genRegistry: a patron registry TSV with full-width phone numbers and
// My Numbers.
func genRegistry(g *gen) genFile {
	const rel = "data/registry/riyosha_touroku.tsv"
	r := g.rng(rel)
	people := g.pick(r, 14)
	rows := [][]string{{"利用者番号", "氏名", "フリガナ", "性別", "生年月日", "郵便番号", "住所", "電話番号", "メールアドレス", "個人番号", "登録日"}}
	var pl Planted
	for i, p := range people {
		sex := "女"
		if p.male {
			sex = "男"
		}
		mn := ""
		if i < 10 {
			mn = p.myNumber
			pl.MyNumber = append(pl.MyNumber, p.myNumber)
			if i%3 == 2 {
				mn = mn[:4] + " " + mn[4:8] + " " + mn[8:]
			}
		}
		phone := width.Widen.String(p.phone) // ０９０－１２３４－５６７８
		rows = append(rows, []string{p.patronID, p.name("\u3000"), p.kana("\u3000"), sex,
			p.birth.Format("2006/01/02"), p.postal, p.address(), phone, p.email, mn,
			ymd(randDate(r, date(2016, 4, 1), date(2019, 3, 31)))})
		pl.Name = append(pl.Name, p.name("\u3000"))
		pl.NameKana = append(pl.NameKana, p.kana("\u3000"))
		pl.Phone = append(pl.Phone, p.phone)
		pl.Email = append(pl.Email, p.email)
		pl.Address = append(pl.Address, p.address())
		pl.PostalCode = append(pl.PostalCode, p.postal)
		pl.BirthDate = append(pl.BirthDate, isoDate(p.birth))
		pl.PatronID = append(pl.PatronID, p.patronID)
	}
	return file(rel, []byte(lines(rows, "\t", "\n")), leak(EncUTF8, "patron_registry", "critical", len(people), pl))
}

// genReminderMail: one overdue reminder e-mail in ISO-2022-JP.
func genReminderMail(g *gen) genFile {
	const rel = "mail/reminder.eml"
	r := g.rng(rel)
	var p *person
	for p == nil || p.email == "" {
		p = g.people[r.IntN(len(g.people))]
	}
	books := titles(r, 3)
	bword := func(s string) string { return "=?ISO-2022-JP?B?" + base64.StdEncoding.EncodeToString(jis(s)) + "?=" }
	var b strings.Builder
	hdr := []string{
		"Return-Path: <toshokan@lib.city-kakuu.lg.jp>",
		"Message-ID: <20050621090000.4711@lib.city-kakuu.lg.jp>",
		"Date: Tue, 21 Jun 2005 09:00:00 +0900",
		"From: " + bword("架空市立中央図書館") + " <toshokan@lib.city-kakuu.lg.jp>",
		"To: " + bword(p.name(" ")+" 様") + " <" + p.email + ">",
		"Subject: " + bword("返却のお願い"),
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=ISO-2022-JP",
		"Content-Transfer-Encoding: 7bit",
		"X-Mailer: ILS-Notice 1.4.2",
		"",
	}
	for _, h := range hdr {
		b.WriteString(h + "\r\n")
	}
	body := []string{
		p.name("\u3000") + "　様",
		"",
		"いつも架空市立中央図書館をご利用いただきありがとうございます。",
		"下記の資料が返却期限を過ぎております。お早めにご返却ください。",
		"",
		"利用者番号：" + p.patronID,
		"ご登録の電話番号：" + p.phone,
		"",
	}
	for i, t := range books {
		due := date(2005, 6, 3+4*i)
		body = append(body, fmt.Sprintf("  %d. 『%s』  返却期限 %s", i+1, t, ymd(due)))
	}
	body = append(body, "",
		"すでにご返却いただいている場合は、行き違いをご容赦ください。",
		"",
		"架空市立中央図書館 貸出係",
		"〒444-8601 愛知県架空市みどり町1-1-1",
		"TEL "+libraryPhone,
	)
	b.Write(jis(strings.Join(body, "\r\n") + "\r\n"))
	pl := Planted{
		Name: []string{p.name("\u3000")}, Phone: []string{p.phone}, Email: []string{p.email},
		PatronID: []string{p.patronID},
	}
	// The scanner opens mail as a container: its decoded address and
	// subject headers and its text body are the member "body".
	e := leak(EncUTF8, "overdue_list", "medium", 1, pl)
	e.Benign.Phone = []string{libraryPhone}
	return genFile{rel: rel, data: []byte(b.String()), members: []genMember{member("body", e)}}
}

// genHagaki: a fixed-width CP932 print file of overdue postcards, one
// person over several lines.
func genHagaki(g *gen) genFile {
	const rel = "print/tokusoku_hagaki.prn"
	r := g.rng(rel)
	people := g.pick(r, 15)
	var b strings.Builder
	var pl Planted
	pad := func(s string, w int) string {
		n := 0
		for _, c := range s {
			if c < 0x80 || (c >= 0xff61 && c <= 0xff9f) {
				n++
			} else {
				n += 2
			}
		}
		if n < w {
			s += strings.Repeat(" ", w-n)
		}
		return s
	}
	for i, p := range people {
		if i > 0 {
			b.WriteString("\f")
		}
		addr := width.Widen.String(p.address())
		b.WriteString("〒" + p.postal + "\r\n")
		b.WriteString("    " + addr + "\r\n")
		b.WriteString("\r\n")
		b.WriteString("        " + p.name("\u3000") + "　様\r\n")
		b.WriteString("\r\n")
		b.WriteString("  下記の資料の返却期限が過ぎています。\r\n")
		for _, t := range titles(r, 2+r.IntN(2)) {
			due := randDate(r, date(2005, 5, 20), date(2005, 6, 10))
			b.WriteString("    " + pad("『"+t+"』", 36) + "返却期限 " + ymd(due) + "\r\n")
		}
		b.WriteString("\r\n")
		b.WriteString("  架空市立中央図書館  TEL " + libraryPhone + "\r\n")
		b.WriteString(strings.Repeat("-", 60) + "\r\n")
		pl.Name = append(pl.Name, p.name("\u3000"))
		pl.Address = append(pl.Address, addr)
		pl.PostalCode = append(pl.PostalCode, p.postal)
	}
	e := leak(EncShiftJIS, "overdue_list", "high", len(people), pl)
	e.Benign.Phone = []string{libraryPhone}
	return file(rel, sjis(b.String()), e)
}

// genPatronDump: an Oracle-export-like binary dump of the patron table:
// CP932 rows with length-prefixed columns between random blocks, and a
// memo table in UTF-16LE.
func genPatronDump(g *gen) genFile {
	const rel = "db/patron.dmp"
	r := g.rng(rel)
	people := g.pick(r, 50)
	var out bytes.Buffer
	const block = 8192
	rnd := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	padBlock := func() {
		if rem := out.Len() % block; rem != 0 {
			n := block - rem
			if n < 16 {
				n += block
			}
			out.Write(make([]byte, n-16))
			out.Write(rnd(16))
		}
	}
	out.Write([]byte{0x03, 0x00, 0x01})
	out.WriteString("EXPORT:V10.02.01\nDILS_ADMIN\nRTABLES\n8192\n0\n")
	out.Write(rnd(64))
	out.WriteString("\x00TABLE \"PATRON\"\n")
	out.WriteString("CREATE TABLE \"PATRON\" (\"PATRON_NO\" VARCHAR2(10), \"SHIMEI\" VARCHAR2(40), " +
		"\"KANA\" VARCHAR2(60), \"TEL\" VARCHAR2(15), \"ZIP\" VARCHAR2(8), \"JUSHO\" VARCHAR2(120), " +
		"\"BIRTH\" VARCHAR2(10))  PCTFREE 10 TABLESPACE \"ILS_DATA\"\n")
	out.WriteString("INSERT INTO \"PATRON\" (\"PATRON_NO\", \"SHIMEI\", \"KANA\", \"TEL\", \"ZIP\", \"JUSHO\", \"BIRTH\") " +
		"VALUES (:1, :2, :3, :4, :5, :6, :7)\n\x00")
	// Random index and LOB blocks in front of the rows.
	for range 6 {
		padBlock()
		out.Write(rnd(block - 64))
	}
	padBlock()
	col := func(b []byte) {
		out.Write([]byte{byte(len(b)), 0x00})
		out.Write(b)
		out.WriteByte(0x00)
	}
	var pl Planted
	for i, p := range people {
		if i%12 == 11 {
			padBlock()
			out.Write(rnd(block / 2))
			padBlock()
		}
		out.Write([]byte{0x00, 0x3c, 0x07, 0x00})
		col([]byte(p.patronID))
		col(sjis(p.name("\u3000")))
		col(sjis(p.kana("\u3000")))
		col([]byte(p.phone))
		col([]byte(p.postal))
		col(sjis(p.address()))
		col([]byte(p.birth.Format("2006/01/02")))
		out.Write([]byte{0x00, 0x00})
		out.Write(rnd(8 + r.IntN(40)))
		out.WriteByte(0x00)
		pl.Name = append(pl.Name, p.name("\u3000"))
		pl.NameKana = append(pl.NameKana, p.kana("\u3000"))
		pl.Phone = append(pl.Phone, p.phone)
		pl.PostalCode = append(pl.PostalCode, p.postal)
		pl.Address = append(pl.Address, p.address())
		pl.BirthDate = append(pl.BirthDate, isoDate(p.birth))
		pl.PatronID = append(pl.PatronID, p.patronID)
	}
	out.Write([]byte{0xff, 0xff, 0x00})
	padBlock()
	out.WriteString("\x00TABLE \"PATRON_MEMO\"\n")
	out.WriteString("CREATE TABLE \"PATRON_MEMO\" (\"PATRON_NO\" VARCHAR2(10), \"MEMO\" NVARCHAR2(200))\n\x00")
	for i := 0; i < 6; i++ {
		p := people[i*7]
		memo := fmt.Sprintf("%s 様 連絡先変更 %s（窓口にて本人確認済）", p.name("\u3000"), p.phone)
		out.Write([]byte{0x00, 0x3c, 0x02, 0x00})
		col([]byte(p.patronID))
		m := utf16le(memo)
		out.Write([]byte{byte(len(m)), 0x00})
		out.Write(m)
		out.Write([]byte{0x00, 0x00, 0x00, 0x00})
	}
	for range 10 {
		padBlock()
		out.Write(rnd(block - 128))
	}
	padBlock()
	out.WriteString("EXIT\x00\x00")
	return file(rel, out.Bytes(), leak(EncBinary, "patron_registry", "high", len(people), pl))
}
