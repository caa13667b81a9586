package textdec

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// cutMidChar returns e(text) cut one byte into the character after prefix,
// which must be a multi-byte character in e.
func cutMidChar(t *testing.T, tc int, text, prefix string) []byte {
	t.Helper()
	e := testEncoders[tc].e
	full := encode(t, e, text)
	head := encode(t, e, prefix)
	if testEncoders[tc].enc == ISO2022JP {
		// The prefix ends in ASCII mode; the full text switches to JIS
		// first (ESC $ B, 3 bytes), then the 2-byte character.
		return full[:len(head)+4]
	}
	return full[:len(head)+1]
}

func TestDetectEncodings(t *testing.T) {
	long := strings.Repeat(csvJP, 3)
	for tc, te := range testEncoders {
		for _, c := range []struct {
			name  string
			text  string
			atEOF bool
		}{
			{"long", long, true},
			{"csv", csvJP, true},
			{"short", shortJP, true},
			{"short-notEOF", shortJP, false},
		} {
			t.Run(te.name+"/"+c.name, func(t *testing.T) {
				b := encode(t, te.e, c.text)
				if got := Detect(b, c.atEOF); got != te.enc {
					t.Errorf("Detect = %q, want %q", got, te.enc)
				}
			})
		}
		t.Run(te.name+"/cut-mid-char", func(t *testing.T) {
			// "佐藤 花子,0564-23-3100\n山田 太郎,ヤ" cut inside ヤ.
			prefix := shortJP + "山田 太郎,"
			b := cutMidChar(t, tc, prefix+"ヤマダ", prefix)
			if got := Detect(b, false); got != te.enc {
				t.Errorf("Detect(cut, !atEOF) = %q, want %q", got, te.enc)
			}
			// A cut long sample too.
			prefix = long + "山田 太郎,"
			b = cutMidChar(t, tc, prefix+"ヤマダ", prefix)
			if got := Detect(b, false); got != te.enc {
				t.Errorf("Detect(long cut, !atEOF) = %q, want %q", got, te.enc)
			}
		})
	}
}

func TestDetectBOM(t *testing.T) {
	for _, c := range []struct {
		name string
		b    []byte
		want Encoding
	}{
		{"utf8-bom", append([]byte{0xEF, 0xBB, 0xBF}, csvJP...), UTF8},
		{"utf16le-bom", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), shortJP), UTF16LE},
		{"utf16be-bom", encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), shortJP), UTF16BE},
		{"utf16le-bom-only", []byte{0xFF, 0xFE}, UTF16LE},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Detect(c.b, true); got != c.want {
				t.Errorf("Detect = %q, want %q", got, c.want)
			}
		})
	}
}

func TestDetectOther(t *testing.T) {
	le := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	be := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	sjisLong := encode(t, japanese.ShiftJIS, strings.Repeat(csvJP, 4))

	// SJIS with a few corrupt bytes sprinkled in.
	corrupt := append([]byte(nil), sjisLong...)
	for i := 100; i < len(corrupt); i += 397 {
		corrupt[i] = 0xFF
	}
	// Mostly SJIS with one UTF-8 line.
	mixed := append(append([]byte(nil), sjisLong...), "山田 太郎,0564-23-3100\n"...)
	// Mostly UTF-8 with one SJIS line.
	mixedU := append([]byte(strings.Repeat(csvJP, 4)), encode(t, japanese.ShiftJIS, shortJP)...)
	// A text file with a stray NUL.
	strayNUL := []byte(strings.Repeat(csvJP, 20))
	strayNUL[500] = 0

	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), randomBytes(1, 4000)...)
	noNUL := randomBytes(2, 8000)
	for i := range noNUL {
		if noNUL[i] == 0 {
			noNUL[i] = 0xFF
		}
	}

	for _, c := range []struct {
		name  string
		b     []byte
		atEOF bool
		want  Encoding
	}{
		{"empty", nil, true, UTF8},
		{"ascii", []byte("name,phone\nfoo,bar\n"), true, UTF8},
		{"ascii-long", []byte(strings.Repeat("id,value,comment\n1,2,hello world\n", 500)), false, UTF8},
		{"one-kana-utf8", []byte("あ"), true, UTF8},
		{"sjis-halfwidth-kana", encode(t, japanese.ShiftJIS, "ﾔﾏﾀﾞ ﾀﾛｳ,0564-23-3100\nｽｽﾞｷ ｲﾁﾛｳ,090-1234-5678\n"), true, ShiftJIS},
		{"sjis-kanji-only", encode(t, japanese.ShiftJIS, "愛知県岡崎市康生通西"), true, ShiftJIS},
		{"eucjp-kanji-only", encode(t, japanese.EUCJP, "愛知県岡崎市康生通西"), true, EUCJP},
		{"sjis-corrupt", corrupt, true, ShiftJIS},
		{"sjis-with-utf8-line", mixed, true, ShiftJIS},
		{"utf8-with-sjis-line", mixedU, true, UTF8},
		{"utf8-stray-nul", strayNUL, true, UTF8},
		{"utf16le-no-bom-ascii", encode(t, le, "name,phone\nfoo,0564-23-3100\n"), true, UTF16LE},
		{"utf16be-no-bom-ascii", encode(t, be, "name,phone\nfoo,0564-23-3100\n"), true, UTF16BE},
		{"utf16le-no-bom-japanese-no-nul", encode(t, le, "愛知県岡崎市の図書館利用者名簿です"), true, UTF16LE},
		{"utf16be-no-bom-japanese-no-nul", encode(t, be, "愛知県岡崎市の図書館利用者名簿です"), true, UTF16BE},
		{"utf16le-cut-odd", encode(t, le, csvJP)[:301], false, UTF16LE},
		{"binary-png", png, true, Binary},
		{"binary-random-no-nul", noNUL, true, Binary},
		{"binary-elf", append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"), randomBytes(3, 2000)...), false, Binary},
		{"binary-zeros", make([]byte, 1000), true, Binary},
		{"iso2022-escape-only", []byte("\x1b$B$3$s$K$A$O\x1b(B\n"), true, ISO2022JP},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Detect(c.b, c.atEOF); got != c.want {
				t.Errorf("Detect = %q, want %q", got, c.want)
			}
		})
	}
}

// A sample longer than SampleSize is judged on its first SampleSize bytes.
func TestDetectLongSample(t *testing.T) {
	b := []byte(strings.Repeat(csvJP, SampleSize/len(csvJP)+1))
	b = append(b, 0xFF, 0xFE, 0) // garbage beyond the sample
	if got := Detect(b, true); got != UTF8 {
		t.Errorf("Detect = %q, want utf-8", got)
	}
	if !bytes.HasPrefix(b, []byte("氏名")) {
		t.Fatal("test setup")
	}
}

// Every prefix of at least 16 bytes, as a sample cut anywhere (even inside
// a character), is detected as the encoding of the whole.
func TestDetectPrefixes(t *testing.T) {
	texts := []string{
		csvJP,
		strings.Repeat("ﾔﾏﾀﾞ ﾀﾛｳ,0564-23-3100\n", 5),
		"山田太郎様　愛知県岡崎市康生通西１－２－３　電話：０５６４（２３）３１００\n",
	}
	for _, te := range testEncoders {
		for ti, text := range texts {
			if te.enc == EUCJP && ti == 1 {
				continue // known gap: EUC-JP half-width kana (8E xx) reads as valid CP932 kanji
			}
			b := encode(t, te.e, text)
			for n := 16; n <= len(b); n++ {
				if got := Detect(b[:n], n == len(b)); got != te.enc {
					t.Errorf("%s text %d: Detect(first %d of %d bytes) = %q", te.name, ti, n, len(b), got)
				}
			}
		}
	}
}
