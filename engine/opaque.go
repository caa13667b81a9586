package engine

import (
	"bytes"
	"io"
	"math"

	"github.com/h2non/filetype"

	"github.com/rouei/rouei/report"
)

// The opaque rule: a binary file that no reader claims, that is at least
// opaqueMinBytes long and mostly high-entropy (compressed or encrypted
// data), and that is not a known media type (image, audio, video, font),
// is an errors[] entry: the next format nobody reads is a loud miss, not
// a silent one. Known media types are counted in stats.media by type.
//
// Entropy is measured per entropyBlock bytes (Shannon, bits per byte);
// a block above highEntropyBits is compressed or encrypted (deflate, xz
// and AES output measure 7.95–8.0; machine code 5–6.5; text under 5).
// A file is opaque when at least opaqueShare of its whole blocks are.
const (
	opaqueMinBytes  = 64 << 10
	entropyBlock    = 4096
	highEntropyBits = 7.5
	opaqueShare     = 0.9
)

// opaqueNote is the error text of an opaque file.
const opaqueNote = "opaque data: compressed or encrypted content not scanned"

// mediaType names a known media type (image, audio, video, font) by its
// MIME type from the file's first bytes, or "".
func mediaType(head []byte) string {
	if !(filetype.IsImage(head) || filetype.IsAudio(head) || filetype.IsVideo(head) || filetype.IsFont(head)) {
		return ""
	}
	t, err := filetype.Match(head)
	if err != nil || t == filetype.Unknown {
		return ""
	}
	return t.MIME.Value
}

// unreadContainer names a compressed stream or archive that a signature
// marks but that no reader opens (RAR, lzip, compress .Z), or "".
func unreadContainer(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("Rar!\x1A\x07")):
		return "RAR archive"
	case bytes.HasPrefix(head, []byte("LZIP")):
		return "lzip stream"
	case len(head) >= 3 && head[0] == 0x1F && head[1] == 0x9D:
		return "compress (.Z) stream"
	}
	return ""
}

// entropyMeter counts the bytes read through it, block by block.
type entropyMeter struct {
	r       io.Reader
	hist    [4][256]uint32 // four histograms, summed per block: no store-to-load stall on runs of one byte
	inBlock int
	blocks  int
	high    int
	total   int64
	// maxLow is how many low-entropy blocks a file of known size may
	// have and still be opaque; past it the meter stops counting (-1:
	// size unknown, count everything).
	maxLow int
	clear  bool // known not to be opaque
}

// newEntropyMeter meters r, a file of size bytes (-1 when unknown).
func newEntropyMeter(r io.Reader, size int64) *entropyMeter {
	m := &entropyMeter{r: r, maxLow: -1}
	if size >= 0 {
		m.maxLow = int((1-opaqueShare)*float64(size/entropyBlock)) + 1
	}
	return m
}

func (m *entropyMeter) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	m.total += int64(n)
	if m.clear {
		return n, err
	}
	for q := p[:n]; len(q) > 0; {
		k := min(len(q), entropyBlock-m.inBlock)
		c := q[:k]
		for len(c) >= 4 {
			m.hist[0][c[0]]++
			m.hist[1][c[1]]++
			m.hist[2][c[2]]++
			m.hist[3][c[3]]++
			c = c[4:]
		}
		for _, b := range c {
			m.hist[0][b]++
		}
		m.inBlock += k
		q = q[k:]
		if m.inBlock == entropyBlock {
			m.closeBlock()
		}
	}
	return n, err
}

func (m *entropyMeter) closeBlock() {
	var h float64
	for i := range 256 {
		if c := m.hist[0][i] + m.hist[1][i] + m.hist[2][i] + m.hist[3][i]; c > 0 {
			p := float64(c) / entropyBlock
			h -= p * math.Log2(p)
		}
	}
	m.hist = [4][256]uint32{}
	m.blocks++
	if h > highEntropyBits {
		m.high++
	}
	m.inBlock = 0
	if m.maxLow >= 0 && m.blocks-m.high > m.maxLow {
		m.clear = true // ordinary data: the rest is not metered
	}
}

// opaque says whether what was read is opaque data.
func (m *entropyMeter) opaque() bool {
	return !m.clear && m.total >= opaqueMinBytes && m.blocks > 0 && float64(m.high) >= opaqueShare*float64(m.blocks)
}

// opaqueCheck is the hook of scanTree for a binary item that no reader
// claimed: it names the item's media type (counted, never judged), or
// reports an unread container at once, or returns a meter to read the
// item through and judge afterwards with opaqueResult.
func opaqueCheck(path string, size int64, head []byte) (media string, early []report.Error, meter func(io.Reader) (io.Reader, func() []report.Error)) {
	if mt := mediaType(head); mt != "" {
		return mt, nil, nil
	}
	if k := unreadContainer(head); k != "" {
		return "", []report.Error{errorf(path, "%s: container format not read: contents not scanned", k)}, nil
	}
	return "", nil, func(r io.Reader) (io.Reader, func() []report.Error) {
		var late *markScanner
		if bytes.HasPrefix(head, []byte("MZ")) {
			// a Windows program: an installer's payload marks may lie
			// past the head (an Inno Setup loader is larger than it)
			late = &markScanner{r: r}
			r = late
		}
		m := newEntropyMeter(r, size)
		return m, func() []report.Error {
			if late != nil && late.kind != "" {
				return []report.Error{errorf(path, "installer payload not readable: %s (its mark found past the first bytes)", late.kind)}
			}
			if !m.opaque() {
				return nil
			}
			return []report.Error{errorf(path, "%s (%d of %d blocks of %d bytes above %.1f bits a byte)",
				opaqueNote, m.high, m.blocks, entropyBlock, highEntropyBits)}
		}
	}
}

// countMedia adds a known media type to the report's stats.
func countMedia(st *report.Stats, media string) {
	if media == "" {
		return
	}
	if st.Media == nil {
		st.Media = map[string]int{}
	}
	st.Media[media]++
}

// lateMarks are the marks an installer's payload leaves at its start,
// strong enough to search for anywhere in a program (they are not
// constants a program would hold).
var lateMarks = []struct{ mark, kind string }{
	{"\xEF\xBE\xAD\xDENullsoftInst", "NSIS"},
	{"Inno Setup Setup Data (", "Inno Setup"},
}

// markScanner looks for lateMarks in the bytes read through it.
type markScanner struct {
	r    io.Reader
	tail []byte // the last bytes of the previous read, for a mark across reads
	kind string
}

func (s *markScanner) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if s.kind != "" || n == 0 {
		return n, err
	}
	buf := append(s.tail, p[:n]...)
	for _, m := range lateMarks {
		if bytes.Contains(buf, []byte(m.mark)) {
			s.kind = m.kind
			return n, err
		}
	}
	keep := min(len(buf), 32)
	s.tail = append(s.tail[:0], buf[len(buf)-keep:]...)
	return n, err
}
