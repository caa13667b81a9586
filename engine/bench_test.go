package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rouei/rouei/samples"
	"github.com/rouei/rouei/scanners"
)

// copyTree copies the sample deliverable n times under dst and returns
// the bytes copied.
func copyTree(b *testing.B, dst string, n int) int64 {
	b.Helper()
	src := samples.DeliverableDir()
	var total int64
	for i := 0; i < n; i++ {
		err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out := filepath.Join(dst, strconv.Itoa(i), rel)
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return err
			}
			total += int64(len(data))
			return os.WriteFile(out, data, 0o644)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return total
}

// BenchmarkScanSamples scans, from disk, 40 copies of the sample deliverable (mixed
// text in every supported encoding and binaries) with all detectors.
func BenchmarkScanSamples(b *testing.B) {
	dir := b.TempDir()
	size := copyTree(b, dir, 40)
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Scan(context.Background(), []string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Files) == 0 {
			b.Fatal("no findings")
		}
	}
}

// BenchmarkPipelineSamples runs the pipeline (sniffing, decoding,
// string extraction, all detectors, scoring, masking) over the sample
// deliverable held in memory, without the file system's cost.
func BenchmarkPipelineSamples(b *testing.B) {
	files, _, err := samples.Build()
	if err != nil {
		b.Fatal(err)
	}
	var items []scanners.Item
	var size int64
	for name, data := range files {
		items = append(items, memItem(name, data))
		size += int64(len(data))
	}
	opt := Options{}
	opt = opt.withDefaults()
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := scanItems(context.Background(), items, &opt); err != nil {
			b.Fatal(err)
		}
	}
}

// rowsReader produces size bytes of CSV rows with personal data, without
// holding them in memory.
type rowsReader struct {
	left int64
	row  int
	buf  bytes.Buffer
}

func (r *rowsReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	for r.buf.Len() < len(p) {
		r.row++
		fmt.Fprintf(&r.buf, "%08d,利用者%d,090-%04d-%04d,返却期限 2024-01-15,本のタイトル%s\n",
			r.row, r.row, 3000+r.row%7000, 1000+r.row%9000, strings.Repeat("あ", r.row%20))
	}
	n := copy(p, r.buf.Next(min(len(p), int(r.left))))
	r.left -= int64(n)
	return n, nil
}

// peakRSS is the process's peak resident set size in bytes (Linux).
func peakRSS() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb * 1024
		}
	}
	return 0
}

// BenchmarkScanLargeFile streams one file of 64 MiB and one of 512 MiB
// through the engine; peak-RSS-MB stays the same, since memory does not
// depend on file size (the listed findings are capped per file).
func BenchmarkScanLargeFile(b *testing.B) {
	for _, size := range []int64{64 << 20, 512 << 20} {
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			b.SetBytes(size)
			opt := Options{}
			opt = opt.withDefaults()
			for i := 0; i < b.N; i++ {
				it := scanners.Item{Path: "big.csv", Rel: "big.csv", Size: size, Open: func() (io.ReadCloser, error) {
					return io.NopCloser(&rowsReader{left: size}), nil
				}}
				res := scanItem(context.Background(), it, &opt, newWorkspace())
				if res.file == nil || res.file.Findings == 0 {
					b.Fatal("no findings")
				}
			}
			b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MB")
		})
	}
}
