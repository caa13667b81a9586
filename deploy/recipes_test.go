// Package deploy holds the recipes that run rouei on existing engines
// (Kubernetes, GitHub Actions, GitLab CI, systemd, cron), with the
// repository's action.yml, .pre-commit-hooks.yaml and Dockerfile. The
// tests parse each file, check the fields that matter, and run the rouei
// command lines they hold (paths mapped to a temp dir) as far as this
// machine allows.
package deploy

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/rouei/rouei/cmd/cli"
)

// root is the repository root, from this package's directory.
const root = ".."

// docs reads every YAML document of a file.
func docs(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return parseDocs(t, path, data)
}

func parseDocs(t *testing.T, name string, data []byte) []map[string]any {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []map[string]any
	for {
		var m map[string]any
		err := dec.Decode(&m)
		if err != nil {
			if err.Error() == "EOF" {
				return out
			}
			t.Fatalf("%s: %v", name, err)
		}
		if m != nil {
			out = append(out, m)
		}
	}
}

// dig follows keys (string) and indexes (int) into parsed YAML; nil when absent.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

func strs(v any) []string {
	l, _ := v.([]any)
	var out []string
	for _, x := range l {
		out = append(out, str(x))
	}
	return out
}

// byKind finds the document of a kind (and name, when given).
func byKind(t *testing.T, ds []map[string]any, kind, name string) map[string]any {
	t.Helper()
	for _, d := range ds {
		if d["kind"] == kind && (name == "" || str(dig(d, "metadata", "name")) == name) {
			return d
		}
	}
	t.Fatalf("no %s %q", kind, name)
	return nil
}

var (
	flagsOnce sync.Once
	cmdFlags  map[string]map[string]bool
)

// knownFlags are the flags of rouei scan and rouei merge, from their help.
func knownFlags(t *testing.T) map[string]map[string]bool {
	flagsOnce.Do(func() {
		cmdFlags = map[string]map[string]bool{}
		re := regexp.MustCompile(`(?m)^  -([a-z][a-z0-9-]*)`)
		var out, errb bytes.Buffer
		cli.Run([]string{"help"}, &out, &errb)
		cmdFlags["scan"] = map[string]bool{}
		for _, m := range re.FindAllStringSubmatch(out.String(), -1) {
			cmdFlags["scan"][m[1]] = true
		}
		out.Reset()
		errb.Reset()
		cli.Run([]string{"merge", "-h"}, &out, &errb)
		cmdFlags["merge"] = map[string]bool{}
		for _, m := range re.FindAllStringSubmatch(errb.String(), -1) {
			cmdFlags["merge"][m[1]] = true
		}
	})
	if len(cmdFlags["scan"]) < 10 || len(cmdFlags["merge"]) < 5 {
		t.Fatalf("could not read the flags from rouei's help: %v", cmdFlags)
	}
	return cmdFlags
}

// checkArgs checks that a rouei command line (without "rouei") uses
// a known command and only its flags.
func checkArgs(t *testing.T, where string, args []string) {
	t.Helper()
	if len(args) == 0 {
		t.Errorf("%s: empty rouei command", where)
		return
	}
	known := knownFlags(t)[args[0]]
	if known == nil {
		t.Errorf("%s: rouei %s: not a command of the recipes (scan, merge)", where, args[0])
		return
	}
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !known[name] {
			t.Errorf("%s: rouei %s has no flag %q", where, args[0], a)
		}
	}
}

// roueiLines finds the rouei command lines in a shell script (lines
// joined where YAML folded them or a backslash continues them).
func roueiLines(script string) [][]string {
	script = strings.ReplaceAll(script, "\\\n", " ")
	var out [][]string
	for _, line := range strings.Split(script, "\n") {
		f := strings.Fields(line)
		for i, w := range f {
			if w == "rouei" || strings.HasSuffix(w, "/rouei") {
				if i+1 < len(f) && (f[i+1] == "scan" || f[i+1] == "merge") {
					out = append(out, unquote(f[i+1:]))
				}
				break
			}
		}
	}
	return out
}

func unquote(f []string) []string {
	out := make([]string, len(f))
	for i, w := range f {
		out[i] = strings.Trim(w, `"'`)
	}
	return out
}

// quantity parses a Kubernetes memory quantity into MiB.
func quantity(t *testing.T, q string) int {
	t.Helper()
	for suf, mul := range map[string]int{"Mi": 1, "Gi": 1024} {
		if n, ok := strings.CutSuffix(q, suf); ok {
			v, err := strconv.Atoi(n)
			if err == nil {
				return v * mul
			}
		}
	}
	t.Fatalf("memory quantity %q: want Mi or Gi", q)
	return 0
}

// workspace is a temp dir with the recipes' configuration: the policy
// from config.yaml and a targets file of local targets (the sample
// deliverable and a small tree), since this machine reaches no
// municipal server.
type workspace struct {
	dir, etc, reports string
}

func newWorkspace(t *testing.T) *workspace {
	t.Helper()
	t.Setenv("CI", "true")
	w := &workspace{dir: t.TempDir()}
	w.etc = filepath.Join(w.dir, "etc")
	w.reports = filepath.Join(w.dir, "reports")
	cm := byKind(t, docs(t, "kubernetes/config.yaml"), "ConfigMap", "rouei-config")
	must(t, os.MkdirAll(w.etc, 0o755))
	must(t, os.WriteFile(filepath.Join(w.etc, "rouei.toml"), []byte(str(dig(cm, "data", "rouei.toml"))), 0o644))
	deliverable, err := filepath.Abs(filepath.Join(root, "samples", "deliverable"))
	must(t, err)
	other := filepath.Join(w.dir, "other")
	must(t, os.MkdirAll(filepath.Join(other, "docs"), 0o755))
	must(t, os.WriteFile(filepath.Join(other, "docs", "README.txt"), []byte("ビルド手順: make dist\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(w.etc, "targets.txt"), []byte(deliverable+"\n"+other+"\n"), 0o644))
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// mapPaths maps a container's paths into the workspace.
func (w *workspace) mapPaths(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		a = strings.ReplaceAll(a, "/etc/rouei", w.etc)
		a = strings.ReplaceAll(a, "/reports", w.reports)
		out[i] = a
	}
	return out
}

// single is the exit status of one process scanning the workspace's targets.
func (w *workspace) single(t *testing.T) int {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run([]string{"scan", "--no-progress", "--config", filepath.Join(w.etc, "rouei.toml"),
		"--targets", filepath.Join(w.etc, "targets.txt"), "--format", "json", "-o", filepath.Join(w.dir, "single.json")}, &out, &errb)
	if code == cli.ExitUsage {
		t.Fatalf("single scan: %s", errb.String())
	}
	return code
}

func runCLI(t *testing.T, where string, args []string) int {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(args, &out, &errb)
	if code == cli.ExitUsage {
		t.Errorf("%s: rouei %s: exit 2: %s", where, strings.Join(args, " "), errb.String())
	}
	return code
}

// checkPodSpec checks what matters in a rouei pod: non-root, the image,
// resources sized from the benchmarks, a writable /tmp for spools.
func checkPodSpec(t *testing.T, where string, spec any, wantMemReq int) map[string]any {
	t.Helper()
	if dig(spec, "securityContext", "runAsNonRoot") != true || dig(spec, "securityContext", "runAsUser") != 65532 {
		t.Errorf("%s: pod must run as non-root 65532: %v", where, dig(spec, "securityContext"))
	}
	if dig(spec, "restartPolicy") != "Never" {
		t.Errorf("%s: restartPolicy %v, want Never (a Job retries by its backoff)", where, dig(spec, "restartPolicy"))
	}
	var c map[string]any
	for _, x := range dig(spec, "containers").([]any) {
		if dig(x, "name") == "rouei" {
			c = x.(map[string]any)
		}
	}
	if c == nil {
		t.Fatalf("%s: no container named rouei", where)
	}
	if img := str(c["image"]); !strings.Contains(img, "rouei") || strings.HasSuffix(img, ":latest") || !strings.Contains(img, ":") {
		t.Errorf("%s: image %q: want a pinned rouei tag", where, img)
	}
	if dig(c, "securityContext", "readOnlyRootFilesystem") != true || dig(c, "securityContext", "allowPrivilegeEscalation") != false {
		t.Errorf("%s: container securityContext %v", where, c["securityContext"])
	}
	req := quantity(t, str(dig(c, "resources", "requests", "memory")))
	lim := quantity(t, str(dig(c, "resources", "limits", "memory")))
	// README: peak RSS ~170 MB on nested archives, ~50 MB on one large file.
	if req < wantMemReq || lim < 3*170 || lim < req {
		t.Errorf("%s: memory request %d MiB / limit %d MiB: want ≥ %d MiB requested and ≥ 3× the 170 MB peak RSS as limit", where, req, lim, wantMemReq)
	}
	if str(dig(c, "resources", "requests", "cpu")) == "" {
		t.Errorf("%s: no CPU request", where)
	}
	mounts := map[string]bool{}
	for _, m := range dig(c, "volumeMounts").([]any) {
		mounts[str(dig(m, "mountPath"))] = true
	}
	if !mounts["/tmp"] || !mounts["/reports"] || !mounts["/etc/rouei"] {
		t.Errorf("%s: mounts %v: want /tmp (spools, read-only root), /reports and /etc/rouei", where, mounts)
	}
	return c
}

// checkShardJob checks an Indexed Job of parts and returns N and the
// container's args.
func checkShardJob(t *testing.T, where string, job map[string]any) (int, []string) {
	t.Helper()
	spec := job["spec"]
	if dig(spec, "completionMode") != "Indexed" {
		t.Errorf("%s: completionMode %v, want Indexed", where, dig(spec, "completionMode"))
	}
	n, _ := dig(spec, "completions").(int)
	if n < 2 || dig(spec, "parallelism") != n {
		t.Errorf("%s: completions %v, parallelism %v", where, dig(spec, "completions"), dig(spec, "parallelism"))
	}
	c := checkPodSpec(t, where, dig(spec, "template", "spec"), 256)
	var indexFrom string
	for _, e := range dig(c, "env").([]any) {
		if dig(e, "name") == "SHARD_INDEX" {
			indexFrom = str(dig(e, "valueFrom", "fieldRef", "fieldPath"))
		}
	}
	if indexFrom != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Errorf("%s: SHARD_INDEX from %q, want the job-completion-index annotation", where, indexFrom)
	}
	args := strs(c["args"])
	checkArgs(t, where, args)
	if !slices.Contains(args, fmt.Sprintf("--shard=$(SHARD_INDEX)+1/%d", n)) {
		t.Errorf("%s: args %q lack --shard=$(SHARD_INDEX)+1/%d (completions)", where, args, n)
	}
	for _, want := range []string{"--exit-zero", "--format=json"} {
		if !slices.Contains(args, want) {
			t.Errorf("%s: args lack %s", where, want)
		}
	}
	if out := flagValue(args, "output"); !strings.Contains(out, "$(SHARD_INDEX)") || !strings.HasPrefix(out, "/reports/") {
		t.Errorf("%s: --output %q: want a per-part file on the reports volume", where, out)
	}
	return n, args
}

func flagValue(args []string, name string) string {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v
		}
		if (a == "--"+name || a == "-"+name) && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// runSweep runs the parts' args (SHARD_INDEX 0..n-1) and the merge's in
// the workspace, and checks the merge exits as one process would.
func runSweep(t *testing.T, w *workspace, where string, n int, shardArgs, mergeArgs []string, vars map[string]string) {
	t.Helper()
	expand := func(args []string, index int) []string {
		out := make([]string, len(args))
		for i, a := range args {
			for k, v := range vars {
				a = strings.ReplaceAll(a, k, v)
			}
			out[i] = strings.ReplaceAll(a, "$(SHARD_INDEX)", strconv.Itoa(index))
		}
		return w.mapPaths(out)
	}
	for i := 0; i < n; i++ {
		if code := runCLI(t, where, expand(shardArgs, i)); code != cli.ExitOK {
			t.Errorf("%s: part %d exits %d, want 0 (--exit-zero)", where, i, code)
		}
	}
	want := w.single(t)
	margs := expand(mergeArgs, -1)
	if code := runCLI(t, where+" merge", margs); code != want {
		t.Errorf("%s: merge exits %d, one process %d", where, code, want)
	}
	if out := flagValue(margs, "output"); out != "" {
		if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
			t.Errorf("%s: merged report %s: %v", where, out, err)
		}
	}
}

func TestKubernetesIndexedJobAndMerge(t *testing.T) {
	cfg := docs(t, "kubernetes/config.yaml")
	cm := byKind(t, cfg, "ConfigMap", "rouei-config")
	for _, k := range []string{"rouei.toml", "targets.txt"} {
		if str(dig(cm, "data", k)) == "" {
			t.Errorf("rouei-config lacks %s", k)
		}
	}
	pvc := byKind(t, cfg, "PersistentVolumeClaim", "rouei-reports")
	if !slices.Contains(strs(dig(pvc, "spec", "accessModes")), "ReadWriteMany") {
		t.Errorf("rouei-reports must be ReadWriteMany (parts run on any node): %v", dig(pvc, "spec", "accessModes"))
	}
	shards := byKind(t, docs(t, "kubernetes/shards-job.yaml"), "Job", "rouei-shards")
	n, shardArgs := checkShardJob(t, "shards-job.yaml", shards)
	merge := byKind(t, docs(t, "kubernetes/merge-job.yaml"), "Job", "rouei-merge")
	c := checkPodSpec(t, "merge-job.yaml", dig(merge, "spec", "template", "spec"), 128)
	mergeArgs := strs(c["args"])
	checkArgs(t, "merge-job.yaml", mergeArgs)
	partsDir := filepath.Dir(flagValue(shardArgs, "output"))
	if mergeArgs[0] != "merge" || mergeArgs[len(mergeArgs)-1] != partsDir {
		t.Errorf("merge-job.yaml: args %q: want rouei merge … %s (where the parts are written)", mergeArgs, partsDir)
	}
	for _, d := range [][]any{dig(shards, "spec", "template", "spec", "volumes").([]any), dig(merge, "spec", "template", "spec", "volumes").([]any)} {
		for _, v := range d {
			if cn := dig(v, "persistentVolumeClaim", "claimName"); cn != nil && cn != "rouei-reports" {
				t.Errorf("volume claims %v, want rouei-reports", cn)
			}
			if cm := dig(v, "configMap", "name"); cm != nil && cm != "rouei-config" {
				t.Errorf("volume uses ConfigMap %v, want rouei-config", cm)
			}
		}
	}
	runSweep(t, newWorkspace(t), "kubernetes Job", n, shardArgs, mergeArgs, nil)
}

func TestKubernetesCronJob(t *testing.T) {
	ds := docs(t, "kubernetes/cronjob.yaml")
	cj := byKind(t, ds, "CronJob", "rouei-monthly")
	if f := strings.Fields(str(dig(cj, "spec", "schedule"))); len(f) != 5 {
		t.Errorf("schedule %q: want 5 cron fields", dig(cj, "spec", "schedule"))
	}
	if dig(cj, "spec", "concurrencyPolicy") != "Forbid" {
		t.Errorf("concurrencyPolicy %v: two sweeps at once would double the load on every host", dig(cj, "spec", "concurrencyPolicy"))
	}
	pod := dig(cj, "spec", "jobTemplate", "spec", "template", "spec")
	sa := str(dig(pod, "serviceAccountName"))
	byKind(t, ds, "ServiceAccount", sa)
	role := byKind(t, ds, "Role", sa)
	verbs := strs(dig(role, "rules", 0, "verbs"))
	if !slices.Contains(strs(dig(role, "rules", 0, "resources")), "jobs") || !slices.Contains(verbs, "create") || !slices.Contains(verbs, "get") || slices.Contains(verbs, "delete") {
		t.Errorf("role %v: want create/get on jobs, no more", dig(role, "rules"))
	}
	if dig(byKind(t, ds, "RoleBinding", sa), "roleRef", "name") != sa {
		t.Errorf("the role binding does not bind %s", sa)
	}
	tmpl := byKind(t, ds, "ConfigMap", "rouei-shards-template")
	jobText := strings.ReplaceAll(str(dig(tmpl, "data", "shards-job.yaml")), "SWEEP", "run-1")
	job := parseDocs(t, "shards template", []byte(jobText))[0]
	n, shardArgs := checkShardJob(t, "cronjob.yaml template", job)
	if str(dig(job, "metadata", "name")) != "run-1-shards" {
		t.Errorf("template job name %v", dig(job, "metadata", "name"))
	}
	init := dig(pod, "initContainers", 0)
	script := strings.Join(strs(dig(init, "command")), " ")
	for _, want := range []string{"/templates/shards-job.yaml", "$SWEEP-shards", "Complete", "Failed"} {
		if !strings.Contains(script, want) {
			t.Errorf("init container script lacks %q", want)
		}
	}
	c := checkPodSpec(t, "cronjob.yaml", pod, 128)
	mergeArgs := strs(c["args"])
	checkArgs(t, "cronjob.yaml", mergeArgs)
	mergeArgs = slices.Clone(mergeArgs)
	for i := range mergeArgs {
		mergeArgs[i] = strings.ReplaceAll(mergeArgs[i], "$(SWEEP)", "run-1")
	}
	if partsDir := filepath.Dir(flagValue(shardArgs, "output")); mergeArgs[len(mergeArgs)-1] != partsDir {
		t.Errorf("the merge reads %s, the parts go to %s", mergeArgs[len(mergeArgs)-1], partsDir)
	}
	runSweep(t, newWorkspace(t), "kubernetes CronJob", n, shardArgs, mergeArgs, nil)
}

func TestGitHubActionsWorkflow(t *testing.T) {
	wf := docs(t, "github/rouei-sweep.yml")[0]
	matrix := strs(dig(wf, "jobs", "scan", "strategy", "matrix", "shard"))
	n := len(matrix)
	for i, s := range matrix {
		if s != strconv.Itoa(i+1) {
			t.Errorf("matrix.shard %v: want 1..N", matrix)
		}
	}
	if dig(wf, "jobs", "scan", "strategy", "fail-fast") != false {
		t.Errorf("fail-fast must be false: one part's failure must not cancel the others")
	}
	if needs := dig(wf, "jobs", "merge", "needs"); needs != "scan" {
		t.Errorf("merge needs %v, want scan", needs)
	}
	if dig(wf, "jobs", "merge", "permissions", "security-events") != "write" {
		t.Errorf("the merge job needs security-events: write to upload SARIF")
	}
	var scanRun string
	var scanCmd, mergeCmds [][]string
	for _, s := range dig(wf, "jobs", "scan", "steps").([]any) {
		if c := roueiLines(str(dig(s, "run"))); len(c) > 0 {
			scanRun = str(dig(s, "run"))
			scanCmd = append(scanCmd, c...)
		}
	}
	var sarifOut, uploaded string
	for _, s := range dig(wf, "jobs", "merge", "steps").([]any) {
		for _, c := range roueiLines(str(dig(s, "run"))) {
			mergeCmds = append(mergeCmds, c)
			if flagValue(c, "format") == "sarif" {
				sarifOut = flagValue(c, "o")
			}
		}
		if strings.HasPrefix(str(dig(s, "uses")), "github/codeql-action/upload-sarif@") {
			uploaded = str(dig(s, "with", "sarif_file"))
			if dig(s, "if") != "always()" {
				t.Errorf("upload-sarif must run even when the gate fails (if: always())")
			}
		}
	}
	if sarifOut == "" || uploaded != sarifOut {
		t.Errorf("SARIF written to %q, uploaded from %q", sarifOut, uploaded)
	}
	if len(scanCmd) != 1 || len(mergeCmds) < 1 {
		t.Fatalf("scan commands %q, merge commands %q", scanCmd, mergeCmds)
	}
	if !strings.Contains(scanRun, "--shard ${{ matrix.shard }}/"+strconv.Itoa(n)+" ") {
		t.Errorf("scan %q: want --shard ${{ matrix.shard }}/%d", scanRun, n)
	}
	w := newWorkspace(t)
	t.Chdir(w.dir)
	must(t, os.Link(filepath.Join(w.etc, "rouei.toml"), "rouei.toml"))
	must(t, os.Link(filepath.Join(w.etc, "targets.txt"), "targets.txt"))
	for k := 1; k <= n; k++ {
		args := roueiLines(strings.ReplaceAll(scanRun, "${{ matrix.shard }}", strconv.Itoa(k)))[0]
		checkArgs(t, "github scan", args)
		must(t, os.MkdirAll("parts", 0o755))
		if code := runCLI(t, "github scan", args); code != cli.ExitOK {
			t.Errorf("part %d exits %d, want 0", k, code)
		}
	}
	want := w.single(t)
	for _, c := range mergeCmds {
		checkArgs(t, "github merge", c)
		code := runCLI(t, "github merge", c)
		if flagValue(c, "fail-on") == "never" {
			continue
		}
		if code != want {
			t.Errorf("merge %q exits %d, one process %d", c, code, want)
		}
	}
	if _, err := os.Stat(sarifOut); err != nil {
		t.Errorf("no SARIF to upload: %v", err)
	}
}

func TestGitLabCI(t *testing.T) {
	ci := docs(t, "gitlab/rouei-sweep.gitlab-ci.yml")[0]
	n, _ := dig(ci, "rouei-scan", "parallel").(int)
	if n < 2 {
		t.Fatalf("rouei-scan parallel %v", dig(ci, "rouei-scan", "parallel"))
	}
	if !slices.Contains(strs(dig(ci, "rouei-merge", "needs")), "rouei-scan") {
		t.Errorf("rouei-merge must need rouei-scan (its artifacts)")
	}
	if !slices.Contains(strs(dig(ci, "rouei-scan", "artifacts", "paths")), "parts/") || dig(ci, "rouei-scan", "artifacts", "when") != "always" {
		t.Errorf("rouei-scan must keep parts/ always: %v", dig(ci, "rouei-scan", "artifacts"))
	}
	w := newWorkspace(t)
	t.Chdir(w.dir)
	must(t, os.Link(filepath.Join(w.etc, "rouei.toml"), "rouei.toml"))
	must(t, os.Link(filepath.Join(w.etc, "targets.txt"), "targets.txt"))
	var scans [][]string
	for _, line := range strs(dig(ci, "rouei-scan", "script")) {
		scans = append(scans, roueiLines(line)...)
	}
	if len(scans) != 1 || !slices.Contains(scans[0], "$CI_NODE_INDEX/$CI_NODE_TOTAL") {
		t.Fatalf("scan commands %q: want one with --shard $CI_NODE_INDEX/$CI_NODE_TOTAL", scans)
	}
	for k := 1; k <= n; k++ {
		env := map[string]string{"CI_NODE_INDEX": strconv.Itoa(k), "CI_NODE_TOTAL": strconv.Itoa(n)}
		args := make([]string, len(scans[0]))
		for i, a := range scans[0] {
			args[i] = os.Expand(a, func(k string) string { return env[k] })
		}
		checkArgs(t, "gitlab scan", args)
		if code := runCLI(t, "gitlab scan", args); code != cli.ExitOK {
			t.Errorf("part %d exits %d", k, code)
		}
	}
	want := w.single(t)
	produced := map[string]bool{}
	for _, line := range strs(dig(ci, "rouei-merge", "script")) {
		for _, c := range roueiLines(line) {
			checkArgs(t, "gitlab merge", c)
			code := runCLI(t, "gitlab merge", c)
			if flagValue(c, "fail-on") != "never" && code != want {
				t.Errorf("merge %q exits %d, one process %d", c, code, want)
			}
			produced[flagValue(c, "o")] = true
		}
	}
	for _, p := range strs(dig(ci, "rouei-merge", "artifacts", "paths")) {
		if !produced[p] {
			t.Errorf("artifact %s is not written by a merge", p)
		}
		if _, err := os.Stat(p); err != nil {
			t.Errorf("artifact %s: %v", p, err)
		}
	}
}

// unit reads a systemd unit file into section → key → values.
func unit(t *testing.T, path string) map[string]map[string][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	out := map[string]map[string][]string{}
	sec := ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			sec = line[1 : len(line)-1]
			out[sec] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || sec == "" {
				t.Errorf("%s: bad line %q", path, line)
				continue
			}
			out[sec][k] = append(out[sec][k], v)
		}
	}
	return out
}

func TestSystemdTimerAndCron(t *testing.T) {
	svc := unit(t, "systemd/rouei-audit.service")
	tim := unit(t, "systemd/rouei-audit.timer")
	if svc["Service"]["Type"][0] != "oneshot" || len(tim["Timer"]["OnCalendar"]) != 1 || tim["Timer"]["Persistent"][0] != "true" {
		t.Errorf("service %v / timer %v", svc["Service"]["Type"], tim["Timer"])
	}
	if tim["Install"]["WantedBy"][0] != "timers.target" {
		t.Errorf("timer WantedBy %v", tim["Install"]["WantedBy"])
	}
	if svc["Service"]["DynamicUser"][0] != "yes" && len(svc["Service"]["User"]) == 0 {
		t.Errorf("the service must not run as root")
	}
	exec := strings.ReplaceAll(svc["Service"]["ExecStart"][0], "%%", "%")
	cmds := roueiLines(strings.Trim(strings.TrimPrefix(exec, "/bin/sh -c "), "'"))
	if len(cmds) != 1 || flagValue(cmds[0], "state") == "" || flagValue(cmds[0], "targets") == "" {
		t.Fatalf("ExecStart %q: want one rouei scan with --targets and --state", exec)
	}
	checkArgs(t, "systemd", cmds[0])
	if dir := filepath.Dir(flagValue(cmds[0], "state")); dir != "/var/lib/"+svc["Service"]["StateDirectory"][0] {
		t.Errorf("--state in %s, StateDirectory %v", dir, svc["Service"]["StateDirectory"])
	}

	data, err := os.ReadFile("cron/rouei")
	must(t, err)
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") && !strings.Contains(strings.Fields(l)[0], "=") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("cron entries %q", lines)
	}
	f := strings.Fields(lines[0])
	if len(f) < 8 || f[6] != "rouei" {
		t.Fatalf("cron line %q: want 5 time fields, a user, then rouei", lines[0])
	}
	if regexp.MustCompile(`[^\\]%`).MatchString(lines[0]) {
		t.Errorf("cron line has an unescaped %%: cron cuts the command there")
	}
	checkArgs(t, "cron", roueiLines(strings.Join(f[6:], " "))[0])

	// The command of both, with the paths mapped, runs twice with a history.
	w := newWorkspace(t)
	args := slices.Clone(cmds[0])
	for i, a := range args {
		a = strings.ReplaceAll(a, "/var/lib/rouei", w.dir)
		a = strings.ReplaceAll(a, "$(date +%F)", "2026-12-01")
		args[i] = w.mapPaths([]string{a})[0]
	}
	for round := 0; round < 2; round++ {
		runCLI(t, "systemd", args)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "state.db")); err != nil {
		t.Errorf("no history: %v", err)
	}
}

// binary builds rouei once, for the recipes that run it as a program;
// TestMain removes it.
var (
	binOnce sync.Once
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rouei-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "rouei")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/rouei")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestActionYAML(t *testing.T) {
	a := docs(t, filepath.Join(root, "action.yml"))[0]
	if dig(a, "runs", "using") != "composite" {
		t.Fatalf("runs.using %v, want composite", dig(a, "runs", "using"))
	}
	for _, in := range []string{"targets", "fail-on", "baseline", "upload-sarif", "config", "shard"} {
		if dig(a, "inputs", in) == nil {
			t.Errorf("action.yml lacks input %s", in)
		}
	}
	if dig(a, "inputs", "targets", "required") != true || dig(a, "inputs", "fail-on", "default") != "high" {
		t.Errorf("targets must be required and fail-on default high: %v", dig(a, "inputs"))
	}
	var script string
	var env map[string]any
	upload := false
	for _, s := range dig(a, "runs", "steps").([]any) {
		if dig(s, "id") == "scan" {
			script, _ = dig(s, "run").(string)
			env, _ = dig(s, "env").(map[string]any)
			if dig(s, "shell") != "bash" {
				t.Errorf("the scan step must say shell: bash (composite steps need it)")
			}
		}
		if strings.HasPrefix(str(dig(s, "uses")), "github/codeql-action/upload-sarif@") {
			upload = strings.Contains(str(dig(s, "if")), "inputs.upload-sarif == 'true'") && strings.Contains(str(dig(s, "if")), "!cancelled()")
		}
	}
	if !upload {
		t.Errorf("no upload-sarif step conditioned on the input (and run after a failing gate)")
	}
	if script == "" {
		t.Fatal("no scan step")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed: the scan step is not run")
	}
	// Run the step as the runner would: inputs in its env, rouei built where the build step puts it.
	w := newWorkspace(t)
	runner := filepath.Join(w.dir, "runner")
	must(t, os.MkdirAll(runner, 0o755))
	must(t, os.Link(binary(t), filepath.Join(runner, "rouei")))
	deliverable, _ := filepath.Abs(filepath.Join(root, "samples", "deliverable"))
	clean := filepath.Join(w.dir, "other")
	baseline := filepath.Join(w.dir, "baseline.txt")
	var bout bytes.Buffer
	if code := cli.Run([]string{"baseline", "--no-progress", "-o", baseline, deliverable}, &bout, &bout); code != cli.ExitOK {
		t.Fatalf("baseline: %s", bout.String())
	}
	inputs := func(targets, failOn, base string) []string {
		vals := map[string]string{"targets": targets, "fail-on": failOn, "baseline": base, "config": "", "shard": "", "sarif-file": filepath.Join(w.dir, "out.sarif")}
		out := []string{"RUNNER_TEMP=" + runner, "GITHUB_OUTPUT=" + filepath.Join(w.dir, "gh-output"), "PATH=" + os.Getenv("PATH"), "CI=true"}
		for k, v := range env {
			in := regexp.MustCompile(`\$\{\{ inputs\.([a-z-]+) \}\}`).FindStringSubmatch(str(v))
			if in == nil {
				t.Fatalf("env %s = %v: want an input", k, v)
			}
			out = append(out, k+"="+vals[in[1]])
		}
		return out
	}
	for _, c := range []struct {
		name                   string
		targets, failOn, basel string
		want                   int
	}{
		{"clean tree", clean, "high", "", 0},
		{"leaks, fail-on never", deliverable, "never", "", -1},
		{"leaks, all baselined", deliverable, "low", baseline, -1},
		{"leaks", deliverable + "\n" + clean, "high", "", 1},
	} {
		cmd := exec.Command(bash, "-e", "-c", script)
		cmd.Env = inputs(c.targets, c.failOn, c.basel)
		cmd.Dir = w.dir
		out, _ := cmd.CombinedOutput()
		code := cmd.ProcessState.ExitCode()
		want := c.want
		if want < 0 { // as rouei decides for the sample deliverable: not 1
			if code == 1 || code == 2 {
				t.Errorf("%s: exit %d: %s", c.name, code, out)
			}
		} else if code != want {
			t.Errorf("%s: exit %d, want %d: %s", c.name, code, want, out)
		}
		gh, _ := os.ReadFile(filepath.Join(w.dir, "gh-output"))
		if !strings.Contains(string(gh), fmt.Sprintf("exit-code=%d\n", code)) {
			t.Errorf("%s: GITHUB_OUTPUT %q lacks exit-code=%d", c.name, gh, code)
		}
		if fi, err := os.Stat(filepath.Join(w.dir, "out.sarif")); err != nil || fi.Size() == 0 {
			t.Errorf("%s: no SARIF: %v", c.name, err)
		}
		os.Remove(filepath.Join(w.dir, "gh-output"))
	}
}

func TestPreCommitHook(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, ".pre-commit-hooks.yaml"))
	must(t, err)
	var list []map[string]any
	must(t, yaml.Unmarshal(data, &list))
	if len(list) != 1 {
		t.Fatalf("hooks %v", list)
	}
	h := list[0]
	if h["id"] != "rouei" || h["language"] != "golang" || h["pass_filenames"] != true || str(h["name"]) == "" {
		t.Errorf("hook %v", h)
	}
	entry := strings.Fields(str(h["entry"]))
	if len(entry) < 2 || entry[0] != "rouei" || entry[1] != "scan" {
		t.Fatalf("entry %q: want rouei scan …", entry)
	}
	checkArgs(t, "pre-commit", entry[1:])
	// pre-commit runs entry + args + the staged file names.
	bin := binary(t)
	hook := func(files ...string) (int, string) {
		cmd := exec.Command(bin, append(slices.Clone(entry[1:]), files...)...)
		cmd.Env = append(os.Environ(), "CI=true")
		out, _ := cmd.CombinedOutput()
		return cmd.ProcessState.ExitCode(), string(out)
	}
	base := filepath.Join(root, "samples", "deliverable")
	var all []string
	must(t, filepath.WalkDir(base, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			all = append(all, p)
		}
		return err
	}))
	// The staged files as one commit: the hook says what rouei scan says of them.
	var stdout, stderr bytes.Buffer
	want := cli.Run(append([]string{"scan", "--no-progress", "--fail-on", "high"}, all...), &stdout, &stderr)
	if code, out := hook(all...); code != want || code == 0 {
		t.Errorf("hook on the %d sample files: exit %d (rouei scan: %d); the samples hold planted leaks:\n%.2000s", len(all), code, want, out)
	}
	dir := t.TempDir()
	for i, body := range []string{"package main\n\nfunc main() {}\n", "# Build\n\nmake dist\n", "バージョン 2.3.1 (2024-01-15)\n"} {
		p := filepath.Join(dir, fmt.Sprintf("f%d.txt", i))
		must(t, os.WriteFile(p, []byte(body), 0o644))
		if code, out := hook(p); code != 0 {
			t.Errorf("hook on a clean file: exit %d: %s", code, out)
		}
	}
}

func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	must(t, err)
	var froms, users []string
	var entrypoint, build string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "FROM":
			froms = append(froms, f[1])
		case "USER":
			users = append(users, f[1])
		case "ENTRYPOINT":
			entrypoint = strings.Join(f[1:], " ")
		case "RUN":
			if strings.Contains(line, "go build") {
				build = line
			}
		}
	}
	final := froms[len(froms)-1]
	if !strings.HasPrefix(final, "gcr.io/distroless/static") && final != "scratch" {
		t.Errorf("final stage %s: want distroless static (CA certificates, tzdata) or scratch", final)
	}
	if len(users) == 0 || strings.HasPrefix(users[len(users)-1], "0") || strings.HasPrefix(users[len(users)-1], "root") {
		t.Errorf("USER %v: the image must run as non-root", users)
	}
	if entrypoint != `["/usr/local/bin/rouei"]` {
		t.Errorf("ENTRYPOINT %s", entrypoint)
	}
	if !strings.Contains(build, "CGO_ENABLED=0") || !strings.Contains(build, "./cmd/rouei") {
		t.Errorf("build %q: want a static (CGO_ENABLED=0) build of ./cmd/rouei", build)
	}
	// The build itself runs in .ci/run when docker or podman works.
}
