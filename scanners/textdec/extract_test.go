package textdec

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

type hit struct {
	off  int64
	text string
}

// diffHits describes how got differs from want without printing the
// (synthetic, but realistic-looking) strings themselves.
func diffHits(got, want []hit) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("run %d differs: got %d bytes at %d, want %d bytes at %d",
				i, len(got[i].text), got[i].off, len(want[i].text), want[i].off)
		}
	}
	return fmt.Sprintf("got %d runs, want %d", len(got), len(want))
}

// extract runs an Extractor over in, written in the given chunk sizes
// (the rest in one Write), and returns the sorted hits.
func extract(in []byte, minRunes int, chunks ...int) []hit {
	var hits []hit
	x := NewExtractor(minRunes, func(off, _ int64, text []byte) {
		hits = append(hits, hit{off, string(text)})
	})
	for _, c := range chunks {
		c = min(c, len(in))
		x.Write(in[:c])
		in = in[c:]
	}
	x.Write(in)
	x.Flush()
	slices.SortFunc(hits, func(a, b hit) int {
		if a.off != b.off {
			return int(a.off - b.off)
		}
		return strings.Compare(a.text, b.text)
	})
	return hits
}

var utf16le = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)

// Synthetic patron values as a vendor's database dump might hold them.
var embedded = []struct {
	name string
	text string
	enc  func(string) []byte
}{
	{"cp932-katakana-row", "ヤマダ タロウ,0564-23-3100", func(s string) []byte { return mustEncode(japanese.ShiftJIS, s) }},
	{"cp932-kanji-row", "佐藤 花子,愛知県岡崎市康生通西1-2-3", func(s string) []byte { return mustEncode(japanese.ShiftJIS, s) }},
	{"cp932-halfwidth-row", "ﾔﾏﾀﾞ ﾀﾛｳ,0564-23-3100", func(s string) []byte { return mustEncode(japanese.ShiftJIS, s) }},
	{"utf8-row", "山田 太郎,090-1234-5678", func(s string) []byte { return []byte(s) }},
	{"utf16le-row", "ヤマダ タロウ,0564-23-3100", func(s string) []byte { return mustEncode(utf16le, s) }},
	{"utf16le-kanji-row", "佐藤 花子,0564-23-3100", func(s string) []byte { return mustEncode(utf16le, s) }},
	{"ascii-row", "yamada@example.jp\t0564-23-3100", func(s string) []byte { return []byte(s) }},
}

// binaryFiller is random data whose bytes cannot join a string at its
// edges: it starts and ends with two NULs, as a terminator would.
func binaryFiller(seed uint64, n int) []byte {
	b := randomBytes(seed, n)
	b[0], b[1], b[n-2], b[n-1] = 0, 0, 0, 0
	return b
}

func TestExtractorEmbedded(t *testing.T) {
	for _, c := range embedded {
		for _, pad := range []int{64, 65} { // even and odd offsets
			t.Run(fmt.Sprintf("%s/pad%d", c.name, pad), func(t *testing.T) {
				in := binaryFiller(uint64(pad), pad)
				off := int64(len(in))
				in = append(in, c.enc(c.text)...)
				in = append(in, binaryFiller(99, 100)...)
				hits := extract(in, 6)
				found := false
				for _, h := range hits {
					if h.off == off && h.text == c.text {
						found = true
					} else if h.off < off+int64(len(c.enc(c.text))) && h.off+int64(len(h.text)) > off && h.off >= off-2 {
						t.Errorf("extra overlapping run %d bytes at %d", len(h.text), h.off)
					}
				}
				if !found {
					t.Errorf("string not found whole at offset %d; %d runs emitted", off, len(hits))
				}
			})
		}
	}
}

// Each string is emitted once, in its own encoding only: no CP932 garbage
// from UTF-8 or UTF-16 bytes.
func TestExtractorNoShadows(t *testing.T) {
	for _, c := range embedded {
		t.Run(c.name, func(t *testing.T) {
			in := append([]byte{0}, c.enc(c.text)...)
			in = append(in, 0, 0)
			hits := extract(in, 4)
			if len(hits) != 1 || hits[0] != (hit{1, c.text}) {
				t.Errorf("got %d runs, want exactly the string at offset 1: %v", len(hits), len(hits))
			}
		})
	}
}

func TestExtractorRunEnds(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		min  int
		want []hit
	}{
		{"tab-inside", "\x00ab\tcd\x00", 5, []hit{{1, "ab\tcd"}}},
		{"newline-ends", "\x00abcd\nefgh\x01", 4, []hit{{1, "abcd"}, {6, "efgh"}}},
		{"too-short", "\x00abc\x00de\x00", 4, nil},
		{"at-edges", "abcd", 4, []hit{{0, "abcd"}}},
		{"min-below-1", "ab\x01c", 0, []hit{{0, "ab"}, {3, "c"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := extract([]byte(c.in), c.min); !slices.Equal(got, c.want) {
				t.Errorf("%s", diffHits(got, c.want))
			}
		})
	}
}

// splitInput mixes every embedded encoding with binary filler.
func splitInput() []byte {
	var in []byte
	for i, c := range embedded {
		in = append(in, binaryFiller(uint64(i), 7+i)...)
		in = append(in, c.enc(c.text)...)
	}
	return append(in, 0)
}

// Runs spanning Write boundaries come out whole: every one- and two-way
// split gives the same runs as a single Write.
func TestExtractorSplitWrites(t *testing.T) {
	in := splitInput()
	want := extract(in, 5)
	for _, c := range embedded {
		if !slices.ContainsFunc(want, func(h hit) bool { return h.text == c.text }) {
			t.Fatalf("%s: not found in a single write", c.name)
		}
	}
	for k := 0; k <= len(in); k++ {
		if got := extract(in, 5, k); !slices.Equal(got, want) {
			t.Fatalf("split at %d: %s", k, diffHits(got, want))
		}
	}
	for k := 1; k < len(in); k += 3 {
		for j := 1; j < 5; j++ {
			if got := extract(in, 5, k, j); !slices.Equal(got, want) {
				t.Fatalf("split at %d and %d: differs", k, k+j)
			}
		}
	}
	// Byte by byte.
	chunks := make([]int, len(in))
	for i := range chunks {
		chunks[i] = 1
	}
	if got := extract(in, 5, chunks...); !slices.Equal(got, want) {
		t.Fatalf("byte-by-byte writes differ")
	}
}

// Long runs are split into pieces of at most MaxRunBytes that add up to the
// whole run, each with its own offset.
func TestExtractorLongRun(t *testing.T) {
	for _, c := range []struct {
		name string
		text string
		enc  func(string) []byte
	}{
		{"ascii", strings.Repeat("0564-23-3100,", 1000), func(s string) []byte { return []byte(s) }},
		{"utf8", strings.Repeat("山田太郎,", 1000), func(s string) []byte { return []byte(s) }},
		{"cp932", strings.Repeat("山田太郎,", 1000), func(s string) []byte { return mustEncode(japanese.ShiftJIS, s) }},
		{"utf16le", strings.Repeat("ヤマダ,", 1000), func(s string) []byte { return mustEncode(utf16le, s) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := c.enc(c.text)
			in := append(append([]byte{0}, raw...), 0)
			hits := extract(in, 4, 1000, 3000)
			var all strings.Builder
			for i, h := range hits {
				if len(h.text) > MaxRunBytes {
					t.Errorf("piece %d: %d bytes", i, len(h.text))
				}
				all.WriteString(h.text)
			}
			if all.String() != c.text {
				t.Fatalf("pieces (%d) do not add up to the run", len(hits))
			}
			if len(hits) < 2 || hits[0].off != 1 {
				t.Fatalf("want several pieces from offset 1, got %d", len(hits))
			}
			// Offsets: each piece starts where the encoded previous ones end.
			off := int64(1)
			for i, h := range hits {
				if h.off != off {
					t.Fatalf("piece %d at %d, want %d", i, h.off, off)
				}
				off += int64(len(c.enc(h.text)))
			}
		})
	}
}

// Random binary yields few junk strings and never invalid UTF-8.
func TestExtractorRandom(t *testing.T) {
	in := randomBytes(42, 1<<20)
	var n, junkBytes int
	x := NewExtractor(8, func(off, _ int64, text []byte) {
		n++
		junkBytes += len(text)
		if !utf8.Valid(text) || utf8.RuneCount(text) < 8 {
			t.Fatalf("bad run at %d", off)
		}
	})
	x.Write(in)
	x.Flush()
	t.Logf("%d junk runs, %d bytes in 1 MiB of random data", n, junkBytes)
	if n > 1000 {
		t.Errorf("%d junk runs in 1 MiB of random data", n)
	}
}

func FuzzExtractor(f *testing.F) {
	f.Add(splitInput(), uint8(4), uint16(10))
	f.Add([]byte("\x82\xa0\x82\xa2abc\xe3\x81\x82\x00a\x00"), uint8(1), uint16(3))
	f.Add(mustEncode(utf16le, "ヤマダ タロウ"), uint8(2), uint16(1))
	f.Fuzz(func(t *testing.T, in []byte, minRunes uint8, split uint16) {
		m := int(minRunes%16) + 1
		check := func(h hit) {
			if !utf8.ValidString(h.text) {
				t.Fatalf("invalid UTF-8 at %d", h.off)
			}
			if utf8.RuneCountInString(h.text) < m || len(h.text) > MaxRunBytes {
				t.Fatalf("run at %d: %d bytes", h.off, len(h.text))
			}
			if h.off < 0 || h.off >= int64(len(in)) {
				t.Fatalf("offset %d out of range", h.off)
			}
		}
		whole := extract(in, m)
		for _, h := range whole {
			check(h)
		}
		if got := extract(in, m, int(split)); !slices.Equal(got, whole) {
			t.Fatalf("split at %d changes the runs", split)
		}
	})
}

func benchExtract(b *testing.B, in []byte) {
	benchExtractWith(b, in, NewExtractor(6, func(int64, int64, []byte) {}))
}

// benchExtractEngine is benchExtract with the engine's settings: runs of
// 4 characters, marginal ones of 2.
func benchExtractEngine(b *testing.B, in []byte) {
	x := NewExtractor(4, func(int64, int64, []byte) {})
	x.Marginal(2, func(int64, int64, []byte, bool) {})
	benchExtractWith(b, in, x)
}

func benchExtractWith(b *testing.B, in []byte, x *Extractor) {
	b.SetBytes(int64(len(in)))
	cpu0 := cpuTime()
	for b.Loop() {
		for c := in; len(c) > 0; {
			k := min(len(c), 32<<10)
			x.Write(c[:k])
			c = c[k:]
		}
		x.Flush()
	}
	reportCPU(b, cpu0, len(in))
}

// cpuTime is the CPU time the process has used: on a shared machine, a
// steadier measure than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the throughput per CPU second since cpu0.
func reportCPU(b *testing.B, cpu0 time.Duration, size int) {
	if d := cpuTime() - cpu0; d > 0 && cpu0 > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/d.Seconds()/1e6, "MB/cpu-s")
	}
}

func benchRandomInput() []byte {
	in := randomBytes(1, 4<<20)
	// A few strings in it.
	for i := 0; i < len(in)-200; i += 64 << 10 {
		e := embedded[(i>>16)%len(embedded)]
		copy(in[i:], e.enc(e.text))
	}
	return in
}

func benchDumpInput() []byte {
	var in bytes.Buffer
	for in.Len() < 4<<20 {
		for i, c := range embedded {
			in.Write(binaryFiller(uint64(i), 24))
			in.Write(c.enc(c.text))
		}
	}
	return in.Bytes()
}

func BenchmarkExtractorRandom(b *testing.B) { benchExtract(b, benchRandomInput()) }

func BenchmarkExtractorDump(b *testing.B) { benchExtract(b, benchDumpInput()) }

// The engine's settings (engine/file.go: 4 characters, marginal runs of 2).
func BenchmarkExtractorEngineRandom(b *testing.B) { benchExtractEngine(b, benchRandomInput()) }

func BenchmarkExtractorEngineDump(b *testing.B) { benchExtractEngine(b, benchDumpInput()) }

// The fast-path table agrees with u16Class for every code unit.
func TestU16HiTable(t *testing.T) {
	for u := 0; u <= 0xFFFF; u++ {
		ok, anchor := u16Class(uint16(u))
		switch u16Hi[u>>8] {
		case u16Never:
			if ok {
				t.Fatalf("U+%04X accepted but its high byte is marked never", u)
			}
		case u16Ideograph:
			if !ok || anchor {
				t.Fatalf("U+%04X: ok=%v anchor=%v under an ideograph high byte", u, ok, anchor)
			}
		}
	}
}

// TestExtractorKeepsNamesWithRareKanji: a patron's name with a level-2
// kanji (翔) between length prefixes is still a string.
func TestExtractorKeepsNamesWithRareKanji(t *testing.T) {
	name, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte("野村　翔太"))
	if err != nil {
		t.Fatal(err)
	}
	in := append([]byte("\x00\n\x00"), name...)
	in = append(in, "\x00\x10\x00"...)
	var got []string
	x := NewExtractor(4, func(_, _ int64, text []byte) { got = append(got, string(text)) })
	x.Write(in)
	x.Flush()
	if len(got) != 1 || got[0] != "野村　翔太" {
		t.Errorf("extracted %d strings, want the name once", len(got))
	}
}

// The engine's settings before marginal runs (4 characters), for
// comparison.
func BenchmarkExtractorMin4Random(b *testing.B) {
	benchExtractWith(b, benchRandomInput(), NewExtractor(4, func(int64, int64, []byte) {}))
}

func BenchmarkExtractorMin4Dump(b *testing.B) {
	benchExtractWith(b, benchDumpInput(), NewExtractor(4, func(int64, int64, []byte) {}))
}
