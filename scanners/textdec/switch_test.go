package textdec

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// asciiLog is n bytes (at least) of an ASCII access log.
func asciiLog(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "2005-06-%02d 10:%02d:%02d INFO opac search ok id=%d\n", 1+i%28, i%60, i%60, i)
	}
	return b.String()
}

type region struct {
	enc  Encoding
	text string
}

func encodeRegions(t *testing.T, rs []region) ([]byte, string) {
	t.Helper()
	var raw []byte
	var want strings.Builder
	for _, r := range rs {
		want.WriteString(r.text)
		switch r.enc {
		case UTF8:
			raw = append(raw, r.text...)
		case ShiftJIS:
			raw = append(raw, encode(t, japanese.ShiftJIS, r.text)...)
		case EUCJP:
			raw = append(raw, encode(t, japanese.EUCJP, r.text)...)
		case ISO2022JP:
			raw = append(raw, encode(t, japanese.ISO2022JP, r.text)...)
		default:
			t.Fatalf("no encoder for %s", r.enc)
		}
	}
	return raw, want.String()
}

func TestSwitchReaderRegions(t *testing.T) {
	rows := strings.Repeat(csvJP, 40)
	utf8Head := strings.Repeat("# 利用者データの書き出し（日次）\n", 5) + asciiLog(70<<10)
	for _, c := range []struct {
		name    string
		regions []region
		want    Encoding // the encoding reported
		used    []Encoding
	}{
		{"ascii-then-cp932", []region{{UTF8, asciiLog(70 << 10)}, {ShiftJIS, rows}}, ShiftJIS, []Encoding{UTF8, ShiftJIS}},
		{"ascii-then-eucjp", []region{{UTF8, asciiLog(66 << 10)}, {EUCJP, rows}}, EUCJP, []Encoding{UTF8, EUCJP}},
		{"utf8-then-cp932", []region{{UTF8, utf8Head}, {ShiftJIS, rows}}, ShiftJIS, []Encoding{UTF8, ShiftJIS}},
		{"ascii-cp932-ascii-utf8", []region{{UTF8, asciiLog(65 << 10)}, {ShiftJIS, rows}, {UTF8, asciiLog(3000)},
			{UTF8, strings.Repeat(csvJP, 60)}}, UTF8, []Encoding{UTF8, ShiftJIS}},
		{"cp932-then-utf8-back", []region{{ShiftJIS, rows}, {UTF8, strings.Repeat(csvJP, 10)}, {ShiftJIS, rows}},
			ShiftJIS, []Encoding{ShiftJIS, UTF8}},
		{"ascii-then-iso2022jp", []region{{UTF8, asciiLog(65 << 10)}, {ISO2022JP, rows}}, ISO2022JP, []Encoding{UTF8, ISO2022JP}},
		{"cp932-only", []region{{ShiftJIS, rows}}, ShiftJIS, []Encoding{ShiftJIS}},
		{"ascii-only", []region{{UTF8, asciiLog(100 << 10)}}, UTF8, []Encoding{UTF8}},
	} {
		raw, want := encodeRegions(t, c.regions)
		head := raw[:min(len(raw), SampleSize)]
		first := Detect(head, len(raw) <= SampleSize)
		for _, wrap := range []struct {
			name string
			f    func(io.Reader) io.Reader
		}{{"whole", func(r io.Reader) io.Reader { return r }}, {"one-byte", iotest.OneByteReader}, {"half", iotest.HalfReader}} {
			t.Run(c.name+"/"+wrap.name, func(t *testing.T) {
				sr := NewSwitchReader(wrap.f(bytes.NewReader(raw)), first)
				got, err := io.ReadAll(sr)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != want {
					i := 0
					for i < len(got) && i < len(want) && got[i] == want[i] {
						i++
					}
					t.Fatalf("decoded text differs from byte %d of %d (got %d bytes)", i, len(want), len(got))
				}
				if e := sr.Encoding(); e != c.want {
					t.Errorf("Encoding() = %s, want %s", e, c.want)
				}
				if fmt.Sprint(sr.Encodings()) != fmt.Sprint(c.used) {
					t.Errorf("Encodings() = %v, want %v", sr.Encodings(), c.used)
				}
			})
		}
	}
}

func TestSwitchReaderKeepsNewlinesAndCorruption(t *testing.T) {
	// A stray invalid byte in UTF-8 text is corruption, not a switch.
	text := asciiLog(70<<10) + "佐藤 花子,0564-23-3100\n\xff broken\n" + strings.Repeat(csvJP, 5)
	sr := NewSwitchReader(strings.NewReader(text), UTF8)
	got, err := io.ReadAll(sr)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(got, []byte("\n")) != strings.Count(text, "\n") {
		t.Errorf("newlines %d, want %d", bytes.Count(got, []byte("\n")), strings.Count(text, "\n"))
	}
	if !bytes.Contains(got, []byte(csvJP)) {
		t.Errorf("the UTF-8 rows after the stray byte are not decoded as UTF-8")
	}
	// UTF-16 and BOMs go through as NewReader does.
	u16 := encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), csvJP)
	if got, _ := io.ReadAll(NewSwitchReader(bytes.NewReader(u16), UTF16LE)); string(got) != csvJP {
		t.Errorf("utf-16le differs")
	}
	if got, _ := io.ReadAll(NewSwitchReader(strings.NewReader("\xEF\xBB\xBF"+shortJP), UTF8)); string(got) != shortJP {
		t.Errorf("BOM not stripped: %q", got)
	}
}

func TestSwitchReaderAlternatingLinesIsBounded(t *testing.T) {
	// Lines alternating CP932 and UTF-8: decoded, with a bounded number
	// of re-detections.
	var raw []byte
	for i := 0; i < 5000; i++ {
		if i%2 == 0 {
			raw = append(raw, encode(t, japanese.ShiftJIS, shortJP)...)
		} else {
			raw = append(raw, shortJP...)
		}
	}
	sr := NewSwitchReader(bytes.NewReader(raw), Detect(raw[:SampleSize], false))
	got, err := io.ReadAll(sr)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(got, []byte("\n")) != 5000 {
		t.Errorf("lines %d", bytes.Count(got, []byte("\n")))
	}
	if sr.redetects > maxRedetects {
		t.Errorf("%d re-detections", sr.redetects)
	}
}

func FuzzSwitchReader(f *testing.F) {
	f.Add([]byte(csvJP), byte(0))
	f.Add(append([]byte(asciiLog(200)), encode(f, japanese.ShiftJIS, csvJP)...), byte(0))
	f.Add(append(encode(f, japanese.EUCJP, csvJP), csvJP...), byte(2))
	encs := []Encoding{UTF8, ShiftJIS, EUCJP, ISO2022JP}
	f.Fuzz(func(t *testing.T, in []byte, e byte) {
		got, err := io.ReadAll(NewSwitchReader(iotest.HalfReader(bytes.NewReader(in)), encs[int(e)%len(encs)]))
		if err != nil {
			t.Fatal(err)
		}
		// Newlines are kept one for one (ISO-2022-JP escapes aside, a
		// decoder never makes or eats a '\n').
		if w := bytes.Count(in, []byte("\n")); bytes.Count(got, []byte("\n")) != w {
			t.Fatalf("newlines %d, want %d", bytes.Count(got, []byte("\n")), w)
		}
	})
}
