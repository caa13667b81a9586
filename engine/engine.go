// Package engine runs a scan: it asks the scanners for items, decodes
// each item's bytes, runs the detectors over the text, judges each file
// and assembles the report. Data flows one way:
// target → items → text → findings → file verdicts → report.
package engine

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"sync"
	"time"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/ftp"
)

// Version is rouei's version, reported in tool.version.
const Version = "0.1.0"

// Defaults for Options.
const (
	DefaultChunkSize          = 1 << 20
	DefaultMaxFindingsPerFile = 1000
)

// Progress is told how the scan advances. Implementations must be safe
// for concurrent use. It never sees any content or path.
type Progress interface {
	// Start is called once the targets are enumerated.
	Start(files int, bytes int64)
	// Done is called after each item with the bytes it had.
	Done(bytes int64)
}

// Options configure a scan. The zero value is usable.
type Options struct {
	Detectors          []detectors.Detector // nil: detectors.All()
	Reveal             bool                 // put unmasked values into evidence
	Workers            int                  // files scanned at once; 0: GOMAXPROCS
	ChunkSize          int                  // decoded text handed to detectors at once; 0: DefaultChunkSize
	MaxFindingsPerFile int                  // findings listed per file (all are counted); 0: DefaultMaxFindingsPerFile
	Progress           Progress             // may be nil
	Now                func() time.Time     // clock; nil: time.Now
	Limits             scanners.Limits      // what opening containers may cost; zero fields: scanners.DefaultLimits
	// Containers tells which opener reads a file whose first bytes are
	// head (nil: not a container); nil: DefaultContainers.
	Containers func(name string, head []byte) scanners.Opener

	// AllowPath, when set, says a path within a target (Item.Rel) is
	// allow-listed by policy: it is not scanned and is noted in skipped[].
	AllowPath func(rel string) bool
	// AllowValue, when set, says a found value is allow-listed by policy
	// (the library's own number): it is neither reported nor counted.
	AllowValue func(category, value string) bool

	// FTP are the options for ftp:// and ftps:// targets (zero fields:
	// the ftp package's polite defaults).
	FTP ftp.Options

	// Part, when set, makes this scan one part of a sharded sweep (rouei
	// scan --shard K/N; FTP targets are chosen by the caller): it says
	// whether a top-level entry of a local target belongs to this part —
	// the first path component under a directory target, or of a
	// container target's member (through gzip, bzip2, xz or zstd). The
	// entry "" stands for the target itself: errors about it as a whole
	// and its own container count. Entries of other parts are not read,
	// and their errors and skips are not reported.
	Part func(target, entry string) bool

	// Spool, when set, takes each file's findings as the file completes,
	// so that memory does not grow with them: the report's findings are
	// then in the spool (Report.Spool), not in Report.Findings. The
	// caller makes it (report.NewSpool) and closes it after writing the
	// report. nil: findings are kept in memory.
	Spool *report.Spool

	state *scanState // shared by the workers of one scan
}

// ErrNothingScanned is returned when no target could be read at all.
var ErrNothingScanned = errors.New("engine: nothing could be scanned")

// Scan scans the targets and returns the finalised report. It returns
// ErrNothingScanned (with the report) when not a single item could be
// read. When ctx is cancelled (an interrupt), it stops soon and returns
// the report of what was scanned so far, marked Complete: false with an
// error entry saying so, together with the context's error.
func Scan(ctx context.Context, targets []string, opt Options) (*report.Report, error) {
	opt = opt.withDefaults()
	defer opt.state.close()
	r := &report.Report{
		Schema:    report.SchemaV1,
		Tool:      report.Tool{Name: "rouei", Version: Version},
		StartedAt: opt.Now().UTC(),
		Targets:   append([]string(nil), targets...),
	}
	col := &collector{allow: opt.AllowPath, part: opt.Part}
	var ftpTargets []string
	for _, t := range targets {
		if ctx.Err() != nil {
			break
		}
		if isFTP(t) {
			ftpTargets = append(ftpTargets, t)
			continue
		}
		col.target = t
		if err := scanners.WalkFS(ctx, t, col); err != nil && ctx.Err() == nil {
			col.Error(t, err)
		}
	}
	read := 0
	var results [][]fileResult
	if ctx.Err() == nil {
		results = scanItems(ctx, col.items, col.parts, &opt)
	}
	if len(ftpTargets) > 0 && ctx.Err() == nil {
		eps, ftpResults := scanFTP(ctx, ftpTargets, &opt)
		r.Endpoints = eps
		results = append(results, ftpResults...)
		for _, e := range eps {
			if e.Reachable {
				read++
			}
		}
	}

	// the clean items, counted as they completed (scanItems)
	t := &opt.state.clean
	r.Stats.Bytes, r.Stats.Files, r.Stats.Archives = t.bytes, t.files, t.archives
	read += t.files + t.archives
	for m, n := range t.media {
		if r.Stats.Media == nil {
			r.Stats.Media = map[string]int{}
		}
		r.Stats.Media[m] += n
	}
	if opt.Spool != nil {
		r.Spool = opt.Spool
	}
	for res := range resolved(results, &opt) {
		r.Stats.Bytes += res.bytes
		countMedia(&r.Stats, res.media)
		switch {
		case res.archive:
			r.Stats.Archives++
			read++
		case res.opened:
			r.Stats.Files++
			read++
		}
		if res.file != nil {
			r.Files = append(r.Files, *res.file)
		}
		if opt.Spool != nil {
			opt.Spool.List(res.spooled) // in item order, as in memory
		} else {
			r.Findings = append(r.Findings, res.findings...)
		}
		r.Errors = append(r.Errors, res.errors...)
		col.skips = append(col.skips, res.skips...)
	}
	r.Errors = append(col.errors, r.Errors...)
	if opt.Spool != nil {
		if lost, err := opt.Spool.Err(); err != nil {
			r.Errors = append(r.Errors, report.Error{Path: SpoolPath, Error: fmt.Sprintf(
				"%v: %d findings could not be kept for the report (their files' verdicts stand)", err, lost)})
		}
	}
	interrupted := ctx.Err()
	if interrupted != nil {
		done := 0
		for _, rs := range results {
			if rs != nil {
				done++
			}
		}
		complete := false
		r.Complete = &complete
		r.Errors = append(r.Errors, report.Error{Path: InterruptedPath, Error: fmt.Sprintf(
			"scan interrupted (%v): this report holds what was scanned before; %d of %d files were not started",
			context.Cause(ctx), len(col.items)-min(done, len(col.items)), len(col.items))})
	}
	r.Skipped = col.skips
	r.Stats.Skipped = len(col.skips)
	r.Stats.Errors = len(r.Errors)
	r.FinishedAt = opt.Now().UTC()
	r.Finalize()
	if interrupted != nil {
		return r, interrupted
	}
	if read == 0 && len(r.Errors) > 0 {
		return r, ErrNothingScanned
	}
	return r, nil
}

// InterruptedPath is the path of the error entry of an interrupted scan.
const InterruptedPath = "(scan)"

// resolved returns the results in item order, each repeated member
// resolved into its own verdict (resolveDup) and, with a spool, its
// findings spooled.
func resolved(results [][]fileResult, opt *Options) iter.Seq[fileResult] {
	return func(yield func(fileResult) bool) {
		for _, rs := range results {
			for _, res := range rs {
				if res.dupOf != nil {
					res = resolveDup(res, opt)
					if opt.Spool != nil {
						one := []fileResult{res}
						opt.spoolResults(one)
						res = one[0]
					}
				}
				if !yield(res) {
					return
				}
			}
		}
	}
}

// cleanTally counts the items that had nothing to report, folded as
// they complete so that memory does not grow with them.
type cleanTally struct {
	mu              sync.Mutex
	bytes           int64
	files, archives int
	media           map[string]int
}

// fold counts rs and reports true when rs is one item with nothing to
// report: no verdict, findings, errors, skips or repeat to resolve.
func (t *cleanTally) fold(rs []fileResult) bool {
	if len(rs) != 1 {
		return false
	}
	r := &rs[0]
	if r.file != nil || len(r.findings) > 0 || len(r.spooled) > 0 || len(r.errors) > 0 || len(r.skips) > 0 || r.dupOf != nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.bytes += r.bytes
	switch {
	case r.archive:
		t.archives++
	case r.opened:
		t.files++
	}
	if r.media != "" {
		if t.media == nil {
			t.media = map[string]int{}
		}
		t.media[r.media]++
	}
	return true
}

// folded is the result slot of an item counted in cleanTally: empty,
// but not nil (nil is an item not started).
var folded = []fileResult{}

// SpoolPath is the path of the error entry of a findings spool that
// could not be written (a full disk).
const SpoolPath = "(findings spool)"

// spoolResults moves the findings and files[] entries of rs to the
// spool (with Options.Spool): a result then keeps its file's slim entry.
func (o *Options) spoolResults(rs []fileResult) {
	if o.Spool == nil {
		return
	}
	for i := range rs {
		if rs[i].file != nil {
			slim := o.Spool.PutFile(*rs[i].file)
			rs[i].file = &slim
		}
		if len(rs[i].findings) > 0 {
			rs[i].spooled = append(rs[i].spooled, o.Spool.Write(rs[i].findings)...)
			rs[i].findings = nil
		}
	}
}

func (o Options) withDefaults() Options {
	if o.Detectors == nil {
		o.Detectors = detectors.All()
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.ChunkSize <= 0 {
		o.ChunkSize = DefaultChunkSize
	}
	if o.MaxFindingsPerFile <= 0 {
		o.MaxFindingsPerFile = DefaultMaxFindingsPerFile
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Limits = o.Limits.WithDefaults()
	if o.Containers == nil {
		o.Containers = DefaultContainers
	}
	if o.state == nil {
		o.state = &scanState{}
	}
	return o
}

// scanItems scans items in parallel, one workspace per worker, and
// returns their results in item order. When ctx ends, the items not yet
// started have nil results.
func scanItems(ctx context.Context, items []scanners.Item, parts []func(string) bool, opt *Options) [][]fileResult {
	var total int64
	for _, it := range items {
		if it.Size > 0 {
			total += it.Size
		}
	}
	if opt.Progress != nil {
		opt.Progress.Start(len(items), total)
	}
	results := make([][]fileResult, len(items))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < opt.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws := newWorkspace()
			for i := range work {
				ws.part = nil
				if i < len(parts) {
					ws.part = parts[i]
				}
				rs := scanTree(ctx, items[i], opt, ws, 0, false)
				opt.spoolResults(rs)
				if opt.state.clean.fold(rs) {
					rs = folded
				}
				results[i] = rs
				size := items[i].Size
				items[i] = scanners.Item{} // its paths and opener are not needed any more
				if opt.Progress != nil {
					opt.Progress.Done(max(size, 0))
				}
			}
		}()
	}
feed:
	for i := range items {
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	return results
}

// collector is the scanners.Sink of the enumeration phase.
type collector struct {
	allow  func(rel string) bool
	part   func(target, entry string) bool // Options.Part
	target string                          // the target being walked
	mu     sync.Mutex
	items  []scanners.Item
	parts  []func(entry string) bool // with Part: the selector of a file target's members, by item
	errors []report.Error
	skips  []report.Skip
}

func (c *collector) Item(it scanners.Item) error {
	if !c.keepItem(it) {
		return nil
	}
	if c.allow != nil && c.allow(it.Rel) {
		c.Skip(it.Path, allowedNote)
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items = append(c.items, it)
	if c.part != nil {
		var sel func(string) bool
		if it.Path == c.target {
			sel = c.partOf(c.target)
		}
		c.parts = append(c.parts, sel)
	}
	return nil
}

func (c *collector) Error(path string, err error) {
	if !c.keep(path) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errors = append(c.errors, report.Error{Path: path, Error: err.Error()})
}

func (c *collector) Skip(path, reason string) {
	if !c.keep(path) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.skips = append(c.skips, report.Skip{Path: path, Reason: reason})
}

// allowedNote is the skip reason of an allow-listed path.
const allowedNote = "allow-listed by policy (allow.paths); not scanned"

// errorf formats an error entry for path.
func errorf(path, format string, args ...any) report.Error {
	return report.Error{Path: path, Error: fmt.Sprintf(format, args...)}
}
