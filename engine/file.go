package engine

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/textdec"
)

const (
	// headSize is how much of a file is sniffed for its type and encoding.
	headSize = 64 << 10
	// overlap is how much text is scanned twice when a chunk has to be
	// cut inside a line, so that a match across the cut is not lost.
	overlap = 512
	// minStringRunes is the shortest printable run taken from a binary.
	minStringRunes = 4
	// minNameRunes is the shortest run of kanji and kana taken from a
	// binary when it is a field of a record (marginalKept).
	minNameRunes = 2
	// recordGap is the largest gap between two strings of a binary that
	// still belong to one record.
	recordGap = 8
)

// keepMarginal says the short Japanese strings of a binary are taken
// when they are fields of a record (regions.go, marginalKept); tests
// turn it off to compare.
var keepMarginal = true

// fileResult is what scanning one item gives.
type fileResult struct {
	opened   bool         // the item could be opened
	archive  bool         // the item was opened as a container
	media    string       // a known media type (opaque.go), counted in stats
	bytes    int64        // raw bytes read
	file     *report.File // nil when there is nothing to report
	findings []report.Finding
	spooled  report.SpoolRef // with Options.Spool: the findings, written out (findings is then nil)
	errors   []report.Error
	skips    []report.Skip
	// dupOf is set for a member whose content was met before in the
	// scan: it was not opened again, and its verdict is the first
	// occurrence's (resolved when the report is assembled). path and
	// rel are then the member's own.
	dupOf     *contentRef
	path, rel string
}

// countingReader counts the raw bytes read from an item.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// fileScan holds the state of scanning one item.
type fileScan struct {
	ctx     context.Context
	opt     *Options
	it      scanners.Item
	ws      *workspace
	an      *detectors.Analyzer
	scratch []detectors.Match
	line    []detectors.Located
	soft    []int        // ordinals of the newlines escape decoding made in the text being detected
	rws     *workspace   // for the text regions of a binary
	regions []fileResult // the text regions found in a binary (regions.go)
	ruleErr error        // the first failure of a fallible detector (a rule's match timeout)
}

// workspace holds the buffers one worker reuses from file to file, so
// that scanning many small files does not allocate a chunk buffer each.
type workspace struct {
	br    *bufio.Reader
	chunk []byte // text chunk buffer (ChunkSize + overlap)
	read  []byte // binary read buffer
	norm  []byte
	unesc []byte // text with its escapes decoded
	sr    *textdec.SwitchReader
	inner *workspace // for the members of a container being read with this one
	// part, in a sharded sweep, chooses the top-level entries of the
	// target being read (Options.Part); nil: everything.
	part func(entry string) bool
}

// child returns the workspace for a container's members.
func (ws *workspace) child() *workspace {
	if ws.inner == nil {
		ws.inner = newWorkspace()
	}
	return ws.inner
}

func newWorkspace() *workspace {
	return &workspace{br: bufio.NewReaderSize(nil, headSize)}
}

// scanItem scans one item that is not opened as a container (tests use
// it for single files).
func scanItem(ctx context.Context, it scanners.Item, opt *Options, ws *workspace) fileResult {
	return scanTree(ctx, it, opt, ws, 0, false)[0]
}

// scanTree scans an item and, when it is a container (an archive, an
// office file, a database), everything inside it, depth levels down. The
// item's own result comes first. text says the item is UTF-8 text
// extracted from a container (a sheet, a table), scanned without sniffing.
func scanTree(ctx context.Context, it scanners.Item, opt *Options, ws *workspace, depth int, text bool) []fileResult {
	return scanTreeMem(ctx, it, opt, ws, depth, text, nil)
}

// scanTreeMem is scanTree for an item whose whole content is mem (nil:
// not known), which a container needing random access then uses as is.
// A panic while scanning the item (a decoder or detector bug that
// hostile input found) is recovered: the item gets an error entry with a
// short reason and the scan goes on.
func scanTreeMem(ctx context.Context, it scanners.Item, opt *Options, ws *workspace, depth int, text bool, mem []byte) (out []fileResult) {
	defer func() {
		if p := recover(); p != nil {
			res := errorResult(it.Path, fmt.Errorf("internal error, not scanned: %s", panicReason(p)))
			res.opened = true
			out = []fileResult{res}
		}
	}()
	var res fileResult
	rc, err := it.Open()
	if err != nil && ws.part != nil && !ws.part("") {
		return []fileResult{{}} // another part reports the target itself
	}
	if err != nil {
		res.errors = append(res.errors, errorf(it.Path, "cannot open: %v", err))
		res.file = &report.File{Path: it.Path, Classification: detectors.ClassNone}
		return []fileResult{res}
	}
	defer rc.Close()
	res.opened = true
	cr := &countingReader{r: rc}
	br := ws.br
	br.Reset(cr)
	defer br.Reset(nil)
	// A read error here comes back from the scan's own reads below, after
	// the bytes read before it: it is reported once, there.
	head, perr := br.Peek(headSize)
	atEOF := errors.Is(perr, io.EOF)
	if !text && opt.Containers != nil {
		if op := opt.Containers(it.Path, head); op != nil {
			return scanContainer(ctx, it, op, br, cr, opt, ws, depth, mem)
		}
	}
	if ws.part != nil && !ws.part("") {
		return []fileResult{{}} // not a container: the whole file is the part that owns the target's
	}
	enc := textdec.UTF8
	if !text {
		enc = textdec.Detect(head, atEOF)
	}
	f := &fileScan{ctx: ctx, opt: opt, it: it, ws: ws,
		an: detectors.NewAnalyzer(opt.MaxFindingsPerFile, enc == textdec.Binary)}
	f.an.SetName(it.Rel)
	var rerr error
	if enc == textdec.Binary {
		var r io.Reader = br
		var judge func() []report.Error
		media, early, meter := opaqueCheck(it.Path, it.Size, head) // opaque.go
		res.media, res.errors = media, append(res.errors, early...)
		if meter != nil {
			r, judge = meter(br)
		}
		rerr = f.scanBinary(r)
		if judge != nil && rerr == nil {
			res.errors = append(res.errors, judge()...)
		}
	} else if text {
		rerr = f.scanText(textdec.NewReader(br, enc))
	} else {
		// Re-detected where the bytes stop fitting: the encoding reported
		// is the one most of the non-ASCII text was decoded in.
		if ws.sr == nil {
			ws.sr = textdec.NewSwitchReader(br, enc)
		} else {
			ws.sr.Reset(br, enc)
		}
		rerr = f.scanText(ws.sr)
		enc = ws.sr.Encoding()
		ws.sr.Reset(nil, textdec.UTF8) // let go of the item's reader
	}
	res.bytes = cr.n
	if rerr != nil {
		if ctx.Err() != nil {
			rerr = ctx.Err()
		}
		res.errors = append(res.errors, errorf(it.Path, "read error after %d bytes: %v; the rest of the file was not scanned", cr.n, rerr))
	}
	if f.ruleErr != nil {
		res.errors = append(res.errors, errorf(it.Path, "%v: its matches in a chunk of this file are not reported", f.ruleErr))
	}
	v, kept, total := f.an.Result()
	if total == 0 && len(res.errors) == 0 {
		return append([]fileResult{res}, f.regions...)
	}
	mediaType := scanners.SniffMediaType(it.Path, head, enc != textdec.Binary)
	if text {
		mediaType = "text/tab-separated-values"
	}
	file := &report.File{
		Path:           it.Path,
		MediaType:      mediaType,
		Encoding:       string(enc),
		Classification: v.Classification,
		Severity:       v.Severity,
		Persons:        v.Persons,
		Findings:       total,
		Dummy:          v.Dummy,
		Areas:          report.AreasOf(v.Areas),
		Reason:         v.Reason,
		Why:            v.Reasons,
		Columns:        v.Columns,
		Fields:         v.Fields,
	}
	if len(v.Categories) > 0 {
		file.Categories = v.Categories
	}
	res.file = file
	res.findings = findings(it, kept, v, opt.Reveal)
	return append([]fileResult{res}, f.regions...)
}

// findings turns the kept matches into masked, fingerprinted findings.
func findings(it scanners.Item, kept []detectors.Located, v detectors.FileVerdict, reveal bool) []report.Finding {
	out := make([]report.Finding, 0, len(kept))
	seen := map[string]int{}
	for _, m := range kept {
		masked := detectors.Mask(m.Category, m.Value)
		key := m.Detector + "\x00" + masked
		ord := seen[key]
		seen[key] = ord + 1
		evidence := masked
		if reveal {
			evidence = m.Value
		}
		out = append(out, report.Finding{
			Fingerprint: Fingerprint(m.Detector, it.Rel, masked, ord),
			Path:        it.Path,
			Line:        m.Line,
			Offset:      m.Offset,
			Detector:    m.Detector,
			Category:    m.Category,
			Severity:    v.FindingSeverity(m),
			Confidence:  m.Confidence,
			Context:     m.Context,
			Evidence:    evidence,
		})
	}
	return out
}

// Fingerprint identifies a finding across runs without letting anyone
// recover the value: it hashes only what the masked report shows anyway
// (detector, path within the target, masked evidence) and the finding's
// ordinal among findings that look alike in the same file.
func Fingerprint(detector, rel, masked string, ordinal int) string {
	h := sha256.New()
	for _, s := range []string{"rouei-fp/v1", detector, rel, masked, strconv.Itoa(ordinal)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// detect runs every detector over normalised text, then hands the text
// line by line, each with its matches, to the analyzer. Matches ending at
// or before skip, and lines wholly before it, were seen with the previous
// chunk. firstLine is the line number of text's first line (0 in a
// binary, where every line stays 0); offsetAt maps a position in text to
// a byte offset in the file (nil in text).
func (f *fileScan) detect(text []byte, skip, firstLine int, offsetAt func(pos int) int64) {
	var err error
	f.scratch, err = findMatches(f.opt, f.scratch[:0], text)
	if err != nil && f.ruleErr == nil {
		f.ruleErr = err
	}
	f.feedLines(text, f.scratch, skip, firstLine, offsetAt, f.soft)
}

// findMatches appends to dst the matches of every detector in text that
// policy does not allow, in order of their start, and returns them with
// the first failure of a fallible detector. It only reads f's options,
// so chunks of one file may be searched at the same time (pipeline.go).
func findMatches(opt *Options, dst []detectors.Match, text []byte) ([]detectors.Match, error) {
	var ruleErr error
	for _, d := range opt.Detectors {
		if fd, ok := d.(detectors.FallibleDetector); ok {
			var err error
			if dst, err = fd.FindErr(dst, text); err != nil && ruleErr == nil {
				ruleErr = err
			}
			continue
		}
		dst = d.Find(dst, text)
	}
	ms := dst
	if allow := opt.AllowValue; allow != nil {
		kept := ms[:0]
		for _, m := range ms {
			if !allow(m.Category, m.Value) {
				kept = append(kept, m)
			}
		}
		ms = kept
	}
	byStart := func(a, b detectors.Match) int { return cmp.Compare(a.Start, b.Start) }
	if !slices.IsSortedFunc(ms, byStart) {
		slices.SortStableFunc(ms, byStart)
	}
	return ms, ruleErr
}

// feedLines hands text line by line, each with its matches ms (sorted by
// start), to the analyzer: the serial part of detect. soft are the
// ordinals of the newlines escape decoding made in text.
func (f *fileScan) feedLines(text []byte, ms []detectors.Match, skip, firstLine int, offsetAt func(pos int) int64, soft []int) {
	line, mi := firstLine, 0
	nl, si := 0, 0 // newlines passed; next soft newline in soft
	for pos := 0; pos < len(text); {
		end := bytes.IndexByte(text[pos:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += pos
		}
		f.line = f.line[:0]
		for ; mi < len(ms) && ms[mi].Start < end+1; mi++ {
			m := ms[mi]
			if m.End <= skip {
				continue
			}
			m.Start -= pos
			m.End = min(m.End, end) - pos
			loc := detectors.Located{Match: m, Line: line}
			if offsetAt != nil {
				loc.Offset = offsetAt(pos + m.Start)
			}
			f.line = append(f.line, loc)
		}
		if end > skip || len(f.line) > 0 {
			var off int64
			if offsetAt != nil {
				off = offsetAt(pos)
			}
			f.an.Line(line, off, text[pos:end], f.line)
		}
		pos = end + 1
		if si < len(soft) && soft[si] == nl {
			si++ // decoded from the same line of the file
		} else if firstLine > 0 {
			line++
		}
		nl++
	}
}

// scanText reads decoded UTF-8 text in chunks cut at line ends. A line
// longer than a chunk is cut anyway, and the last overlap bytes before
// the cut are scanned again with the next chunk.
func (f *fileScan) scanText(r io.Reader) error {
	size := f.opt.ChunkSize + overlap
	if len(f.ws.chunk) != size {
		f.ws.chunk = make([]byte, size)
	}
	buf := f.ws.chunk
	// Past pipeMin bytes, each chunk is read into a job of the file's
	// pipeline (pipeline.go) instead, searched while the next is read.
	var (
		p        *pipeline
		j        *chunkJob
		searched int
	)
	defer func() {
		if p != nil {
			p.close()
		}
	}()
	filled, rescan, baseLine := 0, 0, 1
	for {
		if err := f.ctx.Err(); err != nil {
			return err
		}
		n, err := io.ReadFull(r, buf[filled:])
		filled += n
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		var readErr error
		if err != nil && !eof {
			readErr, eof = err, true
		}
		data := buf[:filled]
		cut, keep := filled, filled
		if !eof {
			if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
				cut, keep = i+1, i+1
			} else {
				keep = runeStart(data, filled-overlap)
			}
		}
		if p != nil {
			j.binary, j.cut, j.rescan, j.baseLine = false, cut, rescan, baseLine
			p.submit(j)
		} else {
			f.scanTextChunk(data[:cut], rescan, baseLine)
			searched += cut
		}
		if eof {
			return readErr
		}
		baseLine += bytes.Count(data[:keep], []byte{'\n'})
		rescan = cut - keep
		if p == nil && pipelining(searched) {
			p = f.startPipeline(size)
		}
		if p != nil {
			j = p.job()
			buf = j.raw
		}
		filled = copy(buf, data[keep:filled])
	}
}

// runeStart moves i back to the start of a UTF-8 sequence.
func runeStart(b []byte, i int) int {
	if i < 0 {
		return 0
	}
	for i > 0 && !utf8.RuneStart(b[i]) {
		i--
	}
	return i
}

// scanTextChunk decodes the escapes of a chunk (\uXXXX, %XX, &#NNNN;,
// base64 blobs; nothing is copied when the byte prefilter finds none),
// normalises it and detects. A newline that decoding yields is soft: the
// lines around it keep the number of the line of the file they came from.
func (f *fileScan) scanTextChunk(chunk []byte, rescan, baseLine int) {
	ws := f.ws
	var skip int
	ws.norm, ws.unesc, f.soft, skip = prepareText(ws.norm, ws.unesc, f.soft, chunk, rescan)
	f.detect(ws.norm, skip, baseLine, nil)
}

// prepareText is the part of scanTextChunk before detection: it returns
// the chunk unescaped and normalised in norm (unesc is scratch), the
// soft newlines, and where the text not seen with the previous chunk
// starts in norm.
func prepareText(norm, unesc []byte, soft []int, chunk []byte, rescan int) ([]byte, []byte, []int, int) {
	pre, rest := chunk[:rescan], chunk[rescan:]
	soft = soft[:0]
	if textdec.MayHaveEscapes(chunk) {
		unesc, soft = textdec.Unescape(unesc[:0], pre, soft, 0)
		n := len(unesc)
		unesc, soft = textdec.Unescape(unesc, rest, soft, bytes.Count(unesc, []byte{'\n'}))
		pre, rest = unesc[:n], unesc[n:]
	}
	norm = textdec.Normalize(norm[:0], pre)
	skip := len(norm)
	norm = textdec.Normalize(norm, rest)
	return norm, unesc, soft, skip
}

// scanBinary extracts printable strings (UTF-8, CP932, UTF-16LE) from a
// binary and scans them in batches. Strings separated by at most
// recordGap bytes (a length prefix, a NUL terminator) are joined with a
// tab into one record, the way a database dump stores the fields of a
// row. Findings in a binary carry line 0 and the byte offset of the
// string they are in.
func (f *fileScan) scanBinary(r io.Reader) error {
	type str struct {
		start, end int64
		lo, hi     int  // normalised text in pool
		marginal   bool // a short or anchorless Japanese run (marginalKept)
		wide       bool // a marginal run in UTF-16
	}
	var (
		pool      []byte // normalised text of the pending strings
		strs      []str
		marginals int     // marginal strings in strs
		batch     []byte  // the batch handed to the detectors
		starts    []int   // start of each string in batch
		offsets   []int64 // its offset in the file
	)
	// Past pipeMin bytes of strings, each batch is built in a job of the
	// file's pipeline (pipeline.go) instead, searched while the next is
	// extracted.
	var (
		p        *pipeline
		searched int
	)
	defer func() {
		if p != nil {
			p.close()
		}
	}()
	flush := func() {
		if len(strs) == 0 {
			return
		}
		// The batch is built in the serial buffers, or in the job's.
		var j *chunkJob
		bt, st, of := batch[:0], starts[:0], offsets[:0]
		if p != nil {
			j = p.job()
			if j.text == nil { // sized as the batches so far
				j.text, j.starts, j.offsets = make([]byte, 0, cap(batch)), make([]int, 0, cap(starts)), make([]int64, 0, cap(offsets))
			}
			bt, st, of = j.text[:0], j.starts[:0], j.offsets[:0]
		}
		sort.Slice(strs, func(i, j int) bool { return strs[i].start < strs[j].start })
		if marginals > 0 {
			strs = marginalKept(strs, func(s str) binString {
				return binString{s.start, s.end, pool[s.lo:s.hi], s.marginal, s.wide}
			})
			marginals = 0
		}
		for i, s := range strs {
			if i > 0 {
				gap := s.start - strs[i-1].end
				if gap >= 0 && (gap <= recordGap || gap <= marginalReach && (s.marginal || strs[i-1].marginal)) {
					bt = append(bt, '\t')
				} else {
					bt = append(bt, '\n')
				}
			}
			st = append(st, len(bt))
			of = append(of, s.start)
			bt = append(bt, pool[s.lo:s.hi]...)
		}
		bt = append(bt, '\n')
		pool, strs = pool[:0], strs[:0]
		if p != nil {
			j.binary, j.text, j.starts, j.offsets = true, bt, st, of
			p.submit(j)
			return
		}
		batch, starts, offsets = bt, st, of
		f.detect(batch, 0, 0, func(pos int) int64 {
			i := sort.Search(len(starts), func(i int) bool { return starts[i] > pos }) - 1
			return offsets[max(i, 0)]
		})
		if searched += len(batch); pipelining(searched) {
			p = f.startPipeline(0)
		}
	}
	// Text regions (regions.go) are cut out of the stream: each binary
	// segment between them gets an extractor of its own, whose offsets
	// start at base.
	var base int64
	add := func(start, end int64, text []byte, marginal, wide bool) {
		lo := len(pool)
		pool = textdec.Normalize(pool, text)
		strs = append(strs, str{start: base + start, end: base + end, lo: lo, hi: len(pool), marginal: marginal, wide: wide})
		if marginal {
			marginals++
		}
		if len(pool) >= f.opt.ChunkSize {
			flush()
		}
	}
	newEx := func() *textdec.Extractor {
		ex := textdec.NewExtractor(minStringRunes, func(start, end int64, text []byte) { add(start, end, text, false, false) })
		if keepMarginal {
			ex.Marginal(minNameRunes, func(start, end int64, text []byte, wide bool) { add(start, end, text, true, wide) })
		}
		return ex
	}
	ex, fresh := newEx(), true
	sp := &regionScanner{f: f,
		bin: func(p []byte, off int64) {
			if fresh {
				base, fresh = off, false
			}
			ex.Write(p)
		},
		cut: func(int64) {
			if !fresh {
				ex.Flush()
				flush()
				ex, fresh = newEx(), true
			}
		},
	}
	if f.ws.read == nil {
		f.ws.read = make([]byte, 256<<10)
	}
	buf := f.ws.read
	for {
		if err := f.ctx.Err(); err != nil {
			sp.close(err)
			f.regions = sp.results
			return err
		}
		n, err := r.Read(buf)
		if n > 0 {
			sp.write(buf[:n])
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			sp.close(err)
			f.regions = sp.results
			ex.Flush()
			flush()
			return err
		}
	}
}

// panicReason describes a recovered panic in one short line: its value
// (cut, since it may quote input) and the function it came from.
func panicReason(p any) string {
	if pp, ok := p.(pipePanic); ok {
		return string(pp) // described where it happened
	}
	msg := fmt.Sprint(p)
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if len(msg) > 120 {
		msg = strings.ToValidUTF8(msg[:120], "") + "…"
	}
	where := ""
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		fr, more := frames.Next()
		if fn := fr.Function; fn != "" && !strings.HasPrefix(fn, "runtime.") {
			where = " in " + fn[strings.LastIndexByte(fn, '/')+1:]
			break
		}
		if !more {
			break
		}
	}
	return "panic" + where + ": " + msg
}
