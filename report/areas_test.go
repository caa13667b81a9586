package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/detectors"
)

func TestParseCustomer(t *testing.T) {
	for _, c := range []struct {
		specs []string
		want  string
	}{
		{[]string{"宮崎県えびの市"}, "宮崎県えびの市"},
		{[]string{"えびの市"}, "宮崎県えびの市"},
		{[]string{"452092"}, "宮崎県えびの市"}, // with its check digit
		{[]string{"45209"}, "宮崎県えびの市"},
		{[]string{"名古屋市中村区"}, "愛知県名古屋市"}, // a ward: its city
		{[]string{"23105"}, "愛知県名古屋市"},
		{[]string{"愛知県", "岡崎市,刈谷市"}, "愛知県・愛知県岡崎市・愛知県刈谷市"},
		{[]string{"ｴﾋﾞﾉ", "えびの市"}, ""}, // half-width kana are no name
		{[]string{"府中市"}, ""},          // two prefectures have one
		{[]string{"東京都府中市"}, "東京都府中市"},
		{[]string{"452093"}, ""}, // wrong check digit
		{[]string{"岡崎"}, ""},
	} {
		cu, err := ParseCustomer(c.specs)
		got := strings.Join(cu.Labels(), "・")
		if c.want == "" {
			if err == nil {
				t.Errorf("%q: accepted as %q", c.specs, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %q %v, want %q", c.specs, got, err, c.want)
		}
	}
	if cu, err := ParseCustomer(nil); cu != nil || err != nil {
		t.Errorf("no customer: %v %v", cu, err)
	}
}

// areaReport is a made-up scan: a list of 岡崎市 people, a list of えびの市
// people, a mixed list and a list of mobile numbers only.
func areaReport() *Report {
	r := &Report{Schema: SchemaV1, Tool: Tool{Name: "rouei", Version: "0.1.0"}, Targets: []string{"dist/"},
		StartedAt: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), FinishedAt: time.Date(2026, 11, 23, 10, 0, 1, 0, time.UTC)}
	add := func(path string, sev detectors.Severity, persons int, areas ...Area) {
		r.Files = append(r.Files, File{Path: path, Classification: detectors.ClassOverdueList, Severity: sev,
			Persons: persons, Findings: persons * 3, Areas: areas})
		r.Findings = append(r.Findings, Finding{Fingerprint: "fp" + strconv.Itoa(len(r.Findings)) + "abcdefgh", Path: path, Line: 2,
			Detector: "jp-name", Category: "name", Severity: sev, Confidence: 0.9, Evidence: "佐＊ ＊＊"})
	}
	add("dist/data/okazaki.csv", detectors.High, 159, Area{"愛知県岡崎市", 159, "address"})
	add("dist/data/ebino.csv", detectors.Critical, 40, Area{"宮崎県えびの市", 38, "postal"}, Area{"愛知県岡崎市", 2, "address"})
	add("dist/data/mixed.csv", detectors.Medium, 12, Area{"宮崎県えびの市", 6, "phone"}, Area{"宮崎県小林市", 3, "phone"}, Area{"東京都", 3, "phone"})
	add("dist/data/mobiles.csv", detectors.Critical, 25)
	r.Finalize()
	return r
}

func TestApplyCustomer(t *testing.T) {
	r := areaReport()
	c, err := ParseCustomer([]string{"えびの市"})
	if err != nil {
		t.Fatal(err)
	}
	r.ApplyCustomer(c)
	other := map[string]bool{}
	for _, f := range r.Files {
		other[f.Path] = f.OtherCustomer
		if f.Path == "dist/data/okazaki.csv" && (f.Severity != detectors.Critical || f.Findings != 159*3+1 || len(f.Why) != 1) {
			t.Errorf("okazaki: severity %v, findings %d, reasons %v", f.Severity, f.Findings, f.Why)
		}
	}
	want := map[string]bool{"dist/data/okazaki.csv": true, "dist/data/ebino.csv": false,
		"dist/data/mixed.csv":   false, // 6 of 12 outside: not most
		"dist/data/mobiles.csv": false}
	for p, w := range want {
		if other[p] != w {
			t.Errorf("%s: other_customer %v, want %v", p, other[p], w)
		}
	}
	var foreign []Finding
	for _, f := range r.Findings {
		if f.Category == ForeignCategory {
			foreign = append(foreign, f)
		}
	}
	if len(foreign) != 1 || foreign[0].Path != "dist/data/okazaki.csv" || foreign[0].Severity != detectors.Critical ||
		!strings.Contains(foreign[0].Evidence, "159 people of 愛知県岡崎市") {
		t.Fatalf("foreign findings: %+v", foreign)
	}
	if r.Summary.BySeverity["critical"] != 3 || r.Summary.BySeverity["high"] != 0 {
		t.Errorf("summary not recomputed: %v", r.Summary.BySeverity)
	}
	if got := r.Customer; len(got) != 1 || got[0] != "宮崎県えびの市" {
		t.Errorf("customer %q", got)
	}
	// The same fingerprint on every run.
	r2 := areaReport()
	r2.ApplyCustomer(c)
	for _, f := range r2.Findings {
		if f.Category == ForeignCategory && f.Fingerprint != foreign[0].Fingerprint {
			t.Error("foreign_residents fingerprint is not stable")
		}
	}

	// A prefecture-level customer: 宮崎県 holds えびの市 and 小林市; 東京都
	// (a phone area) is outside it.
	r = areaReport()
	c, _ = ParseCustomer([]string{"宮崎県"})
	r.ApplyCustomer(c)
	for _, f := range r.Files {
		if f.OtherCustomer != (f.Path == "dist/data/okazaki.csv") {
			t.Errorf("宮崎県: %s other_customer %v", f.Path, f.OtherCustomer)
		}
	}
	// A customer in 東京都: the phone area 東京都 is unknown, not foreign;
	// the rest of mixed.csv is foreign (9 of 9 known).
	r = areaReport()
	c, _ = ParseCustomer([]string{"東京都千代田区"})
	r.ApplyCustomer(c)
	for _, f := range r.Files {
		if f.Path == "dist/data/mixed.csv" && !f.OtherCustomer {
			t.Error("mixed.csv: 9 of 9 known people are outside 千代田区")
		}
		if f.Path == "dist/data/mobiles.csv" && f.OtherCustomer {
			t.Error("a list with no known area is never another customer's")
		}
	}
	// No customer: nothing changes.
	r = areaReport()
	r.ApplyCustomer(nil)
	for _, f := range r.Files {
		if f.OtherCustomer {
			t.Errorf("%s: other_customer without a customer", f.Path)
		}
	}
}

func customerReport(t *testing.T) *Report {
	t.Helper()
	r := areaReport()
	c, err := ParseCustomer([]string{"宮崎県えびの市"})
	if err != nil {
		t.Fatal(err)
	}
	r.ApplyCustomer(c)
	return r
}

func TestAreasInReports(t *testing.T) {
	r := customerReport(t)
	r.Localize(English)
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{Lang: English, FailOn: detectors.High}); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{
		"areas: 愛知県岡崎市 159 (address) — OTHER CUSTOMER: 159 people of 愛知県岡崎市 in a delivery for 宮崎県えびの市",
		"areas: 宮崎県えびの市 38 (postal code), 愛知県岡崎市 2 (address)\n",
		"159 people of 愛知県岡崎市 in a delivery for 宮崎県えびの市 (159 of 159 with a known area live elsewhere) → critical",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "areas: "); n != 3 {
		t.Errorf("%d area lines, want 3 (not for the mobile-only list)", n)
	}
	b.Reset()
	r.Localize(Japanese)
	WriteText(&b, r, TextOptions{Lang: Japanese, FailOn: detectors.High})
	if !strings.Contains(b.String(), "地域: 愛知県岡崎市 159人（住所） — 他の顧客: 宮崎県えびの市向けの納品物に愛知県岡崎市の159人") {
		t.Errorf("Japanese text report:\n%s", b.String())
	}

	// JSON: the contract's schema, with areas and other_customer.
	b.Reset()
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	needSchema(t)
	if err := ValidateJSON(b.Bytes(), schemaPath); err != nil {
		t.Fatalf("schema: %v", err)
	}
	for _, want := range []string{`"areas":[`, `"area":"愛知県岡崎市"`, `"basis":"postal"`, `"other_customer":true`, `"category":"foreign_residents"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	// SARIF carries the finding.
	b.Reset()
	if err := WriteSARIF(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "foreign_residents") || !strings.Contains(b.String(), "159 people of 愛知県岡崎市") {
		t.Error("SARIF lacks the foreign_residents result")
	}

	// HTML: a chart per file with areas and one for all files.
	page := writeHTML(t, r, HTMLOptions{Lang: English, FailOn: detectors.High})
	checkWellFormed(t, page)
	if n := strings.Count(page, `<div class="areas"`); n != 4 {
		t.Errorf("%d area charts, want 4 (3 files and the total)", n)
	}
	for _, want := range []string{"People by area, all files", "Delivery for: 宮崎県えびの市",
		`<div class="foreign-note">OTHER CUSTOMER: 159 people of 愛知県岡崎市 in a delivery for 宮崎県えびの市</div>`,
		`class="area foreign"`, `style="width: 100%"`} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	// The total adds the files' areas: 愛知県岡崎市 159+2, 宮崎県えびの市 38+6.
	total := page[strings.Index(page, `<section class="area-chart">`):]
	total = total[:strings.Index(total, "</section>")]
	if !regexp.MustCompile(`愛知県岡崎市</span>.*?<span class="area-n">161</span><span class="area-basis">address`).MatchString(total) ||
		!strings.Contains(total, `<span class="area-n">44</span>`) {
		t.Errorf("total chart:\n%s", total)
	}
	// No areas, no chart: the report without lists has none.
	if strings.Contains(writeHTML(t, &Report{}, HTMLOptions{}), `class="areas"`) {
		t.Error("an empty report has an area chart")
	}
}

// TestAreaChartInChromium renders the area charts in headless Chromium:
// the bars are laid out with lengths in proportion to their people, on
// screen and when printed (the page prints to PDF).
func TestAreaChartInChromium(t *testing.T) {
	bin := chromium()
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed, and CI is set")
		}
		t.Skip("chromium not found: skipping the browser test")
	}
	r := customerReport(t)
	r.Localize(Japanese)
	page := writeHTML(t, r, HTMLOptions{Lang: Japanese, FailOn: detectors.High})
	// The test (not the report) measures the laid-out bars with a script.
	probe := `<script>addEventListener("load", function () {
  var out = [];
  document.querySelectorAll(".area-chart .area").forEach(function (a) {
    out.push(a.querySelector(".area-name").textContent + "=" + Math.round(a.querySelector(".area-bar").getBoundingClientRect().width));
  });
  document.body.setAttribute("data-bars", out.join(";"));
});</script>`
	page = strings.Replace(page, "</body>", probe+"</body>", 1)
	dir := t.TempDir()
	path := filepath.Join(dir, "areas.html")
	if err := os.WriteFile(path, []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(name string, extra ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + filepath.Join(dir, "profile-"+name), "--window-size=1200,900"}, extra...)
		cmd := exec.CommandContext(ctx, bin, append(args, "file://"+filepath.ToSlash(path))...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %s: %v\n%s", name, err, lastLines(stderr.String(), 20))
		}
		return stdout.Bytes()
	}
	dom := string(run("dom", "--dump-dom"))
	m := regexp.MustCompile(`data-bars="([^"]*)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the probe did not run:\n%s", lastLines(dom, 5))
	}
	widths := map[string]int{}
	for _, kv := range strings.Split(m[1], ";") {
		k, v, _ := strings.Cut(kv, "=")
		widths[k], _ = strconv.Atoi(v)
	}
	oka, ebi := widths["愛知県岡崎市"], widths["宮崎県えびの市"]
	if oka < 100 || ebi <= 0 || ebi >= oka {
		t.Fatalf("bar widths %v", widths)
	}
	// 161 and 44 people: the bars' ratio within a few pixels.
	if want := oka * 44 / 161; ebi < want-4 || ebi > want+4 {
		t.Errorf("えびの市 bar %dpx, want about %dpx (岡崎市 %dpx)", ebi, want, oka)
	}
	for _, want := range []string{"地域別の人数（全ファイル）", "他の顧客: 宮崎県えびの市向けの納品物に愛知県岡崎市の159人", "納品先: 宮崎県えびの市"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
	pdf := filepath.Join(dir, "areas.pdf")
	run("pdf", "--no-pdf-header-footer", "--print-to-pdf="+pdf)
	b, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF")) || len(b) < 10000 {
		t.Errorf("printing to PDF: %d bytes, %v", len(b), err)
	}
}
