package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rouei/rouei/detectors"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func writeText(t *testing.T, r *Report, opt TextOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteText(&buf, r, opt); err != nil {
		t.Fatalf("WriteText: %v", err)
	}
	return buf.String()
}

func TestWriteTextGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		opt  TextOptions
	}{
		{"sample_en", TextOptions{Lang: English, FailOn: detectors.High}},
		{"sample_ja", TextOptions{Lang: Japanese, FailOn: detectors.High}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleReport()
			r.Finalize()
			got := writeText(t, r, tt.opt)
			golden(t, filepath.Join("testdata", tt.name+".golden"), got)
		})
	}
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (- want, + got; go test ./report -update rewrites it):\n%s",
			path, lineDiff(string(want), got))
	}
}

// lineDiff is a small LCS line diff with two lines of context.
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type op struct {
		c byte
		s string
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, op{' ', x[i]})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, op{'-', x[i]})
			i++
		default:
			ops = append(ops, op{'+', y[j]})
			j++
		}
	}
	var out strings.Builder
	last := -1
	for k, o := range ops {
		near := false
		for d := -2; d <= 2; d++ {
			if k+d >= 0 && k+d < len(ops) && ops[k+d].c != ' ' {
				near = true
			}
		}
		if !near {
			continue
		}
		if last >= 0 && k > last+1 {
			out.WriteString("  ...\n")
		}
		fmt.Fprintf(&out, "%c %s\n", o.c, o.s)
		last = k
	}
	return out.String()
}

func TestLineDiff(t *testing.T) {
	d := lineDiff("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nD\ne\nf\ng\nh\n")
	if !strings.Contains(d, "- d\n+ D\n") || strings.Contains(d, "a\n") || !strings.Contains(d, "  c\n") {
		t.Errorf("lineDiff =\n%s", d)
	}
}

// lastLine is the closing verdict line.
func lastLine(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}

func TestWriteTextVerdictLine(t *testing.T) {
	const crit, high, med = detectors.Critical, detectors.High, detectors.Medium
	pass := &Report{Files: []File{{Path: "a", Severity: med, Persons: 1}}, Findings: []Finding{{Path: "a", Severity: med}}}
	incomplete := &Report{Errors: []Error{{Path: "x.zip", Error: "encrypted"}, {Path: "y.zip", Error: "encrypted"}}}
	failing := &Report{
		Files: []File{
			{Path: "a", Severity: crit, Persons: 150},
			{Path: "b", Severity: high, Persons: 5},
			{Path: "c", Severity: high, Persons: 4},
			{Path: "d", Severity: high, Persons: 100}, // only baselined findings: does not count
		},
		Findings: []Finding{
			{Path: "a", Severity: crit}, {Path: "b", Severity: high}, {Path: "c", Severity: high},
			{Path: "d", Severity: high, Baselined: true},
		},
	}
	// The people figure is summary.persons, in every format (one number,
	// one source): the baselined file's people are people of the report.
	failing.Finalize()
	tests := []struct {
		r      *Report
		lang   Lang
		failOn detectors.Severity
		want   string
	}{
		{failing, English, high, "FAIL: 1 critical, 2 high files; 259 people affected (1 baselined finding ignored)"},
		{failing, Japanese, high, "不合格: 重大 1 件・高 2 件のファイル、259 人分の個人データ (ベースライン登録済み 1 件を除外)"},
		{failing, English, crit, "FAIL: 1 critical file; 259 people affected (1 baselined finding ignored)"},
		{pass, English, high, "PASS: nothing at or above high"},
		{pass, Japanese, high, "合格: 「高」以上の検出はありません"},
		{pass, English, detectors.None, "PASS: failing disabled (--fail-on never)"},
		{incomplete, English, high, "INCOMPLETE: nothing at or above high, but 2 items could not be scanned completely"},
		{incomplete, Japanese, high, "未完了: 「高」以上の検出はありません。ただし 2 件を完全には検査できませんでした"},
		{&Report{Findings: []Finding{{Path: "x", Severity: high}}}, English, high, "FAIL: 1 high file"},
	}
	for i, tt := range tests {
		out := writeText(t, tt.r, TextOptions{Lang: tt.lang, FailOn: tt.failOn})
		if got := lastLine(out); got != tt.want {
			t.Errorf("case %d: verdict line =\n %q\nwant\n %q", i, got, tt.want)
		}
		// The words must agree with Verdict.
		v := tt.r.Verdict(tt.failOn)
		head := map[Verdict]string{Pass: "PASS", Fail: "FAIL", Incomplete: "INCOMPLETE"}[v]
		if tt.lang == English && !strings.HasPrefix(lastLine(out), head+":") {
			t.Errorf("case %d: verdict line %q disagrees with Verdict() = %v", i, lastLine(out), v)
		}
	}
}

func TestWriteTextMaxFindings(t *testing.T) {
	r := sampleReport()
	r.Finalize()
	out := writeText(t, r, TextOptions{MaxFindingsPerFile: 2, FailOn: detectors.High})
	if !strings.Contains(out, "… and 5 more") {
		t.Errorf("with 2 of 7 findings shown, no \"… and 5 more\":\n%s", out)
	}
	out = writeText(t, r, TextOptions{MaxFindingsPerFile: -1, FailOn: detectors.High})
	if strings.Contains(out, "0564-") || !strings.Contains(out, "… and 7 more") {
		t.Errorf("MaxFindingsPerFile -1 still lists findings or lacks the count:\n%s", out)
	}
	// A file whose findings were capped by the engine: the count comes from File.Findings.
	r.Files[0].Findings = 954
	out = writeText(t, r, TextOptions{FailOn: detectors.High})
	if !strings.Contains(out, "… and 949 more") || !strings.Contains(out, "954 findings") {
		t.Errorf("capped file does not show its real count:\n%s", out)
	}
}

func TestWriteTextEscapesControlCharacters(t *testing.T) {
	r := &Report{
		Files:    []File{{Path: "dist/\x1b[2Jevil\u202etxt.csv", Severity: detectors.High, Classification: "none"}},
		Findings: []Finding{{Path: "dist/\x1b[2Jevil\u202etxt.csv", Severity: detectors.High, Evidence: "a\rb\xff"}},
		Errors:   []Error{{Path: "x\ny", Error: "bad\x07"}},
	}
	out := writeText(t, r, TextOptions{FailOn: detectors.High})
	for _, bad := range []string{"\x1b", "\u202e", "\r", "\x07", "\xff", "x\ny"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains raw %q", bad)
		}
	}
	for _, want := range []string{`dist/\x1b[2Jevil\u202etxt.csv`, `a\x0db\xff`, `x\x0ay: bad\x07`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks escaped %s:\n%s", want, out)
		}
	}
}

func TestWriteTextEmpty(t *testing.T) {
	r := &Report{Tool: Tool{Name: "rouei", Version: "0.1.0"}, Targets: []string{"dist/"}}
	out := writeText(t, r, TextOptions{Lang: English, FailOn: detectors.High})
	want := "rouei 0.1.0: scanned dist/ — 0 files, 0 B, 0 archives\n\nNo files with personal data.\n\nPASS: nothing at or above high\n"
	if out != want {
		t.Errorf("empty report =\n%q\nwant\n%q", out, want)
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "重大": 4, "山＊ ＊＊": 9, "…": 1, "ｶﾅ": 2} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}
