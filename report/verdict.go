package report

import "github.com/rouei/rouei/detectors"

// Verdict is the outcome of a scan for a CI gate.
type Verdict int

// Verdicts. The CLI maps them to the exit statuses 0, 1 and 3.
const (
	// Pass: nothing at or above the fail-on severity, and everything was read.
	Pass Verdict = iota
	// Fail: at least one non-baselined finding (or file) at or above fail-on.
	Fail
	// Incomplete: nothing failed, but something could not be scanned completely.
	Incomplete
)

// String returns "pass", "fail" or "incomplete".
func (v Verdict) String() string {
	switch v {
	case Pass:
		return "pass"
	case Fail:
		return "fail"
	case Incomplete:
		return "incomplete"
	}
	return "verdict(?)"
}

// Verdict decides the gate outcome for the fail-on severity failOn
// (detectors.None means "never fail").
//
// Fail when any non-baselined finding is at or above failOn, or when a file
// with no findings listed in r.Findings has a severity at or above failOn
// (a file whose findings are all baselined never fails). Otherwise
// Incomplete when something could not be scanned completely (see
// IncompleteCount), otherwise Pass.
func (r *Report) Verdict(failOn detectors.Severity) Verdict {
	if r.failing(failOn).fail {
		return Fail
	}
	if r.IncompleteCount() > 0 {
		return Incomplete
	}
	return Pass
}

// IncompleteCount is how many things could not be scanned completely: the
// larger of len(Errors) and Stats.Errors, plus the FTP endpoints that
// report an error and have no entry of their own in Errors.
func (r *Report) IncompleteCount() int {
	n := max(len(r.Errors), r.Stats.Errors)
	var paths map[string]bool
	for _, e := range r.Endpoints {
		if e.Error == "" {
			continue
		}
		if paths == nil {
			paths = make(map[string]bool, len(r.Errors))
			for _, x := range r.Errors {
				paths[x.Path] = true
			}
		}
		if !paths[e.Target] {
			n++
		}
	}
	return n
}

// failure explains a Fail verdict.
type failure struct {
	fail      bool
	bySev     map[detectors.Severity]int // failing files by effective severity
	files     int                        // failing files
	persons   int                        // persons in the failing files
	baselined int                        // baselined findings (ignored)
}

func (r *Report) failing(failOn detectors.Severity) failure {
	out := failure{bySev: map[detectors.Severity]int{}}
	listed := make(map[string]bool, len(r.Files))
	worst := make(map[string]detectors.Severity) // path -> worst failing finding
	// A spool that cannot be read back fails the gate rather than pass
	// what it holds; the writers report the error itself.
	if err := r.eachFindingAnyOrder(func(f *Finding) error {
		listed[f.Path] = true
		if f.Baselined {
			out.baselined++
			return nil
		}
		if failOn > detectors.None && f.Severity >= failOn {
			worst[f.Path] = max(worst[f.Path], f.Severity)
		}
		return nil
	}); err != nil && failOn > detectors.None {
		out.fail = true
	}
	if failOn <= detectors.None {
		return out
	}
	inFiles := make(map[string]bool, len(r.Files))
	for _, f := range r.Files {
		inFiles[f.Path] = true
		sev, ok := worst[f.Path]
		if !ok && (listed[f.Path] || f.Severity < failOn) {
			continue
		}
		out.fail = true
		out.files++
		out.persons += f.Persons
		out.bySev[max(sev, f.Severity)]++
	}
	// Failing findings of a path missing from Files count as one file each.
	for p, sev := range worst {
		if !inFiles[p] {
			out.fail = true
			out.files++
			out.bySev[sev]++
		}
	}
	return out
}
