package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/rouei/rouei/samples"
	"github.com/rouei/rouei/scanners/textdec"
)

// sampleText reads a file of the sample deliverable and decodes it to
// UTF-8 as the engine would.
func sampleText(t *testing.T, rel string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(samples.DeliverableDir(), rel))
	if err != nil {
		t.Fatal(err)
	}
	enc := textdec.Detect(raw[:min(len(raw), textdec.SampleSize)], len(raw) <= textdec.SampleSize)
	b, err := readAllString(textdec.NewReader(strings.NewReader(string(raw)), enc))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(b, "\r\n", "\n")
}

func readAllString(r interface{ Read([]byte) (int, error) }) (string, error) {
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			if err.Error() == "EOF" {
				return b.String(), nil
			}
			return b.String(), err
		}
	}
}

// scanOne scans one in-memory file with every detector.
func scanOne(t *testing.T, name string, data []byte) fileResult {
	t.Helper()
	opt := Options{}
	opt = opt.withDefaults()
	res := scanItem(context.Background(), memItem(name, data), &opt, newWorkspace())
	if len(res.errors) > 0 {
		t.Fatalf("%s: errors %v", name, res.errors)
	}
	if res.file == nil {
		t.Fatalf("%s: no verdict", name)
	}
	return res
}

// accessLog is an ASCII log of at least n bytes: no personal data.
func accessLog(n int, style int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		switch style {
		case 0:
			fmt.Fprintf(&b, "2005-06-%02d 09:%02d:%02d INFO  [opac-%d] GET /opac/search?isbn=978400%07d 200 %dms\n", 1+i%28, i%60, (7*i)%60, i%4, i*37%10000000, i%900)
		default:
			fmt.Fprintf(&b, "[%06d] batch step %d of export finished; rows=%d status=ok\n", i, i%17, i*13%5000)
		}
	}
	return b.String()
}

func sjis(t *testing.T, s string) []byte {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func eucjp(t *testing.T, s string) []byte {
	t.Helper()
	b, err := japanese.EUCJP.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Issue 11: a file whose first 64 KiB are ASCII and whose rows are in a
// legacy encoding after that is decoded in the encoding of its rows.
func TestEncodingSwitchAfterTheHead(t *testing.T) {
	lists := []struct{ rel, class string }{
		{"data/old/tokusoku_200506.csv", "overdue_list"},         // CP932 overdue list, 40 people
		{"data/holds/yoyaku_list.csv", "hold_list"},              // UTF-8 hold list
		{"data/registry/riyosha_touroku.tsv", "patron_registry"}, // UTF-8 registry
	}
	for _, l := range lists {
		rows := sampleText(t, l.rel)
		// The plain list, UTF-8 with the same head: what the decoded file must give.
		for _, c := range []struct {
			name string
			head string
			body func(string) []byte
			tail string
			enc  textdec.Encoding
		}{
			{"ascii-log-then-cp932", accessLog(70<<10, 0), func(s string) []byte { return sjis(t, s) }, "", textdec.ShiftJIS},
			{"ascii-batch-then-eucjp", accessLog(100<<10, 1), func(s string) []byte { return eucjp(t, s) }, "", textdec.EUCJP},
			{"utf8-head-then-cp932", "# 日次書き出し（文字コードは途中から変わります）\n" + accessLog(66<<10, 1),
				func(s string) []byte { return sjis(t, s) }, "", textdec.ShiftJIS},
			{"ascii-cp932-then-utf8-back", accessLog(65<<10, 0), func(s string) []byte { return sjis(t, s) },
				accessLog(2000, 1) + "# 書き出し終了\n" + accessLog(500, 0), textdec.ShiftJIS},
		} {
			t.Run(filepath.Base(l.rel)+"/"+c.name, func(t *testing.T) {
				plain := scanOne(t, "plain.txt", []byte(c.head+rows+c.tail))
				data := append(append([]byte(c.head), c.body(rows)...), c.tail...)
				got := scanOne(t, "mixed.txt", data)
				if plain.file.Classification != l.class {
					t.Fatalf("plain UTF-8 file: %s, want %s (%s)", plain.file.Classification, l.class, plain.file.Reason)
				}
				if got.file.Classification != plain.file.Classification || got.file.Persons != plain.file.Persons {
					t.Errorf("%s %d people, want %s %d as in the plain file (%s)", got.file.Classification, got.file.Persons,
						plain.file.Classification, plain.file.Persons, got.file.Reason)
				}
				if got.file.Encoding != string(c.enc) {
					t.Errorf("encoding %s, want %s", got.file.Encoding, c.enc)
				}
				if fmt.Sprint(lines(got)) != fmt.Sprint(lines(plain)) {
					t.Errorf("finding lines differ from the plain file's")
				}
			})
		}
	}
}
