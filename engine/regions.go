package engine

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/textdec"
)

// Text regions inside binaries. A disk image, a database file or a dump
// may hold a whole CSV export somewhere in the middle. Strings pulled out
// of it one by one lose the table (its header, its columns), so a region
// of the binary that reads as text — a long run without control bytes, in
// one Japanese encoding — is cut out of the string extraction and read as
// a text file of its own, with its own verdict, at the path
// "file!/text@OFFSET": a Shift_JIS overdue list at 2.5 GiB into a disk
// image is classified exactly as the same CSV on its own would be.
const (
	// regionMin is how long a run of text bytes must be before it is
	// taken as a text region, and regionLines how many line ends it must
	// hold by then.
	regionMin   = 256
	regionLines = 2
	// holdMax is the longest run of text bytes without regionLines line
	// ends that is still waited on; a longer one is left to the strings.
	holdMax = 4 << 10
)

// zeroSkip is the shortest run of NUL bytes that is skipped over.
const zeroSkip = 512

// zeroRun returns the end of the run of NUL bytes starting at w[j].
func zeroRun(w []byte, j int) int {
	k := j
	for k+8 <= len(w) && binary.LittleEndian.Uint64(w[k:]) == 0 {
		k += 8
	}
	for k < len(w) && w[k] == 0 {
		k++
	}
	return k
}

// textByte says a byte may occur in text in one of the supported
// encodings: not a C0 control other than tab, line ends, form feed and
// ESC (ISO-2022-JP), not DEL, not 0xFF.
var textByte = func() (t [256]bool) {
	for b := 0; b < 256; b++ {
		t[b] = b >= 0x20 && b != 0x7F && b != 0xFF
	}
	for _, b := range []byte{'\t', '\n', '\r', '\f', 0x1B} {
		t[b] = true
	}
	return t
}()

// regionScanner splits a binary stream into binary segments (handed to
// bin, with their stream offset) and text regions (each scanned as text).
type regionScanner struct {
	f   *fileScan
	bin func(p []byte, off int64) // the binary segments, in order
	cut func(off int64)           // a binary segment ends at off (a region is taken out)

	off      int64  // stream offset of the next byte written
	held     []byte // a run of text bytes too short to decide on, not yet handed on
	work     []byte
	run      int  // text bytes at the end of what was seen
	lines    int  // line ends in that run
	rejected bool // the current run was tried and is not text

	in      *region // the region being read, or nil
	results []fileResult
}

// region is one text region being read: its head is collected first (to
// detect the encoding), then the rest streams to a text scan. A region
// that ends within its head is scanned then, and given back to the
// string extraction if nothing was found in it.
type region struct {
	start int64
	head  []byte
	enc   textdec.Encoding
	pw    *io.PipeWriter
	done  chan fileResult
}

func (s *regionScanner) write(p []byte) {
	w := p
	woff := s.off
	if len(s.held) > 0 {
		s.work = append(append(s.work[:0], s.held...), p...)
		w = s.work
		woff -= int64(len(s.held))
		s.held = s.held[:0]
	}
	s.off += int64(len(p))
	i := 0 // w[:i] is handed on
	for j := 0; j < len(w); j++ {
		b := w[j]
		if s.in != nil {
			if textByte[b] {
				continue
			}
			s.regionData(w[i:j])
			s.endRegion(false)
			i = j
			s.run, s.lines, s.rejected = 0, 0, false
			continue
		}
		if !textByte[b] {
			s.run, s.lines, s.rejected = 0, 0, false
			if b == 0 {
				// a long run of NULs (a sparse file's holes, padding)
				// holds no string: skipped, not fed to the extractor
				if k := zeroRun(w, j); k-j >= zeroSkip {
					s.bin(w[i:j+8], woff+int64(i))
					s.cut(woff + int64(j+8))
					i, j = k, k-1
				}
			}
			continue
		}
		s.run++
		if b == '\n' {
			s.lines++
		}
		if s.rejected {
			continue
		}
		if s.run > holdMax {
			s.rejected = true
			continue
		}
		if s.run < regionMin || s.lines < regionLines {
			continue
		}
		start := j + 1 - s.run
		if textdec.Detect(w[start:j+1], false) == textdec.Binary {
			s.rejected = true
			continue
		}
		if start > i {
			s.bin(w[i:start], woff+int64(i))
		}
		s.in = &region{start: woff + int64(start)}
		i = start
	}
	if s.in != nil {
		s.regionData(w[i:])
		return
	}
	hold := 0
	if !s.rejected && s.run > 0 {
		// the run may still become a region: decided with the next bytes,
		// which see it again
		hold = s.run
		s.run, s.lines = 0, 0
	}
	if len(w)-hold > i {
		s.bin(w[i:len(w)-hold], woff+int64(i))
	}
	s.held = append(s.held, w[len(w)-hold:]...)
}

// regionData hands text bytes to the region being read.
func (s *regionScanner) regionData(p []byte) {
	r := s.in
	if len(p) == 0 {
		return
	}
	if r.pw == nil {
		room := headSize - len(r.head)
		if len(p) < room {
			r.head = append(r.head, p...)
			return
		}
		r.head = append(r.head, p[:room]...)
		p = p[room:]
		s.cut(r.start)
		s.startStream(r)
	}
	if r.pw != nil && len(p) > 0 {
		r.pw.Write(p) // a failed scan stops reading and drains: see startStream
	}
}

// startStream begins the text scan of a region whose head is complete.
func (s *regionScanner) startStream(r *region) {
	r.enc = textdec.Detect(r.head, false)
	pr, pw := io.Pipe()
	r.pw, r.done = pw, make(chan fileResult, 1)
	head := r.head
	go func() {
		res := s.scanRegion(r, io.MultiReader(bytes.NewReader(head), pr))
		// whatever the scan did not read is drained, so writes never block
		io.Copy(io.Discard, pr)
		r.done <- res
	}()
}

// endRegion finishes the region being read (at a non-text byte, or at
// the end of the stream with eof).
func (s *regionScanner) endRegion(eof bool) {
	r := s.in
	s.in = nil
	var res fileResult
	if r.pw == nil {
		// A short region is kept only when it holds something of its
		// own; else (a dump's CREATE TABLE, a help text) it goes back to
		// the strings, where it is the context of the records around it.
		r.enc = textdec.Detect(r.head, true)
		res = s.scanRegion(r, bytes.NewReader(r.head))
		if (res.file == nil || res.file.Findings == 0) && len(res.errors) == 0 {
			s.bin(r.head, r.start)
			return
		}
		s.cut(r.start)
	} else {
		r.pw.Close()
		res = <-r.done
	}
	if res.file != nil || len(res.errors) > 0 {
		s.results = append(s.results, res)
	}
}

// close ends the stream: a region in progress ends, held bytes are
// handed on as binary.
func (s *regionScanner) close(err error) {
	if s.in != nil {
		if err != nil && s.in.pw != nil {
			s.in.pw.CloseWithError(err)
			res := <-s.in.done
			s.in = nil
			if res.file != nil || len(res.errors) > 0 {
				s.results = append(s.results, res)
			}
		} else {
			s.endRegion(true)
		}
	}
	if len(s.held) > 0 {
		s.bin(s.held, s.off-int64(len(s.held)))
		s.held = s.held[:0]
	}
}

// scanRegion scans one region as a text file of its own. A panic in it
// costs the region only.
func (s *regionScanner) scanRegion(r *region, rd io.Reader) (res fileResult) {
	f := s.f
	path := f.it.Path + "!/text@" + strconv.FormatInt(r.start, 10)
	rel := f.it.Rel + "!/text@" + strconv.FormatInt(r.start, 10)
	defer func() {
		if p := recover(); p != nil {
			res = errorResult(path, fmt.Errorf("internal error, not scanned: %s", panicReason(p)))
		}
	}()
	enc := r.enc
	if enc == textdec.Binary {
		enc = textdec.ShiftJIS // text bytes only, yet no clean decoding: CP932 is the likeliest
	}
	if f.rws == nil {
		f.rws = newWorkspace()
	}
	rs := &fileScan{ctx: f.ctx, opt: f.opt, it: scanners.Item{Path: path, Rel: rel}, ws: f.rws,
		an: detectors.NewAnalyzer(f.opt.MaxFindingsPerFile, false)}
	rs.an.SetName(f.it.Rel) // the region has no name of its own: the binary's counts
	if err := rs.scanText(textdec.NewReader(rd, enc)); err != nil {
		if f.ctx.Err() != nil {
			err = f.ctx.Err()
		}
		res.errors = append(res.errors, errorf(path, "read error in a text region: %v; the rest of the region was not scanned", err))
	}
	v, kept, total := rs.an.Result()
	if total == 0 && len(res.errors) == 0 {
		return res
	}
	res.file = &report.File{
		Path:           path,
		MediaType:      scanners.SniffMediaType(path, r.head, true),
		Encoding:       string(enc),
		Classification: v.Classification,
		Severity:       v.Severity,
		Persons:        v.Persons,
		Findings:       total,
		Dummy:          v.Dummy,
		Reason:         v.Reason,
		Columns:        v.Columns,
		Fields:         v.Fields,
	}
	if len(v.Categories) > 0 {
		res.file.Categories = v.Categories
	}
	res.findings = findings(rs.it, kept, v, f.opt.Reveal)
	return res
}

// recordDigits is how many digits a record's other field must hold (an
// ID, a phone number, a date) for its short Japanese fields to be kept.
const recordDigits = 4

// marginalReach is how far (in bytes) from a marginal string of a binary
// the other field of its record may be: a fixed-width field's padding.
const marginalReach = 32

// binString is what marginalKept needs of a string of a binary.
type binString struct {
	start, end int64
	text       []byte // normalised
	marginal   bool
	wide       bool // (a marginal string) UTF-16
}

// wideSpan says a string not marginal looks read from UTF-16: two bytes
// a character (its digits, at least, are ASCII either way).
func (s binString) wideSpan() bool {
	return s.end-s.start == 2*int64(utf8.RuneCount(s.text))
}

// marginalKept drops from strs, the strings of a binary in offset order,
// the marginal ones (names of two or three characters, UTF-16 runs of
// kanji only: what random bytes also give) that are not fields of a
// record: one is kept when a string not marginal, in the same encoding
// width (the fields of a record are written alike), that holds
// recordDigits digits (an ID, a phone number, a date) ends or starts
// within marginalReach bytes of it. what describes a string. Without
// marginal strings kept, the strings are those of an extraction without
// them.
func marginalKept[S any](strs []S, what func(S) binString) []S {
	field := func(m binString, x int) bool {
		o := what(strs[x])
		return !o.marginal && o.wideSpan() == m.wide && digits(o.text) >= recordDigits
	}
	fielded := func(k int) bool {
		m := what(strs[k])
		for x := k - 1; x >= 0; x-- {
			if o := what(strs[x]); o.start < m.start-marginalReach-fieldMax {
				break
			} else if o.end >= m.start-marginalReach && o.end <= m.start && field(m, x) {
				return true
			}
		}
		for x := k + 1; x < len(strs); x++ {
			if what(strs[x]).start > m.end+marginalReach {
				break
			}
			if what(strs[x]).start >= m.end && field(m, x) {
				return true
			}
		}
		return false
	}
	keep := make([]bool, len(strs))
	for k := range strs {
		keep[k] = !what(strs[k]).marginal || fielded(k)
	}
	// A kept marginal string and one not marginal that overlap are two
	// readings of the same bytes. The other one is the shadow when it
	// lies within the marginal one without being a field (中村 in UTF-16
	// read as ASCII is "-NQg"), or when it is neither ASCII, nor a field,
	// nor Japanese only (a name's CP932 bytes read as UTF-16: rare kanji
	// and a Latin letter). Else it is the text, and the marginal string
	// the shadow (ASCII text read as UTF-16 is CJK ideographs).
	overlap := func(k, x int) {
		m, o := what(strs[k]), what(strs[x])
		if digits(o.text) < recordDigits && (o.start >= m.start && o.end <= m.end || !isASCII(o.text) && !textdec.JapaneseOnly(o.text)) {
			keep[x] = false
		} else {
			keep[k] = false
		}
	}
	for k := range strs {
		m := what(strs[k])
		if !m.marginal || !keep[k] {
			continue
		}
		for x := k - 1; x >= 0 && keep[k]; x-- {
			o := what(strs[x])
			if o.start < m.start-marginalReach-fieldMax {
				break
			}
			if !o.marginal && keep[x] && o.end > m.start {
				overlap(k, x)
			}
		}
		for x := k + 1; x < len(strs) && keep[k]; x++ {
			o := what(strs[x])
			if o.start >= m.end {
				break
			}
			if !o.marginal && keep[x] {
				overlap(k, x)
			}
		}
	}
	out := strs[:0]
	for k, s := range strs {
		if keep[k] {
			out = append(out, s)
		}
	}
	return out
}

// fieldMax bounds the bytes of a record's field next to a marginal
// string (or of a string read from the same bytes) that is looked for.
const fieldMax = 256

// isASCII says text is ASCII only.
func isASCII(text []byte) bool {
	for _, b := range text {
		if b >= 0x80 {
			return false
		}
	}
	return true
}

// digits counts the ASCII digits in text.
func digits(text []byte) int {
	n := 0
	for _, b := range text {
		if b-'0' <= 9 {
			n++
		}
	}
	return n
}
