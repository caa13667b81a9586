package engine

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rouei/rouei/samples"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite engine/testdata/sample-verdicts.golden from this tree's scan")

// goldenPath holds every verdict and finding fingerprint of the sample
// deliverable (no evidence: nothing of a person's data).
const goldenPath = "testdata/sample-verdicts.golden"

// TestSampleVerdictsGolden: the verdicts, counts and finding fingerprints
// of the sample deliverable are exactly those recorded. An optimisation
// must leave them as they are; a precision fix that changes them rewrites
// the file (go test ./engine -run TestSampleVerdictsGolden -update-golden)
// and its diff shows, in review, every verdict and finding it moved.
func TestSampleVerdictsGolden(t *testing.T) {
	dir := samples.DeliverableDir()
	r, err := Scan(context.Background(), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rel := func(p string) string { return filepath.ToSlash(strings.TrimPrefix(p, dir+"/")) }
	fmt.Fprintf(&b, "summary persons=%d max=%s files=%d findings=%d errors=%d\n",
		r.Summary.Persons, r.Summary.MaxSeverity, len(r.Files), len(r.Findings), len(r.Errors))
	for _, f := range r.Files {
		fmt.Fprintf(&b, "file %s class=%s severity=%s persons=%d findings=%d dummy=%v encoding=%s\n",
			rel(f.Path), f.Classification, f.Severity, f.Persons, f.Findings, f.Dummy, f.Encoding)
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "finding %s %s:%d %s %s %s %.2f\n",
			f.Fingerprint, rel(f.Path), f.Line, f.Detector, f.Category, f.Severity, f.Confidence)
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "error %s\n", rel(e.Path))
	}
	if *updateGolden {
		if err := os.WriteFile(goldenPath, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (create it with -update-golden)", err)
	}
	if !bytes.Equal(want, b.Bytes()) {
		got, exp := strings.Split(b.String(), "\n"), strings.Split(string(want), "\n")
		shown := 0
		for i := 0; i < max(len(got), len(exp)) && shown < 20; i++ {
			g, e := at(got, i), at(exp, i)
			if g != e {
				t.Errorf("line %d:\n  got  %s\n  want %s", i+1, g, e)
				shown++
			}
		}
		t.Errorf("sample verdicts differ from %s (%d lines now, %d recorded); if a precision fix means it, rerun with -update-golden and review the diff", goldenPath, len(got), len(exp))
	}
}

func at(l []string, i int) string {
	if i < len(l) {
		return l[i]
	}
	return "(none)"
}
