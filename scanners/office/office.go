// Package office extracts the text of office documents and data files
// (xlsx, docx, pptx, xls, SQLite, Access through mdbtools; PDF is
// handed to scanners/pdf)
// as scanners.Opener containers: each sheet or table becomes a Text
// member of tab-separated lines with its header row first, each document
// part a Text member of paragraph lines.
package office

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/pdf"
)

// Magic numbers of the formats recognised by content.
var (
	magicSQLite = []byte("SQLite format 3\x00")
	magicOLE2   = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	magicZip    = []byte("PK\x03\x04")
)

// Identify returns the opener for a file named name whose first bytes
// (up to 64 KiB) are head, or nil when the file is not an office
// document or database this package reads. Formats are told by content;
// the name only settles an OOXML zip whose part names are not in head.
func Identify(name string, head []byte) scanners.Opener {
	switch {
	case bytes.HasPrefix(head, magicSQLite):
		return sqliteOpener{}
	case bytes.HasPrefix(head, magicOLE2):
		return identifyOLE2(head)
	case len(head) >= 19 && (string(head[4:19]) == "Standard Jet DB" || string(head[4:19]) == "Standard ACE DB"):
		return accessOpener{}
	case bytes.HasPrefix(head, magicZip):
		if k := ooxmlKind(name, head); k != "" {
			return ooxmlOpener{kind: k}
		}
		return nil
	}
	if isDBF(name, head) {
		return dbfOpener{}
	}
	return pdf.Identify(head)
}

// ooxmlKind tells an OOXML package from the entry names in the local file
// headers in head: "xlsx", "docx", "pptx", or "" when head is some other
// zip.
func ooxmlKind(name string, head []byte) string {
	var contentTypes bool
	kind := ""
	for p := 0; ; {
		i := bytes.Index(head[p:], magicZip)
		if i < 0 {
			break
		}
		p += i
		if p+30 > len(head) {
			break
		}
		n := int(head[p+26]) | int(head[p+27])<<8
		entry := head[p+30 : min(p+30+n, len(head))]
		switch {
		case string(entry) == "[Content_Types].xml":
			contentTypes = true
		case kind != "":
		case bytes.HasPrefix(entry, []byte("xl/")):
			kind = "xlsx"
		case bytes.HasPrefix(entry, []byte("word/")):
			kind = "docx"
		case bytes.HasPrefix(entry, []byte("ppt/")):
			kind = "pptx"
		}
		p += 4
	}
	if kind != "" || !contentTypes {
		return kind
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".xlsx", ".xlsm", ".xltx", ".xltm":
		return "xlsx"
	case ".docx", ".docm", ".dotx", ".dotm":
		return "docx"
	case ".pptx", ".pptm", ".potx", ".ppsx", ".ppsm":
		return "pptx"
	}
	return ""
}

// walker holds what one Walk shares between its members: the context,
// the limits, and the bytes expanded so far.
type walker struct {
	ctx     context.Context
	lim     scanners.Limits
	yield   func(scanners.Member) error
	total   int64 // text bytes produced by all members
	members int
}

func newWalker(ctx context.Context, lim scanners.Limits, yield func(scanners.Member) error) *walker {
	d := scanners.DefaultLimits
	if lim.MaxMemberBytes <= 0 {
		lim.MaxMemberBytes = d.MaxMemberBytes
	}
	if lim.MaxArchiveBytes <= 0 {
		lim.MaxArchiveBytes = d.MaxArchiveBytes
	}
	if lim.MaxMembers <= 0 {
		lim.MaxMembers = d.MaxMembers
	}
	if lim.MaxRatio <= 0 {
		lim.MaxRatio = d.MaxRatio
	}
	if lim.MaxSpoolBytes <= 0 {
		lim.MaxSpoolBytes = d.MaxSpoolBytes
	}
	return &walker{ctx: ctx, lim: lim, yield: yield}
}

// emit yields m, counting it against MaxMembers.
func (w *walker) emit(m scanners.Member) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	w.members++
	if w.members > w.lim.MaxMembers {
		return fmt.Errorf("office: more than %d members: %w", w.lim.MaxMembers, scanners.ErrLimit)
	}
	return w.yield(m)
}

// emitText yields a Text member whose content next produces, and closes
// done (if not nil) once yield has returned.
func (w *walker) emitText(name string, next func(dst []byte) ([]byte, error), done func()) error {
	r := &pullReader{w: w, name: name, next: next}
	opened := false
	err := w.emit(scanners.Member{Name: name, Size: -1, Text: true, Open: func() (io.ReadCloser, error) {
		if opened {
			return nil, fmt.Errorf("office: %s opened twice", name)
		}
		opened = true
		return r, nil
	}})
	if done != nil {
		done()
	}
	return err
}

// pullReader is a member's text, produced on demand by next a few lines
// at a time, so that no sheet or table is ever held whole.
type pullReader struct {
	w    *walker
	name string
	next func(dst []byte) ([]byte, error) // appends more text to dst; io.EOF at the end
	buf  []byte
	off  int
	n    int64
	err  error
}

// Read implements io.Reader.
func (r *pullReader) Read(p []byte) (int, error) {
	for r.off >= len(r.buf) {
		if r.err != nil {
			return 0, r.err
		}
		if err := r.w.ctx.Err(); err != nil {
			r.err = err
			return 0, err
		}
		r.buf, r.err = r.next(r.buf[:0])
		r.off = 0
		n := int64(len(r.buf))
		r.n += n
		r.w.total += n
		switch {
		case r.n > r.w.lim.MaxMemberBytes:
			r.buf, r.err = nil, fmt.Errorf("office: %s: text larger than %d bytes: %w", r.name, r.w.lim.MaxMemberBytes, scanners.ErrLimit)
		case r.w.total > r.w.lim.MaxArchiveBytes:
			r.buf, r.err = nil, fmt.Errorf("office: text of all parts larger than %d bytes: %w", r.w.lim.MaxArchiveBytes, scanners.ErrLimit)
		}
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

// Close implements io.Closer; the producer is released by the walk.
func (r *pullReader) Close() error {
	if r.err == nil {
		r.err = errClosed
	}
	return nil
}

// memberErr is a member that cannot be read.
func memberErr(name string, err error) scanners.Member {
	return scanners.Member{Name: name, Size: -1, Err: err}
}

var errClosed = fmt.Errorf("office: read after close")

// appendCell appends s to dst with tabs, line breaks and other control
// characters turned into spaces, so that a cell stays one cell of one
// line, and invalid UTF-8 replaced.
func appendCell(dst []byte, s []byte) []byte {
	return appendClean(dst, s, 0)
}

func appendClean(dst []byte, s []byte, keep byte) []byte { return scanners.AppendCell(dst, s, keep) }

// appendRow appends cells as one tab-separated line, trailing empty
// cells dropped. It reports whether the row had any content; an empty
// row appends nothing.
func appendRow(dst []byte, cells [][]byte) ([]byte, bool) {
	n := len(cells)
	for n > 0 && len(cells[n-1]) == 0 {
		n--
	}
	if n == 0 {
		return dst, false
	}
	for i, c := range cells[:n] {
		if i > 0 {
			dst = append(dst, '\t')
		}
		dst = appendCell(dst, c)
	}
	return append(dst, '\n'), true
}
