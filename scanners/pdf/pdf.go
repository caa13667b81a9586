// Package pdf reads the text of PDF documents with PDFium compiled to
// WebAssembly (github.com/klippa-app/go-pdfium running in wazero: pure
// Go, no cgo). A document is one Text member, "document", its pages in
// order: each visual row of a page one line, the cells of a table row
// tab-separated, so that a table printed to PDF reads like its CSV.
//
// PDFium runs inside the WebAssembly sandbox with a memory cap and no
// file system; a document is read from the scanner's own reader. The
// runtime is started once per process when the first PDF is met.
package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	pdferr "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/rouei/rouei/scanners"
)

// MemberName is the name of a document's one member: a PDF's text is
// reported as "manual.pdf!/document".
const MemberName = "document"

var magic = []byte("%PDF-")

// Identify returns the PDF opener when head (a file's first bytes) is a
// PDF: a "%PDF-1.x" or "%PDF-2.x" header line within its first 1024
// bytes, as readers accept it (but not a tar archive whose first member
// is a PDF, nor text that quotes the header mid-line).
func Identify(head []byte) scanners.Opener {
	h := head[:min(len(head), 1024)]
	for off := 0; ; {
		i := bytes.Index(h[off:], magic)
		if i < 0 {
			return nil
		}
		i += off
		off = i + 1
		v := h[i+len(magic):]
		if len(v) < 3 || (v[0] != '1' && v[0] != '2') || v[1] != '.' || v[2] < '0' || v[2] > '9' {
			continue
		}
		if i > 0 && h[i-1] != '\n' && h[i-1] != '\r' {
			continue
		}
		if i > 0 && len(head) >= 262 && string(head[257:262]) == "ustar" {
			return nil
		}
		return Opener{}
	}
}

// Opener reads a PDF document.
type Opener struct{}

// Kind implements scanners.Opener.
func (Opener) Kind() string { return "pdf" }

// NeedsRandomAccess implements scanners.Opener: PDFium seeks (the cross
// reference table is at the end).
func (Opener) NeedsRandomAccess() bool { return true }

// ErrLimitMemory is wrapped by the error of a document that made PDFium
// use more memory than Config.MemoryLimit.
var ErrLimitMemory = fmt.Errorf("memory limit of PDFium reached: %w", scanners.ErrLimit)

// Walk implements scanners.Opener: it yields one Text member, the
// document's text, read page by page while the engine scans it. Image-only
// pages (no text, an image) are counted in Member.UnreadablePages.
func (Opener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	if src.At == nil || src.Size < 0 {
		return errors.New("pdf: no random access to the document")
	}
	cfg := config()
	lim = lim.WithDefaults()
	// Waiting for a free instance (more workers than instances) counts
	// against the container's time, not the document's.
	inst, err := instance(ctx)
	if err != nil {
		return err
	}
	dctx, cancel := context.WithTimeout(ctx, cfg.MaxTime)
	defer cancel()
	d := &doc{inst: inst, cfg: cfg, lim: lim, ctx: dctx}
	// A call into PDFium cannot be interrupted but by closing its module:
	// when time is up, the instance is killed and every later call fails.
	stop := context.AfterFunc(dctx, func() {
		d.killed.Store(true)
		inst.Kill()
	})
	defer func() {
		if stop() {
			inst.Close()
		}
	}()
	if err := d.open(io.NewSectionReader(src.At, 0, src.Size), src.Size); err != nil {
		return timeout(ctx, dctx, cfg, err)
	}
	r := &textReader{d: d}
	opened := false
	err = yield(scanners.Member{Name: MemberName, Size: -1, Text: true,
		Open: func() (io.ReadCloser, error) {
			if opened {
				return nil, errors.New("pdf: document opened twice")
			}
			opened = true
			return r, nil
		},
		UnreadablePages: func() int { return d.unreadable },
	})
	// A read error (a limit, a broken page) was reported by the engine
	// against the member, after the text read before it.
	return err
}

// timeout names the document's own time limit when it was hit (not the
// container's or the scan's).
func timeout(ctx, dctx context.Context, cfg Config, err error) error {
	if ctx.Err() == nil && dctx.Err() != nil {
		return fmt.Errorf("pdf: reading took longer than %v: %w", cfg.MaxTime, scanners.ErrLimit)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// doc is one open document in its PDFium instance.
type doc struct {
	inst       pdfium.Pdfium
	cfg        Config
	lim        scanners.Limits
	ctx        context.Context
	ref        references.FPDF_DOCUMENT
	pages      int
	next       int // next page to read
	unreadable int // pages with no text that hold an image
	killed     atomic.Bool
	chars      []Char
}

func (d *doc) open(r io.ReadSeeker, size int64) error {
	res, err := d.inst.OpenDocument(&requests.OpenDocument{FileReader: r, FileReaderSize: size})
	if err != nil {
		return d.fail("cannot open the document", err)
	}
	d.ref = res.Document
	pc, err := d.inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: d.ref})
	if err != nil {
		return d.fail("cannot count the pages", err)
	}
	d.pages = pc.PageCount
	return nil
}

// fail turns a PDFium error into the document's error.
func (d *doc) fail(what string, err error) error {
	switch {
	case d.killed.Load():
		if d.ctx.Err() != nil {
			return d.ctx.Err()
		}
		return errKilled
	case errors.Is(err, pdferr.ErrPassword):
		return fmt.Errorf("pdf: protected by a user password: %w", scanners.ErrEncrypted)
	case errors.Is(err, pdferr.ErrSecurity):
		return fmt.Errorf("pdf: unsupported encryption: %w", scanners.ErrEncrypted)
	case d.nearMemoryLimit():
		return fmt.Errorf("pdf: %s: %w (%d MiB)", what, ErrLimitMemory, d.cfg.MemoryLimit>>20)
	case strings.Contains(err.Error(), "wasm error"):
		return fmt.Errorf("pdf: %s: PDFium stopped on the document (%v)", what, firstLine(err.Error()))
	}
	return fmt.Errorf("pdf: %s: %v", what, firstLine(err.Error()))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// nearMemoryLimit tells whether PDFium's memory has grown to within
// 1/16 of the cap: an allocation that failed there is the cap's doing.
func (d *doc) nearMemoryLimit() bool {
	n, ok := memorySize(d.inst)
	return ok && int64(n) >= d.cfg.MemoryLimit-d.cfg.MemoryLimit/16
}

// memorySize returns the size of an instance's WebAssembly memory.
// go-pdfium keeps its module in an internal type, reached by reflection:
// when that changes, ok is false and a failed allocation is reported as
// PDFium stopping, still an error.
func memorySize(inst pdfium.Pdfium) (size uint64, ok bool) {
	defer func() {
		if recover() != nil {
			size, ok = 0, false
		}
	}()
	impl := reflect.ValueOf(inst.GetImplementation())
	if impl.Kind() == reflect.Pointer {
		impl = impl.Elem()
	}
	mod := impl.FieldByName("Module")
	if !mod.IsValid() || mod.IsNil() {
		return 0, false
	}
	mem := mod.MethodByName("Memory").Call(nil)[0]
	if mem.IsNil() {
		return 0, false
	}
	out := mem.MethodByName("Size").Call(nil)[0]
	if !out.CanUint() {
		return 0, false
	}
	return out.Uint(), true
}

// page appends page i's text to dst.
func (d *doc) page(dst []byte, i int) ([]byte, error) {
	pg, err := d.inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: d.ref, Index: i})
	if err != nil {
		return dst, d.fail(fmt.Sprintf("page %d", i+1), err)
	}
	defer d.inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: pg.Page})
	ref := requests.Page{ByReference: &pg.Page}
	tp, err := d.inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: ref})
	if err != nil {
		return dst, d.fail(fmt.Sprintf("page %d text", i+1), err)
	}
	defer d.inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := d.inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return dst, d.fail(fmt.Sprintf("page %d text", i+1), err)
	}
	if n.Count > d.cfg.MaxPageChars {
		return dst, fmt.Errorf("pdf: page %d has %d characters, more than %d: %w", i+1, n.Count, d.cfg.MaxPageChars, scanners.ErrLimit)
	}
	d.chars = d.chars[:0]
	readable := 0
	// The page's text in one call, one rune per character when PDFium
	// gives it so (else a call per character), then each character's box.
	var runes []rune
	if n.Count > 0 {
		all, err := d.inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: n.Count})
		if err != nil {
			return dst, d.fail(fmt.Sprintf("page %d text", i+1), err)
		}
		runes = []rune(all.Text)
	}
	aligned := len(runes) == n.Count
	for c := 0; c < n.Count; c++ {
		if c%256 == 0 {
			if err := d.ctx.Err(); err != nil {
				return dst, err
			}
		}
		var r rune
		if aligned {
			r = runes[c]
		} else {
			u, err := d.inst.FPDFText_GetUnicode(&requests.FPDFText_GetUnicode{TextPage: tp.TextPage, Index: c})
			if err != nil {
				return dst, d.fail(fmt.Sprintf("page %d text", i+1), err)
			}
			r = rune(u.Unicode)
		}
		if r == 2 {
			r = '-' // PDFium's mark of a hyphen that ends a line
		}
		// PDFium's generated characters are spaces and line ends, which
		// are dropped here with the document's own: Layout infers
		// spacing from the boxes.
		if r <= 0 || r > unicode.MaxRune || unicode.IsSpace(r) || unicode.IsControl(r) || r == 0xFFFD || r == 0xFFFE {
			continue
		}
		b, err := d.inst.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp.TextPage, Index: c})
		if err != nil {
			if d.killed.Load() {
				return dst, d.fail(fmt.Sprintf("page %d text", i+1), err)
			}
			continue // a character without a box has no place on the page
		}
		readable++
		d.chars = append(d.chars, Char{R: r, Left: float64(b.Rect.Left), Right: float64(b.Rect.Right),
			Bottom: float64(b.Rect.Bottom), Top: float64(b.Rect.Top)})
	}
	if readable == 0 {
		img, err := d.hasImage(ref)
		if err != nil {
			return dst, d.fail(fmt.Sprintf("page %d objects", i+1), err)
		}
		if img {
			d.unreadable++
		}
		return dst, nil
	}
	return Layout(dst, d.chars), nil
}

// maxObjects is the most page objects looked at for an image on a page
// without text.
const maxObjects = 10_000

// hasImage reports whether a page holds an image object.
func (d *doc) hasImage(ref requests.Page) (bool, error) {
	n, err := d.inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: ref})
	if err != nil {
		return false, err
	}
	for i := 0; i < min(n.Count, maxObjects); i++ {
		o, err := d.inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: ref, Index: i})
		if err != nil {
			return false, err
		}
		t, err := d.inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: o.PageObject})
		if err != nil {
			return false, err
		}
		if t.Type == enums.FPDF_PAGEOBJ_IMAGE {
			return true, nil
		}
	}
	return false, nil
}

// textReader is the document's text, produced a page at a time.
type textReader struct {
	d   *doc
	buf []byte
	off int
	n   int64
	err error
}

var errClosed = errors.New("pdf: read after close")

// Read implements io.Reader.
func (r *textReader) Read(p []byte) (int, error) {
	for r.off >= len(r.buf) {
		if r.err != nil {
			return 0, r.err
		}
		r.buf, r.off = r.buf[:0], 0
		d := r.d
		switch {
		case d.next >= d.pages:
			r.err = io.EOF
			continue
		case d.next >= d.cfg.MaxPages:
			r.err = fmt.Errorf("pdf: %d pages, more than %d: the rest were not read: %w", d.pages, d.cfg.MaxPages, scanners.ErrLimit)
			continue
		}
		if err := d.ctx.Err(); err != nil {
			r.err = d.deadline(err)
			continue
		}
		buf, err := d.page(r.buf, d.next)
		d.next++
		if err != nil {
			if d.killed.Load() || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				err = d.deadline(err)
			}
			r.err = err
		}
		r.buf = buf
		r.n += int64(len(buf))
		if r.n > r.d.lim.MaxMemberBytes {
			r.buf, r.err = nil, fmt.Errorf("pdf: text larger than %d bytes: %w", r.d.lim.MaxMemberBytes, scanners.ErrLimit)
		}
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

// deadline names the document's time limit when it is what stopped the
// read.
func (d *doc) deadline(err error) error {
	if d.ctx.Err() == context.DeadlineExceeded {
		if dl, ok := d.ctx.Deadline(); ok && time.Until(dl) <= 0 {
			return fmt.Errorf("pdf: reading took longer than %v (or the container's time limit): %w", d.cfg.MaxTime, scanners.ErrLimit)
		}
	}
	if d.ctx.Err() != nil {
		return d.ctx.Err()
	}
	return err
}

// Close implements io.Closer.
func (r *textReader) Close() error {
	if r.err == nil {
		r.err = errClosed
	}
	return nil
}
