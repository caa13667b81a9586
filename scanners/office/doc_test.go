package office

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"

	"github.com/rouei/rouei/scanners"
)

// docStreams reads the WordDocument and table streams of a fixture.
func docStreams(t testing.TB, name string) (word []byte, tables map[string][]byte) {
	t.Helper()
	r, err := mscfb.New(bytes.NewReader(readFixture(t, name)))
	if err != nil {
		t.Fatal(err)
	}
	tables = map[string][]byte{}
	for _, f := range r.File {
		if len(f.Path) != 0 {
			continue
		}
		b, err := io.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
		switch f.Name {
		case "WordDocument":
			word = b
		case "0Table", "1Table":
			tables[f.Name] = b
		}
	}
	return word, tables
}

func TestDOCTextIsItsTwin(t *testing.T) {
	for _, name := range []string{"tokusoku.doc", "letter.doc", "manual.doc"} {
		data := readFixture(t, name)
		op := Identify(name, data)
		if op == nil || op.Kind() != "doc" {
			t.Fatalf("%s identified as %v", name, op)
		}
		gs, err := walk(t, op, data, scanners.DefaultLimits)
		if err != nil || len(gs) != 1 || gs[0].name != "document" || !gs[0].isText {
			t.Fatalf("%s: %v %+v", name, err, gs)
		}
		if want := string(readFixture(t, name+".txt")); strings.TrimRight(gs[0].text, "\n") != strings.TrimRight(want, "\n") {
			t.Errorf("%s:\n%s\nwant\n%s", name, gs[0].text, want)
		}
	}
}

// Without the paragraph properties (an FKP that cannot be read), table
// rows are told from the cell marks alone, with the same result.
func TestDOCRowsWithoutParagraphProperties(t *testing.T) {
	word, tables := docStreams(t, "tokusoku.doc")
	d := &docText{word: word, table: tables["1Table"], max: 1 << 20}
	if d.table == nil {
		d.table = tables["0Table"]
	}
	fc, lcb, err := d.fcLcb(33)
	if err != nil {
		t.Fatal(err)
	}
	pieces, err := d.pieceTable(fc, lcb)
	if err != nil {
		t.Fatal(err)
	}
	guess, err := d.text(append([]piece(nil), pieces...))
	if err != nil {
		t.Fatal(err)
	}
	want := string(readFixture(t, "tokusoku.doc.txt"))
	if strings.TrimRight(string(guess), "\n") != strings.TrimRight(want, "\n") {
		t.Errorf("rows from cell marks:\n%s", guess)
	}
	// A row whose last cell is empty: "a", "" then the row mark.
	w := &docWriter{max: 1 << 20}
	for _, c := range []struct {
		r    rune
		mark int
	}{{'a', markInTable}, {7, markInTable}, {7, markInTable}, {7, markRowEnd}, {'b', markInTable}, {7, markInTable}, {'c', markInTable}, {7, markInTable}, {7, markRowEnd}, {'z', markNone}, {0x0D, markNone}} {
		w.rune(c.r, c.mark)
	}
	if got := string(w.finish()); got != "a\nb\tc\nz\n" {
		t.Errorf("rows: %q", got)
	}
}

// A field's code is dropped and its result kept; pictures and note
// references are dropped.
func TestDOCFieldsAndSpecialCharacters(t *testing.T) {
	w := &docWriter{max: 1 << 20}
	for _, r := range "連絡先\x13 HYPERLINK \"mailto:a@example.org\" \x14窓口\x15\x01\x02 電話\x1E番号\x0B次の行\r" {
		w.rune(r, markNone)
	}
	if got := string(w.finish()); got != "連絡先窓口 電話-番号\n次の行\n" {
		t.Errorf("%q", got)
	}
}

func TestDOCBrokenAndProtected(t *testing.T) {
	word, tables := docStreams(t, "letter.doc")
	enc := append([]byte(nil), word...)
	enc[fibFlags] |= 0x00 // low byte
	enc[fibFlags+1] |= 0x01
	if _, err := readDOC(enc, tables, 1<<20); !errors.Is(err, scanners.ErrEncrypted) {
		t.Errorf("encrypted: %v", err)
	}
	noTable := map[string][]byte{}
	if _, err := readDOC(word, noTable, 1<<20); !errors.Is(err, errDOC) {
		t.Errorf("table stream missing: %v", err)
	}
	cut := map[string][]byte{}
	for k, v := range tables {
		cut[k] = v[:len(v)/4]
	}
	if _, err := readDOC(word, cut, 1<<20); !errors.Is(err, errDOC) {
		t.Errorf("cut table stream: %v", err)
	}
	if _, err := readDOC(word[:40], tables, 1<<20); !errors.Is(err, errDOC) {
		t.Errorf("cut FIB: %v", err)
	}
	if _, err := readDOC(word, tables, 100); !errors.Is(err, scanners.ErrLimit) {
		t.Errorf("limit: %v", err)
	}
}

// A Word 6/95 document keeps its text in one run of 8-bit characters, in
// CP932 when its language is Japanese.
func TestWord6Text(t *testing.T) {
	text, _ := japanese.ShiftJIS.NewEncoder().String("督促状\r高橋 恵子\x07090-2718-2818\x07\x07")
	word := make([]byte, 0x200)
	binary.LittleEndian.PutUint16(word, fibIdent)
	binary.LittleEndian.PutUint16(word[2:], 0x0065)
	binary.LittleEndian.PutUint16(word[fibLid:], 0x0411)
	binary.LittleEndian.PutUint32(word[fibFcMin:], 0x200)
	binary.LittleEndian.PutUint32(word[fibFcMac:], uint32(0x200+len(text)))
	word = append(word, text...)
	got, err := readDOC(word, nil, 1<<20)
	if err != nil || string(got) != "督促状\n高橋 恵子\t090-2718-2818\n" {
		t.Errorf("%v %q", err, got)
	}
	binary.LittleEndian.PutUint16(word[fibFlags:], 0x0004)
	if _, err := readDOC(word, nil, 1<<20); err == nil {
		t.Errorf("fast-saved Word 6 read")
	}
}

// buildWord97 is a WordDocument stream and a 1Table stream whose piece
// table holds the pieces given: 8-bit (CP1252) ones and UTF-16 ones.
func buildWord97(pieces []struct {
	text       string
	compressed bool
}) (word, table []byte) {
	le := binary.LittleEndian
	word = make([]byte, 0x800)
	le.PutUint16(word, fibIdent)
	le.PutUint16(word[2:], 0x00C1)
	le.PutUint16(word[fibFlags:], 0x0200) // 1Table
	p := fibRgStart
	le.PutUint16(word[p:], 14)
	p += 2 + 28
	le.PutUint16(word[p:], 22)
	p += 2 + 88
	le.PutUint16(word[p:], 93)
	fcLcb := p + 2
	var cps []uint32
	var pcds []byte
	cp := uint32(0)
	for _, pc := range pieces {
		cps = append(cps, cp)
		fc := uint32(len(word))
		var n int
		if pc.compressed {
			b, _ := charmap.Windows1252.NewEncoder().String(pc.text)
			word = append(word, b...)
			n = len(b)
			fc = fc*2 | 0x40000000
		} else {
			u := utf16.Encode([]rune(pc.text))
			for _, c := range u {
				word = le.AppendUint16(word, c)
			}
			n = len(u)
		}
		pcd := make([]byte, 8)
		le.PutUint32(pcd[2:], fc)
		pcds = append(pcds, pcd...)
		cp += uint32(n)
	}
	cps = append(cps, cp)
	var plc []byte
	for _, c := range cps {
		plc = le.AppendUint32(plc, c)
	}
	plc = append(plc, pcds...)
	table = append([]byte{0x01, 2, 0, 0xAA, 0xBB, 0x02}, le.AppendUint32(nil, uint32(len(plc)))...) // a Prc, then the Pcdt
	table = append(table, plc...)
	le.PutUint32(word[fcLcb+33*8:], 0)
	le.PutUint32(word[fcLcb+33*8+4:], uint32(len(table)))
	return word, table
}

func TestDOCEightBitAndUTF16Pieces(t *testing.T) {
	word, table := buildWord97([]struct {
		text       string
		compressed bool
	}{
		{"Caf\u00e9 \u201cdesk\u201d: call 0564-23-4111\r", true},
		{"氏名\a電話番号\a\a佐藤 健一\a090-3141-5926\a\a", false},
		{"end\r", true},
	})
	got, err := readDOC(word, map[string][]byte{"1Table": table}, 1<<20)
	want := "Café “desk”: call 0564-23-4111\n氏名\t電話番号\n佐藤 健一\t090-3141-5926\nend\n"
	if err != nil || string(got) != want {
		t.Errorf("%v\n%q\nwant\n%q", err, got, want)
	}
	// LibreOffice's tables are told by their paragraph properties.
	word, tables := docStreams(t, "tokusoku.doc")
	d := &docText{word: word, table: tables["1Table"]}
	if d.table == nil {
		d.table = tables["0Table"]
	}
	fc, lcb, _ := d.fcLcb(13)
	d.readPAPX(fc, lcb)
	if !d.havePAPX || len(d.rowEnds) != 13 {
		t.Errorf("paragraph properties: %v, %d row ends", d.havePAPX, len(d.rowEnds))
	}
}
