package textdec

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
)

// emission is one emit call, with the Write (or Flush) call it came from.
type emission struct {
	call       int
	start, end int64
	text       string
}

// writer is what the differential test needs of both extractors.
type writer interface {
	Write([]byte) (int, error)
	Flush()
}

// record feeds in to the extractor made by mk in the given chunk sizes
// (cycled; the rest in one Write when chunks is empty) and returns every
// emission in order.
func record(mk func(emit func(int64, int64, []byte)) writer, in []byte, chunks []int) []emission {
	var out []emission
	call := 0
	x := mk(func(start, end int64, text []byte) {
		out = append(out, emission{call, start, end, string(text)})
	})
	for k := 0; len(in) > 0; k++ {
		c := len(in)
		if len(chunks) > 0 {
			c = min(chunks[k%len(chunks)], len(in))
		}
		x.Write(in[:c])
		in = in[c:]
		call++
	}
	x.Flush()
	return out
}

// compareWithReference checks that the Extractor makes exactly the emit
// calls of the original implementation, in the same order and during the
// same Write calls.
func compareWithReference(t *testing.T, name string, in []byte, minRunes int, chunks []int) {
	t.Helper()
	compareWith(t, name, in, minRunes, chunks, 0)
}

// compareWith is compareWithReference for an Extractor that also looks
// for marginal runs of at least marginal characters (0: it does not):
// what it emits is the same.
func compareWith(t *testing.T, name string, in []byte, minRunes int, chunks []int, marginal int) {
	t.Helper()
	got := record(func(emit func(int64, int64, []byte)) writer {
		x := NewExtractor(minRunes, emit)
		if marginal > 0 {
			x.Marginal(marginal, func(int64, int64, []byte, bool) {})
		}
		return x
	}, in, chunks)
	want := record(func(emit func(int64, int64, []byte)) writer { return refNewExtractor(minRunes, emit) }, in, chunks)
	if len(got) == len(want) {
		same := true
		for i := range got {
			if got[i] != want[i] {
				same = false
				break
			}
		}
		if same {
			return
		}
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("%s (min %d, chunks %v): emission %d differs: got call %d [%d,%d) %d bytes, want call %d [%d,%d) %d bytes",
				name, minRunes, chunks, i, got[i].call, got[i].start, got[i].end, len(got[i].text),
				want[i].call, want[i].start, want[i].end, len(want[i].text))
		}
	}
	t.Fatalf("%s (min %d, chunks %v): got %d emissions, want %d", name, minRunes, chunks, len(got), len(want))
}

// diffInputs are inputs of every kind the extractor meets: random bytes,
// dump-like records, long runs of each encoding and dense mixes.
func diffInputs() map[string][]byte {
	ins := map[string][]byte{}
	ins["random"] = randomBytes(7, 128<<10)
	var dump bytes.Buffer
	for dump.Len() < 128<<10 {
		for i, c := range embedded {
			dump.Write(binaryFiller(uint64(dump.Len()+i), 5+dump.Len()%29))
			dump.Write(c.enc(c.text))
		}
	}
	ins["dump"] = dump.Bytes()
	// Few control bytes: long runs of random high bytes.
	hi := randomBytes(8, 64<<10)
	for i := range hi {
		if hi[i] < 0x20 && i%97 != 0 {
			hi[i] |= 0x40
		}
	}
	ins["dense"] = hi
	var long bytes.Buffer
	long.WriteString(strings.Repeat("0564-23-3100,", 700))
	long.WriteByte(0)
	long.WriteString(strings.Repeat("山田太郎,", 700))
	long.Write(mustEncode(japanese.ShiftJIS, strings.Repeat("山田太郎,ﾔﾏﾀﾞ", 500)))
	long.WriteByte(1)
	long.Write(mustEncode(utf16le, strings.Repeat("ヤマダ,", 1500)))
	long.WriteByte(0)
	long.Write(mustEncode(utf16le, strings.Repeat("山田太郎", 1500)))
	long.Write(randomBytes(9, 1000))
	long.Write(mustEncode(japanese.ShiftJIS, strings.Repeat("ｱ", 5000)))
	long.Write(mustEncode(utf16le, strings.Repeat("佐藤 花子,0564-23-3100", 200)))
	ins["long"] = long.Bytes()
	// Short random pieces of every encoding glued together.
	g := lcg(11)
	var mix bytes.Buffer
	for mix.Len() < 64<<10 {
		c := embedded[int(g.byte())%len(embedded)]
		enc := c.enc(c.text)
		a := int(g.byte()) % len(enc)
		b := a + int(g.byte())%(len(enc)-a+1)
		mix.Write(enc[a:b])
		mix.Write(randomBytes(uint64(mix.Len()), int(g.byte()%8)))
	}
	ins["mix"] = mix.Bytes()
	return ins
}

func TestExtractorMatchesReference(t *testing.T) {
	ins := diffInputs()
	chunkings := [][]int{nil, {32 << 10}, {1}, {1, 2, 3, 5, 8, 13, 21, 1000, 4093}, {7, 70000}}
	for name, in := range ins {
		for _, m := range []int{1, 2, 4, 6, 16, 2000} {
			for ci, ch := range chunkings {
				if ch != nil && ch[0] == 1 && len(ch) == 1 && (len(in) > 70<<10 || m != 4) {
					continue // byte by byte is slow; done on the smaller inputs
				}
				t.Run(fmt.Sprintf("%s/min%d/chunks%d", name, m, ci), func(t *testing.T) {
					compareWithReference(t, name, in, m, ch)
					if m >= 4 && m < 100 {
						compareWith(t, name, in, m, ch, 2)
					}
				})
			}
		}
	}
}

func FuzzExtractorMatchesReference(f *testing.F) {
	f.Add(splitInput(), uint8(4), uint16(10), uint16(3))
	f.Add([]byte("\x82\xa0\x82\xa2abc\xe3\x81\x82\x00a\x00"), uint8(1), uint16(3), uint16(1))
	f.Add(mustEncode(utf16le, "ヤマダ タロウ"), uint8(2), uint16(1), uint16(2))
	f.Fuzz(func(t *testing.T, in []byte, minRunes uint8, a, b uint16) {
		m := int(minRunes%16) + 1
		compareWithReference(t, "fuzz", in, m, nil)
		compareWithReference(t, "fuzz", in, m, []int{int(a%4096) + 1, int(b%64) + 1})
		compareWith(t, "fuzz", in, m, []int{int(a%4096) + 1, int(b%64) + 1}, int(a%3)+1)
	})
}

// The reference's speed on the inputs of BenchmarkExtractorRandom and
// BenchmarkExtractorDump, for comparison.
func BenchmarkReferenceExtractor(b *testing.B) {
	for _, c := range []struct {
		name string
		in   func() []byte
	}{
		{"Random", func() []byte {
			in := randomBytes(1, 4<<20)
			for i := 0; i < len(in)-200; i += 64 << 10 {
				e := embedded[(i>>16)%len(embedded)]
				copy(in[i:], e.enc(e.text))
			}
			return in
		}},
		{"Dump", func() []byte {
			var in bytes.Buffer
			for in.Len() < 4<<20 {
				for i, c := range embedded {
					in.Write(binaryFiller(uint64(i), 24))
					in.Write(c.enc(c.text))
				}
			}
			return in.Bytes()
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			in := c.in()
			x := refNewExtractor(6, func(int64, int64, []byte) {})
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				for c := in; len(c) > 0; {
					k := min(len(c), 32<<10)
					x.Write(c[:k])
					c = c[k:]
				}
				x.Flush()
			}
		})
	}
}
