package office_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/engine"
	"github.com/rouei/rouei/report"
)

// scanTwins scans copies of the fixtures named in pairs (table member →
// CSV twin) through the engine and checks each member gets its twin's
// verdict: classification, severity, persons and findings.
func scanTwins(t *testing.T, files []string, pairs map[string]string) map[string]report.File {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := engine.Scan(context.Background(), []string{dir}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Errors) != 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	got := map[string]report.File{}
	for _, f := range r.Files {
		got[strings.TrimPrefix(f.Path, dir+"/")] = f
	}
	for m, twin := range pairs {
		a, b := got[m], got[twin]
		if b.Persons == 0 {
			t.Fatalf("twin %s found no one: %+v", twin, got)
		}
		if a.Classification != b.Classification || a.Severity != b.Severity || a.Persons != b.Persons || a.Findings != b.Findings {
			t.Errorf("%s: %s %s %d persons %d findings; twin %s: %s %s %d persons %d findings", m,
				a.Classification, a.Severity, a.Persons, a.Findings, twin, b.Classification, b.Severity, b.Persons, b.Findings)
		}
	}
	return got
}

func TestDBFGetsTheVerdictOfItsCSVTwin(t *testing.T) {
	scanTwins(t, []string{"patrons.dbf", "patrons.dbt", "kashidashi.dbf", "patrons.csv", "patrons.deleted.csv", "kashidashi.csv"},
		map[string]string{
			"patrons.dbf!/patrons":         "patrons.csv",
			"patrons.dbf!/patrons.deleted": "patrons.deleted.csv",
			"kashidashi.dbf!/kashidashi":   "kashidashi.csv",
		})
}

func TestDOCGetsTheVerdictOfItsTextTwin(t *testing.T) {
	got := scanTwins(t, []string{"tokusoku.doc", "tokusoku.doc.txt", "letter.doc", "letter.doc.txt"},
		map[string]string{
			"tokusoku.doc!/document": "tokusoku.doc.txt",
			"letter.doc!/document":   "letter.doc.txt",
		})
	if got["tokusoku.doc!/document"].Persons != 12 {
		t.Errorf("overdue list: %+v", got["tokusoku.doc!/document"])
	}
}

// A deliverable of clean documents (a manual with the library's own
// phone number) passes: no error, nothing at or above high.
func TestCleanDocumentsPass(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join("testdata", "manual.doc"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "manual.doc"), b, 0o644)
	r, err := engine.Scan(context.Background(), []string{dir}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Errors) != 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	for _, f := range r.Files {
		if f.Severity >= detectors.High {
			t.Errorf("%s: %s", f.Path, f.Severity)
		}
	}
}

// Spreadsheets whose dates are serial numbers under a date format (made
// by Calc from the CSV twins) keep their birth dates and due dates.
func TestSpreadsheetDatesGetTheVerdictOfTheirCSVTwins(t *testing.T) {
	got := scanTwins(t, []string{"dates-registry.csv", "dates-registry.xlsx", "dates-registry.xls", "dates-loans.csv", "dates-loans.xlsx", "dates-loans.xls"},
		map[string]string{
			"dates-registry.xlsx!/dates-registry": "dates-registry.csv",
			"dates-registry.xls!/dates-registry":  "dates-registry.csv",
			"dates-loans.xlsx!/dates-loans":       "dates-loans.csv",
			"dates-loans.xls!/dates-loans":        "dates-loans.csv",
		})
	for _, p := range []string{"dates-registry.xlsx!/dates-registry", "dates-registry.xls!/dates-registry"} {
		if !slices.Contains(got[p].Fields, "birth_date") {
			t.Errorf("%s: no birth dates: %v", p, got[p].Fields)
		}
	}
}
