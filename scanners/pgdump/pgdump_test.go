package pgdump

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
		m[g.name] = g
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
