package msi

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
)

// encodeStreamName is the inverse of DecodeStreamName (as Windows
// Installer writes names), for tests.
func encodeStreamName(name string, table bool) string {
	idx := func(c byte) (int, bool) {
		switch {
		case c >= '0' && c <= '9':
			return int(c - '0'), true
		case c >= 'A' && c <= 'Z':
			return int(c-'A') + 10, true
		case c >= 'a' && c <= 'z':
			return int(c-'a') + 36, true
		case c == '.':
			return 62, true
		case c == '_':
			return 63, true
		}
		return 0, false
	}
	var out []rune
	if table {
		out = append(out, tableMarker)
	}
	for i := 0; i < len(name); i++ {
		a, ok := idx(name[i])
		if !ok {
			out = append(out, rune(name[i]))
			continue
		}
		if i+1 < len(name) {
			if b, ok := idx(name[i+1]); ok {
				out = append(out, rune(0x3800+a+b<<6))
				i++
				continue
			}
		}
		out = append(out, rune(0x4800+a))
	}
	return string(out)
}

func TestDecodeStreamName(t *testing.T) {
	for _, tc := range []struct {
		name  string
		table bool
	}{
		{"_StringPool", true}, {"_Columns", true}, {"File", true}, {"Property", true},
		{"data.cab", false}, {"Binary.CustomAction1", false}, {"Icon.app_icon.ico", false}, {"x", false}, {"ab-cd", false},
	} {
		enc := encodeStreamName(tc.name, tc.table)
		if enc == tc.name {
			t.Errorf("%s: not compressed", tc.name)
		}
		got, table := DecodeStreamName(enc)
		if got != tc.name || table != tc.table {
			t.Errorf("%q: decoded %q table=%v", tc.name, got, table)
		}
	}
	// A real name as Windows Installer stores it: "_StringData".
	if got, table := DecodeStreamName("\u4840\u3f3f\u4577\u446c\u3b6a\u45e4\u4824"); got != "_StringData" || !table {
		t.Errorf("real _StringData: %q %v", got, table)
	}
	// Names outside the alphabet are left alone.
	if got, _ := DecodeStreamName("\x05SummaryInformation"); got != "\x05SummaryInformation" {
		t.Errorf("summary: %q", got)
	}
}

// builder writes the streams of a database for tests.
type builder struct {
	codepage int
	long     bool // 3-byte string references
	strs     []string
	ids      map[string]int
	enc      func(string) []byte
	schema   map[string][]Column
	order    []string
	rows     map[string][][]any
}

func newBuilder(codepage int) *builder {
	b := &builder{codepage: codepage, ids: map[string]int{}, schema: map[string][]Column{}, rows: map[string][][]any{}}
	b.enc = func(s string) []byte { return []byte(s) }
	if codepage == 932 {
		b.enc = func(s string) []byte { out, _ := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s)); return out }
	}
	return b
}

func (b *builder) id(s string) int {
	if s == "" {
		return 0
	}
	if i, ok := b.ids[s]; ok {
		return i
	}
	b.strs = append(b.strs, s)
	b.ids[s] = len(b.strs)
	return len(b.strs)
}

// table declares a table: columns "s" string, "i2", "i4".
func (b *builder) table(name string, cols ...string) {
	b.order = append(b.order, name)
	for _, c := range cols {
		n, typ, _ := strings.Cut(c, ":")
		var t int
		switch typ {
		case "s":
			t = 0x0D48 // string, valid, 72 chars, nullable? (0x1D48 nullable)
		case "i2":
			t = 0x1502
		case "i4":
			t = 0x0104
		}
		b.schema[name] = append(b.schema[name], Column{Name: n, Type: t})
	}
}

func (b *builder) row(name string, vals ...any) { b.rows[name] = append(b.rows[name], vals) }

func (b *builder) put(buf *bytes.Buffer, v any, c Column) {
	w := c.width(b.strBytes())
	var u uint32
	switch x := v.(type) {
	case string:
		u = uint32(b.id(x))
	case int:
		if w == 2 {
			u = uint32(x + 0x8000)
		} else {
			u = uint32(int64(x) + 0x80000000)
		}
	case nil:
	}
	for k := 0; k < w; k++ {
		buf.WriteByte(byte(u >> (8 * k)))
	}
}

func (b *builder) strBytes() int {
	if b.long {
		return 3
	}
	return 2
}

func (b *builder) encodeTable(name string, cols []Column, rows [][]any) []byte {
	var buf bytes.Buffer
	for ci, c := range cols {
		for _, r := range rows {
			b.put(&buf, r[ci], c)
		}
	}
	return buf.Bytes()
}

// streams returns every table stream by name.
func (b *builder) streams() map[string][]byte {
	out := map[string][]byte{}
	var tables, cols [][]any
	for _, name := range b.order {
		tables = append(tables, []any{name})
		for i, c := range b.schema[name] {
			cols = append(cols, []any{name, i + 1, c.Name, c.Type})
		}
		out[name] = b.encodeTable(name, b.schema[name], b.rows[name])
	}
	out["_Tables"] = b.encodeTable("_Tables", []Column{{"Name", typeString}}, tables)
	out["_Columns"] = b.encodeTable("_Columns", []Column{{"Table", typeString}, {"Number", 2}, {"Name", typeString}, {"Type", 2}}, cols)
	var pool, data bytes.Buffer
	hdr := uint32(b.codepage)
	if b.long {
		hdr |= 0x80000000
	}
	binary.Write(&pool, binary.LittleEndian, hdr)
	for _, s := range b.strs {
		e := b.enc(s)
		if len(e) >= 1<<16 {
			binary.Write(&pool, binary.LittleEndian, [2]uint16{0, uint16(len(e) >> 16)})
			binary.Write(&pool, binary.LittleEndian, [2]uint16{uint16(len(e)), 1})
		} else {
			binary.Write(&pool, binary.LittleEndian, [2]uint16{uint16(len(e)), 1})
		}
		data.Write(e)
	}
	out["_StringPool"], out["_StringData"] = pool.Bytes(), data.Bytes()
	return out
}

func readStreams(m map[string][]byte) (*Database, error) {
	return Read(func(name string) ([]byte, bool, error) {
		b, ok := m[name]
		return b, ok, nil
	})
}

// installer builds a database with the usual tables.
func installer(codepage int, long bool, fileName string) *builder {
	b := newBuilder(codepage)
	b.long = long
	b.table("Directory", "Directory:s", "Directory_Parent:s", "DefaultDir:s")
	b.row("Directory", "TARGETDIR", nil, "SourceDir")
	b.row("Directory", "ProgramFilesFolder", "TARGETDIR", ".")
	b.row("Directory", "INSTALLDIR", "ProgramFilesFolder", "OPAC")
	b.row("Directory", "DATADIR", "INSTALLDIR", "DATA~1|業務データ")
	b.table("Component", "Component:s", "ComponentId:s", "Directory_:s", "Attributes:i2")
	b.row("Component", "C1", "{00000000-0000-0000-0000-000000000001}", "INSTALLDIR", 0)
	b.row("Component", "C2", "{00000000-0000-0000-0000-000000000002}", "DATADIR", 0)
	b.table("File", "File:s", "Component_:s", "FileName:s", "FileSize:i4", "Sequence:i2")
	b.row("File", "F1", "C1", "TOKUSO~1.CSV|"+fileName, 5052, 1)
	b.row("File", "F2", "C2", "readme.txt", 855, 2)
	b.row("File", "F3", "C2", nil, -7, 3)
	b.table("Media", "DiskId:i2", "LastSequence:i2", "Cabinet:s")
	b.row("Media", 1, 3, "#data.cab")
	b.row("Media", 2, 3, "disk2.cab")
	b.table("Property", "Property:s", "Value:s")
	b.row("Property", "ProductName", "OPAC\tクライアント")
	b.row("Property", "Manufacturer", "Example Vendor")
	return b
}

func TestReadInstaller(t *testing.T) {
	for _, tc := range []struct {
		codepage int
		long     bool
		file     string
	}{
		{1252, false, "tokusoku.csv"},
		{932, false, "督促一覧.csv"},
		{65001, true, "延滞 リスト.csv"},
		{0, false, "督促.csv"},
	} {
		t.Run(fmt.Sprint(tc.codepage, tc.long), func(t *testing.T) {
			db, err := readStreams(installer(tc.codepage, tc.long, tc.file).streams())
			if err != nil {
				t.Fatal(err)
			}
			if len(db.Errors) > 0 || db.Codepage != tc.codepage {
				t.Fatalf("errors %v codepage %d", db.Errors, db.Codepage)
			}
			paths := db.FilePaths()
			want := map[string]string{"F1": "OPAC/" + tc.file, "F2": "OPAC/業務データ/readme.txt", "F3": "OPAC/業務データ/F3"}
			if fmt.Sprint(paths) != fmt.Sprint(want) {
				t.Errorf("paths %q, want %q", paths, want)
			}
			emb, ext := db.Cabinets()
			if fmt.Sprint(emb, ext) != "[data.cab] [disk2.cab]" {
				t.Errorf("cabinets %q %q", emb, ext)
			}
			got := string(db.Table("Property").TSV())
			if got != "Property\tValue\nProductName\tOPAC クライアント\nManufacturer\tExample Vendor\n" {
				t.Errorf("Property TSV %q", got)
			}
			if f := string(db.Table("File").TSV()); !strings.Contains(f, "F3\tC2\t\t-7\t3\n") || !strings.HasPrefix(f, "File\tComponent_\tFileName\tFileSize\tSequence\n") {
				t.Errorf("File TSV %q", f)
			}
		})
	}
}

func TestLongString(t *testing.T) {
	b := newBuilder(65001)
	b.table("Property", "Property:s", "Value:s")
	long := strings.Repeat("長い値", 30000) // over 64 KiB encoded
	b.row("Property", "Big", long)
	b.row("Property", "Small", "x")
	db, err := readStreams(b.streams())
	if err != nil {
		t.Fatal(err)
	}
	p := db.Table("Property")
	if p.Rows[0][1] != long || p.Rows[1][1] != "x" {
		t.Errorf("long string lost: %d bytes", len(p.Rows[0][1]))
	}
}

func TestMalformed(t *testing.T) {
	good := installer(1252, false, "a.csv").streams()
	mut := func(name string, f func([]byte) []byte) map[string][]byte {
		m := map[string][]byte{}
		for k, v := range good {
			m[k] = append([]byte(nil), v...)
		}
		m[name] = f(m[name])
		return m
	}
	for what, m := range map[string]map[string][]byte{
		"no pool":            mut("_StringPool", func([]byte) []byte { return nil }),
		"odd pool":           mut("_StringPool", func(b []byte) []byte { return b[:len(b)-1] }),
		"short string data":  mut("_StringData", func(b []byte) []byte { return b[:len(b)/2] }),
		"string id too high": mut("_Tables", func(b []byte) []byte { b[0], b[1] = 0xFF, 0x7F; return b }),
		"partial row":        mut("_Columns", func(b []byte) []byte { return b[:len(b)-1] }),
	} {
		if _, err := readStreams(m); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v", what, err)
		}
	}
	// A broken table is an error of its own; the rest stand.
	db, err := readStreams(mut("File", func(b []byte) []byte { return b[:len(b)-3] }))
	if err != nil || len(db.Errors) != 1 || db.Table("Property") == nil || db.Table("File") != nil {
		t.Fatalf("broken File table: %v %v", err, db)
	}
}

// FuzzTables feeds the database reader streams cut from the input: a
// byte of lengths picks how the input splits into _StringPool,
// _StringData, _Tables, _Columns and one table.
func FuzzTables(f *testing.F) {
	names := []string{"_StringPool", "_StringData", "_Tables", "_Columns", "Property"}
	join := func(m map[string][]byte) []byte {
		var out []byte
		for _, n := range names {
			out = binary.LittleEndian.AppendUint16(out, uint16(len(m[n])))
			out = append(out, m[n]...)
		}
		return out
	}
	b := newBuilder(932)
	b.table("Property", "Property:s", "Value:s", "N:i2", "M:i4")
	b.row("Property", "氏名", "見本", 3, nil)
	f.Add(join(b.streams()))
	f.Add(join(installer(1252, true, "x").streams()))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := map[string][]byte{}
		for _, n := range names {
			if len(data) < 2 {
				break
			}
			l := int(binary.LittleEndian.Uint16(data))
			data = data[2:]
			l = min(l, len(data))
			m[n], data = data[:l], data[l:]
		}
		db, err := readStreams(m)
		if err != nil {
			return
		}
		for _, tb := range db.Tables {
			if len(tb.Columns) > MaxColumns {
				t.Fatalf("%d columns", len(tb.Columns))
			}
			for _, r := range tb.Rows {
				if len(r) != len(tb.Columns) {
					t.Fatalf("row of %d values in a table of %d columns", len(r), len(tb.Columns))
				}
			}
			tb.TSV()
		}
		db.FilePaths()
		db.Cabinets()
	})
}
