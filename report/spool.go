package report

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"sync"

	"github.com/rouei/rouei/detectors"
)

// Spool keeps a scan's findings out of memory: in a private temp file
// (mode 0600, unlinked at once where the system allows, so that nothing
// is left behind even if the process is killed; else removed by Close),
// each finding a compact binary record (appendFinding). The engine writes each file's findings
// as the file completes (Write), then lists them in the report in item
// order (List); the writers read them back grouped by file, in report
// order. A Report whose Spool is set has its findings there, not in
// Findings. Safe for concurrent use.
type Spool struct {
	mu       sync.Mutex
	f        *os.File
	name     string // still to remove at Close ("" once unlinked)
	w        *bufio.Writer
	size     int64  // bytes written
	buf      []byte // one encoded finding
	err      error  // the first write error: the findings written after it are lost
	lost     int    // findings not written because of err
	readErr  error  // the first read error (writers that cannot return one at once report it at the end)
	listed   []span
	byPath   map[string][]int // listed spans by path, in listing order
	count    int              // findings listed
	maxSev   detectors.Severity
	baseline map[string]bool // fingerprints marked baselined when read
}

// SpoolRef names findings written to a Spool, one span per run of
// findings with the same path.
type SpoolRef []span

// span is a run of findings of one path in the spool file.
type span struct {
	path   string
	off    int64
	n      int64 // bytes
	count  int
	maxSev detectors.Severity
}

// NewSpool creates a spool in dir ("": os.TempDir()).
func NewSpool(dir string) (*Spool, error) {
	f, err := os.CreateTemp(dir, "rouei-findings-*")
	if err != nil {
		return nil, fmt.Errorf("report: findings spool: %w", err)
	}
	s := &Spool{f: f, name: f.Name(), byPath: map[string][]int{}}
	if os.Remove(f.Name()) == nil {
		s.name = "" // unlinked: gone with the process, whatever happens
	}
	s.w = bufio.NewWriterSize(f, 256<<10)
	return s, nil
}

// Close releases the spool and removes its file.
func (s *Spool) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	if s.name != "" {
		if rerr := os.Remove(s.name); err == nil {
			err = rerr
		}
	}
	s.f = nil
	return err
}

// Err reports the first write error and how many findings it lost.
func (s *Spool) Err() (lost int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lost, s.err
}

// Write stores fs (not yet part of the report: see List).
func (s *Spool) Write(fs []Finding) SpoolRef {
	if len(fs) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil && s.f == nil {
		s.err = errors.New("report: findings spool: closed")
	}
	if s.err != nil {
		s.lost += len(fs)
		return nil
	}
	var ref SpoolRef
	for i := range fs {
		f := &fs[i]
		s.buf = appendFinding(s.buf[:0], f)
		if _, err := s.w.Write(s.buf); err != nil {
			s.err = fmt.Errorf("report: findings spool: %w", err)
			s.lost += len(fs)
			return nil
		}
		n := int64(len(s.buf))
		if k := len(ref) - 1; k >= 0 && ref[k].path == f.Path {
			ref[k].n += n
			ref[k].count++
			ref[k].maxSev = max(ref[k].maxSev, f.Severity)
		} else {
			ref = append(ref, span{path: f.Path, off: s.size, n: n, count: 1, maxSev: f.Severity})
		}
		s.size += n
	}
	return ref
}

// List makes the findings of ref part of the report, after those listed
// before.
func (s *Spool) List(ref SpoolRef) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sp := range ref {
		s.byPath[sp.path] = append(s.byPath[sp.path], len(s.listed))
		s.listed = append(s.listed, sp)
		s.count += sp.count
		s.maxSev = max(s.maxSev, sp.maxSev)
	}
}

// Read returns the findings of ref, in the order written.
func (s *Spool) Read(ref SpoolRef) ([]Finding, error) {
	var out []Finding
	for _, sp := range ref {
		fs, err := s.readSpan(sp)
		if err != nil {
			return out, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

// Count is how many findings are listed.
func (s *Spool) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// readSpan decodes one span.
func (s *Spool) readSpan(sp span) (out []Finding, err error) {
	defer func() {
		if err != nil {
			s.mu.Lock()
			if s.readErr == nil {
				s.readErr = err
			}
			s.mu.Unlock()
		}
	}()
	s.mu.Lock()
	if s.f == nil {
		s.mu.Unlock()
		return nil, errors.New("report: findings spool: closed")
	}
	err = s.w.Flush()
	f := s.f
	s.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("report: findings spool: %w", err)
	}
	buf := make([]byte, sp.n)
	if _, err := f.ReadAt(buf, sp.off); err != nil {
		return nil, fmt.Errorf("report: reading the findings spool: %w", err)
	}
	out = make([]Finding, 0, sp.count)
	for len(buf) > 0 {
		var fd Finding
		if buf, err = readFinding(buf, &fd); err != nil {
			return out, fmt.Errorf("report: reading the findings spool: %w", err)
		}
		if s.baseline != nil && s.baseline[fd.Fingerprint] {
			fd.Baselined = true
		}
		out = append(out, fd)
	}
	return out, nil
}

// group returns the listed findings of path in report order.
func (s *Spool) group(path string) ([]Finding, error) {
	s.mu.Lock()
	var spans []span
	for _, i := range s.byPath[path] {
		spans = append(spans, s.listed[i])
	}
	s.mu.Unlock()
	var out []Finding
	for _, sp := range spans {
		fs, err := s.readSpan(sp)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	slices.SortStableFunc(out, compareFindings)
	return out, nil
}

// paths returns the paths with listed findings.
func (s *Spool) paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.byPath))
	for p := range s.byPath {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// eachOrdered calls fn with each listed finding in report order for the
// file order files: grouped by path in the order of files (a path's
// first entry), then the paths no file has, by path; each group by line,
// detector and fingerprint — the order Finalize sorts Findings in.
func (s *Spool) eachOrdered(files []File, fn func(*Finding) error) error {
	seen := make(map[string]bool, len(files))
	emit := func(p string) error {
		fs, err := s.group(p)
		if err != nil {
			return err
		}
		for i := range fs {
			if err := fn(&fs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range files {
		p := files[i].Path
		if seen[p] {
			continue
		}
		seen[p] = true
		if err := emit(p); err != nil {
			return err
		}
	}
	for _, p := range s.paths() {
		if seen[p] {
			continue
		}
		if err := emit(p); err != nil {
			return err
		}
	}
	return nil
}

// eachListed calls fn with each listed finding in listing order.
func (s *Spool) eachListed(fn func(*Finding) error) error {
	s.mu.Lock()
	n := len(s.listed)
	s.mu.Unlock()
	for i := 0; i < n; i++ {
		s.mu.Lock()
		sp := s.listed[i]
		s.mu.Unlock()
		fs, err := s.readSpan(sp)
		if err != nil {
			return err
		}
		for j := range fs {
			if err := fn(&fs[j]); err != nil {
				return err
			}
		}
	}
	return nil
}

// pathStats are the counts and worst severity of one path's findings.
type pathStats struct {
	count  int
	maxSev detectors.Severity
}

// stats returns the count and worst severity of each path's findings,
// without reading them.
func (s *Spool) stats() map[string]pathStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]pathStats, len(s.byPath))
	for p, idx := range s.byPath {
		var st pathStats
		for _, i := range idx {
			st.count += s.listed[i].count
			st.maxSev = max(st.maxSev, s.listed[i].maxSev)
		}
		out[p] = st
	}
	return out
}

// EachFinding calls fn with each finding of the report, in report order
// (the order of Findings after Finalize), whether the findings are held
// in Findings or in a Spool. fn may modify the finding it is given only
// for its own use: the report keeps its own copy. An error from fn, or
// from reading the spool, ends the walk and is returned.
func (r *Report) EachFinding(fn func(Finding) error) error {
	return r.eachFinding(r.Files, func(f *Finding) error { return fn(*f) })
}

// eachFinding walks the findings: in memory, in Findings' order (files is
// not used); spooled, grouped in the order of files (see Spool.eachOrdered).
func (r *Report) eachFinding(files []File, fn func(*Finding) error) error {
	if r.Spool == nil {
		for i := range r.Findings {
			f := r.Findings[i]
			if err := fn(&f); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range r.Findings { // none when the engine spools; kept for safety
		f := r.Findings[i]
		if err := fn(&f); err != nil {
			return err
		}
	}
	return r.Spool.eachOrdered(files, fn)
}

// eachFindingAnyOrder walks the findings in the cheapest order.
func (r *Report) eachFindingAnyOrder(fn func(*Finding) error) error {
	for i := range r.Findings {
		if err := fn(&r.Findings[i]); err != nil {
			return err
		}
	}
	if r.Spool == nil {
		return nil
	}
	return r.Spool.eachListed(fn)
}

// FindingCount is how many findings the report lists.
func (r *Report) FindingCount() int {
	n := len(r.Findings)
	if r.Spool != nil {
		n += r.Spool.Count()
	}
	return n
}

// MarkBaselined marks the findings whose fingerprint is in set as
// baselined (in Findings now, in a Spool as they are read).
func (r *Report) MarkBaselined(set map[string]bool) {
	if len(set) == 0 {
		return
	}
	for i := range r.Findings {
		if set[r.Findings[i].Fingerprint] {
			r.Findings[i].Baselined = true
		}
	}
	if r.Spool != nil {
		r.Spool.mu.Lock()
		r.Spool.baseline = set
		r.Spool.mu.Unlock()
	}
}

// LoadFindings reads a spooled report's findings into Findings, in
// report order, and drops the Spool (which the caller still closes): for
// small reports and tests that want the findings as a slice.
func (r *Report) LoadFindings() error {
	if r.Spool == nil {
		return nil
	}
	var all []Finding
	if err := r.Spool.eachOrdered(r.Files, func(f *Finding) error {
		all = append(all, *f)
		return nil
	}); err != nil {
		return err
	}
	r.Findings = append(r.Findings, all...)
	r.Spool = nil
	return nil
}

// spoolErr is the first error met reading r's spool back, if any.
func (r *Report) spoolErr() error {
	if r.Spool == nil {
		return nil
	}
	r.Spool.mu.Lock()
	defer r.Spool.mu.Unlock()
	return r.Spool.readErr
}

// appendFinding appends f's record: its fields in order, strings and
// numbers as varints (a string as its length then its bytes), the
// confidence as its IEEE bits. Every field of Finding is kept
// (TestSpoolKeepsEveryField fails when one is added without its place
// here).
func appendFinding(b []byte, f *Finding) []byte {
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	str(f.Fingerprint)
	str(f.Path)
	b = binary.AppendVarint(b, int64(f.Line))
	b = binary.AppendVarint(b, f.Offset)
	str(f.Detector)
	str(f.Category)
	b = binary.AppendVarint(b, int64(f.Severity))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f.Confidence))
	str(f.Evidence)
	str(f.Context)
	if f.Baselined {
		return append(b, 1)
	}
	return append(b, 0)
}

var errSpoolRecord = errors.New("broken record")

// readFinding decodes the record at the start of b into f and returns
// the rest.
func readFinding(b []byte, f *Finding) ([]byte, error) {
	bad := false
	uv := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			bad = true
			return 0
		}
		b = b[n:]
		return v
	}
	sv := func() int64 {
		v, n := binary.Varint(b)
		if n <= 0 {
			bad = true
			return 0
		}
		b = b[n:]
		return v
	}
	str := func() string {
		n := uv()
		if bad || n > uint64(len(b)) {
			bad = true
			return ""
		}
		s := string(b[:n])
		b = b[n:]
		return s
	}
	f.Fingerprint = str()
	f.Path = str()
	f.Line = int(sv())
	f.Offset = sv()
	f.Detector = str()
	f.Category = str()
	f.Severity = detectors.Severity(sv())
	if bad || len(b) < 8 {
		return nil, errSpoolRecord
	}
	f.Confidence = math.Float64frombits(binary.LittleEndian.Uint64(b))
	b = b[8:]
	f.Evidence = str()
	f.Context = str()
	if bad || len(b) < 1 {
		return nil, errSpoolRecord
	}
	f.Baselined = b[0] == 1
	return b[1:], nil
}
