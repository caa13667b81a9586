package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// schemaPath is the shared contract's JSON schema, beside the module.
var schemaPath = filepath.Join("..", "..", "shared", "report.schema.json")

func needSchema(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(schemaPath); err != nil {
		abs, _ := filepath.Abs(schemaPath)
		t.Fatalf("the contract's JSON schema is missing: expected it at %s (../../shared/report.schema.json "+
			"relative to the report package, i.e. /work/shared beside the module): %v", abs, err)
	}
}

// writeJSON writes r indented (WriteJSONPretty), which the tests below
// search for "key": value pairs; TestWriteJSONCompact checks that the
// default compact form holds the same bytes less the indentation.
func writeJSON(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSONPretty(&buf, r); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	return buf.Bytes()
}

func TestWriteJSONMatchesSchema(t *testing.T) {
	needSchema(t)
	r := sampleReport()
	r.Finalize()
	data := writeJSON(t, r)
	if err := ValidateJSON(data, schemaPath); err != nil {
		t.Fatalf("sample report does not validate: %v", err)
	}
}

func TestWriteJSONEmptyReportMatchesSchema(t *testing.T) {
	needSchema(t)
	// Not even finalized: WriteJSON alone must still write arrays, not null.
	r := &Report{Schema: SchemaV1, Tool: Tool{Name: "rouei", Version: "0.1.0"}}
	data := writeJSON(t, r)
	if err := ValidateJSON(data, schemaPath); err != nil {
		t.Fatalf("empty report does not validate: %v\n%s", err, data)
	}
	if r.Files != nil || r.Summary.BySeverity != nil {
		t.Errorf("WriteJSON modified the report it was given")
	}
}

func TestWriteJSONFormat(t *testing.T) {
	r := sampleReport()
	r.Files[0].Reason = "a & b <c>"
	r.Finalize()
	data := writeJSON(t, r)
	s := string(data)
	if !strings.HasSuffix(s, "}\n") {
		t.Errorf("output does not end with a newline after the object")
	}
	if !strings.Contains(s, "\n  \"tool\": {\n    \"name\": \"rouei\",") {
		t.Errorf("output is not indented with two spaces:\n%.200s", s)
	}
	for _, want := range []string{
		`"path": "` + overdue + `"`, // "!/" and Japanese unescaped
		`"a & b <c>"`,               // no HTML escaping
		`"started_at": "2026-11-23T10:00:00Z"`,
		`"finished_at": "2026-11-23T10:00:03.24Z"`,
		`"severity": "critical"`,
		`"anonymous_write": null`,
		`"evidence": "090-****-**78"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %s", want)
		}
	}

	// It decodes back into the same report.
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("decoding the output: %v", err)
	}
	if !back.StartedAt.Equal(r.StartedAt) || back.StartedAt.Location() != time.UTC {
		t.Errorf("started_at = %v, want %v in UTC", back.StartedAt, r.StartedAt)
	}
	if len(back.Files) != len(r.Files) || back.Files[0].Path != r.Files[0].Path ||
		len(back.Findings) != len(r.Findings) || back.Findings[0] != r.Findings[0] ||
		back.Summary.MaxSeverity != r.Summary.MaxSeverity {
		t.Errorf("round trip lost data")
	}
	if r.StartedAt.Location() != jst {
		t.Errorf("WriteJSON changed the caller's time zone")
	}
}

// The validation itself must be able to fail, or the tests above prove nothing.
func TestValidateJSONRejectsBrokenReports(t *testing.T) {
	needSchema(t)
	r := sampleReport()
	r.Finalize()
	good := writeJSON(t, r)
	if err := ValidateJSON(good, schemaPath); err != nil {
		t.Fatalf("baseline report does not validate: %v", err)
	}

	bogus := sampleReport()
	bogus.Files[0].Classification = "bogus"
	bogus.Finalize()
	if err := ValidateJSON(writeJSON(t, bogus), schemaPath); err == nil {
		t.Errorf("a report with classification \"bogus\" validated")
	} else if !strings.Contains(err.Error(), "classification") && !strings.Contains(err.Error(), "bogus") {
		t.Errorf("error does not point at the classification: %v", err)
	}

	edits := []struct{ name, from, to string }{
		{"date-time format", `"started_at": "2026-11-23T10:00:00Z"`, `"started_at": "yesterday"`},
		{"missing required", `"schema": "rouei.report/v1",`, ``},
		{"wrong schema id", `"rouei.report/v1"`, `"rouei.report/v2"`},
		{"null array", `"targets": [`, `"targets": null, "x": [`},
		{"confidence above 1", `"confidence": 0.97`, `"confidence": 97`},
	}
	for _, e := range edits {
		if !bytes.Contains(good, []byte(e.from)) {
			t.Fatalf("%s: output lacks %s", e.name, e.from)
		}
		bad := bytes.Replace(good, []byte(e.from), []byte(e.to), 1)
		if err := ValidateJSON(bad, schemaPath); err == nil {
			t.Errorf("%s: broken report validated", e.name)
		}
	}
	if err := ValidateJSON([]byte(`{"schema":`), schemaPath); err == nil {
		t.Errorf("truncated JSON validated")
	}
}

func TestValidateJSONMissingSchema(t *testing.T) {
	err := ValidateJSON([]byte(`{}`), filepath.Join(t.TempDir(), "nope.json"))
	if err == nil || !strings.HasPrefix(err.Error(), "report: ") {
		t.Errorf("ValidateJSON with a missing schema = %v, want a report: error", err)
	}
}

// TestJSONGolden pins the JSON report of the sample report byte for byte
// (go test ./report -update rewrites testdata/sample.json).
func TestJSONGolden(t *testing.T) {
	r := sampleReport()
	r.Finalize()
	var b strings.Builder
	if err := WriteJSONPretty(&b, r); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "sample.json"), b.String())
}
