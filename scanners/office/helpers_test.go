package office

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"os"
	"testing"
	"unicode/utf16"

	"github.com/rouei/rouei/scanners"
)

// got is one member a walk yielded.
type got struct {
	name    string
	text    string
	isText  bool
	err     error // Member.Err
	readErr error // error reading the member's text
}

// walk runs op over data and returns the members and Walk's error.
func walk(t testing.TB, op scanners.Opener, data []byte, lim scanners.Limits) ([]got, error) {
	t.Helper()
	r := bytes.NewReader(data)
	src := scanners.Source{Name: "test", Reader: r, At: r, Size: int64(len(data))}
	return walkSource(t, op, src, lim)
}

func walkSource(t testing.TB, op scanners.Opener, src scanners.Source, lim scanners.Limits) ([]got, error) {
	var out []got
	err := op.Walk(context.Background(), src, lim, func(m scanners.Member) error {
		g := got{name: m.Name, isText: m.Text, err: m.Err}
		if m.Err == nil {
			if m.Open == nil {
				t.Fatalf("member %q: neither Open nor Err", m.Name)
			}
			rc, err := m.Open()
			if err != nil {
				g.readErr = err
			} else {
				b, err := io.ReadAll(rc)
				g.text, g.readErr = string(b), err
				rc.Close()
			}
		}
		out = append(out, g)
		return nil
	})
	return out, err
}

// member finds the member named name.
func member(t testing.TB, gs []got, name string) got {
	t.Helper()
	for _, g := range gs {
		if g.name == name {
			return g
		}
	}
	var names []string
	for _, g := range gs {
		names = append(names, g.name)
	}
	t.Fatalf("no member %q; members: %q", name, names)
	return got{}
}

type part struct{ name, body string }

// makeZip writes parts into a zip, in order.
func makeZip(t testing.TB, parts ...part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	nsRel  = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relNS  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
)

func contentTypes() part {
	return part{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`}
}

func rootRels(target string) part {
	return part{"_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="` + relNS + `officeDocument" Target="` + target + `"/></Relationships>`}
}

// xlsxParts is a workbook of two sheets, 督促 and 蔵書, with shared
// strings (one rich, one with a phonetic reading), inline strings, a
// phone stored as a number, an empty cell, a skipped row, and sheet parts
// named out of order.
func xlsxParts() []part {
	return []part{
		contentTypes(),
		rootRels("xl/workbook.xml"),
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook ` + nsMain + ` ` + nsRel + `><sheets>
<sheet name="督促" sheetId="1" r:id="rId2"/>
<sheet name="蔵書" sheetId="2" r:id="rId1"/>
</sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="` + relNS + `worksheet" Target="worksheets/sheet2.xml"/>
<Relationship Id="rId2" Type="` + relNS + `worksheet" Target="/xl/worksheets/sheet1.xml"/>
<Relationship Id="rId3" Type="` + relNS + `sharedStrings" Target="sharedStrings.xml"/>
</Relationships>`},
		{"xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?>
<sst ` + nsMain + ` count="7" uniqueCount="7">
<si><t>利用者番号</t></si>
<si><t>氏名</t></si>
<si><t>電話番号</t></si>
<si><t>書名</t></si>
<si><t>返却期限</t></si>
<si><r><rPr><b/></rPr><t>岡崎</t></r><r><t xml:space="preserve"> 花子</t></r><rPh sb="0" eb="2"><t>オカザキ</t></rPh></si>
<si><t>吾輩は猫_x0009_である</t></si>
</sst>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?>
<worksheet ` + nsMain + `><dimension ref="A1:E5"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>
<row r="2"><c r="A2"><v>1001</v></c><c r="B2" t="s"><v>5</v></c><c r="C2" t="inlineStr"><is><t>090-0000-1111</t></is></c><c r="D2" t="s"><v>6</v></c><c r="E2" t="str"><f>TEXT(40303,"yyyy-mm-dd")</f><v>2010-05-06</v></c></row>
<row r="3"><c r="A3"><v>1002</v></c><c r="B3" t="inlineStr"><is><r><t>矢作</t></r><r><t> 次郎</t></r></is></c><c r="C3"><v>9000002222</v></c><c r="E3"><v>40304</v></c></row>
<row r="4"><c r="A4" s="3"/><c r="B4" s="3"/></row>
<row r="5"><c r="B5" t="inlineStr"><is><t>行
分割</t></is></c><c r="D5" t="b"><v>1</v></c></row>
</sheetData></worksheet>`},
		{"xl/worksheets/sheet2.xml", `<?xml version="1.0" encoding="UTF-8"?>
<worksheet ` + nsMain + `><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>書名</t></is></c><c r="B1" t="inlineStr"><is><t>著者</t></is></c></row>
<row r="2"><c r="A2" t="s"><v>6</v></c><c t="inlineStr"><is><t>夏目 漱石</t></is></c></row>
</sheetData></worksheet>`},
	}
}

func makeXLSX(t testing.TB) []byte { return makeZip(t, xlsxParts()...) }

// buildCFB writes a minimal compound file (version 3, 512-byte sectors)
// holding up to three root streams, each padded to 4096 bytes so that
// none lives in the mini stream.
func buildCFB(t testing.TB, names []string, bodies [][]byte) []byte {
	t.Helper()
	if len(names) > 3 {
		t.Fatal("buildCFB: at most three streams")
	}
	const (
		endOfChain = 0xFFFFFFFE
		freeSect   = 0xFFFFFFFF
		fatSect    = 0xFFFFFFFD
		noStream   = 0xFFFFFFFF
	)
	le := binary.LittleEndian
	fat := []uint32{fatSect, endOfChain} // sector 0: FAT, sector 1: directory
	var data []byte
	starts := make([]uint32, len(names))
	sizes := make([]uint32, len(names))
	for i, b := range bodies {
		padded := append([]byte(nil), b...)
		for len(padded) < 4096 || len(padded)%512 != 0 {
			padded = append(padded, 0)
		}
		starts[i] = uint32(len(fat))
		sizes[i] = uint32(max(len(b), 4096))
		n := len(padded) / 512
		for j := 0; j < n; j++ {
			if j == n-1 {
				fat = append(fat, endOfChain)
			} else {
				fat = append(fat, uint32(len(fat)+1))
			}
		}
		data = append(data, padded...)
	}
	if len(fat) > 128 {
		t.Fatal("buildCFB: streams too large")
	}
	for len(fat) < 128 {
		fat = append(fat, freeSect)
	}
	hdr := make([]byte, 512)
	copy(hdr, magicOLE2)
	le.PutUint16(hdr[24:], 0x3E)
	le.PutUint16(hdr[26:], 3)
	le.PutUint16(hdr[28:], 0xFFFE)
	le.PutUint16(hdr[30:], 9)
	le.PutUint16(hdr[32:], 6)
	le.PutUint32(hdr[44:], 1) // FAT sectors
	le.PutUint32(hdr[48:], 1) // first directory sector
	le.PutUint32(hdr[56:], 4096)
	le.PutUint32(hdr[60:], endOfChain)
	le.PutUint32(hdr[68:], endOfChain)
	for i := 0; i < 109; i++ {
		le.PutUint32(hdr[76+4*i:], freeSect)
	}
	le.PutUint32(hdr[76:], 0)
	fatSec := make([]byte, 512)
	for i, v := range fat {
		le.PutUint32(fatSec[4*i:], v)
	}
	dir := make([]byte, 512)
	entry := func(i int, name string, typ byte, left, right, child, start, size uint32) {
		e := dir[128*i : 128*i+128]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66], e[67] = typ, 1
		le.PutUint32(e[68:], left)
		le.PutUint32(e[72:], right)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint32(e[120:], size)
	}
	child := uint32(noStream)
	if len(names) > 0 {
		child = 1
	}
	entry(0, "Root Entry", 5, noStream, noStream, child, endOfChain, 0)
	for i, n := range names {
		right := uint32(noStream)
		if i+1 < len(names) {
			right = uint32(i + 2)
		}
		entry(i+1, n, 2, noStream, right, noStream, starts[i], sizes[i])
	}
	out := append(append(append(hdr, fatSec...), dir...), data...)
	return out
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
