package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/scanners"
)

// tokenDetector finds "TOK" followed by digits: a stand-in that lets the
// engine's chunking be tested without depending on a real detector's rules.
type tokenDetector struct{}

func (tokenDetector) ID() string       { return "test-token" }
func (tokenDetector) Category() string { return "phone" }
func (tokenDetector) Find(dst []detectors.Match, text []byte) []detectors.Match {
	for i := 0; ; {
		j := bytes.Index(text[i:], []byte("TOK"))
		if j < 0 {
			return dst
		}
		s := i + j
		e := s + 3
		for e < len(text) && text[e] >= '0' && text[e] <= '9' {
			e++
		}
		if e > s+3 {
			dst = append(dst, detectors.Match{Detector: "test-token", Category: "phone",
				Value: string(text[s:e]), Start: s, End: e, Confidence: 0.9})
		}
		i = e
	}
}

var _ detectors.Detector = tokenDetector{}

func memItem(name string, data []byte) scanners.Item {
	return scanners.Item{Path: name, Rel: name, Size: int64(len(data)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}

// lines returns the line of every finding, in order.
func lines(res fileResult) []int {
	var out []int
	for _, f := range res.findings {
		out = append(out, f.Line)
	}
	return out
}

func TestScanTextChunkingKeepsLinesAndLosesNothing(t *testing.T) {
	var b strings.Builder
	var want []int
	for i := 1; i <= 300; i++ {
		if i%7 == 0 {
			fmt.Fprintf(&b, "row %d TOK%05d end\n", i, i)
			want = append(want, i)
		} else {
			fmt.Fprintf(&b, "row %d nothing here at all\n", i)
		}
	}
	for _, chunk := range []int{16, 37, 64, 1000, 1 << 20} {
		opt := Options{Detectors: []detectors.Detector{tokenDetector{}}, ChunkSize: chunk}
		opt = opt.withDefaults()
		res := scanItem(context.Background(), memItem("a.txt", []byte(b.String())), &opt, newWorkspace())
		if got := lines(res); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("chunk %d: lines %v, want %v", chunk, got, want)
		}
		if res.file == nil || res.file.Findings != len(want) {
			t.Errorf("chunk %d: file findings = %+v, want %d", chunk, res.file, len(want))
		}
		if res.bytes != int64(b.Len()) {
			t.Errorf("chunk %d: bytes %d, want %d", chunk, res.bytes, b.Len())
		}
	}
}

func TestScanTextHugeLineWithoutNewline(t *testing.T) {
	// Tokens every ~1000 bytes on one line of 3 MiB: each found exactly
	// once, including those straddling the chunk cuts.
	var b bytes.Buffer
	n := 0
	for b.Len() < 3<<20 {
		fmt.Fprintf(&b, "TOK%06d", n)
		b.Write(bytes.Repeat([]byte("あ"), 330))
		n++
	}
	opt := Options{Detectors: []detectors.Detector{tokenDetector{}}, ChunkSize: 4096}
	opt = opt.withDefaults()
	opt.MaxFindingsPerFile = 1 << 20
	res := scanItem(context.Background(), memItem("long.txt", b.Bytes()), &opt, newWorkspace())
	if res.file == nil || res.file.Findings != n {
		t.Fatalf("findings = %v, want %d", res.file, n)
	}
	seen := map[string]bool{}
	for _, f := range res.findings {
		if f.Line != 1 {
			t.Fatalf("line %d, want 1", f.Line)
		}
		if seen[f.Fingerprint] {
			t.Fatalf("duplicate finding %s", f.Fingerprint)
		}
		seen[f.Fingerprint] = true
	}
}

type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestScanReadErrorKeepsWhatWasFound(t *testing.T) {
	data := []byte(strings.Repeat("line TOK123 here\n", 10))
	it := scanners.Item{Path: "bad.txt", Rel: "bad.txt", Size: 1 << 20, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(&failingReader{data: data, err: errors.New("input/output error")}), nil
	}}
	opt := Options{Detectors: []detectors.Detector{tokenDetector{}}}
	opt = opt.withDefaults()
	res := scanItem(context.Background(), it, &opt, newWorkspace())
	if len(res.errors) != 1 || !strings.Contains(res.errors[0].Error, "input/output error") {
		t.Fatalf("errors = %v, want one read error", res.errors)
	}
	if res.file == nil || res.file.Findings != 10 {
		t.Fatalf("file = %+v, want the 10 findings read before the error", res.file)
	}
}

func TestScanOpenErrorIsReported(t *testing.T) {
	it := scanners.Item{Path: "gone.txt", Rel: "gone.txt", Open: func() (io.ReadCloser, error) {
		return nil, os.ErrPermission
	}}
	opt := Options{}
	opt = opt.withDefaults()
	res := scanItem(context.Background(), it, &opt, newWorkspace())
	if res.opened || len(res.errors) != 1 || !strings.Contains(res.errors[0].Error, "permission denied") {
		t.Fatalf("res = %+v, want an open error", res)
	}
}

func TestFingerprintStableAndValueFree(t *testing.T) {
	a := Fingerprint("jp-phone", "data/a.csv", "090-****-**78", 0)
	if a != Fingerprint("jp-phone", "data/a.csv", "090-****-**78", 0) {
		t.Fatal("fingerprint not stable")
	}
	for _, other := range []string{
		Fingerprint("jp-phone", "data/a.csv", "090-****-**78", 1),
		Fingerprint("jp-phone", "data/b.csv", "090-****-**78", 0),
		Fingerprint("email", "data/a.csv", "090-****-**78", 0),
	} {
		if other == a {
			t.Fatal("fingerprints of different findings collide")
		}
	}
	if len(a) != 32 {
		t.Fatalf("fingerprint length %d", len(a))
	}
}

func TestScanDirectoryEndToEnd(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("x TOK1\ny TOK2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "clean.txt"), []byte("nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	r, err := Scan(context.Background(), []string{dir, filepath.Join(dir, "missing")},
		Options{Detectors: []detectors.Detector{tokenDetector{}}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if r.Stats.Files != 2 || len(r.Files) != 1 || len(r.Findings) != 2 {
		t.Fatalf("stats %+v, files %d, findings %d", r.Stats, len(r.Files), len(r.Findings))
	}
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Path, "missing") {
		t.Fatalf("errors %+v, want the missing target", r.Errors)
	}
	if !r.StartedAt.Equal(now) {
		t.Fatalf("started_at %v", r.StartedAt)
	}
	for _, f := range r.Findings {
		if strings.Contains(f.Evidence, "TOK1") || strings.Contains(f.Evidence, "TOK2") {
			t.Fatalf("evidence not masked: finding on line %d", f.Line)
		}
	}
	_, err = Scan(context.Background(), []string{filepath.Join(dir, "missing")}, Options{})
	if !errors.Is(err, ErrNothingScanned) {
		t.Fatalf("err = %v, want ErrNothingScanned", err)
	}
}

func TestScanBinaryJoinsFieldsOfARecordAndKeepsOffsets(t *testing.T) {
	// A dump-like binary: random-ish bytes, then a row of two length-
	// prefixed fields, then more bytes, then a lone field far away.
	var b bytes.Buffer
	for i := 0; i < 300; i++ {
		b.WriteByte(byte(i*7) | 0x80)
		b.WriteByte(0)
	}
	rowAt := b.Len() + 2
	b.Write([]byte{0, 6})
	b.WriteString("TOK111")
	b.Write([]byte{0, 0, 9})
	b.WriteString("TOK222xyz")
	for i := 0; i < 300; i++ {
		b.WriteByte(0)
		b.WriteByte(0xff)
	}
	loneAt := b.Len()
	b.WriteString("TOK333")
	b.WriteByte(0)
	for i := 0; i < 300; i++ {
		b.WriteByte(0)
		b.WriteByte(0xff)
	}
	b.WriteString("TOK444")
	b.WriteByte(0)
	opt := Options{Detectors: []detectors.Detector{tokenDetector{}}}
	opt = opt.withDefaults()
	res := scanItem(context.Background(), memItem("x.dmp", b.Bytes()), &opt, newWorkspace())
	if res.file == nil || res.file.Encoding != "binary" {
		t.Fatalf("file = %+v, want a binary with findings", res.file)
	}
	if len(res.findings) != 4 {
		t.Fatalf("findings = %d, want 4", len(res.findings))
	}
	if res.findings[0].Offset != int64(rowAt) || res.findings[2].Offset != int64(loneAt) {
		t.Errorf("offsets %d, %d; want %d, %d", res.findings[0].Offset, res.findings[2].Offset, rowAt, loneAt)
	}
	for _, f := range res.findings {
		if f.Line != 0 {
			t.Errorf("binary finding on line %d, want 0", f.Line)
		}
	}
	// TOK111 and TOK222 are one record (one person, keyed on the first
	// value); TOK333 and TOK444 are two more: three contact values alone,
	// a list (one or two would be weak signals).
	if res.file.Persons != 3 {
		t.Errorf("persons = %d, want 3 (three records)", res.file.Persons)
	}
}
