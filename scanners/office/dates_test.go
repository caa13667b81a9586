package office

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/scanners"
)

func TestFormatKind(t *testing.T) {
	for code, want := range map[string]numKind{
		"yyyy/m/d":                           kindDate,
		"yyyy-mm-dd;@":                       kindDate,
		`yyyy"年"m"月"d"日"`:                    kindDate,
		`[$-411]ggge"年"m"月"d"日"`:             kindDate,
		`[$-F800]dddd, mmmm dd, yyyy`:        kindDate,
		"d-mmm-yy":                           kindDate,
		"mmm":                                kindDate,
		"m/d/yy h:mm":                        kindDateTime,
		"yyyy/mm/dd hh:mm:ss":                kindDateTime,
		"h:mm:ss":                            kindTime,
		"[h]:mm":                             kindTime,
		"mm:ss":                              kindTime,
		"General":                            kindNumber,
		"0":                                  kindNumber,
		"#,##0":                              kindNumber,
		"0.00E+00":                           kindNumber,
		`0"日"`:                               kindNumber,
		`#,##0"days"`:                        kindNumber,
		`\d0`:                                kindNumber,
		"[Red]0.0;[Blue]-0.0":                kindNumber,
		`[$¥-411]#,##0`:                      kindNumber,
		`"No."0000`:                          kindNumber,
		`0;"yyyy"`:                           kindNumber,
		`_(* #,##0_);_(* (#,##0);_(* "-"_)`:  kindNumber,
		`[<=9999999]###-####;(###) ###-####`: kindNumber,
	} {
		if got := formatKind(code); got != want {
			t.Errorf("formatKind(%q) = %d, want %d", code, got, want)
		}
	}
	for id, want := range map[int]numKind{0: kindNumber, 1: kindNumber, 3: kindNumber, 14: kindDate, 17: kindDate, 22: kindDateTime,
		20: kindTime, 27: kindDate, 31: kindDate, 36: kindDate, 37: kindNumber, 49: kindNumber, 50: kindDate, 57: kindDate, 58: kindDate, 59: kindNumber} {
		if got := builtinKind(id); got != want {
			t.Errorf("builtinKind(%d) = %d, want %d", id, got, want)
		}
	}
}

// serial is the 1900-system serial number of a date after February 1900.
func serial(y int, m time.Month, d int) float64 {
	return float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
}

func TestAppendSerial(t *testing.T) {
	for _, c := range []struct {
		v        float64
		kind     numKind
		date1904 bool
		want     string
	}{
		{1, kindDate, false, "1900-01-01"},
		{59, kindDate, false, "1900-02-28"},
		{60, kindDate, false, "1900-02-29"},
		{61, kindDate, false, "1900-03-01"},
		{serial(1948, 9, 22), kindDate, false, "1948-09-22"},
		{serial(2026, 10, 15) + 0.75, kindDateTime, false, "2026-10-15 18:00:00"},
		{serial(2026, 10, 15) + 0.9999999, kindDate, false, "2026-10-16"},
		{0.5, kindTime, false, "12:00:00"},
		{0, kindDate, true, "1904-01-01"},
		{serial(1990, 1, 1) - 1462, kindDate, true, "1990-01-01"},
	} {
		got, ok := appendSerial(nil, c.v, c.kind, c.date1904)
		if !ok || string(got) != c.want {
			t.Errorf("appendSerial(%v, %d, %v) = %q %v, want %q", c.v, c.kind, c.date1904, got, ok, c.want)
		}
	}
	for _, v := range []float64{-1, 0, 3e6, math.NaN(), math.Inf(1)} {
		if got, ok := appendSerial(nil, v, kindDate, false); ok {
			t.Errorf("appendSerial(%v) = %q, want no date", v, got)
		}
	}
}

// dateWorkbook is a patron registry and a loan list: birth dates under a
// custom format, loan dates under built-in 14, due dates under the
// Japanese built-in 57, a patron ID and an amount that stay numbers.
func dateWorkbook(date1904 bool) []part {
	pr := ""
	off := 0.0
	if date1904 {
		pr, off = `<workbookPr date1904="1"/>`, 1462
	}
	var reg, loans strings.Builder
	reg.WriteString(`<row r="1"><c t="inlineStr"><is><t>利用者番号</t></is></c><c t="inlineStr"><is><t>氏名</t></is></c><c t="inlineStr"><is><t>生年月日</t></is></c></row>`)
	for i, b := range []float64{serial(1948, 9, 22), serial(1975, 1, 31), serial(2001, 12, 1)} {
		fmt.Fprintf(&reg, `<row r="%d"><c s="0"><v>%d</v></c><c t="inlineStr"><is><t>氏名%d</t></is></c><c s="1"><v>%v</v></c></row>`, i+2, 1001+i, i, b-off)
	}
	loans.WriteString(`<row r="1"><c t="inlineStr"><is><t>貸出日</t></is></c><c t="inlineStr"><is><t>返却期限</t></is></c><c t="inlineStr"><is><t>延滞金</t></is></c><c t="inlineStr"><is><t>時刻</t></is></c></row>`)
	fmt.Fprintf(&loans, `<row r="2"><c s="2"><v>%v</v></c><c s="3"><v>%v</v></c><c s="4"><v>45000</v></c><c s="5"><v>0.25</v></c></row>`, serial(2026, 10, 1)-off, serial(2026, 10, 15)-off)
	return []part{
		contentTypes(),
		rootRels("xl/workbook.xml"),
		{"xl/workbook.xml", `<workbook ` + nsMain + ` ` + nsRel + `>` + pr + `<sheets><sheet name="登録" sheetId="1" r:id="rId1"/><sheet name="貸出" sheetId="2" r:id="rId2"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="` + relNS + `worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="` + relNS + `worksheet" Target="worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="` + relNS + `styles" Target="styles.xml"/></Relationships>`},
		{"xl/styles.xml", `<styleSheet ` + nsMain + `><numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy/m/d"/><numFmt numFmtId="177" formatCode="#,##0&quot;円&quot;"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="14"/><xf numFmtId="57"/><xf numFmtId="177"/><xf numFmtId="20"/></cellXfs></styleSheet>`},
		{"xl/worksheets/sheet1.xml", `<worksheet ` + nsMain + `><sheetData>` + reg.String() + `</sheetData></worksheet>`},
		{"xl/worksheets/sheet2.xml", `<worksheet ` + nsMain + `><sheetData>` + loans.String() + `</sheetData></worksheet>`},
	}
}

func TestXLSXDates(t *testing.T) {
	for _, d1904 := range []bool{false, true} {
		data := makeZip(t, dateWorkbook(d1904)...)
		gs, err := walk(t, Identify("a.xlsx", data), data, scanners.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := member(t, gs, "登録").text, "利用者番号\t氏名\t生年月日\n1001\t氏名0\t1948-09-22\n1002\t氏名1\t1975-01-31\n1003\t氏名2\t2001-12-01\n"; got != want {
			t.Errorf("1904=%v: registry\n%s", d1904, got)
		}
		if got, want := member(t, gs, "貸出").text, "貸出日\t返却期限\t延滞金\t時刻\n2026-10-01\t2026-10-15\t45000\t06:00:00\n"; got != want {
			t.Errorf("1904=%v: loans\n%s", d1904, got)
		}
	}
}

func cellHdrX(row, col, ixfe uint16, rest []byte) []byte {
	return append(append(append(u16(row), u16(col)...), u16(ixfe)...), rest...)
}

func f64(v float64) []byte { return binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)) }

// The same in an Excel 97 and an Excel 95 workbook: FORMAT and XF
// records, dates in NUMBER, RK and MULRK cells, a number that stays one.
func TestXLSDates(t *testing.T) {
	for _, biff8 := range []bool{true, false} {
		format := append(u16(164), append(u16(10), append([]byte{0}, "yyyy/mm/dd"...)...)...)
		ver := uint16(0x0600)
		if !biff8 {
			format = append(u16(164), append([]byte{10}, "yyyy/mm/dd"...)...)
			ver = 0x0500
		}
		xf := func(ifmt uint16) []byte { return rec(recXF, append(append(u16(0), u16(ifmt)...), make([]byte, 16)...)) }
		bofv := func(dt uint16) []byte { return append(append(u16(ver), u16(dt)...), make([]byte, 12)...) }
		globals := [][]byte{rec(recBOF, bofv(0x0005)), nil, rec(recFORMAT, format),
			xf(0), xf(164), xf(14), xf(31), xf(3), rec(recEOF, nil)}
		globals[1] = rec(recBOUNDSHEET, boundsheet(0, "s"))
		if !biff8 {
			globals[1] = rec(recBOUNDSHEET, append(append(u32(0), 0, 0), append([]byte{1}, 's')...))
		}
		off := len(biffRecords(globals...))
		if biff8 {
			globals[1] = rec(recBOUNDSHEET, boundsheet(off, "s"))
		} else {
			globals[1] = rec(recBOUNDSHEET, append(append(u32(uint32(off)), 0, 0), append([]byte{1}, 's')...))
		}
		birth, due := serial(1948, 9, 22), serial(2026, 10, 15)
		sheet := biffRecords(
			rec(recBOF, bofv(0x0010)),
			rec(recNUMBER, cellHdrX(0, 0, 1, f64(birth))),
			rec(recRK, cellHdrX(0, 1, 2, u32(rkInt(int32(due))))),
			rec(recNUMBER, cellHdrX(0, 2, 4, f64(12345))),
			rec(recMULRK, append(append(cellHdrX(1, 0, 0, nil)[:4], append(u16(3), u32(rkInt(int32(due)))...)...), append(append(u16(0), u32(rkInt(20000))...), u16(1)...)...)),
			rec(recEOF, nil),
		)
		data := buildCFB(t, []string{"Workbook"}, [][]byte{append(biffRecords(globals...), sheet...)})
		gs, err := walk(t, Identify("a.xls", data), data, scanners.DefaultLimits)
		if err != nil {
			t.Fatalf("biff8=%v: %v", biff8, err)
		}
		if want := "1948-09-22\t2026-10-15\t12345\n2026-10-15\t20000\n"; len(gs) != 1 || gs[0].text != want {
			t.Errorf("biff8=%v: %+v", biff8, gs)
		}
	}
}

// The Calc-made spreadsheets give their CSV twins' rows, dates in ISO
// form, numbers as numbers.
func TestCalcDatesAreTheirTwins(t *testing.T) {
	for _, name := range []string{"dates-registry", "dates-loans"} {
		want := strings.ReplaceAll(strings.ReplaceAll(string(readFixture(t, name+".csv")), ",", "\t"), "/", "-")
		for _, ext := range []string{".xlsx", ".xls"} {
			data := readFixture(t, name+ext)
			gs, err := walk(t, Identify(name+ext, data), data, scanners.DefaultLimits)
			if err != nil || len(gs) != 1 || gs[0].text != want {
				t.Errorf("%s%s: %v\n%+v", name, ext, err, gs)
			}
		}
	}
}
