package office

import (
	"io"
	"testing"

	"github.com/rouei/rouei/scanners"
)

// fuzzLimits are small, so that a hostile input hits them quickly.
var fuzzLimits = func() scanners.Limits {
	l := scanners.DefaultLimits
	l.MaxMemberBytes = 1 << 20
	l.MaxArchiveBytes = 4 << 20
	l.MaxMembers = 1000
	l.MaxSpoolBytes = 8 << 20
	return l
}()

// checkBounded asserts what any walk must keep to, whatever the input.
func checkBounded(t *testing.T, gs []got) {
	total := 0
	for _, g := range gs {
		if len(g.text) > int(fuzzLimits.MaxMemberBytes) {
			t.Fatalf("member %q: %d bytes, over the member limit", g.name, len(g.text))
		}
		total += len(g.text)
	}
	if total > int(fuzzLimits.MaxArchiveBytes) {
		t.Fatalf("%d bytes in all, over the container limit", total)
	}
	if len(gs) > fuzzLimits.MaxMembers {
		t.Fatalf("%d members, over the limit", len(gs))
	}
}

func FuzzXLSX(f *testing.F) {
	f.Add(makeXLSX(f))
	f.Add(readFixture(f, "patrons-gnumeric.xlsx"))
	f.Add(readFixture(f, "dates-registry.xlsx"))
	f.Add(makeZip(f, dateWorkbook(true)...))
	f.Add(makeZip(f, contentTypes(), rootRels("word/document.xml"), part{"word/document.xml",
		`<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>氏名</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl></w:body></w:document>`}))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, kind := range []string{"xlsx", "docx", "pptx"} {
			gs, _ := walk(t, ooxmlOpener{kind: kind}, data, fuzzLimits)
			checkBounded(t, gs)
		}
	})
}

func FuzzXLS(f *testing.F) {
	f.Add(readFixture(f, "patrons.xls"))
	f.Add(readFixture(f, "patrons95.xls"))
	f.Add(readFixture(f, "dates-loans.xls"))
	f.Add(readFixture(f, "tokusoku.doc"))
	book := biffRecords(rec(recBOF, bof(0x0005)), rec(recBOUNDSHEET, boundsheet(0, "督促")), rec(recEOF, nil))
	f.Add(buildCFB(f, []string{"Workbook"}, [][]byte{book}))
	f.Fuzz(func(t *testing.T, data []byte) {
		gs, _ := walk(t, ole2Opener{kind: "xls"}, data, fuzzLimits)
		checkBounded(t, gs)
	})
}

// FuzzBIFF fuzzes the Workbook stream parser directly, past the compound
// file's checks.
func FuzzBIFF(f *testing.F) {
	data := readFixture(f, "patrons.xls")
	gs, err := walk(f, ole2Opener{kind: "xls"}, data, fuzzLimits)
	if err != nil || len(gs) == 0 {
		f.Fatal("fixture unreadable")
	}
	globals := biffRecords(rec(recBOF, bof(0x0005)), rec(recBOUNDSHEET, boundsheet(0, "督促")), rec(recEOF, nil))
	globals = biffRecords(rec(recBOF, bof(0x0005)), rec(recBOUNDSHEET, boundsheet(len(globals), "督促")), rec(recEOF, nil))
	f.Add(append(globals, biffRecords(rec(recBOF, bof(0x0010)), rec(recLABEL, cellHdr(0, 0, xlStr("氏名", 0, 0, 0))), rec(recEOF, nil))...))
	f.Fuzz(func(t *testing.T, stream []byte) {
		var out []got
		w := newWalker(t.Context(), fuzzLimits, func(m scanners.Member) error {
			g := got{name: m.Name, err: m.Err}
			if m.Open != nil {
				rc, _ := m.Open()
				b, _ := io.ReadAll(rc)
				g.text = string(b)
			}
			out = append(out, g)
			return nil
		})
		_ = walkBIFF(w, stream, "")
		checkBounded(t, out)
	})
}

func FuzzDBF(f *testing.F) {
	f.Add(readFixture(f, "patrons.dbf"))
	f.Add(readFixture(f, "kashidashi.dbf"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := parseDBFHeader(data); err != nil {
			return
		}
		gs, _ := walk(t, dbfOpener{}, data, fuzzLimits)
		checkBounded(t, gs)
	})
}

// FuzzDOC fuzzes the Word 97 text reader on its two streams, past the
// compound file's checks.
func FuzzDOC(f *testing.F) {
	for _, n := range []string{"tokusoku.doc", "letter.doc", "manual.doc"} {
		word, tables := docStreams(f, n)
		tb := tables["1Table"]
		if tb == nil {
			tb = tables["0Table"]
		}
		f.Add(word, tb)
	}
	f.Fuzz(func(t *testing.T, word, table []byte) {
		text, _ := readDOC(word, map[string][]byte{"0Table": table, "1Table": table}, fuzzLimits.MaxMemberBytes)
		if len(text) > int(fuzzLimits.MaxMemberBytes) {
			t.Fatalf("%d bytes of text", len(text))
		}
	})
}
