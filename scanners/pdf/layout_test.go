package pdf

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// page lays out lines of text the way a printer would: each item a run
// of text starting at x (in em of 10 points) on line y (0 the top line,
// fractions for cells centred between two lines), each character 1 em
// wide (0.5 for ASCII and half-width kana).
type run struct {
	x, y float64
	s    string
}

func place(runs ...run) []Char {
	const em, lead = 10.0, 15.0
	var out []Char
	for _, r := range runs {
		x := r.x * em
		top := 800 - r.y*lead
		for _, c := range r.s {
			w := em
			if c < 0x80 || (c >= 0xFF61 && c <= 0xFF9F) {
				w = em / 2
			}
			if c != ' ' && c != '\u3000' {
				out = append(out, Char{R: c, Left: x, Right: x + w, Bottom: top - em, Top: top})
			}
			x += w
		}
	}
	return out
}

func TestLayoutTable(t *testing.T) {
	// A table with a header, a row whose phone and name cells wrap onto
	// two lines (the other cells centred between them), and a plain row;
	// a title above it and a paragraph below.
	chars := place(
		run{0, 0, "督促一覧"},
		run{0, 2, "番号"}, run{6, 2, "氏名"}, run{14, 2, "電話番号"}, run{24, 2, "返却期限"},
		run{0, 3.5, "1001"}, run{6, 3, "長谷川　文"}, run{6, 4, "子"}, run{14, 3, "070-2055-"}, run{14, 4, "4512"}, run{24, 3.5, "2005/05/17"},
		run{0, 5.5, "1002"}, run{6, 5.5, "森　真由美"}, run{14, 5.5, "0564-84-8814"}, run{24, 5.5, "2005/04/20"},
		run{0, 7.5, "以上、2名です。"},
	)
	got := string(Layout(nil, chars))
	want := "督促一覧\n" +
		"番号\t氏名\t電話番号\t返却期限\n" +
		"1001\t長谷川 文子\t070-2055-4512\t2005/05/17\n" +
		"1002\t森 真由美\t0564-84-8814\t2005/04/20\n" +
		"以上、2名です。\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestLayoutProse(t *testing.T) {
	// Lines of prose with spaces between words keep them as spaces, with
	// no tabs; an English line wrapped in a cell is joined with a space.
	chars := place(
		run{0, 0, "Please return the books by Friday."},
		run{0, 1, "お問い合わせは 0564-23-0101 まで。"},
		run{0, 2, "電話番号はハイフン区切りで入力します（例: 0564-XX-XXXX）。"},
	)
	got := string(Layout(nil, chars))
	want := "Please return the books by Friday.\n" +
		"お問い合わせは 0564-23-0101 まで。\n" +
		"電話番号はハイフン区切りで入力します（例: 0564-XX-XXXX）。\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestLayoutHalfWidthVoicedMark(t *testing.T) {
	// PDFium gives the kana and its voiced mark narrow boxes: the gap
	// after them is no space; a real space after a voiced mark stays.
	chars := []Char{
		{R: 'ｼ', Left: 162.9, Right: 167.9, Bottom: 649.8, Top: 659.8},
		{R: 'ﾊ', Left: 168.3, Right: 170.5, Bottom: 651.7, Top: 657.6},
		{R: 'ﾞ', Left: 170.5, Right: 172.7, Bottom: 651.7, Top: 657.6},
		{R: 'ﾀ', Left: 177.9, Right: 182.9, Bottom: 649.8, Top: 659.8},
		{R: 'ｵ', Left: 187.9, Right: 192.9, Bottom: 649.8, Top: 659.8},
		{R: 'ﾀ', Left: 192.9, Right: 197.9, Bottom: 649.8, Top: 659.8},
		{R: 'ﾞ', Left: 197.9, Right: 200.1, Bottom: 651.7, Top: 657.6},
		{R: 'ﾏ', Left: 210.3, Right: 215.3, Bottom: 649.8, Top: 659.8},
	}
	if got := string(Layout(nil, chars)); got != "ｼﾊﾞﾀ ｵﾀﾞ ﾏ\n" {
		t.Errorf("got %q", got)
	}
}

func TestLayoutDegenerate(t *testing.T) {
	for _, chars := range [][]Char{
		nil,
		{{R: ' ', Left: 0, Right: 1, Bottom: 0, Top: 1}},
		{{R: 'a', Left: math.NaN(), Right: 1, Bottom: 0, Top: 1}},
		{{R: 'a', Left: 5, Right: 1, Bottom: 0, Top: 1}},
		{{R: 'a', Left: 0, Right: 1, Bottom: 1, Top: 1}},
	} {
		if got := Layout(nil, chars); len(got) != 0 {
			t.Errorf("%v: %q", chars, got)
		}
	}
}

// FuzzLayout: whatever boxes PDFium reports, Layout ends, keeps every
// printable character once, and writes valid UTF-8 lines.
func FuzzLayout(f *testing.F) {
	enc := func(cs []Char) []byte {
		var b []byte
		for _, c := range cs {
			b = binary.LittleEndian.AppendUint32(b, uint32(c.R))
			for _, v := range []float64{c.Left, c.Right, c.Bottom, c.Top} {
				b = binary.LittleEndian.AppendUint16(b, uint16(int16(v)))
			}
		}
		return b
	}
	f.Add(enc(place(run{0, 0, "氏名"}, run{6, 0, "電話"}, run{0, 1, "山田 花子"}, run{6, 1, "090-1234-5678"}, run{6, 1.5, "x"})))
	f.Add(enc(place(run{0, 0, "a b c"}, run{0, 0.2, "d e f"}, run{3, 0.9, "g"})))
	f.Fuzz(func(t *testing.T, data []byte) {
		var chars []Char
		for len(data) >= 12 && len(chars) < 2000 {
			r := rune(binary.LittleEndian.Uint32(data) % 0x30000)
			v := func(i int) float64 { return float64(int16(binary.LittleEndian.Uint16(data[4+2*i:]))) / 4 }
			chars = append(chars, Char{R: r, Left: v(0), Right: v(1), Bottom: v(2), Top: v(3)})
			data = data[12:]
		}
		out := Layout(nil, chars)
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		kept := 0
		for _, c := range chars {
			if f := fragments([]Char{c}); len(f) == 1 {
				kept++
			}
		}
		text := strings.NewReplacer("\t", "", "\n", "", " ", "").Replace(string(out))
		if n := utf8.RuneCountInString(text); n != kept {
			t.Fatalf("%d characters out, %d in", n, kept)
		}
	})
}
