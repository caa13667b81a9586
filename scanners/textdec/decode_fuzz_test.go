package textdec

import (
	"bytes"
	"io"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// FuzzDecode runs Detect and the streaming decoder of every encoding over
// arbitrary bytes: nothing panics, Detect gives a known encoding, and the
// decoded text (normalised as the detectors see it) is valid UTF-8 with
// as many line ends as a byte-oriented decoding keeps.
func FuzzDecode(f *testing.F) {
	sj, _ := japanese.ShiftJIS.NewEncoder().Bytes([]byte("氏名,電話番号\n佐藤 健一,090-3141-5926\n"))
	eu, _ := japanese.EUCJP.NewEncoder().Bytes([]byte("予約番号\t氏名\n"))
	jis, _ := japanese.ISO2022JP.NewEncoder().Bytes([]byte("督促のお知らせ\n"))
	for _, s := range [][]byte{sj, eu, jis, []byte("\xff\xfeA\x00\n\x00"), []byte("\xef\xbb\xbfutf-8\n"), {0x1b, '$', 'B'}, {0x82}, {0x8e}} {
		f.Add(s)
	}
	encs := []Encoding{UTF8, UTF16LE, UTF16BE, ShiftJIS, EUCJP, ISO2022JP}
	f.Fuzz(func(t *testing.T, data []byte) {
		enc := Detect(data, true)
		known := enc == Binary
		for _, e := range encs {
			known = known || enc == e
		}
		if !known {
			t.Fatalf("Detect gave %q", enc)
		}
		Detect(data, false)
		for _, e := range encs {
			out, err := io.ReadAll(io.LimitReader(NewReader(bytes.NewReader(data), e), int64(len(data))*4+16))
			if err != nil {
				t.Fatalf("%s: %v", e, err)
			}
			norm := Normalize(nil, out)
			if !utf8.Valid(norm) {
				t.Fatalf("%s: normalised text is not UTF-8", e)
			}
			if e == ShiftJIS || e == EUCJP {
				// one decoded line end per LF byte: line numbers do not move
				if got, want := bytes.Count(norm, []byte{'\n'}), bytes.Count(data, []byte{'\n'}); got != want {
					t.Fatalf("%s: %d line ends decoded from %d", e, got, want)
				}
			}
		}
		if _, err := io.ReadAll(NewReader(bytes.NewReader(data), Binary)); err == nil {
			t.Fatal("binary data decoded without error")
		}
	})
}
