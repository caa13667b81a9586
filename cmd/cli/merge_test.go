package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rouei/rouei/report"
)

// smallSweep writes a small deliverable and scans it in n shards with
// extra flags; it returns the target and the part reports.
func smallSweep(t *testing.T, dir, name string, n int, extra ...string) (string, []string) {
	t.Helper()
	target := filepath.Join(dir, "dist")
	if _, err := os.Stat(target); err != nil {
		for i := 0; i < 6; i++ {
			writeFile(t, filepath.Join(target, fmt.Sprintf("d%d", i), "list.csv"), overdueCSV(i, 3+i))
		}
		writeFile(t, filepath.Join(target, "README.txt"), "説明書です。\n")
	}
	var parts []string
	for k := 1; k <= n; k++ {
		out := filepath.Join(dir, fmt.Sprintf("%s-%d-of-%d.json", name, k, n))
		args := append([]string{"scan", "--no-progress", "--format", "json", "--shard", fmt.Sprintf("%d/%d", k, n), "-o", out}, extra...)
		if code, _, stderr := run(t, append(args, target)...); code == ExitUsage {
			t.Fatalf("shard %d/%d: %s", k, n, stderr)
		}
		parts = append(parts, out)
	}
	return target, parts
}

func TestMergeRefusesMismatchedParts(t *testing.T) {
	dir := t.TempDir()
	target, parts := smallSweep(t, dir, "part", 3)
	if code, _, stderr := run(t, "merge", "--format", "json", parts[0], parts[1], parts[2]); code != ExitFindings {
		t.Fatalf("the matching parts: exit %d: %s", code, stderr)
	}
	_, two := smallSweep(t, dir, "two", 2)
	_, strict := smallSweep(t, dir, "strict", 3, "--max-findings-per-file=2")
	_, withState := smallSweep(t, dir, "state", 3, "--state="+filepath.Join(dir, "s.db"))
	other := filepath.Join(dir, "other")
	writeFile(t, filepath.Join(other, "a.txt"), "x\n")
	otherPart := filepath.Join(dir, "other-1.json")
	run(t, "scan", "--no-progress", "--format", "json", "--shard", "1/3", "-o", otherPart, target, other)
	whole := filepath.Join(dir, "whole.json")
	run(t, "scan", "--no-progress", "--format", "json", "-o", whole, target)
	text := filepath.Join(dir, "part.txt")
	run(t, "scan", "--no-progress", "--shard", "1/3", "-o", text, target)
	edit := func(name, from, to string) string {
		data, err := os.ReadFile(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if !strings.Contains(string(data), from) {
			t.Fatalf("%q not in the report", from)
		}
		writeFile(t, p, strings.Replace(string(data), from, to, 1))
		return p
	}
	v2 := edit("v2.json", `"schema":"rouei.report/v1"`, `"schema":"rouei.report/v2"`)
	oldTool := edit("old-tool.json", `"version":"0.1.0"`, `"version":"0.0.9"`)

	for _, tc := range []struct {
		name  string
		files []string
		want  []string // in the message
	}{
		{"missing shard", []string{parts[0], parts[2]}, []string{"missing shard(s) 2/3"}},
		{"two missing", []string{parts[1]}, []string{"missing shard(s) 1/3, 3/3"}},
		{"overlap", []string{parts[0], parts[1], parts[2], parts[1]}, []string{"shard 2/3 is given more than once", parts[1]}},
		{"shard counts", []string{parts[0], parts[1], two[1]}, []string{"different shard counts", two[1]}},
		{"targets lists", []string{otherPart, parts[1], parts[2]}, []string{"different targets lists", otherPart, "2 targets against 1"}},
		{"policies", []string{parts[0], strict[1], parts[2]}, []string{"different policies", strict[1]}},
		{"schema versions", []string{parts[0], v2, parts[2]}, []string{`has "rouei.report/v2"`, v2}},
		{"tool versions", []string{parts[0], oldTool, parts[2]}, []string{"rouei 0.0.9", oldTool}},
		{"state in some parts", []string{parts[0], withState[1], parts[2]}, []string{"has changes (scanned with --state)", withState[1]}},
		{"not a part", []string{whole, parts[1], parts[2]}, []string{"is not a part of a sharded sweep", whole}},
		{"not JSON", []string{text, parts[1], parts[2]}, []string{"not a JSON report", text}},
		{"no reports", nil, []string{"at least one"}},
		{"no file", []string{filepath.Join(dir, "nope.json")}, []string{"nope.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "merged-"+strings.ReplaceAll(tc.name, " ", "-"))
			code, stdout, stderr := run(t, append([]string{"merge", "-o", out}, tc.files...)...)
			if code != ExitUsage {
				t.Errorf("exit %d, want 2; stderr: %s", code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if stdout != "" {
				t.Errorf("a refused merge wrote a report: %q", stdout)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a refused merge wrote %s", out)
			}
		})
	}
}

func TestShardFlag(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), "x\n")
	for _, bad := range []string{"0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/100000", "3+1/3", "-1+1/3", "0+2/3", "+1/3"} {
		if code, _, stderr := run(t, "scan", "--no-progress", "--shard", bad, dir); code != ExitUsage || !strings.Contains(stderr, "--shard") {
			t.Errorf("--shard %s: exit %d, stderr %q", bad, code, stderr)
		}
	}
	for in, want := range map[string]report.Shard{" 2/8 ": {Index: 2, Count: 8}, "1/1": {Index: 1, Count: 1}, "0+1/4": {Index: 1, Count: 4}, "3+1/4": {Index: 4, Count: 4}} {
		if s, err := parseShard(in); err != nil || *s != want {
			t.Errorf("parseShard(%q) = %+v, %v; want %+v", in, s, err, want)
		}
	}
}

// TestShardPartition checks the partition's promises: a host's
// endpoints share a shard whatever their port, path, user or scheme; a
// unit keeps its shard when the list grows; every unit has exactly one
// shard.
func TestShardPartition(t *testing.T) {
	same := [][]string{
		{"ftp://lib.example.lg.jp/", "ftp://LIB.example.lg.jp:2121/pub/", "ftps://user:pw@lib.example.lg.jp/x", "ftp://lib.example.lg.jp"},
		{"ftp://127.0.0.1:2121/", "ftp://127.0.0.1:3000/data/"},
		{"ftp://[::1]:21/", "ftp://[::1]:2121/a"},
	}
	for _, group := range same {
		want := shardOf("ftp\x00"+ftpHost(group[0]), 7)
		for _, tg := range group[1:] {
			if got := shardOf("ftp\x00"+ftpHost(tg), 7); got != want {
				t.Errorf("%s in shard %d, %s in %d: one host, two shards", group[0], want, tg, got)
			}
		}
	}
	if h := ftpHost("ftp://LIB.example.lg.jp:2121/pub/"); h != "lib.example.lg.jp" {
		t.Errorf("ftpHost = %q", h)
	}
	// Stable: the shard of a target does not depend on the others.
	var targets []string
	for i := 0; i < 200; i++ {
		targets = append(targets, fmt.Sprintf("ftp://192.0.2.%d/", i))
	}
	count := map[int]int{}
	for _, n := range []int{1, 4} {
		for _, tg := range targets {
			owners := 0
			for k := 1; k <= n; k++ {
				p := newPlan(mustShard(t, k, n), targets[:len(targets)/2])
				q := newPlan(mustShard(t, k, n), targets)
				if p.owns(tg) != q.owns(tg) {
					t.Errorf("%s changes shard when the list grows", tg)
				}
				if q.owns(tg) {
					owners++
					if n == 4 {
						count[k]++
					}
				}
			}
			if owners != 1 {
				t.Errorf("%s owned by %d of %d shards", tg, owners, n)
			}
		}
	}
	for k := 1; k <= 4; k++ {
		if count[k] < 25 {
			t.Errorf("shard %d/4 got %d of 200 hosts: a poor spread", k, count[k])
		}
	}
}

func mustShard(t *testing.T, k, n int) *report.Shard {
	t.Helper()
	s, err := parseShard(fmt.Sprintf("%d/%d", k, n))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
