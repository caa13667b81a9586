package pdf

import (
	"math"
	"sort"
	"unicode"
	"unicode/utf8"
)

// Char is one character PDFium placed on a page: its text and its loose
// box (the font's ascent to descent, its advance width), in points with
// the origin at the page's bottom left.
type Char struct {
	R                        rune
	Left, Right, Bottom, Top float64
}

func (c Char) height() float64 { return c.Top - c.Bottom }

// fragment is a run of characters on one baseline with no visible gap.
type fragment struct {
	chars                    []Char
	left, right, bottom, top float64
	spaceAfter               []bool // a gap before chars[i+1] wide enough for a space
}

func (f *fragment) height() float64 { return f.top - f.bottom }

// band is a visual row: fragments whose vertical extents overlap. A table
// row whose cells wrap onto several lines is one band; a paragraph line
// is one band.
type band struct {
	frags       []*fragment
	bottom, top float64
	ncells      int // cells(), once counted
}

// Layout turns a page's characters, in the order PDFium reports them,
// into lines of text: each visual row one line, the cells of a table row
// tab-separated (the columns are the vertical gaps that run through
// every row of the table), the lines a cell wraps onto joined back
// together. appendText appends the lines to dst.
func Layout(dst []byte, chars []Char) []byte {
	frags := fragments(chars)
	if len(frags) == 0 {
		return dst
	}
	bands := joinWrapped(bands(frags))
	// Consecutive bands of two or more fragments make a table block; its
	// columns are the gaps shared by all of its rows.
	for i := 0; i < len(bands); {
		j := i
		for j < len(bands) && len(bands[j].frags) >= 2 {
			j++
		}
		if j == i {
			dst = appendBand(dst, bands[i], nil)
			i++
			continue
		}
		cols := columns(bands[i:j], j-i >= 3)
		for _, b := range bands[i:j] {
			dst = appendBand(dst, b, cols)
		}
		i = j
	}
	return dst
}

// gapSpace and gapFragment are gaps, in units of the character height,
// that read as a space and that end a fragment.
const (
	gapSpace    = 0.15
	gapFragment = 0.4
	// gapColumn is the narrowest gap that separates two columns.
	gapColumn = 0.3
	// gapCell is the narrowest gap counted as one between cells when
	// telling a table row from the lines its cells wrap onto.
	gapCell = 0.6
)

// fragments cuts the characters into runs on one baseline with no gap
// wider than gapFragment. Whitespace and control characters end nothing
// and are dropped: spacing comes from the geometry.
func fragments(chars []Char) []*fragment {
	var out []*fragment
	var cur *fragment
	for _, c := range chars {
		if unicode.IsSpace(c.R) || unicode.IsControl(c.R) || c.R == 0 || c.R == utf8.RuneError ||
			!finite(c.Left, c.Right, c.Bottom, c.Top) || c.Right < c.Left || c.Top <= c.Bottom {
			continue
		}
		h := c.height()
		if cur != nil {
			last := cur.chars[len(cur.chars)-1]
			lh := math.Max(h, last.height())
			gap := c.Left - last.Right
			sameLine := math.Abs(c.Bottom-last.Bottom) < 0.3*lh && math.Abs(c.Top-last.Top) < 0.5*lh
			maxGap, spaceGap := gapFragment*lh, gapSpace*lh
			if last.R == 0xFF9E || last.R == 0xFF9F {
				// A half-width voiced mark: PDFium places the glyph it
				// shares with its kana too narrow, and the gap after it
				// is the missing width, not a space.
				maxGap, spaceGap = 0.75*lh, 0.75*lh
			}
			if sameLine && gap > -0.5*lh && gap <= maxGap {
				cur.spaceAfter = append(cur.spaceAfter, gap > spaceGap)
				cur.chars = append(cur.chars, c)
				cur.right = math.Max(cur.right, c.Right)
				cur.bottom = math.Min(cur.bottom, c.Bottom)
				cur.top = math.Max(cur.top, c.Top)
				continue
			}
		}
		cur = &fragment{chars: []Char{c}, left: c.Left, right: c.Right, bottom: c.Bottom, top: c.Top}
		out = append(out, cur)
	}
	return out
}

func finite(fs ...float64) bool {
	for _, f := range fs {
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e7 {
			return false
		}
	}
	return true
}

// bands groups fragments into visual rows, top to bottom: a fragment
// joins the row above when their vertical extents overlap by more than
// a fifth of the fragment's height.
func bands(frags []*fragment) []*band {
	sorted := make([]*fragment, len(frags))
	copy(sorted, frags)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].top > sorted[j].top })
	var out []*band
	var cur *band
	for _, f := range sorted {
		if cur != nil {
			overlap := math.Min(cur.top, f.top) - math.Max(cur.bottom, f.bottom)
			if overlap > 0.2*f.height() {
				cur.frags = append(cur.frags, f)
				cur.bottom = math.Min(cur.bottom, f.bottom)
				continue
			}
		}
		cur = &band{frags: []*fragment{f}, bottom: f.bottom, top: f.top}
		out = append(out, cur)
	}
	return out
}

// joinWrapped joins the lines a table row's cells wrap onto with the
// row: a band of fewer cells than a neighbouring band of three or more,
// close below it (or above: the other cells are centred vertically), is
// part of that row; of two such neighbours, the closer.
func joinWrapped(bs []*band) []*band {
	target := make([]int, len(bs))
	for i, b := range bs {
		target[i] = -1
		best := math.Inf(1)
		for _, j := range []int{i - 1, i + 1} {
			if j < 0 || j >= len(bs) {
				continue
			}
			if g, ok := wrapGap(b, bs[j]); ok && g < best {
				target[i], best = j, g
			}
		}
	}
	keep := make([]bool, len(bs))
	for i := range bs {
		keep[i] = true
		if j := target[i]; j >= 0 && target[j] < 0 {
			bs[j].merge(bs[i])
			keep[i] = false
		}
	}
	out := bs[:0]
	for i, b := range bs {
		if keep[i] {
			out = append(out, b)
		}
	}
	return out
}

// wrapGap returns the vertical gap between small and row when small may
// be a wrapped line of row's cells.
func wrapGap(small, row *band) (float64, bool) {
	nr := row.cells()
	if nr < 3 || small.cells()*3 > nr*2 {
		return 0, false
	}
	h := 0.0
	for _, f := range row.frags {
		h = math.Max(h, f.height())
	}
	gap := math.Max(row.bottom-small.top, small.bottom-row.top)
	return gap, gap <= 0.9*h
}

// cells counts the runs of a band's text separated by gaps wider than
// gapCell (wider than a space between words).
func (b *band) cells() int {
	if b.ncells > 0 {
		return b.ncells
	}
	fs := append([]*fragment(nil), b.frags...)
	sort.Slice(fs, func(i, j int) bool { return fs[i].left < fs[j].left })
	n, r := 1, fs[0].right
	for _, f := range fs[1:] {
		if f.left-r > gapCell*f.height() {
			n++
		}
		r = math.Max(r, f.right)
	}
	b.ncells = n
	return n
}

func (b *band) merge(o *band) {
	b.ncells = 0
	b.frags = append(b.frags, o.frags...)
	b.bottom = math.Min(b.bottom, o.bottom)
	b.top = math.Max(b.top, o.top)
}

// columns finds the column boundaries of a block of rows: the x ranges
// that no character of any row covers, at least gapColumn of a line high,
// with text on both sides in at least half of the rows (the space right
// of short lines is no column). In a line or two with wide spaces, which
// are no table, a boundary is a gap of one and a half line heights.
// It returns the boundaries' midpoints, left to right.
func columns(rows []*band, table bool) []float64 {
	minGap := gapColumn
	if !table {
		minGap = 1.5
	}
	type span struct{ l, r, h float64 }
	var spans []span
	for _, b := range rows {
		for _, f := range b.frags {
			spans = append(spans, span{f.left, f.right, f.height()})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].l < spans[j].l })
	var cuts []float64
	r, h := spans[0].r, spans[0].h
	for _, s := range spans[1:] {
		if s.l-r > minGap*math.Max(h, s.h) {
			cut := (r + s.l) / 2
			if splits(rows, cut) {
				cuts = append(cuts, cut)
			}
		}
		if s.r > r {
			r, h = s.r, s.h
		}
	}
	return cuts
}

// splits tells whether at least half of the rows have text on both sides
// of x.
func splits(rows []*band, x float64) bool {
	n := 0
	for _, b := range rows {
		left, right := false, false
		for _, f := range b.frags {
			left = left || f.right <= x
			right = right || f.left >= x
		}
		if left && right {
			n++
		}
	}
	return 2*n >= len(rows)
}

// appendBand appends one visual row as a line: with cols, one cell per
// column from the first to the last that holds text, tab-separated; else
// the fragments left to right with a space between.
func appendBand(dst []byte, b *band, cols []float64) []byte {
	frags := b.frags
	sort.SliceStable(frags, func(i, j int) bool {
		if frags[i].left != frags[j].left {
			return frags[i].left < frags[j].left
		}
		return frags[i].top > frags[j].top
	})
	if cols == nil {
		// Fragments of one line, left to right; when they lie on several
		// lines (a row the bands joined), top to bottom first.
		cell := append([]*fragment(nil), frags...)
		dst = appendCell(dst, cell)
		return append(dst, '\n')
	}
	cells := make([][]*fragment, len(cols)+1)
	for _, f := range frags {
		k := sort.SearchFloat64s(cols, f.left)
		cells[k] = append(cells[k], f)
	}
	first, last := -1, -1
	for k, c := range cells {
		if len(c) > 0 {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	for k := first; k <= last; k++ {
		if k > first {
			dst = append(dst, '\t')
		}
		dst = appendCell(dst, cells[k])
	}
	return append(dst, '\n')
}

// appendCell appends the fragments of one cell in reading order: line by
// line top to bottom, left to right within a line. Fragments on one line
// are joined with a space; the lines of a wrapped cell are joined
// directly, with a space only between two Latin letters or digits.
func appendCell(dst []byte, frags []*fragment) []byte {
	sort.SliceStable(frags, func(i, j int) bool {
		a, b := frags[i], frags[j]
		h := math.Max(a.height(), b.height())
		if math.Abs(a.top-b.top) > h/2 {
			return a.top > b.top
		}
		return a.left < b.left
	})
	var prev *fragment
	for _, f := range frags {
		if prev != nil {
			h := math.Max(prev.height(), f.height())
			switch {
			case math.Abs(prev.top-f.top) <= h/2: // same line
				dst = append(dst, ' ')
			case latin(prev.chars[len(prev.chars)-1].R) && latin(f.chars[0].R) && prev.chars[len(prev.chars)-1].R != '-':
				dst = append(dst, ' ')
			}
		}
		for i, c := range f.chars {
			if i > 0 && f.spaceAfter[i-1] {
				dst = append(dst, ' ')
			}
			dst = utf8.AppendRune(dst, c.R)
		}
		prev = f
	}
	return dst
}

func latin(r rune) bool {
	return r < 0x250 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
