package report

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/detectors"
)

// part is a made-up shard report of a sweep over dist/ and two hosts.
func part(k, n int, files []File, eps []Endpoint, errs []Error) MergeInput {
	t0 := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	r := &Report{
		Schema: SchemaV1, Tool: Tool{Name: "rouei", Version: "0.1.0"},
		StartedAt: t0.Add(time.Duration(k) * time.Minute), FinishedAt: t0.Add(time.Duration(10-k) * time.Minute),
		Targets: []string{"dist", "ftp://a.example/", "ftp://b.example/"},
		Stats:   Stats{Files: len(files), Bytes: int64(100 * k), Errors: len(errs)},
		Files:   files, Endpoints: eps, Errors: errs,
		Shard:        &Shard{Index: k, Count: n},
		PolicyDigest: "sha256:00",
	}
	for _, f := range files {
		r.Findings = append(r.Findings, Finding{Fingerprint: "fp-" + f.Path, Path: f.Path, Line: 1, Severity: f.Severity})
	}
	r.Finalize()
	return MergeInput{Name: "part-" + string(rune('0'+k)) + ".json", Report: r}
}

func TestMergeJoinsParts(t *testing.T) {
	p1 := part(1, 2, []File{{Path: "dist/b.csv", Severity: detectors.High, Persons: 5}},
		[]Endpoint{{Target: "ftp://b.example/", Reachable: true}}, []Error{{Path: "dist/z.zip", Error: "encrypted"}})
	p2 := part(2, 2, []File{{Path: "dist/a.csv", Severity: detectors.Critical, Persons: 40}, {Path: "dist/c.txt", Severity: detectors.Low}},
		[]Endpoint{{Target: "ftp://a.example/", Reachable: true, AnonymousLogin: true}}, []Error{{Path: "dist/a.zip", Error: "truncated"}})
	rank := func(s *Shard, i int) int { // a.example is target 2, b.example target 3
		return map[int]int{1: 3, 2: 2}[s.Index]
	}
	m, err := Merge([]MergeInput{p2, p1}, MergeOptions{EndpointRank: rank})
	if err != nil {
		t.Fatal(err)
	}
	var files, eps, errs []string
	for _, f := range m.Files {
		files = append(files, f.Path)
	}
	for _, e := range m.Endpoints {
		eps = append(eps, e.Target)
	}
	for _, e := range m.Errors {
		errs = append(errs, e.Path)
	}
	if want := []string{"dist/a.csv", "dist/b.csv", "dist/c.txt"}; !slices.Equal(files, want) {
		t.Errorf("files %q, want %q (worst first across parts)", files, want)
	}
	if want := []string{"ftp://a.example/", "ftp://b.example/"}; !slices.Equal(eps, want) {
		t.Errorf("endpoints %q, want the targets' order %q", eps, want)
	}
	if want := []string{"dist/a.zip", "dist/z.zip"}; !slices.Equal(errs, want) {
		t.Errorf("errors %q, want by path %q", errs, want)
	}
	if m.Stats.Files != 3 || m.Stats.Bytes != 300 || m.Stats.Errors != 2 || len(m.Findings) != 3 {
		t.Errorf("stats %+v, %d findings", m.Stats, len(m.Findings))
	}
	if m.Summary.Persons != 45 || m.Summary.MaxSeverity != detectors.Critical || m.Summary.BySeverity["high"] != 1 {
		t.Errorf("summary %+v", m.Summary)
	}
	if !m.StartedAt.Equal(p1.Report.StartedAt) || !m.FinishedAt.Equal(p1.Report.FinishedAt) {
		t.Errorf("times %v–%v: want the earliest start and the latest finish", m.StartedAt, m.FinishedAt)
	}
	if m.Shard != nil || m.PolicyDigest != "" {
		t.Errorf("a merged report is a whole one: shard %v, digest %q", m.Shard, m.PolicyDigest)
	}
}

func TestMergeJoinsChangesInHistoryOrder(t *testing.T) {
	p1 := part(1, 2, []File{{Path: "dist/b.csv", Severity: detectors.High, Persons: 5}}, nil, nil)
	p2 := part(2, 2, []File{{Path: "dist/a.csv", Severity: detectors.Critical, Persons: 40}}, nil, nil)
	since := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	p1.Report.Changes = &Changes{Since: since, New: []Change{{Kind: "file", Path: "dist/b.csv", Severity: detectors.High}},
		Resolved: []Change{{Kind: "file", Path: "dist/old.csv", Severity: detectors.Medium}}}
	p2.Report.Changes = &Changes{Since: since.Add(time.Hour), New: []Change{{Kind: "file", Path: "dist/a.csv", Severity: detectors.Critical}},
		Resolved: []Change{{Kind: "file", Path: "dist/gone.csv", Severity: detectors.Critical}}}
	m, err := Merge([]MergeInput{p1, p2}, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := m.Changes
	if len(c.New) != 2 || c.New[0].Path != "dist/a.csv" || c.New[1].Path != "dist/b.csv" {
		t.Errorf("new %+v: want the files' order", c.New)
	}
	if len(c.Resolved) != 2 || c.Resolved[0].Path != "dist/gone.csv" {
		t.Errorf("resolved %+v: want worst first", c.Resolved)
	}
	if !c.Since.Equal(since.Add(time.Hour)) || c.Still == nil {
		t.Errorf("since %v, still %v", c.Since, c.Still)
	}
}

func TestMergeRefuses(t *testing.T) {
	ok1, ok2 := part(1, 2, nil, nil, nil), part(2, 2, nil, nil, nil)
	other := part(2, 2, nil, nil, nil)
	other.Report.Targets = []string{"dist"}
	other.Name = "other.json"
	for _, c := range []struct {
		name string
		in   []MergeInput
		want string
	}{
		{"none", nil, "no reports"},
		{"missing", []MergeInput{ok1}, "missing shard(s) 2/2"},
		{"twice", []MergeInput{ok1, ok2, ok2}, "shard 2/2 is given more than once (part-2.json, part-2.json)"},
		{"targets", []MergeInput{ok1, other}, "part-1.json and other.json scanned different targets lists"},
	} {
		_, err := Merge(c.in, MergeOptions{})
		var me *MergeError
		if !errors.As(err, &me) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a MergeError with %q", c.name, err, c.want)
		}
	}
}

// TestMergeOfAnInterruptedPartIsIncomplete: one part cut short by a
// signal makes the merged report incomplete (complete: false).
func TestMergeOfAnInterruptedPartIsIncomplete(t *testing.T) {
	p1 := part(1, 2, nil, nil, nil)
	p2 := part(2, 2, []File{{Path: "dist/a.csv", Severity: detectors.Low}}, nil, nil)
	whole, err := Merge([]MergeInput{p1, p2}, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if whole.Complete != nil {
		t.Errorf("complete parts merged: complete %v, want absent", *whole.Complete)
	}
	cut := false
	p2.Report.Complete = &cut
	m, err := Merge([]MergeInput{p1, p2}, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Complete == nil || *m.Complete {
		t.Errorf("complete %v, want false", m.Complete)
	}
}
