package samples

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rouei/rouei/patterns"
)

// rloan is one row's loan, hold or return.
type rloan struct {
	title                                 string
	lent, due, returned, reserved, pickup time.Time
	holdNo, branch                        string
}

// cell is the value of field for person p and loan l, the name written
// with separator sep.
func (g *rgen) cell(field string, p *person, l rloan, sep string) string {
	switch field {
	case "id":
		return g.val(p.patronID)
	case "name":
		return g.fullName(p, sep)
	case "sei":
		s, _ := g.nameParts(p)
		return s
	case "mei":
		_, m := g.nameParts(p)
		return m
	case "kana":
		if g.k.Script == "halfkana" || g.k.ValWidth == "full" && g.r.IntN(2) == 0 {
			return halfKana(p.kana(" "))
		}
		return p.kana(g.sep(pick(g.r, []string{"space", "ideographic"})))
	case "seikana":
		return p.sei.kana
	case "meikana":
		return p.mei.kana
	case "phone":
		return g.val(g.phone(p))
	case "address":
		a := g.address(p)
		if g.k.Layout == "csv-quoted" {
			a = strings.ReplaceAll(a, " ", ", ") // a comma inside the quotes
		}
		return g.val(a)
	case "postal":
		return g.val(p.postal)
	case "email":
		return p.email
	case "title":
		return l.title
	case "due":
		return g.date(l.due)
	case "lent":
		return g.date(l.lent)
	case "late":
		return g.val(strconv.Itoa(int(g.listDay.Sub(l.due).Hours() / 24)))
	case "reserved":
		return g.date(l.reserved)
	case "pickup":
		return g.date(l.pickup)
	case "holdno":
		return g.val(l.holdNo)
	case "branch", "lendbranch":
		return l.branch
	case "returned":
		return g.date(l.returned)
	case "birth":
		return g.date(p.birth)
	case "registered":
		return g.date(l.lent)
	case "mynumber":
		return g.val(p.myNumber)
	case "gender":
		if p.male {
			return "男"
		}
		return "女"
	}
	panic("samples: random: no field " + field)
}

// nameFields returns the name columns: one, or 姓/名 split.
func (g *rgen) nameFields() []string {
	if g.k.Split {
		return []string{"sei", "mei"}
	}
	return []string{"name"}
}

// shuffleCols puts the columns in a random order; 姓 and 名 (and セイ
// and メイ) stay side by side in that order, as every export writes them.
func (g *rgen) shuffleCols(cols []string) []string {
	var units [][]string
	for i := 0; i < len(cols); i++ {
		if i+1 < len(cols) && (cols[i] == "sei" && cols[i+1] == "mei" || cols[i] == "seikana" && cols[i+1] == "meikana") {
			units = append(units, cols[i:i+2])
			i++
			continue
		}
		units = append(units, cols[i:i+1])
	}
	g.r.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
	return slices.Concat(units...)
}

func (g *rgen) headersFor(cols []string) []string {
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = g.header(c)
	}
	return h
}

func (g *rgen) newLoan(title string) rloan {
	r := g.r
	due := g.listDay.AddDate(0, 0, -1-r.IntN(60))
	res := g.listDay.AddDate(0, 0, -r.IntN(14))
	return rloan{
		title: title, due: due, lent: due.AddDate(0, 0, -14), returned: due.AddDate(0, 0, -r.IntN(12)),
		reserved: res, pickup: res.AddDate(0, 0, 7+r.IntN(8)),
		holdNo: fmt.Sprintf("Y%d-%06d", res.Year(), r.IntN(1000000)), branch: pick(r, branches),
	}
}

// loans: overdue lists, hold lists and loan histories.
func (g *rgen) loans() (string, Truth) {
	r, k := g.r, &g.k
	switch k.Kind {
	case "history":
		k.Layout = pickW(r, []string{"csv", "csv-quoted", "tsv", "fixed"}, []int{3, 2, 2, 2})
	default:
		k.Layout = pickW(r, []string{"csv", "csv-quoted", "tsv", "fixed", "csv-noheader", "fixed-noheader", "blocks"},
			[]int{3, 2, 2, 2, 2, 3, 3})
	}
	g.chooseNames(k.Kind == "overdue")
	k.Split = k.Layout != "blocks" && chance(r, 20)
	people := g.people(5 + r.IntN(26))
	k.People = len(people)
	k.MaxLoans = 1 + r.IntN(3)

	var cols []string
	add := func(pct int, f ...string) {
		if chance(r, pct) {
			cols = append(cols, f...)
		}
	}
	switch k.Kind {
	case "overdue":
		add(80, "id")
		cols = append(cols, g.nameFields()...)
		if k.Script == "kanji" {
			add(40, "kana")
		}
		add(70, "phone")
		add(25, "address")
		if slices.Contains(cols, "address") {
			add(50, "postal")
		}
		cols = append(cols, "title")
		add(50, "lent")
		cols = append(cols, "due")
		add(40, "late")
	case "hold":
		add(40, "holdno")
		add(70, "reserved")
		add(80, "id")
		cols = append(cols, g.nameFields()...)
		add(70, "phone")
		cols = append(cols, "title")
		if !slices.Contains(cols, "reserved") || chance(r, 70) {
			cols = append(cols, "pickup")
		}
		add(50, "branch")
	case "history":
		add(85, "id")
		cols = append(cols, g.nameFields()...)
		if k.Script == "kanji" {
			add(40, "kana")
		}
		cols = append(cols, "title", "lent", "returned")
		add(40, "lendbranch") // 貸出館: 受取館 is where a hold is collected
	}
	if k.Layout != "blocks" && chance(r, 70) {
		cols = g.shuffleCols(cols)
	}
	k.Columns = cols
	keyed := slices.Contains(cols, "id") || slices.Contains(cols, "phone")
	k.Dup = keyed && k.MaxLoans > 1 && k.Layout != "blocks" && !k.Split && chance(r, 50)
	if k.Dup {
		k.NameSep = "mixed"
	}

	type row struct {
		p *person
		l rloan
		i int // the row's number within its person
	}
	var rows []row
	for _, p := range people {
		for i, t := range titles(r, 1+r.IntN(k.MaxLoans)) {
			rows = append(rows, row{p, g.newLoan(t), i})
		}
	}
	shuffled := chance(r, 30)
	if shuffled {
		r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	}
	k.Rows = len(rows)
	spell := []string{"space", "ideographic", "none"}
	off := r.IntN(3)
	nameSep := func(rw row) string {
		if k.Dup {
			return g.sep(spell[(rw.i+off)%3])
		}
		return g.sep(k.NameSep)
	}

	class := map[string]string{"overdue": "overdue_list", "hold": "hold_list", "history": "loan_record"}[k.Kind]
	t := Truth{Classification: class, MinSeverity: "critical", MaxSeverity: "critical", Persons: len(people)}

	if k.Layout == "blocks" {
		loans := map[*person][]rloan{}
		for _, rw := range rows {
			loans[rw.p] = append(loans[rw.p], rw.l)
		}
		return g.loanBlocks(people, loans), t
	}
	var cells [][]string
	for _, rw := range rows {
		line := make([]string, len(cols))
		for i, c := range cols {
			line[i] = g.cell(c, rw.p, rw.l, nameSep(rw))
		}
		cells = append(cells, line)
	}
	var b strings.Builder
	var headers []string
	switch k.Layout {
	case "csv-noheader", "fixed-noheader":
		k.Hint = pick(r, []string{"title", "filename"})
		if k.Hint == "title" {
			b.WriteString(g.titleLine())
		}
	default:
		headers = g.headersFor(cols)
		k.Headers = headers
		k.Hint = "none"
	}
	b.WriteString(g.table(headers, cells))
	g.chooseFileName(k.Hint == "filename")
	if shuffled {
		k.Hint += "+shuffled"
	}
	return b.String(), t
}

// titleLine is the title of a headerless print file: the list's name,
// the library and the day.
func (g *rgen) titleLine() string {
	t := pick(g.r, listTitles[g.k.Kind])
	switch g.r.IntN(4) {
	case 0:
		return t + "\n"
	case 1:
		return fmt.Sprintf("%s%s  %s  基準日 %s\n\n", strings.Repeat(" ", 20), t, libraryName, ymd(g.listDay))
	case 2:
		g.k.LibPhone = true
		return fmt.Sprintf("%s  %s（TEL %s）  %s\n\n", t, libraryName, libraryPhone, ymd(g.listDay))
	}
	return fmt.Sprintf("*** %s (%s) ***\n", t, ymd(g.listDay))
}

// loanBlocks writes one reminder or notice per person: 〒, address,
// 「氏名 様」, the patron number, and the books with their dates.
func (g *rgen) loanBlocks(people []*person, loans map[*person][]rloan) string {
	r, k := g.r, &g.k
	k.BlockSep = pick(r, []string{"blank", "rule", "formfeed"})
	k.Hint = "words"
	withAddr, withID, withTel := chance(r, 75), chance(r, 60), chance(r, 40)
	k.Columns = nil
	if withAddr {
		k.Columns = append(k.Columns, "postal", "address")
	}
	k.Columns = append(k.Columns, "name")
	if withID {
		k.Columns = append(k.Columns, "id")
	}
	if withTel {
		k.Columns = append(k.Columns, "phone")
	}
	var heading, body, dateLabel string
	if k.Kind == "overdue" {
		k.Columns = append(k.Columns, "title", "due")
		heading = pick(r, []string{"図書返却のお願い", "督促状", "延滞資料のお知らせ", "返却のお願い（督促）"})
		body = pick(r, []string{"下記の資料の返却期限が過ぎております。至急ご返却ください。",
			"お借りになった資料が延滞しています。お早めにご返却をお願いします。"})
		dateLabel = pick(r, headerSyn["due"])
	} else {
		k.Columns = append(k.Columns, "title", "pickup")
		heading = pick(r, []string{"予約資料のご用意ができました", "予約連絡票", "予約資料取置のお知らせ"})
		body = "ご予約の資料をご用意しました。取置期限までにカウンターでお受け取りください。"
		dateLabel = "取置期限"
	}
	hon := pick(r, []string{"\u3000様", " 様", "様", " 殿"})
	libTel := chance(r, 50)
	k.LibPhone = libTel
	sep := g.blockSep()
	var b strings.Builder
	for i, p := range people {
		if i > 0 {
			b.WriteString(sep)
		}
		if withAddr {
			b.WriteString("〒" + g.val(p.postal) + "\n")
			b.WriteString(g.val(g.address(p)) + "\n")
		}
		b.WriteString(g.fullName(p, g.sep(k.NameSep)) + hon + "\n")
		if withID {
			b.WriteString(padLeft(pick(r, headerSyn["id"])+"："+g.val(p.patronID), 60) + "\n")
		}
		if withTel {
			b.WriteString("TEL " + g.val(g.phone(p)) + "\n")
		}
		b.WriteString("\n" + strings.Repeat(" ", 16) + heading + "\n\n" + body + "\n\n")
		b.WriteString("  " + padRight("書名", 30) + dateLabel + "\n")
		for _, l := range loans[p] {
			d := l.due
			if k.Kind == "hold" {
				d = l.pickup
			}
			b.WriteString("  " + padRight(l.title, 30) + g.date(d) + "\n")
		}
		b.WriteString("\n" + strings.Repeat(" ", 30) + libraryName + "\n")
		if libTel {
			b.WriteString(strings.Repeat(" ", 30) + "TEL " + g.val(libraryPhone) + "（貸出係）\n")
		}
	}
	k.Rows = len(people)
	g.chooseFileName(false)
	return b.String()
}

// registry: a patron registry with birth dates, in a table or as
// labelled blocks (利用者番号：…).
func (g *rgen) registry() (string, Truth) {
	r, k := g.r, &g.k
	k.Layout = pickW(r, []string{"csv", "csv-quoted", "tsv", "fixed", "blocks"}, []int{3, 2, 2, 2, 2})
	g.chooseNames(false)
	k.Split = chance(r, 25)
	people := g.people(5 + r.IntN(26))
	k.People, k.Rows = len(people), len(people)
	cols := []string{"id"}
	cols = append(cols, g.nameFields()...)
	if k.Script == "kanji" && chance(r, 60) {
		if k.Split && chance(r, 50) {
			cols = append(cols, "seikana", "meikana")
		} else {
			cols = append(cols, "kana")
		}
	}
	cols = append(cols, "birth")
	for _, f := range []struct {
		f   string
		pct int
	}{{"gender", 30}, {"postal", 50}, {"address", 80}, {"phone", 80}, {"email", 30}, {"registered", 50}, {"mynumber", 15}} {
		if chance(r, f.pct) {
			cols = append(cols, f.f)
		}
	}
	if chance(r, 60) {
		cols = g.shuffleCols(cols)
	}
	k.Columns = cols
	t := Truth{Classification: "patron_registry", MinSeverity: "critical", MaxSeverity: "critical", Persons: len(people)}
	var rows [][]string
	for _, p := range people {
		l := g.newLoan("")
		l.lent = randDate(r, date(1995, 1, 1), g.listDay)
		line := make([]string, len(cols))
		for i, c := range cols {
			line[i] = g.cell(c, p, l, g.sep(k.NameSep))
		}
		rows = append(rows, line)
	}
	headers := g.headersFor(cols)
	k.Headers = headers
	k.Hint = "none"
	if k.Layout == "blocks" {
		k.BlockSep = pick(r, []string{"blank", "rule", "formfeed"})
		colon := pick(r, []string{"：", ": ", "\t", "　"})
		sep := g.blockSep()
		var b strings.Builder
		if chance(r, 50) {
			b.WriteString(g.titleLine() + "\n")
		}
		for i, row := range rows {
			if i > 0 {
				b.WriteString(sep)
			}
			for j, c := range row {
				b.WriteString(headers[j] + colon + c + "\n")
			}
		}
		g.chooseFileName(false)
		return b.String(), t
	}
	g.chooseFileName(false)
	return g.table(headers, rows), t
}

// contacts: a contact list of 5–30 people, or one person's contact data.
func (g *rgen) contacts() (string, Truth) {
	r, k := g.r, &g.k
	n := 1
	if k.Kind == "contact" {
		n = 5 + r.IntN(26)
		k.Layout = pickW(r, []string{"csv", "csv-quoted", "tsv", "fixed", "csv-noheader", "fixed-noheader", "blocks"},
			[]int{3, 2, 2, 2, 2, 2, 2})
	} else {
		k.Layout = pickW(r, []string{"csv", "tsv", "fixed", "blocks"}, []int{2, 1, 1, 3})
	}
	g.chooseNames(true)
	k.Split = k.Layout != "blocks" && chance(r, 20)
	people := g.people(n)
	k.People, k.Rows = len(people), len(people)
	cols := g.nameFields()
	if k.Script == "kanji" && chance(r, 40) {
		cols = append(cols, "kana")
	}
	hasPhone := chance(r, 85) || strings.HasSuffix(k.Layout, "noheader")
	if hasPhone {
		cols = append(cols, "phone")
	}
	if chance(r, 60) || !hasPhone || k.Layout == "blocks" {
		if chance(r, 50) || k.Layout == "blocks" {
			cols = append(cols, "postal")
		}
		cols = append(cols, "address")
	}
	if chance(r, 40) {
		cols = append(cols, "email")
	}
	if k.Layout != "blocks" && chance(r, 60) {
		cols = g.shuffleCols(cols)
	}
	k.Columns = cols
	t := Truth{Classification: "contact_list", MinSeverity: "high", MaxSeverity: "high", Persons: len(people)}
	if len(people) == 1 {
		t.MinSeverity, t.MaxSeverity = "medium", "medium"
	}
	if k.Layout == "blocks" {
		k.BlockSep = pick(r, []string{"blank", "rule", "formfeed"})
		k.Hint = "none"
		k.Columns = []string{"postal", "address", "name"}
		if hasPhone {
			k.Columns = append(k.Columns, "phone")
		}
		if slices.Contains(cols, "email") {
			k.Columns = append(k.Columns, "email")
		}
		hon := pick(r, []string{"\u3000様", " 様", "様"})
		labelled := chance(r, 40)
		if labelled {
			k.Hint = "labels"
		}
		sep := g.blockSep()
		var b strings.Builder
		for i, p := range people {
			if i > 0 {
				b.WriteString(sep)
			}
			if labelled {
				b.WriteString(pick(r, headerSyn["name"]) + "：" + g.fullName(p, g.sep(k.NameSep)) + "\n")
				b.WriteString("住所：〒" + g.val(p.postal) + " " + g.val(g.address(p)) + "\n")
				if hasPhone {
					b.WriteString(pick(r, []string{"電話", "TEL", "電話番号"}) + "：" + g.val(g.phone(p)) + "\n")
				}
			} else {
				b.WriteString("〒" + g.val(p.postal) + "\n" + g.val(g.address(p)) + "\n")
				b.WriteString(g.fullName(p, g.sep(k.NameSep)) + hon + "\n")
				if hasPhone {
					b.WriteString("TEL " + g.val(g.phone(p)) + "\n")
				}
			}
			if slices.Contains(cols, "email") && p.email != "" {
				b.WriteString(p.email + "\n")
			}
			if n == 1 {
				// A letter: its own date in 和暦 is not anyone's birth date.
				b.WriteString("\n" + padLeft(warekiLong(g.listDay), 50) + "\n" +
					"いつも" + libraryName + "をご利用いただきありがとうございます。\n" +
					"ご登録の連絡先を確認させていただきました。\n")
			}
		}
		g.chooseFileName(false)
		return b.String(), t
	}
	var rows [][]string
	for _, p := range people {
		line := make([]string, len(cols))
		for i, c := range cols {
			line[i] = g.cell(c, p, rloan{}, g.sep(k.NameSep))
		}
		rows = append(rows, line)
	}
	var headers []string
	k.Hint = "none"
	if !strings.HasSuffix(k.Layout, "noheader") {
		headers = g.headersFor(cols)
		k.Headers = headers
	}
	g.chooseFileName(false)
	return g.table(headers, rows), t
}

// negativeLayout is the layout of a headed look-alike.
func (g *rgen) negativeLayout() {
	g.k.Layout = pickW(g.r, []string{"csv", "csv-quoted", "tsv", "fixed"}, []int{3, 2, 2, 2})
	g.k.Hint = "none"
}

// staff: 氏名,内線,更新日 (and a department): names alone with 4-digit
// extensions, which are not phone numbers.
func (g *rgen) staff() (string, Truth) {
	r, k := g.r, &g.k
	g.negativeLayout()
	g.chooseNames(false)
	k.Split = chance(r, 15)
	people := g.people(5 + r.IntN(21))
	k.People, k.Rows = len(people), len(people)
	cols := append(g.nameFields(), "ext", "updated")
	if chance(r, 50) {
		cols = append(cols, "dept")
	}
	if chance(r, 40) {
		cols = g.shuffleCols(cols)
	}
	k.Columns = cols
	depts := []string{"総務係", "貸出係", "参考調査係", "児童サービス係", "資料整理係", "システム管理係"}
	var rows [][]string
	for _, p := range people {
		line := make([]string, len(cols))
		for i, c := range cols {
			switch c {
			case "ext":
				line[i] = g.val(strconv.Itoa(1000 + r.IntN(9000)))
			case "updated":
				line[i] = g.date(randDate(r, g.listDay.AddDate(-5, 0, 0), g.listDay))
			case "dept":
				line[i] = pick(r, depts)
			default:
				line[i] = g.cell(c, p, rloan{}, g.sep(k.NameSep))
			}
		}
		rows = append(rows, line)
	}
	k.Headers = g.headersFor(cols)
	if i := slices.Index(cols, "name"); i >= 0 {
		k.Headers[i] = g.header("staffname")
	}
	g.chooseFileName(false)
	// Names alone are low, and hold no one's record: persons counts the
	// people a record ties to personal data (README: what persons counts).
	return g.table(k.Headers, rows), negative()
}

func negative() Truth {
	return Truth{Classification: "none", MinSeverity: "none", MaxSeverity: "low"}
}

var catPublishers = []string{"架空出版", "みどり書房", "若葉社", "東野書店", "桜ヶ丘出版会", "港南文庫"}

// catalogue: 書名,著者名,出版者,ISBN: authors are public attributions.
func (g *rgen) catalogue() (string, Truth) {
	r, k := g.r, &g.k
	g.negativeLayout()
	g.chooseNames(false)
	k.Script = "kanji"
	authors := g.people(3 + r.IntN(10))
	k.People = len(authors)
	cols := []string{"title", "author", "publisher", "isbn"}
	if chance(r, 60) {
		cols = append(cols, "year")
	}
	if chance(r, 40) {
		cols = g.shuffleCols(cols)
	}
	k.Columns = cols
	n := 8 + r.IntN(33)
	k.Rows = n
	var rows [][]string
	for range n {
		a := pick(r, authors)
		line := make([]string, len(cols))
		for i, c := range cols {
			switch c {
			case "title":
				line[i] = title(r)
			case "author":
				line[i] = g.fullName(a, g.sep(k.NameSep))
				if chance(r, 30) {
					line[i] += pick(r, []string{" 著", "／著", " 編"})
				}
			case "publisher":
				line[i] = pick(r, catPublishers)
			case "isbn":
				line[i] = g.val(isbn13(r))
			case "year":
				line[i] = g.val(strconv.Itoa(1980 + r.IntN(45)))
			}
		}
		rows = append(rows, line)
	}
	k.Headers = g.headersFor(cols)
	g.chooseFileName(false)
	return g.table(k.Headers, rows), negative()
}

// libPhones: the library's own departments and numbers.
func (g *rgen) libPhones() (string, Truth) {
	r, k := g.r, &g.k
	g.negativeLayout()
	tw := pick(r, towns)
	block := group(r, 2, '2')
	num := func() string { return g.val(tw.area + "-" + block + "-" + "0" + digits(r, 3)) }
	depts := []string{"中央図書館 代表", "中央図書館 総務係", "中央図書館 貸出係", "中央図書館 参考調査係",
		"中央図書館 児童サービス係", "みどり分館", "若葉台分館", "東野分室", "移動図書館", "資料整理係"}
	n := 5 + r.IntN(6)
	k.Rows = n
	cols := []string{"deptname", "phone", "fax"}
	if chance(r, 50) {
		cols = append(cols, "ext")
	}
	k.Columns = cols
	var rows [][]string
	for i := range n {
		line := make([]string, len(cols))
		for j, c := range cols {
			switch c {
			case "deptname":
				line[j] = depts[i]
			case "phone", "fax":
				line[j] = num()
			case "ext":
				line[j] = g.val(strconv.Itoa(100 + 10*i))
			}
		}
		rows = append(rows, line)
	}
	k.Headers = g.headersFor(cols)
	g.chooseFileName(false)
	return g.table(k.Headers, rows), negative()
}

// wordList: a dictionary of name words with readings and costs (IPADIC
// CSV, SKK, anthy), which holds no people.
func (g *rgen) wordList() (string, Truth) {
	r, k := g.r, &g.k
	k.Layout = pick(r, []string{"dict-mecab", "dict-skk", "dict-anthy"})
	k.Hint = "none"
	sur, given := outsideOnce()
	type word struct {
		s, kana, pos string
	}
	var words []word
	n := 20 + r.IntN(41)
	for range n {
		switch r.IntN(5) {
		case 0:
			e := pick(r, surnames)
			words = append(words, word{e.kanji, e.kana, "姓"})
		case 1:
			e := pick(r, sur)
			words = append(words, word{e.kanji, e.kana, "姓"})
		case 2:
			e := pick(r, append(slices.Clone(maleNames), femaleNames...))
			words = append(words, word{e.kanji, e.kana, "名"})
		case 3:
			e := pick(r, given)
			words = append(words, word{e.kanji, e.kana, "名"})
		default:
			w := pick(r, []word{{"図書館", "トショカン", ""}, {"返却", "ヘンキャク", ""}, {"貸出", "カシダシ", ""},
				{"予約", "ヨヤク", ""}, {"電話", "デンワ", ""}, {"住所", "ジュウショ", ""}})
			words = append(words, w)
		}
	}
	k.Rows = len(words)
	hira := func(s string) string {
		return strings.Map(func(c rune) rune {
			if c >= 'ァ' && c <= 'ヶ' {
				return c - 0x60
			}
			return c
		}, s)
	}
	var b strings.Builder
	switch k.Layout {
	case "dict-mecab":
		k.Columns = []string{"surface", "left", "right", "cost", "pos...", "base", "reading", "pron"}
		for _, w := range words {
			pos := "名詞,一般,*,*"
			id := 1285
			if w.pos != "" {
				pos, id = "名詞,固有名詞,人名,"+w.pos, 1290
				if w.pos == "名" {
					id = 1291
				}
			}
			fmt.Fprintf(&b, "%s,%d,%d,%d,%s,*,*,%s,%s,%s\n", w.s, id, id, 3000+r.IntN(6000), pos, w.s, w.kana, w.kana)
		}
	case "dict-skk":
		k.Columns = []string{"reading", "/candidates/"}
		b.WriteString(";; -*- mode: fundamental; coding: euc-jp -*-\n;; okuri-nasi entries.\n")
		for _, w := range words {
			fmt.Fprintf(&b, "%s /%s/\n", hira(w.kana), w.s)
		}
	case "dict-anthy":
		k.Columns = []string{"reading", "#pos*freq", "word"}
		for _, w := range words {
			pos := "#T35"
			switch w.pos {
			case "姓":
				pos = "#JNS"
			case "名":
				pos = "#JNM"
			}
			fmt.Fprintf(&b, "%s %s*%d %s\n", hira(w.kana), pos, 100+r.IntN(900), w.s)
		}
	}
	g.chooseFileName(false)
	return b.String(), negative()
}

// dummy: recognisable test data: dummy names with placeholder numbers
// and example.com addresses.
func (g *rgen) dummy() (string, Truth) {
	r, k := g.r, &g.k
	g.negativeLayout()
	k.Names, k.Script = "dummy", "kanji"
	var names []string
	for _, n := range dummyFullNames() {
		names = append(names, n)
	}
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	n := 3 + r.IntN(6)
	names = names[:min(n, len(names))]
	k.People, k.Rows = len(names), len(names)
	phones := []string{"090-0000-0000", "03-1234-5678", "000-0000-0000", "090-1234-5678", "080-0000-0000", "06-1234-5678"}
	mails := []string{"test@example.com", "dummy@example.jp", "taro@example.co.jp", "sample@example.ne.jp"}
	// Placeholders only (the fixed dummy fixture's): a real street
	// address would make the record real whatever the name.
	addrs := []string{"東京都千代田区千代田1-1", "テスト県テスト市1-2-3"}
	cols := []string{"name", "phone"}
	if chance(r, 50) {
		cols = append([]string{"id"}, cols...)
	}
	if chance(r, 60) {
		cols = append(cols, "email")
	}
	if chance(r, 50) {
		cols = append(cols, "address")
	}
	k.Columns = cols
	var rows [][]string
	for i, nm := range names {
		line := make([]string, len(cols))
		for j, c := range cols {
			switch c {
			case "id":
				line[j] = g.val(fmt.Sprintf("%08d", i+1))
			case "name":
				if k.NameSep = pick(r, []string{"space", "none"}); k.NameSep == "none" {
					nm = strings.ReplaceAll(nm, " ", "")
				}
				line[j] = nm
			case "phone":
				line[j] = g.val(pick(r, phones))
			case "email":
				line[j] = pick(r, mails)
			case "address":
				line[j] = g.val(pick(r, addrs))
			}
		}
		rows = append(rows, line)
	}
	k.Headers = g.headersFor(cols)
	g.chooseFileName(false)
	return g.table(k.Headers, rows), Truth{Classification: "none", MinSeverity: "info", MaxSeverity: "info",
		Persons: len(names), Dummy: true}
}

// dummyFullNames returns the full names (surname, space, given name) of
// patterns/dummy_names.txt that the dummy kind uses.
func dummyFullNames() []string {
	var out []string
	for _, n := range patterns.DummyNames() {
		// Kanji names only: ヤマダ タロウ beside 山田 太郎 would make the
		// number of dummy people a matter of opinion.
		if strings.Count(n, " ") == 1 && encodable(n) && allHan(strings.ReplaceAll(n, " ", "")) {
			out = append(out, n)
		}
	}
	return out
}
