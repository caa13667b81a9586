package textdec

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// javaEscape writes every non-ASCII rune as \uXXXX, as native2ascii does.
func javaEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&b, "\\u%04x\\u%04x", 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

func charRefs(s string, hex bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case hex:
			fmt.Fprintf(&b, "&#x%X;", r)
		default:
			fmt.Fprintf(&b, "&#%d;", r)
		}
	}
	return b.String()
}

func TestUnescapeKinds(t *testing.T) {
	name := "佐藤\u3000花子"
	cp932 := func(s string) string { return url.QueryEscape(string(encode(t, japanese.ShiftJIS, s))) }
	b64 := func(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
	row := "佐藤 花子,サトウ ハナコ,0564-23-3100,愛知県岡崎市康生通西1-2-3"
	for _, c := range []struct{ name, in, want string }{
		{"properties", "row.1=" + javaEscape(name) + ",0564-23-3100", "row.1=" + name + ",0564-23-3100"},
		{"json-escapes", `{"name":"` + javaEscape(name) + `","note":"a\"b\\c\/d"}`, `{"name":"` + name + `","note":"a"b\c/d"}`},
		{"js-upper-hex", `var n = '\u4F50\u85E4';`, `var n = '佐藤';`},
		{"surrogate-pair", javaEscape("𠮷野 家"), "𠮷野 家"},
		{"json-newlines-soft", `"` + javaEscape("氏名,電話\n"+row) + `"`, `"氏名,電話` + "\n" + row + `"`},
		{"escaped-backslash-u", `path C:\\users\\data \u4f50`, `path C:\users\data 佐`},
		{"no-u-no-change", `C:\temp\new "\n" text`, `C:\temp\new "\n" text`},
		{"percent-utf8", "GET /opac?name=" + url.QueryEscape(name) + "&tel=0564-23-3100 200", "GET /opac?name=佐藤\u3000花子&tel=0564-23-3100 200"},
		{"percent-utf8-plus", "q=%E4%BD%90%E8%97%A4+%E8%8A%B1%E5%AD%90&x=1+2", "q=佐藤 花子&x=1+2"},
		{"percent-cp932", "/cgi/reserve?shimei=" + cp932("山田 太郎") + "&mail=taro%40example.jp", "/cgi/reserve?shimei=山田 太郎&mail=taro@example.jp"},
		{"percent-eucjp", "id=7&n=" + url.PathEscape(string(encode(t, japanese.EUCJP, "鈴木一郎"))), "id=7&n=鈴木一郎"},
		{"percent-printf-left", "printf(\"%d items 100%\")", "printf(\"%d items 100%\")"},
		{"percent-control-left", "a%00b%0Ac", "a%00b\nc"},
		{"charref-dec", "<td>" + charRefs(name, false) + "</td>", "<td>" + name + "</td>"},
		{"charref-hex", "<td>" + charRefs(name, true) + "</td>", "<td>" + name + "</td>"},
		{"charref-named", "佐藤&nbsp;花子 &amp; 山田&lt;x&gt; &quot;q&quot; &copy; &#0; &#xD800;", "佐藤 花子 & 山田<x> \"q\" &copy; &#0; &#xD800;"},
		{"base64-utf8", "data:text/csv;base64," + b64([]byte("氏名,電話\n"+row+"\n")), "data:text/csv;base64,氏名,電話\n" + row + "\n"},
		{"base64-cp932-in-json", `{"blob":"` + b64(encode(t, japanese.ShiftJIS, row)) + `"}`, `{"blob":"` + row + `"}`},
		{"base64-utf16-in-sql", "INSERT INTO t VALUES ('" + b64(encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), row)) + "');", "INSERT INTO t VALUES ('" + row + "');"},
		{"base64-of-escapes", "x=" + b64([]byte(javaEscape(row))), "x=" + row},
		{"base64-binary-left", "img=" + b64([]byte{0x89, 'P', 'N', 'G', 0, 0, 0, 13, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}),
			"img=" + b64([]byte{0x89, 'P', 'N', 'G', 0, 0, 0, 13, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})},
		{"hash-left", "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709 sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
			"sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709 sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="},
		{"identifier-left", "com/example/ils/patron/PatronRegistrationServiceImplTest", "com/example/ils/patron/PatronRegistrationServiceImplTest"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, soft := Unescape(nil, []byte(c.in), nil, 0)
			if string(got) != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
			if n := strings.Count(c.want, "\n") - strings.Count(c.in, "\n"); len(soft) != n {
				t.Errorf("soft newlines %v, want %d", soft, n)
			}
		})
	}
}

func TestUnescapeSoftNewlineOrdinals(t *testing.T) {
	in := "a\n" + `"x\ny\nz"` + "\nb\n%0A\n"
	got, soft := Unescape(nil, []byte(in), nil, 5)
	// Lines without \u keep "\n" as written, so only %0A is soft here:
	// output newlines 5 (a), 6, 7 (b), 8 (%0A), 9.
	if string(got) != "a\n\"x\\ny\\nz\"\nb\n\n\n" {
		t.Fatalf("got %q", got)
	}
	if fmt.Sprint(soft) != "[8]" {
		t.Errorf("soft %v", soft)
	}
	got, soft = Unescape(nil, []byte("h\n\\u4f50\\n\\u85e4\nt"), nil, 0)
	if string(got) != "h\n佐\n藤\nt" || fmt.Sprint(soft) != "[1]" {
		t.Errorf("got %q soft %v", got, soft)
	}
}

func TestMayHaveEscapesPlainText(t *testing.T) {
	for _, s := range []string{csvJP, "C:\\temp\\x 100% done & more", "abc_def-ghi.jkl/mno", strings.Repeat("word ", 100)} {
		if MayHaveEscapes([]byte(s)) {
			t.Errorf("prefilter fires on %q", s[:min(len(s), 40)])
		}
	}
	for _, s := range []string{`\u4f50`, "%E4", "&#1;", "&amp;", strings.Repeat("A", MinBase64Run)} {
		if !MayHaveEscapes([]byte(s)) {
			t.Errorf("prefilter misses %q", s)
		}
	}
}

func checkUnescaped(t *testing.T, in, out []byte, soft []int) {
	t.Helper()
	if !MayHaveEscapes(in) && !bytes.Equal(in, out) {
		t.Fatalf("changed text the prefilter passes: %q -> %q", in, out)
	}
	if got, want := bytes.Count(out, []byte("\n")), bytes.Count(in, []byte("\n"))+len(soft); got != want {
		t.Fatalf("%d newlines out, want %d in + %d soft", got, bytes.Count(in, []byte("\n")), len(soft))
	}
	for i, o := range soft {
		if o < 0 || (i > 0 && o <= soft[i-1]) || o >= bytes.Count(out, []byte("\n")) {
			t.Fatalf("soft ordinals %v out of order or range", soft)
		}
	}
	if utf8.Valid(in) && !utf8.Valid(out) {
		t.Fatalf("valid UTF-8 in, invalid out: %q", out)
	}
	if len(out) > 2*len(in)+16 {
		t.Fatalf("output %d bytes from %d", len(out), len(in))
	}
}

func FuzzUnescape(f *testing.F) {
	for _, s := range []string{"", csvJP, `row=\u4f50\u85e4\n\ud842\udfb7`, "q=%E4%BD%90+%82%A0&a=%0A", "&#20304;&#x4F50;&amp;&nbsp;",
		"data:;base64," + base64.StdEncoding.EncodeToString([]byte(csvJP)), "\\", "%", "&#", "&#x;"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, soft := Unescape(nil, in, nil, 0)
		checkUnescaped(t, in, out, soft)
	})
}

func BenchmarkMayHaveEscapes(b *testing.B) {
	src := []byte(strings.Repeat(csvJP, 2000))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		MayHaveEscapes(src)
	}
}
