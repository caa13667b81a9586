package office_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/cmd/cli"
	"github.com/rouei/rouei/engine"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/office"

	"golang.org/x/text/encoding/japanese"
)

const accessFixtures = "../../../shared/fixtures/access"

// needMdbtools skips without mdbtools, unless CI is set.
func needMdbtools(t *testing.T) {
	t.Helper()
	for _, b := range []string{"mdb-tables", "mdb-export"} {
		if _, err := exec.LookPath(b); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed, and CI is set: the Access tests must run in CI (apt-get install mdbtools)", b)
			}
			t.Skipf("%s not found: skipping the Access test; install it with apt-get install mdbtools", b)
		}
	}
}

type member struct {
	name, text string
	err        error
}

func walkFile(t *testing.T, path string, lim scanners.Limits) ([]member, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	op := office.Identify(filepath.Base(path), data[:min(len(data), 64<<10)])
	if op == nil || op.Kind() != "access" {
		t.Fatalf("%s: Identify = %v, want access", path, op)
	}
	r := bytes.NewReader(data)
	var out []member
	err = op.Walk(context.Background(), scanners.Source{Name: path, Reader: r, At: r, Size: int64(len(data)), Path: path}, lim,
		func(m scanners.Member) error {
			g := member{name: m.Name, err: m.Err}
			if m.Open != nil {
				if !m.Text {
					t.Errorf("%s: not a text member", m.Name)
				}
				rc, err := m.Open()
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(rc)
				rc.Close()
				g.text = string(b)
				if g.err == nil {
					g.err = err
				}
			}
			out = append(out, g)
			return nil
		})
	return out, err
}

// The two public test databases (Access 2007 .accdb, Jet 4 .mdb): every
// table listed, its rows exported under its header, dates in ISO form.
func TestAccessFixtures(t *testing.T) {
	needMdbtools(t)
	for _, tt := range []struct {
		file, table, header string
		rows                int
		want                []string // in the text
	}{
		{"ASampleDatabase.accdb", "Asset Items",
			"Asset No\tAsset Category\tMake\tModel\tDescription\tOwner\tSerial No\tAcquired\tCost\tWarranty\tTax Scale\tSupplier No\tComments",
			-1, []string{"30050\tComputer Hardware\tGEO Rocket\t220ZX", "1997-09-02 00:00:00"}},
		{"DateTestDatabase.mdb", "DateTest", "IDCol\tDateTimeCol\tDateCol\tTimeCol\tLongTextCol\tShortTextCol",
			-1, []string{"\tHello\tHello", "Year 9999"}},
	} {
		path := filepath.Join(accessFixtures, tt.file)
		ms, err := walkFile(t, path, scanners.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if len(ms) != 1 || ms[0].name != tt.table || ms[0].err != nil {
			t.Fatalf("%s: members %+v, want the one table %q", tt.file, ms, tt.table)
		}
		lines := strings.Split(strings.TrimSuffix(ms[0].text, "\n"), "\n")
		if lines[0] != tt.header {
			t.Errorf("%s: header %q", tt.file, lines[0])
		}
		// As many rows as mdb-export gives records.
		out, err := exec.Command("mdb-export", path, tt.table).Output()
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != len(recs) || len(recs) < 2 {
			t.Errorf("%s: %d lines, mdb-export has %d records", tt.file, len(lines), len(recs))
		}
		for _, l := range lines {
			if n := strings.Count(l, "\t"); n != strings.Count(tt.header, "\t") {
				t.Errorf("%s: a row of %d cells: %q", tt.file, n+1, l)
				break
			}
		}
		for _, w := range tt.want {
			if !strings.Contains(ms[0].text, w) {
				t.Errorf("%s: text lacks %q", tt.file, w)
			}
		}
	}

	// The CLI over a copy of both: no errors, exit 0.
	dir := t.TempDir()
	for _, f := range []string{"ASampleDatabase.accdb", "DateTestDatabase.mdb"} {
		copyFile(t, filepath.Join(accessFixtures, f), filepath.Join(dir, "db", f))
	}
	code, r := runCLI(t, dir)
	if code != 0 || len(r.Errors) != 0 {
		t.Fatalf("exit %d, errors %+v", code, r.Errors)
	}
}

// Without mdbtools an Access database is an error that says how to get
// it, and the scan exits 3.
func TestAccessWithoutMdbtools(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	dir := t.TempDir()
	copyFile(t, filepath.Join(accessFixtures, "DateTestDatabase.mdb"), filepath.Join(dir, "a.mdb"))
	code, r := runCLI(t, dir)
	if code != 3 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error, "apt-get install mdbtools") {
		t.Fatalf("exit %d, errors %+v; want 3 and how to install mdbtools", code, r.Errors)
	}
}

// fakeMdbtools puts mdb-tables and mdb-export scripts first on PATH that
// present tables (name → CSV as mdb-export writes it): mdbtools cannot
// write Access files, so a patron table is tested one level down, as
// the CSV stream of its table.
func fakeMdbtools(t *testing.T, tables map[string]string, order []string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts")
	}
	dir := t.TempDir()
	var list strings.Builder
	var cases strings.Builder
	for i, name := range order {
		list.WriteString(name + "\n")
		f := filepath.Join(dir, "t"+string(rune('0'+i))+".csv")
		if err := os.WriteFile(f, []byte(tables[name]), 0o644); err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(tables[name], "FAIL"):
			cases.WriteString("  '" + name + "') head -c 40 " + f + "; echo 'mdb-export: cannot read page 1234' >&2; exit 1 ;;\n")
		case strings.HasPrefix(tables[name], "HANG"):
			cases.WriteString("  '" + name + "') exec sleep 30 ;;\n")
		default:
			cases.WriteString("  '" + name + "') cat " + f + " ;;\n")
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "tables.txt"), []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write("mdb-tables", "cat "+filepath.Join(dir, "tables.txt")+"\n")
	// The table is the last argument.
	write("mdb-export", "for a; do t=$a; done\ncase \"$t\" in\n"+cases.String()+"  *) echo \"no table $t\" >&2; exit 1 ;;\nesac\n")
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// mdbExportCSV writes rows as mdb-export does: the header unquoted, text
// quoted with quotes doubled, numbers bare.
func mdbExportCSV(rows [][]string, numeric map[int]bool) string {
	var b strings.Builder
	b.WriteString(strings.Join(rows[0], ",") + "\n")
	for _, r := range rows[1:] {
		for i, c := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			if numeric[i] || c == "" {
				b.WriteString(c)
			} else {
				b.WriteString(`"` + strings.ReplaceAll(c, `"`, `""`) + `"`)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func readRows(t *testing.T, path string, comma rune, sjis bool) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if sjis {
		if data, err = japanese.ShiftJIS.NewDecoder().Bytes(data); err != nil {
			t.Fatal(err)
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// Each table of a database (a patron registry, an overdue list, a branch
// list, all the samples generator's synthetic people and places) gets
// the verdict of the same rows as a CSV file; a table mdb-export fails
// on is an error after what it gave; the scan goes on.
func TestAccessTablesLikeTheirCSV(t *testing.T) {
	samples := "../../samples/deliverable"
	patrons := readRows(t, filepath.Join(samples, "data/registry/riyosha_touroku.tsv"), '\t', false)
	overdue := readRows(t, filepath.Join(samples, "data/old/tokusoku_200506.csv"), ',', true)
	branches := [][]string{{"BRANCH_ID", "BRANCH_NAME", "TEL"},
		{"1", "架空市立中央図書館", "0564-23-0101"}, {"2", "みどり分館", "0564-23-0109"}, {"3", "若葉台分館", "0564-23-0131"}}
	tables := map[string]string{
		"PATRON":  mdbExportCSV(patrons, map[int]bool{0: true}),
		"OVERDUE": mdbExportCSV(overdue, map[int]bool{0: true, 3: true, 8: true}),
		"BRANCH":  mdbExportCSV(branches, map[int]bool{0: true}),
		"BROKEN":  "FAIL",
	}
	order := []string{"PATRON", "OVERDUE", "BRANCH", "BROKEN"}
	fakeMdbtools(t, tables, order)

	dir := t.TempDir()
	db := append([]byte{0, 1, 0, 0}, "Standard Jet DB\x00"...)
	db = append(db, make([]byte, 4096)...)
	if err := os.WriteFile(filepath.Join(dir, "ils.mdb"), db, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range order[:3] {
		if err := os.WriteFile(filepath.Join(dir, name+".csv"), []byte(tables[name]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := engine.Scan(context.Background(), []string{dir}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]report.File{}
	for _, f := range r.Files {
		files[strings.TrimPrefix(f.Path, dir+"/")] = f
	}
	for _, name := range order[:3] {
		m, c := files["ils.mdb!/"+name], files[name+".csv"]
		if m.Classification != c.Classification || m.Severity != c.Severity || m.Persons != c.Persons {
			t.Errorf("%s: table %s/%s/%d, its CSV %s/%s/%d", name, m.Classification, m.Severity, m.Persons,
				c.Classification, c.Severity, c.Persons)
		}
	}
	if c := files["PATRON.csv"]; c.Classification != "patron_registry" || c.Persons < 10 {
		t.Errorf("the patron CSV itself: %+v", c)
	}
	if c := files["OVERDUE.csv"]; c.Classification != "overdue_list" {
		t.Errorf("the overdue CSV itself: %+v", c)
	}
	var broken []string
	for _, e := range r.Errors {
		if strings.Contains(e.Path, "ils.mdb") {
			broken = append(broken, e.Path+": "+e.Error)
		}
	}
	if len(broken) != 1 || !strings.Contains(broken[0], "ils.mdb!/BROKEN") || !strings.Contains(broken[0], "cannot read page 1234") {
		t.Errorf("errors %q, want one for the BROKEN table with mdb-export's message", broken)
	}
}

// A table mdb-export hangs on is stopped at the container's time limit.
func TestAccessTimeLimit(t *testing.T) {
	fakeMdbtools(t, map[string]string{"SLOW": "HANG"}, []string{"SLOW"})
	dir := t.TempDir()
	db := append([]byte{0, 1, 0, 0}, "Standard ACE DB\x00"...)
	if err := os.WriteFile(filepath.Join(dir, "slow.accdb"), db, 0o644); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	r, err := engine.Scan(context.Background(), []string{dir}, engine.Options{Limits: scanners.Limits{MaxArchiveTime: 500 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(t0); el > 10*time.Second {
		t.Errorf("took %v", el)
	}
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Error, "longer than") {
		t.Errorf("errors %+v, want the time limit", r.Errors)
	}
}

func runCLI(t *testing.T, dir string) (int, *report.Report) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run([]string{"scan", "--format", "json", dir}, &out, &errb)
	var r report.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("exit %d, not JSON: %v\n%s", code, err, errb.String())
	}
	return code, &r
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
