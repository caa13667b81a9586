package engine

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"sort"
	"strconv"
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
	// recordGap is the largest gap between two strings of a binary that
	// still belong to one record.
	recordGap = 8
)

// fileResult is what scanning one item gives.
type fileResult struct {
	opened   bool         // the item could be opened
	archive  bool         // the item was opened as a container
	media    string       // a known media type (opaque.go), counted in stats
	bytes    int64        // raw bytes read
	file     *report.File // nil when there is nothing to report
	findings []report.Finding
	errors   []report.Error
	skips    []report.Skip
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
}

// workspace holds the buffers one worker reuses from file to file, so
// that scanning many small files does not allocate a chunk buffer each.
type workspace struct {
	br    *bufio.Reader
	chunk []byte // text chunk buffer (ChunkSize + overlap)
	read  []byte // binary read buffer
	norm  []byte
	inner *workspace // for the members of a container being read with this one
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
	var res fileResult
	rc, err := it.Open()
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
			return scanContainer(ctx, it, op, br, cr, opt, ws, depth)
		}
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
	} else {
		rerr = f.scanText(textdec.NewReader(br, enc))
	}
	res.bytes = cr.n
	if rerr != nil {
		if ctx.Err() != nil {
			rerr = ctx.Err()
		}
		res.errors = append(res.errors, errorf(it.Path, "read error after %d bytes: %v; the rest of the file was not scanned", cr.n, rerr))
	}
	v, kept, total := f.an.Result()
	if total == 0 && len(res.errors) == 0 {
		return []fileResult{res}
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
		Reason:         v.Reason,
		Columns:        v.Columns,
		Fields:         v.Fields,
	}
	if len(v.Categories) > 0 {
		file.Categories = v.Categories
	}
	res.file = file
	res.findings = findings(it, kept, v, opt.Reveal)
	return []fileResult{res}
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
	f.scratch = f.scratch[:0]
	for _, d := range f.opt.Detectors {
		f.scratch = d.Find(f.scratch, text)
	}
	ms := f.scratch
	if allow := f.opt.AllowValue; allow != nil {
		kept := ms[:0]
		for _, m := range ms {
			if !allow(m.Category, m.Value) {
				kept = append(kept, m)
			}
		}
		ms = kept
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Start < ms[j].Start })
	line, mi := firstLine, 0
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
		if firstLine > 0 {
			line++
		}
	}
}

// scanText reads decoded UTF-8 text in chunks cut at line ends. A line
// longer than a chunk is cut anyway, and the last overlap bytes before
// the cut are scanned again with the next chunk.
func (f *fileScan) scanText(r io.Reader) error {
	if len(f.ws.chunk) != f.opt.ChunkSize+overlap {
		f.ws.chunk = make([]byte, f.opt.ChunkSize+overlap)
	}
	buf := f.ws.chunk
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
		f.scanTextChunk(data[:cut], rescan, baseLine)
		if eof {
			return readErr
		}
		baseLine += bytes.Count(data[:keep], []byte{'\n'})
		rescan = cut - keep
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

func (f *fileScan) scanTextChunk(chunk []byte, rescan, baseLine int) {
	ws := f.ws
	ws.norm = textdec.Normalize(ws.norm[:0], chunk[:rescan])
	skip := len(ws.norm)
	ws.norm = textdec.Normalize(ws.norm, chunk[rescan:])
	f.detect(ws.norm, skip, baseLine, nil)
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
		lo, hi     int // normalised text in pool
	}
	var (
		pool    []byte // normalised text of the pending strings
		strs    []str
		batch   []byte  // the batch handed to the detectors
		starts  []int   // start of each string in batch
		offsets []int64 // its offset in the file
	)
	flush := func() {
		if len(strs) == 0 {
			return
		}
		sort.Slice(strs, func(i, j int) bool { return strs[i].start < strs[j].start })
		batch, starts, offsets = batch[:0], starts[:0], offsets[:0]
		for i, s := range strs {
			if i > 0 {
				if gap := s.start - strs[i-1].end; gap >= 0 && gap <= recordGap {
					batch = append(batch, '\t')
				} else {
					batch = append(batch, '\n')
				}
			}
			starts = append(starts, len(batch))
			offsets = append(offsets, s.start)
			batch = append(batch, pool[s.lo:s.hi]...)
		}
		batch = append(batch, '\n')
		f.detect(batch, 0, 0, func(pos int) int64 {
			i := sort.Search(len(starts), func(i int) bool { return starts[i] > pos }) - 1
			return offsets[max(i, 0)]
		})
		pool, strs = pool[:0], strs[:0]
	}
	ex := textdec.NewExtractor(minStringRunes, func(start, end int64, text []byte) {
		lo := len(pool)
		pool = textdec.Normalize(pool, text)
		strs = append(strs, str{start: start, end: end, lo: lo, hi: len(pool)})
		if len(pool) >= f.opt.ChunkSize {
			flush()
		}
	})
	if f.ws.read == nil {
		f.ws.read = make([]byte, 256<<10)
	}
	buf := f.ws.read
	for {
		if err := f.ctx.Err(); err != nil {
			return err
		}
		n, err := r.Read(buf)
		if n > 0 {
			ex.Write(buf[:n])
		}
		if err != nil {
			ex.Flush()
			flush()
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}
