package report

import (
	"fmt"
	"slices"
	"testing"

	"github.com/rouei/rouei/detectors"
)

func TestFinalizeSortsFilesWorstFirst(t *testing.T) {
	r := sampleReport()
	r.Finalize()
	var got []string
	for _, f := range r.Files {
		got = append(got, f.Path)
	}
	want := []string{overdue, "dist/conf/staff.txt", "dist/docs/sample.csv", "dist/enc.zip"}
	if !slices.Equal(got, want) {
		t.Errorf("file order = %q, want %q", got, want)
	}
}

func TestFinalizeFileTieBreaks(t *testing.T) {
	r := &Report{Files: []File{
		{Path: "b", Severity: detectors.High, Persons: 3},
		{Path: "a", Severity: detectors.High, Persons: 3},
		{Path: "c", Severity: detectors.High, Persons: 10},
		{Path: "d", Severity: detectors.Critical, Persons: 1},
	}}
	r.Finalize()
	var got []string
	for _, f := range r.Files {
		got = append(got, f.Path)
	}
	if want := []string{"d", "c", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("file order = %q, want %q", got, want)
	}
}

func TestFinalizeSortsFindingsByFileThenLine(t *testing.T) {
	r := sampleReport()
	r.Findings = append(r.Findings, Finding{Path: "zz/orphan.txt", Line: 1, Fingerprint: "fp-test-orphan", Severity: detectors.Low})
	r.Finalize()
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.Fingerprint)
	}
	want := []string{
		// overdue list (first file): line 2 jp-name before jp-phone, then lines 3..8
		"fp-test-od-2a", "fp-test-od-2b", "fp-test-od-3", "fp-test-od-4", "fp-test-od-5", "fp-test-od-6", "fp-test-od-8",
		"fp-test-staff-1", "fp-test-staff-2", // medium file
		"fp-test-dummy-1", "fp-test-dummy-2", // info file
		"fp-test-orphan", // path not in Files: last
	}
	if !slices.Equal(got, want) {
		t.Errorf("finding order =\n %q\nwant\n %q", got, want)
	}
}

func TestFinalizeSummary(t *testing.T) {
	r := sampleReport()
	r.Summary.Persons = 999 // stale values must be replaced
	r.Finalize()
	want := map[string]int{"critical": 1, "high": 0, "medium": 1, "low": 0, "info": 1}
	if fmt.Sprint(r.Summary.BySeverity) != fmt.Sprint(want) {
		t.Errorf("by_severity = %v, want %v", r.Summary.BySeverity, want)
	}
	// The dummy file's 2 test people are no one: summary.persons leaves them out.
	if r.Summary.Persons != 159+1 {
		t.Errorf("persons = %d, want %d", r.Summary.Persons, 160)
	}
	if r.Summary.MaxSeverity != detectors.Critical {
		t.Errorf("max severity = %v, want critical", r.Summary.MaxSeverity)
	}
	if r.Stats.Errors != 2 {
		t.Errorf("stats.errors = %d, want 2 (raised to len(errors))", r.Stats.Errors)
	}
}

func TestFinalizeMaxSeverityFromFindings(t *testing.T) {
	// A finding worse than every file still sets max_severity.
	r := &Report{
		Files:    []File{{Path: "a", Severity: detectors.Low}},
		Findings: []Finding{{Path: "a", Severity: detectors.High}},
		Stats:    Stats{Errors: 5},
		Errors:   []Error{{Path: "x", Error: "e"}},
	}
	r.Finalize()
	if r.Summary.MaxSeverity != detectors.High {
		t.Errorf("max severity = %v, want high", r.Summary.MaxSeverity)
	}
	if r.Stats.Errors != 5 {
		t.Errorf("stats.errors = %d, want 5 (kept when larger than len(errors))", r.Stats.Errors)
	}
}

func TestFinalizeEmptyReport(t *testing.T) {
	var r Report
	r.Finalize()
	if r.Targets == nil || r.Endpoints == nil || r.Files == nil || r.Findings == nil || r.Errors == nil {
		t.Errorf("nil slices left after Finalize: %+v", r)
	}
	if len(r.Summary.BySeverity) != 5 {
		t.Errorf("by_severity = %v, want the five keys", r.Summary.BySeverity)
	}
	for _, k := range []string{"critical", "high", "medium", "low", "info"} {
		if v, ok := r.Summary.BySeverity[k]; !ok || v != 0 {
			t.Errorf("by_severity[%q] = %d, %v; want 0, true", k, v, ok)
		}
	}
	if r.Summary.MaxSeverity != detectors.None {
		t.Errorf("max severity = %v, want none", r.Summary.MaxSeverity)
	}
	if r.Schema != SchemaV1 || r.Tool.Name != "rouei" {
		t.Errorf("schema/tool = %q/%q, want defaults", r.Schema, r.Tool.Name)
	}
}
