package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// MergeInput is one part of a sharded sweep (a report of scan --shard)
// and the name it was read from, for messages.
type MergeInput struct {
	Name   string
	Report *Report
}

// MergeError lists why reports cannot be merged, one problem a line.
type MergeError struct{ Problems []string }

func (e *MergeError) Error() string {
	return "cannot merge: " + strings.Join(e.Problems, "; ")
}

// MergeOptions tune Merge.
type MergeOptions struct {
	// EndpointRank, when set, gives the place of shard's i-th endpoint in
	// the whole sweep's targets list, so that endpoints come in the
	// order one process lists them (the targets' order). nil: shard order.
	EndpointRank func(shard *Shard, i int) int
}

// Merge joins the reports of the N parts of a sharded sweep into the
// report one process scanning all the targets gives: the same files,
// findings, endpoints, errors, skipped items, counts and summary; only
// started_at and finished_at (the earliest start, the latest finish)
// and changes.since (the latest) are timing. It refuses, with a
// *MergeError naming the reports, parts of different sweeps: other
// schemas, tool versions, targets lists, policies (PolicyDigest) or shard
// counts, a part given twice or missing, or a report that is not a part.
// Changes (--state per shard) are joined when every part has them.
func Merge(in []MergeInput, opt MergeOptions) (*Report, error) {
	if err := checkParts(in); err != nil {
		return nil, err
	}
	parts := slices.Clone(in)
	slices.SortFunc(parts, func(a, b MergeInput) int { return cmp.Compare(a.Report.Shard.Index, b.Report.Shard.Index) })
	first := parts[0].Report
	m := &Report{
		Schema:     first.Schema,
		Tool:       first.Tool,
		StartedAt:  first.StartedAt,
		FinishedAt: first.FinishedAt,
		Targets:    slices.Clone(first.Targets),
		Customer:   slices.Clone(first.Customer), // one policy: the same in every part
	}
	type rankedEndpoint struct {
		rank int
		ep   Endpoint
	}
	var eps []rankedEndpoint
	withChanges := first.Changes != nil
	if withChanges {
		m.Changes = &Changes{New: []Change{}, Still: []Change{}, Resolved: []Change{}}
	}
	for _, p := range parts {
		r := p.Report
		if r.StartedAt.Before(m.StartedAt) {
			m.StartedAt = r.StartedAt
		}
		if r.FinishedAt.After(m.FinishedAt) {
			m.FinishedAt = r.FinishedAt
		}
		m.Stats.Files += r.Stats.Files
		m.Stats.Bytes += r.Stats.Bytes
		m.Stats.Archives += r.Stats.Archives
		m.Stats.Skipped += r.Stats.Skipped
		m.Stats.Errors += r.Stats.Errors
		if r.Complete != nil && !*r.Complete {
			// One interrupted part makes the whole incomplete.
			incomplete := false
			m.Complete = &incomplete
		}
		for i, e := range r.Endpoints {
			rank := len(eps)
			if opt.EndpointRank != nil {
				rank = opt.EndpointRank(r.Shard, i)
			}
			eps = append(eps, rankedEndpoint{rank, e})
		}
		m.Files = append(m.Files, r.Files...)
		m.Findings = append(m.Findings, r.Findings...)
		m.Errors = append(m.Errors, r.Errors...)
		m.Skipped = append(m.Skipped, r.Skipped...)
		if withChanges {
			if r.Changes.Since.After(m.Changes.Since) {
				m.Changes.Since = r.Changes.Since
			}
			m.Changes.New = append(m.Changes.New, r.Changes.New...)
			m.Changes.Still = append(m.Changes.Still, r.Changes.Still...)
			m.Changes.Resolved = append(m.Changes.Resolved, r.Changes.Resolved...)
		}
	}
	slices.SortStableFunc(eps, func(a, b rankedEndpoint) int { return cmp.Compare(a.rank, b.rank) })
	for _, e := range eps {
		m.Endpoints = append(m.Endpoints, e.ep)
	}
	m.Finalize()
	if withChanges {
		orderChanges(m)
	}
	return m, nil
}

// checkParts says why in are not the parts of one sweep, or nil.
func checkParts(in []MergeInput) error {
	if len(in) == 0 {
		return &MergeError{[]string{"no reports given"}}
	}
	var problems []string
	add := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	var ref *MergeInput
	for i := range in {
		p := &in[i]
		if p.Report.Shard == nil {
			add("%s is not a part of a sharded sweep (no shard: it was not written by scan --shard K/N)", p.Name)
			continue
		}
		if ref == nil {
			ref = p
		}
	}
	if ref == nil {
		return &MergeError{problems}
	}
	a := ref.Report
	for i := range in {
		p := &in[i]
		b := p.Report
		if p == ref || b.Shard == nil {
			continue
		}
		if b.Schema != a.Schema {
			add("%s has schema %q, %s has %q", ref.Name, a.Schema, p.Name, b.Schema)
		}
		if b.Tool != a.Tool {
			add("%s was written by %s %s, %s by %s %s", ref.Name, a.Tool.Name, a.Tool.Version, p.Name, b.Tool.Name, b.Tool.Version)
		}
		if d := diffTargets(a.Targets, b.Targets); d != "" {
			add("%s and %s scanned different targets lists (%s)", ref.Name, p.Name, d)
		}
		if b.PolicyDigest != a.PolicyDigest {
			add("%s and %s were scanned under different policies (policy_digest %s vs %s: policy file, baseline, --reveal, --max-findings-per-file or FTP flags differ)",
				ref.Name, p.Name, orNone(a.PolicyDigest), orNone(b.PolicyDigest))
		}
		if b.Shard.Count != a.Shard.Count {
			add("%s is shard %d/%d, %s is shard %d/%d: different shard counts", ref.Name, a.Shard.Index, a.Shard.Count, p.Name, b.Shard.Index, b.Shard.Count)
		}
		if (a.Changes == nil) != (b.Changes == nil) {
			with, without := ref.Name, p.Name
			if a.Changes == nil {
				with, without = p.Name, ref.Name
			}
			add("%s has changes (scanned with --state), %s has none: give every shard its --state, or none and use merge --state", with, without)
		}
	}
	if a.Schema != SchemaV1 {
		add("%s has schema %q; this rouei merges %q", ref.Name, a.Schema, SchemaV1)
	}
	n := a.Shard.Count
	seen := map[int][]string{}
	for _, p := range in {
		s := p.Report.Shard
		if s == nil || s.Count != n {
			continue
		}
		if s.Index < 1 || s.Index > n {
			add("%s claims shard %d/%d, outside 1..%d", p.Name, s.Index, n, n)
			continue
		}
		seen[s.Index] = append(seen[s.Index], p.Name)
	}
	var missing []string
	for k := 1; k <= n; k++ {
		switch names := seen[k]; {
		case len(names) == 0:
			missing = append(missing, fmt.Sprintf("%d/%d", k, n))
		case len(names) > 1:
			add("shard %d/%d is given more than once (%s): the parts overlap", k, n, strings.Join(names, ", "))
		}
	}
	if len(missing) > 0 {
		add("missing shard(s) %s of the sweep", strings.Join(missing, ", "))
	}
	if len(problems) > 0 {
		return &MergeError{problems}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// diffTargets describes how two targets lists differ, or "".
func diffTargets(a, b []string) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("target #%d is %q in one and %q in the other", i+1, a[i], b[i])
		}
	}
	if len(a) != len(b) {
		return fmt.Sprintf("%d targets against %d", len(a), len(b))
	}
	return ""
}

// orderChanges puts joined changes in the order of one process's history:
// new and still exposures in report order (files as sorted, then
// endpoints), resolved ones worst first, then by path.
func orderChanges(r *Report) {
	pos := map[string]int{}
	for i, f := range r.Files {
		if _, ok := pos["file\x00"+f.Path]; !ok {
			pos["file\x00"+f.Path] = i
		}
	}
	for i, e := range r.Endpoints {
		if _, ok := pos["endpoint\x00"+e.Target]; !ok {
			pos["endpoint\x00"+e.Target] = len(r.Files) + i
		}
	}
	rank := func(c Change) int {
		if i, ok := pos[c.Kind+"\x00"+c.Path]; ok {
			return i
		}
		return len(pos)
	}
	byReport := func(a, b Change) int { return cmp.Compare(rank(a), rank(b)) }
	slices.SortStableFunc(r.Changes.New, byReport)
	slices.SortStableFunc(r.Changes.Still, byReport)
	slices.SortStableFunc(r.Changes.Resolved, func(a, b Change) int {
		if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
			return c
		}
		return cmp.Compare(a.Path, b.Path)
	})
}
