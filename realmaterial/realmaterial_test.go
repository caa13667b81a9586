package realmaterial

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/engine"
	"github.com/rouei/rouei/report"
)

// maxListed bounds the offending files listed per package in a failure.
const maxListed = 40

// pkg is one cached package of the set, as MANIFEST.tsv lists it.
type pkg struct {
	kind, name, version string
	dir                 string // unpacked tree
}

// cacheDir is where the fetch script keeps the set.
func cacheDir(t *testing.T) string {
	if d := os.Getenv("ROUEI_REALMATERIAL_DIR"); d != "" {
		return d
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, ".cache", "realmaterial")
}

// fetch runs the fetch script (a no-op for what is cached). Without the
// tools or the network it skips, unless CI is set.
func fetch(t *testing.T, dir string) {
	unavailable := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv("CI") != "" {
			t.Fatalf("real-material set: %s (CI is set, so this fails)", msg)
		}
		t.Skipf("real-material set: %s; skipping (run scripts/fetch-real-material.sh with network)", msg)
	}
	for _, tool := range []string{"bash", "apt-get", "dpkg-deb", "npm", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			unavailable("%s not found", tool)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join("..", "scripts", "fetch-real-material.sh"))
	cmd.Env = append(os.Environ(), "ROUEI_REALMATERIAL_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		unavailable("fetch failed (%v): %s", err, strings.TrimSpace(string(out)))
	}
}

// manifest reads MANIFEST.tsv.
func manifest(t *testing.T, dir string) []pkg {
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pkgs []pkg
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		col := strings.Split(sc.Text(), "\t")
		if first || len(col) < 3 {
			continue
		}
		p := pkg{kind: col[0], name: col[1], version: col[2]}
		p.dir = filepath.Join(dir, p.kind, strings.ReplaceAll(p.name, "/", "__"))
		pkgs = append(pkgs, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(pkgs) == 0 {
		t.Fatalf("%s/MANIFEST.tsv lists no package", dir)
	}
	return pkgs
}

// TestRealMaterialNothingAboveLow scans every package of the set as
// `rouei scan` would (default options) and wants no file above low: public
// attributions, dictionaries, catalogues and fake-data lists are not leaks.
// A failure lists the offending files by path, classification, severity,
// persons and reason, never a found value.
func TestRealMaterialNothingAboveLow(t *testing.T) {
	if testing.Short() {
		t.Skip("real-material set: skipped in -short")
	}
	if raceEnabled {
		t.Skip("real-material set: skipped under -race (too slow); .ci/run runs it without -race")
	}
	dir := cacheDir(t)
	fetch(t, dir)
	for _, p := range manifest(t, dir) {
		t.Run(p.kind+"/"+p.name, func(t *testing.T) {
			r, err := engine.Scan(context.Background(), []string{p.dir}, engine.Options{})
			if err != nil && !errors.Is(err, engine.ErrNothingScanned) {
				t.Fatalf("scan %s: %v", p.dir, err)
			}
			if r.Stats.Files == 0 {
				t.Fatalf("%s %s: nothing was scanned (%d errors)", p.name, p.version, len(r.Errors))
			}
			for _, e := range r.Errors {
				t.Logf("not fully scanned: %s: %s", rel(dir, e.Path), e.Error)
			}
			if msg := aboveLow(dir, r); msg != "" {
				t.Errorf("%s %s (%d files): %s", p.name, p.version, r.Stats.Files, msg)
			}
		})
	}
}

// aboveLow describes the files of r rated above low ("" when none):
// counts by classification and severity, then up to maxListed files, the
// most severe first.
func aboveLow(dir string, r *report.Report) string {
	var bad []report.File
	for _, f := range r.Files {
		if f.Severity > detectors.Low {
			bad = append(bad, f)
		}
	}
	if len(bad) == 0 {
		return ""
	}
	slices.SortStableFunc(bad, func(a, b report.File) int { return int(b.Severity - a.Severity) })
	counts := map[string]int{}
	for _, f := range bad {
		counts[f.Classification+" "+f.Severity.String()]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%d files above low (", len(bad))
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s ×%d", k, counts[k])
	}
	b.WriteString(")")
	for i, f := range bad {
		if i == maxListed {
			fmt.Fprintf(&b, "\n\t… and %d more", len(bad)-maxListed)
			break
		}
		fmt.Fprintf(&b, "\n\t%s: %s %s, %d persons, %s", rel(dir, f.Path), f.Classification, f.Severity, f.Persons, f.Reason)
	}
	return b.String()
}

// rel shortens a report path to the cache directory.
func rel(dir, path string) string {
	if r, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}
