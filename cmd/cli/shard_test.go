package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners/ftp/ftptest"
)

// These tests check that a sweep split into shards and merged gives
// exactly the report of one process. They compare the two reports, not
// fixed verdicts: what the detectors find may change, the equality may not.

const sweepShards = 3

// overdueCSV is a synthetic overdue list of n people (made-up names and
// numbers), different for each seed.
func overdueCSV(seed, n int) string {
	surnames := []string{"佐藤", "高橋", "中村", "伊藤", "木村", "林", "清水", "森"}
	given := []string{"健一", "恵子", "大輔", "誠", "智子", "直樹", "美穂", "浩二"}
	var b strings.Builder
	b.WriteString("利用者番号,氏名,電話番号,書名,返却期限\r\n")
	for i := 0; i < n; i++ {
		k := seed*7 + i
		fmt.Fprintf(&b, "%08d,%s %s,090-%04d-%04d,宇宙の話 第%d巻,2005/05/%02d\r\n",
			20000000+k, surnames[k%len(surnames)], given[(k/3)%len(given)], 3100+k*13%900, 5900+k*7%100, i+1, i%28+1)
	}
	return b.String()
}

// sweepEnv is a sweep's targets: a copy of the sample deliverable and
// several FTP endpoints on different loopback hosts (at least one in
// each shard, one host with two endpoints), one refusing anonymous users
// and one that does not answer; a real vsftpd too when it can run here.
type sweepEnv struct {
	dir     string
	cfg     string
	targets []string // command-line targets
	list    string   // --targets file
	fakes   []*fakeFTP
}

func newSweepEnv(t *testing.T) *sweepEnv {
	t.Helper()
	t.Setenv("CI", os.Getenv("CI")) // restored after the test
	e := &sweepEnv{dir: t.TempDir()}
	deliverable := filepath.Join(e.dir, "deliverable")
	if err := os.CopyFS(deliverable, os.DirFS(filepath.Join("..", "..", "samples", "deliverable"))); err != nil {
		t.Fatal(err)
	}
	e.cfg = filepath.Join(e.dir, "rouei.toml")
	writeFile(t, e.cfg, "[ftp]\npause = \"5ms\"\nhost_budget = \"30s\"\nconnect_timeout = \"2s\"\ncontact = \"qa@example.jp\"\n")

	// Hosts 127.0.0.x chosen so that every shard gets one.
	var hosts []string
	covered := map[int]bool{}
	for x := 2; x < 250 && len(covered) < sweepShards; x++ {
		ip := fmt.Sprintf("127.0.0.%d", x)
		if k := shardOf("ftp\x00"+ip, sweepShards); !covered[k] {
			covered[k] = true
			hosts = append(hosts, ip)
		}
	}
	var ftpTargets []string
	for i, ip := range hosts {
		f := startFakeFTP(t, ip, map[string]string{
			"/pub/readme.txt":                "公開資料です。\n",
			fmt.Sprintf("/pub/督促_%d.csv", i): overdueCSV(i, 4+3*i),
			"/pub/old/contacts.csv":          "氏名,電話番号\r\n" + fmt.Sprintf("森 直樹,0564-2%d-1828\r\n", i),
		})
		e.fakes = append(e.fakes, f)
		ftpTargets = append(ftpTargets, f.url("/"))
	}
	// A second endpoint on the first host: the same shard, always.
	same := startFakeFTP(t, hosts[0], map[string]string{"/data/hold.csv": overdueCSV(9, 6)})
	e.fakes = append(e.fakes, same)
	ftpTargets = append(ftpTargets, same.url("/data/"))
	refusing := startFakeFTP(t, hosts[1], nil)
	refusing.refuse = true
	ftpTargets = append(ftpTargets, refusing.url("/"))
	// Nobody listens here: an endpoint error.
	ln := startFakeFTP(t, hosts[2], nil)
	dead := ln.url("/")
	ln.ln.Close()
	ftpTargets = append(ftpTargets, dead)
	if vsftpdUsable() {
		srv := ftptest.Start(t, "anonymous_enable=YES\nwrite_enable=NO\n", func(root string) {
			writeFile(t, filepath.Join(root, "pub", "延滞.csv"), overdueCSV(5, 7))
		})
		ftpTargets = append(ftpTargets, "ftp://"+srv.Addr+"/")
	} else {
		t.Log("vsftpd cannot run here: the sweep uses the fake servers only")
	}
	// The deliverable and one FTP target on the command line, the rest in a targets file.
	e.targets = []string{deliverable, ftpTargets[0]}
	e.list = filepath.Join(e.dir, "targets.txt")
	writeFile(t, e.list, "# sweep\n"+strings.Join(ftpTargets[1:], "\n")+"\n")
	return e
}

// vsftpdUsable reports whether ftptest can start vsftpd (under CI it
// must: ftptest then fails the test when it cannot).
func vsftpdUsable() bool {
	if os.Getenv("CI") != "" {
		return true
	}
	if _, err := os.Stat(ftptest.Bin); err != nil || os.Geteuid() != 0 {
		return false
	}
	_, err := user.Lookup("ftp")
	return err == nil
}

// scanArgs are the arguments of a scan of the sweep's targets.
func (e *sweepEnv) scanArgs(extra ...string) []string {
	args := append([]string{"scan", "--no-progress", "--config", e.cfg, "--format", "json", "--targets", e.list}, extra...)
	return append(args, e.targets...)
}

// readJSON reads and validates a JSON report.
func readJSON(t *testing.T, path string) *report.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.ValidateJSON(data, schemaPath(t)); err != nil {
		t.Fatalf("%s does not validate: %v", filepath.Base(path), err)
	}
	return decode(t, string(data))
}

// sameReport compares two reports field by field, timing fields aside
// (started_at, finished_at, changes.since). Evidence is masked in both,
// so a difference may be printed.
func sameReport(t *testing.T, what string, single, merged *report.Report) {
	t.Helper()
	a, b := *single, *merged
	a.StartedAt, a.FinishedAt, b.StartedAt, b.FinishedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if a.Changes != nil && b.Changes != nil {
		ca, cb := *a.Changes, *b.Changes
		ca.Since, cb.Since = time.Time{}, time.Time{}
		a.Changes, b.Changes = &ca, &cb
	}
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	typ := va.Type()
	for i := 0; i < typ.NumField(); i++ {
		if !typ.Field(i).IsExported() {
			continue // the process's own state (a report read from JSON has none)
		}
		fa, fb := va.Field(i).Interface(), vb.Field(i).Interface()
		if !reflect.DeepEqual(fa, fb) {
			ja, _ := json.MarshalIndent(fa, "", " ")
			jb, _ := json.MarshalIndent(fb, "", " ")
			t.Errorf("%s: field %s differs:\n one process: %.3000s\n merged:      %.3000s", what, typ.Field(i).Name, ja, jb)
		}
	}
}

// sweep scans the targets in sweepShards parts (each with its own state
// file when statePrefix is set) and returns the part reports' paths.
func (e *sweepEnv) sweep(t *testing.T, name, statePrefix string) []string {
	t.Helper()
	var parts []string
	for k := 1; k <= sweepShards; k++ {
		out := filepath.Join(e.dir, fmt.Sprintf("%s-%d.json", name, k))
		extra := []string{"--shard", fmt.Sprintf("%d/%d", k, sweepShards), "-o", out, "--exit-zero"}
		if statePrefix != "" {
			extra = append(extra, "--state", fmt.Sprintf("%s-%d.db", statePrefix, k))
		}
		code, _, stderr := run(t, e.scanArgs(extra...)...)
		if code != ExitOK {
			t.Fatalf("shard %d/%d: exit %d with --exit-zero: %s", k, sweepShards, code, stderr)
		}
		parts = append(parts, out)
	}
	return parts
}

func TestShardedSweepMergesToTheOneProcessReport(t *testing.T) {
	e := newSweepEnv(t)
	singleOut := filepath.Join(e.dir, "single.json")
	singleCode, _, stderr := run(t, e.scanArgs("-o", singleOut)...)
	if singleCode == ExitUsage {
		t.Fatalf("single scan: exit 2: %s", stderr)
	}
	single := readJSON(t, singleOut)
	if single.Shard != nil || single.PolicyDigest != "" {
		t.Errorf("a whole scan has shard %v, policy_digest %q", single.Shard, single.PolicyDigest)
	}
	if len(single.Endpoints) < sweepShards+3 || len(single.Files) < 10 {
		t.Fatalf("the sweep is too small to test: %d endpoints, %d files", len(single.Endpoints), len(single.Files))
	}

	parts := e.sweep(t, "part", "")
	hostShard := map[string]int{}
	fileShard := map[string]int{}
	var digest string
	for k, p := range parts {
		r := readJSON(t, p)
		if r.Shard == nil || r.Shard.Index != k+1 || r.Shard.Count != sweepShards {
			t.Errorf("%s: shard %+v, want %d/%d", p, r.Shard, k+1, sweepShards)
		}
		if !reflect.DeepEqual(r.Targets, single.Targets) {
			t.Errorf("%s: targets %q, want the whole list %q", p, r.Targets, single.Targets)
		}
		if r.PolicyDigest == "" || (digest != "" && r.PolicyDigest != digest) {
			t.Errorf("%s: policy_digest %q (first part: %q)", p, r.PolicyDigest, digest)
		}
		digest = r.PolicyDigest
		if len(r.Endpoints) == 0 {
			t.Errorf("%s: no FTP endpoint in this shard: the hosts were chosen to cover every shard", p)
		}
		for _, ep := range r.Endpoints {
			host := ftpHost(ep.Target)
			if prev, ok := hostShard[host]; ok && prev != k+1 {
				t.Errorf("host %s probed by shards %d and %d", host, prev, k+1)
			}
			hostShard[host] = k + 1
		}
		locals := 0
		for _, f := range r.Files {
			if prev, ok := fileShard[f.Path]; ok {
				t.Errorf("%s reported by shards %d and %d", f.Path, prev, k+1)
			}
			fileShard[f.Path] = k + 1
			if !strings.HasPrefix(f.Path, "ftp://") {
				locals++
			}
		}
		if locals == 0 {
			t.Errorf("%s: no file of the deliverable: its top-level entries should be spread over the shards", p)
		}
	}

	for _, format := range []string{"json", "sarif"} {
		out := filepath.Join(e.dir, "merged."+format)
		code, _, stderr := run(t, "merge", "--format", format, "-o", out, parts[2], parts[0], parts[1])
		if code != singleCode {
			t.Errorf("merge --format %s: exit %d, one process %d: %s", format, code, singleCode, stderr)
		}
		if format == "json" {
			sameReport(t, "merged shards", single, readJSON(t, out))
		} else {
			singleSARIF := filepath.Join(e.dir, "single.sarif")
			run(t, e.scanArgs("--format", "sarif", "-o", singleSARIF)...)
			if a, b := sarifSansTimes(t, singleSARIF), sarifSansTimes(t, out); a != b {
				t.Errorf("merged SARIF differs from one process's (times aside):\n%.3000s\n---\n%.3000s", a, b)
			}
		}
	}
	// A directory of reports is the same as the reports (no shell in a container to expand *.json).
	reports := filepath.Join(e.dir, "reports")
	for _, p := range parts {
		if err := os.MkdirAll(reports, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(p, filepath.Join(reports, filepath.Base(p))); err != nil {
			t.Fatal(err)
		}
	}
	code, js, stderr := run(t, "merge", "--format", "json", reports)
	if code != singleCode {
		t.Fatalf("merge DIR: exit %d, want %d: %s", code, singleCode, stderr)
	}
	sameReport(t, "merged directory", single, decode(t, js))
	// --fail-on applies to the merged report as to one scan.
	singleNever, _, _ := run(t, e.scanArgs("--fail-on", "never", "-o", singleOut)...)
	if code, _, _ := run(t, "merge", "--fail-on", "never", "--format", "json", reports); code != singleNever {
		t.Errorf("merge --fail-on never: exit %d, one process %d", code, singleNever)
	}
}

func TestShardedSweepWithState(t *testing.T) {
	e := newSweepEnv(t)
	deliverable := e.targets[0]
	singleState := filepath.Join(e.dir, "single.db")
	shardState := filepath.Join(e.dir, "shard")
	mergeState := filepath.Join(e.dir, "merge.db")

	runOnce := func(round string) (single, perShard, viaMerge *report.Report) {
		out := filepath.Join(e.dir, "single-"+round+".json")
		if code, _, stderr := run(t, e.scanArgs("--state", singleState, "-o", out)...); code == ExitUsage {
			t.Fatalf("single scan %s: %s", round, stderr)
		}
		single = readJSON(t, out)
		parts := e.sweep(t, "part-"+round, shardState)
		// Each shard kept its own state: merge joins their changes.
		code, js, stderr := run(t, "merge", "--format", "json", parts[0], parts[1], parts[2])
		if code == ExitUsage {
			t.Fatalf("merge %s: %s", round, stderr)
		}
		perShard = decode(t, js)
		// Or one state for the whole sweep, kept by merge.
		code, js, stderr = run(t, "merge", "--format", "json", "--state", mergeState, parts[0], parts[1], parts[2])
		if code == ExitUsage {
			t.Fatalf("merge --state %s: %s", round, stderr)
		}
		viaMerge = decode(t, js)
		return single, perShard, viaMerge
	}

	single, perShard, viaMerge := runOnce("1")
	if single.Changes == nil || len(single.Changes.New) == 0 || len(single.Changes.Still)+len(single.Changes.Resolved) != 0 {
		t.Fatalf("first run: changes %+v", single.Changes)
	}
	sameReport(t, "first run, state per shard", single, perShard)
	sameReport(t, "first run, merge --state", single, viaMerge)

	// Between the runs: a leak is removed from the deliverable, another
	// appears, and a server loses a file.
	var gone string
	for _, f := range single.Files {
		if strings.HasPrefix(f.Path, deliverable) && !strings.Contains(f.Path, "!/") && f.Severity.String() != "info" && !f.Dummy && f.Persons > 0 {
			gone = f.Path
			break
		}
	}
	if gone == "" {
		t.Fatal("no exposed file in the deliverable to remove")
	}
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(deliverable, "export", "new_overdue.csv"), overdueCSV(11, 8))
	e.fakes[0].remove("/pub/old/contacts.csv")

	single, perShard, viaMerge = runOnce("2")
	ch := single.Changes
	if ch == nil || len(ch.Still) == 0 || len(ch.Resolved) == 0 || len(ch.New) == 0 {
		t.Fatalf("second run: want new, still and resolved exposures, got %+v", ch)
	}
	resolved := false
	for _, c := range ch.Resolved {
		resolved = resolved || c.Path == gone
	}
	if !resolved {
		t.Errorf("%s was removed but is not resolved: %+v", gone, ch.Resolved)
	}
	sameReport(t, "second run, state per shard", single, perShard)
	sameReport(t, "second run, merge --state", single, viaMerge)
}

// TestShardedLoneContainer splits a single archive (or database) target
// by its top-level members.
func TestShardedLoneContainer(t *testing.T) {
	base := filepath.Join("..", "..", "samples", "deliverable")
	for _, target := range []string{"release/ils-2.3.tar.gz", "bad/encrypted.zip", "bad/traversal.zip", "db/ils.sqlite", "docs", "does-not-exist"} {
		t.Run(strings.ReplaceAll(target, "/", "_"), func(t *testing.T) {
			target := filepath.Join(base, target)
			dir := t.TempDir()
			wantCode, js, _ := run(t, "scan", "--no-progress", "--format", "json", target)
			single := decode(t, js)
			var parts []string
			members := 0
			for k := 1; k <= sweepShards; k++ {
				out := filepath.Join(dir, fmt.Sprintf("p%d.json", k))
				run(t, "scan", "--no-progress", "--format", "json", "--shard", fmt.Sprintf("%d/%d", k, sweepShards), "-o", out, target)
				r := readJSON(t, out)
				if r.Stats.Files > 0 {
					members++
				}
				parts = append(parts, out)
			}
			code, js, stderr := run(t, append([]string{"merge", "--format", "json"}, parts...)...)
			if code != wantCode {
				t.Errorf("merge: exit %d, one process %d: %s", code, wantCode, stderr)
			}
			sameReport(t, target, single, decode(t, js))
			if strings.HasSuffix(target, ".tar.gz") && members < 2 {
				t.Errorf("%s: its members were not spread over the shards (%d shards read files)", target, members)
			}
		})
	}
}

// sarifSansTimes is a SARIF log without its invocations' start and end times.
func sarifSansTimes(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var log map[string]any
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	runs, _ := log["runs"].([]any)
	for _, r := range runs {
		invs, _ := r.(map[string]any)["invocations"].([]any)
		for _, inv := range invs {
			delete(inv.(map[string]any), "startTimeUtc")
			delete(inv.(map[string]any), "endTimeUtc")
		}
	}
	out, _ := json.MarshalIndent(log, "", " ")
	return string(out)
}
