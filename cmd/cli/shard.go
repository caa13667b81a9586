package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/rouei/rouei/report"
)

// A sharded sweep: `rouei scan --shard K/N` scans the K-th of N parts of
// the targets, so that N processes (pods, CI jobs, machines) together
// scan exactly what one would, and `rouei merge` joins their reports.
//
// The partition is a stable hash (FNV-1a, 64 bits) of each unit's key,
// so a unit keeps its part when the list grows:
//   - an FTP target's unit is its host (lower case, without port or
//     path): one host is never probed by two processes, so the
//     politeness limits per host hold across the sweep;
//   - a directory target's units are its top-level entries
//     (target + entry), and the target itself (errors about it as a whole);
//   - a file target is one unit, except when it is the only local
//     target: then an archive's top-level members are the units (each
//     part reads the archive through but scans only its own members).

// maxShards bounds N: a sweep of more parts than this is a typo.
const maxShards = 10000

// sweepFlags are the scan flags of a sharded sweep.
type sweepFlags struct {
	shard    string
	exitZero bool
}

func (s *sweepFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.shard, "shard", "", "scan only part `K/N` of the targets (by host for FTP); rouei merge joins the N reports")
	fs.BoolVar(&s.exitZero, "exit-zero", false, "exit 0 once the report is written, whatever it holds (for the parts of a sweep: rouei merge gives the gate's status)")
}

// parseShard parses "K/N" (1 ≤ K ≤ N). K may be written "I+1", for a
// scheduler's 0-based index where no shell can add one: a Kubernetes
// Indexed Job's args say --shard=$(JOB_COMPLETION_INDEX)+1/8.
func parseShard(s string) (*report.Shard, error) {
	bad := fmt.Errorf("--shard %q: want K/N with 1 ≤ K ≤ N ≤ %d (e.g. 2/8, or I+1/8 for a 0-based index I)", s, maxShards)
	ks, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return nil, bad
	}
	k, err := strconv.Atoi(ks)
	if i, one, plus := strings.Cut(ks, "+"); plus && one == "1" {
		k, err = strconv.Atoi(i)
		if err == nil && k >= 0 {
			k++
		}
	}
	n, err2 := strconv.Atoi(ns)
	if err != nil || err2 != nil || n < 1 || n > maxShards || k < 1 || k > n {
		return nil, bad
	}
	return &report.Shard{Index: k, Count: n}, nil
}

// shardOf is the 1-based part of n that a unit key belongs to.
func shardOf(key string, n int) int {
	h := fnv.New64a()
	h.Write([]byte(key))
	return int(h.Sum64()%uint64(n)) + 1
}

// ftpHost is the host of an FTP target, lower case, or "" when target is
// not an FTP URL.
func ftpHost(target string) string {
	if !isFTPTarget(target) {
		return ""
	}
	u, err := url.Parse(target)
	if err != nil || u.Hostname() == "" {
		return target // unparsable: its own unit (the scan reports it)
	}
	return strings.ToLower(u.Hostname())
}

func isFTPTarget(t string) bool {
	return strings.HasPrefix(t, "ftp://") || strings.HasPrefix(t, "ftps://")
}

// unitKey is the partition key of a local target, or of one of its
// top-level entries.
func unitKey(target, entry string) string {
	key := "path\x00" + filepath.ToSlash(filepath.Clean(target))
	if entry != "" {
		key += "\x00" + entry
	}
	return key
}

// plan is how a sweep's targets are divided.
type plan struct {
	shard *report.Shard
	split map[string]bool // local targets divided by their top-level entries
}

// newPlan decides which targets are divided by entry.
func newPlan(shard *report.Shard, targets []string) *plan {
	p := &plan{shard: shard, split: map[string]bool{}}
	var local []string
	for _, t := range targets {
		if !isFTPTarget(t) {
			local = append(local, t)
		}
	}
	for _, t := range local {
		fi, err := os.Stat(t)
		switch {
		case err != nil:
		case fi.IsDir():
			p.split[t] = true
		case fi.Mode().IsRegular() && len(local) == 1:
			p.split[t] = true
		}
	}
	return p
}

// owns reports whether this part scans the whole target t (a unit) or
// a share of its entries (a divided target).
func (p *plan) owns(t string) bool {
	if h := ftpHost(t); h != "" {
		return shardOf("ftp\x00"+h, p.shard.Count) == p.shard.Index
	}
	return p.split[t] || shardOf(unitKey(t, ""), p.shard.Count) == p.shard.Index
}

// targets are the targets this part scans, in the sweep's order.
func (p *plan) targets(all []string) []string {
	var out []string
	for _, t := range all {
		if p.owns(t) {
			out = append(out, t)
		}
	}
	return out
}

// part is engine.Options.Part: which entries of a divided target belong
// here (every entry of an undivided one does: the whole target is ours).
func (p *plan) part(target, entry string) bool {
	if !p.split[target] {
		return true
	}
	return shardOf(unitKey(target, entry), p.shard.Count) == p.shard.Index
}

// endpointRank maps the i-th endpoint of shard s back to its target's
// place in the whole list (endpoints follow their FTP targets 1:1).
func endpointRank(targets []string) func(s *report.Shard, i int) int {
	byShard := map[report.Shard][]int{}
	return func(s *report.Shard, i int) int {
		list, ok := byShard[*s]
		if !ok {
			for pos, t := range targets {
				if h := ftpHost(t); h != "" && shardOf("ftp\x00"+h, s.Count) == s.Index {
					list = append(list, pos)
				}
			}
			byShard[*s] = list
		}
		if i < len(list) {
			return list[i]
		}
		return len(targets) + i
	}
}

// setupSweep checks --shard and plans this part of the sweep.
func (j *scanJob) setupSweep() error {
	if j.f.sweep.shard == "" {
		return nil
	}
	s, err := parseShard(j.f.sweep.shard)
	if err != nil {
		return err
	}
	j.plan = newPlan(s, j.targets)
	j.opt.Part = j.plan.part
	// A part's report goes to a directory of a shared volume that no shell
	// made beforehand (containers have none): make it.
	if o := j.f.output; o != "" {
		if err := os.MkdirAll(filepath.Dir(o), 0o700); err != nil {
			return fmt.Errorf("--output: %w", err)
		}
	}
	return nil
}

// scanTargets are the targets this process scans: all of them, or this
// part's share.
func (j *scanJob) scanTargets() []string {
	if j.plan == nil {
		return j.targets
	}
	return j.plan.targets(j.targets)
}

// markShard records the part in the report: the whole sweep's targets,
// and the shard.
func (j *scanJob) markShard(r *report.Report) {
	if j.plan == nil || r == nil {
		return
	}
	r.Targets = slices.Clone(j.targets)
	r.Shard = &report.Shard{Index: j.plan.shard.Index, Count: j.plan.shard.Count}
}

// sealShard records the digest of what shaped the report, so that merge
// refuses parts scanned under different settings.
func (j *scanJob) sealShard(r *report.Report, baseline map[string]bool, lang report.Lang) {
	if j.plan == nil || r == nil {
		return
	}
	r.PolicyDigest = j.policyDigest(baseline, lang)
}

// policyDigest is the SHA-256 of the settings that change a report's
// content: the policy file's keys (not fail_on, which only changes the
// exit status: merge takes it as a flag), the language files[].reasons
// are written in, the allow-list key (as a keyed hash, never in clear),
// the content flags and the baseline's fingerprints.
func (j *scanJob) policyDigest(baseline map[string]bool, lang report.Lang) string {
	var pol policy
	key := ""
	if j.pol != nil {
		pol = *j.pol
		if len(pol.Allow.Values) > 0 {
			key = valueHash(pol.hashKey(), "rouei", "policy-digest")
		}
	}
	pol.FailOn, pol.Lang, pol.Allow.HashKey = "", "", ""
	fps := make([]string, 0, len(baseline))
	for fp := range baseline {
		fps = append(fps, fp)
	}
	slices.Sort(fps)
	material := struct {
		Policy         policy
		Lang           report.Lang
		AllowKey       string
		Reveal         bool
		MaxFindings    int
		FTPWriteCheck  bool
		FTPInsecureTLS bool
		Baseline       []string
		Customer       []string
	}{pol, lang, key, j.f.reveal, j.f.maxFindings, j.f.ftpWriteCheck, j.f.ftpInsecureTLS, fps, j.customer.Labels()}
	b, err := json.Marshal(material)
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// keepHistory is keepHistory for one part: its history is kept
// under the whole targets list and the shard, so two parts never compare
// with each other even when they share a state file.
func (j *scanJob) keepHistory(path string, r *report.Report) error {
	if j.plan == nil {
		return keepHistory(path, r)
	}
	hr := *r
	hr.Targets = append(slices.Clone(r.Targets), fmt.Sprintf("#shard %d/%d", j.plan.shard.Index, j.plan.shard.Count))
	if err := keepHistory(path, &hr); err != nil {
		return err
	}
	r.Changes = hr.Changes
	return nil
}
