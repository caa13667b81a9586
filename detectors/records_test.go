package detectors

import (
	"bytes"
	"sort"
	"strings"
	"testing"
)

// analyse runs every detector and the Analyzer over text the way the
// engine does: matches found in the whole text, handed over line by line.
func analyse(t *testing.T, text string) (FileVerdict, []Located) {
	t.Helper()
	return analyseWith(t, text, nil)
}

// analyseWith is analyse with a hook to set up the Analyzer first.
func analyseWith(t *testing.T, text string, setup func(*Analyzer)) (FileVerdict, []Located) {
	t.Helper()
	b := []byte(text)
	var ms []Match
	for _, d := range All() {
		ms = d.Find(ms, b)
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Start < ms[j].Start })
	a := NewAnalyzer(10000, false)
	if setup != nil {
		setup(a)
	}
	line, mi := 1, 0
	for pos := 0; pos < len(b); line++ {
		end := bytes.IndexByte(b[pos:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += pos
		}
		var loc []Located
		for ; mi < len(ms) && ms[mi].Start <= end; mi++ {
			m := ms[mi]
			m.Start -= pos
			m.End = min(m.End, end) - pos
			loc = append(loc, Located{Match: m, Line: line})
		}
		a.Line(line, 0, b[pos:end], loc)
		pos = end + 1
	}
	v, kept, _ := a.Result()
	return v, kept
}

func count(kept []Located, cat string) int {
	n := 0
	for _, m := range kept {
		if m.Category == cat {
			n++
		}
	}
	return n
}

func TestAnalyzerVerdicts(t *testing.T) {
	cases := []struct {
		name    string
		text    string
		class   string
		sev     Severity
		persons int
		dummy   bool
	}{
		{
			name: "overdue CSV: one patron with three books is one person",
			text: "利用者番号,氏名,電話番号,書名,返却期限,延滞日数\n" +
				"10000001,佐藤 健一,090-3141-5926,宇宙の話,2005/05/01,10\n" +
				"10000001,佐藤 健一,090-3141-5926,海の話,2005/05/01,10\n" +
				"10000001,佐藤 健一,090-3141-5926,山の話,2005/05/01,10\n" +
				"10000002,高橋 恵子,080-2718-2818,空の話,2005/05/03,8\n",
			class: ClassOverdueList, sev: Critical, persons: 2,
		},
		{
			name: "family sharing a phone are two people",
			text: "氏名\t電話番号\t書名\t貸出日\n" +
				"伊藤 誠\t0564-27-1828\t宇宙の話\t2008/09/02\n" +
				"伊藤 明美\t0564-27-1828\t海の話\t2008/09/02\n",
			class: ClassLoanRecord, sev: Critical, persons: 2,
		},
		{
			name: "hold list",
			text: "予約番号,予約日,氏名,電話番号,書名,取置期限,受取館\n" +
				"Y1,2010/02/09,中村 大輔,052-314-1592,時計台の秘密,2010/02/19,中央図書館\n",
			class: ClassHoldList, sev: Critical, persons: 1,
		},
		{
			name: "rare surname found because the column says it is a name",
			text: "氏名,電話番号,住所\n" +
				"勅使河原 一,090-2236-0679,愛知県架空市みどり町1-2-3\n" +
				"小鳥遊 ゆう,070-1414-2135,愛知県架空市みどり町1-2-4\n",
			class: ClassContactList, sev: Medium, persons: 2,
		},
		{
			name: "registry with birth dates in a column is a registry",
			text: "利用者番号\t氏名\t生年月日\t住所\n" +
				"15197908\t橋本 浩\t1974/08/11\t愛知県架空市南浜町5-27-1\n",
			class: ClassPatronRegistry, sev: Critical, persons: 1,
		},
		{
			name: "catalogue: authors are not people leaked",
			text: "書名\t著者名\t出版者\tISBN\n" +
				"実践統計学の世界\t神谷 秀樹\t架空大学出版会\t978-4-605-81160-5\n" +
				"はじめての経済学\t本多 千尋\t東野書院\t978-4-3666-2084-3\n",
			class: ClassNone, sev: None, persons: 0,
		},
		{
			name:  "header-only import template",
			text:  "氏名,フリガナ,電話番号,住所,生年月日\n",
			class: ClassNone, sev: None, persons: 0,
		},
		{
			name:  "DDL names columns but holds no rows",
			text:  "CREATE TABLE PATRON (\n  SHIMEI VARCHAR2(40), -- 氏名\n  TEL VARCHAR2(15), -- 電話番号\n  JUSHO VARCHAR2(120) -- 住所\n);\n",
			class: ClassNone, sev: None, persons: 0,
		},
		{
			name:  "the library's own number in a footer is organisational",
			text:  "<p>{{.Name}} 様</p>\n<p>返却期限を過ぎています。</p>\n\n<footer>架空市立中央図書館<br>\n〒444-8601 愛知県架空市みどり町1-1-1<br>\nTEL 0564-23-0101 FAX 0564-23-0102</footer>\n",
			class: ClassNone, sev: Low, persons: 0,
		},
		{
			name: "reminder postcards: one person per section, the library's line is not theirs",
			text: "〒444-3356\n    愛知県架空郡みどり町大字下野282番地\n\n        林 真由美 様\n\n" +
				"    『小さな発明家』    返却期限 2005/06/06\n\n  架空市立中央図書館  TEL 0564-23-0101\n" +
				"------------------------------------------------------------\n" +
				"\f〒455-0922\n    愛知県かもめ市汐見台1-10-7\n\n        中村 大輔 様\n\n" +
				"    『架空市の歴史』    返却期限 2005/06/08\n\n  架空市立中央図書館  TEL 0564-23-0101\n",
			class: ClassOverdueList, sev: Critical, persons: 2,
		},
		{
			name:  "dummy fixture",
			text:  "氏名,電話番号,メールアドレス\n山田太郎,090-0000-0000,test@example.com\n鈴木花子,03-1234-5678,hanako@example.com\n",
			class: ClassNone, sev: Info, persons: 2, dummy: true,
		},
		{
			name:  "a bare list of phone numbers, one per line, is several people",
			text:  "090-3141-5926\n080-2718-2818\n070-1414-2135\n0564-27-1828\n052-314-1592\n",
			class: ClassContactList, sev: High, persons: 5,
		},
		{
			name:  "My Number makes anything critical",
			text:  "氏名,個人番号\n橋本 浩,492317119925\n",
			class: ClassPatronRegistry, sev: Critical, persons: 1,
		},
		{
			name:  "documentation prose",
			text:  "本システムの利用者は所定の手続きを行う。\n中学生以下（15歳以下）は保護者の同意が必要です。\nバージョン 2.3.1 (2024-01-15)\n",
			class: ClassNone, sev: None, persons: 0,
		},
		{
			name:  "a department table is the library's own contact data",
			text:  "部署名,内線,電話番号,FAX\n中央図書館 代表,100,0564-23-0101,0564-23-0109\n中央図書館 貸出係,120,0564-23-0103,0564-23-0109\n",
			class: ClassNone, sev: Low, persons: 0,
		},
		{
			name:  "maintainers with their e-mail are attributions",
			text:  "開発担当\n  大野 修平 <s.ohno@ils-vendor.example.co.jp>  貸出モジュール\n  水谷 朋美 <t.mizutani@vendor-kakuu.co.jp>  帳票\n",
			class: ClassNone, sev: Low, persons: 0,
		},
		{
			name:  "headerless loan rows: a title beside a date",
			text:  "10053219,木村 智子,052-551-9429,小さな発明家,2009/10/23\n10630772,柴田 修,070-2055-4512,写真の撮り方教室,2009/11/02\n",
			class: ClassLoanRecord, sev: Critical, persons: 2,
		},
		{
			name: "fixed-width listing one space apart: cut where the header's columns start",
			text: "利用者番号 氏名       電話番号      書名       返却期限\n" +
				"10000001   勅使河原 一 090-3141-5926 宇宙の話   2005/05/01\n" +
				"10000002   小鳥遊 ゆう 080-2718-2818 海の話     2005/05/03\n",
			class: ClassOverdueList, sev: Critical, persons: 2,
		},
		{
			name: "fixed-width listing with a repeated page header",
			text: "延滞者一覧表\n利用者番号  氏名          電話番号       書名            返却期限\n" +
				"10000001    佐藤 健一     090-3141-5926  宇宙の話        2005/05/01\n" +
				"10000002    高橋 恵子     080-2718-2818  海の話          2005/05/03\n" +
				"------------------------------------------------------------------\n" +
				"\f利用者番号  氏名          電話番号       書名            返却期限\n" +
				"------------------------------------------------------------------\n" +
				"10000003    中村 大輔     052-314-1592   山の話          2005/05/04\n",
			class: ClassOverdueList, sev: Critical, persons: 3,
		},
	}
	for _, c := range cases {
		v, _ := analyse(t, c.text)
		if v.Classification != c.class || v.Severity != c.sev || v.Persons != c.persons || v.Dummy != c.dummy {
			t.Errorf("%s:\n got %s %v persons %d dummy %v (%s)\nwant %s %v persons %d dummy %v",
				c.name, v.Classification, v.Severity, v.Persons, v.Dummy, v.Reason, c.class, c.sev, c.persons, c.dummy)
		}
	}
}

func TestAnalyzerTypesCells(t *testing.T) {
	_, kept := analyse(t, "利用者番号,氏名,カナ,生年月日,年齢,個人番号,書名\n"+
		"10000001,勅使河原 一,ﾃｼｶﾞﾜﾗ ﾊｼﾞﾒ,1970/03/02,55,492317119925,宇宙の話\n")
	for cat, want := range map[string]int{
		"name": 1, "name_kana": 1, "birth_date": 1, "age": 1, "my_number": 1, "patron_id": 1, "book_title": 1,
	} {
		if got := count(kept, cat); got != want {
			t.Errorf("%s: %d findings, want %d", cat, got, want)
		}
	}
	for _, m := range kept {
		if m.Line != 2 {
			t.Errorf("%s on line %d, want 2", m.Category, m.Line)
		}
	}
}

func TestAnalyzerOrgFindingsAreLow(t *testing.T) {
	v, kept := analyse(t, "お問い合わせ\n架空市立中央図書館\nTEL 0564-23-0101\n")
	if len(kept) != 1 || !kept[0].Org {
		t.Fatalf("kept %d matches, want the library's phone marked organisational", len(kept))
	}
	if got := v.FindingSeverity(kept[0]); got != Low {
		t.Errorf("organisational finding severity %v, want low", got)
	}
	_, kept = analyse(t, "From: 図書館 <toshokan@lib.city-kakuu.lg.jp>\n")
	if len(kept) != 1 || !kept[0].Org {
		t.Errorf("a local government address is organisational")
	}
}

func TestAnalyzerReason(t *testing.T) {
	v, _ := analyse(t, "氏名,電話番号,書名,返却期限\n佐藤 健一,090-3141-5926,宇宙の話,2005/05/01\n")
	if !strings.HasPrefix(v.Reason, "overdue list: 氏名/電話番号/書名/返却期限 columns, 1 people") {
		t.Errorf("reason %q", v.Reason)
	}
}

func TestAnalyzerKeepsAtMostMaxKept(t *testing.T) {
	a := NewAnalyzer(3, false)
	for i := 1; i <= 10; i++ {
		a.Line(i, 0, []byte("x"), []Located{{Match: Match{Category: "phone", Value: "090-3141-59" + string(rune('0'+i%10)) + "6", Confidence: 0.9, End: 1}, Line: i}})
	}
	_, kept, total := a.Result()
	if len(kept) != 3 || total != 10 {
		t.Errorf("kept %d total %d, want 3 and 10", len(kept), total)
	}
}

func TestAnalyzerFileNameHintsTheKind(t *testing.T) {
	rows := "10053219,木村 智子,052-551-9429,小さな発明家,2009/10/23\n"
	for name, want := range map[string]string{"export/entai_200910.csv": ClassOverdueList, "export/data.csv": ClassLoanRecord} {
		a := NewAnalyzer(100, false)
		a.SetName(name)
		b := []byte(rows[:len(rows)-1])
		var loc []Located
		for _, d := range All() {
			for _, m := range d.Find(nil, b) {
				loc = append(loc, Located{Match: m, Line: 1})
			}
		}
		sort.SliceStable(loc, func(i, j int) bool { return loc[i].Start < loc[j].Start })
		a.Line(1, 0, b, loc)
		if v, _, _ := a.Result(); v.Classification != want {
			t.Errorf("%s: %s, want %s", name, v.Classification, want)
		}
	}
}

// FuzzAnalyzer feeds the record reader (tables, headerless rows, blocks,
// contexts, persons, classification) arbitrary lines with the
// detectors' matches, in text and in binary mode: it must not panic, and
// its verdict must hold together.
func FuzzAnalyzer(f *testing.F) {
	f.Add("利用者番号,氏名,電話番号,書名,返却期限\n10000001,佐藤 健一,090-3141-5926,宇宙の話,2005/05/01\n", false, "tokusoku.csv")
	f.Add("〒444-8555\n愛知県岡崎市十王町2丁目9番地\n佐藤 健一 様\n\n  書名                返却期限\n  宇宙の話            2024/05/01\n\f", false, "hagaki.prn")
	f.Add(".TH LS 1\n.SH 著者\n佐藤 健一 <ksato@example-project.org>\n", false, "ls.1")
	f.Add("PATRON_NO\tSHIMEI\tTEL\n10000001\t佐藤\u3000健一\t0564-27-1828\n", true, "patron.dmp")
	f.Add("INSERT INTO t (id, name, tel) VALUES (1,'佐藤 健一','090-3141-5926'),(2,'it''s',NULL);\n", false, "dump.sql")
	f.Add("さとう /佐藤/左藤/\n佐藤,1290,1290,3000,名詞,固有名詞,人名,姓,*,*,佐藤,サトウ,サトー\n", false, "SKK-JISYO.L")
	f.Fuzz(func(t *testing.T, s string, binary bool, name string) {
		v, kept := analyseWith(t, s, func(a *Analyzer) {
			a.binary = binary
			a.SetName(name)
		})
		if v.Persons < 0 || v.Severity < None || v.Severity > Critical {
			t.Fatalf("verdict out of range: %+v", v)
		}
		if v.Persons == 0 && v.Classification != ClassNone && !v.Dummy {
			t.Fatalf("%s with no persons", v.Classification)
		}
		for _, m := range kept {
			if m.Start < 0 || m.End < m.Start {
				t.Fatalf("kept match with bad offsets %d..%d", m.Start, m.End)
			}
		}
		if len(v.Reasons) == 0 && len(kept) > 0 {
			t.Fatalf("a verdict with %d matches and no reasons", len(kept))
		}
	})
}
