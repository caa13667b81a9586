package office

import (
	"errors"
	"strings"
	"testing"

	"github.com/rouei/rouei/scanners"
)

func TestIdentifyAccessAndPDF(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
		kind string
	}{
		{"a.mdb", append([]byte{0, 1, 0, 0}, "Standard Jet DB\x00"...), "access"},
		{"a.accdb", append([]byte{0, 1, 0, 0}, "Standard ACE DB\x00"...), "access"},
		{"a.pdf", []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"), "pdf"},
		{"b.pdf", []byte("junk before the header\r\n%PDF-1.7\n"), "pdf"},
	} {
		op := Identify(tt.name, tt.data)
		if op == nil || op.Kind() != tt.kind {
			t.Errorf("%s: Identify = %v, want %s", tt.name, op, tt.kind)
		}
	}
	tarHead := make([]byte, 1024)
	copy(tarHead, "manual.pdf")
	copy(tarHead[257:], "ustar")
	copy(tarHead[512:], "%PDF-1.7\n")
	if op := Identify("x.tar", tarHead); op != nil {
		t.Errorf("a tar whose first member is a PDF: Identify = %s", op.Kind())
	}
	for _, text := range []string{
		"magic := []byte(\"%PDF-1.7\") // a PDF header\n",
		"%PDF-x is not a version\n",
		"See the %PDF-1.4 header in the spec.\n",
	} {
		if op := Identify("notes.txt", []byte(text)); op != nil {
			t.Errorf("%q: Identify = %s, want text", text, op.Kind())
		}
	}
}

// A compound file that is not a workbook or a document (a PowerPoint 97
// presentation, say): its streams are yielded for the engine to sniff,
// names cleaned. So are a Word document's when its text cannot be read,
// after an error member saying so.
func TestOLE2Streams(t *testing.T) {
	data := buildCFB(t, []string{"PowerPoint Document", "\x05SummaryInformation"},
		[][]byte{append([]byte("\xec\xa5"), "岡崎 花子"...), []byte("props")})
	op := Identify("a.ppt", data)
	if op == nil || op.Kind() != "ole2" {
		t.Fatalf("Identify = %v", op)
	}
	gs, err := walk(t, op, data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 2 {
		t.Fatalf("members %+v", gs)
	}
	member(t, gs, "PowerPoint Document")
	member(t, gs, "SummaryInformation")

	data = buildCFB(t, []string{"WordDocument", "\x05SummaryInformation"},
		[][]byte{append(append([]byte("\xec\xa5"), make([]byte, 40)...), "岡崎 花子"...), []byte("props")})
	op = Identify("a.doc", data)
	if op == nil || op.Kind() != "doc" {
		t.Fatalf("Identify = %v", op)
	}
	gs, err = walk(t, op, data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 3 || !errors.Is(member(t, gs, "document").err, errDOC) {
		t.Fatalf("members %+v", gs)
	}
	g := member(t, gs, "WordDocument")
	if g.isText || g.readErr != nil || !strings.Contains(g.text, "岡崎 花子") {
		t.Errorf("WordDocument: text %v, err %v, %d bytes", g.isText, g.readErr, len(g.text))
	}
	member(t, gs, "SummaryInformation")
}

// A root Workbook stream makes the file an xls: only its sheets are
// yielded, not its other streams.
func TestXLSOnlySheets(t *testing.T) {
	book := biffRecords(rec(recBOF, bof(0x0005)), rec(recEOF, nil))
	data := buildCFB(t, []string{"Workbook", "\x05SummaryInformation"}, [][]byte{book, []byte("props")})
	gs, err := walk(t, Identify("a.xls", data), data, scanners.DefaultLimits)
	if err != nil || len(gs) != 0 {
		t.Fatalf("Walk = %+v, %v; want no members", gs, err)
	}
}
