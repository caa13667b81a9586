package samples

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rouei/rouei/patterns"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/width"
)

// The randomised layout generator: Random(seed) writes one file of a
// randomly chosen kind (an overdue list, a hold list, a loan history, a
// patron registry, a contact list, or one of their look-alikes that hold
// no list of people) in a random layout, and says what a correct scan
// must conclude about it. The truth comes from how the file was made,
// never from what a detector says.
//
// Every knob is drawn per seed: column order, header synonyms, full- or
// half-width headers and values, separators (comma, quoted CSV, tab,
// fixed-width by display columns), encodings (UTF-8 with and without BOM,
// CP932, EUC-JP, UTF-16LE with BOM), line ends, headerless rows, headerless
// fixed-width print lines and multi-line blocks (one reminder or label per
// person), kanji, katakana and half-width katakana names with or without a
// separator, 姓/名 split columns, several loans per patron and several
// spellings of one patron under one ID.
//
// Names from outside the generator's own lists (Knobs.Names):
//   - "ipadic": surnames and given names drawn from patterns/surnames.txt
//     and patterns/given_names.txt (IPAdic) that are neither in the
//     samples' own name tables nor among rareSurnames: real name words a
//     detector may know from its dictionary but the samples never use
//     elsewhere;
//   - "outside": surnames composed of two kanji (鬼+頭 …) whose compound is
//     in no name table at all — not in the samples' tables, not in
//     surnames.txt — with the samples' ordinary given names: only the
//     structure of the file (a name column, 「様」) says they are names.
//
// Truth conventions, after the contract and samples/expected.json:
// reading records (overdue, hold, loan lists) and registries are
// critical; a contact list of five or more people is high, one person's
// contact data medium (the generator never makes contact lists of 2–4);
// the look-alikes (a staff list with extensions, a catalogue with
// authors, the library's own numbers, a dictionary) are classification
// none at low or below; a staff list's persons are its staff (names alone
// are low, but the file holds those individuals' names), the others'
// persons 0 (attributions and organisational data, as the fixed corpus's
// release notes and department list); recognisable dummy data is info,
// dummy, persons = the dummy people. Common real names (鈴木 一郎, 佐藤 花子, 田中 太郎) with
// real-looking phone numbers are not dummy data.

// RandomFile is one generated file and its truth.
type RandomFile struct {
	Seed  uint64
	Name  string // file name, no directory
	Data  []byte
	Knobs Knobs
	Truth Truth
}

// Truth is what a correct scan says about a RandomFile.
type Truth struct {
	Classification string // contract classification
	MinSeverity    string // contract severity names; equal when exact
	MaxSeverity    string
	Persons        int
	Dummy          bool
	Encoding       string // one of the Enc* names
}

// Knobs records every choice made for a file. It holds layout words and
// counts only, never a generated value, so it can be printed freely.
type Knobs struct {
	Kind     string   // overdue, hold, history, registry, contact, single, staff, catalogue, libphones, wordlist, dummy
	Layout   string   // csv, csv-quoted, tsv, fixed, csv-noheader, fixed-noheader, blocks, dict-mecab, dict-skk, dict-anthy
	Encoding string   // utf-8, utf-8-bom, cp932, euc-jp, utf-16le-bom
	EOL      string   // lf, crlf
	Columns  []string // field ids in file order
	Headers  []string // header words as written (empty when headerless)
	HdrWidth string   // half, full (ASCII widened), halfkana (katakana narrowed: ﾌﾘｶﾞﾅ)
	ValWidth string   // half, full: digits, ASCII in values
	Names    string   // population, ipadic, outside, common, dummy
	Script   string   // kanji, katakana, halfkana
	NameSep  string   // space, ideographic, none, mixed (duplicate spellings)
	Split    bool     // 姓/名 in two columns
	Dup      bool     // one patron spelled several ways under one ID (or one phone)
	MaxLoans int      // most rows per person
	People   int
	Shared   int // people whose phone (a household's) another person of the file has too
	Rows     int
	Hint     string // what names the list when no header does: title, filename, words, none
	BlockSep string // blank, rule, formfeed (blocks only)
	DateFmt  string // slash, iso, kanji, wareki
	Phones   string // hyphen (0564-23-4567), paren (0564(23)4567, (0564)23-4567), bare (0564234567)
	Address  string // hyphen (みどり町2-14-3), chome (みどり町2丁目14番3号)
	FileName string
	Preamble string // "": none; "ascii-NNk": NN KiB of ASCII log lines before the rows (encoding by region)
	LibPhone bool   // the library's own number appears (footer, title line): organisational, no person
}

func (k Knobs) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kind=%s layout=%s enc=%s eol=%s names=%s script=%s namesep=%s split=%v dup=%v",
		k.Kind, k.Layout, k.Encoding, k.EOL, k.Names, k.Script, k.NameSep, k.Split, k.Dup)
	fmt.Fprintf(&b, " phones=%s address=%s", k.Phones, k.Address)
	fmt.Fprintf(&b, " hdrwidth=%s valwidth=%s dates=%s people=%d shared-phone=%d rows=%d maxloans=%d hint=%s",
		k.HdrWidth, k.ValWidth, k.DateFmt, k.People, k.Shared, k.Rows, k.MaxLoans, k.Hint)
	if k.BlockSep != "" {
		fmt.Fprintf(&b, " blocksep=%s", k.BlockSep)
	}
	if k.Preamble != "" {
		fmt.Fprintf(&b, " preamble=%s", k.Preamble)
	}
	if k.LibPhone {
		b.WriteString(" libphone")
	}
	fmt.Fprintf(&b, " file=%s cols=[%s]", k.FileName, strings.Join(k.Columns, ","))
	if len(k.Headers) > 0 {
		fmt.Fprintf(&b, " headers=[%s]", strings.Join(k.Headers, ","))
	}
	return b.String()
}

// Random generates the file of seed. The same seed always gives the same
// file.
func Random(seed uint64) RandomFile {
	r := rand.New(rand.NewPCG(seed, 0x72616e64)) // "rand"
	g := &rgen{r: r, k: Knobs{}}
	// How phone numbers and addresses are written comes from a stream of
	// its own, so that adding such knobs leaves every other choice of a
	// seed as it was.
	vr := rand.New(rand.NewPCG(seed, 0x76616c73)) // "vals"
	g.k.Phones = pickW(vr, []string{"hyphen", "paren", "bare"}, []int{14, 3, 3})
	g.k.Address = pickW(vr, []string{"hyphen", "chome"}, []int{7, 3})
	g.k.Kind = pickW(r, []string{"overdue", "hold", "history", "registry", "contact", "single",
		"staff", "catalogue", "libphones", "wordlist", "dummy"},
		[]int{18, 12, 10, 10, 12, 6, 6, 6, 5, 5, 6})
	g.k.Encoding = pickW(r, []string{"utf-8", "utf-8-bom", "cp932", "euc-jp", "utf-16le-bom"}, []int{3, 2, 3, 2, 2})
	g.k.EOL = pick(r, []string{"lf", "crlf"})
	g.k.HdrWidth = pickW(r, []string{"half", "full", "halfkana"}, []int{4, 2, 1})
	g.k.ValWidth = pickW(r, []string{"half", "full"}, []int{4, 1})
	g.k.DateFmt = pickW(r, []string{"slash", "iso", "kanji", "wareki"}, []int{4, 3, 2, 1})
	g.listDay = randDate(r, date(2005, 1, 1), date(2024, 12, 31))
	var text string
	var t Truth
	switch g.k.Kind {
	case "overdue", "hold", "history":
		text, t = g.loans()
	case "registry":
		text, t = g.registry()
	case "contact", "single":
		text, t = g.contacts()
	case "staff":
		text, t = g.staff()
	case "catalogue":
		text, t = g.catalogue()
	case "libphones":
		text, t = g.libPhones()
	case "wordlist":
		text, t = g.wordList()
	case "dummy":
		text, t = g.dummy()
	}
	if (g.k.Encoding == "cp932" || g.k.Encoding == "euc-jp") && chance(r, 8) {
		text = g.asciiPreamble() + text
	}
	if g.k.EOL == "crlf" {
		text = strings.ReplaceAll(text, "\n", "\r\n")
	}
	var data []byte
	switch g.k.Encoding {
	case "utf-8":
		data, t.Encoding = []byte(text), EncUTF8
	case "utf-8-bom":
		data, t.Encoding = []byte("\ufeff"+text), EncUTF8
	case "cp932":
		data, t.Encoding = sjis(text), EncShiftJIS
	case "euc-jp":
		data, t.Encoding = eucjp(text), EncEUCJP
	case "utf-16le-bom":
		data, t.Encoding = utf16le("\ufeff"+text), EncUTF16LE
	}
	if g.k.FileName == "" {
		g.k.FileName = g.fileName("")
	}
	return RandomFile{Seed: seed, Name: g.k.FileName, Data: data, Knobs: g.k, Truth: t}
}

// rgen is the state of one Random call.
type rgen struct {
	r       *rand.Rand
	k       Knobs
	listDay time.Time
}

func pick[T any](r *rand.Rand, l []T) T { return l[r.IntN(len(l))] }

func pickW(r *rand.Rand, l []string, w []int) string {
	sum := 0
	for _, x := range w {
		sum += x
	}
	n := r.IntN(sum)
	for i, x := range w {
		if n < x {
			return l[i]
		}
		n -= x
	}
	return l[len(l)-1]
}

func chance(r *rand.Rand, pct int) bool { return r.IntN(100) < pct }

// headerSyn are the header words by field id; one is drawn per file.
var headerSyn = map[string][]string{
	"id":         {"利用者番号", "利用者ID", "カード番号", "利用者No"},
	"name":       {"氏名", "名前", "利用者名", "お名前", "NAME"},
	"staffname":  {"氏名", "名前", "職員名", "担当者", "NAME"}, // 利用者名 would make them patrons
	"sei":        {"姓", "氏"},
	"mei":        {"名"},
	"kana":       {"フリガナ", "カナ氏名", "ヨミ", "ふりがな"},
	"seikana":    {"セイ"},
	"meikana":    {"メイ"},
	"phone":      {"電話番号", "電話", "TEL", "連絡先"},
	"address":    {"住所", "現住所", "ADDRESS"},
	"postal":     {"郵便番号", "〒"},
	"email":      {"メールアドレス", "E-MAIL", "メール"},
	"title":      {"書名", "資料名", "タイトル"},
	"due":        {"返却期限", "返却予定日", "期限日"},
	"lent":       {"貸出日", "貸出年月日"},
	"late":       {"延滞日数"},
	"reserved":   {"予約日"},
	"pickup":     {"取置期限"},
	"holdno":     {"予約番号"},
	"branch":     {"受取館"},
	"lendbranch": {"貸出館", "貸出場所"},
	"returned":   {"返却日", "返却年月日"},
	"birth":      {"生年月日", "誕生日"},
	"registered": {"登録日", "登録年月日"},
	"gender":     {"性別"},
	"mynumber":   {"個人番号", "マイナンバー"},
	"ext":        {"内線"},
	"updated":    {"更新日"},
	"dept":       {"所属", "部署"},
	"author":     {"著者名", "著者"},
	"publisher":  {"出版者", "出版社"},
	"isbn":       {"ISBN"},
	"year":       {"出版年"},
	"fax":        {"FAX"},
	"deptname":   {"部署名", "館名"},
}

// Words that name a list where no header does (titles of print files).
var listTitles = map[string][]string{
	"overdue":  {"延滞者一覧表", "督促対象者一覧", "返却督促リスト", "延滞資料一覧"},
	"hold":     {"予約取置一覧", "予約連絡リスト", "取置資料一覧"},
	"registry": {"利用者名簿", "利用者登録台帳"},
}

var hintNames = map[string][]string{
	"overdue":  {"entai", "tokusoku", "延滞", "督促"},
	"hold":     {"yoyaku", "torioki", "予約"},
	"history":  {"kashidashi_rireki", "loan_history"},
	"registry": {"riyosha", "patron_master"},
	"contact":  {"renraku", "meibo"},
}

// fileName returns a neutral name, or one hinting at the kind when hint
// is set.
func (g *rgen) fileName(hint string) string {
	ext := ".txt"
	switch g.k.Layout {
	case "csv", "csv-quoted", "csv-noheader", "dict-mecab":
		ext = ".csv"
	case "tsv":
		ext = pick(g.r, []string{".tsv", ".txt"})
	case "fixed", "fixed-noheader", "blocks":
		ext = pick(g.r, []string{".txt", ".prn", ".lst"})
	case "dict-skk", "dict-anthy":
		ext = pick(g.r, []string{".dic", ".txt"})
	}
	base := pick(g.r, []string{"export", "list", "data", "output", "file", "out"})
	if hint != "" {
		base = hint
	}
	return fmt.Sprintf("%s_%04d%s", base, g.r.IntN(10000), ext)
}

// chooseFileName picks the file name: for a named kind now and then one
// that hints at it (always when the hint knob says so).
func (g *rgen) chooseFileName(force bool) {
	h := ""
	if l, ok := hintNames[g.k.Kind]; ok && (force || chance(g.r, 25)) {
		h = pick(g.r, l)
	}
	g.k.FileName = g.fileName(h)
}

// ---- people ----

var (
	outsideOnce = sync.OnceValues(outsideNames)
)

// outsideNames returns IPAdic surnames and given names that the samples'
// own tables do not hold, each encodable in CP932 and EUC-JP.
func outsideNames() (sur, given []nameEntry) {
	own := map[string]bool{}
	for _, l := range [][]nameEntry{surnames, maleNames, femaleNames, rareSurnames} {
		for _, e := range l {
			own[e.kanji] = true
		}
	}
	load := func(file string, minLen, maxLen int) []nameEntry {
		var out []nameEntry
		for _, l := range patterns.Lines(file) {
			s, k, ok := strings.Cut(l, "\t")
			if !ok || own[s] || !allHan(s) || !encodable(s) {
				continue
			}
			n := utf8.RuneCountInString(s)
			if n < minLen || n > maxLen || utf8.RuneCountInString(k) < 2 || !allKatakana(k) {
				continue
			}
			out = append(out, nameEntry{kanji: s, kana: k})
		}
		return out
	}
	return load("surnames.txt", 2, 3), load("given_names.txt", 1, 3)
}

func allHan(s string) bool {
	for _, c := range s {
		if !unicode.Is(unicode.Han, c) {
			return false
		}
	}
	return s != ""
}

func allKatakana(s string) bool {
	for _, c := range s {
		if !unicode.Is(unicode.Katakana, c) && c != 'ー' {
			return false
		}
	}
	return true
}

// encodable reports whether s survives CP932 and EUC-JP.
func encodable(s string) bool {
	if _, err := japanese.ShiftJIS.NewEncoder().String(s); err != nil {
		return false
	}
	_, err := japanese.EUCJP.NewEncoder().String(s)
	return err == nil
}

// outsidePairs build surnames from two kanji; a compound found in any
// name table is left out, so what remains is in none.
var outsideFirst = []nameEntry{
	{kanji: "鬼", kana: "オニ"}, {kanji: "鰐", kana: "ワニ"}, {kanji: "鷲", kana: "ワシ"},
	{kanji: "鶴", kana: "ツル"}, {kanji: "鷹", kana: "タカ"}, {kanji: "蔦", kana: "ツタ"},
	{kanji: "榊", kana: "サカキ"}, {kanji: "樫", kana: "カシ"}, {kanji: "楠", kana: "クス"},
	{kanji: "槙", kana: "マキ"}, {kanji: "桐", kana: "キリ"}, {kanji: "萩", kana: "ハギ"},
	{kanji: "蕗", kana: "フキ"}, {kanji: "葵", kana: "アオイ"}, {kanji: "蓬", kana: "ヨモギ"},
	{kanji: "椿", kana: "ツバキ"}, {kanji: "柊", kana: "ヒイラギ"}, {kanji: "楢", kana: "ナラ"},
	{kanji: "鴨", kana: "カモ"}, {kanji: "雉", kana: "キジ"}, {kanji: "鮫", kana: "サメ"},
	{kanji: "鯨", kana: "クジラ"}, {kanji: "霞", kana: "カスミ"}, {kanji: "雫", kana: "シズク"},
}

var outsideSecond = []nameEntry{
	{kanji: "頭", kana: "ガシラ"}, {kanji: "淵", kana: "ブチ"}, {kanji: "瀬", kana: "セ"},
	{kanji: "沢", kana: "サワ"}, {kanji: "谷", kana: "ダニ"}, {kanji: "畑", kana: "バタ"},
	{kanji: "垣", kana: "ガキ"}, {kanji: "塚", kana: "ヅカ"}, {kanji: "原", kana: "ハラ"},
	{kanji: "島", kana: "ジマ"}, {kanji: "江", kana: "エ"}, {kanji: "浦", kana: "ウラ"},
	{kanji: "堂", kana: "ドウ"}, {kanji: "尾", kana: "オ"}, {kanji: "窪", kana: "クボ"},
	{kanji: "岬", kana: "ミサキ"}, {kanji: "館", kana: "ダテ"}, {kanji: "門", kana: "カド"},
}

var outsideComposedOnce = sync.OnceValue(func() []nameEntry {
	known := map[string]bool{}
	for _, f := range []string{"surnames.txt", "given_names.txt"} {
		for _, l := range patterns.Lines(f) {
			s, _, _ := strings.Cut(l, "\t")
			known[s] = true
		}
	}
	for _, l := range [][]nameEntry{surnames, maleNames, femaleNames, rareSurnames} {
		for _, e := range l {
			known[e.kanji] = true
		}
	}
	var out []nameEntry
	for _, a := range outsideFirst {
		for _, b := range outsideSecond {
			s := a.kanji + b.kanji
			if !known[s] && encodable(s) {
				out = append(out, nameEntry{kanji: s, kana: a.kana + b.kana})
			}
		}
	}
	return out
})

// outsideSurnames returns the composed surnames of Knobs.Names "outside"
// (for tests: none is in any name table).
func outsideSurnames() []string {
	var out []string
	for _, e := range outsideComposedOnce() {
		out = append(out, e.kanji)
	}
	return out
}

// commonReal are common real names that are also on the dummy-name list
// or look like it; with real-looking numbers they are people, not test data.
var commonReal = [][2]nameEntry{
	{{kanji: "鈴木", kana: "スズキ"}, {kanji: "一郎", kana: "イチロウ"}},
	{{kanji: "佐藤", kana: "サトウ"}, {kanji: "花子", kana: "ハナコ"}},
	{{kanji: "田中", kana: "タナカ"}, {kanji: "太郎", kana: "タロウ"}},
}

// people returns n synthetic people with distinct names, named after the
// Names knob.
func (g *rgen) people(n int) []*person {
	r := g.r
	ps := population(r, n, nil)
	switch g.k.Names {
	case "ipadic", "outside":
		sur, given := outsideOnce()
		if g.k.Names == "outside" {
			sur = outsideComposedOnce()
		}
		bySei := map[string]nameEntry{}
		for _, p := range ps {
			s, ok := bySei[p.sei.kanji]
			if !ok {
				s = pick(r, sur)
				bySei[p.sei.kanji] = s
			}
			p.sei = s
			if g.k.Names == "ipadic" {
				p.mei = pick(r, given)
			}
		}
	case "common":
		// Random people, not the first ones: population puts a household's
		// members side by side.
		idx := r.Perm(len(ps))
		for i, c := range commonReal {
			if i < len(ps) && chance(r, 70) {
				ps[idx[i]].sei, ps[idx[i]].mei = c[0], c[1]
			}
		}
	}
	// Distinct full names: two people of one list never share a name here,
	// so that a correct count does not hinge on telling namesakes apart.
	seen := map[string]bool{}
	out := ps[:0]
	for _, p := range ps {
		if seen[p.name("")] || seen[p.kana("")] {
			continue
		}
		seen[p.name("")], seen[p.kana("")] = true, true
		out = append(out, p)
	}
	if len(out) == 0 {
		out = ps[:1]
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	phones := map[string]int{}
	for _, p := range out {
		phones[p.phone]++
	}
	g.k.Shared = 0
	for _, p := range out {
		if phones[p.phone] > 1 {
			g.k.Shared++
		}
	}
	return out
}

// chooseNames sets the Names, Script and NameSep knobs.
func (g *rgen) chooseNames(allowCommon bool) {
	r := g.r
	names := []string{"population", "ipadic", "outside"}
	w := []int{4, 3, 3}
	if allowCommon {
		names, w = append(names, "common"), append(w, 2)
	}
	g.k.Names = pickW(r, names, w)
	g.k.Script = pickW(r, []string{"kanji", "katakana", "halfkana"}, []int{6, 2, 2})
	g.k.NameSep = pickW(r, []string{"space", "ideographic", "none"}, []int{2, 2, 1})
}

func (g *rgen) sep(which string) string {
	switch which {
	case "space":
		return " "
	case "ideographic":
		if g.k.Script == "halfkana" {
			return " "
		}
		return "\u3000"
	}
	return ""
}

// fullName writes p's name in the file's script with separator sep.
func (g *rgen) fullName(p *person, sep string) string {
	switch g.k.Script {
	case "katakana":
		return p.kana(sep)
	case "halfkana":
		return halfKana(p.kana(sep))
	}
	return p.name(sep)
}

// nameParts returns surname and given name in the file's script.
func (g *rgen) nameParts(p *person) (string, string) {
	switch g.k.Script {
	case "katakana":
		return p.sei.kana, p.mei.kana
	case "halfkana":
		return halfKana(p.sei.kana), halfKana(p.mei.kana)
	}
	return p.sei.kanji, p.mei.kanji
}

// ---- values ----

func (g *rgen) val(s string) string {
	if g.k.ValWidth == "full" {
		return width.Widen.String(s)
	}
	return s
}

func (g *rgen) date(t time.Time) string {
	switch g.k.DateFmt {
	case "iso":
		return g.val(isoDate(t))
	case "kanji":
		return g.val(fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day()))
	case "wareki":
		return g.val(warekiLong(t))
	}
	return g.val(ymd(t))
}

func (g *rgen) header(field string) string {
	h := pick(g.r, headerSyn[field])
	switch g.k.HdrWidth {
	case "full":
		h = width.Widen.String(h)
	case "halfkana":
		h = halfKana(h)
	}
	return h
}

// ---- layouts ----

// table renders headers (nil: none) and rows in the Layout knob.
func (g *rgen) table(headers []string, rows [][]string) string {
	var b strings.Builder
	switch g.k.Layout {
	case "csv", "csv-noheader":
		q := func(c string) string {
			if strings.ContainsAny(c, ",\"") {
				return `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			return c
		}
		for _, row := range append(nonNil(headers), rows...) {
			cells := make([]string, len(row))
			for i, c := range row {
				cells[i] = q(c)
			}
			b.WriteString(strings.Join(cells, ",") + "\n")
		}
	case "csv-quoted":
		for _, row := range append(nonNil(headers), rows...) {
			cells := make([]string, len(row))
			for i, c := range row {
				cells[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(strings.Join(cells, ",") + "\n")
		}
	case "tsv":
		for _, row := range append(nonNil(headers), rows...) {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
	case "fixed", "fixed-noheader":
		all := append(nonNil(headers), rows...)
		w := make([]int, len(all[0]))
		for _, row := range all {
			for i, c := range row {
				w[i] = max(w[i], dispWidth(c)+2)
			}
		}
		line := func(row []string) string {
			var lb strings.Builder
			for i, c := range row {
				lb.WriteString(padRight(c, w[i]))
			}
			return strings.TrimRight(lb.String(), " ")
		}
		total := 0
		for _, x := range w {
			total += x
		}
		if headers != nil {
			b.WriteString(line(headers) + "\n")
			b.WriteString(strings.Repeat("-", total) + "\n")
		}
		perPage := 15 + g.r.IntN(20)
		for i, row := range rows {
			if headers == nil && i > 0 && i%perPage == 0 && chance(g.r, 50) {
				b.WriteString("\f")
			}
			b.WriteString(line(row) + "\n")
		}
	}
	return b.String()
}

func nonNil(h []string) [][]string {
	if h == nil {
		return nil
	}
	return [][]string{h}
}

// blockSep returns the text between two blocks (one choice per file).
func (g *rgen) blockSep() string {
	switch g.k.BlockSep {
	case "rule":
		return pick(g.r, []string{strings.Repeat("-", 60), strings.Repeat("─", 30), strings.Repeat("=", 60)}) + "\n"
	case "formfeed":
		return "\f"
	}
	return "\n\n"
}

// asciiPreamble is a batch job's ASCII log, a little over 64 KiB, that
// an export writes before its rows: the bytes after it are CP932 or
// EUC-JP, so an encoding guessed from the first 64 KiB is wrong.
func (g *rgen) asciiPreamble() string {
	r := g.r
	var b strings.Builder
	size := 66000 + r.IntN(8000)
	t := g.listDay.Add(2 * time.Hour)
	for i := 0; b.Len() < size; i++ {
		t = t.Add(time.Duration(1+r.IntN(900)) * time.Millisecond)
		fmt.Fprintf(&b, "%s INFO  [export-%d] step %d: read %d records, %d skipped, checksum %08x\n",
			t.Format("2006-01-02 15:04:05.000"), 1+r.IntN(4), i, r.IntN(5000), r.IntN(3), r.Uint32())
	}
	b.WriteString(t.Format("2006-01-02 15:04:05.000") + " INFO  [export-1] writing list\n")
	g.k.Preamble = fmt.Sprintf("ascii-%dk", b.Len()/1024)
	return b.String()
}

// phone writes p's number in the Phones style.
func (g *rgen) phone(p *person) string {
	parts := strings.Split(p.phone, "-")
	switch {
	case g.k.Phones == "bare":
		return strings.Join(parts, "")
	case g.k.Phones == "paren" && len(parts) == 3:
		if strings.HasPrefix(p.phone, "0") && len(parts[0]) > 3 {
			return parts[0] + "(" + parts[1] + ")" + parts[2] // 0564(23)4567
		}
		return "(" + parts[0] + ")" + parts[1] + "-" + parts[2] // (090)1234-5678
	}
	return p.phone
}

// address writes p's address in the Address style: 2-14-3 or 2丁目14番3号
// (番地 addresses stay as they are).
func (g *rgen) address(p *person) string {
	a := p.address()
	if g.k.Address != "chome" {
		return a
	}
	n := strings.Split(p.block, "-")
	if len(n) != 3 {
		return a
	}
	return strings.Replace(a, p.block, n[0]+"丁目"+n[1]+"番"+n[2]+"号", 1)
}
