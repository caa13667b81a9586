package lzh

import (
	"bufio"
	"fmt"
	"io"
)

// bitReader reads a member's compressed data most significant bit first.
// Past the end of the data it feeds zero bits, as LHA does, so that a
// code can be looked up with a full 16-bit peek; consuming one of those
// bits is an error.
type bitReader struct {
	br   *bufio.Reader
	left int64  // compressed bytes of the member not yet taken from br
	buf  uint64 // the low n bits are the next bits
	n    uint
	pad  uint  // how many of the low bits of buf are padding zeros
	err  error // the read error that started the padding, if any
}

// fill tops buf up to more than 56 bits.
func (b *bitReader) fill() {
	for b.n <= 56 {
		var c byte
		real := false
		if b.left > 0 && b.err == nil {
			x, err := b.br.ReadByte()
			switch {
			case err == io.EOF:
				b.err = io.ErrUnexpectedEOF
			case err != nil:
				b.err = err
			default:
				c, real = x, true
				b.left--
			}
		}
		if !real {
			b.pad += 8
		}
		b.buf = b.buf<<8 | uint64(c)
		b.n += 8
	}
}

// need makes sure k bits (k <= 32) can be peeked.
func (b *bitReader) need(k uint) {
	if b.n < k {
		b.fill()
	}
}

// peek returns the next k bits (k <= 32, after need(k)).
func (b *bitReader) peek(k uint) uint32 {
	return uint32(b.buf>>(b.n-k)) & (1<<k - 1)
}

// consume drops k bits (after need(k)); it fails once bits past the end
// of the data are used.
func (b *bitReader) consume(k uint) error {
	b.n -= k
	if b.n < b.pad {
		return b.overrun()
	}
	return nil
}

func (b *bitReader) overrun() error {
	if b.err != nil && b.err != io.ErrUnexpectedEOF {
		return b.err
	}
	return fmt.Errorf("lzh: compressed data ends early: %w", io.ErrUnexpectedEOF)
}

// bits reads k bits (k <= 16).
func (b *bitReader) bits(k uint) (uint32, error) {
	b.need(k)
	v := b.peek(k)
	return v, b.consume(k)
}

// maxCodeLen is the longest Huffman code in LHA's tables.
const maxCodeLen = 16

// huffman decodes one canonical Huffman code (codes of a length are
// consecutive and in symbol order, shorter codes first, as LHA's
// make_table assigns them).
type huffman struct {
	tableBits uint
	table     []uint16 // symbol<<5 | length for codes up to tableBits long; 0 for none
	count     [maxCodeLen + 1]uint32
	first     [maxCodeLen + 1]uint32 // first code of each length
	index     [maxCodeLen + 1]uint32 // index in syms of the first symbol of each length
	syms      []uint16               // symbols by code
	single    int                    // the only symbol, coded with no bits; -1 if none
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// setSingle makes a code of one symbol that takes no bits.
func (h *huffman) setSingle(sym int) {
	h.single = sym
}

// build makes the code from the code lengths of the symbols (0: unused).
// An over-subscribed set of lengths is an error; an incomplete one is
// accepted and its unused codes are errors when met.
func (h *huffman) build(lens []uint8, tableBits uint) error {
	h.single = -1
	h.tableBits = tableBits
	h.count = [maxCodeLen + 1]uint32{}
	for _, l := range lens {
		if l > maxCodeLen {
			return corrupt("code length %d", l)
		}
		h.count[l]++
	}
	h.count[0] = 0
	left := 1
	for l := 1; l <= maxCodeLen; l++ {
		left = left<<1 - int(h.count[l])
		if left < 0 {
			return corrupt("over-subscribed Huffman code")
		}
	}
	var code, idx uint32
	for l := 1; l <= maxCodeLen; l++ {
		h.first[l], h.index[l] = code, idx
		code = (code + h.count[l]) << 1
		idx += h.count[l]
	}
	if cap(h.syms) < int(idx) {
		h.syms = make([]uint16, idx, len(lens))
	}
	h.syms = h.syms[:idx]
	next := h.index
	for s, l := range lens {
		if l > 0 {
			h.syms[next[l]] = uint16(s)
			next[l]++
		}
	}
	size := 1 << tableBits
	if cap(h.table) < size {
		h.table = make([]uint16, size)
	}
	h.table = h.table[:size]
	clear(h.table)
	for l := uint(1); l <= tableBits; l++ {
		fill := uint32(1) << (tableBits - l)
		for i := range h.count[l] {
			e := h.syms[h.index[l]+i]<<5 | uint16(l)
			start := (h.first[l] + i) << (tableBits - l)
			for j := range fill {
				h.table[start+j] = e
			}
		}
	}
	return nil
}

// decode reads one symbol.
func (h *huffman) decode(b *bitReader) (int, error) {
	if h.single >= 0 {
		return h.single, nil
	}
	b.need(maxCodeLen)
	v := b.peek(maxCodeLen)
	if e := h.table[v>>(maxCodeLen-h.tableBits)]; e != 0 {
		return int(e >> 5), b.consume(uint(e & 31))
	}
	for l := h.tableBits + 1; l <= maxCodeLen; l++ {
		code := v >> (maxCodeLen - l)
		if code >= h.first[l] && code-h.first[l] < h.count[l] {
			return int(h.syms[h.index[l]+code-h.first[l]]), b.consume(l)
		}
	}
	if b.n-maxCodeLen < b.pad {
		// the bits that do not form a code lie past the data's end
		return 0, b.overrun()
	}
	return 0, corrupt("invalid Huffman code")
}

// Parameters of LHA's static Huffman methods.
const (
	numC    = 510 // literals, and match lengths 3 to 256
	cBits   = 9
	numT    = 19 // code-length code
	tBits   = 5
	minCopy = 3
)

// lhDecoder decompresses -lh4- to -lh7- data.
type lhDecoder struct {
	bits      *bitReader
	np        int  // position codes: 14, 16 or 17
	pBits     uint // bits giving the number of position code lengths
	win       []byte
	wpos      int
	blockLeft int // codes left in the block
	copyLen   int // bytes of a match not yet copied out
	copyDist  int
	blocks    int // blocks read in the member
	lens      [numC]uint8
	c, p, t   huffman
}

// reset starts a member of the method with np position codes.
func (d *lhDecoder) reset(bits *bitReader, np int, pBits uint) {
	d.bits, d.np, d.pBits = bits, np, pBits
	size := 1 << (np - 1) // the farthest a position code reaches
	if cap(d.win) < size {
		d.win = make([]byte, size)
	}
	d.win = d.win[:size]
	for i := range d.win {
		d.win[i] = ' ' // LHA starts the dictionary with spaces
	}
	d.wpos, d.blockLeft, d.copyLen, d.copyDist, d.blocks = 0, 0, 0, 0, 0
}

// readPtLen reads the code lengths of the code-length code (nn = numT,
// with a run of zeros after the third) or of the position code.
func (d *lhDecoder) readPtLen(h *huffman, nn int, nBits uint, special int) error {
	b := d.bits
	n, err := b.bits(nBits)
	if err != nil {
		return err
	}
	if n == 0 {
		c, err := b.bits(nBits)
		if err != nil {
			return err
		}
		if int(c) >= nn {
			return corrupt("single code %d of %d", c, nn)
		}
		h.setSingle(int(c))
		return nil
	}
	if int(n) > nn {
		return corrupt("%d code lengths for %d symbols", n, nn)
	}
	lens := d.lens[:nn]
	clear(lens)
	for i := 0; i < int(n); {
		c, err := b.bits(3)
		if err != nil {
			return err
		}
		if c == 7 {
			for {
				one, err := b.bits(1)
				if err != nil {
					return err
				}
				if one == 0 {
					break
				}
				c++
				if c > maxCodeLen {
					return corrupt("code length over %d", maxCodeLen)
				}
			}
		}
		lens[i] = uint8(c)
		i++
		if i == special {
			z, err := b.bits(2)
			if err != nil {
				return err
			}
			for ; z > 0 && i < nn; z-- {
				lens[i] = 0
				i++
			}
		}
	}
	return h.build(lens, 8)
}

// readCLen reads the code lengths of the literal/length code.
func (d *lhDecoder) readCLen() error {
	b := d.bits
	n, err := b.bits(cBits)
	if err != nil {
		return err
	}
	if n == 0 {
		c, err := b.bits(cBits)
		if err != nil {
			return err
		}
		if c >= numC {
			return corrupt("single code %d of %d", c, numC)
		}
		d.c.setSingle(int(c))
		return nil
	}
	if n > numC {
		return corrupt("%d code lengths for %d symbols", n, numC)
	}
	lens := d.lens[:numC]
	clear(lens)
	for i := 0; i < int(n); {
		sym, err := d.t.decode(b)
		if err != nil {
			return err
		}
		var run uint32
		switch sym {
		case 0:
			run = 1
		case 1:
			if run, err = b.bits(4); err != nil {
				return err
			}
			run += 3
		case 2:
			if run, err = b.bits(cBits); err != nil {
				return err
			}
			run += 20
		default:
			lens[i] = uint8(sym - 2)
			i++
			continue
		}
		if i+int(run) > numC {
			return corrupt("run of %d zero lengths past %d symbols", run, numC)
		}
		i += int(run)
	}
	return d.c.build(lens, 12)
}

// readBlock reads a block's size and its three code tables.
func (d *lhDecoder) readBlock() error {
	n, err := d.bits.bits(16)
	if err != nil {
		return err
	}
	if n == 0 {
		return corrupt("empty block")
	}
	if err := d.readPtLen(&d.t, numT, tBits, 3); err != nil {
		return err
	}
	if err := d.readCLen(); err != nil {
		return err
	}
	if err := d.readPtLen(&d.p, d.np, d.pBits, -1); err != nil {
		return err
	}
	d.blockLeft = int(n)
	d.blocks++
	return nil
}

// Read decompresses into p; the caller stops at the member's size.
func (d *lhDecoder) Read(p []byte) (int, error) {
	mask := len(d.win) - 1
	n := 0
	for n < len(p) {
		if d.copyLen > 0 {
			k := min(d.copyLen, len(p)-n)
			d.copyLen -= k
			for k > 0 {
				// copy in runs that neither wrap around the window nor
				// overlap their own source
				src := (d.wpos - d.copyDist) & mask
				run := min(k, len(d.win)-src, len(d.win)-d.wpos, d.copyDist)
				copy(d.win[d.wpos:d.wpos+run], d.win[src:src+run])
				copy(p[n:], d.win[d.wpos:d.wpos+run])
				d.wpos = (d.wpos + run) & mask
				n += run
				k -= run
			}
			continue
		}
		if d.blockLeft == 0 {
			if err := d.readBlock(); err != nil {
				return n, err
			}
		}
		d.blockLeft--
		c, err := d.c.decode(d.bits)
		if err != nil {
			return n, err
		}
		if c < 256 {
			d.win[d.wpos] = byte(c)
			d.wpos = (d.wpos + 1) & mask
			p[n] = byte(c)
			n++
			continue
		}
		j, err := d.p.decode(d.bits)
		if err != nil {
			return n, err
		}
		dist := j
		if j > 1 {
			extra, err := d.bits.bits(uint(j - 1))
			if err != nil {
				return n, err
			}
			dist = 1<<(j-1) + int(extra)
		}
		d.copyLen, d.copyDist = c-256+minCopy, dist+1
	}
	return n, nil
}
