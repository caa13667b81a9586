package detectors

import (
	"fmt"
	"strings"
	"testing"
)

// Tests of verdict classes: each case is one class of file, written in
// several unlike ways (layout, header words, order), all of which must
// get the same verdict.

// people5 are five made-up people with made-up numbers of valid shape.
var people5 = []struct{ name, kana, phone, id string }{
	{"佐藤 健一", "サトウ ケンイチ", "090-3141-5926", "20000011"},
	{"高橋 恵子", "タカハシ ケイコ", "080-2718-2818", "20000029"},
	{"伊藤 誠", "イトウ マコト", "0564-27-1828", "20000037"},
	{"渡辺 明美", "ワタナベ アケミ", "052-961-4471", "20000045"},
	{"小林 大輔", "コバヤシ ダイスケ", "03-5789-2231", "20000053"},
}

func rows(format string, f func(i int) []any) string {
	var b strings.Builder
	for i := range people5 {
		fmt.Fprintf(&b, format, f(i)...)
		b.WriteByte('\n')
	}
	return b.String()
}

type verdictCase struct {
	name    string
	text    string
	class   string
	maxSev  Severity // highest severity allowed
	minSev  Severity
	persons int // -1: not checked
	dummy   bool
}

func checkVerdicts(t *testing.T, cases []verdictCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, _ := analyse(t, c.text)
			if v.Classification != c.class {
				t.Errorf("classification %s, want %s (%s)", v.Classification, c.class, v.Reason)
			}
			if v.Severity > c.maxSev || v.Severity < c.minSev {
				t.Errorf("severity %v, want %v..%v (%s)", v.Severity, c.minSev, c.maxSev, v.Reason)
			}
			if c.persons >= 0 && v.Persons != c.persons {
				t.Errorf("persons %d, want %d (%s)", v.Persons, c.persons, v.Reason)
			}
			if v.Dummy != c.dummy {
				t.Errorf("dummy %v, want %v (%s)", v.Dummy, c.dummy, v.Reason)
			}
		})
	}
}

// A staff list's update and expiry dates and its extensions make no
// register of people: names alone are low.
func TestStaffListsAreNames(t *testing.T) {
	ext := func(i int) []any { return []any{people5[i].name, 2100 + i*7, "2024/04/01"} }
	checkVerdicts(t, []verdictCase{
		{name: "氏名,内線,更新日", text: "氏名,内線,更新日\n" + rows("%s,%d,%s", ext),
			class: ClassNone, maxSev: Low, persons: -1},
		{name: "tab, 内線番号 and 有効期限", text: "氏名\t内線番号\t有効期限\n" + rows("%s\t%d\t%s", ext),
			class: ClassNone, maxSev: Low, persons: -1},
		{name: "romanised NAME,EXT,UPDATED", text: "NAME,EXT,UPDATED\n" + rows("%s,%d,%s", ext),
			class: ClassNone, maxSev: Low, persons: -1},
		{name: "with 部署 and 最終更新日", text: "部署,氏名,内線,最終更新日\n" +
			rows("総務課,%s,%d,%s", ext), class: ClassNone, maxSev: Low, persons: -1},
	})
}

// 返却日 is the date a loan was returned: a loan history, not an overdue
// list, whatever else its columns say; a due date without it is overdue.
func TestReturnedLoansAreLoanRecords(t *testing.T) {
	loan := func(i int) []any {
		return []any{people5[i].id, people5[i].name, "宇宙の話", "2024/05/01", "2024/05/10"}
	}
	checkVerdicts(t, []verdictCase{
		{name: "利用者番号,氏名,書名,貸出日,返却日", text: "利用者番号,氏名,書名,貸出日,返却日\n" + rows("%s,%s,%s,%s,%s", loan),
			class: ClassLoanRecord, minSev: Critical, maxSev: Critical, persons: 5},
		{name: "tab with due date and returned date", text: "カード番号\t名前\t資料名\t返却期限\t返却年月日\n" +
			rows("%s\t%s\t%s\t%s\t%s", loan), class: ClassLoanRecord, minSev: Critical, maxSev: Critical, persons: 5},
		{name: "RETURN_DATE columns", text: "PATRON_ID,NAME,TITLE,LOAN_DATE,RETURN_DATE\n" + rows("%s,%s,%s,%s,%s", loan),
			class: ClassLoanRecord, minSev: Critical, maxSev: Critical, persons: 5},
		{name: "contrast: due date and overdue days", text: "利用者番号,氏名,書名,返却期限,延滞日数\n" +
			rows("%s,%s,%s,%s,%s", loan), class: ClassOverdueList, minSev: Critical, maxSev: Critical, persons: 5},
		{name: "contrast: due date alone", text: "利用者番号,氏名,書名,貸出日,返却予定日\n" +
			rows("%s,%s,%s,%s,%s", loan), class: ClassOverdueList, minSev: Critical, maxSev: Critical, persons: 5},
	})
}

// One patron is one person however the name is written, when the rows
// share the patron's ID; records found apart by name and phone join the
// ID's person.
func TestPersonsKeyOnTheStrongestIdentifier(t *testing.T) {
	checkVerdicts(t, []verdictCase{
		{name: "three spellings under one ID", text: "利用者ID,氏名,書名,返却期限\n" +
			"30000001,佐々木 健一,宇宙の話,2005/05/01\n" +
			"30000001,佐々木　健一,海の話,2005/05/01\n" +
			"30000001,佐々木健一,山の話,2005/05/01\n" +
			"30000002,高橋 恵子,空の話,2005/05/03\n",
			class: ClassOverdueList, minSev: Critical, maxSev: Critical, persons: 2},
		{name: "half- and full-width kana under one card number", text: "カード番号\tフリガナ\t電話番号\n" +
			"4001\tｻｻｷ ｹﾝｲﾁ\t090-3141-5926\n" +
			"4001\tササキ ケンイチ\t090-3141-5926\n" +
			"4001\tササキケンイチ\t090-3141-5926\n",
			class: ClassPatronRegistry, minSev: Critical, maxSev: Critical, persons: 1},
		{name: "leading zeros of an ID", text: "会員番号,氏名,住所\n" +
			"000123,田村 修,愛知県岡崎市康生通西2丁目1\n" +
			"123,田村修,愛知県岡崎市康生通西2丁目1\n",
			class: ClassPatronRegistry, minSev: Critical, maxSev: Critical, persons: 1},
		{name: "distinct IDs are distinct people even with one name", text: "利用者番号,氏名,電話番号\n" +
			"50000001,鈴木 学,090-5555-1212\n50000002,鈴木 学,080-4444-3131\n",
			class: ClassPatronRegistry, minSev: Critical, maxSev: Critical, persons: 2},
		// Two IDs never join through a weaker key: namesakes born on one
		// day, one name at one family number, one name at one address.
		{name: "namesakes born on one day under two IDs", text: "利用者番号,氏名,生年月日,登録日\n" +
			"61000001,伊藤 誠,1975-04-02,2019-01-10\n61000002,伊藤 誠,1975-04-02,2021-06-30\n61000003,森 早苗,1981-11-20,2020-03-03\n",
			class: ClassPatronRegistry, minSev: Critical, maxSev: Critical, persons: 3},
		{name: "one name at one number under two card numbers", text: "カード番号\t氏名\t電話番号\t書名\t返却期限\n" +
			"7001\t中村 陽子\t0564-22-8137\t星の図鑑\t2005/06/01\n7002\t中村 陽子\t0564-22-8137\t川の図鑑\t2005/06/03\n7001\t中村陽子\t0564-22-8137\t花の図鑑\t2005/06/04\n",
			class: ClassOverdueList, minSev: Critical, maxSev: Critical, persons: 2},
		{name: "one name at one shared mailbox under two member numbers", text: "会員番号,氏名,メールアドレス\n" +
			"8801,小川 直人,ogawa-family@mail-hanada.jp\n8802,小川 直人,ogawa-family@mail-hanada.jp\n8803,石井 薫,k.ishii@mail-hanada.jp\n",
			class: ClassPatronRegistry, minSev: Critical, maxSev: Critical, persons: 3},
	})
}

// A record is test data when its contact data is recognisably fake; a
// common name used as a placeholder (鈴木 一郎, 田中 太郎) with real-looking
// contact data is a person.
func TestPlaceholderNamesWithRealContactsArePeople(t *testing.T) {
	real := []string{"0564-27-1828", "052-961-4471", "090-3141-5926", "080-2718-2818", "03-5789-2231"}
	fake := []string{"090-0000-0000", "03-1234-5678", "080-1234-5678", "090-1234-5678", "06-1234-5678"}
	names := []string{"鈴木 一郎", "田中 太郎", "山田 花子", "鈴木 花子", "田中 花子"}
	list := func(head, format string, phones []string) string {
		var b strings.Builder
		b.WriteString(head + "\n")
		for i, n := range names {
			fmt.Fprintf(&b, format+"\n", n, phones[i])
		}
		return b.String()
	}
	checkVerdicts(t, []verdictCase{
		{name: "CSV, real phones", text: list("氏名,電話番号", "%s,%s", real),
			class: ClassContactList, minSev: High, maxSev: High, persons: 5},
		{name: "TSV, real phones", text: list("名前\tTEL", "%s\t%s", real),
			class: ClassContactList, minSev: High, maxSev: High, persons: 5},
		{name: "CSV, fake phones", text: list("氏名,電話番号", "%s,%s", fake),
			class: ClassNone, minSev: Info, maxSev: Info, persons: 5, dummy: true},
		{name: "TSV, fake phones", text: list("名前\tTEL", "%s\t%s", fake),
			class: ClassNone, minSev: Info, maxSev: Info, persons: 5, dummy: true},
	})
}

// A 和暦 date is any date of a letter or a form: alone it is no birth
// date and no register; labelled, or beside an age, it is.
func TestLoneEraDatesAreNotBirthDates(t *testing.T) {
	checkVerdicts(t, []verdictCase{
		{name: "letter dated in 令和", text: "令和5年6月1日\n\n佐藤 健一 様\n\n図書の返却について\n" +
			"ご協力をお願いします。\n", class: ClassNone, maxSev: Low, persons: -1},
		{name: "notice with a 平成 deadline", text: "お知らせ\n平成30年3月31日までに手続きをしてください。\n" +
			"担当 高橋 恵子\n", class: ClassNone, maxSev: Low, persons: -1},
		{name: "minutes with S-letter date", text: "議事録 S63.4.1\n出席者 伊藤 誠、渡辺 明美\n",
			class: ClassNone, maxSev: Low, persons: -1},
		{name: "contrast: labelled", text: "氏名 佐藤 健一\n生年月日 昭和45年3月2日\n",
			class: ClassPatronRegistry, minSev: Critical, maxSev: Critical, persons: 1},
		{name: "contrast: with an age in the record", text: "氏名,年齢,日付\n" +
			"佐藤 健一,54,昭和45年3月2日\n高橋 恵子,61,昭和38年7月9日\n",
			class: ClassPatronRegistry, minSev: Critical, maxSev: Critical, persons: 2},
	})
}

// TestCatalogueNamesEveryDetectorID: every detector ID the analyzer
// gives a match is in the catalogue.
func TestCatalogueNamesEveryDetectorID(t *testing.T) {
	known := map[string]bool{}
	for _, e := range Catalogue() {
		known[e.ID] = true
	}
	texts := []string{
		"利用者番号,氏名,カナ,電話番号,住所,生年月日,年齢,個人番号,書名,ISBN,返却期限\n" +
			"10000001,佐藤 健一,サトウ ケンイチ,090-3141-5926,愛知県岡崎市康生通西2丁目1,1970/03/02,54,123456789018,宇宙の話,9784101010014,2024/05/01\n",
		"〒444-8555\n愛知県岡崎市康生通西2丁目1\n佐藤 健一 様\n『宇宙の話』\nmail: k.sato@mail.example-isp.ne.jp\n",
		"10000002\t高橋 恵子\t宇宙の話\t2024/05/01\t080-2718-2818\n",
	}
	for _, text := range texts {
		_, kept := analyse(t, text)
		for _, m := range kept {
			if !known[m.Detector] {
				t.Errorf("detector ID %q (%s) is not in Catalogue()", m.Detector, m.Category)
			}
		}
	}
}

// SQL INSERTs keep every value aligned with its column, quoted or not
// (NUMBER, NULL), and read the literal inside conversions (TO_DATE,
// DATE '…'): a registry dumped as INSERTs is a registry.
func TestSQLInsertValuesAlignWithTheirColumns(t *testing.T) {
	var oracle, mysql, pg strings.Builder
	mysql.WriteString("INSERT INTO `patron` (`patron_no`, `name`, `tel`, `birth`) VALUES ")
	for i, p := range people5 {
		fmt.Fprintf(&oracle, "INSERT INTO PATRON (PATRON_NO, SHIMEI, TEL, BIRTH) VALUES (%s, '%s', '%s', TO_DATE('1970-03-%02d','YYYY-MM-DD'));\n",
			p.id, p.name, p.phone, i+1)
		if i > 0 {
			mysql.WriteString(",")
		}
		fmt.Fprintf(&mysql, "(%s,'%s',NULL,'1981-07-%02d')", p.id, p.name, i+1)
		fmt.Fprintf(&pg, "INSERT INTO public.patrons (id, name, phone, birth_date) VALUES (%s, '%s', '%s', DATE '1965-11-%02d');\n",
			p.id, p.name, p.phone, i+1)
	}
	mysql.WriteString(";\n")
	checkVerdicts(t, []verdictCase{
		{name: "Oracle: unquoted numbers, TO_DATE", text: oracle.String(), class: ClassPatronRegistry,
			minSev: Critical, maxSev: Critical, persons: 5},
		{name: "MySQL: one statement, many tuples, NULL", text: mysql.String(), class: ClassPatronRegistry,
			minSev: Critical, maxSev: Critical, persons: 5},
		{name: "PostgreSQL: DATE literals", text: pg.String(), class: ClassPatronRegistry,
			minSev: Critical, maxSev: Critical, persons: 5},
	})
}
