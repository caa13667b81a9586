package office

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rouei/rouei/scanners"
)

// tsvTwin is a CSV fixture as the tab-separated rows a table gives.
func tsvTwin(t testing.TB, name string) string {
	t.Helper()
	return strings.ReplaceAll(string(readFixture(t, name)), ",", "\t")
}

func walkFile(t testing.TB, op scanners.Opener, path string) ([]got, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := bytes.NewReader(data)
	return walkSource(t, op, scanners.Source{Name: path, Reader: r, At: r, Size: int64(len(data)), Path: path}, scanners.DefaultLimits)
}

func TestDBFTablesAreTheirCSVTwins(t *testing.T) {
	for _, tc := range []struct{ file, member, twin string }{
		{"patrons.dbf", "patrons", "patrons.csv"},
		{"patrons.dbf", "patrons.deleted", "patrons.deleted.csv"},
		{"kashidashi.dbf", "kashidashi", "kashidashi.csv"},
	} {
		p := filepath.Join("testdata", tc.file)
		data := readFixture(t, tc.file)
		if op := Identify(p, data); op == nil || op.Kind() != "dbf" {
			t.Fatalf("%s identified as %v", tc.file, op)
		}
		gs, err := walkFile(t, dbfOpener{}, p)
		if err != nil {
			t.Fatal(err)
		}
		g := member(t, gs, tc.member)
		if g.readErr != nil || !g.isText || g.text != tsvTwin(t, tc.twin) {
			t.Errorf("%s!/%s: %v\n%s", tc.file, tc.member, g.readErr, g.text)
		}
	}
	// Without its memo file on disk (inside an archive), a table is read
	// with its memo cells empty.
	data := readFixture(t, "patrons.dbf")
	gs, err := walk(t, dbfOpener{}, data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	g := member(t, gs, "test")
	if strings.Contains(g.text, "督促状") || !strings.Contains(g.text, "PATRON_NO\tNAME") || strings.Count(g.text, "\n") != 28 {
		t.Errorf("without memo: %s", g.text)
	}
}

// The code page byte decides the decoding; without one, UTF-8 text is
// taken as UTF-8, anything else as CP932.
func TestDBFCodePages(t *testing.T) {
	data := readFixture(t, "kashidashi.dbf")
	for _, id := range []byte{0x13, 0x7B, 0x00} {
		d := append([]byte(nil), data...)
		d[29] = id
		gs, err := walk(t, dbfOpener{}, d, scanners.DefaultLimits)
		if err != nil || !strings.Contains(gs[0].text, "利用者番号\t氏名") || !strings.Contains(gs[0].text, "松本 誠") {
			t.Errorf("code page %#x: %v %.200s", id, err, gs[0].text)
		}
	}
	d := append([]byte(nil), data...)
	d[29] = 0x03 // CP1252: the same bytes read as Latin
	gs, _ := walk(t, dbfOpener{}, d, scanners.DefaultLimits)
	if strings.Contains(gs[0].text, "松本") {
		t.Errorf("CP1252 table decoded as CP932")
	}
	// A UTF-8 table with no code page byte.
	u := dbfBytes(0x03, 0x00, []dbfField{{name: "NAME", typ: 'C', length: 20}, {name: "TEL", typ: 'C', length: 13}},
		[][]string{{"佐藤 健一", "090-3141-5926"}, {"高橋 恵子", "080-2718-2818"}}, nil)
	gs, err := walk(t, dbfOpener{}, u, scanners.DefaultLimits)
	if err != nil || gs[0].text != "NAME\tTEL\n佐藤 健一\t090-3141-5926\n高橋 恵子\t080-2718-2818\n" {
		t.Errorf("UTF-8: %v %q", err, gs[0].text)
	}
}

// dbfBytes writes a dBase III table; deleted marks records deleted.
func dbfBytes(version, lang byte, fields []dbfField, rows [][]string, deleted map[int]bool) []byte {
	recLen := 1
	for _, f := range fields {
		recLen += f.length
	}
	hl := 32 + 32*len(fields) + 1
	var b bytes.Buffer
	h := make([]byte, 32)
	h[0], h[1], h[2], h[3] = version, 126, 11, 20
	h[4] = byte(len(rows))
	h[8], h[9] = byte(hl), byte(hl>>8)
	h[10], h[11] = byte(recLen), byte(recLen>>8)
	h[29] = lang
	b.Write(h)
	for _, f := range fields {
		d := make([]byte, 32)
		copy(d, f.name)
		d[11], d[16], d[17] = f.typ, byte(f.length), byte(f.dec)
		b.Write(d)
	}
	b.WriteByte(0x0D)
	for i, r := range rows {
		if deleted[i] {
			b.WriteByte('*')
		} else {
			b.WriteByte(' ')
		}
		for j, f := range fields {
			v := []byte(r[j])
			cell := bytes.Repeat([]byte(" "), f.length)
			copy(cell, v)
			b.Write(cell)
		}
	}
	b.WriteByte(0x1A)
	return b.Bytes()
}

func TestDBFValuesAndBrokenTables(t *testing.T) {
	fields := []dbfField{{name: "ID", typ: 'N', length: 5}, {name: "BIRTH", typ: 'D', length: 8}, {name: "ACTIVE", typ: 'L', length: 1}, {name: "NAME", typ: 'C', length: 12}}
	d := dbfBytes(0x03, 0x13, fields, [][]string{{"   12", "19800521", "T", "x"}, {"    7", "        ", "?", ""}, {"    9", "19991231", "F", "y"}}, map[int]bool{2: true})
	gs, err := walk(t, dbfOpener{}, d, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if member(t, gs, "test").text != "ID\tBIRTH\tACTIVE\tNAME\n12\t1980-05-21\tTRUE\tx\n7\n" {
		t.Errorf("values: %q", member(t, gs, "test").text)
	}
	if member(t, gs, "test.deleted").text != "ID\tBIRTH\tACTIVE\tNAME\n9\t1999-12-31\tFALSE\ty\n" {
		t.Errorf("deleted: %q", member(t, gs, "test.deleted").text)
	}
	// Cut short: what was read stands, and the shortfall is an error.
	gs, _ = walk(t, dbfOpener{}, d[:len(d)-30], scanners.DefaultLimits)
	if len(gs) == 0 || !errors.Is(gs[0].readErr, errDBF) || !strings.Contains(gs[0].text, "1980-05-21") {
		t.Errorf("truncated: %+v", gs)
	}
	// Not a table: other names, a record length that does not add up,
	// an unknown version byte.
	bad := append([]byte(nil), d...)
	bad[10] = 99
	for name, b := range map[string][]byte{"a.txt": d, "b.dbf": bad, "c.dbf": append([]byte{0x77}, d[1:]...), "d.dbf": d[:40]} {
		if op := Identify(name, b); op != nil {
			t.Errorf("%s identified as %s", name, op.Kind())
		}
	}
	if Identify("X.DBF", d) == nil {
		t.Errorf("upper-case name not identified")
	}
}
