package report

import (
	"testing"

	"github.com/rouei/rouei/detectors"
)

func TestVerdict(t *testing.T) {
	const (
		crit = detectors.Critical
		high = detectors.High
		med  = detectors.Medium
	)
	tests := []struct {
		name   string
		r      Report
		failOn detectors.Severity
		want   Verdict
	}{
		{"empty", Report{}, high, Pass},
		{"finding above", Report{
			Files:    []File{{Path: "a", Severity: crit}},
			Findings: []Finding{{Path: "a", Severity: crit}},
		}, high, Fail},
		{"finding at threshold", Report{
			Findings: []Finding{{Path: "a", Severity: high}},
		}, high, Fail},
		{"finding below", Report{
			Files:    []File{{Path: "a", Severity: med}},
			Findings: []Finding{{Path: "a", Severity: med}},
		}, high, Pass},
		{"below but lower threshold", Report{
			Files:    []File{{Path: "a", Severity: med}},
			Findings: []Finding{{Path: "a", Severity: med}},
		}, detectors.Low, Fail},
		{"baselined finding ignored", Report{
			Files:    []File{{Path: "a", Severity: crit}},
			Findings: []Finding{{Path: "a", Severity: crit, Baselined: true}},
		}, high, Pass},
		{"baselined and one live finding", Report{
			Files: []File{{Path: "a", Severity: crit}},
			Findings: []Finding{
				{Path: "a", Severity: crit, Baselined: true},
				{Path: "a", Severity: crit, Fingerprint: "x"},
			},
		}, high, Fail},
		{"file without listed findings", Report{
			Files: []File{{Path: "a", Severity: high, Findings: 12}},
		}, high, Fail},
		{"file without findings below", Report{
			Files: []File{{Path: "a", Severity: med, Findings: 12}},
		}, high, Pass},
		{"file severity not enough when its findings are below", Report{
			Files:    []File{{Path: "a", Severity: crit}},
			Findings: []Finding{{Path: "a", Severity: med}},
		}, high, Pass},
		{"never", Report{
			Files:    []File{{Path: "a", Severity: crit}},
			Findings: []Finding{{Path: "a", Severity: crit}},
		}, detectors.None, Pass},
		{"never with errors", Report{
			Findings: []Finding{{Path: "a", Severity: crit}},
			Errors:   []Error{{Path: "b.zip", Error: "encrypted"}},
		}, detectors.None, Incomplete},
		{"errors only", Report{
			Errors: []Error{{Path: "b.zip", Error: "encrypted"}},
		}, high, Incomplete},
		{"stats errors only", Report{Stats: Stats{Errors: 1}}, high, Incomplete},
		{"endpoint error only", Report{
			Endpoints: []Endpoint{{Target: "ftp://h:21", Error: "refused"}},
		}, high, Incomplete},
		{"fail beats incomplete", Report{
			Findings: []Finding{{Path: "a", Severity: crit}},
			Errors:   []Error{{Path: "b.zip", Error: "encrypted"}},
		}, high, Fail},
		{"sample", *sampleReport(), high, Fail},
		{"sample at never", *sampleReport(), detectors.None, Incomplete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Verdict(tt.failOn); got != tt.want {
				t.Errorf("Verdict(%v) = %v, want %v", tt.failOn, got, tt.want)
			}
		})
	}
}

func TestIncompleteCount(t *testing.T) {
	r := sampleReport()
	// Two errors; the unreachable endpoint already has an entry in Errors.
	if got := r.IncompleteCount(); got != 2 {
		t.Errorf("IncompleteCount = %d, want 2", got)
	}
	r.Endpoints = append(r.Endpoints, Endpoint{Target: "ftp://other:21", Error: "530 Login incorrect."})
	if got := r.IncompleteCount(); got != 3 {
		t.Errorf("IncompleteCount with an extra failed endpoint = %d, want 3", got)
	}
}

func TestVerdictString(t *testing.T) {
	for v, want := range map[Verdict]string{Pass: "pass", Fail: "fail", Incomplete: "incomplete"} {
		if v.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(v), v.String(), want)
		}
	}
}
