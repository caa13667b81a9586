package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rouei/rouei/samples"
)

// TestPeakRSSFlat scans generated trees of 1×, 2×, 5× and 10× a unit
// size (many files, each with many distinct people: samples.Random) with
// the built binary as a subprocess and logs its peak RSS (rusage
// maxrss), wall time and findings: memory must stay flat as the tree and
// its findings grow, and under 256 MB. It is slow, so it runs only when
// ROUEI_MEMTEST is set: "1" for the default sizes, or a list of factors
// ("1,2,5,10"). ROUEI_MEMTEST_MB is the unit in MB (default 2: 10× is a 20 MB tree with about 260,000 findings),
// ROUEI_BIN a binary to measure instead of building this tree's (an
// older build, for before/after figures), ROUEI_MEMTEST_ARGS extra scan
// flags (space separated), ROUEI_MEMTEST_DIR a directory to write the
// tree to and keep.
func TestPeakRSSFlat(t *testing.T) {
	spec := os.Getenv("ROUEI_MEMTEST")
	if spec == "" {
		t.Skip("set ROUEI_MEMTEST=1 (or a list of size factors) to measure peak RSS on generated trees")
	}
	factors := []int{1, 2, 5, 10}
	if spec != "1" {
		factors = nil
		for _, s := range strings.Split(spec, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 {
				t.Fatalf("ROUEI_MEMTEST %q: want 1 or a list of factors", spec)
			}
			factors = append(factors, n)
		}
	}
	unit := int64(2)
	if s := os.Getenv("ROUEI_MEMTEST_MB"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			t.Fatalf("ROUEI_MEMTEST_MB %q", s)
		}
		unit = n
	}
	bin := os.Getenv("ROUEI_BIN")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "rouei")
		build := exec.Command("go", "build", "-o", bin, "../rouei")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	extra := strings.Fields(os.Getenv("ROUEI_MEMTEST_ARGS"))

	root := t.TempDir()
	tree := filepath.Join(root, "tree")
	if d := os.Getenv("ROUEI_MEMTEST_DIR"); d != "" {
		tree = d // kept, for profiling (rouei scan --cpuprofile …)
		os.RemoveAll(tree)
	}
	var size int64
	seed := uint64(1)
	files := 0
	t.Logf("%-6s %10s %7s %9s %10s %12s", "size", "bytes", "files", "wall", "findings", "peak RSS")
	var peaks []int64
	for _, k := range factors {
		// grow the tree to k units: earlier files stay, so each size holds the smaller ones
		for size < int64(k)*unit<<20 {
			f := samples.Random(seed)
			dir := filepath.Join(tree, fmt.Sprintf("d%03d", files/100))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("%06d-%s", seed, f.Name)
			if err := os.WriteFile(filepath.Join(dir, name), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			size += int64(len(f.Data))
			seed++
			files++
		}
		out := filepath.Join(root, fmt.Sprintf("report-%d.json", k))
		args := append([]string{"scan", "--format", "json", "-o", out, "--no-progress", "--fail-on", "never"}, extra...)
		cmd := exec.Command(bin, append(args, tree)...)
		cmd.Stderr = os.Stderr
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == ExitIncomplete {
			err = nil // errors[] are logged below
		}
		if err != nil {
			t.Fatalf("%dx: %v", k, err)
		}
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			t.Skip("no rusage on this system")
		}
		peak := ru.Maxrss << 10 // Linux: KiB
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Findings []struct{} `json:"findings"`
			Errors   []struct {
				Path  string `json:"path"`
				Error string `json:"error"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(data, &rep); err != nil {
			t.Fatalf("%dx: report: %v", k, err)
		}
		for _, e := range rep.Errors {
			t.Logf("%dx: error entry: %s: %s", k, filepath.Base(e.Path), e.Error)
		}
		os.Remove(out)
		t.Logf("%-6s %10d %7d %8.2fs %10d %9.1f MiB", fmt.Sprintf("%dx", k), size, files, wall.Seconds(),
			len(rep.Findings), float64(peak)/(1<<20))
		peaks = append(peaks, peak)
	}
	if os.Getenv("ROUEI_MEMTEST_ASSERT") != "" {
		for i, p := range peaks {
			if p > 256<<20 {
				t.Errorf("%dx: peak RSS %.1f MiB, over 256 MB", factors[i], float64(p)/(1<<20))
			}
		}
	}
}
