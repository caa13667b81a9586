package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"
	"time"

	dsbzip2 "github.com/dsnet/compress/bzip2"
	"github.com/rouei/rouei/scanners"
	"golang.org/x/text/encoding/japanese"
)

func sjis(t testing.TB, s string) string {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestIdentify(t *testing.T) {
	zipData := makeZip(t, zipEntry{name: "a.txt", data: []byte("a")})
	tarData := makeTar(t, tarEntry{hdr: tar.Header{Name: "a.txt"}, data: []byte("a")})
	v7 := makeTar(t, tarEntry{hdr: tar.Header{Name: "a.txt", Format: tar.FormatGNU}, data: []byte("a")})
	copy(v7[257:265], make([]byte, 8)) // drop the magic: a V7 header
	binary.BigEndian.PutUint64(v7[148:156], 0)
	sum := 0
	for i, b := range v7[:512] {
		if i >= 148 && i < 156 {
			b = ' '
		}
		sum += int(b)
	}
	copy(v7[148:156], []byte(strings.Repeat("0", 6-len(octal(sum)))+octal(sum)+"\x00 "))
	cases := []struct {
		name string
		head []byte
		want string // "" for nil
	}{
		{"zip", zipData, "zip"},
		{"tar", tarData, "tar"},
		{"v7tar", v7, "tar"},
		{"gzip", gzipBytes(t, []byte("x")), "gzip"},
		{"bzip2", readTestdata(t, "hello.txt.bz2"), "bzip2"},
		{"xz", readTestdata(t, "hello.txt.xz"), "xz"},
		{"zstd", readTestdata(t, "hello.txt.zst"), "zstd"},
		{"7z", readTestdata(t, "sample.7z"), "7z"},
		{"iso", gunzip(t, readTestdata(t, "rr.iso.gz"))[:64<<10], "iso9660"},
		{"text", []byte("氏名,電話番号\n見本 太郎,000-0000-0000\n"), ""},
		{"BZh text", []byte("BZh is not enough to be bzip2 data"), ""},
		{"empty", nil, ""},
		{"tar-like zeros", make([]byte, 1024), ""},
	}
	for _, c := range cases {
		op := Identify(c.name+".bin", c.head)
		switch {
		case c.want == "" && op != nil:
			t.Errorf("%s: Identify = %s, want nil", c.name, op.Kind())
		case c.want != "" && op == nil:
			t.Errorf("%s: Identify = nil, want %s", c.name, c.want)
		case c.want != "" && op.Kind() != c.want:
			t.Errorf("%s: Identify = %s, want %s", c.name, op.Kind(), c.want)
		}
	}
	// The name never decides: a zip named .txt is a zip, text named .zip is nothing.
	if op := Identify("notes.txt", zipData); op == nil || op.Kind() != "zip" {
		t.Errorf("zip named .txt not identified")
	}
	if op := Identify("data.zip", []byte("plain text")); op != nil {
		t.Errorf("text named .zip identified as %s", op.Kind())
	}
}

func octal(n int) string {
	s := ""
	for n > 0 {
		s = string(rune('0'+n%8)) + s
		n /= 8
	}
	return s
}

func TestZipNames(t *testing.T) {
	data := makeZip(t,
		zipEntry{name: sjis(t, "督促/延滞.csv"), data: []byte("cp932 name"), nonUTF8: true},
		zipEntry{name: sjis(t, "表/予定表.txt"), data: []byte("0x5C trail byte"), nonUTF8: true},
		zipEntry{name: "利用者/一覧.tsv", data: []byte("utf8 unflagged"), nonUTF8: true},
		zipEntry{name: "資料/説明.txt", data: []byte("utf8 flagged")},
		zipEntry{name: "dir/", data: nil},
	)
	op := identify(t, "names.zip", data, "zip")
	ms, err := walk(t, op, "names.zip", data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 4 {
		t.Fatalf("got %d members, want 4 (directory skipped)", len(ms))
	}
	for _, c := range []struct{ name, data string }{
		{"督促/延滞.csv", "cp932 name"},
		{"表/予定表.txt", "0x5C trail byte"},
		{"利用者/一覧.tsv", "utf8 unflagged"},
		{"資料/説明.txt", "utf8 flagged"},
	} {
		m := find(t, ms, c.name)
		if string(m.data) != c.data || m.readErr != nil || m.notice != nil || m.err != nil {
			t.Errorf("%s: data %q readErr %v notice %v err %v", c.name, m.data, m.readErr, m.notice, m.err)
		}
		if m.size != int64(len(c.data)) {
			t.Errorf("%s: size %d, want %d", c.name, m.size, len(c.data))
		}
	}
}

func TestTarCP932Name(t *testing.T) {
	data := makeTar(t,
		tarEntry{hdr: tar.Header{Name: sjis(t, "督促/延滞.csv"), Format: tar.FormatGNU}, data: []byte("x")},
		tarEntry{hdr: tar.Header{Name: "dir/", Typeflag: tar.TypeDir}},
	)
	ms, err := walk(t, identify(t, "a.tar", data, "tar"), "a.tar", data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].name != "督促/延滞.csv" || string(ms[0].data) != "x" {
		t.Fatalf("got %+v", ms)
	}
}

// TestNested reads a zip holding a .tar.gz holding a CSV, going down by
// Identify and Walk as the engine does.
func TestNested(t *testing.T) {
	inner := makeTar(t, tarEntry{hdr: tar.Header{Name: "督促/延滞.csv"}, data: []byte("番号\t氏名\n1\t見本 太郎\n")})
	tgz := gzipBytes(t, inner)
	outer := makeZip(t, zipEntry{name: "setup/ils.tar.gz", data: tgz, method: zip.Store}, zipEntry{name: "readme.txt", data: []byte("x"), method: zip.Deflate})

	ms, err := walk(t, identify(t, "dist.zip", outer, "zip"), "dist.zip", outer, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	m := find(t, ms, "setup/ils.tar.gz")
	if !bytes.Equal(m.data, tgz) {
		t.Fatalf("nested member bytes differ")
	}
	gz := identify(t, m.name, m.data, "gzip")
	// the gzip level gets a stream only, of unknown size
	ms2, err := walkSource(gz, scanners.Source{Name: "dist.zip!/setup/ils.tar.gz", Reader: bytes.NewReader(m.data), Size: -1}, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	// the tar inside is walked at the gzip level: no ils.tar level
	if len(ms2) != 1 || ms2[0].name != "督促/延滞.csv" || !strings.Contains(string(ms2[0].data), "見本 太郎") {
		t.Fatalf("gzip member: %q size %d, %d bytes", ms2[0].name, ms2[0].size, len(ms2[0].data))
	}
}

// TestCompressedTarFlat: a tar inside each single-stream compressor is
// walked in place, members named under the compressed file, whatever the
// file's name (.tgz, .tar.bz2, .tar.xz, .tar.zst, or no extension); a
// stream that is not a tar stays one member.
func TestCompressedTarFlat(t *testing.T) {
	inner := makeTar(t,
		tarEntry{hdr: tar.Header{Name: "setup/a.csv"}, data: []byte("番号,氏名\n1,見本 太郎\n")},
		tarEntry{hdr: tar.Header{Name: "README"}, data: []byte("readme\n")})
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"x.tar.gz", gzipBytes(t, inner)},
		{"x.tgz", gzipBytes(t, inner)},
		{"x.tar.bz2", bzip2Bytes(t, inner)},
		{"x.tar.xz", xzBytes(t, inner)},
		{"x.tar.zst", zstdBytes(t, inner)},
		{"noext", zstdBytes(t, inner)},
	} {
		op := Identify(tc.name, tc.data)
		if op == nil {
			t.Fatalf("%s: not identified", tc.name)
		}
		ms, err := walkSource(op, scanners.Source{Name: tc.name, Reader: bytes.NewReader(tc.data), Size: -1}, scanners.DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(ms) != 2 || ms[0].name != "setup/a.csv" || ms[1].name != "README" || string(ms[1].data) != "readme\n" {
			t.Fatalf("%s: got %+v", tc.name, ms)
		}
	}
	plain := gzipBytes(t, []byte("just text\n"))
	ms, err := walk(t, Identify("notes.txt.gz", plain), "notes.txt.gz", plain, scanners.DefaultLimits)
	if err != nil || len(ms) != 1 || ms[0].name != "notes.txt" {
		t.Fatalf("plain gzip: %+v %v", ms, err)
	}
}

func TestStreams(t *testing.T) {
	// gzip made here, two streams concatenated (multistream)
	gz := append(gzipBytes(t, []byte("first ")), gzipBytes(t, []byte("second\n"))...)
	var bz bytes.Buffer
	bw, err := dsbzip2.NewWriter(&bz, &dsbzip2.WriterConfig{Level: 9})
	if err != nil {
		t.Fatal(err)
	}
	bw.Write([]byte("bzip2 written by the test\n"))
	bw.Close()
	cases := []struct {
		file, kind, member, data string
		b                        []byte
	}{
		{"notes.txt.gz", "gzip", "notes.txt", "first second\n", gz},
		{"x.tgz", "gzip", "x.tar", "first second\n", gz},
		{"blob", "gzip", "data", "first second\n", gz},
		{"made.txt.bz2", "bzip2", "made.txt", "bzip2 written by the test\n", bz.Bytes()},
		{"hello.txt.bz2", "bzip2", "hello.txt", "bzip2 sample text\n", readTestdata(t, "hello.txt.bz2")},
		{"hello.txt.xz", "xz", "hello.txt", "bzip2 sample text\n", readTestdata(t, "hello.txt.xz")},
		{"hello.txt.zst", "zstd", "hello.txt", "bzip2 sample text\n", readTestdata(t, "hello.txt.zst")},
		{"dir/hello.tzst", "zstd", "hello.tar", "bzip2 sample text\n", readTestdata(t, "hello.txt.zst")},
	}
	for _, c := range cases {
		op := identify(t, c.file, c.b, c.kind)
		if op.NeedsRandomAccess() {
			t.Errorf("%s: a stream format needs random access", c.kind)
		}
		ms, err := walkSource(op, scanners.Source{Name: c.file, Reader: bytes.NewReader(c.b), Size: -1}, scanners.DefaultLimits)
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if len(ms) != 1 || ms[0].name != c.member || string(ms[0].data) != c.data || ms[0].readErr != nil {
			t.Errorf("%s: got %+v", c.file, ms)
		}
	}
}

func TestGzipTrailer(t *testing.T) {
	gz := gzipBytes(t, []byte("padded\n"))
	padded := append(bytes.Clone(gz), make([]byte, 10240)...)
	ms, err := walkSource(gzipOpener, scanners.Source{Reader: bytes.NewReader(padded), Size: -1}, scanners.DefaultLimits)
	if err != nil || len(ms) != 1 || string(ms[0].data) != "padded\n" || ms[0].readErr != nil {
		t.Fatalf("zero padding: %+v, %v", ms, err)
	}
	garbage := append(bytes.Clone(gz), "garbage after the stream"...)
	ms, err = walkSource(gzipOpener, scanners.Source{Reader: bytes.NewReader(garbage), Size: -1}, scanners.DefaultLimits)
	if err != nil || len(ms) != 1 || string(ms[0].data) != "padded\n" || ms[0].readErr == nil {
		t.Fatalf("garbage: %+v, %v", ms, err)
	}
}

func TestGzipHeaderName(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	// gzip stores a Latin-1 name: a CP932 name's bytes, as old tools wrote it.
	var latin []rune
	for _, b := range []byte(sjis(t, "延滞.csv")) {
		latin = append(latin, rune(b))
	}
	zw.Name = string(latin)
	zw.Write([]byte("x"))
	zw.Close()
	ms, err := walkSource(gzipOpener, scanners.Source{Name: "blob.bin", Reader: &buf, Size: -1}, scanners.DefaultLimits)
	if err != nil || len(ms) != 1 || ms[0].name != "延滞.csv" {
		t.Fatalf("got %+v, %v", ms, err)
	}
}

func TestEncryptedZip(t *testing.T) {
	data := readTestdata(t, "encrypted.zip") // zip -P
	ms, err := walk(t, identify(t, "e.zip", data, "zip"), "e.zip", data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || !errors.Is(ms[0].err, scanners.ErrEncrypted) {
		t.Fatalf("got %+v, want one encrypted member", ms)
	}
	// A crafted flag bit (an AES or ZipCrypto member from another tool).
	plain := makeZip(t, zipEntry{name: "a.txt", data: []byte("aaaa"), method: zip.Store})
	for _, sig := range [][]byte{{'P', 'K', 3, 4}, {'P', 'K', 1, 2}} {
		i := bytes.Index(plain, sig)
		off := 6
		if sig[2] == 1 {
			off = 8
		}
		plain[i+off] |= 1
	}
	ms, err = walk(t, zipOpener{}, "c.zip", plain, scanners.DefaultLimits)
	if err != nil || len(ms) != 1 || !errors.Is(ms[0].err, scanners.ErrEncrypted) {
		t.Fatalf("crafted: got %+v, %v", ms, err)
	}
}

func TestZipMethods(t *testing.T) {
	data := readTestdata(t, "bzip2-method.zip") // zip -Z bzip2
	ms, err := walk(t, zipOpener{}, "b.zip", data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if m := find(t, ms, "docs/readme.txt"); string(m.data) != "hello archive\n" || m.readErr != nil {
		t.Fatalf("bzip2 member: %q %v", m.data, m.readErr)
	}
	// An unknown method: patch Store (0) to 77 in both headers.
	z := makeZip(t, zipEntry{name: "a.txt", data: []byte("aaaa"), method: zip.Store})
	binary.LittleEndian.PutUint16(z[bytes.Index(z, []byte("PK\x03\x04"))+8:], 77)
	binary.LittleEndian.PutUint16(z[bytes.Index(z, []byte("PK\x01\x02"))+10:], 77)
	ms, err = walk(t, zipOpener{}, "m.zip", z, scanners.DefaultLimits)
	if err != nil || len(ms) != 1 || ms[0].err == nil || !strings.Contains(ms[0].err.Error(), "method 77") {
		t.Fatalf("unknown method: %+v, %v", ms, err)
	}
}

func smallLimits() scanners.Limits {
	l := scanners.DefaultLimits
	l.MaxRatio = 200
	return l
}

func TestRatioBombZip(t *testing.T) {
	zeros := make([]byte, 10<<20)
	data := makeZip(t, zipEntry{name: "bomb.bin", data: zeros, method: zip.Deflate}, zipEntry{name: "after.txt", data: []byte("after")})
	if len(data) > 64<<10 {
		t.Fatalf("bomb is %d bytes", len(data))
	}
	ms, err := walk(t, zipOpener{}, "bomb.zip", data, smallLimits())
	if err != nil {
		t.Fatal(err)
	}
	if b := find(t, ms, "bomb.bin"); !errors.Is(b.err, scanners.ErrLimit) || b.data != nil {
		t.Fatalf("bomb member: err %v, %d bytes read", b.err, len(b.data))
	}
	if a := find(t, ms, "after.txt"); string(a.data) != "after" {
		t.Fatalf("member after the bomb not read")
	}
	// The same zip with the bomb's sizes lowered in the central directory
	// (a lie): the declared ratio passes, reading stops anyway.
	lie := bytes.Clone(data)
	cd := bytes.Index(lie, []byte("PK\x01\x02"))
	binary.LittleEndian.PutUint32(lie[cd+24:], 1000) // uncompressed size
	ms, err = walk(t, zipOpener{}, "lie.zip", lie, smallLimits())
	if err != nil {
		t.Fatal(err)
	}
	if b := find(t, ms, "bomb.bin"); b.readErr == nil || len(b.data) > 64<<10 {
		t.Fatalf("lying bomb: readErr %v, %d bytes", b.readErr, len(b.data))
	}
}

func TestRatioBombStream(t *testing.T) {
	gz := gzipBytes(t, make([]byte, 10<<20))
	for _, size := range []int64{int64(len(gz)), -1} {
		ms, err := walkSource(gzipOpener, scanners.Source{Name: "bomb.gz", Reader: bytes.NewReader(gz), Size: size}, smallLimits())
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || !errors.Is(ms[0].readErr, scanners.ErrLimit) {
			t.Fatalf("size %d: readErr %v", size, ms[0].readErr)
		}
		if n := len(ms[0].data); n >= 10<<20 || n < ratioGrace {
			t.Errorf("size %d: read %d bytes before the limit", size, n)
		}
	}
	// MaxMemberBytes on a stream with an honest ratio.
	l := scanners.DefaultLimits
	l.MaxMemberBytes = 1000
	ms, _ := walkSource(gzipOpener, scanners.Source{Name: "x.gz", Reader: bytes.NewReader(gzipBytes(t, bytes.Repeat([]byte("0123456789abcdef"), 200))), Size: -1}, l)
	if !errors.Is(ms[0].readErr, scanners.ErrLimit) {
		t.Fatalf("MaxMemberBytes: %v", ms[0].readErr)
	}
}

// TestContainerRatio: members each below the ratio's grace add up to a
// bomb (as overlapping or solid archives do).
func TestContainerRatio(t *testing.T) {
	var ze []zipEntry
	for i := range 8 {
		ze = append(ze, zipEntry{name: string(rune('a' + i)), data: make([]byte, 900<<10), method: zip.Deflate})
	}
	data := makeZip(t, ze...)
	ms, err := walk(t, zipOpener{}, "r.zip", data, smallLimits())
	if !errors.Is(err, scanners.ErrLimit) || len(ms) == len(ze) {
		t.Fatalf("%d members, err %v", len(ms), err)
	}
	if last := ms[len(ms)-1]; !errors.Is(last.readErr, scanners.ErrLimit) {
		t.Fatalf("last member read: %v", last.readErr)
	}
}

func TestMaxMembers(t *testing.T) {
	var ze []zipEntry
	var te []tarEntry
	for i := range 5 {
		n := string(rune('a'+i)) + ".txt"
		ze = append(ze, zipEntry{name: n, data: []byte(n)})
		te = append(te, tarEntry{hdr: tar.Header{Name: n}, data: []byte(n)})
	}
	l := scanners.DefaultLimits
	l.MaxMembers = 3
	for _, c := range []struct {
		op   scanners.Opener
		data []byte
	}{{zipOpener{}, makeZip(t, ze...)}, {tarOpener{}, makeTar(t, te...)}} {
		ms, err := walk(t, c.op, "m", c.data, l)
		if !errors.Is(err, scanners.ErrLimit) || len(ms) != 3 {
			t.Errorf("%s: %d members, err %v", c.op.Kind(), len(ms), err)
		}
	}
}

func TestMaxArchiveBytes(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789"), 10_000) // 100 kB each
	data := makeZip(t, zipEntry{name: "1", data: big, method: zip.Store}, zipEntry{name: "2", data: big, method: zip.Store}, zipEntry{name: "3", data: big, method: zip.Store})
	l := scanners.DefaultLimits
	l.MaxArchiveBytes = 150_000
	ms, err := walk(t, zipOpener{}, "a.zip", data, l)
	if !errors.Is(err, scanners.ErrLimit) {
		t.Fatalf("walk err %v", err)
	}
	if len(ms) != 2 || ms[0].readErr != nil || !errors.Is(ms[1].readErr, scanners.ErrLimit) {
		t.Fatalf("got %d members", len(ms))
	}
}

func TestMaxMemberBytesTar(t *testing.T) {
	data := makeTar(t, tarEntry{hdr: tar.Header{Name: "big"}, data: make([]byte, 5000)}, tarEntry{hdr: tar.Header{Name: "small"}, data: []byte("ok")})
	l := scanners.DefaultLimits
	l.MaxMemberBytes = 4096
	ms, err := walk(t, tarOpener{}, "t.tar", data, l)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || !errors.Is(ms[0].err, scanners.ErrLimit) || string(ms[1].data) != "ok" {
		t.Fatalf("got %+v", ms)
	}
}

func TestMaxArchiveTime(t *testing.T) {
	data := makeZip(t, zipEntry{name: "a", data: []byte("a")}, zipEntry{name: "b", data: []byte("b")})
	l := scanners.DefaultLimits
	l.MaxArchiveTime = time.Nanosecond
	n := 0
	err := zipOpener{}.Walk(context.Background(), scanners.Source{At: bytes.NewReader(data), Size: int64(len(data))}, l, func(scanners.Member) error {
		n++
		return nil
	})
	if !errors.Is(err, scanners.ErrLimit) || n != 0 {
		t.Fatalf("%d members, err %v", n, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = tarOpener{}.Walk(ctx, scanners.Source{Reader: bytes.NewReader(makeTar(t, tarEntry{hdr: tar.Header{Name: "a"}, data: []byte("a")}))}, scanners.DefaultLimits, func(scanners.Member) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ctx: %v", err)
	}
}

func TestYieldError(t *testing.T) {
	stop := errors.New("stop")
	data := makeTar(t, tarEntry{hdr: tar.Header{Name: "a"}, data: []byte("a")}, tarEntry{hdr: tar.Header{Name: "b"}, data: []byte("b")})
	n := 0
	err := tarOpener{}.Walk(context.Background(), scanners.Source{Reader: bytes.NewReader(data)}, scanners.DefaultLimits, func(scanners.Member) error { n++; return stop })
	if err != stop || n != 1 {
		t.Fatalf("%d members, err %v", n, err)
	}
}

func TestTruncated(t *testing.T) {
	big := bytes.Repeat([]byte("truncated archives must fail cleanly\n"), 500)
	z := makeZip(t, zipEntry{name: "a.txt", data: big}, zipEntry{name: "b.txt", data: big})
	for _, cut := range []int{len(z) - 10, len(z) / 2, 30, 0} {
		_, err := walk(t, zipOpener{}, "t.zip", z[:cut], scanners.DefaultLimits)
		if err == nil {
			t.Errorf("zip cut at %d: no error", cut)
		}
	}
	tr := makeTar(t, tarEntry{hdr: tar.Header{Name: "a.txt"}, data: big}, tarEntry{hdr: tar.Header{Name: "b.txt"}, data: big})
	for _, cut := range []int{700, len(tr) / 2, 100} {
		ms, err := walk(t, tarOpener{}, "t.tar", tr[:cut], scanners.DefaultLimits)
		var readErr error
		for _, m := range ms {
			readErr = errors.Join(readErr, m.readErr)
		}
		if err == nil {
			t.Errorf("tar cut at %d: no walk error (read errors: %v)", cut, readErr)
		}
	}
	gz := gzipBytes(t, big)
	ms, err := walkSource(gzipOpener, scanners.Source{Reader: bytes.NewReader(gz[:len(gz)/2]), Size: -1}, scanners.DefaultLimits)
	if err != nil || len(ms) != 1 || !errors.Is(ms[0].readErr, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated gzip: %v / %+v", err, ms)
	}
}

func TestLyingCentralDirectory(t *testing.T) {
	z := makeZip(t, zipEntry{name: "a.txt", data: []byte("hello, central directory"), method: zip.Store})
	cd := bytes.Index(z, []byte("PK\x01\x02"))
	patch := func(off int, v uint32) []byte {
		b := bytes.Clone(z)
		binary.LittleEndian.PutUint32(b[cd+off:], v)
		return b
	}
	cases := []struct {
		name    string
		data    []byte
		memberE bool // Member.Err expected, else a read error
	}{
		{"crc", patch(16, 0xDEADBEEF), false},
		{"local header offset", patch(42, 1<<30), true},
		{"compressed size", patch(20, 1<<30), true},
		{"uncompressed size", patch(24, 3), false},
		{"local header offset into data", patch(42, 40), true},
	}
	for _, c := range cases {
		ms, err := walk(t, zipOpener{}, "l.zip", c.data, scanners.DefaultLimits)
		if err != nil {
			t.Errorf("%s: the whole zip refused: %v", c.name, err)
			continue
		}
		if len(ms) != 1 {
			t.Errorf("%s: %d members", c.name, len(ms))
			continue
		}
		if c.memberE && ms[0].err == nil {
			t.Errorf("%s: no member error (read %q, %v)", c.name, ms[0].data, ms[0].readErr)
		}
		if !c.memberE && ms[0].readErr == nil {
			t.Errorf("%s: no read error", c.name)
		}
	}
}

func TestPathTricks(t *testing.T) {
	names := []struct {
		raw, name string
		notice    bool
	}{
		{"../../etc/passwd", "../../etc/passwd", true},
		{"/etc/shadow", "/etc/shadow", true},
		{`C:\Windows\win.ini`, "C:/Windows/win.ini", true},
		{`dir\file.txt`, "dir/file.txt", true},
		{"a/../../b.txt", "a/../../b.txt", true},
		{"ok/file.txt", "ok/file.txt", false},
		{"ok/..hidden", "ok/..hidden", false},
	}
	var ze []zipEntry
	var te []tarEntry
	for _, n := range names {
		ze = append(ze, zipEntry{name: n.raw, data: []byte("x")})
		te = append(te, tarEntry{hdr: tar.Header{Name: n.raw}, data: []byte("x")})
	}
	for _, c := range []struct {
		op   scanners.Opener
		data []byte
	}{{zipOpener{}, makeZip(t, ze...)}, {tarOpener{}, makeTar(t, te...)}} {
		ms, err := walk(t, c.op, "p", c.data, scanners.DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", c.op.Kind(), err)
		}
		for _, n := range names {
			m := find(t, ms, n.name)
			if (m.notice != nil) != n.notice {
				t.Errorf("%s %q: notice %v", c.op.Kind(), n.raw, m.notice)
			}
			if n.notice && !strings.Contains(m.notice.Error(), n.raw) {
				t.Errorf("%s %q: notice %q does not show the name as written", c.op.Kind(), n.raw, m.notice)
			}
			if string(m.data) != "x" {
				t.Errorf("%s %q: content not read", c.op.Kind(), n.raw)
			}
		}
	}
}

func TestSymlinks(t *testing.T) {
	z := makeZip(t, zipEntry{name: "link", data: []byte("../../etc/passwd"), mode: fs.ModeSymlink | 0o777}, zipEntry{name: "file", data: []byte("f")})
	ms, err := walk(t, zipOpener{}, "s.zip", z, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if l := find(t, ms, "link"); l.notice == nil || !strings.Contains(l.notice.Error(), "symbolic link") || string(l.data) != "../../etc/passwd" {
		t.Errorf("zip symlink: notice %v data %q", l.notice, l.data)
	}
	if f := find(t, ms, "file"); f.notice != nil {
		t.Errorf("zip file: notice %v", f.notice)
	}
	tr := makeTar(t,
		tarEntry{hdr: tar.Header{Name: "sym", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}},
		tarEntry{hdr: tar.Header{Name: "hard", Typeflag: tar.TypeLink, Linkname: "file"}},
		tarEntry{hdr: tar.Header{Name: "dev", Typeflag: tar.TypeChar, Devmajor: 1, Devminor: 3}},
		tarEntry{hdr: tar.Header{Name: "fifo", Typeflag: tar.TypeFifo}},
		tarEntry{hdr: tar.Header{Name: "file"}, data: []byte("f")},
	)
	ms, err = walk(t, tarOpener{}, "s.tar", tr, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, want string }{{"sym", "symbolic link to /etc/passwd"}, {"hard", "hard link to file"}, {"dev", "device"}, {"fifo", "FIFO"}} {
		m := find(t, ms, c.name)
		if m.notice == nil || !strings.Contains(m.notice.Error(), c.want) || len(m.data) != 0 || m.readErr != nil {
			t.Errorf("tar %s: notice %v, %d bytes, %v", c.name, m.notice, len(m.data), m.readErr)
		}
	}
	if f := find(t, ms, "file"); f.notice != nil || string(f.data) != "f" {
		t.Errorf("tar file: %+v", f)
	}
}

func TestSevenZip(t *testing.T) {
	data := readTestdata(t, "sample.7z") // 7z a -ms=on: one solid stream
	op := identify(t, "s.7z", data, "7z")
	ms, err := walk(t, op, "s.7z", data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, data string }{
		{"docs/readme.txt", "hello archive\n"},
		{"docs/second.txt", "second file in a solid stream\n"},
	} {
		if m := find(t, ms, c.name); string(m.data) != c.data || m.readErr != nil {
			t.Errorf("%s: %q %v", c.name, m.data, m.readErr)
		}
	}
	if m := find(t, ms, "督促/延滞.csv"); !strings.Contains(string(m.data), "見本 太郎") {
		t.Errorf("督促/延滞.csv not read")
	}
	// Members skipped without opening still leave the later ones readable.
	var later string
	err = op.Walk(context.Background(), scanners.Source{At: bytes.NewReader(data), Size: int64(len(data))}, scanners.DefaultLimits, func(m scanners.Member) error {
		if m.Name == "docs/second.txt" {
			rc, err := m.Open()
			if err != nil {
				return err
			}
			b, err := io.ReadAll(rc)
			later = string(b)
			return err
		}
		return nil
	})
	if err != nil || later != "second file in a solid stream\n" {
		t.Errorf("skipping: %q, %v", later, err)
	}

	enc := readTestdata(t, "encrypted.7z") // 7z a -p
	ms, err = walk(t, sevenZipOpener{}, "e.7z", enc, scanners.DefaultLimits)
	if err != nil || len(ms) == 0 {
		t.Fatalf("encrypted.7z: %v, %d members", err, len(ms))
	}
	for _, m := range ms {
		if !errors.Is(m.err, scanners.ErrEncrypted) {
			t.Errorf("encrypted.7z %s: err %v", m.name, m.err)
		}
	}
	hdr := readTestdata(t, "encrypted-headers.7z") // 7z a -p -mhe=on
	_, err = walk(t, sevenZipOpener{}, "h.7z", hdr, scanners.DefaultLimits)
	if !errors.Is(err, scanners.ErrEncrypted) {
		t.Errorf("encrypted headers: %v", err)
	}
	// truncated
	if _, err := walk(t, sevenZipOpener{}, "t.7z", data[:len(data)/2], scanners.DefaultLimits); err == nil {
		t.Errorf("truncated 7z: no error")
	}
}

func TestISO(t *testing.T) {
	cases := []struct {
		file      string
		csv, docs string
	}{
		{"rr.iso.gz", "督促/延滞.csv", "docs/readme.txt"},     // genisoimage -R -J
		{"joliet.iso.gz", "督促/延滞.csv", "docs/readme.txt"}, // genisoimage -J
		{"plain.iso.gz", "", "DOCS/README.TXT"},           // genisoimage, 8.3 names
	}
	for _, c := range cases {
		data := gunzip(t, readTestdata(t, c.file))
		op := identify(t, c.file, data, "iso9660")
		ms, err := walk(t, op, c.file, data, scanners.DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if len(ms) != 3 {
			t.Errorf("%s: %d members", c.file, len(ms))
		}
		if m := find(t, ms, c.docs); string(m.data) != "hello archive\n" {
			t.Errorf("%s: %s = %q", c.file, c.docs, m.data)
		}
		if c.csv != "" {
			if m := find(t, ms, c.csv); !strings.Contains(string(m.data), "見本 太郎") {
				t.Errorf("%s: %s not read", c.file, c.csv)
			}
		}
		// cut images fail cleanly
		for _, cut := range []int{40 << 10, bytes.Index(data, []byte("hello archive")) + 5} {
			ms, err := walk(t, op, c.file, data[:cut], scanners.DefaultLimits)
			for _, m := range ms {
				err = errors.Join(err, m.err, m.readErr)
			}
			if err == nil {
				t.Errorf("%s cut at %d: no error", c.file, cut)
			}
		}
	}
}

func TestMemberReaderLifetime(t *testing.T) {
	data := makeTar(t, tarEntry{hdr: tar.Header{Name: "a"}, data: []byte("aaaa")}, tarEntry{hdr: tar.Header{Name: "b"}, data: []byte("bbbb")})
	var kept io.ReadCloser
	var open func() (io.ReadCloser, error)
	var second error
	err := tarOpener{}.Walk(context.Background(), scanners.Source{Reader: bytes.NewReader(data)}, scanners.DefaultLimits, func(m scanners.Member) error {
		if m.Name == "a" {
			rc, err := m.Open()
			if err != nil {
				return err
			}
			_, second = m.Open()
			kept, open = rc, m.Open
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if second == nil {
		t.Errorf("second Open succeeded")
	}
	if _, err := kept.Read(make([]byte, 4)); !errors.Is(err, errStale) {
		t.Errorf("read after the walk moved on: %v", err)
	}
	if _, err := open(); err == nil {
		t.Errorf("Open after the walk moved on succeeded")
	}
}

func TestDisplayName(t *testing.T) {
	for _, c := range []struct {
		in, out string
		notice  bool
	}{
		{"", "(unnamed)", false},
		{"a/b", "a/b", false},
		{"..", "..", true},
		{"d:x", "d:x", true},
		{"//server/share", "//server/share", true},
		{"a/./b", "a/./b", false},
	} {
		got, n := displayName("zip", c.in)
		if got != c.out || (n != nil) != c.notice {
			t.Errorf("displayName(%q) = %q, %v", c.in, got, n)
		}
	}
	if got := decodeName("\xff\xfe"); got != "\uFFFD\uFFFD" && got != "\uFFFD" {
		t.Errorf("decodeName(bad) = %q", got)
	}
}

func TestXzDict(t *testing.T) {
	data := readTestdata(t, "hello.txt.xz")
	d, ok := xzFirstDict(data)
	if !ok || d < 1<<20 || d > 64<<20 {
		t.Fatalf("xzFirstDict = %d, %v", d, ok)
	}
	// A header asking for a 4 GiB dictionary is refused before allocating.
	big := bytes.Clone(data)
	// find the LZMA2 filter (id 0x21, props size 1) in the block header
	i := bytes.Index(big[12:], []byte{0x21, 0x01}) + 12
	big[i+2] = 40
	_, err := walkSource(xzOpener, scanners.Source{Reader: bytes.NewReader(big), Size: -1}, scanners.DefaultLimits)
	if !errors.Is(err, scanners.ErrLimit) {
		t.Fatalf("4 GiB dictionary: %v", err)
	}
}

func BenchmarkWalk(b *testing.B) {
	var tb bytes.Buffer
	x := uint32(1)
	for tb.Len() < 8<<20 {
		x = x*1664525 + 1013904223
		fmt.Fprintf(&tb, "%d\t見本 %c郎\t000-%04d-%04d\n", x%100000, rune(0x4E00+x%2000), x%10000, (x>>8)%10000)
	}
	text := tb.Bytes()
	for _, c := range []struct {
		name string
		op   scanners.Opener
		data []byte
	}{
		{"zip", zipOpener{}, makeZip(b, zipEntry{name: "a.tsv", data: text, method: zip.Deflate})},
		{"tar", tarOpener{}, makeTar(b, tarEntry{hdr: tar.Header{Name: "a.tsv"}, data: text})},
		{"gzip", gzipOpener, gzipBytes(b, text)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				ms, err := walk(b, c.op, "b", c.data, scanners.DefaultLimits)
				if err != nil || len(ms) != 1 || len(ms[0].data) != len(text) {
					b.Fatal(err)
				}
			}
		})
	}
}
