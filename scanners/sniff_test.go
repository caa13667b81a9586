package scanners

import "testing"

func TestSniffMediaType(t *testing.T) {
	zipHead := []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")
	gzHead := []byte{0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0}
	pngHead := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	cases := []struct {
		name   string
		head   []byte
		isText bool
		want   string
	}{
		{"a.csv", []byte("氏名,電話番号\n"), true, "text/csv"},
		{"a.TSV", []byte("a\tb\n"), true, "text/tab-separated-values"},
		{"notes", []byte("hello\n"), true, "text/plain"},
		{"x.html", []byte("<html>"), true, "text/html"},
		{"data.csv", zipHead, false, "application/zip"}, // content wins over the extension
		{"readme.txt", gzHead, false, "application/gzip"},
		{"logo.csv", pngHead, false, "image/png"},
		{"patron.csv", []byte{0, 1, 2, 3, 0xff}, false, "application/octet-stream"},
	}
	for _, c := range cases {
		if got := SniffMediaType(c.name, c.head, c.isText); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
