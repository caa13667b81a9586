package samples

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"database/sql"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dsnet/compress/bzip2"
	"github.com/klauspost/compress/zstd"
	"github.com/rouei/rouei/scanners"
	"github.com/ulikunitz/xz"
	"golang.org/x/text/encoding/japanese"
)

// The tests here open the generated containers with independent readers
// (the standard library, the compressors' readers, modernc SQLite) and
// check that every member path of the manifest exists and holds what the
// manifest says.

var (
	magicGzip   = []byte{0x1f, 0x8b}
	magicBzip2  = []byte("BZh")
	magicXz     = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	magicZstd   = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicZip    = []byte("PK\x03\x04")
	magicSQLite = []byte("SQLite format 3\x00")
	magic7z     = []byte{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c}
	magicOLE2   = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
	magicCAB    = []byte("MSCF\x00\x00\x00\x00")
)

// isFixtureFormat reports whether data is one of the formats that come
// from committed fixtures (7z, ISO 9660, OLE2/BIFF8, LZH, CAB).
func isFixtureFormat(data []byte) bool {
	return bytes.HasPrefix(data, magic7z) || bytes.HasPrefix(data, magicOLE2) || bytes.HasPrefix(data, magicCAB) ||
		(len(data) > 0x8006 && string(data[0x8001:0x8006]) == "CD001") ||
		(len(data) > 21 && string(data[2:5]) == "-lh" && data[6] == '-')
}

// fixtureOf returns the declaration of the fixture copied to the
// deliverable path p.
func fixtureOf(p string) (fixture, bool) {
	g := newGen()
	for _, fn := range fixtures {
		if fx := fn(g); TreeName+"/"+fx.rel == p {
			return fx, true
		}
	}
	return fixture{}, false
}

// resolve returns the bytes of a manifest path: a file of the tree, or a
// member reached through "!/" levels. Sheets, tables and documents give
// their text as the scanner extracts it (tab-separated rows, header
// first; paragraphs one a line).
func resolve(files map[string][]byte, p string) ([]byte, error) {
	parts := strings.Split(p, "!/")
	data, ok := files[parts[0]]
	if !ok {
		return nil, fmt.Errorf("no file %s", parts[0])
	}
	for i, name := range parts[1:] {
		var err error
		if data, err = openMember(parts[i], data, name); err != nil {
			return nil, fmt.Errorf("%s: %w", strings.Join(parts[:i+2], "!/"), err)
		}
	}
	return data, nil
}

// stream checks that the one member of a compressed file is named after
// the file without ext and returns the decompressed bytes.
func stream(parent, ext, name string, r io.Reader, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if len(data) > 262 && string(data[257:262]) == "ustar" {
		// a compressed tar is one level: its members are named under it
		return openMember(parent, data, name)
	}
	r = bytes.NewReader(data)
	if want := strings.TrimSuffix(path.Base(parent), ext); name != want {
		return nil, fmt.Errorf("member %q, want %q", name, want)
	}
	return io.ReadAll(r)
}

// openMember opens the member name of the container data (named parent).
func openMember(parent string, data []byte, name string) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, magicGzip):
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err == nil && zr.Name != name && !strings.HasSuffix(zr.Name, ".tar") {
			return nil, fmt.Errorf("gzip header names %q", zr.Name)
		}
		return stream(parent, ".gz", name, zr, err)
	case bytes.HasPrefix(data, magicBzip2):
		zr, err := bzip2.NewReader(bytes.NewReader(data), nil)
		return stream(parent, ".bz2", name, zr, err)
	case bytes.HasPrefix(data, magicXz):
		zr, err := xz.NewReader(bytes.NewReader(data))
		return stream(parent, ".xz", name, zr, err)
	case bytes.HasPrefix(data, magicZstd):
		zr, err := zstd.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		return stream(parent, ".zst", name, zr, nil)
	case bytes.HasPrefix(data, magicSQLite):
		return tableText(data, name)
	case isMail(data):
		if name != "body" {
			return nil, fmt.Errorf("mail member %q", name)
		}
		return mailBody(data)
	case isFixtureFormat(data):
		// No reader here: the content is the declared input, which
		// TestFixtures ties to the committed binary.
		fx, ok := fixtureOf(parent)
		if !ok {
			return nil, fmt.Errorf("%s is not a declared fixture", parent)
		}
		for _, m := range fx.members {
			if m.name == name {
				return m.text, nil
			}
		}
		return nil, fmt.Errorf("no fixture member %q", name)
	case bytes.HasPrefix(data, magicZip):
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, err
		}
		switch {
		case zipHas(z, "xl/workbook.xml"):
			return sheetText(z, name)
		case zipHas(z, "word/document.xml"):
			if name != "document" {
				return nil, fmt.Errorf("docx member %q", name)
			}
			return docText(z)
		case zipHas(z, "ppt/presentation.xml"):
			return slideText(z, name)
		}
		for _, f := range z.File {
			if zipName(f) == name {
				return readZip(f)
			}
		}
		return nil, fmt.Errorf("no zip member %q", name)
	case len(data) > 262 && string(data[257:262]) == "ustar":
		tr := tar.NewReader(bytes.NewReader(data))
		for {
			h, err := tr.Next()
			if err != nil {
				return nil, fmt.Errorf("no tar member %q: %w", name, err)
			}
			if h.Name == name {
				return io.ReadAll(tr)
			}
		}
	}
	return nil, errors.New("not a container")
}

// isMail reports whether data is the sample reminder mail.
func isMail(data []byte) bool { return bytes.HasPrefix(data, []byte("Return-Path: ")) }

// mailBody returns a message's text as the scanner gives it: its
// decoded address and subject headers, a blank line, its body.
func mailBody(data []byte) ([]byte, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	dec := &mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
		if !strings.EqualFold(cs, "iso-2022-jp") {
			return nil, fmt.Errorf("charset %s", cs)
		}
		return japanese.ISO2022JP.NewDecoder().Reader(r), nil
	}}
	var b bytes.Buffer
	for _, k := range []string{"From", "To", "Subject", "Date"} {
		v, err := dec.DecodeHeader(msg.Header.Get(k))
		if err != nil {
			return nil, err
		}
		b.WriteString(k + ": " + v + "\n")
	}
	b.WriteString("\n")
	body, err := io.ReadAll(japanese.ISO2022JP.NewDecoder().Reader(msg.Body))
	if err != nil {
		return nil, err
	}
	b.Write(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")))
	return b.Bytes(), nil
}

// zipName decodes a member name: CP932 when the UTF-8 flag is unset and
// the name is not valid UTF-8.
func zipName(f *zip.File) string {
	if f.Flags&0x800 == 0 && !utf8.ValidString(f.Name) {
		if d, err := japanese.ShiftJIS.NewDecoder().String(f.Name); err == nil {
			return d
		}
	}
	return f.Name
}

func zipHas(z *zip.Reader, name string) bool {
	for _, f := range z.File {
		if f.Name == name {
			return true
		}
	}
	return false
}

func readZip(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func zipXML(z *zip.Reader, name string, v any) error {
	for _, f := range z.File {
		if f.Name == name {
			b, err := readZip(f)
			if err != nil {
				return err
			}
			return xml.Unmarshal(b, v)
		}
	}
	return fmt.Errorf("no part %s", name)
}

// sheetText returns the rows of the named sheet, cells tab-separated.
func sheetText(z *zip.Reader, name string) ([]byte, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	var sst struct {
		SI []struct {
			T string `xml:"t"`
		} `xml:"si"`
	}
	var ws struct {
		Rows []struct {
			C []struct {
				T  string `xml:"t,attr"`
				V  string `xml:"v"`
				IS string `xml:"is>t"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := errors.Join(zipXML(z, "xl/workbook.xml", &wb), zipXML(z, "xl/_rels/workbook.xml.rels", &rels),
		zipXML(z, "xl/sharedStrings.xml", &sst)); err != nil {
		return nil, err
	}
	target := ""
	for _, s := range wb.Sheets {
		for _, r := range rels.Rel {
			if s.Name == name && r.ID == s.RID {
				target = "xl/" + r.Target
			}
		}
	}
	if target == "" {
		return nil, fmt.Errorf("no sheet %q", name)
	}
	if err := zipXML(z, target, &ws); err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, row := range ws.Rows {
		for i, c := range row.C {
			if i > 0 {
				b.WriteByte('\t')
			}
			switch c.T {
			case "s":
				var k int
				if _, err := fmt.Sscan(c.V, &k); err != nil || k >= len(sst.SI) {
					return nil, fmt.Errorf("bad shared string index %q", c.V)
				}
				b.WriteString(sst.SI[k].T)
			case "inlineStr":
				b.WriteString(c.IS)
			default:
				b.WriteString(c.V)
			}
		}
		b.WriteByte('\n')
	}
	return []byte(b.String()), nil
}

// docText returns the paragraphs of word/document.xml, runs joined.
func docText(z *zip.Reader) ([]byte, error) {
	var b []byte
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			var err error
			if b, err = readZip(f); err != nil {
				return nil, err
			}
		}
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	var out strings.Builder
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return []byte(out.String()), nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			inText = t.Name.Local == "t"
		case xml.EndElement:
			inText = false
			if t.Name.Local == "p" {
				out.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				out.Write(t)
			}
		}
	}
}

// slideText returns the text of ppt/slides/<name>.xml: each paragraph
// outside a table a line, each table row a line of tab-separated cells.
func slideText(z *zip.Reader, name string) ([]byte, error) {
	var b []byte
	for _, f := range z.File {
		if f.Name == "ppt/slides/"+name+".xml" {
			var err error
			if b, err = readZip(f); err != nil {
				return nil, err
			}
		}
	}
	if b == nil {
		return nil, fmt.Errorf("no slide %q", name)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	var out strings.Builder
	var para string
	var cells []string
	inText, inTable := false, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return []byte(out.String()), nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			inText = t.Name.Local == "t"
			if t.Name.Local == "tbl" {
				inTable = true
			}
		case xml.EndElement:
			inText = false
			switch t.Name.Local {
			case "p":
				if inTable {
					cells = append(cells, para)
				} else {
					out.WriteString(para + "\n")
				}
				para = ""
			case "tr":
				out.WriteString(strings.Join(cells, "\t") + "\n")
				cells = nil
			case "tbl":
				inTable = false
			}
		case xml.CharData:
			if inText {
				para += string(t)
			}
		}
	}
}

// tableText returns a SQLite table's rows, tab-separated, header first.
func tableText(data []byte, table string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "rouei-samples-test-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "db.sqlite")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", p+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil {
		return nil, err
	}
	if n != 1 && table != "sqlite_master" {
		return nil, fmt.Errorf("no table %q", table)
	}
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := strings.Join(cols, "\t") + "\n"
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			if v != nil {
				cells[i] = fmt.Sprint(v)
			}
		}
		out += strings.Join(cells, "\t") + "\n"
	}
	return []byte(out), rows.Err()
}

// sqliteTables lists the tables of a database.
func sqliteTables(data []byte) ([]string, error) {
	b, err := tableText(data, "sqlite_master")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		f := strings.Split(l, "\t")
		if f[0] == "table" {
			out = append(out, f[1])
		}
	}
	return out, nil
}

func TestMemberPathsExist(t *testing.T) {
	m, _ := load(t)
	tree := readTree(t, ".")
	n := 0
	for _, e := range m.Files {
		if !strings.Contains(e.Path, "!/") {
			continue
		}
		n++
		if _, err := resolve(tree, e.Path); err != nil {
			t.Errorf("%v", err)
		}
	}
	if n < 15 {
		t.Errorf("%d member paths in the manifest", n)
	}
	for _, p := range []string{
		"deliverable/release/ils-2.3.tar.gz!/setup/sample.zip!/no.csv",
		"deliverable/release/ils-2.3.tar.gz!/ils-2.3.tar!/setup/sample.zip",
		"deliverable/release/ils-2.3.tar.gz!/ils-2.3!/README.txt",
		"deliverable/data/excel/tokusoku.xlsx!/Sheet1",
		"deliverable/db/ils.sqlite!/LOAN",
		"deliverable/mail/letter.docx!/body",
		"deliverable/logs/contacts.csv.zst!/contacts",
		"deliverable/docs/kenshu_2011.pptx!/slide9",
		"deliverable/install/setup.7z!/延滞者一覧.csv",
		"deliverable/data/excel/riyosha.xls!/Sheet1",
	} {
		if _, err := resolve(tree, p); err == nil {
			t.Errorf("%s resolves", p)
		}
	}
}

// Every member of the generated containers is in the manifest: nothing
// a scan walks into goes unjudged (except the hostile zips under bad/).
func TestContainersFullyListed(t *testing.T) {
	m, _ := load(t)
	tree := readTree(t, ".")
	listed := map[string]bool{}
	for _, e := range m.Files {
		listed[e.Path] = true
	}
	var walk func(p string, data []byte)
	walk = func(p string, data []byte) {
		var names []string
		extracted := false // members are text extracted from sheets, tables, documents
		switch {
		case bytes.HasPrefix(data, magicGzip):
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Errorf("%s: %v", p, err)
				return
			}
			raw, _ := io.ReadAll(zr)
			if !(len(raw) > 262 && string(raw[257:262]) == "ustar") {
				names = []string{strings.TrimSuffix(path.Base(p), ".gz")}
				break
			}
			// a compressed tar: its members are named under it
			tr := tar.NewReader(bytes.NewReader(raw))
			for {
				h, err := tr.Next()
				if err != nil {
					break
				}
				names = append(names, h.Name)
			}
		case bytes.HasPrefix(data, magicBzip2):
			names = []string{strings.TrimSuffix(path.Base(p), ".bz2")}
		case bytes.HasPrefix(data, magicXz):
			names = []string{strings.TrimSuffix(path.Base(p), ".xz")}
		case bytes.HasPrefix(data, magicZstd):
			names = []string{strings.TrimSuffix(path.Base(p), ".zst")}
		case isMail(data):
			extracted = true
			names = []string{"body"}
		case bytes.HasPrefix(data, magicSQLite):
			extracted = true
			var err error
			if names, err = sqliteTables(data); err != nil {
				t.Errorf("%s: %v", p, err)
			}
		case bytes.HasPrefix(data, magicZip):
			z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Errorf("%s: %v", p, err)
				return
			}
			extracted = zipHas(z, "xl/workbook.xml") || zipHas(z, "word/document.xml") || zipHas(z, "ppt/presentation.xml")
			switch {
			case zipHas(z, "ppt/presentation.xml"):
				for _, f := range z.File {
					if n, ok := strings.CutPrefix(f.Name, "ppt/slides/"); ok && !strings.Contains(n, "/") {
						names = append(names, strings.TrimSuffix(n, ".xml"))
					}
				}
			case zipHas(z, "xl/workbook.xml"):
				var wb struct {
					Sheets []struct {
						Name string `xml:"name,attr"`
					} `xml:"sheets>sheet"`
				}
				if err := zipXML(z, "xl/workbook.xml", &wb); err != nil {
					t.Errorf("%s: %v", p, err)
				}
				for _, s := range wb.Sheets {
					names = append(names, s.Name)
				}
			case zipHas(z, "word/document.xml"):
				names = []string{"document"}
			default:
				for _, f := range z.File {
					names = append(names, zipName(f))
				}
			}
		case len(data) > 262 && string(data[257:262]) == "ustar":
			tr := tar.NewReader(bytes.NewReader(data))
			for {
				h, err := tr.Next()
				if err != nil {
					break
				}
				names = append(names, h.Name)
			}
		case isFixtureFormat(data):
			// Leaves as declared; TestFixtures checks the declaration
			// against the binary.
			extracted = true
			fx, ok := fixtureOf(p)
			if !ok {
				t.Errorf("%s: a 7z/ISO/xls/LZH/CAB file that is no declared fixture", p)
			}
			for _, m := range fx.members {
				names = append(names, m.name)
			}
		default:
			if !listed[p] {
				t.Errorf("%s is not in the manifest", p)
			}
			return
		}
		if len(names) == 0 {
			t.Errorf("%s: empty container", p)
		}
		for _, n := range names {
			mp := p + "!/" + n
			b, err := resolve(tree, mp)
			switch {
			case err != nil:
				t.Errorf("%v", err)
			case extracted:
				if !listed[mp] {
					t.Errorf("%s is not in the manifest", mp)
				}
			default:
				walk(mp, b)
			}
		}
	}
	for p, data := range tree {
		if p == ManifestName || strings.HasPrefix(p, TreeName+"/bad/") {
			continue
		}
		walk(p, data)
	}
}

// The sample zip in the release has a CP932 member name without the
// UTF-8 flag and a UTF-8 one with it.
func TestZipMemberNames(t *testing.T) {
	tree := readTree(t, ".")
	b, err := resolve(tree, "deliverable/release/ils-2.3.tar.gz!/setup/sample.zip")
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if len(z.File) != 2 {
		t.Fatalf("%d members, want 2", len(z.File))
	}
	cp, u := z.File[0], z.File[1]
	if utf8.ValidString(cp.Name) || cp.Flags&0x800 != 0 || zipName(cp) != "督促/延滞.csv" {
		t.Errorf("CP932 member: name valid UTF-8 %v, flag %#x, decoded %q", utf8.ValidString(cp.Name), cp.Flags, zipName(cp))
	}
	if !bytes.Equal([]byte(cp.Name), sjis("督促/延滞.csv")) {
		t.Error("CP932 member name is not the CP932 bytes of 督促/延滞.csv")
	}
	if u.Name != "data/予約.csv" || u.Flags&0x800 == 0 {
		t.Errorf("UTF-8 member: name %q flag %#x", u.Name, u.Flags)
	}
	// The raw central directory holds the CP932 bytes, not UTF-8.
	if !bytes.Contains(b, sjis("延滞")) || bytes.Contains(b, []byte("延滞")) {
		t.Error("raw zip does not hold the CP932 name")
	}
}

// The release tarball and the zips carry the fixed time and owner only.
func TestArchiveHeadersFixed(t *testing.T) {
	tree := readTree(t, ".")
	gz := tree["deliverable/release/ils-2.3.tar.gz"]
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if !zr.ModTime.Equal(archiveTime) || zr.Name != "ils-2.3.tar" {
		t.Errorf("gzip header: %v %q", zr.ModTime, zr.Name)
	}
	tr := tar.NewReader(zr)
	n := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if !h.ModTime.Equal(archiveTime) || h.Uname != "ils" || h.Uid != 1000 || h.Typeflag != tar.TypeReg {
			t.Errorf("tar %s: %v %s %d %c", h.Name, h.ModTime, h.Uname, h.Uid, h.Typeflag)
		}
	}
	if n != 6 {
		t.Errorf("%d tar members, want 6", n)
	}
	x := tree["deliverable/data/excel/tokusoku.xlsx"]
	z, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if !f.Modified.Equal(archiveTime) {
			t.Errorf("xlsx %s: modified %v", f.Name, f.Modified)
		}
	}
}

// The overdue workbook mixes shared and inline strings, keeps phones as
// text and patron numbers as numbers, and has a clean summary sheet.
func TestWorkbookCells(t *testing.T) {
	tree := readTree(t, ".")
	x := tree["deliverable/data/excel/tokusoku.xlsx"]
	z, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
	}
	want := []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
		"xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("parts %q", names)
	}
	var sheet1 []byte
	for _, f := range z.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			sheet1, _ = readZip(f)
		}
	}
	for _, w := range []string{`t="s"`, `t="inlineStr"`, `<c r="A2"><v>`} {
		if !bytes.Contains(sheet1, []byte(w)) {
			t.Errorf("sheet 督促 lacks %s", w)
		}
	}
	text, err := resolve(tree, "deliverable/data/excel/tokusoku.xlsx!/督促")
	if err != nil {
		t.Fatal(err)
	}
	ls := strings.Split(strings.TrimSpace(string(text)), "\n")
	if ls[0] != "利用者番号\t氏名\t電話番号\t書名\t返却期限" {
		t.Errorf("header %q", ls[0])
	}
	for i, l := range ls[1:] {
		if f := strings.Split(l, "\t"); len(f) != 5 || !strings.HasPrefix(f[2], "0") || !strings.Contains(f[2], "-") {
			t.Errorf("row %d: want 5 cells and a phone with its leading zero", i+1)
		}
	}
	if sum, err := resolve(tree, "deliverable/data/excel/tokusoku.xlsx!/集計"); err != nil || !strings.Contains(string(sum), "合計") {
		t.Errorf("summary sheet: %v", err)
	}
}

// The hostile and broken inputs under bad/ are what their names say, and
// each but the empty file expects an error.
func TestBadInputs(t *testing.T) {
	m, _ := load(t)
	tree := readTree(t, ".")
	for _, e := range m.Files {
		bad := strings.HasPrefix(e.Path, TreeName+"/bad/")
		if bad != (len(e.Errors) > 0) && e.Path != TreeName+"/bad/empty.xlsx" {
			t.Errorf("%s: errors %q", e.Path, e.Errors)
		}
		if len(e.Errors) > 0 && (e.Leak || strings.Contains(e.Path, "!/")) {
			t.Errorf("%s: an error entry must be a clean container", e.Path)
		}
	}
	openZip := func(name string) *zip.Reader {
		b := tree[TreeName+"/bad/"+name]
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(z.File) != 1 {
			t.Fatalf("%s: %d members", name, len(z.File))
		}
		return z
	}
	if f := openZip("encrypted.zip").File[0]; f.Flags&1 == 0 || f.Name != encryptedMember {
		t.Errorf("encrypted.zip: flags %#x", f.Flags)
	}
	bomb := tree[TreeName+"/bad/bomb.zip"]
	f := openZip("bomb.zip").File[0]
	ratio := int64(f.UncompressedSize64) / int64(f.CompressedSize64)
	if len(bomb) >= 100<<10 || f.UncompressedSize64 != bombSize || ratio <= scanners.DefaultLimits.MaxRatio {
		t.Errorf("bomb.zip: %d bytes, expands to %d, ratio %d", len(bomb), f.UncompressedSize64, ratio)
	}
	if b, err := readZip(f); err != nil || len(b) != bombSize || bytes.ContainsFunc(b, func(r rune) bool { return r != 0 }) {
		t.Errorf("bomb.zip: member is not %d zeros (%v)", bombSize, err)
	}
	if f := openZip("traversal.zip").File[0]; f.Name != traversalMember || !strings.HasPrefix(f.Name, "../") {
		t.Errorf("traversal.zip: member %q", f.Name)
	}
	tr := tree[TreeName+"/bad/truncated.zip"]
	if _, err := zip.NewReader(bytes.NewReader(tr), int64(len(tr))); err == nil || !bytes.HasPrefix(tr, magicZip) {
		t.Errorf("truncated.zip opens (%v) or lacks the local header magic", err)
	}
	if b, ok := tree[TreeName+"/bad/empty.xlsx"]; !ok || len(b) != 0 {
		t.Error("empty.xlsx is not 0 bytes")
	}
	if e := m.Lookup(TreeName + "/bad/empty.xlsx"); e == nil || len(e.Errors) != 0 || e.Leak {
		t.Error("empty.xlsx: want a clean entry without errors")
	}
	cs := tree[TreeName+"/bad/corrupt.sqlite"]
	if !bytes.HasPrefix(cs, magicSQLite) {
		t.Error("corrupt.sqlite lost its header")
	}
	tables, err := sqliteTables(cs)
	if err != nil || len(tables) != 1 {
		t.Fatalf("corrupt.sqlite: schema unreadable (%v) or %d tables", err, len(tables))
	}
	want := m.Lookup(TreeName + "/bad/corrupt.sqlite")
	if _, err := tableText(cs, tables[0]); err == nil || want == nil || !strings.Contains(err.Error(), want.Errors[0]) {
		t.Errorf("corrupt.sqlite: reading %s gives %v", tables[0], err)
	}
}

// SQLite files embed nothing that varies between builds.
func TestSQLiteDeterministic(t *testing.T) {
	g := &gen{}
	g.people = population(g.rng("population"), 160, nil)
	a, b := genIlsSqlite(g), genIlsSqlite(g)
	if !bytes.Equal(a.data, b.data) {
		t.Error("two builds of db/ils.sqlite differ")
	}
	if len(a.data)%4096 != 0 || !bytes.HasPrefix(a.data, magicSQLite) {
		t.Errorf("db/ils.sqlite: %d bytes", len(a.data))
	}
}
