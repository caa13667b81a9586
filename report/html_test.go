package report

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/detectors"
)

func writeHTML(t *testing.T, r *Report, opt HTMLOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r, opt); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	return buf.String()
}

func sampleHTML(t *testing.T, l Lang) string {
	t.Helper()
	r := sampleReport()
	r.Finalize()
	return writeHTML(t, r, HTMLOptions{Lang: l, FailOn: detectors.High})
}

func TestWriteHTMLGolden(t *testing.T) {
	for _, l := range []Lang{Japanese, English} {
		t.Run(string(l), func(t *testing.T) {
			golden(t, filepath.Join("testdata", "sample_"+string(l)+".html"), sampleHTML(t, l))
		})
	}
}

// externalRef finds anything that would make a browser fetch a resource:
// src/href/action/srcset/xlink:href with a scheme or //, CSS @import and
// url() with a scheme, <link>, <script src>, <iframe>, <object>, <embed>.
var externalRef = regexp.MustCompile(`(?i)(\b(src|href|action|srcset|poster|data)\s*=\s*["']?\s*([a-z][a-z0-9+.-]*:|//))` +
	`|@import|url\(\s*["']?\s*([a-z][a-z0-9+.-]*:|//)|<link\b|<script[^>]*\bsrc\b|<iframe\b|<object\b|<embed\b|<base\b|@font-face`)

func TestWriteHTMLSelfContained(t *testing.T) {
	for _, l := range []Lang{Japanese, English} {
		out := sampleHTML(t, l)
		if m := externalRef.FindString(out); m != "" {
			t.Errorf("%s: resource reference %q", l, m)
		}
		for _, s := range []string{"http://", "https://"} {
			if strings.Contains(out, s) {
				t.Errorf("%s: output contains %q", l, s)
			}
		}
		if !strings.Contains(out, "<style>") || !strings.Contains(out, "<svg") || !strings.Contains(out, "@media print") {
			t.Errorf("%s: inline CSS, SVG chart or print CSS missing", l)
		}
	}
	// The check itself catches what it is meant to catch.
	for _, bad := range []string{
		`<link rel="stylesheet" href="https://cdn.example/x.css">`, `<script src="x.js"></script>`,
		`<img src="http://example.com/a.png">`, `<a href="//example.com/">`, `@import "x.css";`,
		`background: url(https://example.com/a.png)`, `@font-face { font-family: X; }`,
	} {
		if !externalRef.MatchString(bad) {
			t.Errorf("external reference check misses %q", bad)
		}
	}
}

// checkWellFormed parses out as XML (the writer emits XHTML-compatible
// HTML5: void elements self-closed, everything escaped) and returns the
// root element and the text content.
func checkWellFormed(t *testing.T, out string) (root xml.StartElement, text string) {
	t.Helper()
	if !strings.HasPrefix(out, "<!DOCTYPE html>\n") {
		t.Errorf("no HTML5 doctype")
	}
	d := xml.NewDecoder(strings.NewReader(out))
	d.Strict = true
	var stack []string
	var tb strings.Builder
	first := true
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if first {
				root, first = tk.Copy(), false
			} else if len(stack) == 0 {
				t.Fatalf("second root element <%s>", tk.Name.Local)
			}
			stack = append(stack, tk.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1] != "style" && stack[len(stack)-1] != "script" {
				tb.Write(tk)
			}
		}
	}
	return root, tb.String()
}

func TestWriteHTMLWellFormed(t *testing.T) {
	for _, l := range []Lang{Japanese, English} {
		root, text := checkWellFormed(t, sampleHTML(t, l))
		if root.Name.Local != "html" {
			t.Fatalf("%s: root element <%s>", l, root.Name.Local)
		}
		var lang string
		for _, a := range root.Attr {
			if a.Name.Local == "lang" {
				lang = a.Value
			}
		}
		if lang != string(l) {
			t.Errorf("%s: <html lang=%q>", l, lang)
		}
		// The path as text, once the <wbr/> break hints are dropped.
		if !strings.Contains(text, overdue) {
			t.Errorf("%s: the overdue list's path is not in the text", l)
		}
	}
}

func TestWriteHTMLContent(t *testing.T) {
	out := sampleHTML(t, Japanese)
	_, text := checkWellFormed(t, out)
	for _, want := range []string{
		"不合格", // the banner word
		"重大 1 件のファイル、160 人分の個人データ", // the verdict sentence: summary.persons
		"160",   // people affected (summary)
		"延滞リスト", // classification in words
		"列 氏名/電話番号/書名/返却期限", // the columns behind the verdict
		"項目 氏名・電話番号・メール",    // the fields of a file's records
		"0564-**-**12", "岡＊ ＊＊", "k***@example.jp", // masked evidence
		"shift_jis",
		"ダミー/テストデータ",
		"encrypted archive: contents not scanned",
		"rouei-canary-5f3a9d.txt", "/pub/incoming", // canary left behind, writable hint
		"220 (vsFTPd 3.0.3)", "dial tcp 192.0.2.10:21: i/o timeout",
		"完全には検査できなかったもの (2 件)",
		"2026-11-23 19:00:00 +09:00", "1,234 ファイル", "70.0 MiB",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	// Findings sit in <details>, one per file with findings.
	if n := strings.Count(out, "<details>"); n != 3 {
		t.Errorf("%d <details> elements, want 3", n)
	}
	// The chart has one bar per severity, sized by files per severity:
	// critical, medium and info have one file each, high and low none.
	bars := regexp.MustCompile(`<rect class="bar-(\w+)"[^>]* width="(\d+)"`).FindAllStringSubmatch(out, -1)
	got := map[string]string{}
	for _, b := range bars {
		got[b[1]] = b[2]
	}
	if len(bars) != 5 || got["critical"] != "320" || got["medium"] != "320" || got["info"] != "320" ||
		got["high"] != "0" || got["low"] != "0" {
		t.Errorf("chart bars %v", got)
	}
	// A baselined finding is marked.
	if !strings.Contains(out, `<tr class="baselined">`) {
		t.Errorf("baselined finding not marked")
	}
}

func TestWriteHTMLVerdicts(t *testing.T) {
	for _, tt := range []struct {
		name   string
		edit   func(*Report)
		failOn detectors.Severity
		class  string
		ja, en string
	}{
		{"fail", func(*Report) {}, detectors.High, "verdict-fail", "不合格", "FAIL"},
		{"incomplete", func(*Report) {}, detectors.None, "verdict-incomplete", "不完全", "INCOMPLETE"},
		{"pass", func(r *Report) { r.Errors, r.Endpoints, r.Stats.Errors = nil, nil, 0 }, detectors.None,
			"verdict-pass", "合格", "PASS"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, l := range []Lang{Japanese, English} {
				r := sampleReport()
				tt.edit(r)
				r.Finalize()
				out := writeHTML(t, r, HTMLOptions{Lang: l, FailOn: tt.failOn})
				word := tt.ja
				if l == English {
					word = tt.en
				}
				re := regexp.MustCompile(`<section class="verdict ` + tt.class + `" role="status">\s*<div class="word">` + word + `</div>`)
				if !re.MatchString(out) {
					t.Errorf("%s: no %s banner saying %s", l, tt.class, word)
				}
			}
		})
	}
}

func TestWriteHTMLEscapes(t *testing.T) {
	r := sampleReport()
	r.Files[0].Path = `dist/<script>alert(1)</script>.csv`
	r.Findings[4].Path = r.Files[0].Path // the dummy file's findings follow it
	r.Findings[10].Path = r.Files[0].Path
	r.Findings[4].Evidence = `"><img src=x onerror=alert(2)>`
	r.Endpoints[0].Banner = `220 <b onmouseover=alert(3)>hi</b>`
	r.Errors[0].Error = `bad & <i>worse</i>`
	r.Skipped = []Skip{{Path: "dist/<svg onload=alert(4)>", Reason: "fifo"}}
	r.Finalize()
	for _, l := range []Lang{Japanese, English} {
		out := writeHTML(t, r, HTMLOptions{Lang: l, FailOn: detectors.High})
		for _, bad := range []string{"<script>alert", "<img", "<b onmouseover", "<i>worse", "<svg onload", "alert(1)</script>"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: unescaped %q in output", l, bad)
			}
		}
		for _, want := range []string{"&lt;script&gt;alert(1)&lt;", "&lt;img src=x onerror=alert(2)&gt;", "bad &amp; &lt;i&gt;worse"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: escaped form %q missing", l, want)
			}
		}
		_, text := checkWellFormed(t, out)
		if !strings.Contains(text, `dist/<script>alert(1)</script>.csv`) {
			t.Errorf("%s: the path does not read back as written", l)
		}
	}
}

func TestWriteHTMLEmpty(t *testing.T) {
	out := writeHTML(t, &Report{}, HTMLOptions{})
	_, text := checkWellFormed(t, out)
	if !strings.Contains(text, "PASS") || !strings.Contains(text, textsFor(English).noFiles) {
		t.Errorf("empty report: no PASS banner or no-files line")
	}
	if strings.Contains(out, "<details>") || strings.Contains(out, textsFor(English).htmlEndpoints) {
		t.Errorf("empty report shows findings or endpoints")
	}
}

func TestHTMLPath(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a/b.zip!/c", "a/<wbr/>b.zip!/<wbr/>c"},
		{"ftp://h:21/x", "ftp://h:21/<wbr/>x"},
		{"/abs//x", "/abs//x"},
		{"<a>&/b", "&lt;a&gt;&amp;/<wbr/>b"},
	} {
		if got := string(htmlPath(tt.in)); got != tt.want {
			t.Errorf("htmlPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// chromium finds a Chromium binary.
func chromium() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, n := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

func TestHTMLRendersInChromium(t *testing.T) {
	bin := chromium()
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed, and CI is set: the browser test must run in CI (apt-get install chromium fonts-ipafont-gothic)")
		}
		t.Skip("chromium not found (/usr/bin/chromium or on PATH): skipping the browser test; install it with apt-get install chromium")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(sampleHTML(t, Japanese)), 0o600); err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.ToSlash(page)
	run := func(name string, extra ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + filepath.Join(dir, "profile-"+name)}, extra...)
		cmd := exec.CommandContext(ctx, bin, append(args, url)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %s: %v\n%s", name, err, lastLines(stderr.String(), 20))
		}
		return stdout.Bytes()
	}

	dom := string(run("dom", "--dump-dom"))
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(dom, "")
	for _, want := range []string{"不合格", "dist/ils-2.3.tar.gz!/setup/sample.zip!/督促/延滞.csv", "dist/conf/staff.txt", "影響を受ける人数"} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}

	shot := filepath.Join(dir, "shot.png")
	run("shot", "--screenshot="+shot, "--window-size=1200,900")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 400 {
		t.Errorf("screenshot is %dx%d", b.Dx(), b.Dy())
	}
	colours, red := screenshotColours(img)
	if colours < 16 {
		t.Errorf("screenshot has %d colours: blank page?", colours)
	}
	// The FAIL banner is a large red area.
	if red < 20000 {
		t.Errorf("screenshot has %d red pixels: no FAIL banner?", red)
	}
}

// screenshotColours counts the distinct colours of img and its pixels in
// the FAIL banner's red.
func screenshotColours(img image.Image) (colours, red int) {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			if r>>8 > 160 && g>>8 < 60 && bl>>8 < 60 {
				red++
			}
		}
	}
	return len(seen), red
}

func lastLines(s string, n int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	return strings.Join(ls, "\n")
}
