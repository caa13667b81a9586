package textdec

// The original, unoptimised extractor, kept verbatim (identifiers prefixed
// with ref) as the reference of TestExtractorMatchesReference.

import (
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// refMaxRunBytes caps the decoded length of one extracted string; longer runs
// are emitted in pieces of at most this many bytes.
const refMaxRunBytes = 4 << 10

// refWriteSlice is how much input Write scans before draining finished runs, so
// that memory stays bounded however large a single Write is.
const refWriteSlice = 64 << 10

// refExtractor finds printable strings in binary data, like strings(1) but for
// Japanese data: it looks at once for runs of UTF-8 (Japanese included),
// CP932 (Shift_JIS double-byte characters, half-width katakana and ASCII) and
// UTF-16LE (ASCII and Japanese code units), and passes each run of at least
// minRunes characters, decoded to UTF-8, to the emit callback with the byte
// offsets of its first byte and just past its last byte in the input stream.
//
// Input is fed with Write (an refExtractor is an io.Writer, so io.Copy works)
// and finished with Flush; runs that refSpan Write calls come out whole. Runs
// longer than refMaxRunBytes are split. Bytes that decode as valid multi-byte
// UTF-8 are taken as UTF-8, else as CP932; an ASCII run is reported once.
// CP932-looking runs that are only the shadow of an emitted UTF-16 string
// are dropped. Runs are not necessarily emitted in offset order. The text
// passed to emit is only valid during the call.
//
// An refExtractor is not safe for concurrent use.
type refExtractor struct {
	min  int
	emit func(start, end int64, text []byte)
	off  int64 // stream offset of the next byte Write receives

	// Byte-oriented scanner: ASCII, UTF-8 and CP932.
	pend  [8]byte // incomplete character carried from the previous Write
	npend int
	br    refByteRun

	// UTF-16LE scanners, one for each alignment (offset parity).
	lanes   [2]refU16Run
	last    byte // last byte of the previous Write
	hasLast bool

	queue  []refQueued // finished byte runs waiting for UTF-16 de-duplication
	covers []refSpan   // byte ranges of emitted UTF-16 runs
	text   []byte      // decoding buffer
}

// refByteRun is the run the byte-oriented scanner is in. Its raw bytes are
// decoded only when it ends: carry holds those from earlier input slices,
// seg is where its part of the current slice begins.
type refByteRun struct {
	start, end int64
	chars      int
	dlen       int  // decoded length in bytes
	weak       bool // holds CP932 characters or half-width katakana
	mode       uint8
	carry      []byte
	seg        int
}

// refU16Run is the run a UTF-16LE lane is in; raw bytes as for refByteRun.
type refU16Run struct {
	start, end int64
	chars      int
	dlen       int
	anchors    int // ASCII, kana and full-width code units
	loZero     int // code units whose low byte is 0
	carry      []byte
	seg        int
}

type refQueued struct {
	refSpan
	weak bool
	text []byte
}

type refSpan struct{ start, end int64 }

const (
	refModeASCII = iota
	refModeUTF8
	refModeSJIS
)

// refNewExtractor returns an refExtractor that calls emit for every run of at
// least minRunes printable characters (minRunes < 1 is taken as 1).
func refNewExtractor(minRunes int, emit func(start, end int64, text []byte)) *refExtractor {
	if minRunes < 1 {
		minRunes = 1
	}
	refInitSJIS()
	initKanji()
	return &refExtractor{min: minRunes, emit: emit}
}

// Write scans p as the continuation of the stream. It never fails.
func (e *refExtractor) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), refWriteSlice)
		e.refWrite(p[:k])
		p = p[k:]
		e.refDrain(false)
	}
	return n, nil
}

func (e *refExtractor) refWrite(p []byte) {
	base := e.off
	e.refScanU16(p, base)
	e.off += int64(len(p))

	q := p
	for e.npend > 0 && len(q) > 0 {
		k := copy(e.pend[e.npend:], q)
		buf := e.pend[:e.npend+k]
		c := e.refScanBytes(buf, base-int64(e.npend), false)
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
		c := e.refScanBytes(q, start, false)
		e.npend = copy(e.pend[:], q[c:])
	}
}

// Flush ends the stream: it emits every pending run. The refExtractor may be
// reused afterwards; offsets continue from the bytes already written.
func (e *refExtractor) Flush() {
	if e.npend > 0 {
		buf := e.pend[:e.npend]
		e.npend = 0
		e.refScanBytes(buf, e.off-int64(len(buf)), true)
	}
	e.refEndByteRun(nil, 0)
	e.refEndLane(0, nil, 0)
	e.refEndLane(1, nil, 0)
	e.hasLast = false
	e.refDrain(true)
	e.covers = e.covers[:0]
}

// refScanBytes runs the byte-oriented scanner over p, whose first byte is at
// stream offset base. It returns how many bytes it consumed; the rest is an
// incomplete character (only when !final).
func (e *refExtractor) refScanBytes(p []byte, base int64, final bool) int {
	r := &e.br
	i := 0
	for i < len(p) {
		b := p[i]
		size, dlen, mode := 1, 1, uint8(refModeASCII)
		if b < utf8.RuneSelf {
			if (b < 0x20 && b != '\t') || b == 0x7F {
				if r.chars > 0 {
					e.refEndByteRun(p, i)
				}
				i++
				continue
			}
			// Fast path: a stretch of printable ASCII that fits the run.
			k := i + 1
			for k < len(p) && refAsciiPrint[p[k]] {
				k++
			}
			if r.dlen+k-i <= refMaxRunBytes {
				if r.chars == 0 {
					r.start = base + int64(i)
					r.seg = i
				}
				r.chars += k - i
				r.dlen += k - i
				i = k
				r.end = base + int64(i)
				continue
			}
		} else {
			if !final && len(p)-i < 3 {
				break
			}
			size, dlen, mode = refDecodeHigh(p[i:], r.mode)
			if size == 0 {
				// A UTF-8 or CP932 run ends here; the byte may start a
				// run of the other kind.
				retry := r.chars > 0 && r.mode != refModeASCII
				if r.chars > 0 {
					e.refEndByteRun(p, i)
				}
				if !retry {
					i++
				}
				continue
			}
		}
		if r.chars > 0 && r.dlen+dlen > refMaxRunBytes {
			e.refEndByteRun(p, i)
		}
		if r.chars == 0 {
			r.start = base + int64(i)
			r.seg = i
		}
		if mode != refModeASCII {
			r.mode = mode
			r.weak = r.weak || mode == refModeSJIS
		}
		r.chars++
		r.dlen += dlen
		i += size
		r.end = base + int64(i)
	}
	if r.chars > 0 {
		r.carry = append(r.carry, p[r.seg:i]...)
		r.seg = 0
	}
	return i
}

// refDecodeHigh measures the character starting with a byte >= 0x80 in mode.
// It returns its size, its decoded length and the mode it belongs to; size
// 0 when no acceptable character starts there.
func refDecodeHigh(p []byte, mode uint8) (size, dlen int, m uint8) {
	b := p[0]
	if mode != refModeSJIS {
		if b >= 0xC2 && b <= 0xF4 && len(p) > 1 && p[1]&0xC0 == 0x80 {
			if r, size := utf8.DecodeRune(p); size > 1 && refPrintableJP(r) {
				return size, size, refModeUTF8
			}
		}
		if mode == refModeUTF8 {
			return 0, 0, mode
		}
	}
	if b >= 0xA1 && b <= 0xDF {
		return 1, 3, refModeSJIS
	}
	if len(p) >= 2 {
		if r := refSjisPair(b, p[1]); r != 0 {
			return 2, utf8.RuneLen(r), refModeSJIS
		}
	}
	return 0, 0, mode
}

// refEndByteRun ends the byte run at p[i] and queues it if long enough.
func (e *refExtractor) refEndByteRun(p []byte, i int) {
	r := &e.br
	if r.chars >= e.min {
		raw := r.carry
		if p != nil {
			if len(raw) == 0 {
				raw = p[r.seg:i]
			} else {
				raw = append(raw, p[r.seg:i]...)
			}
		}
		switch {
		case !r.weak:
			e.refEnqueue(r.start, r.end, false, raw) // ASCII and checked UTF-8
		case refPlausibleSJIS(raw):
			e.text = refDecodeSJIS(e.text[:0], raw)
			e.refEnqueue(r.start, r.end, true, e.text)
		default:
			// Implausible CP932: random bytes. Keep its ASCII strings.
			e.refAsciiRuns(r.start, raw)
		}
	}
	r.carry = r.carry[:0]
	r.chars = 0
	r.dlen = 0
	r.weak = false
	r.mode = refModeASCII
}

// refDecodeSJIS appends the CP932 run raw, as accepted by the scanner, to dst.
func refDecodeSJIS(dst, raw []byte) []byte {
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
			if r := refSjisPair(b, raw[i+1]); r != 0 {
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

func (e *refExtractor) refEnqueue(start, end int64, weak bool, text []byte) {
	e.queue = append(e.queue, refQueued{
		refSpan: refSpan{start, end},
		weak:    weak,
		text:    append([]byte(nil), text...),
	})
}

// refAsciiRuns queues the ASCII runs of at least e.min characters in raw, a
// CP932 run starting at stream offset start.
func (e *refExtractor) refAsciiRuns(start int64, raw []byte) {
	from := -1
	for i := 0; i <= len(raw); {
		if i < len(raw) && raw[i] < utf8.RuneSelf {
			if from < 0 {
				from = i
			}
			i++
			continue
		}
		if from >= 0 && i-from >= e.min {
			e.refEnqueue(start+int64(from), start+int64(i), true, raw[from:i])
		}
		from = -1
		if i < len(raw) && (raw[i] < 0xA1 || raw[i] > 0xDF) {
			i += 2 // a double-byte character
		} else {
			i++
		}
	}
}

// refAsciiPrint marks printable ASCII and tab.
var refAsciiPrint = func() (t [256]bool) {
	for b := 0x20; b < 0x7F; b++ {
		t[b] = true
	}
	t['\t'] = true
	return t
}()

// Character classes for refPlausibleSJIS.
const (
	refClSep    = iota // ASCII space and common punctuation, start of run
	refClSepBad        // other ASCII punctuation
	refClDigit
	refClLetter
	refClHalf  // half-width katakana
	refClWide  // full-width Japanese
	refClOther // unlikely characters
)

var refAsciiClass = func() (t [128]uint8) {
	for b := range t {
		switch {
		case b >= '0' && b <= '9':
			t[b] = refClDigit
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z':
			t[b] = refClLetter
		case strings.IndexByte(" \t,-./:()_@", byte(b)) >= 0:
			t[b] = refClSep
		default:
			t[b] = refClSepBad
		}
	}
	return t
}()

// refPlausibleSJIS reports whether raw, a run of CP932 as the scanner accepts
// it, looks like Japanese rather than random bytes. Random bytes read as
// CP932 give short mixes of half-width katakana, ASCII letters and rare
// kanji; text has homogeneous stretches. It counts unlikely characters
// (level-2 and extension kanji, rare symbols, ASCII punctuation prose seldom
// uses, stray voiced marks) and switches between ASCII letters, half-width
// katakana and full-width Japanese without a separator, and wants both to
// be rare and at least two likely Japanese characters.
func refPlausibleSJIS(raw []byte) bool {
	var chars, bad, good, switches int
	prev := uint8(refClSep)
	for i := 0; i < len(raw); {
		b := raw[i]
		chars++
		cl := uint8(refClOther)
		switch {
		case b < utf8.RuneSelf:
			i++
			cl = refAsciiClass[b]
			if cl == refClSepBad {
				bad++
				cl = refClSep
			}
		case b >= 0xA1 && b <= 0xDF:
			i++
			switch {
			case b >= 0xA6 && b <= 0xDD: // half-width katakana letters
				cl = refClHalf
				good++
			case (b == 0xDE || b == 0xDF) && prev == refClHalf: // voiced marks
				cl = refClHalf
				good++
			default:
				bad++
			}
		default:
			var r rune
			if i+1 < len(raw) {
				r = refSjisPair(b, raw[i+1])
			}
			i += 2
			switch {
			case r >= 0x3041 && r <= 0x30FE, r >= 0x3000 && r <= 0x301F, r >= 0xFF01 && r <= 0xFF5E:
				cl = refClWide
				good++
			case r >= 0x4E00 && r <= 0x9FFF && hasBit(&level1Set, r):
				cl = refClWide
				good++
			case r >= 0x4E00 && r <= 0x9FFF:
				cl = refClWide
				bad++
			default:
				bad++
			}
		}
		if prev != cl && prev != refClSep && cl != refClSep &&
			!(prev == refClDigit && cl == refClWide) && !(prev == refClWide && cl == refClDigit) {
			switches++
		}
		prev = cl
	}
	return good >= 2 && bad*5 <= chars && switches*6 <= chars
}

// refScanU16 runs both UTF-16LE lanes over p, whose first byte is at offset base.
func (e *refExtractor) refScanU16(p []byte, base int64) {
	if len(p) == 0 {
		return
	}
	for q := range 2 {
		r := &e.lanes[q]
		j := int((int64(q) - base%2 + 2) % 2)
		if j == 1 && e.hasLast {
			// The code refUnit straddling the previous Write.
			u := uint16(e.last) | uint16(p[0])<<8
			if e.refUnit(q, u, base-1, nil, 0) {
				r.carry = append(r.carry, e.last, p[0])
			}
		}
		r.seg = j
		for ; j+1 < len(p); j += 2 {
			switch refU16Hi[p[j+1]] {
			case refU16Never:
				// Fast path: outside a run, skip code units that cannot
				// start one.
				if r.chars == 0 {
					continue
				}
			case refU16Ideograph:
				// Fast path: a CJK ideograph extending a run.
				if r.chars > 0 && r.dlen+3 <= refMaxRunBytes {
					r.chars++
					r.dlen += 3
					if p[j] == 0 {
						r.loZero++
					}
					r.end = base + int64(j) + 2
					continue
				}
			}
			e.refUnit(q, uint16(p[j])|uint16(p[j+1])<<8, base+int64(j), p, j)
		}
		if r.chars > 0 {
			r.carry = append(r.carry, p[r.seg:j]...)
		}
	}
	e.last = p[len(p)-1]
	e.hasLast = true
}

// refUnit feeds lane q the code refUnit u at stream offset off, which is p[j:j+2]
// (p is nil for a refUnit straddling two Writes). It reports whether u joined
// a run.
func (e *refExtractor) refUnit(q int, u uint16, off int64, p []byte, j int) bool {
	ok, anchor := refU16Class(u)
	r := &e.lanes[q]
	if !ok {
		if r.chars > 0 {
			e.refEndLane(q, p, j)
		}
		return false
	}
	dlen := 3
	if u < 0x80 {
		dlen = 1
	}
	if r.chars > 0 && r.dlen+dlen > refMaxRunBytes {
		e.refEndLane(q, p, j)
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

// refEndLane ends the run of lane q at p[j] and emits it if it looks like text.
func (e *refExtractor) refEndLane(q int, p []byte, j int) {
	r := &e.lanes[q]
	if r.chars >= e.min && r.anchors >= min(2, r.chars) && r.loZero*2 <= r.chars {
		raw := r.carry
		if p != nil {
			raw = append(raw, p[r.seg:j]...)
		}
		e.text = e.text[:0]
		for k := 0; k+1 < len(raw); k += 2 {
			e.text = utf8.AppendRune(e.text, rune(raw[k])|rune(raw[k+1])<<8)
		}
		e.emit(r.start, r.end, e.text)
		e.covers = append(e.covers, refSpan{r.start, r.end})
	}
	r.carry = r.carry[:0]
	r.chars = 0
	r.dlen = 0
	r.anchors = 0
	r.loZero = 0
}

// refU16Hi classifies code units by their high byte for the fast paths.
var refU16Hi = func() (t [256]uint8) {
	for h := range t {
		switch {
		case h >= 0x4E && h <= 0x9F:
			t[h] = refU16Ideograph
		case h == 0x00 || h == 0x30 || h == 0xFF:
			t[h] = refU16Check
		default:
			t[h] = refU16Never
		}
	}
	return t
}()

const (
	refU16Never     = iota // no accepted code refUnit has this high byte
	refU16Ideograph        // all are CJK ideographs
	refU16Check            // some are accepted
)

// refU16Class reports whether u is a printable ASCII or Japanese code refUnit and
// whether it is an anchor (not a CJK ideograph, which random bytes often are).
func refU16Class(u uint16) (ok, anchor bool) {
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

// refDrain emits the refQueued byte runs that no UTF-16 run can overlap any more
// (all of them if all), dropping weak ones mostly refCovered by a UTF-16 run.
func (e *refExtractor) refDrain(all bool) {
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
	for ; k < len(e.queue); k++ {
		qr := &e.queue[k]
		if qr.end > frontier {
			break
		}
		if !qr.weak || !e.refCovered(qr.refSpan) {
			e.emit(qr.start, qr.end, qr.text)
		}
		qr.text = nil
	}
	e.queue = append(e.queue[:0], e.queue[k:]...)

	// Forget covers that no refQueued or future byte run can overlap.
	low := e.off - int64(e.npend)
	if e.br.chars > 0 {
		low = min(low, e.br.start)
	}
	if len(e.queue) > 0 {
		low = min(low, e.queue[0].start)
	}
	c := 0
	for _, s := range e.covers {
		if s.end > low {
			e.covers[c] = s
			c++
		}
	}
	e.covers = e.covers[:c]
}

// refCovered reports whether at least half of s lies in emitted UTF-16 runs.
func (e *refExtractor) refCovered(s refSpan) bool {
	var n int64
	for _, c := range e.covers {
		lo, hi := max(s.start, c.start), min(s.end, c.end)
		if hi > lo {
			n += hi - lo
		}
	}
	return 2*n >= s.end-s.start
}

// refPrintableJP reports whether r is a character worth keeping in an
// extracted string: printable ASCII, Latin-1, Greek, Cyrillic, the symbols
// of JIS X 0208, kana, CJK ideographs and full/half-width forms.
func refPrintableJP(r rune) bool {
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
	refSjisOnce  sync.Once
	refSjisTable []uint16 // [lead index][trail-0x40] → rune, 0 if invalid or unprintable
)

const refSjisTrails = 0xFD - 0x40

func refSjisLeadIndex(b byte) int {
	switch {
	case b >= 0x81 && b <= 0x9F:
		return int(b - 0x81)
	case b >= 0xE0 && b <= 0xFC:
		return int(b-0xE0) + 31
	}
	return -1
}

// refInitSJIS builds the CP932 double-byte table from x/text's decoder.
func refInitSJIS() {
	refSjisOnce.Do(func() {
		refSjisTable = make([]uint16, 60*refSjisTrails)
		dec := japanese.ShiftJIS.NewDecoder()
		var dst [8]byte
		for lead := 0x81; lead <= 0xFC; lead++ {
			li := refSjisLeadIndex(byte(lead))
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
				if size != nDst || r == utf8.RuneError || r > 0xFFFF || !refPrintableJP(r) {
					continue
				}
				refSjisTable[li*refSjisTrails+trail-0x40] = uint16(r)
			}
		}
	})
}

// refSjisPair decodes the CP932 double-byte character lead, trail, or returns 0
// if it is invalid or not refPrintableJP.
func refSjisPair(lead, trail byte) rune {
	li := refSjisLeadIndex(lead)
	if li < 0 || trail < 0x40 || trail >= 0xFD {
		return 0
	}
	return rune(refSjisTable[li*refSjisTrails+int(trail)-0x40])
}
