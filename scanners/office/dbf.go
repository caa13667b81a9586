package office

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/rouei/rouei/scanners"
)

// dbfOpener reads a dBase / FoxPro / Visual FoxPro table (.dbf): the
// file is one table, yielded as the Text member named after the file
// ("patrons.dbf!/patrons"), its field names as the header row. Deleted
// records are still personal data: they are yielded as a second table,
// "patrons.deleted", under the same header. Memo fields are read from
// the .fpt/.dbt file beside the table when there is one on disk;
// otherwise their cells are empty, and the memo file is scanned on its
// own when the walk meets it.
type dbfOpener struct{}

// Kind implements scanners.Opener.
func (dbfOpener) Kind() string { return "dbf" }

// NeedsRandomAccess implements scanners.Opener.
func (dbfOpener) NeedsRandomAccess() bool { return false }

var errDBF = errors.New("office: corrupt dBase table")

// dbfField is one field descriptor.
type dbfField struct {
	name   string
	typ    byte
	off    int // in the record, after the deletion flag
	length int
	dec    int
	system bool // a Visual FoxPro system field (_NullFlags): not shown
}

// dbfHeader is a table's header.
type dbfHeader struct {
	version   byte
	records   uint32
	headerLen int
	recordLen int
	langID    byte
	fields    []dbfField
	memo      bool // some field is a memo
	vfp       bool
}

// isDBF tells a dBase table from a file named name whose first bytes are
// head: a .dbf name and a header that holds together.
func isDBF(name string, head []byte) bool {
	if !strings.EqualFold(path.Ext(strings.ReplaceAll(name, "\\", "/")), ".dbf") {
		return false
	}
	_, err := parseDBFHeader(head)
	return err == nil
}

// dbf7 reports whether the version byte is dBase level 7's, whose field
// descriptors are 48 bytes after a 68-byte header.
func dbf7(v byte) bool { return v&0x07 == 4 }

func parseDBFHeader(b []byte) (*dbfHeader, error) {
	if len(b) < 32 {
		return nil, fmt.Errorf("%w: short header", errDBF)
	}
	h := &dbfHeader{version: b[0], langID: b[29]}
	switch h.version {
	case 0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0x8C, 0xCB, 0xF5, 0xFB:
	default:
		return nil, fmt.Errorf("%w: unknown version byte %#x", errDBF, h.version)
	}
	h.vfp = h.version == 0x30 || h.version == 0x31 || h.version == 0x32
	if m, d := b[2], b[3]; m > 12 || d > 31 {
		return nil, fmt.Errorf("%w: no date in the header", errDBF)
	}
	h.records = binary.LittleEndian.Uint32(b[4:])
	h.headerLen = int(binary.LittleEndian.Uint16(b[8:]))
	h.recordLen = int(binary.LittleEndian.Uint16(b[10:]))
	descStart, descLen, nameLen := 32, 32, 11
	typAt, lenAt := 11, 16
	if dbf7(h.version) {
		descStart, descLen, nameLen, typAt, lenAt = 68, 48, 32, 32, 33
	}
	if h.headerLen < descStart+1 || h.recordLen < 1 {
		return nil, fmt.Errorf("%w: header length %d, record length %d", errDBF, h.headerLen, h.recordLen)
	}
	off := 0
	for p := descStart; ; p += descLen {
		if p >= len(b) || p >= h.headerLen {
			return nil, fmt.Errorf("%w: field descriptors not terminated", errDBF)
		}
		if b[p] == 0x0D {
			break
		}
		if p+descLen > len(b) {
			return nil, fmt.Errorf("%w: field descriptors not terminated", errDBF)
		}
		d := b[p : p+descLen]
		name := d[:nameLen]
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		f := dbfField{name: strings.TrimSpace(string(name)), typ: d[typAt], off: off, length: int(d[lenAt]), dec: int(d[lenAt+1])}
		if !dbf7(h.version) && (f.typ == 'C' || f.typ == 'V') && !h.vfp {
			// Clipper and FoxPro keep a character field's high length byte in the decimal count.
			f.length += f.dec << 8
			f.dec = 0
		}
		if h.vfp && d[18]&0x01 != 0 {
			f.system = true
		}
		if f.typ == '0' {
			f.system = true
		}
		if f.typ < 0x20 || f.typ > 0x7e || f.length == 0 {
			return nil, fmt.Errorf("%w: field %d: type %#x, length %d", errDBF, len(h.fields)+1, f.typ, f.length)
		}
		if isMemo(f) {
			h.memo = true
		}
		off += f.length
		h.fields = append(h.fields, f)
	}
	if len(h.fields) == 0 {
		return nil, fmt.Errorf("%w: no fields", errDBF)
	}
	if off+1 != h.recordLen {
		return nil, fmt.Errorf("%w: fields of %d bytes in records of %d", errDBF, off, h.recordLen)
	}
	return h, nil
}

// isMemo reports whether a field's value is a block number in the memo
// file: M, G, P, and dBase's 10-byte B.
func isMemo(f dbfField) bool {
	switch f.typ {
	case 'M', 'G', 'P':
		return true
	case 'B':
		return f.length == 10 || f.length == 4
	}
	return false
}

// dbfEncoding is the encoding of a table's language driver byte; a 0 byte
// (none recorded) is decided from the data (UTF-8 when the text is valid
// UTF-8, else CP932: Japanese tables are what this tool reads).
func dbfEncoding(id byte) encoding.Encoding {
	switch id {
	case 0x13, 0x7B: // Japanese Shift_JIS (DOS and Windows)
		return japanese.ShiftJIS
	case 0x01:
		return charmap.CodePage437
	case 0x02, 0x37:
		return charmap.CodePage850
	case 0x03, 0x57, 0x58, 0x59:
		return charmap.Windows1252
	case 0x64:
		return charmap.CodePage852
	case 0x65:
		return charmap.CodePage866
	case 0x26:
		return charmap.CodePage866
	case 0x4D, 0x7A:
		return simplifiedchinese.GBK
	case 0x4E, 0x79:
		return korean.EUCKR
	case 0x4F, 0x78:
		return traditionalchinese.Big5
	case 0xC8:
		return charmap.Windows1250
	case 0xC9:
		return charmap.Windows1251
	case 0xCA:
		return charmap.Windows1254
	case 0xCB:
		return charmap.Windows1253
	}
	return nil
}

// Walk implements scanners.Opener.
func (dbfOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, lim, yield)
	br := bufio.NewReaderSize(src.Reader, 64<<10)
	first, err := br.Peek(32)
	if err != nil {
		return fmt.Errorf("%w: short header", errDBF)
	}
	hl := int(binary.LittleEndian.Uint16(first[8:]))
	hdr := make([]byte, hl)
	if _, err := io.ReadFull(br, hdr); err != nil {
		return fmt.Errorf("%w: header of %d bytes: %v", errDBF, hl, err)
	}
	h, err := parseDBFHeader(hdr)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(path.Base(strings.ReplaceAll(src.Name, "\\", "/")), path.Ext(src.Name))
	if name == "" || name == "." {
		name = "table"
	}
	var memo *memoFile
	if h.memo {
		memo = openMemo(src, h, w.lim.MaxMemberBytes)
		if memo != nil {
			defer memo.close()
		}
	}
	t := &dbfTable{h: h, r: br, memo: memo, maxCell: 1 << 20, ctx: ctx}
	// Records are read once; deleted ones are held back (bounded by the
	// member limit) and yielded as their own table after the live ones.
	t.enc = dbfEncoding(h.langID)
	if t.enc == nil {
		t.sniff = true
	}
	if err := w.emitText(name, t.next, nil); err != nil {
		return err
	}
	if t.readErr != nil {
		return nil // reported as the member's read error
	}
	if len(t.deleted) > 0 {
		d := t.deleted
		sent := false
		err := w.emitText(name+".deleted", func(dst []byte) ([]byte, error) {
			if sent {
				return dst, io.EOF
			}
			sent = true
			dst = t.appendHeader(dst)
			return append(dst, d...), io.EOF
		}, nil)
		if err != nil {
			return err
		}
	}
	return nil
}

// dbfTable streams a table's live records as rows, setting deleted ones
// aside.
type dbfTable struct {
	ctx     context.Context
	h       *dbfHeader
	r       *bufio.Reader
	memo    *memoFile
	enc     encoding.Encoding
	sniff   bool // no language driver: decided on the first non-ASCII text
	maxCell int
	started bool
	n       uint32 // records read
	rec     []byte
	cells   [][]byte
	deleted []byte
	readErr error
	done    bool
}

func (t *dbfTable) appendHeader(dst []byte) []byte {
	first := true
	for _, f := range t.h.fields {
		if f.system {
			continue
		}
		if !first {
			dst = append(dst, '\t')
		}
		first = false
		dst = appendCell(dst, []byte(t.decode([]byte(f.name))))
	}
	return append(dst, '\n')
}

func (t *dbfTable) next(dst []byte) ([]byte, error) {
	if t.done {
		return dst, io.EOF
	}
	if !t.started {
		t.started = true
		t.rec = make([]byte, t.h.recordLen)
		dst = t.appendHeader(dst)
	}
	for k := 0; k < 256; k++ {
		if t.n >= t.h.records {
			t.done = true
			return dst, io.EOF
		}
		if err := t.ctx.Err(); err != nil {
			return dst, err
		}
		if _, err := io.ReadFull(t.r, t.rec); err != nil {
			t.done = true
			if len(t.rec) > 0 && (err == io.ErrUnexpectedEOF || err == io.EOF) {
				t.readErr = fmt.Errorf("%w: %d of the %d records the header counts", errDBF, t.n, t.h.records)
			} else {
				t.readErr = err
			}
			return dst, t.readErr
		}
		t.n++
		switch t.rec[0] {
		case '*':
			before := len(t.deleted)
			t.deleted = t.appendRecord(t.deleted)
			if len(t.deleted) > 64<<20 {
				t.deleted = t.deleted[:before]
				t.done = true
				t.readErr = fmt.Errorf("office: deleted records of more than 64 MiB: %w", scanners.ErrLimit)
				return dst, t.readErr
			}
		case 0x1A: // end of file marker where a record was expected
			t.done = true
			return dst, io.EOF
		default:
			dst = t.appendRecord(dst)
		}
	}
	return dst, nil
}

// appendRecord appends the record in t.rec as one row.
func (t *dbfTable) appendRecord(dst []byte) []byte {
	t.cells = t.cells[:0]
	body := t.rec[1:]
	for _, f := range t.h.fields {
		if f.system {
			continue
		}
		if f.off+f.length > len(body) {
			t.cells = append(t.cells, nil)
			continue
		}
		t.cells = append(t.cells, t.value(f, body[f.off:f.off+f.length]))
	}
	n := len(t.cells)
	for n > 0 && len(t.cells[n-1]) == 0 {
		n--
	}
	if n == 0 {
		return dst
	}
	for i, c := range t.cells[:n] {
		if i > 0 {
			dst = append(dst, '\t')
		}
		dst = appendCell(dst, c)
	}
	return append(dst, '\n')
}

// value renders one field's bytes.
func (t *dbfTable) value(f dbfField, v []byte) []byte {
	switch f.typ {
	case 'C', 'V':
		return []byte(t.decode(bytes.TrimRight(bytes.TrimRight(v, "\x00"), " ")))
	case 'N', 'F':
		return bytes.TrimSpace(bytes.TrimRight(v, "\x00"))
	case 'D':
		s := bytes.TrimSpace(v)
		if len(s) == 8 && allDigits(s) {
			return []byte(string(s[:4]) + "-" + string(s[4:6]) + "-" + string(s[6:]))
		}
		return s
	case 'L':
		switch v[0] {
		case 'T', 't', 'Y', 'y':
			return []byte("TRUE")
		case 'F', 'f', 'N', 'n':
			return []byte("FALSE")
		}
		return nil
	case 'I':
		if len(v) == 4 {
			return strconv.AppendInt(nil, int64(int32(binary.LittleEndian.Uint32(v))), 10)
		}
	case 'Y':
		if len(v) == 8 {
			return strconv.AppendFloat(nil, float64(int64(binary.LittleEndian.Uint64(v)))/10000, 'f', -1, 64)
		}
	case 'T':
		if len(v) == 8 {
			jd := int64(int32(binary.LittleEndian.Uint32(v)))
			ms := int64(int32(binary.LittleEndian.Uint32(v[4:])))
			if jd <= 0 {
				return nil
			}
			tm := time.Date(-4713, 11, 24, 12, 0, 0, 0, time.UTC).AddDate(0, 0, int(jd)).Add(time.Duration(ms)*time.Millisecond - 12*time.Hour)
			return []byte(tm.Format("2006-01-02 15:04:05"))
		}
	case 'B':
		if len(v) == 8 { // Visual FoxPro double
			return appendNumber(nil, math.Float64frombits(binary.LittleEndian.Uint64(v)))
		}
	}
	if isMemo(f) {
		if t.memo == nil {
			return nil
		}
		var block int64
		if len(v) == 4 {
			block = int64(binary.LittleEndian.Uint32(v))
		} else {
			s := bytes.TrimSpace(bytes.TrimRight(v, "\x00"))
			if len(s) == 0 {
				return nil
			}
			n, err := strconv.ParseInt(string(s), 10, 64)
			if err != nil {
				return nil
			}
			block = n
		}
		if f.typ != 'M' {
			return nil // pictures and OLE objects
		}
		return []byte(t.decode(t.memo.read(block, t.maxCell)))
	}
	return nil // binary types: nothing to show
}

func allDigits(s []byte) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// decode decodes a table's 8-bit text.
func (t *dbfTable) decode(b []byte) string {
	if t.sniff {
		ascii := true
		for _, c := range b {
			if c >= 0x80 {
				ascii = false
				break
			}
		}
		if ascii {
			return string(b)
		}
		t.sniff = false
		if utf8.Valid(b) {
			t.enc = encoding.Nop
		} else {
			t.enc = japanese.ShiftJIS
		}
	}
	if t.enc == nil || t.enc == encoding.Nop {
		return string(b)
	}
	out, err := t.enc.NewDecoder().Bytes(b)
	if err != nil {
		return string(b)
	}
	return string(out)
}

// memoFile is a table's .fpt (FoxPro) or .dbt (dBase) file.
type memoFile struct {
	f         *os.File
	size      int64
	blockSize int64
	fpt       bool
	dbase4    bool
}

// openMemo opens the memo file beside a table on disk, or returns nil.
func openMemo(src scanners.Source, h *dbfHeader, max int64) *memoFile {
	p := src.Path
	if p == "" && !strings.Contains(src.Name, "!/") {
		p = src.Name
	}
	if p == "" {
		return nil
	}
	dir, base := filepath.Split(p)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	entries, err := os.ReadDir(filepath.Clean(dir + "."))
	if err != nil {
		return nil
	}
	for _, e := range entries {
		n := e.Name()
		ext := strings.ToLower(filepath.Ext(n))
		if !strings.EqualFold(strings.TrimSuffix(n, filepath.Ext(n)), stem) || (ext != ".fpt" && ext != ".dbt") || !e.Type().IsRegular() {
			continue
		}
		f, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			return nil
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil
		}
		m := &memoFile{f: f, size: st.Size(), fpt: ext == ".fpt", blockSize: 512}
		var hdr [32]byte
		if _, err := f.ReadAt(hdr[:], 0); err != nil {
			f.Close()
			return nil
		}
		if m.fpt {
			m.blockSize = int64(binary.BigEndian.Uint16(hdr[6:]))
		} else if h.version != 0x83 {
			m.dbase4 = true
			if bs := int64(binary.LittleEndian.Uint16(hdr[20:])); bs > 0 {
				m.blockSize = bs
			}
		}
		if m.blockSize <= 0 {
			m.blockSize = 512
		}
		return m
	}
	return nil
}

func (m *memoFile) close() { m.f.Close() }

// read returns the text of the memo at block, at most max bytes.
func (m *memoFile) read(block int64, max int) []byte {
	if block <= 0 || block > m.size/m.blockSize {
		return nil
	}
	off := block * m.blockSize
	switch {
	case m.fpt:
		var h [8]byte
		if _, err := m.f.ReadAt(h[:], off); err != nil {
			return nil
		}
		n := int64(binary.BigEndian.Uint32(h[4:]))
		if binary.BigEndian.Uint32(h[:4]) != 1 { // 1: text; 0: picture
			return nil
		}
		return m.at(off+8, min(n, int64(max)))
	case m.dbase4:
		var h [8]byte
		if _, err := m.f.ReadAt(h[:], off); err != nil || h[0] != 0xFF || h[1] != 0xFF {
			return nil
		}
		n := int64(binary.LittleEndian.Uint32(h[4:])) - 8
		return m.at(off+8, min(n, int64(max)))
	default: // dBase III: text up to 0x1A
		b := m.at(off, int64(max))
		if i := bytes.IndexByte(b, 0x1A); i >= 0 {
			b = b[:i]
		}
		return b
	}
}

func (m *memoFile) at(off, n int64) []byte {
	if n <= 0 || off >= m.size {
		return nil
	}
	n = min(n, m.size-off)
	b := make([]byte, n)
	k, _ := m.f.ReadAt(b, off)
	return b[:k]
}
