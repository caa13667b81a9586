package detectors

import (
	"strings"
	"testing"

	"github.com/rouei/rouei/patterns"
	"github.com/rouei/rouei/scanners/textdec"
)

// analyseText is analyseNamed on the text as the engine gives it to the
// detectors: normalised (full-width ASCII and the ideographic space folded,
// half-width katakana widened).
func analyseText(t *testing.T, name, text string) FileVerdict {
	t.Helper()
	return analyseNamed(t, name, string(textdec.Normalize(nil, []byte(text))))
}

// outsideSurnames are made up for these tests: no name table knows them.
var outsideSurnames = []string{"鵺沢", "鰆田", "鷭野", "蜷尾", "鱒淵", "鵙原", "鶉岡", "鴇巣", "蛙谷", "鯱山", "鰈浦", "鶫崎"}

var outsideKana = []string{"ヌエサワ", "サワラダ", "バンノ", "ニナオ", "マスブチ", "モズハラ", "ウズラオカ", "トキス", "カエルダニ", "シャチヤマ", "カレイウラ", "ツグミザキ"}

var commonGiven = []string{"美咲", "健太", "直人", "由紀子", "翔", "千晴", "浩二", "正人", "久美子", "大輔", "明美", "誠"}

var commonGivenKana = []string{"ミサキ", "ケンタ", "ナオト", "ユキコ", "ショウ", "チハル", "コウジ", "マサト", "クミコ", "ダイスケ", "アケミ", "マコト"}

func checkOutside(t *testing.T) {
	t.Helper()
	for _, s := range outsideSurnames {
		if patterns.Surnames().Has(s) {
			t.Fatalf("test surname %s is in the name table: pick another", s)
		}
	}
}

// lines builds n lines from a line function.
func lines(n int, f func(i int) string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(f(i))
		b.WriteByte('\n')
	}
	return b.String()
}

func phoneOf(i int) string {
	return []string{"0564-23-", "052-481-", "0566-71-"}[i%3] + []string{"4011", "5826", "7390", "1842", "6617", "2935", "8154", "3708", "9261", "4473", "5589", "6902"}[i]
}

// A headerless run: the position of name-shaped values is a name column
// whatever the dictionary knows; the position of 6–12-digit numbers is
// the patron's identifier, wherever it stands.
func TestHeaderlessRunTypesColumnsByPosition(t *testing.T) {
	checkOutside(t)
	full := func(i int) string { return outsideSurnames[i] + " " + commonGiven[i] }
	cases := []struct {
		name, file, text, class string
		persons                 int
	}{
		{"loans, ID in the middle, no contact", "entai_0601.csv", lines(8, func(i int) string {
			return "2024年5月" + string(rune('1'+i)) + "日," + []string{"31310861", "33794586", "32162537", "35916050", "33569455", "36790694", "35359620", "31600306"}[i] + "," + full(i) + ",野菜づくりの基本,2024年6月1日"
		}), ClassOverdueList, 8},
		{"contact list, tab-separated, name last", "renraku.tsv", lines(7, func(i int) string {
			return phoneOf(i) + "\t" + "愛知県岡崎市康生通西" + string(rune('1'+i)) + "丁目\t" + full(i)
		}), ClassContactList, 7},
		{"print lines, katakana names", "list.prn", lines(6, func(i int) string {
			return outsideKana[i] + " " + commonGivenKana[i] + strings.Repeat(" ", 16-2*len([]rune(outsideKana[i]+commonGivenKana[i]))/2) + "  " + phoneOf(i) + "  " + "kaiin" + string(rune('a'+i)) + "@example-isp.ne.jp"
		}), ClassContactList, 6},
		{"two columns, a name and a phone", "tel.txt", lines(6, func(i int) string {
			return full(i) + "      " + phoneOf(i)
		}), ClassContactList, 6},
	}
	for _, c := range cases {
		v := analyseText(t, c.file, c.text)
		if v.Classification != c.class || v.Persons != c.persons {
			t.Errorf("%s: %s with %d persons, want %s with %d", c.name, v.Classification, v.Persons, c.class, c.persons)
		}
	}
}

// Surname and given name in two positions of a headerless run are one
// name: in kanji, in katakana, in half-width katakana (normalised).
func TestHeaderlessRunJoinsSplitNames(t *testing.T) {
	checkOutside(t)
	for _, form := range []struct {
		name string
		part func(i int) (string, string)
	}{
		{"kanji", func(i int) (string, string) { return outsideSurnames[i], commonGiven[i] }},
		{"katakana", func(i int) (string, string) { return outsideKana[i], commonGivenKana[i] }},
	} {
		// Two of the people share a phone (a household): still two persons.
		text := lines(6, func(i int) string {
			s, g := form.part(i)
			return "444-08" + string(rune('1'+i)) + "1," + phoneOf(i/2*2) + "," + s + "," + g + ",愛知県岡崎市十王町" + string(rune('1'+i)) + "丁目"
		})
		v := analyseText(t, "list.csv", text)
		if v.Classification != ClassContactList || v.Persons != 6 {
			t.Errorf("%s: %s with %d persons, want a contact list of 6", form.name, v.Classification, v.Persons)
		}
	}
}

// A run without a column of names stays what it was: a work log's
// assignee and task beside a date is no loan, place names are no names,
// a department's numbers are no persons.
func TestHeaderlessRunWithoutNames(t *testing.T) {
	for _, c := range []struct{ name, file, text string }{
		{"work log", "worklog.csv", lines(6, func(i int) string {
			return "2024/04/0" + string(rune('1'+i)) + ",12345" + string(rune('0'+i)) + "7,サーバ再起動,完了"
		})},
		{"places beside dates", "events.csv", lines(6, func(i int) string {
			return "2024/04/0" + string(rune('1'+i)) + "," + []string{"中央公園", "市民会館", "東口広場", "駅前通り", "北体育館", "南図書室"}[i] + ",説明会"
		})},
		{"key:value records", "holidays.ltsv", lines(6, func(i int) string {
			return "date:1955-0" + string(rune('1'+i)) + "-15\tname:" + []string{"元日", "成人の日", "天皇誕生日", "憲法記念日", "春分の日", "文化の日"}[i]
		})},
		{"department lines", "tel.txt", lines(5, func(i int) string {
			return []string{"代表", "総務課", "貸出係", "レファレンス", "FAX"}[i] + "      " + phoneOf(i)
		})},
	} {
		v := analyseText(t, c.file, c.text)
		if v.Classification != ClassNone || v.Persons != 0 {
			t.Errorf("%s: %s with %d persons, want none", c.name, v.Classification, v.Persons)
		}
	}
}

// One person's labelled letter gives the name: a Latin label, a
// katakana name after a colon label, a katakana name written without a
// space before 様 on its own line, a long label and name that is no
// Chinese prose.
func TestLabelledLetterNames(t *testing.T) {
	checkOutside(t)
	body := "\n\nいつも架空市立中央図書館をご利用いただきありがとうございます。\nご登録の連絡先を確認させていただきました。\n"
	for _, c := range []struct{ name, text string }{
		{"NAME label", "NAME：" + outsideSurnames[0] + " " + commonGiven[0] + "\n住所：〒444-8635 愛知県岡崎市康生通西3丁目30番6号\n電話番号：0564(64)1665" + body},
		{"katakana after 氏名", "氏名：" + outsideKana[1] + commonGivenKana[1] + "\n住所：〒444-3225 愛知県額田郡幸田町大字上野671番地\n電話番号：08095172683" + body},
		{"katakana before 様", "〒444-0804\n愛知県岡崎市羽根町4-2-5\n" + outsideKana[2] + commonGivenKana[2] + "　様\nTEL 090-4453-1903" + body},
		{"long label, no kana", "利用者名：" + outsideSurnames[3] + commonGiven[7] + "\n住所：〒444-0736 愛知県岡崎市西川原町1丁目28番4号" + body},
	} {
		v := analyseText(t, "letter.txt", c.text)
		if v.Classification != ClassContactList || v.Persons != 1 || v.Severity != Medium {
			t.Errorf("%s: %s %s with %d persons, want a contact list of 1 (medium)", c.name, v.Classification, v.Severity, v.Persons)
		}
	}
}

// A record written a field a line (a label, a tab or a colon, the
// value) is one person per section, the name's parts joined when 氏 and
// 名 stand on lines of their own.
func TestFieldPerLineRecords(t *testing.T) {
	checkOutside(t)
	rule := "──────────────────────────────\n"
	var tab, split strings.Builder
	for i := 0; i < 6; i++ {
		tab.WriteString("ふりがな\t" + commonGivenKana[i] + "\nTEL\t" + phoneOf(i) + "\n名前\t" + outsideSurnames[i] + " " + commonGiven[i] +
			"\nカード番号\t1518076" + string(rune('0'+i)) + "\n生年月日\t1956-09-1" + string(rune('0'+i)) + "\n" + rule)
		split.WriteString("住所：愛知県岡崎市旭町2-2-" + string(rune('1'+i)) + "\n利用者ID：1963932" + string(rune('0'+i)) + "\n氏：" + outsideSurnames[i] +
			"\n名：" + commonGiven[i] + "\n生年月日：1946/09/1" + string(rune('0'+i)) + "\n\f")
	}
	for _, c := range []struct{ name, text string }{{"tab fields", tab.String()}, {"氏/名 lines", split.String()}} {
		v := analyseText(t, "daicho.txt", c.text)
		if v.Classification != ClassPatronRegistry || v.Persons != 6 {
			t.Errorf("%s: %s with %d persons, want a registry of 6", c.name, v.Classification, v.Persons)
		}
	}
}

// 鈴木 一郎 and 田中 太郎 are placeholders and real names: with reading
// data and no contact data, the file decides.
func TestPlaceholderNamesByTheFile(t *testing.T) {
	real := lines(6, func(i int) string {
		return outsideSurnames[i] + " " + commonGiven[i] + "," + []string{"はじめての園芸", "森の探検隊"}[i%2] + ",2023/03/0" + string(rune('1'+i))
	})
	ph := "鈴木 一郎,雨の日の物語,2023/03/11\n田中 太郎,時計台の秘密,2023/03/12\n"
	v := analyseText(t, "entai.csv", "氏名,書名,返却期限\n"+real+ph)
	if v.Classification != ClassOverdueList || v.Persons != 8 || v.Dummy {
		t.Errorf("among real people: %s with %d persons (dummy %v), want an overdue list of 8", v.Classification, v.Persons, v.Dummy)
	}
	v = analyseText(t, "entai.csv", "氏名,書名,返却期限\n"+ph+"山田 花子,風の通り道,2023/03/13\n")
	if v.Persons != 3 || !v.Dummy {
		t.Errorf("placeholders only: %d persons (dummy %v), want 3 test people", v.Persons, v.Dummy)
	}
}

// A header row whose label cell is followed by another header is a
// header, not a label and its name (フリガナ  タイトル, 氏名  電話番号).
func TestHeaderAfterLabelIsHeader(t *testing.T) {
	for _, h := range []string{"利用者No  利用者名  フリガナ            タイトル          貸出日      返却日",
		"氏名\t電話番号\t住所"} {
		if _, kept := analyse(t, h+"\n"); len(kept) != 0 {
			t.Errorf("%q: %d findings in a header row", h, len(kept))
		}
	}
}
