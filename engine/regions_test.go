package engine

import (
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/samples"
)

// sampleFile returns a file of the generated sample deliverable and its
// expected verdict.
func sampleFile(t testing.TB, rel string) ([]byte, *samples.Expected) {
	t.Helper()
	files, m, err := samples.Build()
	if err != nil {
		t.Fatal(err)
	}
	data, ok := files[rel]
	exp := m.Lookup(rel)
	if !ok || exp == nil {
		t.Fatalf("no sample %s", rel)
	}
	return data, exp
}

// verdictOf is what must match between a region and the file on its own.
type verdictOf struct {
	class    string
	sev      detectors.Severity
	persons  int
	findings int
	evidence []string // detector and masked evidence of every finding, sorted
}

func verdictIn(t *testing.T, r *report.Report, path string) verdictOf {
	t.Helper()
	var v verdictOf
	found := false
	for _, f := range r.Files {
		if f.Path == path {
			v.class, v.sev, v.persons, v.findings, found = f.Classification, f.Severity, f.Persons, f.Findings, true
		}
	}
	if !found {
		var paths []string
		for _, f := range r.Files {
			paths = append(paths, f.Path)
		}
		t.Fatalf("no file %s in the report (files %v)", path, paths)
	}
	for _, f := range r.Findings {
		if f.Path == path {
			v.evidence = append(v.evidence, f.Detector+" "+f.Evidence)
		}
	}
	slices.Sort(v.evidence)
	return v
}

func sameVerdict(t *testing.T, what string, got, want verdictOf) {
	t.Helper()
	if got.class != want.class || got.sev != want.sev || got.persons != want.persons || got.findings != want.findings ||
		!slices.Equal(got.evidence, want.evidence) {
		t.Errorf("%s: %s/%v/%d persons/%d findings, want %s/%v/%d/%d as on its own (evidence equal: %v)", what,
			got.class, got.sev, got.persons, got.findings, want.class, want.sev, want.persons, want.findings,
			slices.Equal(got.evidence, want.evidence))
	}
}

// TestTextRegionsInABinary: Shift_JIS and EUC-JP exports embedded in
// binary data (random bytes, zeros, a dump's strings around them) are
// read as text regions, each classified exactly as the file on its own.
func TestTextRegionsInABinary(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		sample string
		class  string
	}{
		{"deliverable/data/old/tokusoku_200506.csv", "overdue_list"},   // Shift_JIS
		{"deliverable/data/export/entai_noheader.csv", "overdue_list"}, // Shift_JIS, no header
		{"deliverable/data/holds/yoyaku_bunkan.tsv", "hold_list"},      // EUC-JP
		{"deliverable/data/loans/kashidashi.txt", "loan_record"},       // EUC-JP print layout
		{"deliverable/print/tokusoku_hagaki.prn", "overdue_list"},      // Shift_JIS postcards, form feeds
		{"deliverable/data/registry/riyosha_touroku.tsv", ""},          // UTF-8
	} {
		data, exp := sampleFile(t, c.sample)
		if c.class != "" && exp.Classification != c.class {
			t.Fatalf("%s: manifest says %s", c.sample, exp.Classification)
		}
		own := filepath.Join(dir, "own-"+filepath.Base(c.sample))
		if err := os.WriteFile(own, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Scan(context.Background(), []string{own}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := verdictIn(t, r, own)
		if want.class != exp.Classification || want.persons != exp.Persons {
			t.Fatalf("%s on its own: %s, %d persons; manifest %s, %d", c.sample, want.class, want.persons, exp.Classification, exp.Persons)
		}

		rng := rand.New(rand.NewSource(int64(len(data))))
		noise := make([]byte, 600<<10)
		rng.Read(noise)
		for _, layout := range []string{"random", "zeros", "dump"} {
			var blob []byte
			var pre []byte
			switch layout {
			case "random":
				pre = noise[:300<<10+12345] // the region starts in the second read
			case "zeros":
				pre = make([]byte, 700<<10)
			case "dump":
				// An Oracle export's head (a PGDMP head would be opened as a
				// PostgreSQL dump, and a broken one reported).
				pre = append([]byte("\x03\x00\x01EXPORT:V10.02.01\nDILS_ADMIN\nRTABLES\n"), noise[:70000]...)
				pre = append(pre, []byte("\x00\x00CREATE TABLE t(a,b)\x00\x00\x07")...)
			}
			blob = append(blob, pre...)
			blob = append(blob, 0)
			off := len(blob)
			blob = append(blob, data...)
			blob = append(blob, 0, 0xFF)
			blob = append(blob, noise[500<<10:]...)
			p := filepath.Join(dir, layout+"-"+filepath.Base(c.sample)+".img")
			if err := os.WriteFile(p, blob, 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := Scan(context.Background(), []string{p}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := verdictIn(t, r, p+"!/text@"+itoa(off))
			sameVerdict(t, layout+" "+c.sample, got, want)
			for _, e := range r.Errors {
				// Random bytes around the region (random, dump) are what encrypted data
				// looks like: the opaque-data rule says so, the region is
				// read all the same.
				if layout != "zeros" && strings.HasPrefix(e.Error, "opaque data") {
					continue
				}
				t.Errorf("%s: error %v", p, e)
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }

// TestHugeSparseFileWithAnExportDeepInside: a 3 GiB sparse file with a
// Shift_JIS overdue list at 2.5 GiB is streamed with bounded memory and
// the list is classified as on its own: overdue list, the same people.
func TestHugeSparseFileWithAnExportDeepInside(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 3 GiB")
	}
	data, exp := sampleFile(t, "deliverable/data/old/tokusoku_200506.csv")
	dir := t.TempDir()
	own := filepath.Join(dir, "tokusoku.csv")
	if err := os.WriteFile(own, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Scan(context.Background(), []string{own}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := verdictIn(t, r, own)

	p := filepath.Join(dir, "disk.img")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	const size, at = 3 << 30, 5 << 29 // 3 GiB, 2.5 GiB
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(data, at); err != nil {
		t.Fatal(err)
	}
	f.Close()
	runtime.GC()
	start := time.Now()
	var rr *report.Report
	peak := peakHeap(func() { rr, err = Scan(context.Background(), []string{p}, Options{}) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("3 GiB sparse file: %v, peak heap %d MiB", time.Since(start), peak>>20)
	got := verdictIn(t, rr, p+"!/text@"+fmtInt(at))
	sameVerdict(t, "region at 2.5 GiB", got, want)
	if got.class != "overdue_list" || got.persons != exp.Persons {
		t.Errorf("region: %s, %d persons; want overdue_list, %d", got.class, got.persons, exp.Persons)
	}
	if len(rr.Errors) != 0 || rr.Verdict(detectors.Critical) == report.Incomplete {
		t.Errorf("errors %v", rr.Errors)
	}
	if rr.Stats.Bytes != size {
		t.Errorf("%d bytes read, want all %d", rr.Stats.Bytes, int64(size))
	}
	if peak > 256<<20 {
		t.Errorf("peak heap %d MiB, want under 256 MiB", peak>>20)
	}
}
