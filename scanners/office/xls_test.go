package office

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/rouei/rouei/scanners"
)

// The fixtures were written by gnumeric from the same workbook as
// patrons-gnumeric.xlsx (testdata/make_fixtures.py); their 多数 sheet
// has 300 distinct strings, so the BIFF8 shared string table runs into
// CONTINUE records.
func TestXLSFixtures(t *testing.T) {
	for _, name := range []string{"patrons.xls", "patrons95.xls"} {
		t.Run(name, func(t *testing.T) {
			data := readFixture(t, name)
			op := Identify(name, data[:min(len(data), 64<<10)])
			if op == nil || op.Kind() != "xls" {
				t.Fatalf("Identify = %v", op)
			}
			gs, err := walk(t, op, data, scanners.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			checkFixtureSheets(t, gs)
		})
	}
}

func TestXLSBad(t *testing.T) {
	good := readFixture(t, "patrons.xls")
	t.Run("truncated", func(t *testing.T) {
		_, err := walk(t, ole2Opener{kind: "xls"}, good[:len(good)/3], scanners.DefaultLimits)
		if err == nil {
			t.Fatal("no error from a truncated workbook")
		}
	})
	t.Run("empty", func(t *testing.T) {
		if _, err := walk(t, ole2Opener{kind: "xls"}, nil, scanners.DefaultLimits); err == nil {
			t.Fatal("no error from an empty file")
		}
	})
	t.Run("password", func(t *testing.T) {
		book := biffRecords(rec(recBOF, bof(0x0005)), rec(recFILEPASS, []byte{1, 0, 1, 0}), rec(recEOF, nil))
		data := buildCFB(t, []string{"Workbook"}, [][]byte{book})
		_, err := walk(t, Identify("a.xls", data), data, scanners.DefaultLimits)
		if !errors.Is(err, scanners.ErrEncrypted) {
			t.Fatalf("Walk error %v, want ErrEncrypted", err)
		}
	})
	t.Run("bad sheet offset", func(t *testing.T) {
		book := biffRecords(rec(recBOF, bof(0x0005)), rec(recBOUNDSHEET, boundsheet(1<<20, "督促")), rec(recEOF, nil))
		data := buildCFB(t, []string{"Workbook"}, [][]byte{book})
		gs, err := walk(t, Identify("a.xls", data), data, scanners.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if g := member(t, gs, "督促"); g.err == nil {
			t.Fatal("no member error for a sheet past the end of the stream")
		}
	})
	t.Run("shared sheet position", func(t *testing.T) {
		globals := func(pos int) []byte {
			return biffRecords(rec(recBOF, bof(0x0005)), rec(recBOUNDSHEET, boundsheet(pos, "督促")),
				rec(recBOUNDSHEET, boundsheet(pos, "複製")), rec(recEOF, nil))
		}
		book := globals(len(globals(0)))
		book = append(book, biffRecords(rec(recBOF, bof(0x0010)), rec(recLABEL, cellHdr(0, 0, xlStr("氏名", 0, 0, 0))), rec(recEOF, nil))...)
		data := buildCFB(t, []string{"Workbook"}, [][]byte{book})
		gs, err := walk(t, Identify("a.xls", data), data, scanners.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if g := member(t, gs, "督促"); g.text != "氏名\n" {
			t.Errorf("督促: %q", g.text)
		}
		if g := member(t, gs, "複製"); g.err == nil {
			t.Error("複製: no error for a second sheet at the same position")
		}
	})
	t.Run("no BOF", func(t *testing.T) {
		data := buildCFB(t, []string{"Workbook"}, [][]byte{[]byte("not a workbook stream")})
		if _, err := walk(t, Identify("a.xls", data), data, scanners.DefaultLimits); err == nil {
			t.Fatal("no error")
		}
	})
}

// A hand-built BIFF8 workbook exercising what gnumeric did not write: a
// string whose characters start in a CONTINUE record (after its header
// at the very end of the SST record), a string switching from 8-bit to
// 16-bit characters across a CONTINUE, rich and extended strings, RK,
// MULRK, a formula with a string result, and cells out of order.
func TestXLSHandBuilt(t *testing.T) {
	// SST: string 0 "氏名" rich (1 run), string 1 "電話番号" with ext data,
	// string 2 "Okazaki 花子": its header ends the SST record, its first
	// 8 characters are 8-bit in CONTINUE 1, the rest 16-bit in CONTINUE 2.
	s0 := xlStr("氏名", 0x08, 1, 0)
	s0 = append(s0, 0, 0, 0, 0) // the run
	s1 := xlStr("電話番号", 0x04, 0, 3)
	s1 = append(s1, 1, 2, 3) // ext data
	sstBody := append(u32(3), u32(3)...)
	sstBody = append(sstBody, s0...)
	sstBody = append(sstBody, s1...)
	sstBody = append(sstBody, 11, 0, 0) // header of string 2: 11 chars, 8-bit
	cont1 := append([]byte{0}, "Okazaki "...)
	cont2 := append([]byte{1}, utf16le("花子")...)
	cont2 = append(cont2, 0x0A, 0) // and one more character
	sheetName := "督促"
	globals := [][]byte{
		rec(recBOF, bof(0x0005)),
		nil, // BOUNDSHEET, patched below
		rec(recSST, sstBody), rec(recCONTINUE, cont1), rec(recCONTINUE, cont2),
		rec(recEOF, nil),
	}
	globals[1] = rec(recBOUNDSHEET, boundsheet(0, sheetName))
	off := len(biffRecords(globals...))
	globals[1] = rec(recBOUNDSHEET, boundsheet(off, sheetName))
	number := make([]byte, 8)
	binary.LittleEndian.PutUint64(number, math.Float64bits(9000002222))
	strRes := []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}
	sheet := biffRecords(
		rec(recBOF, bof(0x0010)),
		rec(recLABELSST, cellHdr(1, 0, u32(2))),
		rec(recLABELSST, cellHdr(0, 1, u32(1))),
		rec(recLABELSST, cellHdr(0, 0, u32(0))),
		rec(recNUMBER, cellHdr(1, 1, number)),
		rec(recMULRK, append(append(cellHdr(3, 0, nil)[:4], append(u16(0), u32(rkInt(7))...)...), append(append(u16(0), u32(rkInt(-2)|1)...), u16(1)...)...)),
		rec(recFORMULA, cellHdr(3, 3, append(strRes, make([]byte, 8)...))),
		rec(recSTRING, xlStr("式の結果", 0x00, 0, 0)),
		rec(recRK, cellHdr(3, 2, u32(rkInt(12345)|1))),
		// An embedded chart's substream: its cells are not the sheet's.
		rec(recBOF, bof(0x0020)), rec(recLABELSST, cellHdr(9, 9, u32(0))), rec(recEOF, nil),
		rec(recEOF, nil),
	)
	book := append(biffRecords(globals...), sheet...)
	data := buildCFB(t, []string{"Workbook"}, [][]byte{book})
	gs, err := walk(t, Identify("a.xls", data), data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := "氏名\t電話番号\n" +
		"Okazaki 花子 \t9000002222\n" +
		"\n" +
		"7\t-0.02\t123.45\t式の結果\n"
	if len(gs) != 1 || gs[0].name != sheetName || gs[0].text != want {
		t.Fatalf("got %+v\nwant %q", gs, want)
	}
}

func rec(typ uint16, body []byte) []byte {
	return append(append(u16(typ), u16(uint16(len(body)))...), body...)
}

func biffRecords(recs ...[]byte) []byte {
	var out []byte
	for _, r := range recs {
		out = append(out, r...)
	}
	return out
}

func bof(dt uint16) []byte {
	return append(append(u16(0x0600), u16(dt)...), make([]byte, 12)...)
}

func boundsheet(pos int, name string) []byte {
	b := append(u32(uint32(pos)), 0, 0)
	u := utf16.Encode([]rune(name))
	b = append(b, byte(len(u)), 1)
	return append(b, utf16le(name)...)
}

func cellHdr(row, col uint16, rest []byte) []byte {
	return append(append(append(u16(row), u16(col)...), u16(15)...), rest...)
}

// xlStr is an XLUnicodeRichExtendedString (or, with flags 0, an
// XLUnicodeString) of s in 16-bit characters.
func xlStr(s string, flags byte, runs uint16, ext uint32) []byte {
	u := utf16.Encode([]rune(s))
	b := append(u16(uint16(len(u))), flags|1)
	if flags&0x08 != 0 {
		b = append(b, u16(runs)...)
	}
	if flags&0x04 != 0 {
		b = append(b, u32(ext)...)
	}
	return append(b, utf16le(s)...)
}

func utf16le(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = append(b, u16(c)...)
	}
	return b
}

func rkInt(v int32) uint32 { return uint32(v)<<2 | 2 }

func u16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func TestRK(t *testing.T) {
	tests := []struct {
		rk   uint32
		want string
	}{
		{rkInt(9000), "9000"},
		{rkInt(-5), "-5"},
		{rkInt(12345) | 1, "123.45"},
		{uint32(math.Float64bits(2.5) >> 32), "2.5"},
		{uint32(math.Float64bits(2.5)>>32) | 1, "0.025"},
	}
	for _, tt := range tests {
		if got := string(appendNumber(nil, rk(tt.rk))); got != tt.want {
			t.Errorf("rk(%#x) = %s, want %s", tt.rk, got, tt.want)
		}
	}
	if got := string(appendNumber(nil, 9000002222)); got != "9000002222" {
		t.Errorf("appendNumber(9000002222) = %s", got)
	}
	if got := string(appendNumber(nil, 0.1)); !strings.HasPrefix(got, "0.1") {
		t.Errorf("appendNumber(0.1) = %s", got)
	}
}
