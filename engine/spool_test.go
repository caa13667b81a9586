package engine

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/samples"
)

// The sample deliverable's report is the same whether findings are held
// in memory or spooled as files complete: files, findings (order,
// fingerprints, evidence), errors, summary and verdicts, in every format.
func TestSpooledScanSameReport(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	// the sample deliverable, and a zip holding a file and a zip twice
	// (repeats resolved from the first occurrence's spooled findings)
	extra := t.TempDir()
	repeatsZip(t, filepath.Join(extra, "repeats.zip"))
	targets := []string{samples.DeliverableDir(), extra}
	for _, c := range []struct {
		name     string
		opt      Options
		customer []string // --customer: other_customer marks, spooled entries rewritten
	}{
		{"default", Options{}, nil},
		{"one-worker-few-findings", Options{Workers: 1, MaxFindingsPerFile: 3}, nil},
		{"revealed", Options{Reveal: true, Workers: 3}, nil},
		{"other-customer", Options{}, []string{"北海道"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			mem := c.opt
			mem.Now = clock
			rm, err := Scan(context.Background(), targets, mem)
			if err != nil {
				t.Fatal(err)
			}
			sp, err := report.NewSpool(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer sp.Close()
			str := c.opt
			str.Now = clock
			str.Spool = sp
			rs, err := Scan(context.Background(), targets, str)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs.Findings) != 0 || rs.Spool != sp {
				t.Fatalf("spooled scan kept %d findings in memory", len(rs.Findings))
			}
			if rm.FindingCount() < 50 || rs.FindingCount() != rm.FindingCount() {
				t.Fatalf("findings: spooled %d, in memory %d", rs.FindingCount(), rm.FindingCount())
			}
			// one rebased repeat at least: a member met twice in the tree
			dups := 0
			for _, f := range rm.Files {
				if strings.Contains(f.Reason, "scanned once there") {
					dups++
				}
			}
			rebased := 0
			for _, f := range rm.Findings {
				if strings.HasSuffix(f.Path, "repeats.zip!/two/a.csv") || strings.HasSuffix(f.Path, "repeats.zip!/c/b.txt") {
					rebased++
				}
			}
			if dups < 3 || rebased < 2 {
				t.Errorf("%d repeated members, %d rebased findings: the spool's read-back is untested", dups, rebased)
			}
			set := map[string]bool{}
			for i, f := range rm.Findings {
				if i%5 == 0 {
					set[f.Fingerprint] = true
				}
			}
			rm.MarkBaselined(set)
			rs.MarkBaselined(set)
			if c.customer != nil {
				cust, err := report.ParseCustomer(c.customer)
				if err != nil {
					t.Fatal(err)
				}
				rm.ApplyCustomer(cust)
				rs.ApplyCustomer(cust)
				marked := 0
				for _, f := range rs.Files {
					if f.OtherCustomer {
						marked++
					}
				}
				if marked < 3 {
					t.Fatalf("%d lists marked other_customer: the rewrite of spooled entries is untested", marked)
				}
			}
			rm.Localize(report.Japanese)
			rs.Localize(report.Japanese)
			// the spooled report holds slim files[] entries: their reasons,
			// areas and columns are in the spool, read back by the writers
			heavy := 0
			for _, f := range rm.Files {
				if len(f.Reasons) > 0 || len(f.Areas) > 0 || len(f.Columns) > 0 {
					heavy++
				}
			}
			for _, f := range rs.Files {
				if len(f.Reasons) > 0 || len(f.Areas) > 0 || len(f.Columns) > 0 || f.Reason != "" {
					t.Fatalf("a spooled report holds %s's details in memory", filepath.Base(f.Path))
				}
			}
			if heavy < 10 {
				t.Fatalf("only %d files with reasons, areas or columns in memory: the spooled details are untested", heavy)
			}
			for _, w := range []struct {
				name  string
				write func(*bytes.Buffer, *report.Report) error
			}{
				{"json", func(b *bytes.Buffer, r *report.Report) error { return report.WriteJSON(b, r) }},
				{"sarif", func(b *bytes.Buffer, r *report.Report) error { return report.WriteSARIF(b, r) }},
				{"text", func(b *bytes.Buffer, r *report.Report) error {
					return report.WriteText(b, r, report.TextOptions{Lang: report.English, FailOn: detectors.High})
				}},
				{"html", func(b *bytes.Buffer, r *report.Report) error {
					return report.WriteHTML(b, r, report.HTMLOptions{Lang: report.Japanese, FailOn: detectors.High})
				}},
			} {
				var a, b bytes.Buffer
				if err := w.write(&a, rm); err != nil {
					t.Fatal(err)
				}
				if err := w.write(&b, rs); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Errorf("%s: the spooled report differs (%d bytes, in memory %d)", w.name, b.Len(), a.Len())
				}
			}
			for _, s := range []detectors.Severity{detectors.None, detectors.Medium, detectors.High, detectors.Critical} {
				if rs.Verdict(s) != rm.Verdict(s) {
					t.Errorf("verdict at %v: spooled %v, in memory %v", s, rs.Verdict(s), rm.Verdict(s))
				}
			}
		})
	}
}

// repeatsZip writes a zip with two people lists, each twice, and a
// nested zip holding them, twice.
func repeatsZip(t *testing.T, path string) {
	t.Helper()
	var lists [][]byte
	for seed := uint64(7); len(lists) < 2; seed++ {
		if f := samples.Random(seed); f.Truth.Persons > 3 {
			lists = append(lists, f.Data)
		}
	}
	build := func(members map[string][]byte, order []string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, name := range order {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(members[name])
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	inner := build(map[string][]byte{"a.csv": lists[0], "b.txt": lists[1]}, []string{"a.csv", "b.txt"})
	outer := build(map[string][]byte{
		"one/a.csv": lists[0], "two/a.csv": lists[0], "b.txt": lists[1], "c/b.txt": lists[1],
		"x.zip": inner, "y/x.zip": inner,
	}, []string{"one/a.csv", "b.txt", "x.zip", "two/a.csv", "c/b.txt", "y/x.zip"})
	if err := os.WriteFile(path, outer, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A spool that cannot take the findings (a full disk; here, closed)
// loses them with an error entry: the files' verdicts stand and the run
// is not passed as clean.
func TestSpoolFailureIsReported(t *testing.T) {
	sp, err := report.NewSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sp.Close()
	r, err := Scan(context.Background(), []string{samples.DeliverableDir()}, Options{Spool: sp})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range r.Errors {
		if e.Path == SpoolPath && strings.Contains(e.Error, "findings could not be kept") {
			found = true
		}
	}
	if !found || r.Verdict(detectors.High) != report.Fail || r.Verdict(detectors.None) != report.Incomplete {
		t.Errorf("spool error entry %v; verdicts %v / %v", found, r.Verdict(detectors.High), r.Verdict(detectors.None))
	}
	if len(r.Files) == 0 || r.Summary.MaxSeverity < detectors.High {
		t.Errorf("the files' verdicts were lost with the findings: %d files, max %v", len(r.Files), r.Summary.MaxSeverity)
	}
}
