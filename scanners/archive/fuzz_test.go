package archive

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rouei/rouei/scanners"
)

// fuzzLimits are small so that a fuzzed bomb is cut short quickly.
var fuzzLimits = scanners.Limits{
	MaxMemberBytes:  1 << 20,
	MaxArchiveBytes: 4 << 20,
	MaxRatio:        200,
	MaxMembers:      64,
	MaxArchiveTime:  5 * time.Second,
}

// FuzzWalk feeds arbitrary bytes through Identify and Walk, reading every
// member, and checks that nothing panics and that what comes out stays
// within the limits.
func FuzzWalk(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if strings.HasSuffix(p, ".iso.gz") {
			b = gunzip(f, b)
			// the images end in zero padding: keep the part with content
			end := len(bytes.TrimRight(b, "\x00"))
			b = b[:min(len(b), (end+2047)/2048*2048)]
		}
		f.Add(b)
	}
	f.Add(makeZip(f, zipEntry{name: sjis(f, "督促/延滞.csv"), data: []byte("a,b\n"), nonUTF8: true}, zipEntry{name: "../x", data: []byte("x")}))
	f.Add(makeTar(f, tarEntry{hdr: tar.Header{Name: "a.txt"}, data: []byte("a")}, tarEntry{hdr: tar.Header{Name: "l", Typeflag: tar.TypeSymlink, Linkname: "a.txt"}}))
	f.Add(gzipBytes(f, makeTar(f, tarEntry{hdr: tar.Header{Name: "a.txt"}, data: []byte("a")})))
	f.Add(gzipBytes(f, make([]byte, 4<<20)))

	f.Fuzz(func(t *testing.T, data []byte) {
		op := Identify("fuzz", data[:min(len(data), 64<<10)])
		if op == nil {
			return
		}
		// ARCHIVE_FUZZ_SLOW=dir saves inputs still running after 2 s
		// there, to find a hang (the fuzzer reports none by itself).
		if tr := os.Getenv("ARCHIVE_FUZZ_SLOW"); tr != "" {
			start := time.Now()
			stuck := time.AfterFunc(2*time.Second, func() {
				os.WriteFile(filepath.Join(tr, strconv.Itoa(os.Getpid())+"-"+strconv.FormatInt(start.UnixNano(), 10)), data, 0o644)
			})
			defer stuck.Stop()
		}
		src := scanners.Source{Name: "fuzz", Reader: bytes.NewReader(data), At: bytes.NewReader(data), Size: int64(len(data))}
		members := 0
		var total int64
		_ = op.Walk(context.Background(), src, fuzzLimits, func(m scanners.Member) error {
			members++
			if !utf8.ValidString(m.Name) {
				t.Fatalf("member name %q is not UTF-8", m.Name)
			}
			if (m.Err == nil) == (m.Open == nil) {
				t.Fatalf("member %q: Err %v with Open %v", m.Name, m.Err, m.Open != nil)
			}
			if m.Open == nil {
				return nil
			}
			rc, err := m.Open()
			if err != nil {
				return nil
			}
			n, _ := io.Copy(io.Discard, rc)
			total += n
			if n > fuzzLimits.MaxMemberBytes+64<<10 {
				t.Fatalf("member %q gave %d bytes", m.Name, n)
			}
			return rc.Close()
		})
		if members > fuzzLimits.MaxMembers {
			t.Fatalf("%d members", members)
		}
		if total > fuzzLimits.MaxArchiveBytes+64<<10 {
			t.Fatalf("%d bytes in all", total)
		}
	})
}
