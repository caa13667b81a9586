package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/samples"
	"golang.org/x/text/encoding/japanese"
)

// run runs the CLI and returns its exit status, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// schemaPath is the contract's JSON schema beside the repository.
func schemaPath(t *testing.T) string {
	p, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("the contract's schema must be beside the repository at %s: %v", p, err)
	}
	return p
}

func decode(t *testing.T, js string) *report.Report {
	t.Helper()
	var r report.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	return &r
}

func TestExitStatuses(t *testing.T) {
	t.Setenv("CI", "true")
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean")
	writeFile(t, filepath.Join(clean, "README.txt"), "本システムの説明書です。バージョン 2.3.1 (2024-01-15)\n")
	leaky := filepath.Join(dir, "leaky")
	var rows strings.Builder
	rows.WriteString("氏名,電話番号\n")
	for _, p := range []string{"090-3141-5926", "080-2718-2818", "070-1414-2135", "0564-27-1828", "052-314-1592", "090-2236-0679"} {
		rows.WriteString("患者," + p + "\n")
	}
	writeFile(t, filepath.Join(leaky, "list.csv"), rows.String())
	targetsFile := filepath.Join(dir, "targets.txt")
	writeFile(t, targetsFile, "# deliverables to check\n"+clean+"\n\n"+leaky+"  # the leaky one\n")
	one := filepath.Join(dir, "one")
	writeFile(t, filepath.Join(one, "memo.txt"), "連絡先 090-3141-5926\n")

	cases := []struct {
		name string
		args []string
		want int
	}{
		{"clean", []string{"scan", clean}, ExitOK},
		{"bulk phones fail the default gate", []string{"scan", leaky}, ExitFindings},
		{"fail-on never", []string{"scan", "--fail-on", "never", leaky}, ExitOK},
		{"flags after the target", []string{"scan", leaky, "--fail-on", "critical"}, ExitOK},
		{"one person is medium: passes high", []string{"scan", one}, ExitOK},
		{"one person fails medium", []string{"scan", "--fail-on=medium", one}, ExitFindings},
		{"missing target beside a clean one is incomplete", []string{"scan", clean, filepath.Join(dir, "nope")}, ExitIncomplete},
		{"findings win over incomplete", []string{"scan", leaky, filepath.Join(dir, "nope")}, ExitFindings},
		{"nothing scannable", []string{"scan", filepath.Join(dir, "nope")}, ExitUsage},
		{"no target", []string{"scan"}, ExitUsage},
		{"targets file", []string{"scan", "--targets", targetsFile}, ExitFindings},
		{"missing targets file", []string{"scan", "--targets", filepath.Join(dir, "none.txt")}, ExitUsage},
		{"bad flag", []string{"scan", "--bogus", clean}, ExitUsage},
		{"bad fail-on", []string{"scan", "--fail-on", "info", clean}, ExitUsage},
		{"bad format", []string{"scan", "--format", "xml", clean}, ExitUsage},
		{"sarif", []string{"scan", "--format", "sarif", leaky}, ExitFindings},
		{"html", []string{"scan", "--format", "html", clean}, ExitOK},
		{"bad lang", []string{"scan", "--lang", "fr", clean}, ExitUsage},
		{"unknown command", []string{"scna", clean}, ExitUsage},
		{"no command", nil, ExitUsage},
		{"version", []string{"version"}, ExitOK},
	}
	for _, c := range cases {
		code, _, stderr := run(t, c.args...)
		if code != c.want {
			t.Errorf("%s: exit %d, want %d (stderr: %s)", c.name, code, c.want, stderr)
		}
	}
}

func TestOutputFileIsPrivate(t *testing.T) {
	t.Setenv("CI", "true")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "t", "memo.txt"), "連絡先 090-3141-5926\n")
	out := filepath.Join(dir, "report.json")
	// An existing, world-readable file is made private too.
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "scan", "--format", "json", "-o", out, filepath.Join(dir, "t"))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout not empty with -o")
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600", st.Mode().Perm())
	}
	data, _ := os.ReadFile(out)
	if err := report.ValidateJSON(data, schemaPath(t)); err != nil {
		t.Errorf("report does not validate: %v", err)
	}
	code, _, _ = run(t, "scan", "--output", filepath.Join(dir, "no-such-dir", "r.json"), filepath.Join(dir, "t"))
	if code != ExitUsage {
		t.Errorf("unwritable output: exit %d, want 2", code)
	}
}

func TestRevealWarns(t *testing.T) {
	t.Setenv("CI", "true")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "memo.txt"), "連絡先 090-3141-5926\n")
	_, out, stderr := run(t, "scan", "--reveal", "--format", "json", dir)
	if !strings.Contains(stderr, "WARNING") {
		t.Errorf("no warning on stderr with --reveal")
	}
	if !strings.Contains(out, "090-3141-5926") {
		t.Errorf("--reveal did not reveal the evidence")
	}
	_, out, _ = run(t, "scan", "--format", "json", dir)
	if strings.Contains(out, "090-3141-5926") || strings.Contains(out, "31415926") {
		t.Errorf("value printed unmasked without --reveal")
	}
}

func TestBaseline(t *testing.T) {
	t.Setenv("CI", "true")
	dir := t.TempDir()
	target := filepath.Join(dir, "t")
	var rows strings.Builder
	for _, p := range []string{"090-3141-5926", "080-2718-2818", "070-1414-2135", "0564-27-1828", "052-314-1592"} {
		rows.WriteString("利用者," + p + "\n")
	}
	writeFile(t, filepath.Join(target, "list.csv"), rows.String())
	base := filepath.Join(dir, "baseline.json")
	if code, _, stderr := run(t, "scan", "--format", "json", "-o", base, target); code != ExitFindings {
		t.Fatalf("first run: exit %d, want 1: %s", code, stderr)
	}
	code, out, _ := run(t, "scan", "--format", "json", "--baseline", base, target)
	if code != ExitOK {
		t.Fatalf("baselined run: exit %d, want 0", code)
	}
	r := decode(t, out)
	for _, f := range r.Findings {
		if !f.Baselined {
			t.Errorf("finding on line %d not baselined", f.Line)
		}
	}
	// A new finding still fails the gate.
	writeFile(t, filepath.Join(target, "list.csv"), rows.String()+"利用者,090-2236-0679\n")
	if code, _, _ := run(t, "scan", "--baseline", base, target); code != ExitFindings {
		t.Errorf("new finding with baseline: exit %d, want 1", code)
	}
	// rouei baseline writes the text form, with no evidence in it.
	bl := filepath.Join(dir, "rouei.baseline")
	writeFile(t, filepath.Join(target, "list.csv"), rows.String())
	if code, _, stderr := run(t, "baseline", "-o", bl, target); code != ExitOK {
		t.Fatalf("rouei baseline: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(bl)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "3141") || strings.Contains(string(data), "****") {
		t.Errorf("baseline holds evidence")
	}
	if st, _ := os.Stat(bl); st.Mode().Perm() != 0o600 {
		t.Errorf("baseline mode %v", st.Mode().Perm())
	}
	if code, _, _ := run(t, "scan", "--baseline", bl, target); code != ExitOK {
		t.Errorf("scan with rouei baseline's file: exit %d, want 0", code)
	}
	if code, _, _ := run(t, "baseline", target); code != ExitUsage {
		t.Errorf("baseline without -o: exit %d, want 2", code)
	}

	// The text form: fingerprints one per line, with comments.
	var fps strings.Builder
	fps.WriteString("# accepted\n")
	for _, f := range r.Findings {
		fps.WriteString(f.Fingerprint + "  # " + f.Evidence + "\n")
	}
	txt := filepath.Join(dir, "baseline.txt")
	writeFile(t, txt, fps.String())
	writeFile(t, filepath.Join(target, "list.csv"), rows.String())
	if code, _, _ := run(t, "scan", "--baseline", txt, target); code != ExitOK {
		t.Errorf("text baseline: exit %d, want 0", code)
	}
	if code, _, _ := run(t, "scan", "--baseline", filepath.Join(dir, "missing"), target); code != ExitUsage {
		t.Errorf("missing baseline: exit %d, want 2", code)
	}
}

// TestSamples scans the bundled sample deliverable and holds every file
// to its expected verdict in samples/expected.json (classification,
// severity range, persons, dummy): every leak is found at its severity,
// the clean parts stay at low or below, every planted phone, e-mail and
// postal code is found, and no report format prints a planted value
// unmasked.
func TestSamples(t *testing.T) {
	t.Setenv("CI", "true")
	m, err := samples.LoadManifest(samples.ManifestPath())
	if err != nil {
		t.Fatal(err)
	}
	root := samples.DeliverableDir()
	code, js, stderr := run(t, "scan", "--format", "json", root)
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	if err := report.ValidateJSON([]byte(js), schemaPath(t)); err != nil {
		t.Fatalf("report does not validate against the contract's schema: %v", err)
	}
	r := decode(t, js)
	checkSampleErrors(t, m, r)
	files := map[string]report.File{}
	for _, f := range r.Files {
		rel, err := filepath.Rel(samples.Dir(), f.Path)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.ToSlash(rel)] = f
	}
	for _, e := range m.Files {
		f, ok := files[e.Path]
		if !ok {
			f = report.File{Classification: "none", Severity: detectors.None}
		}
		min, _ := detectors.ParseSeverity(e.MinSeverity)
		max, _ := detectors.ParseSeverity(e.MaxSeverity)
		if f.Severity < min || f.Severity > max {
			t.Errorf("%s: severity %v, want %v..%v (%s)", e.Path, f.Severity, min, max, f.Reason)
		}
		if e.Leak && f.Severity < detectors.High && e.MinSeverity != "medium" {
			t.Errorf("%s: a planted leak at %v", e.Path, f.Severity)
		}
		if !e.Leak && f.Severity > detectors.Low {
			t.Errorf("clean %s: severity %v, want low or below", e.Path, f.Severity)
		}
		if f.Classification != e.Classification {
			t.Errorf("%s: classification %s, want %s", e.Path, f.Classification, e.Classification)
		}
		if f.Persons != e.Persons || f.Dummy != e.Dummy {
			t.Errorf("%s: persons %d dummy %v, want %d %v", e.Path, f.Persons, f.Dummy, e.Persons, e.Dummy)
		}
	}

	// Recall, with --reveal: every planted phone, e-mail and postal code is found.
	_, revealed, _ := run(t, "scan", "--format", "json", "--reveal", "--max-findings-per-file", "100000", root)
	rr := decode(t, revealed)
	found := map[string]map[string]bool{}
	for _, f := range rr.Findings {
		rel, _ := filepath.Rel(samples.Dir(), f.Path)
		rel = filepath.ToSlash(rel)
		if found[rel] == nil {
			found[rel] = map[string]bool{}
		}
		found[rel][f.Category+"\x00"+squeeze(f.Evidence)] = true
	}
	for _, e := range m.Leaks() {
		for cat, vals := range map[string][]string{
			"phone": e.Planted.Phone, "email": e.Planted.Email, "postal_code": e.Planted.PostalCode,
			"name": e.Planted.Name, "my_number": e.Planted.MyNumber, "birth_date": e.Planted.BirthDate,
		} {
			missed := 0
			for _, v := range vals {
				if !found[e.Path][cat+"\x00"+squeeze(v)] {
					missed++
				}
			}
			if missed > 0 {
				t.Errorf("%s: %d of %d planted %s values not found", e.Path, missed, len(vals), cat)
			}
		}
	}

	// Masking: no format prints a planted value.
	var sensitive []string
	for _, e := range m.Files {
		sensitive = append(sensitive, e.Planted.Sensitive()...)
	}
	_, text, _ := run(t, "scan", "--lang", "ja", root)
	_, texten, _ := run(t, "scan", "--lang", "en", root)
	_, sarif, _ := run(t, "scan", "--format", "sarif", root)
	_, html, _ := run(t, "scan", "--format", "html", "--lang", "ja", root)
	if err := report.ValidateJSON([]byte(sarif), filepath.Join("..", "..", "report", "testdata", "sarif-schema-2.1.0.json")); err != nil {
		t.Errorf("SARIF of the samples does not validate: %v", err)
	}
	if !strings.Contains(html, "<html") || !strings.Contains(html, "tokusoku_200506.csv") {
		t.Errorf("HTML report of the samples lacks the page or a leak file")
	}
	for name, out := range map[string]string{"json": js, "text ja": text, "text en": texten, "sarif": sarif, "html": html} {
		leaked := 0
		for _, v := range sensitive {
			if len([]rune(v)) >= 4 && strings.Contains(out, v) {
				leaked++
			}
		}
		if leaked > 0 {
			t.Errorf("%s report prints %d planted values unmasked", name, leaked)
		}
	}
}

// squeeze drops the spaces in a name ("佐藤　花子" and "佐藤 花子" are one).
func squeeze(s string) string {
	return strings.NewReplacer(" ", "", "\u3000", "").Replace(s)
}

// TestBadInput scans odd files: nothing crashes, nothing is dropped, the
// report stays valid.
func TestBadInput(t *testing.T) {
	t.Setenv("CI", "true")
	dir := t.TempDir()
	cp932 := func(s string) string {
		b, err := japanese.ShiftJIS.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	long := strings.Repeat("あいうえお", 200_000) + " 連絡先 090-3141-5926"
	writeFile(t, filepath.Join(dir, "empty.txt"), "")
	writeFile(t, filepath.Join(dir, "nuls.bin"), strings.Repeat("\x00", 100_000))
	writeFile(t, filepath.Join(dir, "truncated.csv"), cp932("氏名,電話番号\n佐藤 花子,090-2718-2818\n高橋")[:40])
	writeFile(t, filepath.Join(dir, "mixed.txt"), "UTF-8 行 090-1414-2135\n"+cp932("SJIS 行 連絡先 080-2236-0679\n")+"\xff\xfe\xfd 壊れた\n")
	writeFile(t, filepath.Join(dir, "longline.txt"), long)
	code, js, stderr := run(t, "scan", "--format", "json", "--fail-on", "never", dir)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if err := report.ValidateJSON([]byte(js), schemaPath(t)); err != nil {
		t.Fatalf("report does not validate: %v", err)
	}
	r := decode(t, js)
	if r.Stats.Files != 5 || len(r.Errors) != 0 {
		t.Fatalf("stats %+v errors %v, want 5 files read without errors", r.Stats, r.Errors)
	}
	found := map[string]int{}
	for _, f := range r.Findings {
		found[filepath.Base(f.Path)]++
	}
	for name, want := range map[string]int{"truncated.csv": 1, "mixed.txt": 2, "longline.txt": 1} {
		if found[name] < want {
			t.Errorf("%s: %d findings, want at least %d", name, found[name], want)
		}
	}
}

// checkSampleErrors holds the scan's errors to the manifest: a file that
// expects errors (bad/…) gets each expected text on its path or a member's,
// and no other file has any.
func checkSampleErrors(t *testing.T, m *samples.Manifest, r *report.Report) {
	t.Helper()
	got := map[string][]string{} // manifest path → error texts
	for _, e := range r.Errors {
		rel, err := filepath.Rel(samples.Dir(), e.Path)
		if err != nil {
			t.Fatal(err)
		}
		rel = filepath.ToSlash(rel)
		owner := ""
		for _, x := range m.Files {
			if len(x.Errors) > 0 && (rel == x.Path || strings.HasPrefix(rel, x.Path+"!/") ||
				strings.HasPrefix(e.Path, filepath.Join(samples.Dir(), x.Path)+"!/")) {
				owner = x.Path
			}
		}
		if owner == "" {
			t.Errorf("unexpected error on %s: %s", rel, e.Error)
			continue
		}
		got[owner] = append(got[owner], e.Error)
	}
	for _, x := range m.Files {
		for _, want := range x.Errors {
			if !strings.Contains(strings.Join(got[x.Path], "\n"), want) {
				t.Errorf("%s: no error mentioning %q (got %q)", x.Path, want, got[x.Path])
			}
		}
	}
}

// TestSampleVerdictsExplainThemselves: every file of the sample
// deliverable with a verdict above low says why in files[].reasons, in
// the report's language, without a planted value.
func TestSampleVerdictsExplainThemselves(t *testing.T) {
	m, err := samples.LoadManifest(samples.ManifestPath())
	if err != nil {
		t.Fatal(err)
	}
	var planted []string
	for _, e := range m.Leaks() {
		for _, vs := range [][]string{e.Planted.Phone, e.Planted.Email, e.Planted.Name, e.Planted.PostalCode, e.Planted.MyNumber} {
			planted = append(planted, vs...)
		}
	}
	for _, lang := range []string{"en", "ja"} {
		_, js, _ := run(t, "scan", "--format", "json", "--lang", lang, samples.DeliverableDir())
		r := decode(t, js)
		explained := 0
		for _, f := range r.Files {
			if f.Severity <= detectors.Low {
				continue
			}
			if len(f.Reasons) == 0 {
				t.Errorf("%s (%s): %v %s without reasons", f.Path, lang, f.Severity, f.Classification)
				continue
			}
			explained++
			all := strings.Join(f.Reasons, "\n")
			for _, v := range planted {
				if len(v) > 3 && strings.Contains(squeeze(all), squeeze(v)) {
					t.Errorf("%s: a planted value appears in its reasons", f.Path)
				}
			}
			if lang == "ja" && !strings.ContainsAny(all, "見出値語人") {
				t.Errorf("%s: reasons not in Japanese", f.Path)
			}
		}
		if explained < 10 {
			t.Errorf("%s: only %d files above low explained", lang, explained)
		}
	}
}

// TestFindingsNameTheirContext: a finding typed by its column names the
// header, an organisation's number its block, and no context carries a
// planted value.
func TestFindingsNameTheirContext(t *testing.T) {
	m, err := samples.LoadManifest(samples.ManifestPath())
	if err != nil {
		t.Fatal(err)
	}
	var planted []string
	for _, e := range m.Leaks() {
		for _, vs := range [][]string{e.Planted.Phone, e.Planted.Email, e.Planted.Name, e.Planted.PostalCode} {
			planted = append(planted, vs...)
		}
	}
	_, js, _ := run(t, "scan", "--format", "json", samples.DeliverableDir())
	r := decode(t, js)
	var header, org int
	for _, f := range r.Findings {
		switch {
		case strings.HasPrefix(f.Context, "header "):
			header++
		case f.Context == "organisation block":
			org++
		}
		for _, v := range planted {
			if f.Context != "" && len(v) > 3 && strings.Contains(squeeze(f.Context), squeeze(v)) {
				t.Errorf("%s: a planted value in a finding's context", f.Path)
			}
		}
	}
	if header < 100 || org < 1 {
		t.Errorf("%d findings with a header context, %d with an organisation block", header, org)
	}
}
