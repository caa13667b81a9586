package pgdump

import (
	"compress/gzip"
	"errors"

	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/rouei/rouei/scanners"
)

type got struct {
	name, text string
	isText     bool
	err        error
	readErr    error
}

func walk(t testing.TB, op scanners.Opener, data []byte, path string, lim scanners.Limits) ([]got, error) {
	t.Helper()
	r := bytes.NewReader(data)
	src := scanners.Source{Name: "test", Reader: r, At: r, Size: int64(len(data)), Path: path}
	var out []got
	err := op.Walk(context.Background(), src, lim, func(m scanners.Member) error {
		g := got{name: m.Name, isText: m.Text, err: m.Err}
		if m.Err == nil {
			rc, err := m.Open()
			if err != nil {
				g.readErr = err
			} else {
				b, err := io.ReadAll(rc)
				g.text, g.readErr = string(b), err
				rc.Close()
			}
		}
		out = append(out, g)
		return nil
	})
	return out, err
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func members(gs []got) map[string]got {
	m := map[string]got{}
	for _, g := range gs {
		if _, ok := m[g.name]; !ok {
			m[g.name] = g
		}
	}
	return m
}

// twinRows is a CSV fixture's rows as tab-separated lines, the way the
// dumps must give them.
func twinRows(t testing.TB, name string) string {
	t.Helper()
	return strings.ReplaceAll(string(fixture(t, name)), ",", "\t")
}

func TestCustomAndPlainDumpsGiveEachTableWithItsHeader(t *testing.T) {
	patrons, loans := twinRows(t, "patrons.csv"), twinRows(t, "overdue_loans.csv")
	for _, tc := range []struct {
		file string
		op   scanners.Opener
	}{
		{"library.dump", customOpener{}},
		{"library-z0.dump", customOpener{}},
		{"library.sql", plainOpener{}},
	} {
		data := fixture(t, tc.file)
		if op := Identify(tc.file, data[:min(len(data), 64<<10)]); op == nil || op.Kind() != tc.op.Kind() {
			t.Fatalf("%s: identified as %v, want %s", tc.file, op, tc.op.Kind())
		}
		gs, err := walk(t, tc.op, data, "", scanners.DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		m := members(gs)
		for name, want := range map[string]string{"public.patrons": patrons, "public.overdue_loans": loans,
			"public.branches": "code\topening_hours\nC01\t9:00-19:00\nC02\t10:00-18:00\n"} {
			g, ok := m[name]
			if !ok || g.err != nil || g.readErr != nil || !g.isText {
				t.Fatalf("%s: member %s: %+v (members %d)", tc.file, name, g, len(gs))
			}
			if g.text != want {
				t.Errorf("%s: %s differs from its CSV twin:\n%.300s", tc.file, name, g.text)
			}
		}
		st := m["statements.sql"]
		if !strings.Contains(st.text, "CREATE TABLE public.patrons") || strings.Contains(st.text, "P020037") {
			t.Errorf("%s: statements.sql: %.200s", tc.file, st.text)
		}
	}
}

func TestDirectoryDumpDataFilesGetTheirColumnList(t *testing.T) {
	dir := filepath.Join("testdata", "library.dir")
	toc := fixture(t, "library.dir/toc.dat")
	if op := Identify(filepath.Join(dir, "toc.dat"), toc); op == nil || op.Kind() != "pgdump-toc" {
		t.Fatalf("toc.dat identified as %v", op)
	}
	gs, err := walk(t, tocOpener{}, toc, filepath.Join(dir, "toc.dat"), scanners.DefaultLimits)
	if err != nil || len(gs) != 1 || gs[0].name != "statements.sql" {
		t.Fatalf("toc.dat: %v, %+v", err, gs)
	}
	want := map[string]string{"public.patrons": twinRows(t, "patrons.csv"), "public.overdue_loans": twinRows(t, "overdue_loans.csv")}
	files, _ := filepath.Glob(filepath.Join(dir, "*.dat.gz"))
	if len(files) != 3 {
		t.Fatalf("data files %v", files)
	}
	seen := 0
	for _, f := range files {
		data, _ := os.ReadFile(f)
		op := Identify(f, data)
		if op == nil || op.Kind() != "pgdump-data" {
			t.Fatalf("%s identified as %v", f, op)
		}
		gs, err := walk(t, op, data, f, scanners.DefaultLimits)
		if err != nil || len(gs) != 1 {
			t.Fatalf("%s: %v %+v", f, err, gs)
		}
		if w, ok := want[gs[0].name]; ok {
			seen++
			if gs[0].text != w {
				t.Errorf("%s: %s differs from its CSV twin:\n%.300s", f, gs[0].name, gs[0].text)
			}
		}
	}
	if seen != 2 {
		t.Errorf("%d of the two tables seen", seen)
	}
	// The same bytes in an archive (no toc.dat on disk beside them) are
	// not a data file.
	data, _ := os.ReadFile(files[0])
	if op := Identify("x.tar!/library.dir/"+filepath.Base(files[0]), data); op != nil {
		t.Errorf("member of an archive identified as %s", op.Kind())
	}
	// A data file the TOC lists but that is gone is an error.
	tmp := t.TempDir()
	os.WriteFile(filepath.Join(tmp, "toc.dat"), toc, 0o644)
	gs, err = walk(t, tocOpener{}, toc, filepath.Join(tmp, "toc.dat"), scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for _, g := range gs {
		if g.err != nil && strings.Contains(g.err.Error(), "missing") {
			missing++
		}
	}
	if missing != 3 {
		t.Errorf("%d missing data files reported, want 3: %+v", missing, gs)
	}
}

// Newer archive versions (1.15's compression byte, 1.16's relkind) and
// every compression read, with escapes and NULLs in the rows.
func TestCustomVersionsAndCompressions(t *testing.T) {
	rows := "P1\t高橋 恵子\t\\N\t本町1\\t2番\n" +
		"P2\t山田 \\\\ 太郎\t090-3141-5926\t\\x41\\101\\n\n" +
		"\\.\n"
	want := "patron_id\tfull_name\tphone\taddress\nP1\t高橋 恵子\t\t本町1 2番\nP2\t山田 \\ 太郎\t090-3141-5926\tAA \n"
	tb := table{id: 7, name: "利用者", copy: `COPY public."利用者" (patron_id, "full_name", phone, address) FROM stdin;` + "\n", rows: rows}
	for _, v := range []struct{ vmin, comp byte }{{14, compNone}, {14, compGzip}, {15, compNone}, {15, compGzip}, {15, compLZ4}, {16, compZstd}, {16, compLZ4}, {10, compGzip}} {
		data := buildCustom(t, v.vmin, v.comp, "UTF8", tb)
		gs, err := walk(t, customOpener{}, data, "", scanners.DefaultLimits)
		if err != nil {
			t.Fatalf("1.%d comp %d: %v", v.vmin, v.comp, err)
		}
		g := members(gs)["public.利用者"]
		if g.text != want || g.readErr != nil {
			t.Errorf("1.%d comp %d: %q %v", v.vmin, v.comp, g.text, g.readErr)
		}
	}
	// An unknown compression and an unknown version are errors.
	data := buildCustom(t, 16, compNone, "UTF8", tb)
	bad := append([]byte(nil), data...)
	bad[11] = 9
	if _, err := walk(t, customOpener{}, bad, "", scanners.DefaultLimits); err == nil || !strings.Contains(err.Error(), "compression 9") {
		t.Errorf("compression 9: %v", err)
	}
	bad[11], bad[6] = compNone, 30
	if _, err := walk(t, customOpener{}, bad, "", scanners.DefaultLimits); err == nil || !strings.Contains(err.Error(), "1.30") {
		t.Errorf("version 1.30: %v", err)
	}
	bad[6], bad[5] = 16, 2
	if _, err := walk(t, customOpener{}, bad, "", scanners.DefaultLimits); err == nil {
		t.Errorf("version 2.x read")
	}
}

// A dump in Shift_JIS or EUC-JP is decoded; an unknown encoding is an
// error.
func TestDumpEncodings(t *testing.T) {
	name, _ := japanese.ShiftJIS.NewEncoder().String("佐藤 健一")
	tb := table{id: 3, name: "p", copy: "COPY public.p (id, full_name) FROM stdin;\n", rows: "1\t" + name + "\n"}
	gs, err := walk(t, customOpener{}, buildCustom(t, 14, compGzip, "SJIS", tb), "", scanners.DefaultLimits)
	if err != nil || members(gs)["public.p"].text != "id\tfull_name\n1\t佐藤 健一\n" {
		t.Errorf("SJIS: %v %+v", err, gs)
	}
	if _, err := walk(t, customOpener{}, buildCustom(t, 14, compGzip, "MULE_INTERNAL", tb), "", scanners.DefaultLimits); err == nil {
		t.Errorf("unknown encoding read")
	}
	euc, _ := japanese.EUCJP.NewEncoder().String("SET client_encoding = 'EUC_JP';\n\nCOPY public.p (id, 氏名) FROM stdin;\n1\t鈴木 一郎\n\\.\n\nINSERT INTO q VALUES ('伊藤 誠');\n")
	gs, err = walk(t, plainOpener{}, []byte(euc), "", scanners.DefaultLimits)
	m := members(gs)
	if err != nil || m["public.p"].text != "id\t氏名\n1\t鈴木 一郎\n" || !strings.Contains(m["statements.sql"].text, "伊藤 誠") ||
		strings.Contains(m["statements.sql"].text, "鈴木") {
		t.Errorf("EUC_JP plain: %v %+v", err, gs)
	}
}

// A plain dump: found by its banner or its COPY lines, every COPY block a
// table, a block cut off at the end read and reported.
func TestPlainDumps(t *testing.T) {
	for _, head := range []string{"--\n-- PostgreSQL database dump\n--\n", "SELECT 1;\nCOPY t (a) FROM stdin;\n\\.\n", "COPY t (a) FROM stdin;\n1\n\\.\n"} {
		if Identify("x.sql", []byte(head)) == nil {
			t.Errorf("%q not identified", head)
		}
	}
	for _, head := range []string{"-- some SQL\nSELECT 1;\n", "COPY t TO stdout;\n", "a\tb\nCOPY is a word\n",
		"Load rows with\nCOPY t (a) FROM stdin;\nand end them with a backslash and a period.\n"} {
		if op := Identify("x.sql", []byte(head)); op != nil {
			t.Errorf("%q identified as %s", head, op.Kind())
		}
	}
	sql := "COPY a (x, y) FROM stdin;\n1\t2\n\\.\nCOPY public.\"b c\" (z) FROM stdin;\n3\n4\n"
	gs, err := walk(t, plainOpener{}, []byte(sql), "", scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	m := members(gs)
	if m["a"].text != "x\ty\n1\t2\n" || m["public.b c"].text != "z\n3\n4\n" {
		t.Errorf("tables: %+v", gs)
	}
	cut := 0
	for _, g := range gs {
		if g.err != nil && strings.Contains(g.err.Error(), "truncated") {
			cut++
		}
	}
	if cut != 1 {
		t.Errorf("the unterminated block not reported: %+v", gs)
	}
}

// Directory dumps compressed with lz4 or zstd (pg_dump 16 and later).
func TestDirectoryDataCompressions(t *testing.T) {
	toc := fixture(t, "library.dir/toc.dat")
	plain := fixture(t, "library.dir/3351.dat.gz")
	zr, err := gzip.NewReader(bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := io.ReadAll(zr)
	want := twinRows(t, "patrons.csv")
	for _, c := range []struct {
		ext  string
		comp byte
	}{{"", compNone}, {".lz4", compLZ4}, {".zst", compZstd}} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "toc.dat"), toc, 0o644)
		f := filepath.Join(dir, "3351.dat"+c.ext)
		data := compress(t, c.comp, rows)
		os.WriteFile(f, data, 0o644)
		op := Identify(f, data)
		if op == nil {
			t.Fatalf("%s not identified", c.ext)
		}
		gs, err := walk(t, op, data, f, scanners.DefaultLimits)
		if err != nil || len(gs) != 1 || gs[0].text != want {
			t.Errorf("%q: %v %+v", c.ext, err, gs)
		}
	}
}

// Limits: a table larger than the member limit, a decompression bomb.
func TestDumpLimits(t *testing.T) {
	big := strings.Repeat("1\t"+strings.Repeat("x", 1000)+"\n", 4000)
	tb := table{id: 2, name: "t", copy: "COPY public.t (a, b) FROM stdin;\n", rows: big}
	lim := scanners.DefaultLimits
	lim.MaxMemberBytes = 1 << 20
	gs, err := walk(t, customOpener{}, buildCustom(t, 14, compNone, "UTF8", tb), "", lim)
	if err != nil || !errors.Is(members(gs)["public.t"].readErr, scanners.ErrLimit) {
		t.Errorf("member limit: %v %v", err, members(gs)["public.t"].readErr)
	}
	gs, err = walk(t, customOpener{}, buildCustom(t, 14, compGzip, "UTF8", tb), "", scanners.DefaultLimits)
	if err != nil || !errors.Is(members(gs)["public.t"].readErr, scanners.ErrLimit) {
		t.Errorf("bomb: %v %v", err, members(gs)["public.t"].readErr)
	}
}
