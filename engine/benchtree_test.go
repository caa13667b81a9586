package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/samples"
)

// TestBenchTree: the tree the README's throughput figures are measured on
// (samples.BenchTree) reads as a deliverable should. Its documentation,
// source, logs, binaries and images hold no one's data (credits and the
// library's own number at most: low), so the benchmark measures a scan
// that is right; its exports are found.
func TestBenchTree(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	dir := t.TempDir()
	files, _, err := samples.BenchTree(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Scan(context.Background(), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	exports := 0
	for _, f := range r.Files {
		rel := strings.TrimPrefix(f.Path, dir+"/unit000/")
		switch {
		case strings.HasPrefix(rel, "release/"):
		case strings.HasPrefix(rel, "export/"), strings.HasPrefix(rel, "dist/bundle.zip!/export/"):
			if f.Severity >= detectors.High {
				exports++
			}
		default:
			if f.Severity > detectors.Low {
				t.Errorf("%s: %s %s (%v)", rel, f.Severity, f.Classification, f.Why)
			}
		}
	}
	if r.Stats.Files < files || exports < 30 {
		t.Errorf("files read %d of %d; exports of high or above %d", r.Stats.Files, files, exports)
	}
}
