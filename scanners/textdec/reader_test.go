package textdec

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/unicode"
)

func TestNewReaderRoundTrip(t *testing.T) {
	// Larger than any internal buffer (x/text uses 4 KiB, io.Copy 32 KiB).
	big := strings.Repeat(csvJP, 300)
	for _, te := range testEncoders {
		for _, c := range []struct {
			name string
			text string
			wrap func(io.Reader) io.Reader
		}{
			{"short", shortJP, func(r io.Reader) io.Reader { return r }},
			{"one-byte-reads", csvJP, iotest.OneByteReader},
			{"big", big, func(r io.Reader) io.Reader { return r }},
			{"big-half-reads", big, iotest.HalfReader},
		} {
			t.Run(te.name+"/"+c.name, func(t *testing.T) {
				enc := encode(t, te.e, c.text)
				got, err := io.ReadAll(NewReader(c.wrap(bytes.NewReader(enc)), te.enc))
				if err != nil {
					t.Fatalf("read: %v", err)
				}
				if string(got) != c.text {
					t.Errorf("round trip differs: got %d bytes, want %d", len(got), len(c.text))
				}
			})
		}
	}
}

func TestNewReaderBOM(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		enc  Encoding
	}{
		{"utf8-bom", append([]byte{0xEF, 0xBB, 0xBF}, shortJP...), UTF8},
		{"utf16le-bom", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), shortJP), UTF16LE},
		{"utf16be-bom", encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), shortJP), UTF16BE},
		// The BOM overrides the byte order Detect guessed.
		{"utf16be-bom-read-as-le", encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), shortJP), UTF16LE},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := io.ReadAll(NewReader(bytes.NewReader(c.in), c.enc))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != shortJP {
				t.Errorf("decoded text differs (%d bytes, want %d)", len(got), len(shortJP))
			}
		})
	}
}

func TestNewReaderUTF8BOM(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"\xEF\xBB\xBFabc", "abc"}, {"abc", "abc"}, {"\xEF\xBB", "\xEF\xBB"}, {"", ""}, {"\xEF\xBB\xBF", ""},
	} {
		got, err := io.ReadAll(NewReader(strings.NewReader(c.in), UTF8))
		if err != nil || string(got) != c.want {
			t.Errorf("%q: got %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestNewReaderInvalid(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		enc  Encoding
		want string
	}{
		{"utf8", []byte("a\xffb\n"), UTF8, "a\uFFFDb\n"},
		{"sjis-bad-trail", []byte("a\x81\x20b\n"), ShiftJIS, "a\uFFFD b\n"},
		{"utf16le-lone-surrogate", []byte{'a', 0, 0x00, 0xD8, 'b', 0}, UTF16LE, "a\uFFFDb"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := io.ReadAll(NewReader(bytes.NewReader(c.in), c.enc))
			if err != nil {
				t.Fatal(err)
			}
			// UTF-8 passes through; the replacement is Normalize's (what the
			// engine always applies).
			got = Normalize(nil, got)
			if string(got) != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestNewReaderBinary(t *testing.T) {
	for _, enc := range []Encoding{Binary, "latin-9"} {
		_, err := io.ReadAll(NewReader(strings.NewReader("x"), enc))
		if err == nil || !strings.HasPrefix(err.Error(), "textdec: ") {
			t.Errorf("%s: err = %v, want a textdec error", enc, err)
		}
	}
}

// endless yields the same bytes forever and counts what was read.
type endless struct {
	unit []byte
	pos  int
	read int64
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.unit[e.pos]
		e.pos = (e.pos + 1) % len(e.unit)
	}
	e.read += int64(len(p))
	return len(p), nil
}

// The reader streams: reading a little output consumes a little input.
func TestNewReaderStreams(t *testing.T) {
	for _, te := range testEncoders {
		if te.enc == ISO2022JP {
			continue // escape sequences make a repeated unit stateful; covered by round trips
		}
		src := &endless{unit: encode(t, te.e, csvJP)}
		r := NewReader(src, te.enc)
		buf := make([]byte, 1000)
		var got int
		for got < 1<<20 {
			n, err := r.Read(buf)
			if err != nil {
				t.Fatalf("%s: %v", te.name, err)
			}
			got += n
		}
		if src.read > 2<<20+64<<10 {
			t.Errorf("%s: read %d input bytes for %d output bytes", te.name, src.read, got)
		}
	}
}
