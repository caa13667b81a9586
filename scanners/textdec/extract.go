package textdec

import (
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// MaxRunBytes caps the decoded length of one extracted string; longer runs
// are emitted in pieces of at most this many bytes.
const MaxRunBytes = 4 << 10

// writeSlice is how much input Write scans before draining finished runs, so
// that memory stays bounded however large a single Write is.
const writeSlice = 64 << 10

// Extractor finds printable strings in binary data, like strings(1) but for
// Japanese data: it looks at once for runs of UTF-8 (Japanese included),
// CP932 (Shift_JIS double-byte characters, half-width katakana and ASCII) and
// UTF-16LE (ASCII and Japanese code units), and passes each run of at least
// minRunes characters, decoded to UTF-8, to the emit callback with the byte
// offsets of its first byte and just past its last byte in the input stream.
//
// Input is fed with Write (an Extractor is an io.Writer, so io.Copy works)
// and finished with Flush; runs that span Write calls come out whole. Runs
// longer than MaxRunBytes are split. Bytes that decode as valid multi-byte
// UTF-8 are taken as UTF-8, else as CP932; an ASCII run is reported once.
// CP932-looking runs that are only the shadow of an emitted UTF-16 string
// are dropped. Runs are not necessarily emitted in offset order. The text
// passed to emit is only valid during the call.
//
// An Extractor is not safe for concurrent use.
type Extractor struct {
	min  int // shortest run looked at: keep, or the marginal runs' length
	keep int // shortest run emitted
	emit func(start, end int64, text []byte)
	// marginal, when set (Marginal), takes the runs too short or too
	// poor in anchors to be emitted that are all Japanese.
	marginal func(start, end int64, text []byte, wide bool)
	off      int64 // stream offset of the next byte Write receives

	// Byte-oriented scanner: ASCII, UTF-8 and CP932.
	pend  [8]byte // incomplete character carried from the previous Write
	npend int
	br    byteRun

	// UTF-16LE scanners, one for each alignment (offset parity).
	lanes   [2]u16Run
	last    byte // last byte of the previous Write
	hasLast bool

	queue   []queued // finished byte runs waiting for UTF-16 de-duplication
	qtext   []byte   // texts of the queued runs, back to back
	covers  []span   // byte ranges of emitted UTF-16 runs
	mcovers []span   // byte ranges of UTF-16 runs of kanji and kana only (marginal or not)
	text    []byte   // decoding buffer
}

// byteRun is the run the byte-oriented scanner is in. Its raw bytes are
// decoded only when it ends: carry holds those from earlier input slices,
// seg is where its part of the current slice begins.
type byteRun struct {
	start, end int64
	chars      int
	dlen       int  // decoded length in bytes
	asc        int  // ASCII characters at its end
	ascMax     int  // longest stretch of ASCII characters in it
	weak       bool // holds CP932 characters or half-width katakana
	mode       uint8
	carry      []byte
	seg        int
}

// u16Run is the run a UTF-16LE lane is in; raw bytes as for byteRun.
type u16Run struct {
	start, end int64
	chars      int
	dlen       int
	anchors    int // ASCII, kana and full-width code units
	loZero     int // code units whose low byte is 0
	carry      []byte
	seg        int
}

type queued struct {
	span
	weak     bool
	marginal bool
	text     int // offset of the text in qtext
	tlen     int
}

type span struct{ start, end int64 }

const (
	modeASCII = iota
	modeUTF8
	modeSJIS
)

// NewExtractor returns an Extractor that calls emit for every run of at
// least minRunes printable characters (minRunes < 1 is taken as 1).
func NewExtractor(minRunes int, emit func(start, end int64, text []byte)) *Extractor {
	if minRunes < 1 {
		minRunes = 1
	}
	initSJIS()
	initKanji()
	return &Extractor{min: minRunes, keep: minRunes, emit: emit}
}

// marginalMax is the most characters of an anchorless UTF-16 run (CJK
// ideographs only) that is passed on as marginal: a name.
const marginalMax = 6

// Marginal makes the Extractor also look for runs of minRunes (at least 1)
// to fewer than the emitted length, and for UTF-16 runs of CJK ideographs
// only (which random bytes often are), up to marginalMax characters: those
// made only of kanji and kana (a space inside allowed) and delimited by
// control characters on both sides (NULs, length prefixes: the fields of
// a record) are passed to fn, with offsets and text as for emit and wide
// set for UTF-16. What emit receives is unchanged. A
// caller that sees structure around them (a record's other fields) may
// keep them: the names of two or three characters in a database dump.
// Marginal must be called before the first Write.
func (e *Extractor) Marginal(minRunes int, fn func(start, end int64, text []byte, wide bool)) {
	e.min = max(1, min(minRunes, e.keep))
	e.marginal = fn
}

// ctrlNear reports whether a code unit at j-2 to j+reach is a control
// character (a NUL terminator, a length prefix), looking at each unit
// once: ctrlAt is the last one found, looked the last unit looked at.
func (e *Extractor) ctrlNear(p []byte, j, reach int, ctrlAt, looked *int) bool {
	x := max(*looked, j-4)
	for x+2 <= j+reach {
		x += 2
		if x >= 0 && p[x+1] == 0 && p[x] < 0x20 {
			*ctrlAt = x
		}
	}
	*looked = x
	return *ctrlAt >= j-2
}

// delimited reports whether the run p[seg:i] (whole: all of it in p) of
// units of unit bytes is a field: a control character (a NUL, a length
// prefix, the next field's length) on both sides. Random bytes seldom
// are.
func delimited(p []byte, i, seg int, whole bool, unit int) bool {
	if p == nil || !whole || seg < unit || i+unit > len(p) {
		return false
	}
	if unit == 1 {
		return p[i] < 0x20 && p[seg-1] < 0x20
	}
	return p[i] < 0x20 && p[i+1] == 0 && p[seg-2] < 0x20 && p[seg-1] == 0
}

// JapaneseOnly reports whether text is made of kanji and kana only, with
// at most one space inside (what Marginal passes on).
func JapaneseOnly(text []byte) bool {
	return japaneseOnly(text, len(text), false)
}

// japaneseOnly reports whether text, a decoded run, is made of kanji and
// kana only, with at most one space (ASCII or ideographic) inside, and has
// 1 to max characters besides the space. In CP932 (sjis) a kanji outside
// JIS level 1 counts once at most: random bytes give rare kanji.
func japaneseOnly(text []byte, maxChars int, sjis bool) bool {
	chars, spaces, rare := 0, 0, 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r == ' ' || r == 0x3000:
			if i == 0 || i+size == len(text) {
				return false
			}
			spaces++
		case r >= 0x3041 && r <= 0x3096, r >= 0x30A1 && r <= 0x30FA, r == 0x30FC, r == 0x3005:
			chars++
		case r >= 0x4E00 && r <= 0x9FFF:
			if !hasBit(&level1Set, r) {
				rare++
			}
			chars++
		default:
			return false
		}
		i += size
	}
	return chars >= 1 && chars <= maxChars && spaces <= 1 && (!sjis || rare <= 1 && rare < chars)
}

// Write scans p as the continuation of the stream. It never fails.
func (e *Extractor) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), writeSlice)
		e.write(p[:k])
		p = p[k:]
		e.drain(false)
	}
	return n, nil
}

func (e *Extractor) write(p []byte) {
	base := e.off
	e.scanU16(p, base)
	e.off += int64(len(p))

	q := p
	for e.npend > 0 && len(q) > 0 {
		k := copy(e.pend[e.npend:], q)
		buf := e.pend[:e.npend+k]
		c := e.scanBytes(buf, base-int64(e.npend), false)
		if c >= e.npend {
			q = q[c-e.npend:]
			e.npend = 0
			break
		}
		// Still incomplete: keep buf[c:] (all of q was used).
		e.npend = copy(e.pend[:], buf[c:])
		q = q[k:]
		base += int64(k)
	}
	if e.npend == 0 {
		start := e.off - int64(len(q))
		c := e.scanBytes(q, start, false)
		e.npend = copy(e.pend[:], q[c:])
	}
}

// Flush ends the stream: it emits every pending run. The Extractor may be
// reused afterwards; offsets continue from the bytes already written.
func (e *Extractor) Flush() {
	if e.npend > 0 {
		buf := e.pend[:e.npend]
		e.npend = 0
		e.scanBytes(buf, e.off-int64(len(buf)), true)
	}
	e.endByteRun(nil, 0)
	e.endLane(0, nil, 0)
	e.endLane(1, nil, 0)
	e.hasLast = false
	e.drain(true)
	e.covers = e.covers[:0]
	e.mcovers = e.mcovers[:0]
}

// scanBytes runs the byte-oriented scanner over p, whose first byte is at
// stream offset base. It returns how many bytes it consumed; the rest is an
// incomplete character (only when !final).
func (e *Extractor) scanBytes(p []byte, base int64, final bool) int {
	i := e.scanFast(p, base)
	return e.scanTail(p, base, i, final)
}

// Byte kinds for the byte-oriented scanner.
const (
	bHard  = iota // control or 0xFD-0xFF: in no character, ends any run
	bASCII        // printable ASCII or tab
	bHigh         // other bytes >= 0x80
)

var byteKind = func() (t [256]uint8) {
	for b := range t {
		switch {
		case asciiPrint[b]:
			t[b] = bASCII
		case b < 0x80 || b >= 0xFD:
			t[b] = bHard
		default:
			t[b] = bHigh
		}
	}
	return t
}()

// scanFast is scanBytes for p[:len(p)-2], where every character is whole
// in p, with the run state held in locals. It returns where it stopped,
// the state saved in e.br (carry not yet updated).
func (e *Extractor) scanFast(p []byte, base int64) int {
	r := &e.br
	n := len(p)
	lim := n - 2
	chars, dlen, mode, weak, start, seg := r.chars, r.dlen, r.mode, r.weak, r.start, r.seg
	asc, ascMax := r.asc, r.ascMax
	minRunes, keep := e.min, e.keep
	i := 0
	for i < lim {
		if mode != modeUTF8 {
			// ASCII and CP932 characters, one table lookup each. Anything
			// else (UTF-8, a run of e.min characters ending, a run too
			// long) is left to the general code below.
			if chars == 0 {
				start, seg = base+int64(i), i
			}
			for i < lim {
				t := sjisStep[int(sjisRow[p[i]])<<8|int(p[i+1])]
				if t&3 == 0 {
					if chars >= minRunes || t&stepUTF8 != 0 {
						if chars >= keep || t&stepUTF8 != 0 || mode != modeASCII && delimited(p, i, seg, len(r.carry) == 0, 1) {
							break // left to the general code
						}
					}
					// A run too short to matter ends: drop it.
					chars, dlen, mode, weak, asc, ascMax = 0, 0, modeASCII, false, 0, 0
					r.carry = r.carry[:0]
					i++
					start, seg = base+int64(i), i
					continue
				}
				dl := int(t>>2) & 3
				if (t&stepUTF8 != 0 && mode == modeASCII) || dlen+dl > MaxRunBytes {
					break
				}
				chars++
				dlen += dl
				i += int(t & 3)
				isASCII := int(t>>4) & 1
				asc = (asc + 1) * isASCII
				ascMax = max(ascMax, asc)
				mode |= uint8(isASCII^1) * modeSJIS
				weak = mode == modeSJIS
			}
			if i >= lim {
				break
			}
		}
		b := p[i]
		switch byteKind[b] {
		case bHard:
			if chars > 0 {
				r.chars, r.dlen, r.mode, r.weak, r.start, r.seg, r.end = chars, dlen, mode, weak, start, seg, base+int64(i)
				r.asc, r.ascMax = asc, ascMax
				e.endByteRun(p, i)
				chars, dlen, mode, weak, asc, ascMax = 0, 0, modeASCII, false, 0, 0
			}
			i++
			for i < lim && byteKind[p[i]] == bHard {
				i++
			}
			continue
		case bASCII:
			// A stretch of printable ASCII that fits the run.
			k := i + 1
			for k < n && asciiPrint[p[k]] {
				k++
			}
			if dlen+k-i <= MaxRunBytes {
				if chars == 0 {
					start = base + int64(i)
					seg = i
				}
				chars += k - i
				dlen += k - i
				asc += k - i
				ascMax = max(ascMax, asc)
				i = k
				continue
			}
			if chars > 0 && dlen+1 > MaxRunBytes {
				r.chars, r.dlen, r.mode, r.weak, r.start, r.seg, r.end = chars, dlen, mode, weak, start, seg, base+int64(i)
				r.asc, r.ascMax = asc, ascMax
				e.endByteRun(p, i)
				chars, dlen, mode, weak, asc, ascMax = 0, 0, modeASCII, false, 0, 0
			}
			if chars == 0 {
				start = base + int64(i)
				seg = i
			}
			chars++
			dlen++
			asc++
			ascMax = max(ascMax, asc)
			i++
			continue
		}
		// A byte >= 0x80, with p[i+1] and p[i+2] in p.
		size, dl := 0, 0
		m := uint8(modeSJIS)
		if mode != modeSJIS && b >= 0xC2 && b <= 0xEF && p[i+1]&0xC0 == 0x80 {
			// 4-byte UTF-8 (0xF0-0xF4) is never printableJP.
			if c, sz := utf8.DecodeRune(p[i:]); sz > 1 && printableJP(c) {
				size, dl, m = sz, sz, modeUTF8
			}
		}
		if size == 0 && mode != modeUTF8 {
			if b >= 0xA1 && b <= 0xDF {
				size, dl = 1, 3
			} else if c := sjisPair(b, p[i+1]); c != 0 {
				size, dl = 2, runeLen(c)
			}
		}
		if size == 0 {
			// A UTF-8 or CP932 run ends here; the byte may start a run of
			// the other kind.
			if chars > 0 {
				retry := mode != modeASCII
				r.chars, r.dlen, r.mode, r.weak, r.start, r.seg, r.end = chars, dlen, mode, weak, start, seg, base+int64(i)
				r.asc, r.ascMax = asc, ascMax
				e.endByteRun(p, i)
				chars, dlen, mode, weak, asc, ascMax = 0, 0, modeASCII, false, 0, 0
				if retry {
					continue
				}
			}
			i++
			continue
		}
		if chars > 0 && dlen+dl > MaxRunBytes {
			r.chars, r.dlen, r.mode, r.weak, r.start, r.seg, r.end = chars, dlen, mode, weak, start, seg, base+int64(i)
			r.asc, r.ascMax = asc, ascMax
			e.endByteRun(p, i)
			chars, dlen, mode, weak, asc, ascMax = 0, 0, modeASCII, false, 0, 0
		}
		if chars == 0 {
			start = base + int64(i)
			seg = i
		}
		mode = m
		weak = weak || m == modeSJIS
		chars++
		dlen += dl
		asc = 0
		i += size
	}
	r.chars, r.dlen, r.mode, r.weak, r.start, r.seg, r.end = chars, dlen, mode, weak, start, seg, base+int64(i)
	r.asc, r.ascMax = asc, ascMax
	return i
}

// sjisRow and sjisStep describe the characters of a CP932 run: the entry
// for bytes b0, b1 at sjisStep[sjisRow[b0]<<8|b1] is 0 if no character
// starts with b0 (given b1), else its size | decoded length<<2 | 1<<4 if it
// is ASCII, plus stepUTF8 if b0, b1 may start a UTF-8 character, which
// takes precedence outside CP932 runs. Row 0 is no character, 1 ASCII, 2
// and 3 half-width katakana (3 for UTF-8 lead bytes), 4 and up the lead
// bytes.
var (
	sjisRow  [256]uint8
	sjisStep []uint8
)

const stepUTF8 = 1 << 5

func initSJISStep() {
	sjisStep = make([]uint8, (4+60)<<8)
	for b := range 256 {
		switch {
		case asciiPrint[b]:
			sjisRow[b] = 1
		case b >= 0xA1 && b <= 0xC1:
			sjisRow[b] = 2
		case b >= 0xC2 && b <= 0xDF:
			sjisRow[b] = 3
		case sjisLeadIndex(byte(b)) >= 0:
			sjisRow[b] = uint8(4 + sjisLeadIndex(byte(b)))
		}
	}
	for b1 := range 256 {
		sjisStep[1<<8|b1] = 1 | 1<<2 | 1<<4
		sjisStep[2<<8|b1] = 1 | 3<<2
		sjisStep[3<<8|b1] = 1 | 3<<2
	}
	for b0 := range 256 {
		row := int(sjisRow[b0])
		if row < 3 {
			continue
		}
		for b1 := range 256 {
			if row >= 4 {
				if c := sjisPair(byte(b0), byte(b1)); c != 0 {
					sjisStep[row<<8|b1] = 2 | uint8(runeLen(c))<<2
				}
			}
			if b0 >= 0xC2 && b0 <= 0xEF && b1&0xC0 == 0x80 {
				sjisStep[row<<8|b1] |= stepUTF8
			}
		}
	}
}

// runeLen is the UTF-8 length of c, a rune below 0x10000.
func runeLen(c rune) int {
	switch {
	case c < 0x80:
		return 1
	case c < 0x800:
		return 2
	}
	return 3
}

// scanTail is scanBytes from p[i], character by character.
func (e *Extractor) scanTail(p []byte, base int64, i int, final bool) int {
	r := &e.br
	for i < len(p) {
		b := p[i]
		size, dlen, mode := 1, 1, uint8(modeASCII)
		if b < utf8.RuneSelf {
			if (b < 0x20 && b != '\t') || b == 0x7F {
				if r.chars > 0 {
					e.endByteRun(p, i)
				}
				i++
				continue
			}
			// Fast path: a stretch of printable ASCII that fits the run.
			k := i + 1
			for k < len(p) && asciiPrint[p[k]] {
				k++
			}
			if r.dlen+k-i <= MaxRunBytes {
				if r.chars == 0 {
					r.start = base + int64(i)
					r.seg = i
				}
				r.chars += k - i
				r.dlen += k - i
				r.asc += k - i
				r.ascMax = max(r.ascMax, r.asc)
				i = k
				r.end = base + int64(i)
				continue
			}
		} else {
			if !final && len(p)-i < 3 {
				break
			}
			size, dlen, mode = decodeHigh(p[i:], r.mode)
			if size == 0 {
				// A UTF-8 or CP932 run ends here; the byte may start a
				// run of the other kind.
				retry := r.chars > 0 && r.mode != modeASCII
				if r.chars > 0 {
					e.endByteRun(p, i)
				}
				if !retry {
					i++
				}
				continue
			}
		}
		if r.chars > 0 && r.dlen+dlen > MaxRunBytes {
			e.endByteRun(p, i)
		}
		if r.chars == 0 {
			r.start = base + int64(i)
			r.seg = i
		}
		if mode != modeASCII {
			r.mode = mode
			r.weak = r.weak || mode == modeSJIS
		}
		r.chars++
		r.dlen += dlen
		if mode == modeASCII {
			r.asc++
			r.ascMax = max(r.ascMax, r.asc)
		} else {
			r.asc = 0
		}
		i += size
		r.end = base + int64(i)
	}
	if r.chars > 0 {
		r.carry = append(r.carry, p[r.seg:i]...)
		r.seg = 0
	}
	return i
}

// decodeHigh measures the character starting with a byte >= 0x80 in mode.
// It returns its size, its decoded length and the mode it belongs to; size
// 0 when no acceptable character starts there.
func decodeHigh(p []byte, mode uint8) (size, dlen int, m uint8) {
	b := p[0]
	if mode != modeSJIS {
		if b >= 0xC2 && b <= 0xF4 && len(p) > 1 && p[1]&0xC0 == 0x80 {
			if r, size := utf8.DecodeRune(p); size > 1 && printableJP(r) {
				return size, size, modeUTF8
			}
		}
		if mode == modeUTF8 {
			return 0, 0, mode
		}
	}
	if b >= 0xA1 && b <= 0xDF {
		return 1, 3, modeSJIS
	}
	if len(p) >= 2 {
		if r := sjisPair(b, p[1]); r != 0 {
			return 2, utf8.RuneLen(r), modeSJIS
		}
	}
	return 0, 0, mode
}

// endByteRun ends the byte run at p[i] and queues it if long enough.
func (e *Extractor) endByteRun(p []byte, i int) {
	r := &e.br
	if r.chars >= e.min {
		raw := r.carry
		if p != nil {
			if len(raw) == 0 {
				raw = p[r.seg:i]
			} else {
				raw = append(raw, p[r.seg:i]...)
				r.carry = raw
			}
		}
		switch {
		case r.chars < e.keep:
			if r.mode == modeASCII || !delimited(p, i, r.seg, len(r.carry) == 0, 1) {
				break
			}
			text := raw
			if r.weak {
				e.text = decodeSJIS(e.text[:0], raw)
				text = e.text
			}
			if japaneseOnly(text, e.keep-1, r.weak) {
				e.enqueue(r.start, r.end, r.weak, text)
				e.queue[len(e.queue)-1].marginal = true
			}
		case !r.weak:
			e.enqueue(r.start, r.end, false, raw) // ASCII and checked UTF-8
		case plausibleSJIS(raw, r.chars):
			e.text = decodeSJIS(e.text[:0], raw)
			e.enqueue(r.start, r.end, true, e.text)
		case r.ascMax >= e.keep:
			// Implausible CP932: random bytes. Keep its ASCII strings.
			e.asciiRuns(r.start, raw)
		}
	}
	r.carry = r.carry[:0]
	r.chars = 0
	r.dlen = 0
	r.asc = 0
	r.ascMax = 0
	r.weak = false
	r.mode = modeASCII
}

// decodeSJIS appends the CP932 run raw, as accepted by the scanner, to dst.
func decodeSJIS(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		b := raw[i]
		switch {
		case b < utf8.RuneSelf:
			dst = append(dst, b)
			i++
		case b >= 0xA1 && b <= 0xDF:
			dst = utf8.AppendRune(dst, rune(b)+(0xFF61-0xA1))
			i++
		case i+1 < len(raw):
			if r := sjisPair(b, raw[i+1]); r != 0 {
				dst = utf8.AppendRune(dst, r)
			} else {
				dst = append(dst, "\uFFFD"...) // not reached: the scanner checked it
			}
			i += 2
		default:
			i++
		}
	}
	return dst
}

func (e *Extractor) enqueue(start, end int64, weak bool, text []byte) {
	e.queue = append(e.queue, queued{
		span: span{start, end},
		weak: weak,
		text: len(e.qtext),
		tlen: len(text),
	})
	e.qtext = append(e.qtext, text...)
}

// asciiRuns queues the ASCII runs of at least e.min characters in raw, a
// CP932 run starting at stream offset start.
func (e *Extractor) asciiRuns(start int64, raw []byte) {
	from := -1
	for i := 0; i <= len(raw); {
		if i < len(raw) && raw[i] < utf8.RuneSelf {
			if from < 0 {
				from = i
			}
			i++
			continue
		}
		if from >= 0 && i-from >= e.keep {
			e.enqueue(start+int64(from), start+int64(i), true, raw[from:i])
		}
		from = -1
		if i < len(raw) && (raw[i] < 0xA1 || raw[i] > 0xDF) {
			i += 2 // a double-byte character
		} else {
			i++
		}
	}
}

// asciiPrint marks printable ASCII and tab.
var asciiPrint = func() (t [256]bool) {
	for b := 0x20; b < 0x7F; b++ {
		t[b] = true
	}
	t['\t'] = true
	return t
}()

// Character classes for plausibleSJIS.
const (
	clSep    = iota // ASCII space and common punctuation, start of run
	clSepBad        // other ASCII punctuation
	clDigit
	clLetter
	clHalf  // half-width katakana
	clWide  // full-width Japanese
	clOther // unlikely characters
)

var asciiClass = func() (t [128]uint8) {
	for b := range t {
		switch {
		case b >= '0' && b <= '9':
			t[b] = clDigit
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z':
			t[b] = clLetter
		case strings.IndexByte(" \t,-./:()_@", byte(b)) >= 0:
			t[b] = clSep
		default:
			t[b] = clSepBad
		}
	}
	return t
}()

// plausibleSJIS reports whether raw, a run of CP932 as the scanner accepts
// it, looks like Japanese rather than random bytes. Random bytes read as
// CP932 give short mixes of half-width katakana, ASCII letters and rare
// kanji; text has homogeneous stretches. It counts unlikely characters
// (level-2 and extension kanji, rare symbols, ASCII punctuation prose seldom
// uses, stray voiced marks) and switches between ASCII letters, half-width
// katakana and full-width Japanese without a separator, and wants both to
// be rare and at least two likely Japanese characters.
//
// total is the number of characters in raw; it lets it stop early.
func plausibleSJIS(raw []byte, total int) bool {
	var chars, bad, good, switches int
	prev := uint8(clSep)
	for i := 0; i < len(raw); {
		b := raw[i]
		chars++
		cl := uint8(clOther)
		switch {
		case b < utf8.RuneSelf:
			i++
			cl = asciiClass[b]
			if cl == clSepBad {
				bad++
				cl = clSep
			}
		case b >= 0xA1 && b <= 0xDF:
			i++
			switch {
			case b >= 0xA6 && b <= 0xDD: // half-width katakana letters
				cl = clHalf
				good++
			case (b == 0xDE || b == 0xDF) && prev == clHalf: // voiced marks
				cl = clHalf
				good++
			default:
				bad++
			}
		default:
			var r rune
			if i+1 < len(raw) {
				r = sjisPair(b, raw[i+1])
			}
			i += 2
			switch {
			case r >= 0x3041 && r <= 0x30FE, r >= 0x3000 && r <= 0x301F, r >= 0xFF01 && r <= 0xFF5E:
				cl = clWide
				good++
			case r >= 0x4E00 && r <= 0x9FFF && hasBit(&level1Set, r):
				cl = clWide
				good++
			case r >= 0x4E00 && r <= 0x9FFF:
				cl = clWide // a rare kanji (翔 is level 2) is unlikely, but no switch of script
				bad++
			default:
				bad++
			}
		}
		if prev != cl && prev != clSep && cl != clSep &&
			!(prev == clDigit && cl == clWide) && !(prev == clWide && cl == clDigit) {
			switches++
		}
		prev = cl
		if bad*5 > total || switches*6 > total {
			return false
		}
	}
	return good >= 2 && bad*5 <= chars && switches*6 <= chars
}

// scanU16 runs both UTF-16LE lanes over p, whose first byte is at offset base.
func (e *Extractor) scanU16(p []byte, base int64) {
	if len(p) == 0 {
		return
	}
	for q := range 2 {
		r := &e.lanes[q]
		j := int((int64(q) - base%2 + 2) % 2)
		if j == 1 && e.hasLast {
			// The code unit straddling the previous Write.
			u := uint16(e.last) | uint16(p[0])<<8
			if e.unit(q, u, base-1, nil, 0) {
				r.carry = append(r.carry, e.last, p[0])
			}
		}
		r.seg = j
		reach := 2 * (e.keep - 1)
		marginal := e.marginal != nil
		// With marginal runs: the last control unit seen, and how far
		// units were looked at for one (in this lane's alignment).
		ctrlAt, looked := j-4, j-4
		for ; j+1 < len(p); j += 2 {
			if r.chars == 0 && j+reach+1 < len(p) && !(marginal && e.ctrlNear(p, j, reach, &ctrlAt, &looked)) {
				// Outside a run only one of at least e.keep code units
				// matters, and it takes in the unit at j+reach: skip to it
				// and back to the first unit of its run. (A marginal run,
				// shorter, is delimited by a control unit: none is here.)
				k := j + reach
				if !u16Accepted(p[k], p[k+1]) {
					j = k // the loop adds 2
					continue
				}
				for k -= 2; k >= j && u16Accepted(p[k], p[k+1]); k -= 2 {
				}
				j = k + 2
			}
			switch u16Hi[p[j+1]] {
			case u16Never:
				// Fast path: outside a run, skip code units that cannot
				// start one.
				if r.chars == 0 {
					continue
				}
			case u16Ideograph:
				// Fast path: a CJK ideograph extending a run.
				if r.chars > 0 && r.dlen+3 <= MaxRunBytes {
					r.chars++
					r.dlen += 3
					if p[j] == 0 {
						r.loZero++
					}
					r.end = base + int64(j) + 2
					continue
				}
			}
			e.unit(q, uint16(p[j])|uint16(p[j+1])<<8, base+int64(j), p, j)
		}
		if r.chars > 0 {
			r.carry = append(r.carry, p[r.seg:j]...)
		}
	}
	e.last = p[len(p)-1]
	e.hasLast = true
}

// unit feeds lane q the code unit u at stream offset off, which is p[j:j+2]
// (p is nil for a unit straddling two Writes). It reports whether u joined
// a run.
func (e *Extractor) unit(q int, u uint16, off int64, p []byte, j int) bool {
	ok, anchor := u16Class(u)
	r := &e.lanes[q]
	if !ok {
		if r.chars > 0 {
			e.endLane(q, p, j)
		}
		return false
	}
	dlen := 3
	if u < 0x80 {
		dlen = 1
	}
	if r.chars > 0 && r.dlen+dlen > MaxRunBytes {
		e.endLane(q, p, j)
	}
	if r.chars == 0 {
		r.start = off
		r.seg = j
	}
	r.chars++
	r.dlen += dlen
	if anchor {
		r.anchors++
	}
	if u&0xFF == 0 && u != 0x3000 {
		r.loZero++
	}
	r.end = off + 2
	return true
}

// endLane ends the run of lane q at p[j] and emits it if it looks like text.
func (e *Extractor) endLane(q int, p []byte, j int) {
	r := &e.lanes[q]
	main := r.chars >= e.keep && r.anchors >= min(2, r.chars)
	if r.chars >= e.min && r.loZero*2 <= r.chars && (main || e.marginal != nil && r.chars <= marginalMax &&
		delimited(p, j, r.seg, len(r.carry) == 0, 2)) {
		raw := r.carry
		if p != nil {
			if len(raw) == 0 {
				raw = p[r.seg:j]
			} else {
				raw = append(raw, p[r.seg:j]...)
				r.carry = raw
			}
		}
		e.text = e.text[:0]
		for k := 0; k+1 < len(raw); k += 2 {
			e.text = utf8.AppendRune(e.text, rune(raw[k])|rune(raw[k+1])<<8)
		}
		if main {
			e.emit(r.start, r.end, e.text)
			e.covers = append(e.covers, span{r.start, r.end})
			if e.marginal != nil && japaneseOnly(e.text, MaxRunBytes, false) {
				e.mcovers = append(e.mcovers, span{r.start, r.end})
			}
		} else if japaneseOnly(e.text, marginalMax, true) {
			e.marginal(r.start, r.end, e.text, true)
			e.mcovers = append(e.mcovers, span{r.start, r.end})
		}
	}
	r.carry = r.carry[:0]
	r.chars = 0
	r.dlen = 0
	r.anchors = 0
	r.loZero = 0
}

// u16Hi classifies code units by their high byte for the fast paths.
var u16Hi = func() (t [256]uint8) {
	for h := range t {
		switch {
		case h >= 0x4E && h <= 0x9F:
			t[h] = u16Ideograph
		case h == 0x00 || h == 0x30 || h == 0xFF:
			t[h] = u16Check
		default:
			t[h] = u16Never
		}
	}
	return t
}()

const (
	u16Never     = iota // no accepted code unit has this high byte
	u16Ideograph        // all are CJK ideographs
	u16Check            // some are accepted
)

// u16Set is the set of code units u16Class accepts.
var u16Set = func() (s [1 << 16 / 64]uint64) {
	for u := range 1 << 16 {
		if ok, _ := u16Class(uint16(u)); ok {
			s[u>>6] |= 1 << (u & 63)
		}
	}
	return s
}()

// u16Accepted reports whether the code unit lo, hi is accepted by u16Class.
func u16Accepted(lo, hi byte) bool {
	u := uint(lo) | uint(hi)<<8
	return u16Set[u>>6]&(1<<(u&63)) != 0
}

// u16Class reports whether u is a printable ASCII or Japanese code unit and
// whether it is an anchor (not a CJK ideograph, which random bytes often are).
func u16Class(u uint16) (ok, anchor bool) {
	switch {
	case u < 0x80:
		return (u >= 0x20 && u < 0x7F) || u == '\t', true
	case u >= 0x4E00 && u <= 0x9FFF:
		return true, false
	case u >= 0x3000 && u <= 0x301F, u >= 0x3041 && u <= 0x3096, u >= 0x309B && u <= 0x309E, u >= 0x30A1 && u <= 0x30FE:
		return true, true
	case u >= 0xFF01 && u <= 0xFF5E, u >= 0xFF61 && u <= 0xFF9F:
		return true, true
	}
	return false, false
}

// drain emits the queued byte runs that no UTF-16 run can overlap any more
// (all of them if all), dropping weak ones mostly covered by a UTF-16 run.
func (e *Extractor) drain(all bool) {
	frontier := int64(math.MaxInt64)
	if !all {
		frontier = e.off
		for q := range 2 {
			if r := &e.lanes[q]; r.chars > 0 {
				frontier = min(frontier, r.start)
			}
		}
	}
	k := 0
	ci, last := 0, int64(math.MinInt64) // covers[:ci] end before last
	for ; k < len(e.queue); k++ {
		qr := &e.queue[k]
		if qr.end > frontier {
			break
		}
		if qr.start < last {
			ci = 0
		}
		last = qr.start
		for ci < len(e.covers) && e.covers[ci].end <= last {
			ci++
		}
		if qr.marginal {
			if !qr.weak || !covered(e.mcovers, qr.span) {
				e.marginal(qr.start, qr.end, e.qtext[qr.text:qr.text+qr.tlen:qr.text+qr.tlen], false)
			}
			continue
		}
		if !qr.weak || !covered(e.covers[ci:], qr.span) {
			e.emit(qr.start, qr.end, e.qtext[qr.text:qr.text+qr.tlen:qr.text+qr.tlen])
		}
	}
	if k > 0 {
		e.queue = append(e.queue[:0], e.queue[k:]...)
		// Move the texts still queued to the front of qtext.
		from := len(e.qtext)
		if len(e.queue) > 0 {
			from = e.queue[0].text
		}
		e.qtext = e.qtext[:copy(e.qtext, e.qtext[from:])]
		for i := range e.queue {
			e.queue[i].text -= from
		}
	}

	// Forget covers that no queued or future byte run can overlap.
	low := e.off - int64(e.npend)
	if e.br.chars > 0 {
		low = min(low, e.br.start)
	}
	if len(e.queue) > 0 {
		low = min(low, e.queue[0].start)
	}
	e.covers = forget(e.covers, low)
	e.mcovers = forget(e.mcovers, low)
}

// forget drops the spans that end at or before low.
func forget(covers []span, low int64) []span {
	c := 0
	for _, s := range covers {
		if s.end > low {
			covers[c] = s
			c++
		}
	}
	return covers[:c]
}

// covered reports whether at least half of s lies in covers, emitted
// UTF-16 runs.
func covered(covers []span, s span) bool {
	var n int64
	for _, c := range covers {
		lo, hi := max(s.start, c.start), min(s.end, c.end)
		if hi > lo {
			n += hi - lo
		}
	}
	return 2*n >= s.end-s.start
}

// printableJP reports whether r is a character worth keeping in an
// extracted string: printable ASCII, Latin-1, Greek, Cyrillic, the symbols
// of JIS X 0208, kana, CJK ideographs and full/half-width forms.
func printableJP(r rune) bool {
	switch {
	case r < 0x80:
		return (r >= 0x20 && r < 0x7F) || r == '\t'
	case r < 0xA0:
		return false
	case r <= 0xFF:
		return true
	case r >= 0x391 && r <= 0x3C9, r >= 0x401 && r <= 0x451:
		return true
	case r >= 0x2010 && r <= 0x27BF:
		return true
	case r >= 0x3000 && r <= 0x30FF, r >= 0x31F0 && r <= 0x33FF:
		return true
	case r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF, r >= 0xF900 && r <= 0xFAFF:
		return true
	case r >= 0xFF01 && r <= 0xFF9F, r >= 0xFFE0 && r <= 0xFFE5:
		return true
	}
	return false
}

var (
	sjisOnce  sync.Once
	sjisTable []uint16 // [lead index][trail-0x40] → rune, 0 if invalid or unprintable
)

const sjisTrails = 0xFD - 0x40

func sjisLeadIndex(b byte) int {
	switch {
	case b >= 0x81 && b <= 0x9F:
		return int(b - 0x81)
	case b >= 0xE0 && b <= 0xFC:
		return int(b-0xE0) + 31
	}
	return -1
}

// initSJIS builds the CP932 double-byte table from x/text's decoder.
func initSJIS() {
	sjisOnce.Do(func() {
		sjisTable = make([]uint16, 60*sjisTrails)
		dec := japanese.ShiftJIS.NewDecoder()
		var dst [8]byte
		for lead := 0x81; lead <= 0xFC; lead++ {
			li := sjisLeadIndex(byte(lead))
			if li < 0 {
				continue
			}
			for trail := 0x40; trail < 0xFD; trail++ {
				if trail == 0x7F {
					continue
				}
				src := [2]byte{byte(lead), byte(trail)}
				nDst, nSrc, err := dec.Transform(dst[:], src[:], true)
				if err != nil || nSrc != 2 {
					continue
				}
				r, size := utf8.DecodeRune(dst[:nDst])
				if size != nDst || r == utf8.RuneError || r > 0xFFFF || !printableJP(r) {
					continue
				}
				sjisTable[li*sjisTrails+trail-0x40] = uint16(r)
			}
		}
		initSJISStep()
	})
}

// sjisPair decodes the CP932 double-byte character lead, trail, or returns 0
// if it is invalid or not printableJP.
func sjisPair(lead, trail byte) rune {
	li := sjisLeadIndex(lead)
	if li < 0 || trail < 0x40 || trail >= 0xFD {
		return 0
	}
	return rune(sjisTable[li*sjisTrails+int(trail)-0x40])
}
