package pdf

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rouei/rouei/scanners"
)

// The cost of the first PDF of a process is starting PDFium: compiling
// its WebAssembly module (BenchmarkStart/no-cache), or loading the
// compiled code from the cache a previous run left (…/warm-cache). Later
// PDFs cost an instance and the reading (BenchmarkDocument). Run with
// -benchtime 1x: one start is seconds.
//
//	go test ./scanners/pdf -run '^$' -bench . -benchtime 1x
func BenchmarkStart(b *testing.B) {
	c := Config{}.withDefaults()
	warm := filepath.Join(b.TempDir(), "cache")
	c.CacheDir = warm
	if p, dir, err := start(c); err != nil || dir != warm {
		b.Fatalf("priming the cache: %v (%q)", err, dir)
	} else {
		p.Close()
	}
	for _, bc := range []struct{ name, dir string }{{"no-cache", "off"}, {"warm-cache", warm}} {
		b.Run(bc.name, func(b *testing.B) {
			c.CacheDir = bc.dir
			c0, ok := cpuTime()
			for b.Loop() {
				p, _, err := start(c)
				if err != nil {
					b.Fatal(err)
				}
				p.Close()
			}
			reportCPU(b, c0, ok)
		})
	}
}

// BenchmarkDocument reads a document on the started pool: a fresh
// instance and its text, a page at a time.
func BenchmarkDocument(b *testing.B) {
	for _, f := range []string{"entai.pdf", "manual.pdf"} {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := instanceAndClose(); err != nil {
			b.Fatal(err)
		}
		b.Run(f, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			c0, ok := cpuTime()
			defer func() { reportCPU(b, c0, ok) }()
			for b.Loop() {
				r := bytes.NewReader(data)
				err := Opener{}.Walk(context.Background(), scanners.Source{Reader: r, At: r, Size: int64(len(data))}, scanners.Limits{},
					func(m scanners.Member) error {
						rc, err := m.Open()
						if err != nil {
							return err
						}
						defer rc.Close()
						_, err = io.Copy(io.Discard, rc)
						return err
					})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// reportCPU adds the CPU seconds an iteration took (all threads).
func reportCPU(b *testing.B, c0 time.Duration, ok bool) {
	if c1, ok1 := cpuTime(); ok && ok1 && b.N > 0 {
		b.ReportMetric((c1-c0).Seconds()/float64(b.N), "cpu-s/op")
	}
}
