package detectors

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/rouei/rouei/patterns"
)

// nmNorm mimics textdec.Normalize for the name tests: the ideographic space
// becomes ASCII, full-width digits and colons stay as they would (digits
// become ASCII; '：' is kept).
func nmNorm(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune(r - '０' + '0')
		case r == '　':
			b.WriteByte(' ')
		case r == '（':
			b.WriteByte('(')
		case r == '）':
			b.WriteByte(')')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// nmMasked lists matches in masked form for failure messages.
func nmMasked(ms []Match) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, fmt.Sprintf("%s/%s %.2f %q", m.Detector, m.Category, m.Confidence, Mask(m.Category, m.Value)))
	}
	return strings.Join(parts, ", ")
}

type nameTP struct {
	text, want string
	cat        string  // "name" or "name_kana"
	conf       float64 // expected confidence
	dummy      bool
}

// All names here are synthetic: common surnames combined with common given
// names, or invented rare surnames.
var nameTPs = []nameTP{
	// honorific
	{"佐藤健一様", "佐藤健一", "name", 0.9, false},
	{"拝啓 高橋恵子様におかれましては", "高橋恵子", "name", 0.9, false},
	{"宛先: 伊藤　直樹　様", "伊藤 直樹", "name", 0.9, false},
	{"渡辺 美穂様", "渡辺 美穂", "name", 0.9, false},
	{"中村さんから電話がありました。", "中村", "name", 0.9, false},
	{"陽菜ちゃんの本", "陽菜", "name", 0.9, false},
	{"小林くんへ", "小林", "name", 0.9, false},
	{"加藤氏は次のように述べた。", "加藤", "name", 0.9, false},
	{"吉田殿", "吉田", "name", 0.9, false},
	{"木村君が来た", "木村", "name", 0.9, false},
	{"斎藤様方", "斎藤", "name", 0.9, false},
	{"長谷川由美子 様", "長谷川由美子", "name", 0.9, false},
	{"会員山口様", "山口", "name", 0.9, false},
	{"一ノ瀬千尋様", "一ノ瀬千尋", "name", 0.9, false},
	// rare surnames the dictionary does not know: shape is enough
	{"鰐淵沢健太様", "鰐淵沢健太", "name", 0.9, false},
	{"鰐淵沢 健太 様", "鰐淵沢 健太", "name", 0.9, false},
	{"\n禰屋敷さんへ連絡", "禰屋敷", "name", 0.9, false},
	// labels
	{"氏名：鰐淵沢健太", "鰐淵沢健太", "name", 0.9, false},
	{"氏名: 佐藤 健一", "佐藤 健一", "name", 0.9, false},
	{"利用者名:井上陽介", "井上陽介", "name", 0.9, false},
	{"氏名：鈴木 美咲 電話：0564", "鈴木 美咲", "name", 0.9, false},
	{"氏名：後藤大輔 電話番号：0564", "後藤大輔", "name", 0.9, false},
	{"お名前: 遠藤恵子", "遠藤恵子", "name", 0.9, false},
	{"氏名：遠藤 様", "遠藤", "name", 0.9, false},
	{"予約者: 佐藤誠", "佐藤誠", "name", 0.9, false},
	{"1,佐藤誠,2", "佐藤誠", "name", 0.55, false},
	{"林健太様", "林健太", "name", 0.9, false},
	{"宛名 石川 翔太 様", "石川 翔太", "name", 0.9, false},
	{"申込者：池田洋子", "池田洋子", "name", 0.9, false},
	{"借受人\t橋本智子", "橋本智子", "name", 0.9, false},
	{"予約者: 阿部拓也（窓口）", "阿部拓也", "name", 0.9, false},
	{"名前：林", "林", "name", 0.9, false},
	{"名前\t鰐淵沢健太\n", "鰐淵沢健太", "name", 0.9, false},
	{"名前\t佐藤健一\t090", "佐藤健一", "name", 0.9, false},
	// dictionary pairs in free text
	{"連絡者 清水 和也 090", "清水 和也", "name", 0.7, false},
	{"担当は山崎幸子です。", "山崎幸子", "name", 0.55, false},
	{"1234,前田直美,2024/01/05", "前田直美", "name", 0.55, false},
	{"1234,前田 直美,漱石 著", "前田 直美", "name", 0.7, false}, // an author in the next column
	// katakana readings
	{"サトウ ケンイチ", "サトウ ケンイチ", "name_kana", 0.8, false},
	{"1001,タカハシ ケイコ,0564", "タカハシ ケイコ", "name_kana", 0.8, false},
	{"イトウ ナオキ 様", "イトウ ナオキ", "name_kana", 0.9, false},
	{"フリガナ：ワニブチザワ ケンタ", "ワニブチザワ ケンタ", "name_kana", 0.9, false},
	{"カナ氏名: ニシカワラ ミキ", "ニシカワラ ミキ", "name_kana", 0.9, false},
	{"ヨミ ノムラ", "ノムラ", "name_kana", 0.9, false},
	{"氏名(カナ)：ヨシダ アヤ", "ヨシダ アヤ", "name_kana", 0.9, false},
	{"氏名: イシイ ユイ", "イシイ ユイ", "name_kana", 0.9, false},
	{"ヤマモト様", "ヤマモト", "name_kana", 0.9, false},
	// dummies
	{"山田太郎", "山田太郎", "name", 0.55, true},
	{"山田 太郎", "山田 太郎", "name", 0.7, true},
	{"鈴木花子様", "鈴木花子", "name", 0.9, true},
	{"鈴木一郎さん", "鈴木一郎", "name", 0.9, true},
	{"テスト太郎様", "テスト太郎", "name", 0.9, true},
	{"氏名：テスト太郎", "テスト太郎", "name", 0.9, true},
	{"氏名：試験花子", "試験花子", "name", 0.9, true},
	{"氏名：名無し", "名無し", "name", 0.9, true},
	{"ヤマダ タロウ", "ヤマダ タロウ", "name_kana", 0.8, true},
	{"スズキ ハナコ 様", "スズキ ハナコ", "name_kana", 0.9, true},
	{"テスト タロウ", "テスト タロウ", "name_kana", 0.8, true},
	{"フリガナ: テスト タロウ", "テスト タロウ", "name_kana", 0.9, true},
}

func TestNameTruePositives(t *testing.T) {
	var d NameDetector
	for i, c := range nameTPs {
		text := []byte(nmNorm(c.text))
		ms := d.Find(nil, text)
		if len(ms) != 1 {
			t.Errorf("TP #%d: %d matches, want 1 (%s)", i, len(ms), nmMasked(ms))
			continue
		}
		m := ms[0]
		if m.Value != c.want {
			t.Errorf("TP #%d: value %q, want %q", i, Mask(m.Category, m.Value), Mask(c.cat, c.want))
		}
		if m.Category != c.cat {
			t.Errorf("TP #%d: category %q, want %q", i, m.Category, c.cat)
		}
		wantID := "jp-name"
		if c.cat == "name_kana" {
			wantID = "jp-name-kana"
		}
		if m.Detector != wantID {
			t.Errorf("TP #%d: detector %q, want %q", i, m.Detector, wantID)
		}
		if m.Confidence != c.conf {
			t.Errorf("TP #%d: confidence %.2f, want %.2f", i, m.Confidence, c.conf)
		}
		if m.Dummy != c.dummy {
			t.Errorf("TP #%d: dummy %v, want %v", i, m.Dummy, c.dummy)
		}
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
			t.Errorf("TP #%d: bad offsets %d..%d", i, m.Start, m.End)
			continue
		}
		// The matched span holds the value, possibly with a different
		// space (none lost, none invented).
		span := string(text[m.Start:m.End])
		if strings.ReplaceAll(span, " ", "") != strings.ReplaceAll(m.Value, " ", "") {
			t.Errorf("TP #%d: span %q does not hold the value", i, Mask(m.Category, span))
		}
	}
}

// nameFPs must not give a name match that counts (confidence at or above
// MinConfidence).
var nameFPs = []string{
	// prose, documentation
	"本システムの利用者は所定の手続きを行う。",
	"本書は図書館システムの運用手順を説明するものである。中央図書館と各分館で共通の手順とする。",
	"貸出期限を過ぎた資料については、督促状を送付してください。返却期限は2週間です。",
	"所在不明資料は全体の0.3%でした。詳細は別紙を参照。",
	"利用者情報の更新は窓口で行い、本人確認書類を提示してもらうこと。",
	"中村区の中央公園で開催される。上野駅から徒歩5分。",
	"高橋駅前の本田技研工業の工場",
	"同様の仕様を多様な模様で検討する。異様な様子。",
	"殿堂入りした作品。貴殿のご意見。御殿の様式。",
	"諸君、彼氏、両氏、同氏は欠席。",
	"氏名欄には全角で入力してください。",
	"氏名: 全角で入力",
	"氏名：必須項目",
	"氏名\t電話番号\t住所\t生年月日",
	"氏名 フリガナ 電話番号",
	"フリガナ：カタカナで入力",
	"利用者名を指定してください",
	"名前\t容量\tシリンダー",
	"名前：自由に入力",
	"ウィンドウの最上行・中央",
	"高品質のドキュメント",
	"好奇心がある人",
	"引用行と原文行の比率",
	"新規行を編集する",
	"何もしないサンプル プログラム",
	// honorific after common nouns
	"お客様各位", "皆様へ", "利用者様", "ご担当者様", "ご利用者様", "お子様", "ご家族様",
	"和尚さん", "女将さん", "息子さん", "大家さん", "大工さん", "先輩さん", "運転手さん", "看護師さん",
	"王子様", "観音様", "患者さん",
	"王様と神様", "奥様", "総務課長様", "岡崎市長殿", "愛知県知事殿", "管理者様", "関係者各位",
	"架空市立中央図書館様", "株式会社架空システム様", "御中", "担当者殿",
	// places, organisations
	"岡崎市", "愛知県岡崎市康生通西", "図書館", "市役所", "株式会社山田商店", "岡崎市立中央図書館",
	// authors
	"著者: 夏目漱石", "著者：森鴎外", "夏目漱石 著", "夏目漱石著『こころ』", "訳：村上春樹", "監修 山田太郎",
	"Author: 佐藤花子",
	"B0001\tこどもの水彩画\t青木 蓮／杉浦 裕子 共著\tみどり出版",
	"本多 千尋 著",
	"森 鴎外・訳",
	"日本語訳  松本 健一 <x@example.jp>",
	"Copyright (c) 2024 鈴木 健一",
	// templates and placeholders
	"{{.Name}} 様", "${name}様", "〇〇様", "○○ ○○ 様", "＊＊様",
	// katakana loanwords
	"データ ベース", "コンピュータ システム", "サーバ メンテナンス", "ユーザ インタフェース", "ファイル サーバ",
	"テスト データ", "メール アドレス",
	// a surname alone in free text
	"山田が担当する", "佐藤", "所定の", "中学校",
}

func TestNameFalsePositives(t *testing.T) {
	var d NameDetector
	for i, s := range nameFPs {
		for _, m := range d.Find(nil, []byte(nmNorm(s))) {
			if m.Confidence >= MinConfidence && !m.Dummy {
				t.Errorf("FP #%d: unexpected match %s", i, nmMasked([]Match{m}))
			}
		}
	}
}

// TestNameAuthorsNotMatched documents the choice for author attributions:
// no match at all, even for a dummy name.
func TestNameAuthorsNotMatched(t *testing.T) {
	var d NameDetector
	for i, s := range []string{"著者: 夏目漱石", "夏目漱石 著", "監修 山田太郎", "編：佐藤 花子"} {
		if ms := d.Find(nil, []byte(s)); len(ms) != 0 {
			t.Errorf("author #%d: %s", i, nmMasked(ms))
		}
	}
	// The same names with an honorific are people again.
	if ms := d.Find(nil, []byte("著者: 夏目漱石様")); len(ms) != 1 {
		t.Errorf("author with honorific: %d matches", len(ms))
	}
}

func TestNameSeveralInOneText(t *testing.T) {
	var d NameDetector
	text := []byte(nmNorm("利用者番号,氏名,カナ氏名\n10001,佐藤　健一,サトウ ケンイチ\n10002,鈴木 美咲,スズキ ミサキ\n\n拝啓 高橋恵子様\n"))
	ms := d.Find(nil, text)
	want := []string{"佐藤 健一", "サトウ ケンイチ", "鈴木 美咲", "スズキ ミサキ", "高橋恵子"}
	if len(ms) != len(want) {
		t.Fatalf("%d matches, want %d (%s)", len(ms), len(want), nmMasked(ms))
	}
	for i, m := range ms {
		if m.Value != want[i] {
			t.Errorf("match %d: %q", i, Mask(m.Category, m.Value))
		}
		if i > 0 && m.Start < ms[i-1].End {
			t.Errorf("match %d overlaps the previous one", i)
		}
	}
	// dst is appended to, not replaced.
	pre := []Match{{Detector: "x"}}
	if got := d.Find(pre, text); len(got) != len(want)+1 || got[0].Detector != "x" {
		t.Errorf("Find did not append to dst")
	}
}

type likeCase struct {
	cell string
	cat  string
}

var nameLikeCases = []likeCase{
	{"佐藤健一", "name"},
	{"佐藤　健一", "name"},
	{" 佐藤 健一 ", "name"},
	{"長谷川由美子", "name"},
	{"鰐淵沢健太", "name"},  // rare surname: shape
	{"鰐淵沢　健太", "name"}, // rare surname: shape
	{"禰屋敷 千尋", "name"}, // rare surname: shape
	{"林", "name"},      // one-character surname
	{"佐藤　さくら", "name"}, // kana given name
	{"佐藤さくら", "name"},  // kana given name
	{"山田太郎様", "name"},  // honorific trimmed
	{"サトウ ケンイチ", "name_kana"},
	{"サトウ　ケンイチ", "name_kana"},
	{"ｻﾄｳ ｹﾝｲﾁ", "name_kana"}, // half-width
	{"ﾜﾆﾌﾞﾁｻﾞﾜ ｹﾝﾀ", "name_kana"},
	{"さとう けんいち", "name_kana"},
	{"", ""},
	{"   ", ""},
	{"12345", ""},
	{"2024-01-15", ""},
	{"090-1234-5678", ""},
	{"{{.Name}}", ""},
	{"〇〇　〇〇", ""},
	{"○○", ""},
	{"＊＊＊", ""},
	{"XXX", ""},
	{"Taro Yamada", ""},
	{"氏名", ""},
	{"未入力", ""},
	{"不明", ""},
	{"フリガナ", ""},
	{"カナ", ""},
	{"株式会社架空システム", ""},
	{"岡崎市役所", ""},
	{"架空市立中央図書館", ""},
	{"愛知県", ""},
	{"男", ""},
	{"利用者", ""},
	{"佐藤 健一 様 (代理)", ""},
	{"a@b.jp", ""},
}

func TestNameLikeness(t *testing.T) {
	for i, c := range nameLikeCases {
		cat, conf := NameLikeness(c.cell)
		if cat != c.cat {
			t.Errorf("cell #%d: category %q, want %q", i, cat, c.cat)
		}
		if (cat == "") != (conf == 0) || conf < 0 || conf > 1 {
			t.Errorf("cell #%d: confidence %.2f for category %q", i, conf, cat)
		}
		if cat != "" && conf < MinConfidence {
			t.Errorf("cell #%d: confidence %.2f below MinConfidence", i, conf)
		}
	}
	// A dictionary-confirmed name is surer than a shape-only one.
	_, known := NameLikeness("佐藤健一")
	_, rare := NameLikeness("鰐淵沢健太")
	if known <= rare {
		t.Errorf("dictionary name %.2f not above shape-only %.2f", known, rare)
	}
}

func TestNameWordLists(t *testing.T) {
	if n := patterns.Surnames().Len(); n < 10000 {
		t.Errorf("surnames: %d, want > 10000", n)
	}
	if n := patterns.GivenNames().Len(); n < 10000 {
		t.Errorf("given names: %d, want > 10000", n)
	}
	if n := patterns.SurnameReadings().Len(); n < 5000 {
		t.Errorf("surname readings: %d", n)
	}
	if n := patterns.GivenNameReadings().Len(); n < 5000 {
		t.Errorf("given-name readings: %d", n)
	}
	for _, w := range []string{"佐藤", "長谷川", "一ノ瀬"} {
		if !patterns.Surnames().Has(w) {
			t.Errorf("surname %q missing", w)
		}
	}
	for _, w := range []string{"花子", "健一", "由美子"} {
		if !patterns.GivenNames().Has(w) {
			t.Errorf("given name %q missing", w)
		}
	}
	if !patterns.SurnameReadings().Has("ヤマダ") || !patterns.GivenNameReadings().Has("ハナコ") {
		t.Error("readings missing")
	}
	// Every data line is "kanji<TAB>katakana".
	for _, f := range []string{"surnames.txt", "given_names.txt"} {
		lines := patterns.Lines(f)
		if len(lines) < 10000 {
			t.Errorf("%s: %d lines", f, len(lines))
		}
		for i, l := range lines {
			s, r, ok := strings.Cut(l, "\t")
			if !ok || !nmHasKanji([]byte(s)) || r == "" {
				t.Errorf("%s: bad line %d", f, i)
				break
			}
			for _, c := range r {
				if !nmIsKatakana(c) {
					t.Errorf("%s: line %d: reading not katakana", f, i)
					break
				}
			}
		}
	}
	if len(patterns.DummyNames()) < 10 {
		t.Error("dummy names missing")
	}
}

// TestNameDictionaryCoversCommonNames checks that common synthetic
// surname + given-name pairs are found in a CSV row without context.
func TestNameDictionaryCoversCommonNames(t *testing.T) {
	var d NameDetector
	sur := []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山口", "長谷川", "稲垣", "杉浦", "神谷"}
	giv := []string{"健一", "大輔", "翔太", "恵子", "由美子", "美咲", "直美", "千尋"}
	for i, s := range sur {
		for j, g := range giv {
			text := []byte("1," + s + g + ",2")
			if ms := d.Find(nil, text); len(ms) != 1 || ms[0].Value != s+g {
				t.Errorf("pair %d/%d not found alone (%s)", i, j, nmMasked(ms))
			}
		}
	}
}

// nameBenchText builds about size bytes of mixed Japanese prose, source
// code and CSV rows with names in a few of them.
func nameBenchText(size int) []byte {
	r := rand.New(rand.NewSource(7))
	prose := []string{
		"図書館システムの更新に伴い、利用者データベースの移行作業を実施しました。",
		"貸出期限を過ぎた資料については、督促状を送付してください。返却期限は2週間です。",
		"本ソフトウェアは2024年4月1日にリリースされ、第3版では検索機能が改善されています。",
		"蔵書点検の結果、所在不明資料は全体の0.3%でした。詳細は別紙を参照。",
		"本システムの利用者は所定の手続きを行う。中央図書館と各分館で共通の運用とする。",
		"お客様各位　平素より格別のご高配を賜り、厚く御礼申し上げます。",
		"コンピュータ システムの保守は、サーバ メンテナンスの時間帯に行います。",
	}
	code := []string{
		"func (s *Server) Handle(w http.ResponseWriter, r *http.Request) { id := r.URL.Query().Get(\"id\") }",
		"2024-01-15T09:30:12Z INFO request id=7f3a9c0e2b41 ip=192.168.10.24 took 35ms status=200",
		"SELECT * FROM loans WHERE due_date < '2024-02-01' AND branch_id = 12;",
	}
	sur := []string{"佐藤", "鈴木", "高橋", "田中", "伊藤"}
	giv := []string{"健一", "恵子", "翔太", "美咲"}
	var b bytes.Buffer
	for b.Len() < size {
		switch k := r.Intn(10); {
		case k < 5:
			b.WriteString(prose[r.Intn(len(prose))])
		case k < 7:
			b.WriteString(code[r.Intn(len(code))])
		case k < 9:
			fmt.Fprintf(&b, "%d,ISBN978-4-%02d-%06d,%d円,2023/%02d/%02d,延滞,%d", r.Intn(100000), r.Intn(100), r.Intn(1000000), r.Intn(5000), 1+r.Intn(12), 1+r.Intn(28), r.Intn(30))
		default:
			s, g := sur[r.Intn(len(sur))], giv[r.Intn(len(giv))]
			fmt.Fprintf(&b, "%d,%s %s,サトウ ケンイチ,090-%04d-%04d,%s%s様", r.Intn(100000), s, g, r.Intn(10000), r.Intn(10000), s, g)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func BenchmarkNameDetector(b *testing.B) {
	text := nameBenchText(1 << 20)
	var d NameDetector
	dst := d.Find(nil, text) // build the lookup data outside the timing
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		dst = d.Find(dst[:0], text)
	}
}

func TestNameBenchTextFindsOnlyPlantedNames(t *testing.T) {
	var d NameDetector
	text := nameBenchText(1 << 16)
	for _, m := range d.Find(nil, text) {
		if m.Confidence < MinConfidence {
			continue
		}
		switch m.Value {
		case "サトウ ケンイチ":
			continue
		}
		line := text[bytes.LastIndexByte(text[:m.Start], '\n')+1:]
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		if !bytes.Contains(line, []byte("090-")) {
			t.Errorf("unexpected match %s in prose line", nmMasked([]Match{m}))
		}
	}
}
