package pgdump_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rouei/rouei/engine"
	"github.com/rouei/rouei/report"
)

// Every form of the dump gives each table the verdict its CSV twin gets,
// through the engine as a user would meet them: the directory format as
// a directory walked normally.
func TestDumpsGetTheVerdictOfTheirCSVTwins(t *testing.T) {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	r, err := engine.Scan(context.Background(), []string{dir}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Errors) != 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	files := map[string]report.File{}
	for _, f := range r.Files {
		files[strings.TrimPrefix(f.Path, dir+"/")] = f
	}
	for twin, forms := range map[string][]string{
		"patrons.csv": {"library.dump!/public.patrons", "library-z0.dump!/public.patrons",
			"library.sql!/public.patrons", "library.dir/3351.dat.gz!/public.patrons"},
		"overdue_loans.csv": {"library.dump!/public.overdue_loans", "library-z0.dump!/public.overdue_loans",
			"library.sql!/public.overdue_loans", "library.dir/3352.dat.gz!/public.overdue_loans"},
	} {
		want, ok := files[twin]
		if !ok || want.Persons == 0 {
			t.Fatalf("twin %s: %+v", twin, want)
		}
		for _, p := range forms {
			got, ok := files[p]
			if !ok {
				t.Errorf("%s: not in the report", p)
				continue
			}
			if got.Classification != want.Classification || got.Persons != want.Persons || got.Severity != want.Severity || got.Findings != want.Findings {
				t.Errorf("%s: %s %s %d persons %d findings; its twin %s: %s %s %d persons %d findings", p,
					got.Classification, got.Severity, got.Persons, got.Findings, twin, want.Classification, want.Severity, want.Persons, want.Findings)
			}
		}
	}
	for p, f := range files {
		if strings.HasPrefix(p, "library.dir/") && !strings.Contains(p, "!/public.") {
			t.Errorf("%s listed on its own: %+v", p, f)
		}
	}
}

// A truncated custom dump and one of an unknown version are errors, not
// passes.
func TestBrokenDumpsAreErrors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "library.dump"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	newer := append([]byte(nil), data...)
	newer[6] = 17 // archive version 1.17
	os.WriteFile(filepath.Join(dir, "newer.dump"), newer, 0o644)
	os.WriteFile(filepath.Join(dir, "cut.dump"), data[:len(data)*2/3], 0o644)
	r, err := engine.Scan(context.Background(), []string{dir}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	errs := map[string]string{}
	for _, e := range r.Errors {
		errs[strings.TrimPrefix(e.Path, dir+"/")] += e.Error
	}
	if !strings.Contains(errs["newer.dump"], "1.17") {
		t.Errorf("newer version: %q", errs["newer.dump"])
	}
	cut := ""
	for p, e := range errs {
		if strings.HasPrefix(p, "cut.dump") {
			cut += e
		}
	}
	if cut == "" {
		t.Errorf("truncated dump passed: %v", errs)
	}
}
