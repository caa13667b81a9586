package textdec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// Encoding by region. Detect sees only a file's first 64 KiB; a log whose
// head is ASCII and whose later rows are CP932 (or EUC-JP, or UTF-8 after
// CP932) would otherwise be decoded in the wrong encoding from there on.
// A SwitchReader decodes line by line and checks that each line fits the
// encoding in use; at the first line that does not, it detects again on
// the bytes from that line on and switches when they are another
// encoding.

const (
	// switchBuf is the raw buffer of a SwitchReader.
	switchBuf = 64 << 10
	// redetectWindow is how many raw bytes from a misfit line on are
	// given to Detect.
	redetectWindow = 16 << 10
	// redetectCooldown is how far a failed re-detection (the bytes are the
	// same encoding, or no text) holds off the next one.
	redetectCooldown = 64 << 10
	// maxRedetects bounds the re-detections of one stream, so that a file
	// of alternating lines costs no more than a few windows.
	maxRedetects = 64
)

// SwitchReader decodes an ASCII-compatible text stream (UTF-8, CP932,
// EUC-JP, ISO-2022-JP) to UTF-8, switching encoding where the bytes stop
// fitting the one in use. Newlines are kept one for one, invalid input
// becomes U+FFFD (left to Normalize for UTF-8), a UTF-8 BOM at the start
// is dropped. UTF-16 and binary encodings are passed to NewReader as they
// are: the result then never switches.
type SwitchReader struct {
	r       io.Reader
	initial Encoding
	enc     Encoding
	dec     transform.Transformer // nil for UTF-8

	raw    []byte // raw bytes pending in raw[rs:re]
	rs, re int
	eof    bool
	rerr   error
	out    []byte // decoded bytes pending in out[os:]
	os     int

	pos       int64 // raw offset of raw[rs]
	holdOff   int64 // no re-detection before this raw offset
	redetects int
	started   bool
	nonASCII  map[Encoding]int64 // non-ASCII raw bytes decoded per encoding
	order     []Encoding         // encodings in order of first use
	fallback  io.Reader          // UTF-16 and others: plain NewReader
}

// NewSwitchReader returns a reader decoding r, which Detect found to be
// enc, to UTF-8, re-detecting where the bytes stop fitting.
func NewSwitchReader(r io.Reader, enc Encoding) *SwitchReader {
	s := &SwitchReader{}
	s.Reset(r, enc)
	return s
}

// Reset makes s read r, found to be enc, from the start, reusing its
// buffers (a worker scanning many small files keeps one).
func (s *SwitchReader) Reset(r io.Reader, enc Encoding) {
	raw, out, counts, order := s.raw, s.out[:0], s.nonASCII, s.order[:0]
	if counts == nil {
		counts = map[Encoding]int64{}
	}
	clear(counts)
	*s = SwitchReader{r: r, initial: enc, nonASCII: counts, out: out, order: order}
	switch enc {
	case UTF8, ShiftJIS, EUCJP, ISO2022JP:
		if len(raw) != switchBuf {
			raw = make([]byte, switchBuf)
		}
		s.raw = raw
		s.use(enc)
	default:
		s.raw = raw
		s.enc = enc
		s.fallback = NewReader(r, enc)
	}
}

// use makes enc the encoding in use.
func (s *SwitchReader) use(enc Encoding) {
	s.enc, s.dec = enc, nil
	if enc != UTF8 {
		e, _ := decoderFor(enc)
		s.dec = e.NewDecoder()
	}
	for _, o := range s.order {
		if o == enc {
			return
		}
	}
	s.order = append(s.order, enc)
}

// Encoding returns the encoding that decoded most of the non-ASCII text
// (counted in bytes of UTF-8) read so far (the encoding of the file's personal data, when that is
// what its non-ASCII text is), or the detected one when there were none.
func (s *SwitchReader) Encoding() Encoding {
	best, n := s.initial, s.nonASCII[s.initial]
	for _, e := range s.order {
		if s.nonASCII[e] > n {
			best, n = e, s.nonASCII[e]
		}
	}
	return best
}

// Encodings lists the encodings used so far, in order of first use.
func (s *SwitchReader) Encodings() []Encoding { return append([]Encoding(nil), s.order...) }

// Read implements io.Reader.
func (s *SwitchReader) Read(p []byte) (int, error) {
	if s.fallback != nil {
		return s.fallback.Read(p)
	}
	for s.os >= len(s.out) {
		s.out, s.os = s.out[:0], 0
		if err := s.step(); err != nil {
			return 0, err
		}
	}
	n := copy(p, s.out[s.os:])
	s.os += n
	return n, nil
}

// fill reads more raw bytes, compacting the buffer first.
func (s *SwitchReader) fill() {
	if s.eof {
		return
	}
	if s.rs > 0 {
		s.re = copy(s.raw, s.raw[s.rs:s.re])
		s.rs = 0
	}
	for s.re < len(s.raw) && !s.eof {
		n, err := s.r.Read(s.raw[s.re:])
		s.re += n
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.rerr = err
			}
		}
		if n == 0 && err == nil {
			continue
		}
		if s.re-s.rs >= redetectWindow {
			break
		}
	}
}

// step decodes the next segment of whole lines (or a full buffer) into
// out; io.EOF when everything has been decoded. A step may decode
// nothing (it re-detected, or needs more bytes): the caller loops.
func (s *SwitchReader) step() error {
	if s.re-s.rs < redetectWindow {
		s.fill()
	}
	if !s.started {
		s.started = true
		if s.enc == UTF8 && bytes.HasPrefix(s.raw[s.rs:s.re], []byte{0xEF, 0xBB, 0xBF}) {
			s.rs += 3
			s.pos += 3
		}
	}
	if s.rs == s.re {
		if s.rerr != nil {
			return s.rerr
		}
		return io.EOF
	}
	seg := s.raw[s.rs:s.re]
	final := s.eof
	if i := bytes.LastIndexByte(seg, '\n'); i >= 0 && i+1 < len(seg) {
		seg, final = seg[:i+1], false
	} else if i < 0 && !s.eof && s.enc == UTF8 {
		// A long line cut at the buffer's end: not inside a character.
		if j := runeStart(seg); j > 0 {
			seg = seg[:j]
		}
	}
	if s.fits(seg) {
		_, err := s.emit(seg, final)
		return err
	}
	for len(seg) > 0 {
		line := seg
		if i := bytes.IndexByte(seg, '\n'); i >= 0 {
			line = seg[:i+1]
		}
		if s.pos >= s.holdOff && s.redetects < maxRedetects && !s.fits(line) {
			s.redetect()
			return nil // seg is stale: the next step goes on from here
		}
		n, err := s.emit(line, final && len(line) == len(seg))
		if err != nil || n < len(line) {
			return err
		}
		seg = seg[n:]
	}
	return nil
}

// runeStart returns the length of b without an incomplete UTF-8
// sequence at its end.
func runeStart(b []byte) int {
	for k := 1; k <= utf8.UTFMax && k <= len(b); k++ {
		if c := b[len(b)-k]; utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-k:]) {
				return len(b)
			}
			return len(b) - k
		}
	}
	return len(b)
}

// fits reports whether b, whole lines (or a buffer cut anywhere), is
// plausibly in the encoding in use: valid UTF-8 for UTF-8 (ESC
// designations send ISO-2022-JP to re-detection); for a legacy encoding,
// no invalid sequences and no non-ASCII UTF-8 (valid multi-byte UTF-8 is
// almost never accidental).
func (s *SwitchReader) fits(b []byte) bool {
	hi := firstHigh(b)
	switch s.enc {
	case UTF8:
		if hi < 0 {
			return bytes.IndexByte(b, 0x1B) < 0 || !hasISO2022Escape(b)
		}
		return utf8.Valid(b[hi:])
	case ISO2022JP:
		return hi < 0
	}
	if hi < 0 {
		return true
	}
	if validUTF8(b[hi:], true) {
		return false
	}
	return legacyValid(s.enc, b[hi:])
}

// legacyValid reports whether b decodes in enc without an invalid
// sequence (a truncated final character is allowed).
func legacyValid(enc Encoding, b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			i++
			continue
		}
		switch enc {
		case ShiftJIS:
			if c >= 0xA1 && c <= 0xDF { // half-width katakana
				i++
				continue
			}
			if !(c >= 0x81 && c <= 0x9F || c >= 0xE0 && c <= 0xFC) {
				return false
			}
			if i+1 >= len(b) {
				return true
			}
			t := b[i+1]
			if t < 0x40 || t == 0x7F || t > 0xFC {
				return false
			}
			i += 2
		case EUCJP:
			switch {
			case c == 0x8E: // half-width katakana
				if i+1 < len(b) && (b[i+1] < 0xA1 || b[i+1] > 0xDF) {
					return false
				}
				i += 2
			case c == 0x8F: // JIS X 0212
				if i+2 < len(b) && (b[i+1] < 0xA1 || b[i+2] < 0xA1 || b[i+1] == 0xFF || b[i+2] == 0xFF) {
					return false
				}
				i += 3
			case c >= 0xA1 && c <= 0xFE:
				if i+1 < len(b) && (b[i+1] < 0xA1 || b[i+1] == 0xFF) {
					return false
				}
				i += 2
			default:
				return false
			}
		default:
			return false
		}
	}
	return true
}

// firstHigh returns the index of the first byte >= 0x80 in b, or -1.
func firstHigh(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= 0x80 {
			return i
		}
	}
	return -1
}

// countHigh counts the bytes >= 0x80 in b.
func countHigh(b []byte) int64 {
	var n int64
	for _, c := range b {
		n += int64(c >> 7)
	}
	return n
}

// redetect runs Detect on the bytes from s.rs on and switches to what it
// finds when that is another text encoding; it reports whether it did.
func (s *SwitchReader) redetect() bool {
	s.redetects++
	if s.re-s.rs < redetectWindow && !s.eof {
		s.fill()
	}
	win := s.raw[s.rs:s.re]
	atEOF := s.eof
	if len(win) > redetectWindow {
		win, atEOF = win[:redetectWindow], false
		if i := bytes.LastIndexByte(win, '\n'); i > 0 {
			win, atEOF = win[:i+1], true
		}
	}
	// Only the region that does not fit: up to the first later line with
	// non-ASCII bytes that fits the encoding in use.
	for p := bytes.IndexByte(win, '\n') + 1; p > 0 && p < len(win); {
		line := win[p:]
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i+1]
		}
		if firstHigh(line) >= 0 && s.fits(line) {
			win, atEOF = win[:p], true
			break
		}
		p += len(line)
	}
	enc := Detect(win, atEOF)
	switch enc {
	case UTF8, ShiftJIS, EUCJP, ISO2022JP:
		if enc != s.enc {
			s.use(enc)
			s.holdOff = s.pos + 1 // the next misfit line may switch again
			return true
		}
	}
	s.holdOff = s.pos + redetectCooldown
	return false
}

// emit decodes b, which starts at s.rs, with the encoding in use into
// out and consumes it; it returns the bytes consumed (a legacy decoder
// leaves a truncated final character for the next step unless final).
func (s *SwitchReader) emit(b []byte, final bool) (int, error) {
	n, start := len(b), len(s.out)
	if s.dec == nil {
		s.out = append(s.out, b...)
	} else {
		var err error
		if s.out, n, err = appendTransform(s.dec, s.out, b, final); err != nil {
			return n, err
		}
		if n == 0 && len(b) > 0 && len(b) == s.re-s.rs && s.re == len(s.raw) {
			// Only a truncated character in a full buffer: cannot grow.
			s.out, n, _ = appendTransform(s.dec, s.out, b, true)
		}
	}
	s.nonASCII[s.enc] += countHigh(s.out[start:])
	s.rs += n
	s.pos += int64(n)
	return n, nil
}

// appendTransform decodes src with t onto dst; it returns the bytes of
// src consumed.
func appendTransform(t transform.Transformer, dst, src []byte, atEOF bool) ([]byte, int, error) {
	consumed := 0
	for {
		if cap(dst)-len(dst) < 3*len(src)+16 {
			nd := make([]byte, len(dst), 2*cap(dst)+3*len(src)+16)
			copy(nd, dst)
			dst = nd
		}
		nDst, nSrc, err := t.Transform(dst[len(dst):cap(dst)], src, atEOF)
		dst = dst[:len(dst)+nDst]
		consumed += nSrc
		src = src[nSrc:]
		switch {
		case err == transform.ErrShortDst:
			continue
		case err == transform.ErrShortSrc:
			return dst, consumed, nil
		case err != nil:
			return dst, consumed, err
		}
		return dst, consumed, nil
	}
}
