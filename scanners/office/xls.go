package office

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/rouei/rouei/scanners"
)

// BIFF record types read.
const (
	recFORMULA    = 0x0006
	recEOF        = 0x000A
	recDATEMODE   = 0x0022
	recXF         = 0x00E0
	recFORMAT     = 0x041E
	recFILEPASS   = 0x002F
	recCONTINUE   = 0x003C
	recCODEPAGE   = 0x0042
	recBOUNDSHEET = 0x0085
	recMULRK      = 0x00BD
	recRSTRING    = 0x00D6
	recSST        = 0x00FC
	recLABELSST   = 0x00FD
	recNUMBER     = 0x0203
	recLABEL      = 0x0204
	recBOOLERR    = 0x0205
	recSTRING     = 0x0207
	recRK         = 0x027E
	recBOF        = 0x0809
)

var errBIFF = errors.New("office: corrupt Excel 97-2003 workbook")

// biffBook is the workbook globals of a Workbook stream.
type biffBook struct {
	data   []byte
	biff8  bool // BIFF8 (Excel 97–2003); else BIFF5/7 (Excel 5–95)
	cp     encoding.Encoding
	sst    *sharedStrings
	sheets []biffSheet

	formats  map[int]numKind // the workbook's own number formats
	xfs      []int           // number format of each cell format (XF)
	kinds    []numKind       // kind of each XF, from formats and the built-ins
	date1904 bool
}

// maxXFs bounds the XF records read (Excel writes at most 4,050).
const maxXFs = 1 << 16

// xfKind is the kind of number format of cell format ixfe.
func (b *biffBook) xfKind(ixfe uint16) numKind {
	if int(ixfe) < len(b.kinds) {
		return b.kinds[ixfe]
	}
	return kindNumber
}

type biffSheet struct {
	name string
	pos  int
	typ  byte
}

// walkBIFF yields the worksheets of a Workbook stream; prefix goes before
// their names (the storage of an embedded workbook).
func walkBIFF(w *walker, data []byte, prefix string) error {
	b := &biffBook{data: data, cp: charmap.Windows1252}
	if err := b.readGlobals(w.lim.MaxMemberBytes); err != nil {
		return err
	}
	// Sheets are disjoint parts of the stream: each is read up to the
	// next one's start at most, and once, so that hostile positions
	// cannot make the stream be read over and over.
	starts := make([]int, 0, len(b.sheets))
	for _, s := range b.sheets {
		starts = append(starts, s.pos)
	}
	sort.Ints(starts)
	seen := make(map[int]bool, len(b.sheets))
	for i, s := range b.sheets {
		if s.typ != 0 && s.typ != 1 { // worksheets and macro sheets have cells
			continue
		}
		name := s.name
		if name == "" {
			name = "sheet" + strconv.Itoa(i+1)
		}
		name = prefix + name
		if seen[s.pos] {
			if e := w.emit(memberErr(name, fmt.Errorf("%w: sheet %q: at the same position as another sheet", errBIFF, name))); e != nil {
				return e
			}
			continue
		}
		seen[s.pos] = true
		end := len(data)
		if j := sort.SearchInts(starts, s.pos+1); j < len(starts) {
			end = starts[j]
		}
		cells, text, err := b.readSheet(s.pos, end, w)
		if err != nil {
			if errors.Is(err, w.ctx.Err()) && w.ctx.Err() != nil {
				return err
			}
			if e := w.emit(memberErr(name, fmt.Errorf("%w: sheet %q: %v", errBIFF, name, err))); e != nil {
				return e
			}
			continue
		}
		sr := &biffSheetReader{b: b, cells: cells, text: text}
		if err := w.emitText(name, sr.next, nil); err != nil {
			return err
		}
	}
	return nil
}

// record returns the record at pos: its type, body and the position of
// the next.
func (b *biffBook) record(pos int) (typ uint16, body []byte, next int, err error) {
	if pos < 0 || pos+4 > len(b.data) {
		return 0, nil, 0, io.ErrUnexpectedEOF
	}
	typ = binary.LittleEndian.Uint16(b.data[pos:])
	n := int(binary.LittleEndian.Uint16(b.data[pos+2:]))
	if pos+4+n > len(b.data) {
		return 0, nil, 0, io.ErrUnexpectedEOF
	}
	return typ, b.data[pos+4 : pos+4+n], pos + 4 + n, nil
}

func (b *biffBook) readGlobals(max int64) error {
	typ, body, pos, err := b.record(0)
	if err != nil || typ != recBOF || len(body) < 4 {
		if err == nil && (typ == 0x0009 || typ == 0x0209 || typ == 0x0409) {
			return fmt.Errorf("office: Excel 2.x–4.x workbook (BIFF2–4): not readable by this build")
		}
		return fmt.Errorf("%w: no BOF record", errBIFF)
	}
	switch binary.LittleEndian.Uint16(body) {
	case 0x0600:
		b.biff8 = true
	case 0x0500:
	default:
		return fmt.Errorf("%w: unknown BIFF version %#x", errBIFF, binary.LittleEndian.Uint16(body))
	}
	for {
		typ, body, next, err := b.record(pos)
		if err != nil {
			return fmt.Errorf("%w: globals: %v", errBIFF, err)
		}
		switch typ {
		case recEOF:
			b.kinds = make([]numKind, len(b.xfs))
			for i, f := range b.xfs {
				if k, ok := b.formats[f]; ok {
					b.kinds[i] = k
				} else {
					b.kinds[i] = builtinKind(f)
				}
			}
			return nil
		case recDATEMODE:
			b.date1904 = len(body) >= 2 && binary.LittleEndian.Uint16(body) == 1
		case recFORMAT:
			if len(body) >= 3 {
				if b.formats == nil {
					b.formats = map[int]numKind{}
				}
				var code string
				if b.biff8 {
					code, _, _ = b.unicodeString(body[2:], 2)
				} else {
					n := int(body[2])
					code = b.decode8(body[3:min(3+n, len(body))])
				}
				if len(b.formats) < maxXFs {
					b.formats[int(binary.LittleEndian.Uint16(body))] = formatKind(code)
				}
			}
		case recXF:
			if len(body) >= 4 && len(b.xfs) < maxXFs {
				b.xfs = append(b.xfs, int(binary.LittleEndian.Uint16(body[2:])))
			}
		case recFILEPASS:
			return fmt.Errorf("office: Excel workbook is password protected: %w", scanners.ErrEncrypted)
		case recCODEPAGE:
			if len(body) >= 2 {
				b.cp = codepage(binary.LittleEndian.Uint16(body))
			}
		case recBOUNDSHEET:
			if len(body) < 8 {
				return fmt.Errorf("%w: short BOUNDSHEET", errBIFF)
			}
			s := biffSheet{pos: int(binary.LittleEndian.Uint32(body)), typ: body[5]}
			if b.biff8 {
				s.name, _, _ = b.unicodeString(body[6:], 1)
			} else {
				n := int(body[6])
				s.name = b.decode8(body[7:min(7+n, len(body))])
			}
			b.sheets = append(b.sheets, s)
		case recSST:
			segs := [][]byte{body}
			for {
				t, body, n, err := b.record(next)
				if err != nil || t != recCONTINUE {
					break
				}
				segs = append(segs, body)
				next = n
			}
			if b.sst, err = readSST(segs, max); err != nil {
				return err
			}
		}
		pos = next
	}
}

// codepage is the encoding of a CODEPAGE record's value, for the 8-bit
// strings of BIFF5 workbooks.
func codepage(cp uint16) encoding.Encoding {
	switch cp {
	case 932:
		return japanese.ShiftJIS
	case 936:
		return simplifiedchinese.GBK
	case 949:
		return korean.EUCKR
	case 950:
		return traditionalchinese.Big5
	case 1250:
		return charmap.Windows1250
	case 1251:
		return charmap.Windows1251
	}
	return charmap.Windows1252
}

// decode8 decodes an 8-bit string in the workbook's code page.
func (b *biffBook) decode8(s []byte) string {
	out, err := b.cp.NewDecoder().Bytes(s)
	if err != nil {
		return string(s)
	}
	return string(out)
}

// unicodeString reads an XLUnicodeString (lenBytes 2) or a
// ShortXLUnicodeString (lenBytes 1) at the start of p: the text and the
// bytes used.
func (b *biffBook) unicodeString(p []byte, lenBytes int) (string, int, error) {
	if len(p) < lenBytes+1 {
		return "", 0, io.ErrUnexpectedEOF
	}
	n := int(p[0])
	if lenBytes == 2 {
		n = int(binary.LittleEndian.Uint16(p))
	}
	flags := p[lenBytes]
	p = p[lenBytes+1:]
	used := lenBytes + 1
	if flags&1 != 0 {
		n = min(n, len(p)/2)
		return decodeUTF16(p[:2*n]), used + 2*n, nil
	}
	n = min(n, len(p))
	return decodeLatin1(p[:n]), used + n, nil
}

func decodeUTF16(p []byte) string {
	u := make([]uint16, len(p)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(p[2*i:])
	}
	return string(utf16.Decode(u))
}

func decodeLatin1(p []byte) string {
	out := make([]byte, 0, len(p))
	for _, c := range p {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

// segReader reads an SST record and its CONTINUE records.
type segReader struct {
	segs [][]byte
	i, p int
}

// bytes reads n bytes of non-character data, which may run across
// records.
func (r *segReader) bytes(n int, dst []byte) ([]byte, error) {
	for n > 0 {
		if r.i >= len(r.segs) {
			return dst, io.ErrUnexpectedEOF
		}
		seg := r.segs[r.i]
		k := min(n, len(seg)-r.p)
		dst = append(dst, seg[r.p:r.p+k]...)
		r.p += k
		n -= k
		if r.p == len(seg) {
			r.i, r.p = r.i+1, 0
		}
	}
	return dst, nil
}

func (r *segReader) skip(n int) error {
	for n > 0 {
		if r.i >= len(r.segs) {
			return io.ErrUnexpectedEOF
		}
		k := min(n, len(r.segs[r.i])-r.p)
		r.p += k
		n -= k
		if r.p == len(r.segs[r.i]) {
			r.i, r.p = r.i+1, 0
		}
	}
	return nil
}

// chars reads n characters; where they run into a CONTINUE record, it
// starts with a byte saying whether the rest is 8- or 16-bit.
// hdrSeg is the record the string's header was in: character data
// starting a later record is preceded by the byte.
func (r *segReader) chars(n int, high bool, dst []byte, hdrSeg int) ([]byte, error) {
	for n > 0 {
		if r.i >= len(r.segs) {
			return dst, io.ErrUnexpectedEOF
		}
		if len(r.segs[r.i]) == 0 {
			r.i++
			continue
		}
		if r.p == 0 && r.i != hdrSeg {
			high = r.segs[r.i][0]&1 != 0
			r.p = 1
		}
		seg := r.segs[r.i][r.p:]
		if len(seg) == 0 {
			r.i, r.p = r.i+1, 0
			continue
		}
		if high {
			k := min(n, len(seg)/2)
			for j := 0; j < k; j++ {
				u := binary.LittleEndian.Uint16(seg[2*j:])
				if utf16.IsSurrogate(rune(u)) && j+1 < k {
					if r2 := utf16.DecodeRune(rune(u), rune(binary.LittleEndian.Uint16(seg[2*j+2:]))); r2 != utf8.RuneError {
						dst = utf8.AppendRune(dst, r2)
						j++
						continue
					}
				}
				dst = utf8.AppendRune(dst, rune(u))
			}
			r.p += 2 * k
			n -= k
			if k == 0 { // an odd byte at the end of a record
				r.p = len(r.segs[r.i])
			}
		} else {
			k := min(n, len(seg))
			for _, c := range seg[:k] {
				dst = utf8.AppendRune(dst, rune(c))
			}
			r.p += k
			n -= k
		}
		if r.p >= len(r.segs[r.i]) {
			r.i, r.p = r.i+1, 0
		}
	}
	return dst, nil
}

// readSST reads the shared string table of a BIFF8 workbook, its memory
// counted against max.
func readSST(segs [][]byte, max int64) (*sharedStrings, error) {
	r := &segReader{segs: segs}
	hdr, err := r.bytes(8, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: short SST", errBIFF)
	}
	count := int(binary.LittleEndian.Uint32(hdr[4:]))
	total := 0
	for _, s := range segs {
		total += len(s)
	}
	s := &sharedStrings{off: make([]int, 1, min(count, total/3)+1)}
	var h []byte
	for i := 0; i < count; i++ {
		hdrSeg := r.i
		if h, err = r.bytes(3, h[:0]); err != nil {
			break // a table shorter than its count: keep what was read
		}
		n := int(binary.LittleEndian.Uint16(h))
		flags := h[2]
		var runs, ext int
		if flags&0x08 != 0 {
			if h, err = r.bytes(2, h[:0]); err != nil {
				break
			}
			runs = int(binary.LittleEndian.Uint16(h))
		}
		if flags&0x04 != 0 {
			if h, err = r.bytes(4, h[:0]); err != nil {
				break
			}
			ext = int(int32(binary.LittleEndian.Uint32(h)))
			if ext < 0 {
				return nil, fmt.Errorf("%w: SST string %d: negative extension size", errBIFF, i)
			}
		}
		s.data, err = r.chars(n, flags&1 != 0, s.data, hdrSeg)
		if err != nil {
			s.off = append(s.off, len(s.data))
			break
		}
		s.off = append(s.off, len(s.data))
		if err := r.skip(4*runs + ext); err != nil {
			break
		}
		if int64(cap(s.data))+int64(cap(s.off))*8 > max {
			return nil, fmt.Errorf("office: shared strings larger than %d bytes: %w", max, scanners.ErrLimit)
		}
	}
	return s, nil
}

// biffCell is one cell of a sheet: a shared string (sst >= 0) or text in
// the sheet's text buffer.
type biffCell struct {
	row, col   uint16
	sst        int32
	start, end int32
}

// readSheet reads the cells of the sheet whose BOF is at pos, which must
// end before end.
func (b *biffBook) readSheet(pos, end int, w *walker) ([]biffCell, []byte, error) {
	typ, _, pos, err := b.record(pos)
	if err != nil || typ != recBOF {
		return nil, nil, errors.New("no BOF record at the sheet's position")
	}
	var (
		cells   []biffCell
		text    []byte
		depth   = 1
		formula = -1 // cell waiting for its STRING record
	)
	add := func(row, col uint16, s []byte) {
		start := len(text)
		text = append(text, s...)
		cells = append(cells, biffCell{row: row, col: col, sst: -1, start: int32(start), end: int32(len(text))})
	}
	addNum := func(row, col, ixfe uint16, f float64) {
		start := len(text)
		if k := b.xfKind(ixfe); k != kindNumber {
			if out, ok := appendSerial(text, f, k, b.date1904); ok {
				text = out
			} else {
				text = appendNumber(text, f)
			}
		} else {
			text = appendNumber(text, f)
		}
		cells = append(cells, biffCell{row: row, col: col, sst: -1, start: int32(start), end: int32(len(text))})
	}
	for n := 0; ; n++ {
		if n&0xffff == 0 {
			if err := w.ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		if pos >= end {
			return nil, nil, errors.New("no EOF record before the next sheet")
		}
		typ, body, next, err := b.record(pos)
		if err != nil {
			return nil, nil, err
		}
		pos = next
		if typ != recSTRING && typ != recCONTINUE {
			formula = -1
		}
		if int64(len(text))+int64(cap(cells))*16 > w.lim.MaxMemberBytes {
			return nil, nil, fmt.Errorf("sheet larger than %d bytes: %w", w.lim.MaxMemberBytes, scanners.ErrLimit)
		}
		switch typ {
		case recBOF:
			depth++
		case recEOF:
			if depth--; depth == 0 {
				return cells, text, nil
			}
		}
		if depth != 1 || len(body) < 6 {
			continue
		}
		row := binary.LittleEndian.Uint16(body)
		col := binary.LittleEndian.Uint16(body[2:])
		ixfe := binary.LittleEndian.Uint16(body[4:])
		switch typ {
		case recLABELSST:
			if len(body) >= 10 {
				cells = append(cells, biffCell{row: row, col: col, sst: int32(binary.LittleEndian.Uint32(body[6:]) & 0x7fffffff)})
			}
		case recLABEL, recRSTRING:
			add(row, col, []byte(b.cellString(body[6:])))
		case recNUMBER:
			if len(body) >= 14 {
				addNum(row, col, ixfe, math.Float64frombits(binary.LittleEndian.Uint64(body[6:])))
			}
		case recRK:
			if len(body) >= 10 {
				addNum(row, col, ixfe, rk(binary.LittleEndian.Uint32(body[6:])))
			}
		case recMULRK:
			for i, c := 4, col; i+6 <= len(body)-2; i, c = i+6, c+1 {
				addNum(row, c, binary.LittleEndian.Uint16(body[i:]), rk(binary.LittleEndian.Uint32(body[i+2:])))
			}
		case recBOOLERR:
			if len(body) >= 8 && body[7] == 0 {
				add(row, col, []byte(map[bool]string{true: "TRUE", false: "FALSE"}[body[6] != 0]))
			}
		case recFORMULA:
			if len(body) < 14 {
				continue
			}
			res := body[6:14]
			if res[6] != 0xFF || res[7] != 0xFF {
				addNum(row, col, ixfe, math.Float64frombits(binary.LittleEndian.Uint64(res)))
				continue
			}
			switch res[0] {
			case 0: // a string, in the STRING record that follows
				add(row, col, nil)
				formula = len(cells) - 1
			case 1:
				add(row, col, []byte(map[bool]string{true: "TRUE", false: "FALSE"}[res[2] != 0]))
			}
		case recSTRING:
			// (row and col are not in a STRING record: body is the string)
		}
		if typ == recSTRING && formula >= 0 {
			start := len(text)
			text = append(text, b.cellString(body)...)
			cells[formula].start, cells[formula].end = int32(start), int32(len(text))
			formula = -1
		}
	}
}

// cellString reads the string of a LABEL, RSTRING or STRING record.
func (b *biffBook) cellString(p []byte) string {
	if b.biff8 {
		s, _, _ := b.unicodeString(p, 2)
		return s
	}
	if len(p) < 2 {
		return ""
	}
	n := int(binary.LittleEndian.Uint16(p))
	return b.decode8(p[2:min(2+n, len(p))])
}

// rk decodes an RK number.
func rk(v uint32) float64 {
	var f float64
	if v&2 != 0 {
		f = float64(int32(v) >> 2)
	} else {
		f = math.Float64frombits(uint64(v&0xFFFFFFFC) << 32)
	}
	if v&1 != 0 {
		f /= 100
	}
	return f
}

// appendNumber appends a cell's number as Excel would show it in
// General format, without exponent for whole numbers (a phone number
// stored as a number keeps all its digits).
func appendNumber(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) >= 1e21 {
		return strconv.AppendFloat(dst, f, 'g', -1, 64)
	}
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}

// biffSheetReader writes a sheet's cells as tab-separated rows.
type biffSheetReader struct {
	b      *biffBook
	cells  []biffCell
	text   []byte
	sorted bool
	minCol uint16
	i      int
	last   int // last row written + 1; 0: none yet
	line   [][]byte
}

func (r *biffSheetReader) next(dst []byte) ([]byte, error) {
	if !r.sorted {
		r.sorted = true
		// Drop empty cells, then order by row and column.
		kept := r.cells[:0]
		for _, c := range r.cells {
			if len(r.value(c)) > 0 {
				kept = append(kept, c)
			}
		}
		r.cells = kept
		sort.SliceStable(r.cells, func(i, j int) bool {
			a, b := r.cells[i], r.cells[j]
			if a.row != b.row {
				return a.row < b.row
			}
			return a.col < b.col
		})
		r.minCol = math.MaxUint16
		for _, c := range r.cells {
			r.minCol = min(r.minCol, c.col)
		}
	}
	for n := 0; n < 64 && r.i < len(r.cells); n++ {
		row := r.cells[r.i].row
		if r.last > 0 && int(row) > r.last {
			dst = append(dst, '\n')
		}
		r.last = int(row) + 1
		prev := int(r.minCol)
		for first := true; r.i < len(r.cells) && r.cells[r.i].row == row; r.i++ {
			c := r.cells[r.i]
			gap := int(c.col) - prev
			if !first && gap == 0 {
				dst = append(dst, ' ')
			}
			for ; gap > 0; gap-- {
				dst = append(dst, '\t')
			}
			dst = appendCell(dst, r.value(c))
			prev = int(c.col)
			first = false
		}
		dst = append(dst, '\n')
	}
	if r.i >= len(r.cells) {
		return dst, io.EOF
	}
	return dst, nil
}

func (r *biffSheetReader) value(c biffCell) []byte {
	if c.sst >= 0 {
		if r.b.sst == nil {
			return nil
		}
		return r.b.sst.get(int(c.sst))
	}
	return r.text[c.start:c.end]
}
