package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/rouei/rouei/detectors"
)

// spooled returns a copy of r (not finalized) whose findings are moved to
// a spool, listed in r's order, and the spool to close.
func spooled(t *testing.T, r *Report) *Report {
	t.Helper()
	s, err := NewSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := *r
	c.Files = slices.Clone(r.Files)
	c.Errors = slices.Clone(r.Errors)
	c.Skipped = slices.Clone(r.Skipped)
	// written in two batches (as files complete, out of order), listed in order
	half := len(r.Findings) / 2
	late := s.Write(r.Findings[half:])
	early := s.Write(r.Findings[:half])
	s.List(early)
	s.List(late)
	c.Findings = nil
	c.Spool = s
	return &c
}

// bigReport is a report with many files and findings, some paths with no
// file entry, duplicate keys and baselined fingerprints.
func bigReport() *Report {
	r := sampleReport()
	sevs := []detectors.Severity{detectors.Low, detectors.Medium, detectors.High, detectors.Critical, detectors.Info}
	for i := 0; i < 60; i++ {
		p := fmt.Sprintf("tree/d%d/f%03d.csv", i%7, (i*37)%101)
		sev := sevs[i%len(sevs)]
		if i%9 != 0 {
			r.Files = append(r.Files, File{Path: p, Classification: "customer_list", Severity: sev, Persons: i % 13, Findings: i % 11})
		}
		for j := 0; j < i%11; j++ {
			r.Findings = append(r.Findings, Finding{Fingerprint: fmt.Sprintf("fp-%d-%d", i, j%4), Path: p,
				Line: (j * 7) % 5, Detector: []string{"phone", "email", "name"}[j%3], Category: "phone",
				Severity: sevs[(i+j)%len(sevs)], Confidence: float64(j%10) / 10, Evidence: fmt.Sprintf("090-****-%02d <&>", j)})
		}
	}
	return r
}

// The streamed (spooled) report writes the same bytes as the in-memory
// one in every format, with and without baselined findings.
func TestSpooledReportWritesTheSame(t *testing.T) {
	for _, name := range []string{"sample", "big", "big-baselined", "empty"} {
		t.Run(name, func(t *testing.T) {
			var r *Report
			switch name {
			case "sample":
				r = sampleReport()
			case "empty":
				r = &Report{Schema: SchemaV1}
			default:
				r = bigReport()
			}
			s := spooled(t, r)
			if name == "big-baselined" {
				set := map[string]bool{"fp-12-1": true, "fp-30-0": true, "fp-test-staff-2": true}
				r.MarkBaselined(set)
				s.MarkBaselined(set)
			}
			r.Finalize()
			s.Finalize()
			if s.Summary.MaxSeverity != r.Summary.MaxSeverity || s.FindingCount() != r.FindingCount() {
				t.Fatalf("summary %v/%d, want %v/%d", s.Summary.MaxSeverity, s.FindingCount(), r.Summary.MaxSeverity, r.FindingCount())
			}
			writers := map[string]func(*bytes.Buffer, *Report) error{
				"json":         func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) },
				"json-pretty":  func(b *bytes.Buffer, r *Report) error { return WriteJSONPretty(b, r) },
				"sarif":        func(b *bytes.Buffer, r *Report) error { return WriteSARIF(b, r) },
				"sarif-pretty": func(b *bytes.Buffer, r *Report) error { return WriteSARIFPretty(b, r) },
				"text": func(b *bytes.Buffer, r *Report) error {
					return WriteText(b, r, TextOptions{Lang: English, FailOn: detectors.High})
				},
				"text-3": func(b *bytes.Buffer, r *Report) error {
					return WriteText(b, r, TextOptions{Lang: Japanese, MaxFindingsPerFile: 3})
				},
				"html": func(b *bytes.Buffer, r *Report) error {
					return WriteHTML(b, r, HTMLOptions{Lang: Japanese, FailOn: detectors.Medium})
				},
			}
			for wn, write := range writers {
				var want, got bytes.Buffer
				if err := write(&want, r); err != nil {
					t.Fatal(err)
				}
				if err := write(&got, s); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Errorf("%s: spooled output differs (%d bytes, want %d)", wn, got.Len(), want.Len())
				}
			}
			for _, failOn := range []detectors.Severity{detectors.None, detectors.Low, detectors.High, detectors.Critical} {
				if got, want := s.Verdict(failOn), r.Verdict(failOn); got != want {
					t.Errorf("Verdict(%v) = %v, want %v", failOn, got, want)
				}
			}
			var fps []string
			if err := s.EachFinding(func(f Finding) error { fps = append(fps, f.Fingerprint+fmt.Sprint(f.Baselined)); return nil }); err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, f := range r.Findings {
				want = append(want, f.Fingerprint+fmt.Sprint(f.Baselined))
			}
			if !slices.Equal(fps, want) {
				t.Errorf("EachFinding order differs from Finalize's")
			}
			if err := s.LoadFindings(); err != nil || !slices.Equal(s.Findings, r.Findings) {
				t.Errorf("LoadFindings: %v, same: %v", err, slices.Equal(s.Findings, r.Findings))
			}
		})
	}
}

// Compact JSON and SARIF are the indented bytes less the indentation.
func TestWriteCompact(t *testing.T) {
	r := bigReport()
	r.Finalize()
	for _, w := range []struct {
		name            string
		compact, pretty func(*bytes.Buffer, *Report) error
	}{
		{"json", func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) }, func(b *bytes.Buffer, r *Report) error { return WriteJSONPretty(b, r) }},
		{"sarif", func(b *bytes.Buffer, r *Report) error { return WriteSARIF(b, r) }, func(b *bytes.Buffer, r *Report) error { return WriteSARIFPretty(b, r) }},
	} {
		var c, p, want bytes.Buffer
		if err := w.compact(&c, r); err != nil {
			t.Fatal(err)
		}
		if err := w.pretty(&p, r); err != nil {
			t.Fatal(err)
		}
		if err := json.Compact(&want, p.Bytes()); err != nil {
			t.Fatal(err)
		}
		want.WriteByte('\n')
		if !bytes.Equal(c.Bytes(), want.Bytes()) {
			t.Errorf("%s: compact output is not the indented one compacted", w.name)
		}
		if bytes.Count(c.Bytes(), []byte("\n")) != 1 {
			t.Errorf("%s: compact output has more than its final newline", w.name)
		}
	}
	// and the compact report is what encoding/json gives for the struct
	var c bytes.Buffer
	if err := WriteJSON(&c, r); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	cp := *r
	cp.StartedAt, cp.FinishedAt = cp.StartedAt.UTC(), cp.FinishedAt.UTC()
	if err := enc.Encode(&cp); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Bytes(), want.Bytes()) {
		t.Errorf("WriteJSON differs from encoding/json's encoding of the report")
	}
}

// The spool's file is private and gone once closed (unlinked at once
// where the system allows).
func TestSpoolFileIsPrivateAndRemoved(t *testing.T) {
	dir := t.TempDir()
	s, err := NewSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("spool mode %v, want 0600", st.Mode().Perm())
	}
	s.List(s.Write([]Finding{{Path: "a", Fingerprint: "x", Evidence: "090-****-1234"}}))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("spool left %d files behind", len(ents))
	}
	if _, err := s.Read(SpoolRef{{path: "a", n: 10, count: 1}}); err == nil {
		t.Errorf("reading a closed spool did not fail")
	}
}

// Every field of Finding survives the spool: a field added to Finding
// without its place in appendFinding/readFinding fails here.
func TestSpoolKeepsEveryField(t *testing.T) {
	var f Finding
	v := reflect.ValueOf(&f).Elem()
	for i := 0; i < v.NumField(); i++ {
		fv := v.Field(i)
		switch fv.Kind() {
		case reflect.String:
			fv.SetString(fmt.Sprintf("値%d-\n\x00", i))
		case reflect.Int, reflect.Int64, reflect.Int32:
			fv.SetInt(int64(1000*i + 7))
		case reflect.Float64:
			fv.SetFloat(0.125 + float64(i))
		case reflect.Bool:
			fv.SetBool(true)
		default:
			t.Fatalf("Finding.%s: kind %v has no place in the spool record", v.Type().Field(i).Name, fv.Kind())
		}
	}
	s, err := NewSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	neg := f
	neg.Line, neg.Offset, neg.Confidence, neg.Baselined, neg.Evidence = -1, -1<<40, 0, false, ""
	got, err := s.Read(s.Write([]Finding{f, neg, {}}))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != f || got[1] != neg || got[2] != (Finding{}) {
		t.Errorf("read back %+v\nwant %+v, %+v and a zero one", got, f, neg)
	}
	// a damaged record is an error, not a silent short read
	for _, cut := range []int{1, 5, 20} {
		rec := appendFinding(nil, &f)
		if _, err := readFinding(rec[:len(rec)-cut], new(Finding)); err == nil {
			t.Errorf("a record cut by %d bytes decoded", cut)
		}
	}
}
