package samples

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dsnet/compress/bzip2"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Writers of the container formats: zip, tar, gzip, bzip2, xz, zstd, a
// minimal xlsx and docx, and SQLite. Every header field that could vary
// (modification times, owners, the gzip OS byte) is fixed, so a build is
// byte-identical to the last one for the same Go and module versions.

// archiveTime is the modification time of every archive member: the
// release build of v2.3.1.
var archiveTime = time.Date(2024, 1, 15, 18, 42, 0, 0, time.FixedZone("JST", 9*60*60))

// fail aborts generation with a package-prefixed error.
func fail(what string, err error) {
	if err != nil {
		panic(genError{fmt.Errorf("samples: %s: %w", what, err)})
	}
}

// zipEntry is one member of a generated zip.
type zipEntry struct {
	name string
	data []byte
	// nonUTF8 writes name as given (CP932 bytes) without the UTF-8 flag;
	// otherwise archive/zip sets the flag for non-ASCII names.
	nonUTF8 bool
	store   bool // stored instead of deflated
}

// zipFile writes a zip of the entries in order.
func zipFile(entries []zipEntry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		fh := &zip.FileHeader{Name: e.name, NonUTF8: e.nonUTF8, Method: zip.Deflate, Modified: archiveTime}
		if e.store {
			fh.Method = zip.Store
		}
		w, err := zw.CreateHeader(fh)
		fail("zip", err)
		_, err = w.Write(e.data)
		fail("zip", err)
	}
	fail("zip", zw.Close())
	return buf.Bytes()
}

// tarEntry is one regular file of a generated tar.
type tarEntry struct {
	name string
	data []byte
	exec bool
}

// tarFile writes a USTAR archive of the entries in order.
func tarFile(entries []tarEntry) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		mode := int64(0o644)
		if e.exec {
			mode = 0o755
		}
		err := tw.WriteHeader(&tar.Header{
			Typeflag: tar.TypeReg, Name: e.name, Mode: mode, Size: int64(len(e.data)),
			ModTime: archiveTime, Uid: 1000, Gid: 1000, Uname: "ils", Gname: "ils",
			Format: tar.FormatUSTAR,
		})
		fail("tar", err)
		_, err = tw.Write(e.data)
		fail("tar", err)
	}
	fail("tar", tw.Close())
	return buf.Bytes()
}

// gzipData compresses b as one gzip member whose header names name.
func gzipData(name string, b []byte) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	fail("gzip", err)
	zw.Name = name
	zw.ModTime = archiveTime
	zw.OS = 3 // Unix, as GNU gzip writes it on the build host
	_, err = zw.Write(b)
	fail("gzip", err)
	fail("gzip", zw.Close())
	return buf.Bytes()
}

// bzip2Data compresses b with bzip2 at level 9.
func bzip2Data(b []byte) []byte {
	var buf bytes.Buffer
	w, err := bzip2.NewWriter(&buf, &bzip2.WriterConfig{Level: bzip2.BestCompression})
	fail("bzip2", err)
	_, err = w.Write(b)
	fail("bzip2", err)
	fail("bzip2", w.Close())
	return buf.Bytes()
}

// xzData compresses b as an xz stream (CRC64 check).
func xzData(b []byte) []byte {
	var buf bytes.Buffer
	w, err := xz.NewWriter(&buf)
	fail("xz", err)
	_, err = w.Write(b)
	fail("xz", err)
	fail("xz", w.Close())
	return buf.Bytes()
}

// zstdData compresses b as one zstd frame, single-threaded at the
// default level, with the content size in the frame header.
func zstdData(b []byte) []byte {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1),
		zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderCRC(true))
	fail("zstd", err)
	defer enc.Close()
	return enc.EncodeAll(b, nil)
}

// xmlText escapes s for XML character data and attribute values.
var xmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace

const xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"

// cell is one worksheet cell: a number, a shared string or an inline
// string.
type cell struct {
	v      string
	num    bool
	inline bool
}

func str(s string) cell { return cell{v: s} }
func inl(s string) cell { return cell{v: s, inline: true} }
func num(n any) cell    { return cell{v: fmt.Sprint(n), num: true} }
func strs(l ...string) []cell {
	out := make([]cell, len(l))
	for i, s := range l {
		out[i] = str(s)
	}
	return out
}

// sheet is one worksheet of a generated workbook.
type sheet struct {
	name string
	rows [][]cell
}

// colName returns the column letters of index i (0 → A, 26 → AA).
func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// xlsxFile writes a minimal SpreadsheetML workbook: content types, the
// package and workbook relationships, the workbook, shared strings and
// one part per sheet. Strings not marked inline go to the shared table.
func xlsxFile(sheets []sheet) []byte {
	const ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	var shared []string
	index := map[string]int{}
	count := 0
	var parts []zipEntry
	var sheetParts []zipEntry
	for si, sh := range sheets {
		var b strings.Builder
		b.WriteString(xmlDecl + `<worksheet xmlns="` + ns + `" xmlns:r="` + rel + `"><sheetData>`)
		for ri, row := range sh.rows {
			fmt.Fprintf(&b, `<row r="%d">`, ri+1)
			for ci, c := range row {
				ref := fmt.Sprintf("%s%d", colName(ci), ri+1)
				switch {
				case c.v == "":
				case c.num:
					fmt.Fprintf(&b, `<c r="%s"><v>%s</v></c>`, ref, c.v)
				case c.inline:
					fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, xmlText(c.v))
				default:
					k, ok := index[c.v]
					if !ok {
						k = len(shared)
						index[c.v] = k
						shared = append(shared, c.v)
					}
					count++
					fmt.Fprintf(&b, `<c r="%s" t="s"><v>%d</v></c>`, ref, k)
				}
			}
			b.WriteString(`</row>`)
		}
		b.WriteString(`</sheetData></worksheet>`)
		sheetParts = append(sheetParts, zipEntry{name: fmt.Sprintf("xl/worksheets/sheet%d.xml", si+1), data: []byte(b.String())})
	}
	var ct, wb, wbRels, sst strings.Builder
	ct.WriteString(xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`)
	wb.WriteString(xmlDecl + `<workbook xmlns="` + ns + `" xmlns:r="` + rel + `"><sheets>`)
	wbRels.WriteString(xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, sh := range sheets {
		ct.WriteString(fmt.Sprintf(`<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1))
		wb.WriteString(fmt.Sprintf(`<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, xmlText(sh.name), i+1, i+1))
		wbRels.WriteString(fmt.Sprintf(`<Relationship Id="rId%d" Type="`+rel+`/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1))
	}
	ct.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)
	wb.WriteString(`</sheets></workbook>`)
	wbRels.WriteString(fmt.Sprintf(`<Relationship Id="rId%d" Type="`+rel+`/sharedStrings" Target="sharedStrings.xml"/></Relationships>`, len(sheets)+1))
	fmt.Fprintf(&sst, xmlDecl+`<sst xmlns="`+ns+`" count="%d" uniqueCount="%d">`, count, len(shared))
	for _, s := range shared {
		sst.WriteString(`<si><t>` + xmlText(s) + `</t></si>`)
	}
	sst.WriteString(`</sst>`)
	parts = append(parts,
		zipEntry{name: "[Content_Types].xml", data: []byte(ct.String())},
		zipEntry{name: "_rels/.rels", data: []byte(xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		zipEntry{name: "xl/workbook.xml", data: []byte(wb.String())},
		zipEntry{name: "xl/_rels/workbook.xml.rels", data: []byte(wbRels.String())},
		zipEntry{name: "xl/sharedStrings.xml", data: []byte(sst.String())},
	)
	return zipFile(append(parts, sheetParts...))
}

// docxFile writes a minimal WordprocessingML document; each paragraph
// is a list of runs (a word processor splits text into runs where the
// formatting changes, so one word may span two).
func docxFile(paras [][]string) []byte {
	const w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	var b strings.Builder
	b.WriteString(xmlDecl + `<w:document xmlns:w="` + w + `"><w:body>`)
	for _, p := range paras {
		b.WriteString(`<w:p>`)
		for _, r := range p {
			b.WriteString(`<w:r><w:t xml:space="preserve">` + xmlText(r) + `</w:t></w:r>`)
		}
		b.WriteString(`</w:p>`)
	}
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`)
	return zipFile([]zipEntry{
		{name: "[Content_Types].xml", data: []byte(xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)},
		{name: "_rels/.rels", data: []byte(xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)},
		{name: "word/document.xml", data: []byte(b.String())},
	})
}

// sqliteTable is one table of a generated database: its DDL and rows.
type sqliteTable struct {
	name string
	cols []string // "PATRON_NO TEXT PRIMARY KEY", …
	rows [][]any
}

// sqliteFile builds a database with modernc.org/sqlite in a private temp
// dir (page size 4096, rollback journal) and returns its bytes. SQLite
// stores no time or host in the file; the header's change counter
// depends only on the statements.
func sqliteFile(tables []sqliteTable) []byte {
	dir, err := os.MkdirTemp("", "rouei-samples-*")
	fail("sqlite", err)
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "db.sqlite")
	db, err := sql.Open("sqlite", path)
	fail("sqlite", err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	exec := func(q string, args ...any) {
		_, err := db.Exec(q, args...)
		fail("sqlite", err)
	}
	exec("PRAGMA page_size = 4096")
	exec("PRAGMA journal_mode = DELETE")
	exec("PRAGMA encoding = 'UTF-8'")
	exec("BEGIN")
	for _, t := range tables {
		exec("CREATE TABLE " + t.name + " (" + strings.Join(t.cols, ", ") + ")")
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ")
		for _, r := range t.rows {
			exec("INSERT INTO "+t.name+" VALUES ("+marks+")", r...)
		}
	}
	exec("COMMIT")
	fail("sqlite", db.Close())
	b, err := os.ReadFile(path)
	fail("sqlite", err)
	return b
}
