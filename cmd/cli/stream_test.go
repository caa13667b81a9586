package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The report is compact by default and indented with --pretty, with the
// same content; the findings spool leaves nothing in the temp dir.
func TestPrettyAndCompactReports(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	target := filepath.Join(dir, "t")
	for i := 0; i < 4; i++ {
		writeFile(t, filepath.Join(target, fmt.Sprintf("d%d", i), "list.csv"), overdueCSV(i, 3+i))
	}
	for _, format := range []string{"json", "sarif"} {
		compact := filepath.Join(dir, "c."+format)
		pretty := filepath.Join(dir, "p."+format)
		if code, _, stderr := run(t, "scan", "--no-progress", "--format", format, "-o", compact, target); code != ExitFindings {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		if code, _, stderr := run(t, "scan", "--no-progress", "--format", format, "--pretty", "-o", pretty, target); code != ExitFindings {
			t.Fatalf("%s --pretty: exit %d: %s", format, code, stderr)
		}
		c, _ := os.ReadFile(compact)
		p, _ := os.ReadFile(pretty)
		if bytes.Count(c, []byte("\n")) != 1 || !bytes.HasSuffix(c, []byte("}\n")) {
			t.Errorf("%s: the default report is not one line", format)
		}
		if !bytes.Contains(p, []byte("\n  \"")) {
			t.Errorf("%s --pretty: not indented", format)
		}
		var a, b map[string]any
		if err := json.Unmarshal(c, &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(p, &b); err != nil {
			t.Fatal(err)
		}
		for _, m := range []map[string]any{a, b} { // timing differs between the runs
			delete(m, "started_at")
			delete(m, "finished_at")
			if runs, ok := m["runs"].([]any); ok {
				delete(runs[0].(map[string]any), "invocations")
			}
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the compact and the indented report differ in content", format)
		}
		if format == "json" {
			r := decode(t, string(c))
			if len(r.Findings) < 10 || r.Summary.Persons < 10 {
				t.Errorf("report: %d findings, %d persons", len(r.Findings), r.Summary.Persons)
			}
		}
	}
	// baseline: every finding's fingerprint, read back from the spool
	base := filepath.Join(dir, "base.txt")
	code, stdout, stderr := run(t, "baseline", "--no-progress", "-o", base, target)
	if code != ExitOK {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(base)
	fps := 0
	for _, line := range strings.Split(string(data), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			fps++
		}
	}
	if fps < 10 || !strings.Contains(stdout, fmt.Sprintf("%d fingerprints", fps)) {
		t.Errorf("baseline: %d fingerprints in the file; said %q", fps, stdout)
	}
	if code, _, stderr := run(t, "scan", "--no-progress", "--baseline", base, "--format", "json", "-o", filepath.Join(dir, "b.json"), target); code != ExitOK {
		t.Errorf("scan --baseline of itself: exit %d, want 0: %s", code, stderr)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("%d files left in the temp dir (%s …)", len(ents), ents[0].Name())
	}
}

// --cpuprofile and --memprofile write pprof profiles (gzipped protocol
// buffers) that hold no scanned content.
func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "t")
	writeFile(t, filepath.Join(target, "list.csv"), overdueCSV(1, 8))
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	if code, _, stderr := run(t, "scan", "--no-progress", "--cpuprofile", cpu, "--memprofile", mem, "-o", filepath.Join(dir, "r.txt"), target); code != ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, p := range []string{cpu, mem} {
		data, err := os.ReadFile(p)
		if err != nil || len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
			t.Errorf("%s: not a pprof profile (%v, %d bytes)", filepath.Base(p), err, len(data))
		}
	}
	if code, _, stderr := run(t, "scan", "--no-progress", "--cpuprofile", filepath.Join(dir, "no", "such", "dir"), target); code != ExitUsage ||
		!strings.Contains(stderr, "--cpuprofile") {
		t.Errorf("an unwritable --cpuprofile: exit %d: %s", code, stderr)
	}
}
