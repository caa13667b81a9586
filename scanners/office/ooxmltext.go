package office

import (
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/rouei/rouei/scanners"
)

// walkDOCX yields the main document of a word-processing package as the
// member "document", then its headers, footers, footnotes, endnotes and
// comments, each named after its part ("header1", "footnotes").
func walkDOCX(p *pkg, w *walker) error {
	main := p.mainPart()
	if main == "" || !strings.HasPrefix(main, "word/") {
		return fmt.Errorf("office: document part missing")
	}
	if err := emitParagraphs(p, w, "document", main); err != nil {
		return err
	}
	dir := path.Dir(main) + "/"
	var extra []string
	for _, n := range p.names {
		if !strings.HasPrefix(n, dir) || strings.Contains(n[len(dir):], "/") || n == main {
			continue
		}
		base := strings.TrimSuffix(n[len(dir):], ".xml")
		if base == n[len(dir):] {
			continue
		}
		for _, k := range []string{"header", "footer", "footnotes", "endnotes", "comments"} {
			if strings.HasPrefix(base, k) {
				extra = append(extra, n)
				break
			}
		}
	}
	sortNatural(extra)
	for _, n := range extra {
		if err := emitParagraphs(p, w, strings.TrimSuffix(path.Base(n), ".xml"), n); err != nil {
			return err
		}
	}
	return nil
}

// walkPPTX yields each slide of a presentation as a member "slide1" …,
// in the order of the slide part numbers, then the speaker notes
// ("notesSlide1" …).
func walkPPTX(p *pkg, w *walker) error {
	var slides, notes []string
	for _, n := range p.names {
		switch dir, base := path.Split(n); {
		case !strings.HasSuffix(base, ".xml"):
		case dir == "ppt/slides/" && strings.HasPrefix(base, "slide"):
			slides = append(slides, n)
		case dir == "ppt/notesSlides/" && strings.HasPrefix(base, "notesSlide"):
			notes = append(notes, n)
		}
	}
	if len(slides) == 0 && p.lookup("ppt/presentation.xml") == nil {
		return fmt.Errorf("office: presentation part missing")
	}
	sortNatural(slides)
	sortNatural(notes)
	for _, n := range append(slides, notes...) {
		if err := emitParagraphs(p, w, strings.TrimSuffix(path.Base(n), ".xml"), n); err != nil {
			return err
		}
	}
	return nil
}

// sortNatural sorts part names with their numbers compared as numbers
// (slide2 before slide10).
func sortNatural(names []string) {
	key := func(s string) (string, int) {
		s = strings.TrimSuffix(s, ".xml")
		i := len(s)
		for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
			i--
		}
		n, _ := strconv.Atoi(s[i:])
		return s[:i], n
	}
	sort.SliceStable(names, func(i, j int) bool {
		a, an := key(names[i])
		b, bn := key(names[j])
		if a != b {
			return a < b
		}
		return an < bn
	})
}

// emitParagraphs yields a part's text as a Text member.
func emitParagraphs(p *pkg, w *walker, name, part string) error {
	rc, err := p.open(part)
	if err != nil {
		return w.emit(memberErr(name, err))
	}
	pr := &paraReader{d: xml.NewDecoder(rc), part: rc, name: name, max: w.lim.MaxMemberBytes}
	return w.emitText(name, pr.next, func() { rc.Close() })
}

// paraReader streams the paragraphs of a WordprocessingML or DrawingML
// part as lines; the rows of a table become tab-separated lines.
type paraReader struct {
	d    *xml.Decoder
	part *limitedPart
	name string
	max  int64

	para   []byte   // the paragraph being read
	cells  [][]byte // the cells of the table row being read
	cell   []byte   // the cell being read
	tables int      // depth of <tbl>
	inT    bool
	inRun  bool
	skip   int // depth inside elements whose text is not content
	done   bool
	depth  int // open elements
	tokens int
}

// next appends the next line or lines to dst.
func (r *paraReader) next(dst []byte) ([]byte, error) {
	if r.done {
		return dst, io.EOF
	}
	start := len(dst)
	for len(dst) == start {
		tok, err := r.d.RawToken()
		if err == io.EOF && r.depth != 0 {
			err = io.ErrUnexpectedEOF
		}
		if err == io.EOF {
			r.done = true
			if len(r.para) > 0 {
				dst = append(appendClean(dst, r.para, '\t'), '\n')
			}
			return dst, io.EOF
		}
		if err != nil {
			r.done = true
			return dst, r.part.why(fmt.Errorf("office: %s: %w", r.name, err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			r.depth++
			r.start(t)
		case xml.EndElement:
			r.depth--
			dst = r.end(t, dst)
		case xml.CharData:
			if r.inT && r.skip == 0 {
				r.para = append(r.para, t...)
			}
		}
		if int64(len(r.para)+len(r.cell)) > r.max {
			r.done = true
			return dst, fmt.Errorf("office: %s: paragraph larger than %d bytes: %w", r.name, r.max, scanners.ErrLimit)
		}
		if r.tokens++; r.tokens&0xffff == 0 && len(dst) == start {
			return dst, nil
		}
	}
	return dst, nil
}

// skipped are elements whose text is not the document's: field codes,
// phonetic guides (ruby readings), and the fallback copies of
// alternate content.
func skipped(local string) bool {
	switch local {
	case "instrText", "delInstrText", "rt", "Fallback":
		return true
	}
	return false
}

func (r *paraReader) start(t xml.StartElement) {
	if skipped(t.Name.Local) {
		r.skip++
		return
	}
	switch t.Name.Local {
	case "t", "delText":
		r.inT = true
	case "r":
		r.inRun = true
	case "tab":
		if r.inRun && r.skip == 0 {
			r.para = append(r.para, '\t')
		}
	case "br", "cr":
		if r.skip == 0 {
			r.para = append(r.para, '\n')
		}
	case "tbl":
		r.tables++
	case "tr":
		if r.tables == 1 {
			r.cells = r.cells[:0]
		}
	case "tc":
		if r.tables == 1 {
			r.cell = r.cell[:0]
		}
	}
}

func (r *paraReader) end(t xml.EndElement, dst []byte) []byte {
	if skipped(t.Name.Local) {
		if r.skip > 0 {
			r.skip--
		}
		return dst
	}
	switch t.Name.Local {
	case "t", "delText":
		r.inT = false
	case "r":
		r.inRun = false
	case "p":
		if r.tables > 0 {
			r.flushPara()
			return dst
		}
		if len(r.para) > 0 {
			for _, line := range strings.Split(string(r.para), "\n") {
				dst = append(appendClean(dst, []byte(line), '\t'), '\n')
			}
		} else {
			dst = append(dst, '\n')
		}
		r.para = r.para[:0]
	case "tc":
		if r.tables == 1 {
			r.flushPara()
			r.cells = append(r.cells, append([]byte(nil), r.cell...))
		}
	case "tr":
		if r.tables == 1 {
			r.flushPara()
			dst, _ = appendRow(dst, r.cells)
			r.cells = r.cells[:0]
		}
	case "tbl":
		if r.tables > 0 {
			r.tables--
		}
	}
	return dst
}

// flushPara moves the paragraph read inside a table into the cell,
// space-separated.
func (r *paraReader) flushPara() {
	if len(r.para) == 0 {
		return
	}
	if r.tables > 0 {
		if len(r.cell) > 0 {
			r.cell = append(r.cell, ' ')
		}
		r.cell = append(r.cell, r.para...)
	}
	r.para = r.para[:0]
}
