package office

import (
	"errors"
	"strings"
	"testing"

	"github.com/rouei/rouei/scanners"
)

func TestIdentify(t *testing.T) {
	xlsx := makeXLSX(t)
	docx := makeZip(t, contentTypes(), rootRels("word/document.xml"), part{"word/document.xml", "<w:document/>"})
	pptx := makeZip(t, contentTypes(), part{"ppt/presentation.xml", "<p:presentation/>"})
	bare := makeZip(t, contentTypes(), part{"docProps/app.xml", "<x/>"})
	plainZip := makeZip(t, part{"readme.txt", "hello"})
	mdb := append([]byte{0, 1, 0, 0}, "Standard Jet DB\x00"...)
	accdb := append([]byte{0, 1, 0, 0}, "Standard ACE DB\x00"...)
	enc := buildCFB(t, []string{"EncryptionInfo", "EncryptedPackage"}, [][]byte{{4, 0, 4, 0}, {1}})
	xls := readFixture(t, "patrons.xls")
	tests := []struct {
		name string
		file string
		head []byte
		kind string // "" for nil
	}{
		{"xlsx", "a.bin", xlsx, "xlsx"},
		{"docx", "a.bin", docx, "docx"},
		{"pptx", "a.bin", pptx, "pptx"},
		{"ooxml by extension", "a.xlsm", bare, "xlsx"},
		{"ooxml unknown extension", "a.zip", bare, ""},
		{"plain zip", "a.xlsx", plainZip, ""},
		{"sqlite", "a.db", []byte("SQLite format 3\x00\x10\x00"), "sqlite"},
		{"mdb", "a.mdb", mdb, "access"},
		{"accdb", "a.accdb", accdb, "access"},
		{"pdf", "a.pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), "pdf"},
		{"encrypted ooxml", "a.xlsx", enc, "ooxml-encrypted"},
		{"xls", "a.xls", xls[:min(len(xls), 64<<10)], "xls"},
		{"text", "a.xlsx", []byte("氏名\t電話番号\n"), ""},
		{"empty", "a.xlsx", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := Identify(tt.file, tt.head)
			switch {
			case tt.kind == "" && op != nil:
				t.Fatalf("Identify = %s, want nil", op.Kind())
			case tt.kind != "" && op == nil:
				t.Fatalf("Identify = nil, want %s", tt.kind)
			case op != nil && op.Kind() != tt.kind:
				t.Fatalf("Kind = %s, want %s", op.Kind(), tt.kind)
			}
		})
	}
}

func TestXLSX(t *testing.T) {
	gs, err := walk(t, Identify("a.xlsx", makeXLSX(t)), makeXLSX(t), scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 2 || gs[0].name != "督促" || gs[1].name != "蔵書" {
		t.Fatalf("members %+v, want 督促 then 蔵書", gs)
	}
	want := "利用者番号\t氏名\t電話番号\t書名\t返却期限\n" +
		"1001\t岡崎 花子\t090-0000-1111\t吾輩は猫 である\t2010-05-06\n" +
		"1002\t矢作 次郎\t9000002222\t\t40304\n" +
		"\n" +
		"\t行 分割\t\tTRUE\n"
	if g := gs[0]; !g.isText || g.readErr != nil || g.text != want {
		t.Errorf("督促: text=%v err=%v\n got %q\nwant %q", g.isText, g.readErr, g.text, want)
	}
	want = "書名\t著者\n吾輩は猫 である\t夏目 漱石\n"
	if g := gs[1]; g.readErr != nil || g.text != want {
		t.Errorf("蔵書: err=%v\n got %q\nwant %q", g.readErr, g.text, want)
	}
}

// A sheet whose data starts at column C: columns are counted from the
// dimension's first column, so the header is the first cell of its line.
func TestXLSXDimensionOffset(t *testing.T) {
	parts := xlsxParts()
	for i := range parts {
		if parts[i].name == "xl/worksheets/sheet2.xml" {
			parts[i].body = `<worksheet ` + nsMain + `><dimension ref="C3:E4"/><sheetData>
<row r="3"><c r="C3" t="inlineStr"><is><t>氏名</t></is></c><c r="E3" t="inlineStr"><is><t>電話番号</t></is></c></row>
<row r="4"><c r="C4" t="inlineStr"><is><t>額田 三子</t></is></c><c r="E4"><v>5640000333</v></c></row>
</sheetData></worksheet>`
		}
	}
	gs, err := walk(t, ooxmlOpener{kind: "xlsx"}, makeZip(t, parts...), scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if g, want := member(t, gs, "蔵書"), "氏名\t\t電話番号\n額田 三子\t\t5640000333\n"; g.text != want {
		t.Errorf("got %q, want %q", g.text, want)
	}
}

// The gnumeric-written copy of the fixture workbook (testdata/make_fixtures.py).
func TestXLSXFixture(t *testing.T) {
	data := readFixture(t, "patrons-gnumeric.xlsx")
	op := Identify("patrons-gnumeric.xlsx", data)
	if op == nil || op.Kind() != "xlsx" {
		t.Fatalf("Identify = %v", op)
	}
	gs, err := walk(t, op, data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	checkFixtureSheets(t, gs)
}

// checkFixtureSheets checks the sheets of the testdata workbooks, the same
// whatever wrote them.
func checkFixtureSheets(t *testing.T, gs []got) {
	t.Helper()
	if len(gs) != 3 || gs[0].name != "督促" || gs[1].name != "蔵書" || gs[2].name != "多数" {
		t.Fatalf("members %+v, want 督促 蔵書 多数", gs)
	}
	for _, g := range gs {
		if g.err != nil || g.readErr != nil || !g.isText {
			t.Fatalf("%s: err %v, read %v, text %v", g.name, g.err, g.readErr, g.isText)
		}
	}
	want := []string{
		"利用者番号\t氏名\t電話番号\t書名\t返却期限",
		"A0001\t岡崎 花子\t090-0000-1111\t坊っちゃん\t2010-05-01",
		"A0002\t矢作 次郎\t9000002222\tこころ\t2010-05-02",
		"",
		"A0003\t額田 三子\t\t草枕\t2010-05-03",
		"A0004\t本宿 四郎\t0564-00-3333\t三四郎\t40303.5",
	}
	lines := strings.Split(strings.TrimSuffix(gs[0].text, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("督促: %d lines, want %d: %q", len(lines), len(want), gs[0].text)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("督促 line %d: got %q, want %q", i, lines[i], want[i])
		}
	}
	if want := "書名\t著者\n坊っちゃん\t夏目 漱石\n"; gs[1].text != want {
		t.Errorf("蔵書: got %q, want %q", gs[1].text, want)
	}
	lines = strings.Split(strings.TrimSuffix(gs[2].text, "\n"), "\n")
	if len(lines) != 301 {
		t.Fatalf("多数: %d lines, want 301", len(lines))
	}
	for i, l := range lines[1:] {
		want := "\t連続した試験用の文字列その" + pad4(i) + "番目です"
		if !strings.HasSuffix(l, want) {
			t.Fatalf("多数 row %d: got %q, want …%q", i, l, want)
		}
	}
}

func pad4(i int) string {
	s := "000" + itoa(i)
	return s[len(s)-4:]
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestXLSXBad(t *testing.T) {
	good := makeXLSX(t)
	missing := xlsxParts()
	missing = append(missing[:5], missing[6:]...) // no sheet1.xml
	badXML := xlsxParts()
	badXML[5].body = `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>氏名</t></is></c></row><row>`
	tests := []struct {
		name      string
		data      []byte
		walkErr   bool
		memberErr string // member whose Err must be set
		readErr   string // member whose text must end in an error
	}{
		{"empty", nil, true, "", ""},
		{"truncated", good[:len(good)/2], true, "", ""},
		{"not zip", []byte("PK\x03\x04garbage"), true, "", ""},
		{"no content types", makeZip(t, part{"xl/workbook.xml", "<workbook/>"}), true, "", ""},
		{"no workbook", makeZip(t, contentTypes(), part{"xl/styles.xml", "<x/>"}), true, "", ""},
		{"missing sheet part", makeZip(t, missing...), false, "督促", ""},
		{"malformed sheet", makeZip(t, badXML...), false, "", "督促"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs, err := walk(t, ooxmlOpener{kind: "xlsx"}, tt.data, scanners.DefaultLimits)
			if (err != nil) != tt.walkErr {
				t.Fatalf("Walk error %v, want error %v", err, tt.walkErr)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "office: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if tt.memberErr != "" {
				if g := member(t, gs, tt.memberErr); g.err == nil {
					t.Errorf("member %s: no Err", tt.memberErr)
				}
			}
			if tt.readErr != "" {
				if g := member(t, gs, tt.readErr); g.readErr == nil {
					t.Errorf("member %s: read without error", tt.readErr)
				}
			}
		})
	}
}

func TestXLSXLimits(t *testing.T) {
	data := makeXLSX(t)
	t.Run("shared strings", func(t *testing.T) {
		lim := scanners.DefaultLimits
		lim.MaxMemberBytes = 64
		_, err := walk(t, ooxmlOpener{kind: "xlsx"}, data, lim)
		if !errors.Is(err, scanners.ErrLimit) {
			t.Fatalf("Walk error %v, want ErrLimit", err)
		}
	})
	t.Run("member text", func(t *testing.T) {
		// Many rows, few shared strings.
		var rows strings.Builder
		for i := 1; i <= 2000; i++ {
			rows.WriteString(`<row><c t="inlineStr"><is><t>試験の行です試験の行です</t></is></c></row>`)
		}
		parts := xlsxParts()
		parts[5].body = `<worksheet><sheetData>` + rows.String() + `</sheetData></worksheet>`
		lim := scanners.DefaultLimits
		lim.MaxMemberBytes = 10 << 10
		gs, err := walk(t, ooxmlOpener{kind: "xlsx"}, makeZip(t, parts...), lim)
		if err != nil {
			t.Fatal(err)
		}
		g := member(t, gs, "督促")
		if !errors.Is(g.readErr, scanners.ErrLimit) || len(g.text) > 10<<10 {
			t.Fatalf("read error %v after %d bytes, want ErrLimit within 10 KiB", g.readErr, len(g.text))
		}
	})
	t.Run("members", func(t *testing.T) {
		lim := scanners.DefaultLimits
		lim.MaxMembers = 1
		_, err := walk(t, ooxmlOpener{kind: "xlsx"}, data, lim)
		if !errors.Is(err, scanners.ErrLimit) {
			t.Fatalf("Walk error %v, want ErrLimit", err)
		}
	})
	t.Run("bomb", func(t *testing.T) {
		// A part of 4 MiB of spaces compresses far beyond MaxRatio.
		parts := xlsxParts()
		parts[5].body = `<worksheet>` + strings.Repeat(" ", 4<<20) + `</worksheet>`
		gs, err := walk(t, ooxmlOpener{kind: "xlsx"}, makeZip(t, parts...), scanners.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if g := member(t, gs, "督促"); !errors.Is(g.readErr, scanners.ErrLimit) {
			t.Fatalf("read error %v, want ErrLimit", g.readErr)
		}
	})
}

func TestDOCX(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
<w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="840"/></w:tabs></w:pPr><w:r><w:t>督促状</w:t></w:r></w:p>
<w:p><w:r><w:t>利用者</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">岡崎 </w:t></w:r><w:r><w:t>花子</w:t></w:r><w:r><w:br/><w:t>様</w:t></w:r></w:p>
<w:p><w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>やはぎ</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>矢作</w:t></w:r></w:rubyBase></w:ruby></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>
<w:tbl>
<w:tr><w:tc><w:p><w:r><w:t>氏名</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>電話番号</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>額田</w:t></w:r></w:p><w:p><w:r><w:t>三子</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>090-0000-1111</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl>
<w:p><mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>枠内</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>枠内</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>
</w:body></w:document>`
	data := makeZip(t, contentTypes(), rootRels("word/document.xml"),
		part{"word/document.xml", doc},
		part{"word/footer1.xml", `<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>岡崎市立図書館</w:t></w:r></w:p></w:ftr>`},
		part{"word/styles.xml", `<w:styles/>`})
	op := Identify("a.docx", data)
	if op == nil || op.Kind() != "docx" {
		t.Fatalf("Identify = %v", op)
	}
	gs, err := walk(t, op, data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 2 {
		t.Fatalf("members %+v, want document and footer1", gs)
	}
	want := "督促状\n利用者\t岡崎 花子\n様\n矢作\n氏名\t電話番号\n額田 三子\t090-0000-1111\n枠内\n"
	if g := member(t, gs, "document"); g.readErr != nil || g.text != want {
		t.Errorf("document: err %v\n got %q\nwant %q", g.readErr, g.text, want)
	}
	if g := member(t, gs, "footer1"); g.text != "岡崎市立図書館\n" {
		t.Errorf("footer1: got %q", g.text)
	}
}

func TestPPTX(t *testing.T) {
	slide := func(body string) string {
		return `<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>` +
			body + `</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`
	}
	data := makeZip(t, contentTypes(), rootRels("ppt/presentation.xml"),
		part{"ppt/presentation.xml", "<p:presentation/>"},
		part{"ppt/slides/slide10.xml", slide(`<a:p><a:r><a:t>十枚目</a:t></a:r></a:p>`)},
		part{"ppt/slides/slide2.xml", slide(`<a:p><a:r><a:t>延滞者</a:t></a:r><a:br/><a:r><a:t>一覧</a:t></a:r></a:p>` +
			`<a:tbl><a:tr><a:tc><a:txBody><a:p><a:r><a:t>氏名</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>電話番号</a:t></a:r></a:p></a:txBody></a:tc></a:tr>` +
			`<a:tr><a:tc><a:txBody><a:p><a:r><a:t>本宿 四郎</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>0564-00-3333</a:t></a:r></a:p></a:txBody></a:tc></a:tr></a:tbl>`)},
		part{"ppt/slides/slide1.xml", slide(`<a:p><a:r><a:t>表紙</a:t></a:r></a:p>`)},
		part{"ppt/notesSlides/notesSlide1.xml", slide(`<a:p><a:r><a:t>発表メモ</a:t></a:r></a:p>`)},
	)
	gs, err := walk(t, Identify("a.pptx", data), data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range gs {
		names = append(names, g.name)
	}
	if strings.Join(names, ",") != "slide1,slide2,slide10,notesSlide1" {
		t.Fatalf("members %q", names)
	}
	if g, want := gs[1], "延滞者\n一覧\n氏名\t電話番号\n本宿 四郎\t0564-00-3333\n"; g.text != want {
		t.Errorf("slide2: got %q, want %q", g.text, want)
	}
	if gs[3].text != "発表メモ\n" {
		t.Errorf("notesSlide1: got %q", gs[3].text)
	}
}

func TestEncryptedOOXML(t *testing.T) {
	data := buildCFB(t, []string{"EncryptionInfo", "EncryptedPackage"}, [][]byte{{4, 0, 4, 0}, []byte("encrypted bytes")})
	op := Identify("secret.xlsx", data)
	if op == nil {
		t.Fatal("Identify = nil")
	}
	_, err := walk(t, op, data, scanners.DefaultLimits)
	if !errors.Is(err, scanners.ErrEncrypted) {
		t.Fatalf("Walk error %v, want ErrEncrypted", err)
	}
}
