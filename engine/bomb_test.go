package engine

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners"
)

// nestedBomb builds a zip whose copies members are the same zip, levels
// deep, around a leaf text file.
func nestedBomb(t testing.TB, levels, copies int, leaf string) []byte {
	t.Helper()
	data, name := []byte(leaf), "memo.txt"
	for level := 0; level < levels; level++ {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for i := 0; i < copies; i++ {
			w, err := zw.Create(fmt.Sprintf("%d-%s", i, name))
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
		}
		zw.Close()
		data, name = b.Bytes(), fmt.Sprintf("l%d.zip", level)
	}
	return data
}

// distinctBomb is a tree of zips, copies wide and levels deep, in which
// no two members are the same bytes (each leaf and each zip's comment
// names its place in the tree): content hashing cannot shorten it.
func distinctBomb(t testing.TB, levels, copies int, leaf string) []byte {
	t.Helper()
	var rec func(level int, id string) []byte
	rec = func(level int, id string) []byte {
		if level == 0 {
			return []byte(leaf + " " + id + "\n")
		}
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for i := 0; i < copies; i++ {
			w, err := zw.Create(fmt.Sprintf("%d.zip", i))
			if err != nil {
				t.Fatal(err)
			}
			w.Write(rec(level-1, fmt.Sprintf("%s/%d", id, i)))
		}
		zw.SetComment(id)
		zw.Close()
		return b.Bytes()
	}
	return rec(levels, "r")
}

// peakHeap samples the heap while f runs and returns the largest HeapInuse.
func peakHeap(f func()) uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	return peak.Load()
}

// TestNestedArchiveBombOfCopies: a zip of 10 copies of the same zip, 12
// levels deep (10^12 leaf paths in a few KB), is scanned in well under a
// minute with bounded memory under the default limits: each distinct
// content is opened once, and the depth limit is an error entry naming it.
func TestNestedArchiveBombOfCopies(t *testing.T) {
	bomb := nestedBomb(t, 12, 10, "連絡先 090-3141-5926\n")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bomb.zip"), bomb, 0o644); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var r *report.Report
	var err error
	start := time.Now()
	peak := peakHeap(func() { r, err = Scan(context.Background(), []string{dir}, Options{}) })
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	bound := 30 * time.Second
	if testing.Short() {
		bound = 50 * time.Second // a loaded machine
	}
	if took > bound {
		t.Errorf("bomb took %v, want under %v", took, bound)
	}
	if peak > 256<<20 {
		t.Errorf("peak heap %d MiB, want under 256 MiB", peak>>20)
	}
	t.Logf("bomb: %v, peak heap %d MiB, %d archives, %d files listed, %d errors", took, peak>>20,
		r.Stats.Archives, len(r.Files), len(r.Errors))
	if len(r.Errors) == 0 {
		t.Fatal("no error entry: the nesting was not stopped")
	}
	for _, e := range r.Errors {
		if !strings.Contains(e.Error, "limits.max_depth") || !strings.Contains(e.Error, "limit exceeded") {
			t.Errorf("error at %s does not name the limit: %s", e.Path, e.Error)
		}
	}
	// one chain was opened, 8 levels deep; the other copies at each level
	// refer to it
	if r.Stats.Archives > 20 {
		t.Errorf("%d archives opened: repeated members were opened again", r.Stats.Archives)
	}
	same := 0
	for _, f := range r.Files {
		if strings.Contains(f.Reason, "same content as") {
			same++
		}
	}
	if same < 9*7 {
		t.Errorf("%d repeated members reported as the same content, want at least %d", same, 9*7)
	}
	if r.Verdict(detectors.Critical) != report.Incomplete {
		t.Errorf("verdict %v, want incomplete (exit 3)", r.Verdict(detectors.Critical))
	}
}

// TestRepeatedMembersKeepTheirFindings: with the leaves in reach, every
// copy of a leaf file is reported at its own path with the first one's
// verdict and findings, and fingerprints differ from path to path.
func TestRepeatedMembersKeepTheirFindings(t *testing.T) {
	leaf := "氏名,電話番号,住所\n佐藤 健一,090-3141-5926,愛知県岡崎市康生通西4-71\n高橋 恵子,080-2718-2818,愛知県岡崎市十王町2-9\n"
	bomb := nestedBomb(t, 3, 4, leaf)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "b.zip"), bomb, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Scan(context.Background(), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	leaves := map[string]report.File{}
	var containers []report.File
	for _, f := range r.Files {
		switch {
		case strings.HasSuffix(f.Path, "memo.txt"):
			leaves[f.Path] = f
		case strings.HasSuffix(f.Path, ".zip"):
			containers = append(containers, f)
		}
	}
	// 4 leaves in the one zip that was opened at the bottom
	if len(leaves) != 4 {
		t.Fatalf("%d leaf files reported, want 4: %v", len(leaves), r.Files)
	}
	var first report.File
	for p, f := range leaves {
		if !strings.Contains(f.Reason, "same content as") {
			first = f
			_ = p
		}
	}
	if first.Path == "" || first.Persons != 2 {
		t.Fatalf("first occurrence %+v", first)
	}
	for _, f := range leaves {
		if f.Severity != first.Severity || f.Classification != first.Classification || f.Persons != first.Persons || f.Findings != first.Findings {
			t.Errorf("%s: verdict %v/%s/%d differs from the first occurrence's %v/%s/%d", f.Path,
				f.Severity, f.Classification, f.Persons, first.Severity, first.Classification, first.Persons)
		}
	}
	// the repeated zips at the upper levels carry the verdict of what is inside
	if len(containers) != 3+3 {
		t.Errorf("%d repeated containers reported, want 6", len(containers))
	}
	for _, c := range containers {
		if c.Severity != first.Severity || !strings.Contains(c.Reason, "same content as") || c.Persons == 0 {
			t.Errorf("repeated container %s: %v %d persons, %q", c.Path, c.Severity, c.Persons, c.Reason)
		}
	}
	byPath := map[string]int{}
	fps := map[string]string{}
	for _, f := range r.Findings {
		byPath[f.Path]++
		if p, ok := fps[f.Fingerprint]; ok {
			t.Errorf("fingerprint %s at %s and %s", f.Fingerprint, p, f.Path)
		}
		fps[f.Fingerprint] = f.Path
	}
	for p := range leaves {
		if byPath[p] != first.Findings {
			t.Errorf("%s: %d findings listed, want %d", p, byPath[p], first.Findings)
		}
	}
}

// TestScanWideMemberBudget: copies that all differ defeat content
// hashing; the scan-wide member budget, counting every level, stops them.
func TestScanWideMemberBudget(t *testing.T) {
	bomb := distinctBomb(t, 4, 10, "連絡先 090-3141-5926")
	start := time.Now()
	opt := Options{Limits: scanners.Limits{MaxScanMembers: 2000, MaxDepth: 10}}
	opt = opt.withDefaults()
	defer opt.state.close()
	rs := scanTree(context.Background(), memItem("d.zip", bomb), &opt, newWorkspace(), 0, false)
	var budget []string
	archives := 0
	for _, r := range rs {
		if r.archive {
			archives++
		}
		for _, e := range r.errors {
			if strings.Contains(e.Error, "limits.max_scan_members") {
				budget = append(budget, e.Path)
			}
		}
	}
	if len(budget) == 0 {
		t.Fatalf("member budget not hit (%d archives opened)", archives)
	}
	if len(budget) > opt.Limits.MaxDepth+1 {
		t.Errorf("%d budget errors, want one per container cut short on one chain: %v", len(budget), budget)
	}
	if n := opt.state.members.Load(); n > 2000+int64(len(budget)) {
		t.Errorf("%d members met, budget 2000", n)
	}
	t.Logf("member budget: %d archives, budget errors at %v, %v", archives, budget, time.Since(start))

	// the byte budget counts the nested zips' own bytes, not only leaves
	opt = Options{Limits: scanners.Limits{MaxScanBytes: 64 << 10, MaxDepth: 10}}
	opt = opt.withDefaults()
	defer opt.state.close()
	rs = scanTree(context.Background(), memItem("d.zip", bomb), &opt, newWorkspace(), 0, false)
	hit := false
	for _, r := range rs {
		for _, e := range r.errors {
			hit = hit || strings.Contains(e.Error, "limits.max_scan_bytes")
		}
	}
	if !hit {
		t.Errorf("byte budget not hit (%d bytes expanded)", opt.state.expanded.Load())
	}
}

// TestRepeatedMemberKeepsItsOwnNotice: a repeated member whose name
// plays path tricks is still reported for its name.
func TestRepeatedMemberKeepsItsOwnNotice(t *testing.T) {
	box := "BOX\na.txt=連絡先 090-3141-5926\n?../../b.txt=連絡先 090-3141-5926\n"
	opt := Options{Containers: boxes(false)}
	opt = opt.withDefaults()
	defer opt.state.close()
	rs := scanTree(context.Background(), memItem("n.box", []byte(box)), &opt, newWorkspace(), 0, false)
	if len(rs) != 3 || rs[2].dupOf == nil {
		t.Fatalf("%d results; the second member is not a repeat", len(rs))
	}
	r := resolveDup(rs[2], &opt)
	if r.file == nil || r.file.Path != "n.box!/?../../b.txt" || len(r.errors) != 1 || !strings.Contains(r.errors[0].Error, "escapes") {
		t.Errorf("repeat: file %+v errors %v", r.file, r.errors)
	}
	if len(r.findings) != 1 || r.findings[0].Fingerprint == rs[1].findings[0].Fingerprint {
		t.Errorf("repeat's findings %+v", r.findings)
	}
}
