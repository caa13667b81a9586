package office

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"

	"github.com/rouei/rouei/scanners"
)

var errDOC = errors.New("office: corrupt Word 97-2003 document")

// Offsets in the FIB of a Word 97 and later document.
const (
	fibIdent   = 0xA5EC
	fibMin97   = 0x00C1 // nFib of Word 97; Word 6 and 95 are 0x0065 to 0x0068
	fibFlags   = 0x000A
	fibLid     = 0x0006
	fibFcMin   = 0x0018 // Word 6/95: first byte of text
	fibFcMac   = 0x001C // Word 6/95: end of text
	fibRgStart = 0x0020 // csw
)

// docText is the text of a Word 97–2003 document: the WordDocument
// stream, its table stream (0Table or 1Table) for the piece table and the
// paragraph properties that tell table rows.
type docText struct {
	word, table []byte
	max         int64
	rowEnds     map[uint32]bool // FCs just past the paragraph marks that end table rows
	inTable     map[uint32]bool // FCs just past the paragraph marks of paragraphs in tables
	havePAPX    bool
}

// readDOC turns a document into lines: paragraphs, and the rows of its
// tables as tab-separated cells. table is nil when the stream named by
// the FIB is missing.
func readDOC(word []byte, tables map[string][]byte, max int64) ([]byte, error) {
	if len(word) < fibRgStart+2 || binary.LittleEndian.Uint16(word) != fibIdent {
		return nil, fmt.Errorf("%w: no FIB", errDOC)
	}
	flags := binary.LittleEndian.Uint16(word[fibFlags:])
	if flags&0x0100 != 0 {
		return nil, fmt.Errorf("office: Word document is password protected: %w", scanners.ErrEncrypted)
	}
	nFib := binary.LittleEndian.Uint16(word[2:])
	switch {
	case nFib >= 0x0065 && nFib <= 0x0069:
		return readWord6(word, flags, max)
	case nFib < fibMin97-1:
		return nil, fmt.Errorf("%w: unknown Word version (nFib %#x)", errDOC, nFib)
	}
	name := "0Table"
	if flags&0x0200 != 0 {
		name = "1Table"
	}
	d := &docText{word: word, table: tables[name], max: max}
	if d.table == nil {
		return nil, fmt.Errorf("%w: table stream %s missing", errDOC, name)
	}
	fcClx, lcbClx, err := d.fcLcb(33)
	if err != nil {
		return nil, err
	}
	pieces, err := d.pieceTable(fcClx, lcbClx)
	if err != nil {
		return nil, err
	}
	if fc, lcb, err := d.fcLcb(13); err == nil {
		d.readPAPX(fc, lcb)
	}
	return d.text(pieces)
}

// fcLcb reads the i-th pair of FibRgFcLcb.
func (d *docText) fcLcb(i int) (uint32, uint32, error) {
	p := fibRgStart
	csw := int(binary.LittleEndian.Uint16(d.word[p:]))
	p += 2 + 2*csw
	if p+2 > len(d.word) {
		return 0, 0, fmt.Errorf("%w: short FIB", errDOC)
	}
	cslw := int(binary.LittleEndian.Uint16(d.word[p:]))
	p += 2 + 4*cslw
	if p+2 > len(d.word) {
		return 0, 0, fmt.Errorf("%w: short FIB", errDOC)
	}
	n := int(binary.LittleEndian.Uint16(d.word[p:]))
	p += 2
	if i >= n || p+8*i+8 > len(d.word) {
		return 0, 0, fmt.Errorf("%w: short FIB", errDOC)
	}
	p += 8 * i
	return binary.LittleEndian.Uint32(d.word[p:]), binary.LittleEndian.Uint32(d.word[p+4:]), nil
}

// piece is one run of text: CPs [cp, cpEnd) at byte fc of WordDocument,
// 8-bit (compressed) or UTF-16.
type piece struct {
	cp, cpEnd  uint32
	fc         uint32
	compressed bool
}

// pieceTable reads the Clx: property runs (skipped), then the PlcPcd.
func (d *docText) pieceTable(fc, lcb uint32) ([]piece, error) {
	if uint64(fc)+uint64(lcb) > uint64(len(d.table)) {
		return nil, fmt.Errorf("%w: piece table outside its stream", errDOC)
	}
	clx := d.table[fc : fc+lcb]
	for len(clx) > 0 && clx[0] == 0x01 { // Prc
		if len(clx) < 3 {
			return nil, fmt.Errorf("%w: short Prc", errDOC)
		}
		n := int(binary.LittleEndian.Uint16(clx[1:]))
		if 3+n > len(clx) {
			return nil, fmt.Errorf("%w: short Prc", errDOC)
		}
		clx = clx[3+n:]
	}
	if len(clx) < 5 || clx[0] != 0x02 {
		return nil, fmt.Errorf("%w: no piece table", errDOC)
	}
	n := binary.LittleEndian.Uint32(clx[1:])
	plc := clx[5:]
	if uint64(n) > uint64(len(plc)) || (n-4)%12 != 0 || n < 16 {
		return nil, fmt.Errorf("%w: piece table of %d bytes", errDOC, n)
	}
	plc = plc[:n]
	count := int((n - 4) / 12)
	pieces := make([]piece, 0, count)
	for i := 0; i < count; i++ {
		cp := binary.LittleEndian.Uint32(plc[4*i:])
		end := binary.LittleEndian.Uint32(plc[4*i+4:])
		pcd := plc[4*(count+1)+8*i:]
		fcv := binary.LittleEndian.Uint32(pcd[2:])
		p := piece{cp: cp, cpEnd: end, compressed: fcv&0x40000000 != 0}
		if p.compressed {
			p.fc = (fcv &^ 0x40000000) / 2
		} else {
			p.fc = fcv
		}
		if end < cp {
			return nil, fmt.Errorf("%w: piece %d ends before it starts", errDOC, i)
		}
		pieces = append(pieces, p)
	}
	return pieces, nil
}

// readPAPX reads the paragraph properties' bin table and FKPs, noting the
// paragraphs that end table rows (sprmPFTtp, sprmPFInnerTtp). Where they
// cannot be read, rows are told from the text alone.
func (d *docText) readPAPX(fc, lcb uint32) {
	if lcb < 8 || uint64(fc)+uint64(lcb) > uint64(len(d.table)) || (lcb-4)%8 != 0 {
		return
	}
	plc := d.table[fc : fc+lcb]
	n := int((lcb - 4) / 8)
	d.rowEnds = make(map[uint32]bool)
	d.inTable = make(map[uint32]bool)
	for i := 0; i < n; i++ {
		pn := binary.LittleEndian.Uint32(plc[4*(n+1)+4*i:]) & 0x3FFFFF
		off := int64(pn) * 512
		if off+512 > int64(len(d.word)) {
			continue
		}
		fkp := d.word[off : off+512]
		crun := int(fkp[511])
		if 4*(crun+1)+13*crun > 511 {
			continue
		}
		for j := 0; j < crun; j++ {
			end := binary.LittleEndian.Uint32(fkp[4*(j+1):])
			bx := int(fkp[4*(crun+1)+13*j]) * 2
			if bx == 0 || bx >= 511 {
				continue
			}
			cb := int(fkp[bx])
			start := bx + 1
			size := 2*cb - 1
			if cb == 0 {
				if bx+1 >= 511 {
					continue
				}
				size = 2 * int(fkp[bx+1])
				start = bx + 2
			}
			if size < 2 || start+size > 511 {
				continue
			}
			ttp, in := grpprlTable(fkp[start+2 : start+size]) // after the istd
			if ttp {
				d.rowEnds[end] = true
			}
			if in || ttp {
				d.inTable[end] = true
			}
		}
	}
	d.havePAPX = true
}

// grpprlTable reports whether paragraph sprms set sprmPFTtp or
// sprmPFInnerTtp (the paragraph ends a table row), and sprmPFInTable.
func grpprlTable(g []byte) (ttp, inTable bool) {
	for len(g) >= 2 {
		sprm := binary.LittleEndian.Uint16(g)
		g = g[2:]
		var n int
		switch sprm >> 13 {
		case 0, 1:
			n = 1
		case 2, 4, 5:
			n = 2
		case 3:
			n = 4
		case 7:
			n = 3
		case 6:
			if len(g) < 1 {
				return
			}
			n = int(g[0]) + 1
			if sprm == 0xD608 || sprm == 0xD606 { // sprmTDefTable, sprmTDefTable10: a 2-byte length
				if len(g) < 2 {
					return
				}
				n = int(binary.LittleEndian.Uint16(g)) + 1
			}
			if sprm == 0xC615 && g[0] == 255 { // sprmPChgTabs, long form
				return
			}
		}
		if n > len(g) {
			return
		}
		switch sprm {
		case 0x2417, 0x244C:
			ttp = ttp || g[0] != 0
		case 0x2416:
			inTable = inTable || g[0] != 0
		}
		g = g[n:]
	}
	return
}

// text renders the pieces in CP order.
func (d *docText) text(pieces []piece) ([]byte, error) {
	sort.SliceStable(pieces, func(i, j int) bool { return pieces[i].cp < pieces[j].cp })
	out := &docWriter{max: d.max}
	win := charmap.Windows1252
	for _, p := range pieces {
		size := uint32(2)
		if p.compressed {
			size = 1
		}
		n := uint64(p.cpEnd - p.cp)
		if uint64(p.fc)+n*uint64(size) > uint64(len(d.word)) {
			return out.finish(), fmt.Errorf("%w: text piece outside the WordDocument stream", errDOC)
		}
		for k := uint32(0); k < uint32(n); k++ {
			fc := p.fc + k*size
			var r rune
			if p.compressed {
				c := d.word[fc]
				if c >= 0x80 {
					r = win.DecodeByte(c)
				} else {
					r = rune(c)
				}
			} else {
				u := binary.LittleEndian.Uint16(d.word[fc:])
				r = rune(u)
				if utf16.IsSurrogate(r) && k+1 < uint32(n) {
					u2 := binary.LittleEndian.Uint16(d.word[fc+2:])
					if r2 := utf16.DecodeRune(r, rune(u2)); r2 != utf8.RuneError {
						out.rune(r2, markNone)
						k++
						continue
					}
				}
			}
			switch {
			case !d.havePAPX:
				out.rune(r, markGuess)
			case r == 0x07 && d.rowEnds[fc+size]:
				out.rune(r, markRowEnd)
			case d.inTable[fc+size]:
				out.rune(r, markInTable)
			default:
				out.rune(r, markNone)
			}
			if out.err != nil {
				return nil, out.err
			}
		}
	}
	return out.finish(), nil
}

// docWriter turns Word's characters into lines.
type docWriter struct {
	buf    []byte
	para   []byte
	cells  [][]byte
	last7  bool // the previous character was a cell mark
	fields []bool
	max    int64
	err    error
}

// What the paragraph properties say of the paragraph a character ends.
const (
	markNone    = iota // not in a table
	markInTable        // a paragraph or cell of a table
	markRowEnd         // the mark that ends a table row
	markGuess          // not known: a cell mark right after a cell mark ends the row
)

// rune takes one character and what is known of its paragraph.
func (w *docWriter) rune(r rune, mark int) {
	prev7 := w.last7
	w.last7 = false
	if n := len(w.fields); n > 0 && w.fields[n-1] && r != 0x13 && r != 0x14 && r != 0x15 {
		return // inside a field code
	}
	switch r {
	case 0x0D, 0x0B, 0x0C: // paragraph, line and page breaks
		if mark == markInTable || (mark == markGuess && len(w.cells) > 0) {
			w.para = append(w.para, ' ')
			return
		}
		if len(w.cells) > 0 {
			w.row()
		}
		w.line()
	case 0x07:
		if mark == markRowEnd || (mark == markGuess && prev7 && len(w.para) == 0) {
			w.row()
			return
		}
		w.cells = append(w.cells, append([]byte(nil), trimSpaces(w.para)...))
		w.para = w.para[:0]
		w.last7 = true
	case 0x13: // field begin: its code follows
		w.fields = append(w.fields, true)
	case 0x14: // field separator: its result follows
		if n := len(w.fields); n > 0 {
			w.fields[n-1] = false
		}
	case 0x15:
		if n := len(w.fields); n > 0 {
			w.fields = w.fields[:n-1]
		}
	case 0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x1F: // pictures, notes, drawn objects, optional hyphens
	case 0x1E:
		w.para = append(w.para, '-')
	case 0xA0:
		w.para = append(w.para, ' ')
	case 0x09:
		w.para = append(w.para, '\t')
	default:
		if r < 0x20 {
			return
		}
		w.para = utf8.AppendRune(w.para, r)
	}
	if int64(len(w.buf)+len(w.para)) > w.max {
		w.err = fmt.Errorf("office: document text larger than %d bytes: %w", w.max, scanners.ErrLimit)
	}
}

func trimSpaces(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

func (w *docWriter) line() {
	w.buf = append(appendClean(w.buf, w.para, '\t'), '\n')
	w.para = w.para[:0]
}

func (w *docWriter) row() {
	if len(w.para) > 0 {
		w.cells = append(w.cells, append([]byte(nil), trimSpaces(w.para)...))
		w.para = w.para[:0]
	}
	w.buf, _ = appendRow(w.buf, w.cells)
	w.cells = w.cells[:0]
}

func (w *docWriter) finish() []byte {
	if len(w.cells) > 0 {
		w.row()
	}
	if len(w.para) > 0 {
		w.line()
	}
	return w.buf
}

// readWord6 reads a Word 6 or Word 95 document that was not fast-saved:
// its text is the bytes from fcMin to fcMac, in the code page of its
// language (CP932 for Japanese).
func readWord6(word []byte, flags uint16, max int64) ([]byte, error) {
	if flags&0x0004 != 0 {
		return nil, fmt.Errorf("office: fast-saved Word 6/95 document: not readable by this build")
	}
	min, mac := binary.LittleEndian.Uint32(word[fibFcMin:]), binary.LittleEndian.Uint32(word[fibFcMac:])
	if mac < min || uint64(mac) > uint64(len(word)) {
		return nil, fmt.Errorf("%w: Word 6/95 text outside its stream", errDOC)
	}
	var enc encoding.Encoding = charmap.Windows1252
	if binary.LittleEndian.Uint16(word[fibLid:]) == 0x0411 {
		enc = japanese.ShiftJIS
	}
	text, err := enc.NewDecoder().Bytes(word[min:mac])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errDOC, err)
	}
	out := &docWriter{max: max}
	for _, r := range string(text) {
		out.rune(r, markGuess)
		if out.err != nil {
			return nil, out.err
		}
	}
	return out.finish(), nil
}

// emitDOC yields a document's text as the member "document".
func emitDOC(w *walker, word []byte, tables map[string][]byte) error {
	text, err := readDOC(word, tables, w.lim.MaxMemberBytes)
	if err != nil {
		return err
	}
	sent := false
	return w.emitText("document", func(dst []byte) ([]byte, error) {
		if sent {
			return dst, io.EOF
		}
		sent = true
		return append(dst, text...), io.EOF
	}, nil)
}
