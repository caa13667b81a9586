package engine

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/patterns"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners"
)

// panicDetector panics on any text holding "BOOM", as a detector with a
// bug would on the input that finds it.
type panicDetector struct{}

func (panicDetector) ID() string       { return "test-panic" }
func (panicDetector) Category() string { return "phone" }
func (panicDetector) Find(dst []detectors.Match, text []byte) []detectors.Match {
	if i := bytes.Index(text, []byte("BOOM")); i >= 0 {
		var m map[string]int
		m["x"] = i // a nil map write: a real runtime panic
	}
	return dst
}

// TestPanicInADetectorIsAnErrorEntry: a detector that panics on one file
// costs that file only: its error entry names the path and the panic,
// and every other file (in a directory, in an archive) is still scanned.
func TestPanicInADetectorIsAnErrorEntry(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.txt":     "TOK123 連絡先\n",
		"boom.txt":  "TOK456 BOOM\n",
		"c.txt":     "TOK789\n",
		"deep.box":  "BOX\nx.txt=BOOM here\ny.txt=TOK555\n",
		"e.bin":     "\x00\x01\x02TOK42424242\x00\x00BOOM in a binary\x00\x00\x00",
		"z-last.md": "TOK999\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, workers := range []int{1, 3} {
		r, err := Scan(context.Background(), []string{dir}, Options{
			Detectors: []detectors.Detector{tokenDetector{}, panicDetector{}},
			Workers:   workers, Containers: boxes(false),
		})
		if err != nil {
			t.Fatal(err)
		}
		errs := map[string]string{}
		for _, e := range r.Errors {
			errs[strings.TrimPrefix(e.Path, dir+"/")] = e.Error
		}
		for _, p := range []string{"boom.txt", "deep.box!/x.txt", "e.bin"} {
			if !strings.Contains(errs[p], "panic") || !strings.Contains(errs[p], "assignment to entry in nil map") ||
				!strings.Contains(errs[p], "panicDetector.Find") {
				t.Errorf("workers=%d: %s: error %q, want the panic and where", workers, p, errs[p])
			}
		}
		if len(errs) != 3 {
			t.Errorf("workers=%d: errors %v", workers, errs)
		}
		found := map[string]bool{}
		for _, f := range r.Findings {
			found[strings.TrimPrefix(f.Path, dir+"/")] = true
		}
		for _, p := range []string{"a.txt", "c.txt", "deep.box!/y.txt", "z-last.md"} {
			if !found[p] {
				t.Errorf("workers=%d: %s not scanned after the panic (found %v)", workers, p, found)
			}
		}
		if r.Verdict(detectors.Critical) != report.Incomplete {
			t.Errorf("workers=%d: verdict %v, want incomplete", workers, r.Verdict(detectors.Critical))
		}
	}
}

// panicOpener is a container reader with a bug: it panics after its first
// member.
type panicOpener struct{}

func (panicOpener) Kind() string            { return "pbox" }
func (panicOpener) NeedsRandomAccess() bool { return false }
func (panicOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	if err := yield(scanners.Member{Name: "first.txt", Size: 6,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("TOK111")), nil }}); err != nil {
		return err
	}
	var s []int
	_ = s[3]
	return errors.New("unreachable")
}

func TestPanicInAContainerReaderKeepsItsMembers(t *testing.T) {
	opt := Options{Detectors: []detectors.Detector{tokenDetector{}}, Containers: func(_ string, head []byte) scanners.Opener {
		if bytes.HasPrefix(head, []byte("PBOX")) {
			return panicOpener{}
		}
		return nil
	}}
	opt = opt.withDefaults()
	defer opt.state.close()
	rs := scanTree(context.Background(), memItem("p.pbox", []byte("PBOX")), &opt, newWorkspace(), 0, false)
	if len(rs) != 2 || rs[1].file == nil || rs[1].file.Findings != 1 {
		t.Fatalf("the member yielded before the panic is lost: %d results", len(rs))
	}
	if len(rs[0].errors) != 1 || !strings.Contains(rs[0].errors[0].Error, "pbox reader: panic") ||
		!strings.Contains(rs[0].errors[0].Error, "index out of range") {
		t.Errorf("container errors %v", rs[0].errors)
	}
}

// TestRuleTimeoutIsAnError: a site rule that backtracks without end on
// hostile text gives up at its match timeout, and the item says so in
// errors[]; the scan goes on and finishes.
func TestRuleTimeoutIsAnError(t *testing.T) {
	r, err := detectors.CompileRule(patterns.Rule{ID: "evil", Category: "patron_id", Keywords: []string{"a"},
		Pattern: `(?<v>(a+)+)b`, Description: "catastrophic backtracking"})
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Detectors: append(detectors.All(), r)}
	opt = opt.withDefaults()
	res := scanItem(context.Background(), memItem("hostile.txt", []byte(strings.Repeat("a", 3000)+"c\n")), &opt, newWorkspace())
	if len(res.errors) != 1 || !strings.Contains(res.errors[0].Error, "timed out") {
		t.Fatalf("errors %v, want the rule's timeout", res.errors)
	}
}
