package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rouei/rouei/report"
)

func TestPolicyFile(t *testing.T) {
	t.Setenv("CI", "true")
	t.Setenv("ROUEI_ALLOW_KEY", "")
	dir := t.TempDir()
	target := filepath.Join(dir, "t")
	writeFile(t, filepath.Join(target, "memo.txt"), "連絡先 090-3141-5926\n")
	writeFile(t, filepath.Join(target, "fixtures", "list.csv"), "氏名,電話番号\n佐藤 健一,080-2718-2818\n高橋 恵子,070-1414-2135\n中村 大輔,052-314-1592\n伊藤 誠,0564-27-1828\n木村 智子,090-2236-0679\n")
	footer := "架空市立中央図書館 TEL 0564-23-0101\n"
	writeFile(t, filepath.Join(target, "footer.txt"), footer)

	// The keyed hash of the memo's number, made the way a user would.
	var hashes bytes.Buffer
	if code := runAllowHash([]string{"--key", "s3cret"}, strings.NewReader("phone 090-3141-5926\n"), &hashes, &bytes.Buffer{}); code != ExitOK {
		t.Fatalf("allow-hash exit %d", code)
	}
	if strings.Contains(hashes.String(), "3141") {
		t.Fatal("allow-hash printed the value")
	}
	cfg := filepath.Join(dir, "policy.toml")
	writeFile(t, cfg, `fail_on = "medium"
lang = "en"
[limits]
max_depth = 3
max_archive_time = "30s"
[allow]
paths = ["fixtures/**"]
hash_key = "s3cret"
values = [
  `+strings.TrimSpace(hashes.String())+`
]
`)
	code, js, stderr := run(t, "scan", "--config", cfg, "--format", "json", target)
	if code != ExitOK {
		t.Fatalf("exit %d, want 0 (the only medium finding is allow-listed): %s", code, stderr)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Findings {
		if strings.HasSuffix(f.Path, "memo.txt") || strings.Contains(f.Path, "fixtures") {
			t.Errorf("allow-listed finding reported: %s line %d", f.Path, f.Line)
		}
	}
	if len(r.Skipped) != 1 || !strings.Contains(r.Skipped[0].Reason, "allow") {
		t.Errorf("skipped = %v, want the fixtures file noted", r.Skipped)
	}
	// Without the policy the memo fails a medium gate.
	if code, _, _ := run(t, "scan", "--fail-on", "medium", target); code != ExitFindings {
		t.Errorf("without policy: exit %d, want 1", code)
	}
	// Flags win over the policy.
	if code, _, _ := run(t, "scan", "--config", cfg, "--fail-on", "critical", filepath.Join(target, "fixtures")); code != ExitOK {
		t.Errorf("flag over policy: exit %d, want 0", code)
	}

	for name, body := range map[string]string{
		"unknown key":        "fail_onn = \"high\"\n",
		"bad glob":           "[allow]\npaths = [\"[\"]\n",
		"values without key": "[allow]\nvalues = [\"00\"]\n",
		"bad duration":       "[limits]\nmax_archive_time = \"soon\"\n",
	} {
		p := filepath.Join(dir, "bad.toml")
		writeFile(t, p, body)
		if code, _, _ := run(t, "scan", "--config", p, target); code != ExitUsage {
			t.Errorf("%s: exit %d, want 2", name, code)
		}
	}
}

func TestExamplePolicyParses(t *testing.T) {
	t.Setenv("ROUEI_ALLOW_KEY", "")
	p, err := loadPolicy(filepath.Join("..", "..", "rouei.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if p.FailOn != "high" || p.limits().MaxDepth != 8 || p.FTP.Pause.Seconds() != 0.5 || len(p.Allow.Paths) != 2 {
		t.Errorf("example policy read as %+v", p)
	}
}

func TestStateShowsWhatChanged(t *testing.T) {
	t.Setenv("CI", "true")
	dir := t.TempDir()
	target := filepath.Join(dir, "t")
	state := filepath.Join(dir, "state.db")
	list := "氏名,電話番号\n佐藤 健一,090-3141-5926\n高橋 恵子,080-2718-2818\n中村 大輔,052-314-1592\n伊藤 誠,0564-27-1828\n木村 智子,090-2236-0679\n"
	writeFile(t, filepath.Join(target, "old.csv"), list)
	writeFile(t, filepath.Join(target, "memo.txt"), "連絡先 090-1414-2135\n")
	code, js, stderr := run(t, "scan", "--state", state, "--format", "json", target)
	if code != ExitFindings {
		t.Fatalf("first run exit %d: %s", code, stderr)
	}
	r := decode(t, js)
	if r.Changes == nil || !r.Changes.Since.IsZero() || len(r.Changes.New) != 2 {
		t.Fatalf("first run changes %+v", r.Changes)
	}
	// The memo is cleaned up; a new export appears.
	if err := os.Remove(filepath.Join(target, "memo.txt")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(target, "new.csv"), list)
	code, js, _ = run(t, "scan", "--state", state, "--format", "json", target)
	if code != ExitFindings {
		t.Fatalf("second run exit %d", code)
	}
	if err := report.ValidateJSON([]byte(js), schemaPath(t)); err != nil {
		t.Fatalf("report with changes does not validate: %v", err)
	}
	r = decode(t, js)
	c := r.Changes
	if c == nil || c.Since.IsZero() || len(c.New) != 1 || len(c.Still) != 1 || len(c.Resolved) != 1 ||
		!strings.HasSuffix(c.New[0].Path, "new.csv") || !strings.HasSuffix(c.Resolved[0].Path, "memo.txt") {
		t.Fatalf("second run changes %+v", c)
	}
	_, text, _ := run(t, "scan", "--state", state, "--lang", "en", target)
	if !strings.Contains(text, "Since the last run") || !strings.Contains(text, "0 new, 2 still present, 0 resolved") {
		t.Errorf("text report lacks the change:\n%s", text)
	}
	_, html, _ := run(t, "scan", "--state", state, "--format", "html", "--lang", "ja", target)
	if !strings.Contains(html, "前回") {
		t.Errorf("HTML report lacks the change")
	}
	if code, _, _ := run(t, "scan", "--state", filepath.Join(dir, "no", "such", "dir", "s.db"), target); code != ExitUsage {
		t.Errorf("unusable state file: exit %d, want 2", code)
	}
}

// TestPolicySiteRules: a vendor's own patron-ID format, declared in the
// policy file like a built-in rule, is found and ties a free-text
// record to its patron; a rule that does not compile is a usage error.
func TestPolicySiteRules(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dist")
	// Reminder letters whose only identifier is the vendor's card number.
	var letters strings.Builder
	for i, name := range []string{"佐藤 健一", "高橋 恵子", "伊藤 誠"} {
		fmt.Fprintf(&letters, "%s 様\n貸出券 LIB-%06d\nTEL 090-3141-%04d\n\n", name, 104729+i, 5926+i)
	}
	writeFile(t, filepath.Join(target, "letters.txt"), letters.String())
	cfg := filepath.Join(dir, "rouei.toml")
	writeFile(t, cfg, `[[rule]]
id = "site-card"
category = "patron_id"
description = "our card numbers (LIB-nnnnnn)"
keywords = ["LIB-"]
pattern = '(?<v>LIB-\d{6})(?!\d)'
confidence = 0.9
`)
	_, js, stderr := run(t, "scan", "--config", cfg, "--format", "json", target)
	r := decode(t, js)
	ids := 0
	for _, f := range r.Findings {
		if f.Detector == "site-card" && f.Category == "patron_id" {
			ids++
		}
	}
	if ids != 3 {
		t.Errorf("%d site-rule findings, want 3 (%s)", ids, stderr)
	}
	writeFile(t, cfg, "[[rule]]\nid = \"bad\"\ncategory = \"patron_id\"\nkeywords = [\"x\"]\npattern = '(?<v>['\n")
	if code, _, stderr := run(t, "scan", "--config", cfg, target); code != ExitUsage || !strings.Contains(stderr, "rule bad") {
		t.Errorf("bad rule: exit %d, %s", code, stderr)
	}
}
