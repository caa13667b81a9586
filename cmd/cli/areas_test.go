package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"

	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/samples"
)

// Made-up people for the area lists: common names, invented street
// numbers and random-looking numbers; no real person.
var (
	areaSurnames = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山口", "松本", "井上"}
	areaGiven    = []string{"花子", "健一", "美咲", "大輔", "陽子", "翔太", "由美", "誠", "恵子", "拓也", "彩", "浩二", "真理", "修"}
)

func areaPerson(i int) string {
	return areaSurnames[i%len(areaSurnames)] + " " + areaGiven[(i*5+i/len(areaSurnames))%len(areaGiven)]
}

// writeEncoded writes lines in enc (nil: UTF-8), with CRLF as Windows
// exports have them.
func writeEncoded(t *testing.T, path string, enc encoding.Encoding, lines []string) {
	t.Helper()
	s := strings.Join(lines, "\r\n") + "\r\n"
	b := []byte(s)
	if enc != nil {
		var err error
		if b, err = enc.NewEncoder().Bytes(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// customerDelivery lays out a delivery for 宮崎県えびの市 with its own
// patrons (UTF-8, by address), another customer's contact list inside
// (愛知県岡崎市, Shift_JIS, by address), a list by postal code only
// (EUC-JP, 名古屋市 and えびの市), one by fixed-line phone only, and one of
// mobile numbers only.
func customerDelivery(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "ebino-ils-2.3")
	writeFile(t, filepath.Join(dir, "README.txt"), "えびの市立図書館向け 図書館システム 2.3 納品物\n")
	own := []string{"利用者番号,氏名,住所,電話番号,書名,返却期限"}
	for i := 0; i < 20; i++ {
		own = append(own, fmt.Sprintf("%06d,%s,宮崎県えびの市大字原田%d番地,0984-%02d-%04d,坊っちゃん,2025-07-%02d", 5000+i, areaPerson(i), 100+i, 33+i%5, 1200+i*37, i%28+1))
	}
	writeEncoded(t, filepath.Join(dir, "data", "entai_ebino.csv"), nil, own)
	other := []string{"氏名,住所,電話番号"}
	for i := 0; i < 30; i++ {
		addr := fmt.Sprintf("愛知県岡崎市十王町%d-%d", i+1, i%9+1)
		if i%10 == 9 {
			addr = fmt.Sprintf("宮崎県えびの市大字栄町%d", 20+i)
		}
		other = append(other, fmt.Sprintf("%s,%s,0564-%02d-%04d", areaPerson(i+40), addr, 21+i%30, 2000+i*29))
	}
	writeEncoded(t, filepath.Join(dir, "setup", "sample", "renrakusaki.csv"), japanese.ShiftJIS, other)
	postal := []string{"利用者番号,氏名,郵便番号,電話番号"}
	for i := 0; i < 12; i++ {
		zip := "889-4300" // えびの市, and a third from 名古屋市
		if i%3 == 0 {
			zip = "460-0008"
		}
		postal = append(postal, fmt.Sprintf("%06d,%s,%s,090-%04d-%04d", 7000+i, areaPerson(i+80), zip, 3100+i*7, 4100+i*11))
	}
	writeEncoded(t, filepath.Join(dir, "data", "yubin.csv"), japanese.EUCJP, postal)
	phone := []string{"利用者番号,氏名,電話番号"}
	for i := 0; i < 10; i++ {
		tel := fmt.Sprintf("0984-%02d-%04d", 22+i, 3300+i*13) // 小林 (宮崎県小林市)
		if i < 3 {
			tel = fmt.Sprintf("0985-%02d-%04d", 22+i, 3300+i*13) // 宮崎 (宮崎県宮崎市)
		}
		phone = append(phone, fmt.Sprintf("%06d,%s,%s", 8000+i, areaPerson(i+120), tel))
	}
	writeEncoded(t, filepath.Join(dir, "data", "denwa.csv"), japanese.ShiftJIS, phone)
	mobile := []string{"利用者番号,氏名,携帯電話"}
	for i := 0; i < 10; i++ {
		mobile = append(mobile, fmt.Sprintf("%06d,%s,080-%04d-%04d", 9000+i, areaPerson(i+160), 5100+i*7, 6100+i*11))
	}
	writeEncoded(t, filepath.Join(dir, "data", "keitai.csv"), nil, mobile)
	return dir
}

func fileByName(r *report.Report, name string) *report.File {
	for i := range r.Files {
		if filepath.Base(r.Files[i].Path) == name {
			return &r.Files[i]
		}
	}
	return nil
}

func areasOf(f *report.File) string {
	var parts []string
	for _, a := range f.Areas {
		parts = append(parts, fmt.Sprintf("%s:%d:%s", a.Area, a.Persons, a.Basis))
	}
	return strings.Join(parts, " ")
}

func TestCustomerDelivery(t *testing.T) {
	t.Setenv("CI", "true")
	dir := customerDelivery(t)

	// Without --customer: areas, and no list is another customer's.
	code, js, stderr := run(t, "scan", "--format", "json", dir)
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if err := report.ValidateJSON([]byte(js), schemaPath(t)); err != nil {
		t.Fatalf("schema: %v", err)
	}
	r := decode(t, js)
	want := map[string]struct{ enc, areas, sev string }{
		"entai_ebino.csv": {"utf-8", "宮崎県えびの市:20:address", "critical"},
		"renrakusaki.csv": {"shift_jis", "愛知県岡崎市:27:address 宮崎県えびの市:3:address", "high"},
		"yubin.csv":       {"euc-jp", "宮崎県えびの市:8:postal 愛知県名古屋市:4:postal", ""},
		"denwa.csv":       {"shift_jis", "宮崎県小林市:7:phone 宮崎県宮崎市:3:phone", ""},
		"keitai.csv":      {"utf-8", "", ""},
	}
	for name, w := range want {
		f := fileByName(r, name)
		if f == nil {
			t.Errorf("%s: not in the report", name)
			continue
		}
		if f.Encoding != w.enc || areasOf(f) != w.areas || f.OtherCustomer || (w.sev != "" && f.Severity.String() != w.sev) {
			t.Errorf("%s: encoding %s, areas %q, other_customer %v, severity %v; want %s, %q, false, %s",
				name, f.Encoding, areasOf(f), f.OtherCustomer, f.Severity, w.enc, w.areas, w.sev)
		}
	}

	// --customer えびの市 (by name and by code, as a flag and in the policy
	// file): the 岡崎市 list is another customer's, critical, in every format.
	cfg := filepath.Join(t.TempDir(), "policy.toml")
	writeFile(t, cfg, "[customer]\nareas = [\"452092\"]\n")
	for _, args := range [][]string{{"--customer", "えびの市"}, {"--customer", "45209"}, {"--config", cfg}} {
		code, js, stderr := run(t, append(append([]string{"scan", "--format", "json"}, args...), dir)...)
		if code != ExitFindings {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if err := report.ValidateJSON([]byte(js), schemaPath(t)); err != nil {
			t.Fatalf("%v: schema: %v", args, err)
		}
		r := decode(t, js)
		for name := range want {
			f := fileByName(r, name)
			if f != nil && f.OtherCustomer != (name == "renrakusaki.csv") {
				t.Errorf("%v: %s other_customer %v", args, name, f.OtherCustomer)
			}
		}
		f := fileByName(r, "renrakusaki.csv")
		if f.Severity.String() != "critical" {
			t.Errorf("%v: the other customer's list is %v, want critical", args, f.Severity)
		}
		if len(r.Customer) != 1 || r.Customer[0] != "宮崎県えびの市" {
			t.Errorf("%v: customer %q", args, r.Customer)
		}
		n := 0
		for _, fd := range r.Findings {
			if fd.Category == report.ForeignCategory {
				n++
				if !strings.HasSuffix(fd.Path, "renrakusaki.csv") || fd.Severity.String() != "critical" ||
					!strings.Contains(fd.Evidence, "27 people of 愛知県岡崎市") {
					t.Errorf("%v: foreign finding %+v", args, fd)
				}
			}
		}
		if n != 1 {
			t.Errorf("%v: %d foreign_residents findings", args, n)
		}
	}
	// --fail-on critical: only the other customer's list and the overdue
	// list fail; without the customer, the contact list would not.
	if code, _, _ := run(t, "scan", "--format", "json", "--fail-on", "critical", "--customer", "えびの市", dir); code != ExitFindings {
		t.Errorf("--fail-on critical with the customer: exit %d", code)
	}
	text := func(args ...string) string {
		_, out, _ := run(t, append(append([]string{"scan", "--customer", "宮崎県えびの市"}, args...), dir)...)
		return out
	}
	en := text("--lang", "en")
	for _, w := range []string{
		"areas: 愛知県岡崎市 27 (address), 宮崎県えびの市 3 (address) — OTHER CUSTOMER: 27 people of 愛知県岡崎市 in a delivery for 宮崎県えびの市",
		"areas: 宮崎県えびの市 20 (address)\n",
		"areas: 宮崎県えびの市 8 (postal code), 愛知県名古屋市 4 (postal code)\n",
		// Phone areas of the customer's prefecture are not foreign: an
		// exchange area spans neighbouring municipalities.
		"areas: 宮崎県小林市 7 (phone area), 宮崎県宮崎市 3 (phone area)\n",
	} {
		if !strings.Contains(en, w) {
			t.Errorf("text report lacks %q:\n%s", w, en)
		}
	}
	ja := text("--lang", "ja")
	if !strings.Contains(ja, "他の顧客: 宮崎県えびの市向けの納品物に愛知県岡崎市の27人") {
		t.Errorf("Japanese text report:\n%s", ja)
	}
	sarif := text("--format", "sarif")
	if !strings.Contains(sarif, `"ruleId":"rouei-areas"`) || !strings.Contains(sarif, "27 people of 愛知県岡崎市") {
		t.Error("SARIF lacks the foreign_residents result")
	}
	html := text("--format", "html", "--lang", "ja")
	for _, w := range []string{"他の顧客: 宮崎県えびの市向けの納品物に愛知県岡崎市の27人", "地域別の人数（全ファイル）", "納品先: 宮崎県えびの市", `class="area foreign"`} {
		if !strings.Contains(html, w) {
			t.Errorf("HTML lacks %q", w)
		}
	}
	// An unknown or ambiguous customer is a usage error.
	for _, bad := range []string{"府中市", "99999", "架空市"} {
		if code, _, stderr := run(t, "scan", "--customer", bad, dir); code != ExitUsage || !strings.Contains(stderr, "customer") {
			t.Errorf("--customer %s: exit %d, %q", bad, code, stderr)
		}
	}
}

// TestCountsAgreeAcrossFormats scans the sample deliverable in all four
// formats: persons, files with findings and files per severity are the
// report model's numbers everywhere (one number, one source).
func TestCountsAgreeAcrossFormats(t *testing.T) {
	t.Setenv("CI", "true")
	root := samples.DeliverableDir()
	out := map[string]string{}
	for _, f := range []string{"json", "text", "sarif", "html"} {
		code, o, stderr := run(t, "scan", "--format", f, "--lang", "en", root)
		if code != ExitFindings {
			t.Fatalf("%s: exit %d: %s", f, code, stderr)
		}
		out[f] = o
	}
	r := decode(t, out["json"])
	persons, files, bySev := r.Summary.Persons, r.Summary.Files, r.Summary.BySeverity
	sum, listed := 0, 0
	for _, f := range r.Files {
		if !f.Dummy {
			sum += f.Persons
		}
		if f.Findings > 0 || f.Severity.String() != "none" {
			listed++
		}
	}
	if persons != sum || files != listed || persons == 0 || files == 0 {
		t.Fatalf("JSON summary: persons %d (files add up to %d), files %d (%d listed)", persons, sum, files, listed)
	}
	g := func(n int) string { return regexp.QuoteMeta(groupThousands(n)) }

	// Text: the verdict line.
	last := strings.TrimSpace(out["text"])
	last = last[strings.LastIndex(last, "\n")+1:]
	wantLine := fmt.Sprintf("FAIL: %d critical, %d high files; %s people affected", bySev["critical"], bySev["high"], groupThousands(persons))
	if last != wantLine {
		t.Errorf("text verdict %q, want %q", last, wantLine)
	}
	// Text: each file's people.
	textPersons := 0
	for _, m := range regexp.MustCompile(`(?m)^\s+[a-z ]+(?:list|registry|record|none|no personal data)?[^,\n]*, ([0-9,]+) (?:people|person),`).FindAllStringSubmatch(out["text"], -1) {
		n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
		textPersons += n
	}
	allPersons := 0
	for _, f := range r.Files {
		allPersons += f.Persons
	}
	if textPersons != allPersons {
		t.Errorf("text files hold %d people, JSON files %d", textPersons, allPersons)
	}

	// SARIF: the run's properties.
	var s struct {
		Runs []struct {
			Properties struct {
				Persons    int            `json:"persons"`
				Files      int            `json:"files"`
				BySeverity map[string]int `json:"by_severity"`
			} `json:"properties"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out["sarif"]), &s); err != nil || len(s.Runs) != 1 {
		t.Fatalf("SARIF: %v", err)
	}
	p := s.Runs[0].Properties
	if p.Persons != persons || p.Files != files || fmt.Sprint(p.BySeverity) != fmt.Sprint(bySev) {
		t.Errorf("SARIF properties %+v, JSON summary persons %d files %d %v", p, persons, files, bySev)
	}

	// HTML: the banner, the tiles and the chart.
	h := out["html"]
	for what, re := range map[string]string{
		"banner":       `<div class="detail">` + fmt.Sprintf("%d critical, %d high files; ", bySev["critical"], bySev["high"]) + g(persons) + ` people affected</div>`,
		"persons tile": `<div class="num">` + g(persons) + `</div><div class="label">People affected</div>`,
		"files tile":   `<div class="num">` + g(files) + `</div><div class="label">`,
	} {
		if !regexp.MustCompile(re).MatchString(h) {
			t.Errorf("HTML %s does not say %s", what, re)
		}
	}
	for _, sev := range []string{"critical", "high", "medium", "low", "info"} {
		re := `(?s)<g class="row-` + sev + `">.*?<text [^>]*>` + g(bySev[sev]) + `</text>`
		if !regexp.MustCompile(re).MatchString(h) {
			t.Errorf("HTML chart: %s is not %d", sev, bySev[sev])
		}
	}
}

// groupThousands writes n as the reports do (1,234).
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestCustomerSweep: shards scanned with one --customer merge into the
// report one process gives; parts scanned for different customers are
// refused.
func TestCustomerSweep(t *testing.T) {
	dir := customerDelivery(t)
	out := t.TempDir()
	scan := func(name string, args ...string) string {
		p := filepath.Join(out, name)
		if code, _, stderr := run(t, append(append([]string{"scan", "--no-progress", "--format", "json", "-o", p}, args...), dir)...); code == ExitUsage {
			t.Fatalf("%s: %s", name, stderr)
		}
		return p
	}
	whole := scan("whole.json", "--customer", "えびの市")
	p1 := scan("p1.json", "--customer", "えびの市", "--shard", "1/2")
	p2 := scan("p2.json", "--customer", "えびの市", "--shard", "2/2")
	q2 := scan("q2.json", "--customer", "岡崎市", "--shard", "2/2")
	code, js, stderr := run(t, "merge", "--format", "json", p1, p2)
	if code != ExitFindings {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	merged := decode(t, js)
	data, err := os.ReadFile(whole)
	if err != nil {
		t.Fatal(err)
	}
	one := decode(t, string(data))
	key := func(r *report.Report) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%q %d %v|", r.Customer, r.Summary.Persons, r.Summary.BySeverity)
		for _, f := range r.Files {
			fmt.Fprintf(&b, "%s %v %v %s|", filepath.Base(f.Path), f.Severity, f.OtherCustomer, areasOf(&f))
		}
		return b.String()
	}
	if key(merged) != key(one) {
		t.Errorf("merged:\n%s\none process:\n%s", key(merged), key(one))
	}
	if code, _, stderr := run(t, "merge", "--format", "json", p1, q2); code != ExitUsage || !strings.Contains(stderr, "different policies") {
		t.Errorf("parts for two customers: exit %d, %s", code, stderr)
	}
}
