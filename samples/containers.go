package samples

import (
	"archive/zip"
	"bytes"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"time"
)

// The generators in this file put personal data inside containers: a
// release tarball with a sample zip (CP932 member names) and a workbook,
// xlsx workbooks, SQLite databases, a docx letter and compressed
// exports; and hostile or broken containers under bad/ that a scan must
// report as errors.

// overdueCSV is an overdue list (利用者番号, 氏名, カナ氏名, 電話番号, 書名,
// 返却期限), one row per book, and what it plants.
func overdueCSV(r *rand.Rand, people []*person, from, to time.Time, eol string) (string, Planted) {
	rows := [][]string{{"利用者番号", "氏名", "カナ氏名", "電話番号", "書名", "返却期限"}}
	var pl Planted
	for _, l := range overdueLoans(r, people, from, to) {
		p := l.p
		rows = append(rows, []string{p.patronID, p.name("\u3000"), p.kana("\u3000"), p.phone, l.title, ymd(l.due)})
		pl.Name = append(pl.Name, p.name("\u3000"))
		pl.NameKana = append(pl.NameKana, p.kana("\u3000"))
		pl.Phone = append(pl.Phone, p.phone)
		pl.PatronID = append(pl.PatronID, p.patronID)
	}
	return lines(rows, ",", eol), pl
}

// overdueWorkbook is an overdue list workbook: sheet 督促 (利用者番号 as a
// number, names and phones as shared or inline strings, due dates as
// inline text) and sheet 集計 with counts per branch.
func overdueWorkbook(r *rand.Rand, people []*person, from, to time.Time) ([]byte, []genMember) {
	rows := [][]cell{strs("利用者番号", "氏名", "電話番号", "書名", "返却期限")}
	var pl Planted
	for i, l := range overdueLoans(r, people, from, to) {
		p := l.p
		name, phone := str(p.name("\u3000")), str(p.phone) // a phone typed with its hyphens is text
		if i%4 == 3 {
			name = inl(p.name("\u3000"))
		}
		if i%3 == 1 {
			phone = inl(p.phone)
		}
		rows = append(rows, []cell{num(p.patronID), name, phone, str(l.title), inl(ymd(l.due))})
		pl.Name = append(pl.Name, p.name("\u3000"))
		pl.Phone = append(pl.Phone, p.phone)
		pl.PatronID = append(pl.PatronID, p.patronID)
	}
	sum := [][]cell{strs("館名", "延滞件数", "延滞冊数", "督促状発送数")}
	tc, tb, ts := 0, 0, 0
	for _, b := range []string{"中央図書館", "みどり分館", "若葉台分館", "東野分室"} {
		c := 20 + r.IntN(180)
		bk := c + r.IntN(c)
		s := c - r.IntN(c/4+1)
		tc, tb, ts = tc+c, tb+bk, ts+s
		sum = append(sum, []cell{str(b), num(c), num(bk), num(s)})
	}
	sum = append(sum, []cell{str("合計"), num(tc), num(tb), num(ts)})
	data := xlsxFile([]sheet{{"督促", rows}, {"集計", sum}})
	return data, []genMember{
		member("督促", leak(EncUTF8, "overdue_list", "high", len(people), pl)),
		member("集計", clean(EncUTF8, "low")),
	}
}

// genRelease: the release tarball, gzip'd tar of the program files with
// setup/sample.zip (an overdue list under a CP932 member name, a hold
// list under a UTF-8 one) and setup/template.xlsx, a "template" that
// still holds last month's overdue list.
func genRelease(g *gen) genFile {
	const rel = "release/ils-2.3.tar.gz"
	zr := g.rng(rel + "!/setup/sample.zip")
	late := g.pick(zr, 10)
	overdue, opl := overdueCSV(zr, late, date(2010, 4, 1), date(2010, 4, 30), "\r\n")
	holders := g.pick(zr, 8)
	hold := [][]string{{"予約番号", "予約日", "利用者番号", "氏名", "電話番号", "書名", "受取館"}}
	var hpl Planted
	for i, p := range holders {
		for _, t := range titles(zr, 1+i%2) {
			day := randDate(zr, date(2010, 4, 1), date(2010, 4, 30))
			hold = append(hold, []string{fmt.Sprintf("Y2010-%06d", 6100+len(hold)*3), ymd(day), p.patronID,
				p.name("\u3000"), p.phone, t, branches[zr.IntN(len(branches))]})
		}
		hpl.Name = append(hpl.Name, p.name("\u3000"))
		hpl.Phone = append(hpl.Phone, p.phone)
		hpl.PatronID = append(hpl.PatronID, p.patronID)
	}
	sample := zipFile([]zipEntry{
		{name: string(sjis("督促/延滞.csv")), data: sjis(overdue), nonUTF8: true},
		{name: "data/予約.csv", data: []byte(lines(hold, ",", "\n"))},
	})
	sampleMembers := []genMember{
		member("督促/延滞.csv", leak(EncShiftJIS, "overdue_list", "high", len(late), opl)),
		member("data/予約.csv", leak(EncUTF8, "hold_list", "high", len(holders), hpl)),
	}
	tr := g.rng(rel + "!/setup/template.xlsx")
	tmpl, tmplMembers := overdueWorkbook(tr, g.pick(tr, 8), date(2010, 3, 1), date(2010, 3, 31))

	readme, bin, props, ddl := genReadme(g), genBinary(g), genProperties(g), genDDL(g)
	tarball := tarFile([]tarEntry{
		{name: "README.txt", data: readme.data},
		{name: "bin/ilsctl", data: bin.data, exec: true},
		{name: "conf/ilsctl.properties", data: props.data},
		{name: "sql/create_patron.sql", data: ddl.data},
		{name: "setup/sample.zip", data: sample},
		{name: "setup/template.xlsx", data: tmpl},
	})
	inner := []genMember{
		member("README.txt", readme.exp),
		member("bin/ilsctl", bin.exp),
		member("conf/ilsctl.properties", props.exp),
		member("sql/create_patron.sql", ddl.exp),
	}
	inner = append(inner, nest("setup/sample.zip", sampleMembers)...)
	inner = append(inner, nest("setup/template.xlsx", tmplMembers)...)
	// The tar's members are named directly under the .tar.gz (no
	// ils-2.3.tar level), as the contract names them.
	return genFile{rel: rel, data: gzipData("ils-2.3.tar", tarball), members: inner}
}

// genTokusokuXlsx: an overdue list workbook of 15 patrons.
func genTokusokuXlsx(g *gen) genFile {
	const rel = "data/excel/tokusoku.xlsx"
	r := g.rng(rel)
	data, ms := overdueWorkbook(r, g.pick(r, 15), date(2011, 2, 1), date(2011, 2, 28))
	return genFile{rel: rel, data: data, members: ms}
}

// authors returns n author names (surname, a space, given name) that no
// person of the population has.
func (g *gen) authors(r *rand.Rand, n int) []string {
	used := map[string]bool{}
	for _, p := range g.people {
		used[p.name("")] = true
	}
	var out []string
	for len(out) < n {
		sei := surnames[r.IntN(len(surnames))]
		list := maleNames
		if r.IntN(2) == 0 {
			list = femaleNames
		}
		mei := list[r.IntN(len(list))]
		if used[sei.kanji+mei.kanji] {
			continue
		}
		used[sei.kanji+mei.kanji] = true
		out = append(out, sei.kanji+" "+mei.kanji)
	}
	return out
}

// genZoushoXlsx: the clean twin, a catalogue sheet 蔵書 (書名, 著者名,
// 出版者, ISBN) whose authors are public attributions.
func genZoushoXlsx(g *gen) genFile {
	const rel = "data/excel/zousho.xlsx"
	r := g.rng(rel)
	authors := g.authors(r, 20)
	rows := [][]cell{strs("書名", "著者名", "出版者", "ISBN")}
	e := clean(EncUTF8, "low")
	for i := range 40 {
		t := titlePre[r.IntN(len(titlePre))] + titleNoun[r.IntN(len(titleNoun))] + titleSuf[r.IntN(len(titleSuf))]
		a := authors[r.IntN(len(authors))]
		isbn := str(isbn13(r))
		if i%5 == 4 {
			isbn = inl(isbn.v)
		}
		rows = append(rows, []cell{str(t), str(a + " 著"), str(publishers[r.IntN(len(publishers))]), isbn})
		e.Benign.Name = append(e.Benign.Name, a)
	}
	return genFile{rel: rel, data: xlsxFile([]sheet{{"蔵書", rows}}), members: []genMember{member("蔵書", e)}}
}

// ilsTables are the tables of the ILS database: PATRON with the given
// people and BRANCH with the library's own numbers.
func ilsTables(people []*person) ([]sqliteTable, Planted, Expected) {
	patron := sqliteTable{name: "PATRON", cols: []string{"PATRON_NO TEXT NOT NULL", "SHIMEI TEXT", "KANA TEXT",
		"TEL TEXT", "JUSHO TEXT", "BIRTH TEXT"}}
	var pl Planted
	for _, p := range people {
		patron.rows = append(patron.rows, []any{p.patronID, p.name("\u3000"), p.kana("\u3000"), p.phone,
			p.address(), isoDate(p.birth)})
		pl.Name = append(pl.Name, p.name("\u3000"))
		pl.NameKana = append(pl.NameKana, p.kana("\u3000"))
		pl.Phone = append(pl.Phone, p.phone)
		pl.Address = append(pl.Address, p.address())
		pl.BirthDate = append(pl.BirthDate, isoDate(p.birth))
		pl.PatronID = append(pl.PatronID, p.patronID)
	}
	branch := sqliteTable{name: "BRANCH", cols: []string{"BRANCH_CD INTEGER PRIMARY KEY", "BRANCH_NAME TEXT NOT NULL",
		"TEL TEXT", "FAX TEXT", "KAIKAN TEXT"}}
	be := clean(EncUTF8, "low")
	for i, b := range []struct{ name, tel, fax, hours string }{
		{"中央図書館", libraryPhone, libraryFax, "9:00-19:00"},
		{"みどり分館", "0564-23-0131", "0564-23-0139", "9:30-17:00"},
		{"若葉台分館", "0564-23-0141", "0564-23-0149", "9:30-17:00"},
		{"東野分室", "0564-23-0151", "0564-23-0149", "10:00-16:00"},
	} {
		branch.rows = append(branch.rows, []any{10 * (i + 1), b.name, b.tel, b.fax, b.hours})
		be.Benign.Phone = append(be.Benign.Phone, b.tel, b.fax)
	}
	return []sqliteTable{patron, branch}, pl, be
}

// genIlsSqlite: the ILS database with 20 patrons.
func genIlsSqlite(g *gen) genFile {
	const rel = "db/ils.sqlite"
	r := g.rng(rel)
	people := g.pick(r, 20)
	tables, pl, be := ilsTables(people)
	return genFile{rel: rel, data: sqliteFile(tables), members: []genMember{
		member("PATRON", leak(EncUTF8, "patron_registry", "high", len(people), pl)),
		member("BRANCH", be),
	}}
}

// genSchemaOnly: the clean twin, the same tables without rows.
func genSchemaOnly(_ *gen) genFile {
	const rel = "db/schema_only.sqlite"
	tables, _, _ := ilsTables(nil)
	for i := range tables {
		tables[i].rows = nil
	}
	return genFile{rel: rel, data: sqliteFile(tables), members: []genMember{
		member("PATRON", clean(EncUTF8, "low")),
		member("BRANCH", clean(EncUTF8, "low")),
	}}
}

// genLetterDocx: a reminder letter to one patron as a docx, the name
// split over two runs.
func genLetterDocx(g *gen) genFile {
	const rel = "mail/letter.docx"
	r := g.rng(rel)
	p := g.people[r.IntN(len(g.people))]
	books := titles(r, 2)
	paras := [][]string{
		{"2011年3月14日"},
		{p.sei.kanji, "\u3000" + p.mei.kanji + "\u3000様"},
		{libraryName},
		{"資料返却のお願い"},
		{"いつも" + libraryName + "をご利用いただきありがとうございます。", "下記の資料が返却期限を過ぎております。お早めにご返却ください。"},
		{"ご登録の電話番号：" + p.phone},
	}
	for i, t := range books {
		paras = append(paras, []string{fmt.Sprintf("%d. 『%s』　返却期限 %s", i+1, t, ymd(date(2011, 2, 25+3*i)))})
	}
	paras = append(paras, []string{"行き違いでご返却済みの場合はご容赦ください。"},
		[]string{libraryName + " 貸出係　TEL " + libraryPhone})
	e := leak(EncUTF8, "overdue_list", "medium", 1, Planted{Name: []string{p.name("\u3000")}, Phone: []string{p.phone}})
	e.Benign.Phone = []string{libraryPhone}
	return genFile{rel: rel, data: docxFile(paras), members: []genMember{member("document", e)}}
}

// contactCSV writes a contact list with the given columns of people.
func contactCSV(people []*person, cols []string, bom, eol string) (string, Planted) {
	rows := [][]string{slices.Clone(cols)}
	rows[0][0] = bom + rows[0][0]
	var pl Planted
	for _, p := range people {
		var row []string
		for _, c := range cols {
			switch c {
			case "利用者番号":
				row = append(row, p.patronID)
				pl.PatronID = append(pl.PatronID, p.patronID)
			case "氏名":
				row = append(row, p.name(" "))
				pl.Name = append(pl.Name, p.name(" "))
			case "フリガナ":
				row = append(row, p.kana(" "))
				pl.NameKana = append(pl.NameKana, p.kana(" "))
			case "電話番号", "携帯電話":
				row = append(row, p.phone)
				pl.Phone = append(pl.Phone, p.phone)
			case "メールアドレス":
				row = append(row, p.email)
				pl.Email = append(pl.Email, p.email)
			case "郵便番号":
				row = append(row, p.postal)
				pl.PostalCode = append(pl.PostalCode, p.postal)
			case "住所":
				row = append(row, p.address())
				pl.Address = append(pl.Address, p.address())
			}
		}
		rows = append(rows, row)
	}
	return lines(rows, ",", eol), pl
}

// genPatronExportBz2: a bzip2'd patron export (UTF-8). The library's
// patrons with their card numbers and contact data: an extract of the
// patron registry, as its name says.
func genPatronExportBz2(g *gen) genFile {
	const rel = "logs/patron_export.csv.bz2"
	r := g.rng(rel)
	people := g.pick(r, 7)
	text, pl := contactCSV(people, []string{"利用者番号", "氏名", "電話番号", "メールアドレス"}, "", "\n")
	return genFile{rel: rel, data: bzip2Data([]byte(text)), members: []genMember{
		member("patron_export.csv", leak(EncUTF8, "patron_registry", "high", len(people), pl))}}
}

// genPatronExportXz: an xz'd patron export (CP932, CRLF): names, addresses
// and phones of the library's patrons, named a patron export — a registry
// extract.
func genPatronExportXz(g *gen) genFile {
	const rel = "logs/patron_export2.csv.xz"
	r := g.rng(rel)
	people := g.pick(r, 6)
	text, pl := contactCSV(people, []string{"氏名", "フリガナ", "郵便番号", "住所", "電話番号"}, "", "\r\n")
	return genFile{rel: rel, data: xzData(sjis(text)), members: []genMember{
		member("patron_export2.csv", leak(EncShiftJIS, "patron_registry", "high", len(people), pl))}}
}

// genContactsZst: a zstd-compressed list of mobile numbers and e-mail
// addresses (UTF-8 with BOM).
func genContactsZst(g *gen) genFile {
	const rel = "logs/contacts.csv.zst"
	r := g.rng(rel)
	var people []*person
	for _, i := range r.Perm(len(g.people)) {
		if p := g.people[i]; p.mobile && p.email != "" && len(people) < 8 {
			people = append(people, p)
		}
	}
	text, pl := contactCSV(people, []string{"氏名", "携帯電話", "メールアドレス"}, "\ufeff", "\r\n")
	return genFile{rel: rel, data: zstdData([]byte(text)), members: []genMember{
		member("contacts.csv", leak(EncUTF8, "contact_list", "high", len(people), pl))}}
}

// broken is the verdict of a container whose opening must fail with an
// error containing each of errs.
func broken(errs ...string) Expected {
	e := clean(EncBinary, "low")
	e.Errors = errs
	return e
}

// Member names and sizes of the hostile zips, shared with the tests.
const (
	encryptedMember = "riyosha_meibo.csv"
	bombMember      = "backup/zeros.dat"
	bombSize        = 20 << 20
	traversalMember = "../../etc/passwd"
)

// genEncryptedZip: a zip whose one member has the encryption flag set
// and random bytes for content (a 12-byte encryption header and data).
func genEncryptedZip(g *gen) genFile {
	const rel = "bad/encrypted.zip"
	r := g.rng(rel)
	garbage := make([]byte, 12+480)
	for i := range garbage {
		garbage[i] = byte(r.Uint32())
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: encryptedMember, Method: zip.Store, Flags: 0x1, Modified: archiveTime,
		CRC32: crc32.ChecksumIEEE(garbage[12:]), CompressedSize64: uint64(len(garbage)),
		UncompressedSize64: uint64(len(garbage) - 12),
	})
	fail("zip", err)
	_, err = w.Write(garbage)
	fail("zip", err)
	fail("zip", zw.Close())
	return genFile{rel: rel, data: buf.Bytes(), exp: broken("encrypted")}
}

// genBombZip: a ratio bomb, 20 MiB of zeros deflated to some 20 KB.
func genBombZip(_ *gen) genFile {
	const rel = "bad/bomb.zip"
	return genFile{rel: rel, data: zipFile([]zipEntry{{name: bombMember, data: make([]byte, bombSize)}}),
		exp: broken("limit")}
}

// genTraversalZip: a member whose name climbs out of the extraction
// directory, with a harmless synthetic account line.
func genTraversalZip(_ *gen) genFile {
	const rel = "bad/traversal.zip"
	data := zipFile([]zipEntry{{name: traversalMember, data: []byte("ilsuser:x:1000:1000:ILS service:/home/ilsuser:/bin/sh\n")}})
	return genFile{rel: rel, data: data, exp: broken("escapes")}
}

// genTruncatedZip: a zip of program files cut in half: the central
// directory is gone.
func genTruncatedZip(g *gen) genFile {
	const rel = "bad/truncated.zip"
	data := zipFile([]zipEntry{
		{name: "README.txt", data: genReadme(g).data},
		{name: "sql/create_patron.sql", data: genDDL(g).data},
		{name: "conf/ilsctl.properties", data: genProperties(g).data},
	})
	return genFile{rel: rel, data: data[:len(data)/2], exp: broken("zip")}
}

// genEmptyXlsx: a 0-byte file named .xlsx. Containers are recognised by
// content and an empty file has none: it is an empty text file, no error.
func genEmptyXlsx(_ *gen) genFile {
	return genFile{rel: "bad/empty.xlsx", data: []byte{}, exp: clean(EncUTF8, "low")}
}

// genCorruptSqlite: a small database of the branch table whose table
// page (page 2) is overwritten with random bytes; the header page stays
// intact, so it is recognised as SQLite and fails when read.
func genCorruptSqlite(g *gen) genFile {
	const rel = "bad/corrupt.sqlite"
	r := g.rng(rel)
	tables, _, _ := ilsTables(nil)
	data := sqliteFile(tables[1:])
	const page = 4096
	if len(data) != 2*page {
		fail("sqlite", fmt.Errorf("%s: %d bytes, want 2 pages", rel, len(data)))
	}
	for i := page; i < 2*page; i++ {
		data[i] = byte(r.Uint32())
	}
	data[page] = 0x2a // not a b-tree page type
	return genFile{rel: rel, data: data, exp: broken("malformed")}
}
