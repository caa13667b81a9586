package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rouei/rouei/detectors"
)

// sarifSchema is the OASIS SARIF 2.1.0 schema (errata 01), kept in testdata.
var sarifSchema = filepath.Join("testdata", "sarif-schema-2.1.0.json")

// writeSARIF writes r indented (WriteSARIFPretty), as the golden file
// holds it; TestWriteSARIFCompact checks the compact default.
func writeSARIF(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSARIFPretty(&buf, r); err != nil {
		t.Fatalf("WriteSARIF: %v", err)
	}
	return buf.Bytes()
}

// decodedSARIF is the part of a SARIF log the tests look at.
type decodedSARIF struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID               string                `json:"id"`
					ShortDescription struct{ Text string } `json:"shortDescription"`
					FullDescription  struct{ Text string } `json:"fullDescription"`
					Help             struct{ Text string } `json:"help"`
					Properties       map[string]any        `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level     string
				Message   struct{ Text string }
				Locations []sarifTestLocation
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID              string `json:"ruleId"`
			RuleIndex           int    `json:"ruleIndex"`
			Level               string
			Message             struct{ Text string }
			Locations           []sarifTestLocation
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			BaselineState       string            `json:"baselineState"`
			Properties          map[string]any
		} `json:"results"`
	} `json:"runs"`
}

type sarifTestLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI         string `json:"uri"`
			Description *struct{ Text string }
		} `json:"artifactLocation"`
		Region *struct {
			StartLine  *int   `json:"startLine"`
			ByteOffset *int64 `json:"byteOffset"`
		} `json:"region"`
	} `json:"physicalLocation"`
}

func decodeSARIF(t *testing.T, data []byte) decodedSARIF {
	t.Helper()
	var d decodedSARIF
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("got %d runs, want 1", len(d.Runs))
	}
	return d
}

// oddReport has a binary finding, a finding without a file entry, an
// endpoint error without an error entry, skipped items and paths that
// need escaping.
func oddReport() *Report {
	r := sampleReport()
	r.Files = append(r.Files, File{Path: "dist/bin/ils.exe", Classification: "none", Severity: detectors.Low, Persons: 1, Findings: 1})
	r.Findings = append(r.Findings,
		Finding{Fingerprint: "fp-bin", Path: "dist/bin/ils.exe", Offset: 4096, Detector: "jp-phone", Category: "phone",
			Severity: detectors.Low, Confidence: 0.4, Evidence: "03-****-**11"},
		Finding{Fingerprint: "fp-odd", Path: "dist/my docs/100%#1?.txt", Line: 1, Detector: "x-custom", Category: "credential",
			Severity: detectors.High, Confidence: 0.5, Evidence: "p*****d"},
		Finding{Fingerprint: "fp-ftp", Path: "ftp://127.0.0.1:2121/pub/名簿.csv", Line: 9, Detector: "jp-name", Category: "name",
			Severity: detectors.High, Confidence: 0.9, Evidence: "田＊ ＊＊"},
	)
	r.Endpoints = append(r.Endpoints, Endpoint{Target: "ftp://198.51.100.7:21", Error: "connection refused"})
	r.Skipped = []Skip{{Path: "dist/dev/fifo", Reason: "named pipe"}}
	return r
}

func TestWriteSARIFMatchesSchema(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    func() *Report
	}{
		{"sample", func() *Report { r := sampleReport(); r.Finalize(); return r }},
		{"odd", func() *Report { r := oddReport(); r.Finalize(); return r }},
		{"empty, not finalized", func() *Report { return &Report{} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := writeSARIF(t, tt.r())
			if err := ValidateJSON(data, sarifSchema); err != nil {
				t.Fatalf("SARIF output does not validate: %v", err)
			}
		})
	}
}

func TestSARIFSchemaRejectsBrokenLogs(t *testing.T) {
	// The schema check must be able to fail: a broken log is refused.
	data := writeSARIF(t, sampleReport())
	for name, edit := range map[string]func(string) string{
		"bad level": func(s string) string { return strings.Replace(s, `"level": "error"`, `"level": "fatal"`, 1) },
		"line 0":    func(s string) string { return strings.Replace(s, `"startLine": 2`, `"startLine": 0`, 1) },
		"bad baseline": func(s string) string {
			return strings.Replace(s, `"baselineState": "new"`, `"baselineState": "old"`, 1)
		},
		"no rule id": func(s string) string { return strings.Replace(s, `"id": "jp-phone"`, `"idx": "jp-phone"`, 1) },
		"unknown field": func(s string) string {
			return strings.Replace(s, `"version": "2.1.0"`, `"version": "2.1.0", "extra": 1`, 1)
		},
	} {
		t.Run(name, func(t *testing.T) {
			broken := edit(string(data))
			if broken == string(data) {
				t.Fatal("edit did not apply")
			}
			if err := ValidateJSON([]byte(broken), sarifSchema); err == nil {
				t.Errorf("broken SARIF validated")
			}
		})
	}
}

func TestWriteSARIFGolden(t *testing.T) {
	r := sampleReport()
	r.Finalize()
	golden(t, filepath.Join("testdata", "sample.sarif"), string(writeSARIF(t, r)))
}

func TestWriteSARIFDeterministic(t *testing.T) {
	a := sampleReport()
	a.Finalize()
	// The same report, not finalized (slices out of order): same output.
	b := sampleReport()
	b.Summary = a.Summary
	first := writeSARIF(t, a)
	for i := 0; i < 5; i++ {
		if got := writeSARIF(t, b); !bytes.Equal(got, first) {
			t.Fatalf("run %d: output differs from the finalized report's", i)
		}
	}
	if b.Findings[0].Fingerprint != "fp-test-staff-2" {
		t.Errorf("WriteSARIF reordered the report it was given")
	}
}

func TestWriteSARIFContent(t *testing.T) {
	r := oddReport()
	r.Finalize()
	d := decodeSARIF(t, writeSARIF(t, r))
	if d.Schema != SARIFSchemaURI || d.Version != "2.1.0" {
		t.Errorf("$schema %q version %q", d.Schema, d.Version)
	}
	run := d.Runs[0]
	if run.Tool.Driver.Name != "rouei" || run.Tool.Driver.Version != "0.1.0" {
		t.Errorf("driver %q %q", run.Tool.Driver.Name, run.Tool.Driver.Version)
	}

	// One rule per detector that found something, sorted, with English texts.
	var wantRules []string
	for _, f := range r.Findings {
		if !slices.Contains(wantRules, f.Detector) {
			wantRules = append(wantRules, f.Detector)
		}
	}
	slices.Sort(wantRules)
	var gotRules []string
	for _, rule := range run.Tool.Driver.Rules {
		gotRules = append(gotRules, rule.ID)
		if rule.ShortDescription.Text == "" || rule.FullDescription.Text == "" || len(rule.Help.Text) < 40 {
			t.Errorf("rule %s: missing descriptions", rule.ID)
		}
		if c, _ := rule.Properties["category"].(string); c == "" {
			t.Errorf("rule %s: no category property", rule.ID)
		}
	}
	if !slices.Equal(gotRules, wantRules) {
		t.Errorf("rules %v, want %v", gotRules, wantRules)
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.ID == "jp-phone" && !strings.Contains(rule.ShortDescription.Text, "phone") {
			t.Errorf("jp-phone described as %q", rule.ShortDescription.Text)
		}
		if rule.ID == "x-custom" && rule.Properties["category"] != "credential" {
			t.Errorf("unknown detector's rule has category %v", rule.Properties["category"])
		}
	}

	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(r.Findings))
	}
	levels := map[detectors.Severity]string{
		detectors.Critical: "error", detectors.High: "error", detectors.Medium: "warning",
		detectors.Low: "note", detectors.Info: "note",
	}
	byFP := map[string]int{}
	for i, res := range run.Results {
		fp := res.PartialFingerprints[SARIFFingerprintKey]
		byFP[fp] = i
		var f *Finding
		for j := range r.Findings {
			if r.Findings[j].Fingerprint == fp {
				f = &r.Findings[j]
			}
		}
		if f == nil {
			t.Fatalf("result %d: fingerprint %q matches no finding", i, fp)
		}
		if res.RuleID != f.Detector || gotRules[res.RuleIndex] != f.Detector {
			t.Errorf("%s: ruleId %q index %d, want %q", fp, res.RuleID, res.RuleIndex, f.Detector)
		}
		if res.Level != levels[f.Severity] {
			t.Errorf("%s: level %q for %s", fp, res.Level, f.Severity)
		}
		wantState := "new"
		if f.Baselined {
			wantState = "unchanged"
		}
		if res.BaselineState != wantState {
			t.Errorf("%s: baselineState %q, want %q", fp, res.BaselineState, wantState)
		}
		if res.Properties["severity"] != f.Severity.String() || res.Properties["category"] != f.Category ||
			res.Properties["confidence"] != f.Confidence {
			t.Errorf("%s: properties %v", fp, res.Properties)
		}
		if !strings.Contains(res.Message.Text, f.Evidence) {
			t.Errorf("%s: message %q lacks the masked evidence", fp, res.Message.Text)
		}
		loc := res.Locations[0].PhysicalLocation
		switch {
		case f.Line > 0:
			if loc.Region == nil || loc.Region.StartLine == nil || *loc.Region.StartLine != f.Line {
				t.Errorf("%s: region %+v, want startLine %d", fp, loc.Region, f.Line)
			}
		case f.Offset > 0:
			if loc.Region == nil || loc.Region.ByteOffset == nil || *loc.Region.ByteOffset != f.Offset ||
				loc.Region.StartLine != nil {
				t.Errorf("%s: region %+v, want byteOffset %d only", fp, loc.Region, f.Offset)
			}
		}
	}

	// Results follow the report: worst file first, then line.
	if byFP["fp-test-od-2a"] > byFP["fp-test-od-3"] || byFP["fp-test-od-8"] > byFP["fp-test-staff-1"] {
		t.Errorf("results out of report order: %v", byFP)
	}

	msg := func(fp string) string { return run.Results[byFP[fp]].Message.Text }
	uri := func(fp string) string {
		return run.Results[byFP[fp]].Locations[0].PhysicalLocation.ArtifactLocation.URI
	}
	for fp, want := range map[string]string{
		"fp-test-od-3":    "phone 0564-**-**00 in an overdue list of 159 people",
		"fp-test-staff-1": "phone 090-****-**78 in a file with one person's data (records with name, phone, e-mail)",
		"fp-test-dummy-1": "phone 090-****-**00 in a contact list of 2 people; recognised as dummy/test data",
		"fp-test-od-6":    "birth date 19**-**-** in an overdue list of 159 people",
	} {
		if got := msg(fp); got != want {
			t.Errorf("%s: message %q, want %q", fp, got, want)
		}
	}
	for fp, want := range map[string]string{
		"fp-test-od-2a": "dist/ils-2.3.tar.gz!/setup/sample.zip!/%E7%9D%A3%E4%BF%83/%E5%BB%B6%E6%BB%9E.csv",
		"fp-odd":        "dist/my%20docs/100%25%231%3F.txt",
		"fp-ftp":        "ftp://127.0.0.1:2121/pub/%E5%90%8D%E7%B0%BF.csv",
		"fp-bin":        "dist/bin/ils.exe",
	} {
		if got := uri(fp); got != want {
			t.Errorf("%s: uri %q, want %q", fp, got, want)
		}
	}
	if d := run.Results[byFP["fp-test-od-2a"]].Locations[0].PhysicalLocation.ArtifactLocation.Description; d == nil || d.Text != overdue {
		t.Errorf("escaped URI without the readable path in its description: %+v", d)
	}

	// Errors, the endpoint error without an error entry and the skipped
	// item become notifications.
	inv := run.Invocations[0]
	if !inv.ExecutionSuccessful {
		t.Errorf("executionSuccessful false")
	}
	type note struct{ level, uri string }
	var notes []note
	for _, n := range inv.ToolExecutionNotifications {
		u := ""
		if len(n.Locations) > 0 {
			u = n.Locations[0].PhysicalLocation.ArtifactLocation.URI
		}
		if n.Message.Text == "" {
			t.Errorf("notification for %s without a message", u)
		}
		notes = append(notes, note{n.Level, u})
	}
	want := []note{
		{"warning", "dist/enc.zip"}, {"warning", "ftps://192.0.2.10:21"},
		{"warning", "ftp://198.51.100.7:21"}, {"note", "dist/dev/fifo"},
	}
	if !slices.Equal(notes, want) {
		t.Errorf("notifications %v, want %v", notes, want)
	}
}

func TestSARIFURI(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"dist/data/a.csv", "dist/data/a.csv"},
		{"dist/a.tar.gz!/b.zip!/c d.csv", "dist/a.tar.gz!/b.zip!/c%20d.csv"},
		{"延滞.csv", "%E5%BB%B6%E6%BB%9E.csv"},
		{"ftp://127.0.0.1:2121/pub/a b.csv", "ftp://127.0.0.1:2121/pub/a%20b.csv"},
		{"ftps://[2001:db8::1]:21/x", "ftps://[2001:db8::1]:21/x"},
		{"ftp://127.0.0.1:2121", "ftp://127.0.0.1:2121"},
		{"/srv/dist/a.csv", "file:///srv/dist/a.csv"},
		{`C:\dist\a.csv`, "file:///C:/dist/a.csv"},
		{"a:b/c.csv", "./a:b/c.csv"},
		{"100%.txt", "100%25.txt"},
		{"q?x#y", "q%3Fx%23y"},
		{`back\slash`, "back%5Cslash"},
		{"ctl\x01\x7f", "ctl%01%7F"},
	} {
		if got := sarifURI(tt.in); got != tt.want {
			t.Errorf("sarifURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSARIFLevel(t *testing.T) {
	for s, want := range map[detectors.Severity]string{
		detectors.Critical: "error", detectors.High: "error", detectors.Medium: "warning",
		detectors.Low: "note", detectors.Info: "note", detectors.None: "none",
	} {
		if got := sarifLevel(s); got != want {
			t.Errorf("sarifLevel(%s) = %q, want %q", s, got, want)
		}
	}
}

// Runs of digits as long as a full phone number (10-11 digits, with or
// without hyphens) or a My Number (12).
var fullNumber = regexp.MustCompile(`\d{10,}|\d{2,4}-\d{2,4}-\d{4}`)

func TestWriteSARIFOnlyMaskedEvidence(t *testing.T) {
	r := oddReport()
	r.Finalize()
	out := string(writeSARIF(t, r))
	for i, f := range r.Findings {
		if !strings.Contains(out, f.Evidence) {
			t.Errorf("finding %d: masked evidence missing from the output", i)
		}
	}
	if m := fullNumber.FindAllString(out, -1); len(m) > 0 {
		t.Errorf("output holds %d unmasked number-like runs (first has %d characters)", len(m), len(m[0]))
	}
	// The check itself must catch unmasked numbers.
	for _, s := range []string{"090-1234-5678", "09012345678", "0564-12-3400", "123456789012"} {
		if !fullNumber.MatchString(s) {
			t.Errorf("the unmasked-number pattern misses a %d-character number", len(s))
		}
	}
}

// TestSARIFRuleForEveryCatalogueEntry: every detector a finding can name
// has its own SARIF rule text.
func TestSARIFRuleForEveryCatalogueEntry(t *testing.T) {
	for _, e := range detectors.Catalogue() {
		if _, ok := sarifRuleTexts[e.ID]; !ok {
			if _, ok := sarifCategoryRule[e.Category]; !ok {
				t.Errorf("detector %s (%s) has no SARIF rule text", e.ID, e.Category)
			}
		}
		if e.Description == "" {
			t.Errorf("detector %s has no description in the catalogue", e.ID)
		}
	}
}
