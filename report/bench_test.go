package report

import (
	"fmt"
	"io"
	"testing"

	"github.com/rouei/rouei/detectors"
)

// manyFindings is a finalized report of files files with per findings
// each, all distinct.
func manyFindings(files, per int) *Report {
	r := &Report{Schema: SchemaV1, Tool: Tool{Name: "rouei", Version: "bench"}, Targets: []string{"tree"}}
	for i := 0; i < files; i++ {
		p := fmt.Sprintf("tree/d%03d/patrons-%05d.csv", i%97, i)
		r.Files = append(r.Files, File{Path: p, Classification: "customer_list", Severity: detectors.High,
			Persons: per / 3, Findings: per, Encoding: "shift_jis", Reason: "overdue list: 氏名/電話番号 columns",
			Columns: []string{"氏名", "電話番号"}, Categories: map[string]int{"phone": per / 2, "name": per / 2}})
		for j := 0; j < per; j++ {
			r.Findings = append(r.Findings, Finding{Fingerprint: fmt.Sprintf("%032x", i*per+j), Path: p, Line: j + 2,
				Detector: "phone", Category: "phone", Severity: detectors.High, Confidence: 0.93,
				Evidence: fmt.Sprintf("0%d-****-**%02d", 3+j%6, j%100), Context: "header 電話番号"})
		}
	}
	r.Finalize()
	return r
}

// BenchmarkWriteReport writes a report of 100,000 findings (1,000 files)
// in memory or read back from a spool, compact or indented; B/op is
// what the writer allocates (the spool reads one file's findings at a
// time).
func BenchmarkWriteReport(b *testing.B) {
	mem := manyFindings(1000, 100)
	sp, err := NewSpool(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer sp.Close()
	spooled := *mem
	spooled.Spool = sp
	for i := range mem.Files {
		lo, hi := i*100, (i+1)*100
		sp.List(sp.Write(mem.Findings[lo:hi]))
	}
	spooled.Findings = nil
	for _, c := range []struct {
		name  string
		r     *Report
		write func(io.Writer, *Report) error
	}{
		{"json/memory", mem, WriteJSON},
		{"json/spool", &spooled, WriteJSON},
		{"json-pretty/spool", &spooled, WriteJSONPretty},
		{"sarif/spool", &spooled, WriteSARIF},
		{"text/spool", &spooled, func(w io.Writer, r *Report) error { return WriteText(w, r, TextOptions{}) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			cw := &countWriter{}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				cw.n = 0
				if err := c.write(cw, c.r); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(cw.n)
		})
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
