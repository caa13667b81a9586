package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners"
)

// scanState is what the workers of one scan share.
type scanState struct {
	tmpOnce  sync.Once
	tmpDir   string // private temp dir for spooled containers, removed by close
	tmpErr   error
	expanded atomic.Int64 // bytes expanded from container members so far, every level counted
	members  atomic.Int64 // container members met so far, every level counted

	seenMu sync.Mutex
	seen   map[[sha256.Size]byte]*contentRef // contents of the members scanned so far

	clean cleanTally // the top-level items with nothing to report (engine.go)
}

// contentRef is the first occurrence of a member's content in the scan.
// Later members with the same content are not opened again: they are
// reported at their own paths with this occurrence's verdict.
type contentRef struct {
	path, rel string
	results   []fileResult // the first occurrence's results, once scanned (guarded by scanState.seenMu)
}

// tempDir returns the scan's private temp dir, made on first use.
func (s *scanState) tempDir() (string, error) {
	s.tmpOnce.Do(func() { s.tmpDir, s.tmpErr = os.MkdirTemp("", "rouei-") })
	return s.tmpDir, s.tmpErr
}

// close removes the temp dir and everything in it.
func (s *scanState) close() {
	if s.tmpDir != "" {
		os.RemoveAll(s.tmpDir)
	}
}

// firstOccurrence returns the earlier occurrence of a content, or records
// this one (path, rel) as the first and returns nil.
func (s *scanState) firstOccurrence(key [sha256.Size]byte, path, rel string) *contentRef {
	s.seenMu.Lock()
	defer s.seenMu.Unlock()
	if ref := s.seen[key]; ref != nil {
		return ref
	}
	if s.seen == nil {
		s.seen = map[[sha256.Size]byte]*contentRef{}
	}
	s.seen[key] = &contentRef{path: path, rel: rel}
	return nil
}

// scanned stores the results of a content's first occurrence.
func (s *scanState) scanned(key [sha256.Size]byte, rs []fileResult) {
	s.seenMu.Lock()
	defer s.seenMu.Unlock()
	if ref := s.seen[key]; ref != nil {
		ref.results = rs
	}
}

// dedupBytes is the largest member whose content is hashed before it is
// scanned (it is read into memory first): a repeat of it is not opened
// again. Larger members are streamed and scanned at every occurrence.
const dedupBytes = 8 << 20

// scanContainer walks a container's members and scans each, depth+1.
// Its own result carries the container's errors; members follow. mem,
// when not nil, holds the container's whole content.
func scanContainer(ctx context.Context, it scanners.Item, op scanners.Opener, br io.Reader, cr *countingReader,
	opt *Options, ws *workspace, depth int, mem []byte) []fileResult {
	lim := opt.Limits
	res := fileResult{opened: true, archive: true}
	out := []fileResult{{}} // the container's own result goes first
	sel := ws.part          // a sharded sweep's choice of this container's top-level members
	defer func() {
		res.bytes = 0 // a container's bytes are counted by its members
		if len(res.errors) > 0 {
			res.file = &report.File{Path: it.Path, MediaType: op.Kind(), Classification: detectors.ClassNone}
		}
		if sel != nil && !sel("") {
			res = fileResult{} // the container itself is reported by the part that owns the target
		}
		out[0] = res
	}()
	if depth >= lim.MaxDepth {
		res.errors = append(res.errors, errorf(it.Path, "%s nested %d levels deep: not opened (limits.max_depth %d): %v",
			op.Kind(), depth, lim.MaxDepth, scanners.ErrLimit))
		return out
	}
	src := scanners.Source{Name: it.Path, Reader: br, Size: it.Size}
	if op.NeedsRandomAccess() {
		var cleanup func()
		var err error
		src, cleanup, err = randomAccess(it, br, opt, mem)
		if cleanup != nil {
			defer cleanup()
		}
		if err != nil {
			res.errors = append(res.errors, errorf(it.Path, "%s: %v", op.Kind(), err))
			return out
		}
	}
	wctx, cancel := context.WithTimeout(ctx, lim.MaxArchiveTime)
	defer cancel()
	inner := ws.child()
	inner.part = nil // a compressed tar's members are the tar's (scanners/archive): sel applies to them directly
	st := opt.state
	err := walkRecovered(op, wctx, src, lim, func(m scanners.Member) error {
		if sel != nil && !sel(topEntry(m.Name)) {
			return nil // another part's member
		}
		path := it.Path + "!/" + m.Name
		if n := st.members.Add(1); n > int64(lim.MaxScanMembers) {
			return fmt.Errorf("scan: more than %d container members in this scan, every level counted (limits.max_scan_members): %w",
				lim.MaxScanMembers, scanners.ErrLimit)
		}
		if st.expanded.Load() > lim.MaxScanBytes {
			return scanBudgetError(lim)
		}
		if m.Err != nil || m.Open == nil {
			if m.Err != nil {
				out = append(out, errorResult(path, m.Err))
			}
			return nil
		}
		child := scanners.Item{Path: path, Rel: it.Rel + "!/" + m.Name, Size: m.Size, Open: m.Open}
		if opt.AllowPath != nil && opt.AllowPath(child.Rel) {
			res.skips = append(res.skips, report.Skip{Path: path, Reason: allowedNote})
			return nil
		}
		rs, n := scanMember(wctx, child, m.Text, opt, inner, depth+1)
		if m.UnreadablePages != nil {
			if n := m.UnreadablePages(); n > 0 {
				if rs[0].file == nil {
					rs[0].file = &report.File{Path: path, MediaType: "text/plain", Classification: detectors.ClassNone}
				}
				rs[0].file.UnreadablePages = n
			}
		}
		if m.Notice != nil {
			rs[0].errors = append(rs[0].errors, errorf(path, "%v", m.Notice))
			if rs[0].file == nil && rs[0].dupOf == nil {
				rs[0].file = &report.File{Path: path, Classification: detectors.ClassNone}
			}
		}
		out = append(out, rs...)
		if st.expanded.Add(n) > lim.MaxScanBytes {
			return scanBudgetError(lim)
		}
		return wctx.Err()
	})
	switch {
	case err == nil:
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		res.errors = append(res.errors, errorf(it.Path, "%s: took longer than %v (limits.max_archive_time): the rest was not scanned: %v",
			op.Kind(), lim.MaxArchiveTime, scanners.ErrLimit))
	default:
		// The opener's errors name their package and format already.
		res.errors = append(res.errors, errorf(it.Path, "%v; the rest was not scanned", err))
	}
	return out
}

// scanBudgetError stops a walk when the scan has expanded all it may.
func scanBudgetError(lim scanners.Limits) error {
	return fmt.Errorf("scan: more than %d bytes expanded from containers in this scan, every level counted (limits.max_scan_bytes): %w",
		lim.MaxScanBytes, scanners.ErrLimit)
}

// walkRecovered runs op.Walk and turns a panic in the opener (hostile
// input found a bug) into an error: what was yielded before stands.
func walkRecovered(op scanners.Opener, ctx context.Context, src scanners.Source, lim scanners.Limits,
	yield func(scanners.Member) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s reader: %s", op.Kind(), panicReason(p))
		}
	}()
	return op.Walk(ctx, src, lim, yield)
}

// scanMember scans one member and returns its results and how many of
// its bytes were read. A member of at most dedupBytes is read and hashed
// first: if the same content was met before anywhere in the scan, it is
// not opened again and its result refers to that first occurrence
// (resolved into a verdict of its own when the report is assembled).
func scanMember(ctx context.Context, child scanners.Item, text bool, opt *Options, ws *workspace, depth int) ([]fileResult, int64) {
	rc, err := child.Open()
	if err != nil {
		res := errorResult(child.Path, fmt.Errorf("cannot open: %w", err))
		res.opened = false
		return []fileResult{res}, 0
	}
	defer rc.Close()
	buf, err := io.ReadAll(io.LimitReader(rc, dedupBytes+1))
	if err == nil && len(buf) <= dedupBytes {
		h := sha256.New()
		if text {
			h.Write([]byte{1}) // extracted text is scanned unlike the same bytes as a file
		} else {
			h.Write([]byte{0})
		}
		h.Write(buf)
		var key [sha256.Size]byte
		h.Sum(key[:0])
		if ref := opt.state.firstOccurrence(key, child.Path, child.Rel); ref != nil {
			return []fileResult{{opened: true, dupOf: ref, path: child.Path, rel: child.Rel}}, int64(len(buf))
		}
		child.Size = int64(len(buf))
		child.Open = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf)), nil }
		rs := scanTreeMem(ctx, child, opt, ws, depth, text, buf)
		opt.spoolResults(rs)
		opt.state.scanned(key, rs)
		return rs, int64(len(buf))
	}
	// Too large to hash first (or a read error, which the scan reports
	// after the bytes read before it): streamed.
	rest := io.Reader(rc)
	if err != nil {
		rest = errReader{err}
	}
	cr := &countingReader{r: io.MultiReader(bytes.NewReader(buf), rest)}
	child.Open = func() (io.ReadCloser, error) { return io.NopCloser(cr), nil }
	rs := scanTree(ctx, child, opt, ws, depth, text)
	opt.spoolResults(rs)
	return rs, cr.n
}

// errReader fails every read with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// randomAccess gives a container's bytes random access: the file itself
// for a file on disk, else the stream spooled to memory (small) or to a
// file in the scan's private temp dir.
func randomAccess(it scanners.Item, r io.Reader, opt *Options, mem []byte) (scanners.Source, func(), error) {
	lim := opt.Limits
	if mem != nil {
		br := bytes.NewReader(mem)
		return scanners.Source{Name: it.Path, Reader: br, At: br, Size: int64(len(mem))}, nil, nil
	}
	if it.File != "" {
		f, err := os.Open(it.File)
		if err != nil {
			return scanners.Source{}, nil, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return scanners.Source{}, nil, err
		}
		return scanners.Source{Name: it.Path, Reader: f, At: f, Size: st.Size(), Path: it.File}, func() { f.Close() }, nil
	}
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxInMemoryBytes+1))
	if err != nil {
		return scanners.Source{}, nil, err
	}
	if int64(len(data)) <= lim.MaxInMemoryBytes {
		br := bytes.NewReader(data)
		return scanners.Source{Name: it.Path, Reader: br, At: br, Size: int64(len(data))}, nil, nil
	}
	if opt.state == nil {
		return scanners.Source{}, nil, errors.New("no temp dir for spooling")
	}
	dir, err := opt.state.tempDir()
	if err != nil {
		return scanners.Source{}, nil, err
	}
	f, err := os.CreateTemp(dir, "spool-*")
	if err != nil {
		return scanners.Source{}, nil, err
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	n, err := io.Copy(f, io.LimitReader(io.MultiReader(bytes.NewReader(data), r), lim.MaxSpoolBytes+1))
	if err == nil && n > lim.MaxSpoolBytes {
		err = fmt.Errorf("larger than %d bytes, the most spooled for random access: %w", lim.MaxSpoolBytes, scanners.ErrLimit)
	}
	if err != nil {
		cleanup()
		return scanners.Source{}, nil, err
	}
	return scanners.Source{Name: it.Path, Reader: io.NewSectionReader(f, 0, n), At: f, Size: n, Path: f.Name()}, cleanup, nil
}

// errorResult is the result of a member that could not be read.
func errorResult(path string, err error) fileResult {
	return fileResult{
		errors: []report.Error{errorf(path, "%v", err)},
		file:   &report.File{Path: path, Classification: detectors.ClassNone},
	}
}

// resolveDup turns the result of a repeated member into its own verdict:
// the first occurrence's. A repeated file gets a copy of the first one's
// file entry (its reason saying where the content was scanned) and of
// its findings at its own path, with fingerprints of their own. A
// repeated container gets one file entry summing up what was found
// inside the first one (worst severity and its classification, people
// and findings of the distinct contents inside); its members' findings
// are listed once, at the first occurrence's paths.
func resolveDup(res fileResult, opt *Options) (out fileResult) {
	reveal := opt.Reveal
	defer func() {
		// the member's own notices (a name with path tricks) stay its own
		out.errors = append(out.errors, res.errors...)
		if len(res.errors) > 0 && out.file == nil {
			out.file = &report.File{Path: res.path, Classification: detectors.ClassNone}
		}
	}()
	out = fileResult{opened: true}
	ref := res.dupOf
	first := ref.results
	note := "same content as " + ref.path + ", scanned once there"
	if len(first) == 0 {
		// not scanned yet: a container holding itself (a zip quine)
		out.file = &report.File{Path: res.path, Classification: detectors.ClassNone, Reason: note}
		return out
	}
	head := first[0]
	if !head.archive {
		if head.file == nil {
			return out // a clean file: nothing to report, as for the first
		}
		f := opt.Spool.FileDetail(*head.file) // whole, when spooled
		f.Path = res.path
		if len(head.errors) > 0 {
			note += " (not read completely there)"
		}
		f.Reason = note + joinReason(f.Reason)
		out.file = &f
		fs := head.findings
		if len(head.spooled) > 0 {
			var err error
			if fs, err = opt.Spool.Read(head.spooled); err != nil {
				out.errors = append(out.errors, errorf(res.path, "%v: its findings are missing from this report", err))
			}
		}
		out.findings = rebase(fs, res.path, res.rel, reveal)
		return out
	}
	agg := report.File{Path: res.path, Classification: detectors.ClassNone}
	if head.file != nil {
		agg.MediaType = head.file.MediaType
	}
	var worst *report.File
	files, errs := 0, 0
	for i := range first {
		r := &first[i]
		errs += len(r.errors)
		if r.dupOf != nil || r.file == nil || r.archive {
			continue
		}
		f := r.file
		if f.Findings == 0 && f.Persons == 0 {
			continue
		}
		files++
		agg.Persons += f.Persons
		agg.Findings += f.Findings
		if worst == nil || f.Severity > worst.Severity || (f.Severity == worst.Severity && f.Persons > worst.Persons) {
			worst = f
		}
	}
	if worst == nil && errs == 0 {
		return out // clean inside: nothing to report
	}
	if errs > 0 {
		note += fmt.Sprintf(" (%d items there not read completely)", errs)
	}
	if worst != nil {
		w := opt.Spool.FileDetail(*worst) // whole, when spooled: its reason
		worst = &w
		agg.Severity, agg.Classification, agg.Dummy = worst.Severity, worst.Classification, worst.Dummy
		note += fmt.Sprintf(": %d files with findings inside, the worst %s", files, worst.Path)
		if worst.Reason != "" {
			note += " (" + worst.Reason + ")"
		}
	}
	agg.Reason = note
	out.file = &agg
	return out
}

// joinReason appends a first occurrence's own reason to a note.
func joinReason(reason string) string {
	if reason == "" {
		return ""
	}
	return ": " + reason
}

// rebase copies findings to another path with the same content: each
// gets the fingerprint it would have had if scanned there.
func rebase(fs []report.Finding, path, rel string, reveal bool) []report.Finding {
	out := make([]report.Finding, len(fs))
	seen := map[string]int{}
	for i, f := range fs {
		masked := f.Evidence
		if reveal {
			masked = detectors.Mask(f.Category, f.Evidence)
		}
		key := f.Detector + "\x00" + masked
		ord := seen[key]
		seen[key] = ord + 1
		f.Path = path
		f.Fingerprint = Fingerprint(f.Detector, rel, masked, ord)
		out[i] = f
	}
	return out
}
