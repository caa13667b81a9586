package report

import (
	"cmp"
	"slices"

	"github.com/rouei/rouei/detectors"
)

// severityKeys are the by_severity keys that Finalize always fills in.
var severityKeys = []detectors.Severity{
	detectors.Critical, detectors.High, detectors.Medium, detectors.Low, detectors.Info,
}

// Finalize makes r consistent before it is written: nil slices become empty
// (the schema requires arrays), files are sorted worst first (severity,
// then persons, both descending, then path), findings follow the order of
// their file (then line, detector and fingerprint), errors and skipped
// items are sorted by path (stably: one path's entries keep their order,
// while FTP hosts answering in parallel do not make the order vary from
// run to run, and a merged sharded sweep lists them as one process does),
// and the summary is
// recomputed from the files and findings. Spooled findings (r.Spool) are
// not sorted here: they are read back in this order (EachFinding). Schema and Tool.Name get their
// contract values when empty, and Stats.Errors is raised to len(Errors).
func (r *Report) Finalize() {
	if r.Schema == "" {
		r.Schema = SchemaV1
	}
	if r.Tool.Name == "" {
		r.Tool.Name = "rouei"
	}
	r.fillNil()

	slices.SortStableFunc(r.Files, compareFiles)

	order := make(map[string]int, len(r.Files))
	for i, f := range r.Files {
		if _, ok := order[f.Path]; !ok {
			order[f.Path] = i
		}
	}
	pos := func(p string) int {
		if i, ok := order[p]; ok {
			return i
		}
		return len(r.Files)
	}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		if c := cmp.Compare(pos(a.Path), pos(b.Path)); c != 0 {
			return c
		}
		return compareFindings(a, b)
	})

	byPath := func(a, b string) int { return cmp.Compare(a, b) }
	slices.SortStableFunc(r.Errors, func(a, b Error) int { return byPath(a.Path, b.Path) })
	slices.SortStableFunc(r.Skipped, func(a, b Skip) int { return byPath(a.Path, b.Path) })

	sum := Summary{BySeverity: make(map[string]int, len(severityKeys))}
	for _, s := range severityKeys {
		sum.BySeverity[s.String()] = 0
	}
	for _, f := range r.Files {
		if f.Severity >= detectors.Info && f.Severity <= detectors.Critical {
			sum.BySeverity[f.Severity.String()]++
		}
		if f.Findings > 0 || f.Severity > detectors.None {
			sum.Files++
		}
		if !f.Dummy { // test people are no one (README: What persons counts)
			sum.Persons += f.Persons
		}
		sum.MaxSeverity = max(sum.MaxSeverity, f.Severity)
	}
	for _, f := range r.Findings {
		sum.MaxSeverity = max(sum.MaxSeverity, f.Severity)
	}
	if r.Spool != nil {
		// spooled findings are read back in this order by the writers
		r.Spool.mu.Lock()
		sum.MaxSeverity = max(sum.MaxSeverity, r.Spool.maxSev)
		r.Spool.mu.Unlock()
	}
	r.Summary = sum

	r.Stats.Errors = max(r.Stats.Errors, len(r.Errors))
}

// fillNil replaces the nil slices and map that the schema requires to be
// arrays and an object.
func (r *Report) fillNil() {
	if r.Targets == nil {
		r.Targets = []string{}
	}
	if r.Endpoints == nil {
		r.Endpoints = []Endpoint{}
	}
	if r.Files == nil {
		r.Files = []File{}
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Errors == nil {
		r.Errors = []Error{}
	}
	if r.Summary.BySeverity == nil {
		r.Summary.BySeverity = make(map[string]int, len(severityKeys))
		for _, s := range severityKeys {
			r.Summary.BySeverity[s.String()] = 0
		}
	}
}

// compareFiles orders files worst first.
func compareFiles(a, b File) int {
	if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Persons, a.Persons); c != 0 {
		return c
	}
	return cmp.Compare(a.Path, b.Path)
}

// compareFindings orders findings by path, line, detector and fingerprint.
func compareFindings(a, b Finding) int {
	if c := cmp.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Detector, b.Detector); c != 0 {
		return c
	}
	return cmp.Compare(a.Fingerprint, b.Fingerprint)
}
