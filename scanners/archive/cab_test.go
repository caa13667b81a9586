package archive

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rouei/rouei/scanners"
)

// The gcab-made fixtures live with the format reader.
func readCABFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "cab", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type cabTestFile struct {
	name string // raw name bytes
	data []byte
	attr uint16
}

// makeCAB writes a cabinet of one folder (typ 0 stored, 1 MSZIP, or any
// other type with the data stored as is) holding files in order, without
// checksums. order, when given, lists the file table's order as indices
// into files (the data stays in files' order).
func makeCAB(t testing.TB, typ uint16, order []int, files ...cabTestFile) []byte {
	t.Helper()
	le := binary.LittleEndian
	var stream []byte
	offsets := make([]int, len(files))
	for i, f := range files {
		offsets[i] = len(stream)
		stream = append(stream, f.data...)
	}
	if order == nil {
		for i := range files {
			order = append(order, i)
		}
	}
	var ftab bytes.Buffer
	for _, i := range order {
		f := files[i]
		var b [16]byte
		le.PutUint32(b[0:], uint32(len(f.data)))
		le.PutUint32(b[4:], uint32(offsets[i]))
		le.PutUint16(b[14:], f.attr)
		ftab.Write(b[:])
		ftab.WriteString(f.name)
		ftab.WriteByte(0)
	}
	var data bytes.Buffer
	var hist []byte
	nblocks := 0
	for off := 0; off < len(stream); off += 32768 {
		chunk := stream[off:min(off+32768, len(stream))]
		block := chunk
		if typ == 1 {
			var buf bytes.Buffer
			buf.WriteString("CK")
			fw, _ := flate.NewWriterDict(&buf, flate.BestCompression, hist)
			fw.Write(chunk)
			fw.Close()
			block = buf.Bytes()
			hist = chunk
		}
		var h [8]byte
		le.PutUint16(h[4:], uint16(len(block)))
		le.PutUint16(h[6:], uint16(len(chunk)))
		data.Write(h[:])
		data.Write(block)
		nblocks++
	}
	filesOff := 36 + 8
	dataOff := filesOff + ftab.Len()
	out := make([]byte, 36+8)
	copy(out, "MSCF")
	le.PutUint32(out[16:], uint32(filesOff))
	le.PutUint16(out[24:], 0x0103)
	le.PutUint16(out[26:], 1)
	le.PutUint16(out[28:], uint16(len(files)))
	le.PutUint32(out[36:], uint32(dataOff))
	le.PutUint16(out[40:], uint16(nblocks))
	le.PutUint16(out[42:], typ)
	out = append(out, ftab.Bytes()...)
	out = append(out, data.Bytes()...)
	le.PutUint32(out[8:], uint32(len(out)))
	return out
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestCABIdentify(t *testing.T) {
	for name := range cabFixtureMembers {
		if !identifyCAB(readCABFixture(t, name)) {
			t.Errorf("%s not identified", name)
		}
	}
	good := makeCAB(t, 0, nil, cabTestFile{name: "a", data: []byte("a")})
	if !identifyCAB(good) {
		t.Error("written cabinet not identified")
	}
	for name, b := range map[string][]byte{
		"text":      []byte("MSCF is an abbreviation used in this text, which goes on and on."),
		"short":     good[:30],
		"reserved1": append(append([]byte{}, good[:4]...), append([]byte{1}, good[5:]...)...),
		"version":   append(append([]byte{}, good[:25]...), append([]byte{2}, good[26:]...)...),
		"flags":     append(append([]byte{}, good[:30]...), append([]byte{0x10}, good[31:]...)...),
	} {
		if identifyCAB(b) {
			t.Errorf("%s identified as a cabinet", name)
		}
	}
}

// The members of the gcab fixtures, with the SHA-256 of what gcab -x
// extracted (see scanners/cab's tests).
var cabFixtureMembers = map[string]map[string]string{
	"mszip.cab": {
		"patrons.csv":     "fb412bdcd80dd8c64ceeaff522e623545dcf7a40ef88b7dbf37f69de61b96b9e",
		"readme.txt":      "836ab406b43ce4b832451dbfced48e76a1cef0c1e21dc06f474c46979488657d",
		"blob.bin":        "7277269688b343bc211f2ef7049d57671e53daa557d071cca1da0d464fb73613",
		"docs/notes.txt":  "1534d95c92afe52a69eb1899940fb08ef88cea01a1dce77c1db934a36de6727d",
		"docs/access.log": "784fc2e1e7ce5edcec8c90570b68e73f191ab11bc68c1096eed61dffaea33280",
		"延滞者一覧.txt":       "e0509afac80fc5c03137d5a93dac44c3a2057fe6164278706df1dac1e4af67c6",
	},
	"mszip-dict-cp932.cab": { // a CP932 name, no UTF-8 attribute
		"督促/延滞者リスト.csv":   "fb412bdcd80dd8c64ceeaff522e623545dcf7a40ef88b7dbf37f69de61b96b9e",
		"logs/access.log": "bb07ec6b13c33d1bca7a4e46fb866e56a6a8a7842f41cba6d51b4c2a66855241",
	},
	"stored.cab": {
		"readme.txt":     "836ab406b43ce4b832451dbfced48e76a1cef0c1e21dc06f474c46979488657d",
		"big.bin":        "24dbc81afafd859230c61cc0d0c9394294d1c4f596ca83bde5b2bfdaa8bb3a32",
		"docs/notes.txt": "1534d95c92afe52a69eb1899940fb08ef88cea01a1dce77c1db934a36de6727d",
	},
}

func TestCABWalk(t *testing.T) {
	for cabName, want := range cabFixtureMembers {
		ms, err := walk(t, cabOpener{}, cabName, readCABFixture(t, cabName), scanners.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", cabName, err)
		}
		if len(ms) != len(want) {
			t.Fatalf("%s: %d members, want %d", cabName, len(ms), len(want))
		}
		for name, sum := range want {
			m := find(t, ms, name)
			if m.err != nil || m.notice != nil || m.readErr != nil {
				t.Errorf("%s: %s: err %v notice %v read %v", cabName, name, m.err, m.notice, m.readErr)
			}
			if sha(m.data) != sum || m.size != int64(len(m.data)) {
				t.Errorf("%s: %s: %d bytes (size %d) differ from gcab -x", cabName, name, len(m.data), m.size)
			}
		}
	}
}

func TestCABNames(t *testing.T) {
	data := makeCAB(t, 1, nil,
		cabTestFile{name: sjis(t, `督促\延滞者.csv`), data: []byte("a,b\r\n")},
		cabTestFile{name: `利用者\一覧.txt`, data: []byte("utf-8 name without the attribute")},
		cabTestFile{name: `フラグ付き.txt`, data: []byte("x"), attr: 0xA0},
		cabTestFile{name: `..\..\Windows\evil.dll`, data: []byte("x")},
		cabTestFile{name: `C:\boot.ini`, data: []byte("x")},
		cabTestFile{name: `\root.txt`, data: []byte("x")},
		cabTestFile{name: "bad\xff\xfe", data: []byte("x"), attr: 0x80},
	)
	ms, err := walk(t, cabOpener{}, "names.cab", data, scanners.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		notice bool
	}{
		{"督促/延滞者.csv", false},
		{"利用者/一覧.txt", false},
		{"フラグ付き.txt", false},
		{"../../Windows/evil.dll", true},
		{"C:/boot.ini", true},
		{"/root.txt", true},
		{"bad\uFFFD", false},
	} {
		m := find(t, ms, tc.name)
		if (m.notice != nil) != tc.notice {
			t.Errorf("%s: notice %v", tc.name, m.notice)
		}
		if m.err != nil || m.readErr != nil || len(m.data) == 0 {
			t.Errorf("%s: %v %v", tc.name, m.err, m.readErr)
		}
	}
	if m := find(t, ms, "督促/延滞者.csv"); string(m.data) != "a,b\r\n" {
		t.Errorf("CP932-named member's content %q", m.data)
	}
}

// walkSome yields every member and reads only those pick says, and only
// their first limit bytes (all when limit < 0).
func walkSome(t *testing.T, data []byte, pick func(i int) bool, limit int64) map[string][]byte {
	t.Helper()
	src := scanners.Source{Name: "t.cab", At: bytes.NewReader(data), Reader: bytes.NewReader(data), Size: int64(len(data))}
	out := map[string][]byte{}
	i := 0
	err := cabOpener{}.Walk(context.Background(), src, scanners.Limits{}, func(m scanners.Member) error {
		defer func() { i++ }()
		if !pick(i) || m.Err != nil {
			return nil
		}
		rc, err := m.Open()
		if err != nil {
			return err
		}
		var r io.Reader = rc
		if limit >= 0 {
			r = io.LimitReader(rc, limit)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		out[m.Name] = b
		return rc.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCABSkippedAndOutOfOrder(t *testing.T) {
	files := []cabTestFile{
		{name: "a", data: bytes.Repeat([]byte("aaaa\n"), 20000)},
		{name: "b", data: bytes.Repeat([]byte("bbbbbbb\n"), 9000)},
		{name: "c", data: bytes.Repeat([]byte("cc\n"), 30000)},
		{name: "d", data: []byte("dd")},
	}
	for _, typ := range []uint16{0, 1} {
		for _, order := range [][]int{nil, {2, 0, 3, 1}} {
			data := makeCAB(t, typ, order, files...)
			// every other member, read whole
			got := walkSome(t, data, func(i int) bool { return i%2 == 1 }, -1)
			if len(got) != 2 {
				t.Fatalf("type %d order %v: %d members read", typ, order, len(got))
			}
			for name, b := range got {
				if !bytes.Equal(b, files[name[0]-'a'].data) {
					t.Errorf("type %d order %v: %s differs (%d bytes)", typ, order, name, len(b))
				}
			}
			// all members, each read only in part
			got = walkSome(t, data, func(int) bool { return true }, 10)
			for name, b := range got {
				f := files[name[0]-'a'].data
				if !bytes.Equal(b, f[:min(10, len(f))]) {
					t.Errorf("type %d order %v: start of %s differs", typ, order, name)
				}
			}
		}
	}
}

func TestCABUnsupported(t *testing.T) {
	data := makeCAB(t, 0x1503, nil, cabTestFile{name: "setup.dll", data: []byte("not really LZX")})
	ms, err := walk(t, cabOpener{}, "lzx.cab", data, scanners.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].err == nil || !strings.Contains(ms[0].err.Error(), "unsupported compression") || !strings.Contains(ms[0].err.Error(), "LZX") {
		t.Fatalf("LZX member: %+v", ms)
	}
}

func TestCABLimits(t *testing.T) {
	// a folder of zeros expands far more than 200 times
	bomb := makeCAB(t, 1, nil, cabTestFile{name: "zeros", data: make([]byte, 4<<20)})
	ms, err := walk(t, cabOpener{}, "bomb.cab", bomb, scanners.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || !errors.Is(ms[0].err, scanners.ErrLimit) {
		t.Fatalf("ratio bomb: %+v", ms)
	}
	// the same with a generous ratio reads
	ms, err = walk(t, cabOpener{}, "bomb.cab", bomb, scanners.Limits{MaxRatio: 1 << 20})
	if err != nil || ms[0].err != nil || ms[0].readErr != nil || len(ms[0].data) != 4<<20 {
		t.Fatalf("generous ratio: %v, %v, %v", err, ms[0].err, ms[0].readErr)
	}

	data := readCABFixture(t, "mszip.cab")
	ms, err = walk(t, cabOpener{}, "mszip.cab", data, scanners.Limits{MaxMemberBytes: 100000})
	if err != nil {
		t.Fatal(err)
	}
	if m := find(t, ms, "docs/access.log"); !errors.Is(m.err, scanners.ErrLimit) {
		t.Errorf("member over MaxMemberBytes: %v", m.err)
	}
	if m := find(t, ms, "readme.txt"); m.err != nil || m.readErr != nil {
		t.Errorf("small member: %v %v", m.err, m.readErr)
	}
	if _, err := walk(t, cabOpener{}, "mszip.cab", data, scanners.Limits{MaxMembers: 3}); !errors.Is(err, scanners.ErrLimit) {
		t.Errorf("MaxMembers: %v", err)
	}
	if _, err := walk(t, cabOpener{}, "mszip.cab", data, scanners.Limits{MaxArchiveBytes: 100000}); !errors.Is(err, scanners.ErrLimit) {
		t.Errorf("MaxArchiveBytes: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := scanners.Source{Name: "c", At: bytes.NewReader(data), Size: int64(len(data))}
	if err := (cabOpener{}).Walk(ctx, src, scanners.Limits{}, func(scanners.Member) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestCABCorrupt(t *testing.T) {
	data := readCABFixture(t, "mszip.cab")
	if _, err := walk(t, cabOpener{}, "x", data[:40], scanners.Limits{}); err == nil || !strings.HasPrefix(err.Error(), "archive: cab: ") {
		t.Errorf("header cut: %v", err)
	}
	// cut in the data: the members before the cut read, the others fail
	ms, err := walk(t, cabOpener{}, "x", data[:len(data)/2], scanners.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m := find(t, ms, "patrons.csv"); m.err != nil || m.readErr != nil || sha(m.data) != cabFixtureMembers["mszip.cab"]["patrons.csv"] {
		t.Errorf("member before the cut: %v %v", m.err, m.readErr)
	}
	if m := find(t, ms, "延滞者一覧.txt"); m.err == nil {
		t.Error("member after the cut has no error")
	}
}

// FuzzCABWalk walks arbitrary bytes as a cabinet and checks what the
// walk yields stays within the limits.
func FuzzCABWalk(f *testing.F) {
	for name := range cabFixtureMembers {
		f.Add(readCABFixture(f, name))
	}
	f.Add(makeCAB(f, 1, []int{1, 0}, cabTestFile{name: sjis(f, `督促\a.csv`), data: []byte("a,b\n")}, cabTestFile{name: `..\x`, data: make([]byte, 40000)}))
	f.Fuzz(func(t *testing.T, data []byte) {
		src := scanners.Source{Name: "fuzz", Reader: bytes.NewReader(data), At: bytes.NewReader(data), Size: int64(len(data))}
		members := 0
		var total int64
		_ = cabOpener{}.Walk(context.Background(), src, fuzzLimits, func(m scanners.Member) error {
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
			if n > m.Size || n > fuzzLimits.MaxMemberBytes+64<<10 {
				t.Fatalf("member %q gave %d bytes of %d", m.Name, n, m.Size)
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
