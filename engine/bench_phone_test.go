package engine

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/samples"
)

// writePatronCSV writes samples.BenchPatronCSV of about size bytes to path.
func writePatronCSV(tb testing.TB, path string, size int64) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := samples.BenchPatronCSV(f, size); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkScanPatronCSV scans, from disk, one patron registry CSV dense
// with distinct phone numbers (issue 15's shape: every line a person, one
// or two numbers each, no number repeated), 64 MiB by default; set
// ROUEI_BENCH_PATRON_MIB=256 for the target size.
func BenchmarkScanPatronCSV(b *testing.B) {
	mib := int64(64)
	if v, err := strconv.ParseInt(os.Getenv("ROUEI_BENCH_PATRON_MIB"), 10, 64); err == nil && v > 0 {
		mib = v
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "patrons.csv")
	writePatronCSV(b, path, mib<<20)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ResetTimer()
	cpu0 := processCPU()
	for b.Loop() {
		r, err := Scan(context.Background(), []string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Files) != 1 || len(r.Errors) > 0 {
			b.Fatalf("files %d, errors %v", len(r.Files), r.Errors)
		}
	}
	reportCPU(b, st.Size(), processCPU()-cpu0)
	b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MB")
}

// reportCPU reports the bytes scanned per CPU second (both cores' time
// summed): the cost of the work, whatever else runs on the machine.
func reportCPU(b *testing.B, size int64, cpu time.Duration) {
	if cpu > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
	}
}

// TestPatronRowsDistinct checks the benchmark's data: numbers do not repeat
// and every row holds a person.
func TestPatronRowsDistinct(t *testing.T) {
	var b bytes.Buffer
	if err := samples.BenchPatronCSV(&b, 2<<20); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	dup, rows := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n")[1:] {
		c := strings.Split(line, ",")
		if len(c) != 9 || c[1] == "" || c[6] == "" {
			t.Fatalf("row %d has %d cells or no name or phone", rows+1, len(c))
		}
		rows++
		if seen[c[6]] {
			dup++
		}
		seen[c[6]] = true
	}
	// 0120-XXX-XXX has a million numbers, so a few of its draws collide.
	if rows < 10000 || dup > rows/1000 {
		t.Errorf("%d repeated numbers in %d rows", dup, rows)
	}
}
