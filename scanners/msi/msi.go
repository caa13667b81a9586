// Package msi reads the database of a Windows Installer package (.msi,
// .msm): the compressed names of its compound-file streams, the string
// pool (_StringPool, _StringData), the table catalogue (_Tables,
// _Columns) and every table's rows; and from the File, Component,
// Directory and Media tables, the installed path of each file an
// embedded cabinet holds. The compound file itself is read elsewhere
// (mscfb); this package works on stream bytes handed to it, and bounds
// what it allocates by their sizes.
package msi

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// ErrFormat is wrapped by the errors of a malformed database.
var ErrFormat = errors.New("msi: malformed database")

func formatError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// tableMarker starts the stream name of a table.
const tableMarker = 0x4840

// DecodeStreamName undoes MSI's compression of stream names: characters
// U+3800–U+47FF hold two characters of the alphabet [0-9A-Za-z._] each,
// U+4800–U+483F one; a leading U+4840 marks a table's stream. table says
// the name had that marker (and it is not in the result).
func DecodeStreamName(name string) (decoded string, table bool) {
	var b strings.Builder
	for i, r := range name {
		switch {
		case i == 0 && r == tableMarker:
			table = true
		case r >= 0x3800 && r < 0x4800:
			c := r - 0x3800
			b.WriteByte(mime(byte(c & 0x3F)))
			b.WriteByte(mime(byte(c >> 6 & 0x3F)))
		case r >= 0x4800 && r < 0x4840:
			b.WriteByte(mime(byte(r - 0x4800)))
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), table
}

func mime(x byte) byte {
	switch {
	case x < 10:
		return '0' + x
	case x < 36:
		return 'A' + x - 10
	case x < 62:
		return 'a' + x - 36
	case x == 62:
		return '.'
	}
	return '_'
}

// Column type bits (as stored in _Columns.Type).
const (
	typeString   = 0x0800
	typeNullable = 0x1000
)

// Column is one column of a table.
type Column struct {
	Name string
	Type int
}

func (c Column) isString() bool { return c.Type&typeString != 0 }

// width is the bytes one value of the column takes in the table stream.
func (c Column) width(strBytes int) int {
	switch {
	case c.isString():
		return strBytes
	case c.Type&0xFF <= 2:
		return 2
	}
	return 4
}

// Table is one table of the database, its values as text (integers in
// decimal, a null as "").
type Table struct {
	Name    string
	Columns []Column
	Rows    [][]string
}

// Col returns the index of the column named name, or -1.
func (t *Table) Col(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Database is what was read of an installer database.
type Database struct {
	Codepage int
	Tables   []*Table
	// Errors are tables that could not be read; the others stand.
	Errors []error
}

// Table returns the table named name, or nil.
func (d *Database) Table(name string) *Table {
	for _, t := range d.Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// MaxColumns bounds a table's columns (Windows Installer allows 32).
const MaxColumns = 64

// MaxRows bounds the rows read of all tables together, MaxCells their
// values, MaxStrings the string pool (real packages hold far fewer).
const (
	MaxRows    = 1 << 20
	MaxCells   = 1 << 23
	MaxStrings = 1 << 22
)

// Read reads the database from its table streams: stream returns the
// bytes of the table stream named name ("_StringPool", "File" …) and
// false when there is none.
func Read(stream func(name string) ([]byte, bool, error)) (*Database, error) {
	pool, ok, err := stream("_StringPool")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, formatError("no string pool")
	}
	data, _, err := stream("_StringData")
	if err != nil {
		return nil, err
	}
	strs, codepage, strBytes, err := readStrings(pool, data)
	if err != nil {
		return nil, err
	}
	db := &Database{Codepage: codepage}
	str := func(i int) (string, error) {
		if i == 0 {
			return "", nil
		}
		if i >= len(strs) {
			return "", formatError("string %d outside the pool of %d", i, len(strs))
		}
		return strs[i], nil
	}
	tablesRaw, _, err := stream("_Tables")
	if err != nil {
		return nil, err
	}
	tablesT, err := readTable("_Tables", []Column{{"Name", typeString}}, tablesRaw, strBytes, str)
	if err != nil {
		return nil, err
	}
	colsRaw, _, err := stream("_Columns")
	if err != nil {
		return nil, err
	}
	colsT, err := readTable("_Columns", []Column{{"Table", typeString}, {"Number", 2}, {"Name", typeString}, {"Type", 2}}, colsRaw, strBytes, str)
	if err != nil {
		return nil, err
	}
	schema := map[string][]struct {
		n int
		c Column
	}{}
	for _, r := range colsT.Rows {
		n, err1 := strconv.Atoi(r[1])
		typ, err2 := strconv.Atoi(r[3])
		if err1 != nil || err2 != nil || n <= 0 || n > MaxColumns {
			return nil, formatError("bad column %q of table %q", r[2], r[0])
		}
		// the stored Type is biased like any i2: undo what readTable did
		schema[r[0]] = append(schema[r[0]], struct {
			n int
			c Column
		}{n, Column{Name: r[2], Type: typ & 0xFFFF}})
	}
	rows, cells := 0, 0
	for _, r := range tablesT.Rows {
		name := r[0]
		cs := schema[name]
		sort.Slice(cs, func(i, j int) bool { return cs[i].n < cs[j].n })
		cols := make([]Column, 0, len(cs))
		for i, c := range cs {
			if c.n != i+1 {
				db.Errors = append(db.Errors, formatError("table %q: columns not numbered 1 to %d", name, len(cs)))
				cols = nil
				break
			}
			cols = append(cols, c.c)
		}
		if len(cols) == 0 {
			if cs == nil {
				db.Errors = append(db.Errors, formatError("table %q has no columns", name))
			}
			continue
		}
		raw, ok, err := stream(name)
		if err != nil {
			db.Errors = append(db.Errors, fmt.Errorf("msi: table %q: %w", name, err))
			continue
		}
		if !ok {
			raw = nil // an empty table has no stream
		}
		t, err := readTable(name, cols, raw, strBytes, str)
		if err != nil {
			db.Errors = append(db.Errors, err)
			continue
		}
		rows += len(t.Rows)
		cells += len(t.Rows) * len(t.Columns)
		if rows > MaxRows || cells > MaxCells {
			return db, formatError("more than %d rows or %d values", MaxRows, MaxCells)
		}
		db.Tables = append(db.Tables, t)
	}
	return db, nil
}

// readStrings reads the string pool: the codepage, the width of a string
// reference, and the strings by id (id 0 is the null string).
func readStrings(pool, data []byte) ([]string, int, int, error) {
	if len(pool) < 4 || len(pool)%4 != 0 {
		return nil, 0, 0, formatError("string pool of %d bytes", len(pool))
	}
	le := binary.LittleEndian
	hdr := le.Uint32(pool)
	codepage := int(hdr &^ 0x80000000)
	strBytes := 2
	if hdr&0x80000000 != 0 {
		strBytes = 3
	}
	dec := decoder(codepage)
	strs := []string{""}
	var off uint64
	n := len(pool) / 4
	if n > MaxStrings {
		return nil, 0, 0, formatError("string pool of %d entries", n)
	}
	for i := 1; i < n; {
		l, refs := uint64(le.Uint16(pool[4*i:])), le.Uint16(pool[4*i+2:])
		if l == 0 && refs == 0 {
			strs = append(strs, "")
			i++
			continue
		}
		if l == 0 {
			// a string over 64 KiB: the high word of its length is the
			// reference count of a null entry, the low word follows
			if i+1 >= n {
				return nil, 0, 0, formatError("long string entry at the end of the pool")
			}
			l = uint64(refs)<<16 | uint64(le.Uint16(pool[4*(i+1):]))
			i += 2
		} else {
			i++
		}
		if off+l > uint64(len(data)) {
			return nil, 0, 0, formatError("string pool runs past its %d bytes of data", len(data))
		}
		strs = append(strs, dec(data[off:off+l]))
		off += l
	}
	return strs, codepage, strBytes, nil
}

// decoder turns the database's bytes into UTF-8: valid UTF-8 stays,
// codepage 932 is CP932, anything else is read as Windows-1252.
func decoder(codepage int) func([]byte) string {
	return func(b []byte) string {
		if utf8.Valid(b) {
			return string(b)
		}
		if codepage == 932 {
			if s, err := japanese.ShiftJIS.NewDecoder().Bytes(b); err == nil {
				return string(s)
			}
		}
		if codepage == 0 {
			// no codepage given: Japanese installers are CP932 far more
			// often than anything else
			if s, err := japanese.ShiftJIS.NewDecoder().Bytes(b); err == nil && !strings.ContainsRune(string(s), utf8.RuneError) {
				return string(s)
			}
		}
		s, _ := charmap.Windows1252.NewDecoder().Bytes(b)
		return string(s)
	}
}

// readTable reads a table's stream: its values are stored column by
// column, each column's values for all rows one after another.
func readTable(name string, cols []Column, raw []byte, strBytes int, str func(int) (string, error)) (*Table, error) {
	t := &Table{Name: name, Columns: cols}
	rowSize := 0
	for _, c := range cols {
		rowSize += c.width(strBytes)
	}
	if rowSize == 0 || len(raw)%rowSize != 0 {
		return nil, formatError("table %q: %d bytes are no whole number of %d-byte rows", name, len(raw), rowSize)
	}
	nrows := len(raw) / rowSize
	if nrows > MaxRows || nrows*len(cols) > MaxCells {
		return nil, formatError("table %q: %d rows of %d columns", name, nrows, len(cols))
	}
	t.Rows = make([][]string, nrows)
	cells := make([]string, nrows*len(cols))
	for r := range t.Rows {
		t.Rows[r] = cells[r*len(cols) : (r+1)*len(cols) : (r+1)*len(cols)]
	}
	off := 0
	for ci, c := range cols {
		w := c.width(strBytes)
		for r := 0; r < nrows; r++ {
			b := raw[off : off+w]
			off += w
			var v uint32
			for k := w - 1; k >= 0; k-- {
				v = v<<8 | uint32(b[k])
			}
			switch {
			case c.isString():
				s, err := str(int(v))
				if err != nil {
					return nil, fmt.Errorf("table %q: %w", name, err)
				}
				t.Rows[r][ci] = s
			case v == 0:
				// null
			case w == 2:
				t.Rows[r][ci] = strconv.Itoa(int(v) - 0x8000)
			default:
				t.Rows[r][ci] = strconv.FormatInt(int64(v)-0x80000000, 10)
			}
		}
	}
	return t, nil
}

// longName takes the long name of a "SHORT~1.TXT|Long name.txt" value.
func longName(s string) string {
	if i := strings.IndexByte(s, '|'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// systemFolders are the Directory keys that stand for folders of the
// machine (resolved when installing), left out of installed paths.
var systemFolders = map[string]bool{
	"TARGETDIR": true, "ProgramFilesFolder": true, "ProgramFiles64Folder": true, "ProgramFiles6432Folder": true,
	"CommonFilesFolder": true, "CommonFiles64Folder": true, "WindowsFolder": true, "SystemFolder": true,
	"System64Folder": true, "AppDataFolder": true, "LocalAppDataFolder": true, "CommonAppDataFolder": true,
	"DesktopFolder": true, "ProgramMenuFolder": true, "StartMenuFolder": true, "StartupFolder": true,
	"PersonalFolder": true, "TempFolder": true, "FontsFolder": true, "SourceDir": true,
}

// FilePaths maps the File table's keys (the names of the files in the
// package's cabinets) to their installed paths below the install root,
// slash-separated with long names: "OPAC/data/tokusoku.csv".
func (d *Database) FilePaths() map[string]string {
	out := map[string]string{}
	files, comps := d.Table("File"), d.Table("Component")
	if files == nil {
		return out
	}
	fk, fc, fn := files.Col("File"), files.Col("Component_"), files.Col("FileName")
	if fk < 0 || fn < 0 {
		return out
	}
	compDir := map[string]string{}
	if comps != nil {
		ck, cd := comps.Col("Component"), comps.Col("Directory_")
		if ck >= 0 && cd >= 0 {
			for _, r := range comps.Rows {
				compDir[r[ck]] = r[cd]
			}
		}
	}
	type dir struct{ parent, name string }
	dirs := map[string]dir{}
	if dt := d.Table("Directory"); dt != nil {
		dk, dp, dd := dt.Col("Directory"), dt.Col("Directory_Parent"), dt.Col("DefaultDir")
		if dk >= 0 && dp >= 0 && dd >= 0 {
			for _, r := range dt.Rows {
				def := r[dd]
				if i := strings.IndexByte(def, ':'); i >= 0 {
					def = def[:i] // target:source
				}
				dirs[r[dk]] = dir{parent: r[dp], name: longName(def)}
			}
		}
	}
	dirPath := func(key string) string {
		var parts []string
		seen := map[string]bool{}
		for key != "" && !seen[key] && len(parts) < 64 {
			seen[key] = true
			dr, ok := dirs[key]
			if !ok {
				break
			}
			if !systemFolders[key] && dr.name != "." && dr.name != "" && dr.parent != "" && dr.parent != key {
				parts = append(parts, dr.name)
			}
			if dr.parent == key {
				break
			}
			key = dr.parent
		}
		for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
			parts[i], parts[j] = parts[j], parts[i]
		}
		return strings.Join(parts, "/")
	}
	for _, r := range files.Rows {
		name := longName(r[fn])
		if name == "" {
			name = r[fk]
		}
		p := name
		if fc >= 0 {
			if dp := dirPath(compDir[r[fc]]); dp != "" {
				p = dp + "/" + name
			}
		}
		out[r[fk]] = p
	}
	return out
}

// Cabinets lists the cabinets of the Media table: embedded ones (their
// stream name, from "#name") and external ones (their file name).
func (d *Database) Cabinets() (embedded, external []string) {
	m := d.Table("Media")
	if m == nil {
		return nil, nil
	}
	c := m.Col("Cabinet")
	if c < 0 {
		return nil, nil
	}
	for _, r := range m.Rows {
		switch v := r[c]; {
		case strings.HasPrefix(v, "#"):
			embedded = append(embedded, v[1:])
		case v != "":
			external = append(external, v)
		}
	}
	return embedded, external
}

// TSV renders a table as tab-separated lines, its column names first;
// tabs and line breaks inside values become spaces.
func (t *Table) TSV() []byte {
	var b strings.Builder
	clean := strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ")
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteByte('\t')
		}
		b.WriteString(clean.Replace(c.Name))
	}
	b.WriteByte('\n')
	for _, r := range t.Rows {
		for i, v := range r {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(clean.Replace(v))
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}
