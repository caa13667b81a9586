package textdec

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	for i, c := range []struct{ in, want string }{
		{"", ""},
		{"plain ascii 0564-23-3100\r\n", "plain ascii 0564-23-3100\r\n"},
		{"０９０－１２３４－５６７８", "090-1234-5678"},
		{"０５６４（２３）３１００", "0564(23)3100"},
		{"ＴＥＬ：０５６４ー２３ー３１００", "TEL:0564-23-3100"},
		{"（０５６４）ー２３", "(0564)-23"},
		{"0564ｰ23ｰ3100", "0564-23-3100"},
		{"タロー", "タロー"},
		{"ﾀﾛｰ", "タロー"},
		{"ー123", "ー123"},
		{"ｶｰ1", "カー1"},
		{"ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"},
		{"ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ ｶﾞｷﾞｸﾞｹﾞｺﾞ ｻﾞｼﾞｽﾞｾﾞｿﾞ ﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞ ｳﾞ ﾜﾞ ｦﾞ", "パピプペポ バビブベボ ガギグゲゴ ザジズゼゾ ダヂヅデド ヴ ヷ ヺ"},
		{"ｱﾞ ﾞ ｶﾟ", "ア゛ ゛ カ゜"},
		{"ｶﾞ", "ガ"},
		{"ｶ\nﾞ", "カ\n゛"},
		{"｡｢｣､･ｦｧｯｰﾝ", "。「」、・ヲァッーン"},
		{"山田　太郎", "山田 太郎"},
		{"ｔｅｓｔ＠ｅｘａｍｐｌｅ．ｊｐ", "test@example.jp"},
		{"Ａ＿Ｂ／Ｃ＋Ｄ", "A_B/C+D"},
		{"1‐2‑3‒4–5—6―7−8﹣9", "1-2-3-4-5-6-7-8-9"},
		{"〒444-8601", "〒444-8601"},
		{"〒４４４－８６０１", "〒444-8601"},
		{"愛知県岡崎市", "愛知県岡崎市"},
		{"bad\xffutf8\xe3\x81", "bad\uFFFDutf8\uFFFD\uFFFD"},
		{"line1\nline２\n\nｴﾝﾄﾞ\n", "line1\nline2\n\nエンド\n"},
	} {
		got := string(Normalize(nil, []byte(c.in)))
		if got != c.want {
			// Print the case index, not the (phone-shaped) values.
			t.Errorf("case %d: Normalize output differs (%d bytes, want %d)", i, len(got), len(c.want))
		}
	}
}

// Normalize appends to dst and composes voiced marks only with its own output.
func TestNormalizeAppend(t *testing.T) {
	got := string(Normalize([]byte("カ"), []byte("ﾞ")))
	if got != "カ゛" {
		t.Errorf("got %q, want カ゛", got)
	}
	got = string(Normalize([]byte("0"), []byte("ー1")))
	if got != "0ー1" {
		t.Errorf("got %q, want 0ー1", got)
	}
}

func checkNormalized(t *testing.T, in, out []byte) {
	t.Helper()
	if a, b := bytes.Count(in, []byte{'\n'}), bytes.Count(out, []byte{'\n'}); a != b {
		t.Fatalf("newlines: in %d, out %d", a, b)
	}
	if !utf8.Valid(out) {
		t.Fatalf("output is not valid UTF-8")
	}
	// Each line normalises on its own: line k of the output is line k of
	// the input normalised.
	inLines := bytes.Split(in, []byte{'\n'})
	outLines := bytes.Split(out, []byte{'\n'})
	for k := range inLines {
		if !bytes.Equal(Normalize(nil, inLines[k]), outLines[k]) {
			t.Fatalf("line %d moved or changed", k+1)
		}
	}
	// Idempotent.
	if again := Normalize(nil, out); !bytes.Equal(again, out) {
		t.Fatalf("not idempotent")
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", csvJP, "０９０－１２３４\nﾀﾞ\n", "ｶ\nﾞ", "\xff\n\xe3\x81\n", "0ー\n1", "ｰｰ\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkNormalized(t, in, Normalize(nil, in))
	})
}

func TestNormalizeProperties(t *testing.T) {
	inputs := [][]byte{
		[]byte(strings.Repeat(csvJP, 3)),
		randomBytes(7, 5000),
		[]byte(strings.Repeat("ﾔﾏﾀﾞ\nﾞ０ー\n１", 50)),
	}
	for _, in := range inputs {
		checkNormalized(t, in, Normalize(nil, in))
	}
}

func BenchmarkNormalizeASCII(b *testing.B) {
	src := []byte(strings.Repeat("id,name,phone,address\n1,Taro Yamada,0564-23-3100,1-2-3 Kosei-dori Nishi\n", 8000))
	dst := make([]byte, 0, 2*len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		dst = Normalize(dst[:0], src)
	}
}

func BenchmarkNormalizeJapanese(b *testing.B) {
	src := []byte(strings.Repeat(csvJP, 2000))
	dst := make([]byte, 0, 2*len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		dst = Normalize(dst[:0], src)
	}
}

func BenchmarkNormalizeFullWidth(b *testing.B) {
	src := []byte(strings.Repeat("ﾔﾏﾀﾞ ﾀﾛｳ,０５６４（２３）３１００,愛知県岡崎市康生通西１－２－３\n", 4000))
	dst := make([]byte, 0, 2*len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		dst = Normalize(dst[:0], src)
	}
}
