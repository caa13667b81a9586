package office

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/rouei/rouei/scanners"
)

// maxCols is the most columns an Excel sheet has (XFD).
const maxCols = 16384

// walkXLSX yields every sheet of a workbook, in workbook order, as a Text
// member named after the sheet.
func walkXLSX(p *pkg, w *walker) error {
	wb := p.mainPart()
	if wb == "" || p.lookup(wb) == nil {
		return fmt.Errorf("office: workbook part missing")
	}
	rels, err := p.rels(wb)
	if err != nil {
		return err
	}
	byID := make(map[string]relationship, len(rels))
	ssPart, stylesPart := "", ""
	for _, r := range rels {
		byID[r.id] = r
		if relType(r.typ, "sharedStrings") {
			ssPart = r.target
		}
		if relType(r.typ, "styles") {
			stylesPart = r.target
		}
	}
	if ssPart == "" && p.lookup("xl/sharedStrings.xml") != nil {
		ssPart = "xl/sharedStrings.xml"
	}
	if stylesPart == "" && p.lookup("xl/styles.xml") != nil {
		stylesPart = "xl/styles.xml"
	}
	sheets, date1904, err := readWorkbookSheets(p, wb)
	if err != nil {
		return err
	}
	var styles []numKind
	if stylesPart != "" && p.lookup(stylesPart) != nil {
		if styles, err = readStyles(p, stylesPart); err != nil {
			return err
		}
	}
	var ss *sharedStrings
	if ssPart != "" {
		if ss, err = readSharedStrings(p, ssPart); err != nil {
			return err
		}
	}
	done := make(map[string]string, len(sheets)) // part → sheet
	for i, s := range sheets {
		name := s.name
		if name == "" {
			name = "sheet" + strconv.Itoa(i+1)
		}
		r, ok := byID[s.rid]
		if ok && relType(r.typ, "chartsheet") {
			continue // a chart: no cells
		}
		if !ok || p.lookup(r.target) == nil {
			err := fmt.Errorf("office: sheet %q: part missing", name)
			if e := w.emit(scanners.Member{Name: name, Size: -1, Err: err}); e != nil {
				return e
			}
			continue
		}
		if other, dup := done[r.target]; dup {
			err := fmt.Errorf("office: sheet %q: same part as sheet %q", name, other)
			if e := w.emit(memberErr(name, err)); e != nil {
				return e
			}
			continue
		}
		done[r.target] = name
		rc, err := p.open(r.target)
		if err != nil {
			if e := w.emit(scanners.Member{Name: name, Size: -1, Err: err}); e != nil {
				return e
			}
			continue
		}
		sr := &sheetReader{d: xml.NewDecoder(rc), part: rc, ss: ss, name: name, styles: styles, date1904: date1904}
		err = w.emitText(name, sr.next, func() { rc.Close() })
		if err != nil {
			return err
		}
	}
	return nil
}

type sheetRef struct{ name, rid string }

// readWorkbookSheets lists the <sheet> elements of workbook.xml, and
// tells whether the workbook counts dates from 1904.
func readWorkbookSheets(p *pkg, wb string) ([]sheetRef, bool, error) {
	rc, err := p.open(wb)
	if err != nil {
		return nil, false, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var out []sheetRef
	date1904 := false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, date1904, nil
		}
		if err != nil {
			return nil, false, rc.why(fmt.Errorf("office: %s: %w", wb, err))
		}
		se, ok := tok.(xml.StartElement)
		if ok && se.Name.Local == "workbookPr" {
			for _, a := range se.Attr {
				if a.Name.Local == "date1904" && (a.Value == "1" || a.Value == "true") {
					date1904 = true
				}
			}
		}
		if !ok || se.Name.Local != "sheet" {
			continue
		}
		var s sheetRef
		for _, a := range se.Attr {
			switch {
			case a.Name.Local == "name":
				s.name = a.Value
			case a.Name.Local == "id" && a.Name.Space != "":
				s.rid = a.Value
			}
		}
		out = append(out, s)
		if len(out) > p.w.lim.MaxMembers {
			return nil, false, fmt.Errorf("office: more than %d sheets: %w", p.w.lim.MaxMembers, scanners.ErrLimit)
		}
	}
}

// maxStyles bounds the cell formats read from styles.xml (Excel allows
// 64,000).
const maxStyles = 1 << 17

// readStyles reads the kind of each cell format (<cellXfs><xf
// numFmtId>) of styles.xml, from the built-in formats and the workbook's
// own <numFmt formatCode>.
func readStyles(p *pkg, part string) ([]numKind, error) {
	rc, err := p.open(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	custom := map[int]numKind{}
	var ids []int
	inXfs := false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, rc.why(fmt.Errorf("office: %s: %w", part, err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				id, code := -1, ""
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "numFmtId":
						id, _ = strconv.Atoi(a.Value)
					case "formatCode":
						code = a.Value
					}
				}
				if id >= 0 && len(custom) < maxStyles {
					custom[id] = formatKind(code)
				}
			case "cellXfs":
				inXfs = true
			case "xf":
				if !inXfs {
					continue
				}
				id := 0
				for _, a := range t.Attr {
					if a.Name.Local == "numFmtId" {
						id, _ = strconv.Atoi(a.Value)
					}
				}
				if len(ids) >= maxStyles {
					return nil, fmt.Errorf("office: %s: more than %d cell formats: %w", part, maxStyles, scanners.ErrLimit)
				}
				ids = append(ids, id)
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
	}
	kinds := make([]numKind, len(ids))
	for i, id := range ids {
		if k, ok := custom[id]; ok {
			kinds[i] = k
		} else {
			kinds[i] = builtinKind(id)
		}
	}
	return kinds, nil
}

// sharedStrings is a workbook's shared string table, packed in one
// buffer: string i is data[off[i]:off[i+1]].
type sharedStrings struct {
	data []byte
	off  []int
}

func (s *sharedStrings) get(i int) []byte {
	if i < 0 || i+1 >= len(s.off) {
		return nil
	}
	return s.data[s.off[i]:s.off[i+1]]
}

// readSharedStrings reads the shared string table, skipping phonetic
// readings (<rPh>), its memory counted against MaxMemberBytes.
func readSharedStrings(p *pkg, part string) (*sharedStrings, error) {
	rc, err := p.open(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	s := &sharedStrings{off: []int{0}}
	var (
		inSI, inT bool
		rph       int
		start     int
		tokens    int
	)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			return nil, rc.why(fmt.Errorf("office: %s: %w", part, err))
		}
		if tokens++; tokens&0x3ff == 0 {
			if err := p.w.ctx.Err(); err != nil {
				return nil, err
			}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI, rph, start = true, 0, len(s.data)
			case "rPh":
				rph++
			case "t":
				inT = inSI && rph == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if inSI {
					s.data = append(s.data[:start], unescapeX(s.data[start:])...)
					s.off = append(s.off, len(s.data))
				}
				inSI = false
			case "rPh":
				rph--
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT {
				s.data = append(s.data, t...)
			}
		}
		if int64(cap(s.data))+int64(cap(s.off))*8 > p.w.lim.MaxMemberBytes {
			return nil, fmt.Errorf("office: %s: shared strings larger than %d bytes: %w", part, p.w.lim.MaxMemberBytes, scanners.ErrLimit)
		}
	}
}

// unescapeX decodes the _xHHHH_ escapes OOXML uses for characters XML
// cannot hold (_x000D_ for a carriage return), in place.
func unescapeX(b []byte) []byte {
	out := b[:0]
	for i := 0; i < len(b); {
		if b[i] == '_' && i+7 <= len(b) && b[i+1] == 'x' && b[i+6] == '_' {
			if v, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16); err == nil {
				out = append(out, string(rune(v))...)
				i += 7
				continue
			}
		}
		out = append(out, b[i])
		i++
	}
	return out
}

// cell is one cell of the row being read.
type cell struct {
	col int // 0-based
	v   []byte
}

// sheetReader streams a worksheet's rows as tab-separated lines.
type sheetReader struct {
	d    *xml.Decoder
	part *limitedPart
	ss   *sharedStrings
	name string

	styles   []numKind // kind of each cell format
	date1904 bool
	style    int    // cell format of the cell being read
	num      []byte // a date rendered

	minCol  int // first column of the sheet's dimension
	cells   []cell
	n       int // cells used in this row
	nextCol int
	rowNum  int // this row's number (1-based)
	lastRow int // number of the last row seen
	lastOut int // number of the last row written, 0: none yet

	typ      string
	cur      []byte
	inV, inT bool
	inIS     bool
	rph      int
	col      int
	done     bool
	depth    int // open elements
	tokens   int
}

// next appends the next non-empty row (preceded by an empty line when
// rows were skipped since the last one) to dst.
func (r *sheetReader) next(dst []byte) ([]byte, error) {
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
			return dst, io.EOF
		}
		if err != nil {
			r.done = true
			return dst, r.part.why(fmt.Errorf("office: sheet %q: %w", r.name, err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			r.depth++
			r.start(t)
		case xml.EndElement:
			r.depth--
			dst = r.end(t, dst)
		case xml.CharData:
			if r.inV || r.inT {
				r.cur = append(r.cur, t...)
			}
		}
		if r.tokens++; r.tokens&0xffff == 0 && len(dst) == start {
			// A long run of empty cells: return an empty chunk now and
			// then so that the reader still checks its context.
			return dst, nil
		}
	}
	return dst, nil
}

func (r *sheetReader) start(t xml.StartElement) {
	switch t.Name.Local {
	case "dimension":
		if r.lastRow == 0 {
			for _, a := range t.Attr {
				if a.Name.Local == "ref" {
					if c, ok := parseCol(a.Value); ok {
						r.minCol = c
					}
				}
			}
		}
	case "row":
		r.n, r.nextCol = 0, 0
		r.rowNum = r.lastRow + 1
		for _, a := range t.Attr {
			if a.Name.Local == "r" {
				if n, err := strconv.Atoi(a.Value); err == nil && n > r.lastRow && n <= 1<<21 {
					r.rowNum = n
				}
			}
		}
	case "c":
		r.col, r.typ, r.style = r.nextCol, "", 0
		r.cur = r.cur[:0]
		for _, a := range t.Attr {
			switch a.Name.Local {
			case "r":
				if c, ok := parseCol(a.Value); ok {
					r.col = c
				}
			case "t":
				r.typ = a.Value
			case "s":
				r.style, _ = strconv.Atoi(a.Value)
			}
		}
	case "v":
		r.inV = true
	case "is":
		r.inIS = true
	case "rPh":
		r.rph++
	case "t":
		r.inT = r.inIS && r.rph == 0
	}
}

func (r *sheetReader) end(t xml.EndElement, dst []byte) []byte {
	switch t.Name.Local {
	case "v":
		r.inV = false
	case "t":
		r.inT = false
	case "is":
		r.inIS = false
	case "rPh":
		r.rph--
	case "c":
		r.inV, r.inT, r.inIS, r.rph = false, false, false, 0
		r.nextCol = min(r.col+1, maxCols-1)
		v := r.value()
		if len(v) == 0 {
			return dst
		}
		if r.n == len(r.cells) {
			r.cells = append(r.cells, cell{})
		}
		c := &r.cells[r.n]
		c.col = r.col
		c.v = append(c.v[:0], v...)
		r.n++
	case "row":
		r.lastRow = r.rowNum
		if r.n == 0 {
			return dst
		}
		if r.lastOut > 0 && r.rowNum > r.lastOut+1 {
			dst = append(dst, '\n')
		}
		r.lastOut = r.rowNum
		dst = r.appendRow(dst)
		r.n = 0
	}
	return dst
}

// value is the text of the cell just read.
func (r *sheetReader) value() []byte {
	switch r.typ {
	case "s":
		if r.ss == nil {
			return nil
		}
		i, err := strconv.Atoi(string(r.cur))
		if err != nil {
			return nil
		}
		return r.ss.get(i)
	case "b":
		switch string(r.cur) {
		case "1":
			return []byte("TRUE")
		case "0":
			return []byte("FALSE")
		}
		return r.cur
	case "inlineStr", "str":
		return unescapeX(r.cur)
	case "", "n":
		if r.style >= 0 && r.style < len(r.styles) && r.styles[r.style] != kindNumber {
			if f, err := strconv.ParseFloat(string(r.cur), 64); err == nil {
				if out, ok := appendSerial(r.num[:0], f, r.styles[r.style], r.date1904); ok {
					r.num = out
					return out
				}
			}
		}
	}
	return r.cur // numbers, ISO dates (t="d") and errors as written
}

// appendRow writes the row's cells at their columns.
func (r *sheetReader) appendRow(dst []byte) []byte {
	cells := r.cells[:r.n]
	if !sort.SliceIsSorted(cells, func(i, j int) bool { return cells[i].col < cells[j].col }) {
		sort.SliceStable(cells, func(i, j int) bool { return cells[i].col < cells[j].col })
	}
	prev := min(r.minCol, cells[0].col)
	for i, c := range cells {
		gap := c.col - prev
		if i > 0 && gap == 0 {
			dst = append(dst, ' ')
		}
		for ; gap > 0; gap-- {
			dst = append(dst, '\t')
		}
		dst = appendCell(dst, c.v)
		prev = c.col
	}
	return append(dst, '\n')
}

// parseCol reads the 0-based column of a cell reference ("C5" → 2, or
// the first cell of a range "B2:F9" → 1).
func parseCol(ref string) (int, bool) {
	col, n := 0, 0
	for n < len(ref) {
		c := ref[n]
		switch {
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A') + 1
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a') + 1
		case c == '$' && n == 0:
		default:
			goto done
		}
		n++
		if col > maxCols {
			return 0, false
		}
	}
done:
	if col == 0 {
		return 0, false
	}
	return col - 1, true
}
