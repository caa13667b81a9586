package lzh

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// content is the expected expansion of one fixture member: its size and
// SHA-256 as extracted by lhasa 0.3.1 (Debian) from the same archives.
type content struct {
	size int64
	sha  string
}

var contents = map[string]content{
	"patrons.csv": {8453, "eb07f5af5acd7d2766b2c07ddf0e44cf3f624099384a762eb103672252c413de"},
	"blob.bin":    {9000, "bbb6d379b421da6eccedb8702cc285acb94928d40864c7a9723d14b0dd3edce5"},
	"tiny.txt":    {3, "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4"},
	"empty.txt":   {0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	"note.txt":    {1800, "b55ff868424de6d1795850a834770001bf433b23f5230ee3913450cc99e13ef3"},
	"far.bin":     {49404, "eda2fd719eb0007f04ad5933422ad3599949a970fdb6f1f234103a27fd2d1a14"},
	"督促一覧.csv":    {6641, "83d00c3b6bd86ab9e98dbbb7325552d9a50f4f76d73ce58804967f63d9b641dd"},
}

// sjisName is 督促一覧.csv in CP932, as jlha's "y" option stores it.
const sjisName = "\x93\xc2\x91\xa3\x88\xea\x97\x97.csv"

// entry is one member expected in a fixture: its raw name, method, and
// the key in contents ("" for a directory).
type entry struct {
	name, method, content string
}

// fixtureEntries lists a fixture's members; sep is how the archiver
// separated directories at that header level.
func fixtureEntries(sep, lz string) []entry {
	return []entry{
		{"patrons.csv", lz, "patrons.csv"},
		{"blob.bin", lz, "blob.bin"},
		{"tiny.txt", "-lh0-", "tiny.txt"},
		{"empty.txt", "-lh0-", "empty.txt"},
		{"docs" + sep, "-lhd-", ""},
		{"docs" + sep + "sub" + sep, "-lhd-", ""},
		{"docs" + sep + "sub" + sep + "note.txt", lz, "note.txt"},
		{"far.bin", lz, "far.bin"},
		{sjisName, lz, "督促一覧.csv"},
	}
}

var fixtures = []struct {
	file    string
	level   int
	entries []entry
}{
	{"lh0-level1.lzh", 1, []entry{
		{"tiny.txt", "-lh0-", "tiny.txt"},
		{sjisName, "-lh0-", "督促一覧.csv"},
		{"docs/", "-lhd-", ""},
		{"docs/sub/", "-lhd-", ""},
		{"docs/sub/note.txt", "-lh0-", "note.txt"},
	}},
	{"lh5-level0.lzh", 0, fixtureEntries(`\`, "-lh5-")},
	{"lh6-level1.lzh", 1, fixtureEntries("/", "-lh6-")},
	{"lh7-level2.lzh", 2, fixtureEntries("/", "-lh7-")},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// member is what readAll got for one member.
type member struct {
	hdr     *Header
	data    []byte
	readErr error
}

// readAll reads every member of an archive whole (with small reads, to
// exercise the streaming) and returns the error that ended it (nil at
// io.EOF).
func readAll(data []byte, bufSize int) ([]member, error) {
	r := NewReader(bytes.NewReader(data))
	var out []member
	buf := make([]byte, bufSize)
	for {
		h, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		m := member{hdr: h}
		for {
			n, err := r.Read(buf)
			m.data = append(m.data, buf[:n]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				m.readErr = err
				break
			}
		}
		out = append(out, m)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestFixtures(t *testing.T) {
	for _, fx := range fixtures {
		for _, bufSize := range []int{1, 7, 4096, 1 << 17} {
			ms, err := readAll(readFixture(t, fx.file), bufSize)
			if err != nil {
				t.Fatalf("%s: %v", fx.file, err)
			}
			if len(ms) != len(fx.entries) {
				t.Fatalf("%s: %d members, want %d", fx.file, len(ms), len(fx.entries))
			}
			for i, want := range fx.entries {
				m := ms[i]
				h := m.hdr
				if h.Name != want.name || h.Method != want.method || h.Level != fx.level {
					t.Errorf("%s #%d: %q %s level %d, want %q %s level %d", fx.file, i, h.Name, h.Method, h.Level, want.name, want.method, fx.level)
				}
				if h.IsDir != (want.content == "") {
					t.Errorf("%s #%d: IsDir %v", fx.file, i, h.IsDir)
				}
				if !h.ModTime.Equal(time.Date(2010, 5, 1, 12, 0, 0, 0, time.UTC)) {
					t.Errorf("%s #%d: ModTime %v", fx.file, i, h.ModTime)
				}
				if m.readErr != nil {
					t.Errorf("%s #%d (buffer %d): %v", fx.file, i, bufSize, m.readErr)
					continue
				}
				if want.content == "" {
					if len(m.data) != 0 {
						t.Errorf("%s #%d: directory gave %d bytes", fx.file, i, len(m.data))
					}
					continue
				}
				c := contents[want.content]
				if h.Size != c.size || int64(len(m.data)) != c.size || sha(m.data) != c.sha {
					t.Errorf("%s #%d (buffer %d): %d bytes (header %d), sha %s; want %d bytes, lhasa's sha %s",
						fx.file, i, bufSize, len(m.data), h.Size, sha(m.data)[:12], c.size, c.sha[:12])
				}
			}
		}
	}
}

// TestSkipUnread reads only some members (and parts of members): Next
// must skip the rest and the members after must still be right.
func TestSkipUnread(t *testing.T) {
	for _, fx := range fixtures {
		r := NewReader(bytes.NewReader(readFixture(t, fx.file)))
		for i, want := range fx.entries {
			h, err := r.Next()
			if err != nil {
				t.Fatalf("%s #%d: %v", fx.file, i, err)
			}
			if h.Name != want.name {
				t.Fatalf("%s #%d: %q, want %q", fx.file, i, h.Name, want.name)
			}
			switch i % 3 {
			case 0: // skipped whole
			case 1: // partly read
				if _, err := io.CopyN(io.Discard, r, 100); err != nil && err != io.EOF {
					t.Fatalf("%s #%d: %v", fx.file, i, err)
				}
			case 2:
				b, err := io.ReadAll(r)
				if err != nil {
					t.Fatalf("%s #%d: %v", fx.file, i, err)
				}
				if want.content != "" && sha(b) != contents[want.content].sha {
					t.Errorf("%s #%d: wrong data after skipping", fx.file, i)
				}
			}
		}
		if _, err := r.Next(); err != io.EOF {
			t.Errorf("%s: after the last member: %v, want io.EOF", fx.file, err)
		}
		if _, err := r.Next(); err != io.EOF {
			t.Errorf("%s: Next after io.EOF: %v, want io.EOF again", fx.file, err)
		}
	}
}

// header builds one member's header at a level (0 to 3). For levels 0
// and 1 the name goes in the base header, for 2 and 3 in extended headers
// (with dir, if any, in a directory-name header).
type hdrSpec struct {
	level      int
	method     string
	name, dir  string
	size, comp int64 // comp: data bytes that follow
	crc        uint16
	os         byte
	ext        [][]byte // extra extended headers (type byte first)
}

func (s hdrSpec) bytes(t testing.TB) []byte {
	t.Helper()
	le16 := func(b []byte, v int) []byte { return binary.LittleEndian.AppendUint16(b, uint16(v)) }
	le32 := func(b []byte, v int64) []byte { return binary.LittleEndian.AppendUint32(b, uint32(v)) }
	exts := append([][]byte(nil), s.ext...)
	if s.level >= 1 && s.dir != "" {
		exts = append(exts, append([]byte{0x02}, s.dir...))
	}
	if s.level >= 2 {
		exts = append([][]byte{append([]byte{0x01}, s.name...)}, exts...)
	}
	switch s.level {
	case 0, 1:
		b := []byte{0, 0}
		b = append(b, s.method...)
		extLen := 0
		for _, e := range exts {
			extLen += len(e) + 2
		}
		b = le32(b, s.comp+int64(extLen)*int64(s.level))
		b = le32(b, s.size)
		b = le32(b, 0x3CA16000) // 2010-05-01 12:00:00
		b = append(b, 0x20, byte(s.level), byte(len(s.name)))
		b = append(b, s.name...)
		b = le16(b, int(s.crc))
		if s.level == 1 {
			b = append(b, s.os)
			if len(exts) > 0 {
				b = le16(b, len(exts[0])+2)
			} else {
				b = le16(b, 0)
			}
		}
		b[0] = byte(len(b) - 2)
		var sum byte
		for _, c := range b[2:] {
			sum += c
		}
		b[1] = sum
		if s.level == 1 {
			for i, e := range exts {
				b = append(b, e...)
				if i+1 < len(exts) {
					b = le16(b, len(exts[i+1])+2)
				} else {
					b = le16(b, 0)
				}
			}
		}
		return b
	case 2:
		b := []byte{0, 0}
		b = append(b, s.method...)
		b = le32(b, s.comp)
		b = le32(b, s.size)
		b = le32(b, 1272715200)
		b = append(b, 0x20, 2)
		b = le16(b, int(s.crc))
		b = append(b, s.os)
		for _, e := range exts {
			b = le16(b, len(e)+2)
			b = append(b, e...)
		}
		b = le16(b, 0)
		binary.LittleEndian.PutUint16(b, uint16(len(b)))
		return b
	case 3:
		b := []byte{4, 0}
		b = append(b, s.method...)
		b = le32(b, s.comp)
		b = le32(b, s.size)
		b = le32(b, 1272715200)
		b = append(b, 0x20, 3)
		b = le16(b, int(s.crc))
		b = append(b, s.os)
		b = le32(b, 0) // total, below
		for _, e := range exts {
			b = le32(b, int64(len(e)+4))
			b = append(b, e...)
		}
		b = le32(b, 0)
		binary.LittleEndian.PutUint32(b[24:], uint32(len(b)))
		return b
	}
	t.Fatalf("level %d", s.level)
	return nil
}

// stored is a stored member's header and data.
func stored(t testing.TB, level int, name string, data []byte) []byte {
	s := hdrSpec{level: level, method: "-lh0-", name: name, size: int64(len(data)), comp: int64(len(data)), crc: crc16(0, data), os: 'M'}
	return append(s.bytes(t), data...)
}

func TestCRC16(t *testing.T) {
	// CRC-16/ARC check value
	if got := crc16(0, []byte("123456789")); got != 0xBB3D {
		t.Fatalf("crc16 = %04x, want bb3d", got)
	}
}

func TestLevels(t *testing.T) {
	data := []byte("利用者番号,氏名\n1,架空 太郎\n")
	for level := range 4 {
		var a []byte
		a = append(a, stored(t, level, "a.csv", data)...)
		s := hdrSpec{level: level, method: "-lh0-", name: "b.txt", dir: "x\xffy\xff", size: 2, comp: 2, crc: crc16(0, []byte("ok")), os: 'M',
			ext: [][]byte{{0x7E, 1, 2, 3}, {0x54, 0x40, 0xB0, 0xDB, 0x4B}}} // an unknown header, a Unix time
		a = append(a, s.bytes(t)...)
		a = append(a, "ok"...)
		a = append(a, 0) // end of archive
		a = append(a, "trailing junk"...)
		ms, err := readAll(a, 5)
		if err != nil {
			t.Fatalf("level %d: %v", level, err)
		}
		if len(ms) != 2 {
			t.Fatalf("level %d: %d members", level, len(ms))
		}
		if ms[0].hdr.Name != "a.csv" || !bytes.Equal(ms[0].data, data) || ms[0].readErr != nil {
			t.Errorf("level %d: first member %q %q %v", level, ms[0].hdr.Name, ms[0].data, ms[0].readErr)
		}
		wantName := "b.txt"
		if level > 0 {
			wantName = "x/y/b.txt"
		}
		if ms[1].hdr.Name != wantName || string(ms[1].data) != "ok" || ms[1].readErr != nil {
			t.Errorf("level %d: second member %q %q %v", level, ms[1].hdr.Name, ms[1].data, ms[1].readErr)
		}
		if ms[1].hdr.Level != level || ms[1].hdr.OS != 'M' && level > 0 {
			t.Errorf("level %d: header says level %d OS %q", level, ms[1].hdr.Level, ms[1].hdr.OS)
		}
		if level == 1 && ms[1].hdr.ModTime.Unix() != 0x4BDBB040 {
			t.Errorf("level 1: Unix time header ignored: %v", ms[1].hdr.ModTime)
		}
	}
}

func TestSymlink(t *testing.T) {
	s := hdrSpec{level: 2, method: "-lhd-", name: "link|target/file", os: 'U'}
	ms, err := readAll(s.bytes(t), 16)
	if err != nil || len(ms) != 1 {
		t.Fatalf("%d members, %v", len(ms), err)
	}
	h := ms[0].hdr
	if !h.IsSymlink || h.IsDir || h.Name != "link" || h.Linkname != "target/file" {
		t.Errorf("got %+v", h)
	}
}

func TestUnsupportedMethodSkipped(t *testing.T) {
	var a []byte
	s := hdrSpec{level: 1, method: "-lh1-", name: "old.txt", size: 100, comp: 7}
	a = append(a, s.bytes(t)...)
	a = append(a, "1234567"...)
	a = append(a, stored(t, 2, "next.txt", []byte("next"))...)
	ms, err := readAll(a, 64)
	if err != nil || len(ms) != 2 {
		t.Fatalf("%d members, %v", len(ms), err)
	}
	if !errors.Is(ms[0].readErr, ErrUnsupported) || !strings.Contains(ms[0].readErr.Error(), "-lh1-") {
		t.Errorf("unsupported member: %v", ms[0].readErr)
	}
	if MethodSupported("-lh1-") || !MethodSupported("-lh7-") {
		t.Error("MethodSupported")
	}
	if string(ms[1].data) != "next" || ms[1].readErr != nil {
		t.Errorf("member after it: %q %v", ms[1].data, ms[1].readErr)
	}
}

func TestChecksumMismatch(t *testing.T) {
	for _, fx := range []string{"lh5-level0.lzh", "lh7-level2.lzh", "lh0-level1.lzh"} {
		a := readFixture(t, fx)
		// the first member's data CRC is in its header: change it
		var at int
		switch a[20] {
		case 0, 1:
			at = 22 + int(a[21])
		case 2:
			at = 21
		}
		a[at] ^= 0x55
		if a[20] < 2 { // keep the header checksum right
			var sum byte
			for _, c := range a[2 : int(a[0])+2] {
				sum += c
			}
			a[1] = sum
		} else {
			fixHeaderCRC(t, a)
		}
		ms, err := readAll(a, 4096)
		if err != nil {
			t.Fatalf("%s: %v", fx, err)
		}
		if !errors.Is(ms[0].readErr, ErrChecksum) {
			t.Errorf("%s: first member: %v, want ErrChecksum", fx, ms[0].readErr)
		}
		if ms[1].readErr != nil {
			t.Errorf("%s: second member: %v", fx, ms[1].readErr)
		}
	}
}

// fixHeaderCRC recomputes the header CRC of a level 2 header at the start
// of a.
func fixHeaderCRC(t testing.TB, a []byte) {
	t.Helper()
	total := int(binary.LittleEndian.Uint16(a))
	pos, next := 26, int(binary.LittleEndian.Uint16(a[24:]))
	for next != 0 {
		if a[pos] == 0 {
			a[pos+1], a[pos+2] = 0, 0
			binary.LittleEndian.PutUint16(a[pos+1:], crc16(0, a[:total]))
			return
		}
		pos += next
		next = int(binary.LittleEndian.Uint16(a[pos-2:]))
	}
	t.Fatal("no header CRC")
}

func TestHeaderErrors(t *testing.T) {
	good := readFixture(t, "lh7-level2.lzh")
	lvl0 := readFixture(t, "lh5-level0.lzh")
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"level 0 checksum", func() []byte { b := bytes.Clone(lvl0); b[1]++; return b }(), ErrHeader},
		{"level 2 header CRC", func() []byte { b := bytes.Clone(good); b[33]++; return b }(), ErrHeader},
		{"unknown level", func() []byte { b := bytes.Clone(good); b[20] = 4; return b }(), ErrHeader},
		{"not a method", func() []byte { b := bytes.Clone(good); b[2] = 'x'; return b }(), ErrHeader},
		{"truncated header", good[:15], io.ErrUnexpectedEOF},
		{"truncated level 2 header", good[:30], io.ErrUnexpectedEOF},
		{"tiny level 2 header", func() []byte { b := bytes.Clone(good); b[0], b[1] = 10, 0; return b }(), ErrHeader},
		{"level 2 ext past the header", func() []byte { b := bytes.Clone(good); b[24] = 0xF0; return b }(), ErrHeader},
		{"level 3 word size", func() []byte { b := hdrSpec{level: 3, method: "-lh0-", name: "a"}.bytes(t); b[0] = 2; return b }(), ErrHeader},
		{"level 3 huge header", func() []byte {
			b := hdrSpec{level: 3, method: "-lh0-", name: "a"}.bytes(t)
			binary.LittleEndian.PutUint32(b[24:], 1<<31)
			return b
		}(), ErrHeader},
		{"level 1 ext past the data", func() []byte {
			s := hdrSpec{level: 1, method: "-lh0-", name: "a", ext: [][]byte{{0x7E, 1, 2, 3}}}
			b := s.bytes(t)
			b[7] = 2 // compressed size below the extended headers' 6 bytes
			b[1] -= 4
			return b
		}(), ErrHeader},
	}
	for _, tc := range tests {
		ms, err := readAll(tc.data, 4096)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %d members, error %v, want %v", tc.name, len(ms), err, tc.want)
		}
	}
}

func TestTruncatedData(t *testing.T) {
	for _, fx := range fixtures {
		a := readFixture(t, fx.file)
		for _, cut := range []int{len(a) / 3, len(a) / 2, len(a) - 2} {
			ms, err := readAll(a[:cut], 4096)
			failed := err != nil
			for _, m := range ms {
				if m.readErr != nil {
					failed = true
					if !errors.Is(m.readErr, io.ErrUnexpectedEOF) && !errors.Is(m.readErr, ErrCorrupt) && !errors.Is(m.readErr, ErrChecksum) {
						t.Errorf("%s cut at %d: member error %v", fx.file, cut, m.readErr)
					}
				}
			}
			if !failed {
				t.Errorf("%s cut at %d: %d members and no error", fx.file, cut, len(ms))
			}
		}
	}
}

// TestCorruptData flips bytes inside compressed data: every result must be
// an error (or, rarely, data that still matches its CRC), never a panic.
func TestCorruptData(t *testing.T) {
	a := readFixture(t, "lh7-level2.lzh")
	errs := 0
	for off := 60; off < len(a); off += 97 {
		b := bytes.Clone(a)
		b[off] ^= 0xA5
		ms, err := readAll(b, 4096)
		if err != nil {
			errs++
			continue
		}
		for _, m := range ms {
			if m.readErr != nil {
				errs++
			}
		}
	}
	if errs == 0 {
		t.Fatal("no corruption was noticed")
	}
}

// TestHostileTables feeds compressed data with bad table sizes and code
// lengths directly.
func TestHostileTables(t *testing.T) {
	tests := []struct {
		name string
		bits string // bit string of the compressed data
	}{
		{"empty block", "0000000000000000"},
		{"too many t lengths", "0000000000000001" + "11111"},
		{"t single out of range", "0000000000000001" + "00000" + "11111"},
		{"t length over 16", "0000000000000001" + "00011" + "111" + strings.Repeat("1", 20)},
		{"over-subscribed t", "0000000000000001" + "00011" + "001" + "001" + "001" + "00"},
		{"too many c lengths", "0000000000000001" + "00000" + "00000" + "111111111"},
		{"c single out of range", "0000000000000001" + "00000" + "00000" + "000000000" + "111111111"},
		{"c run past 510", "0000000000000001" + "00000" + "00010" + "111111110" + "111111111"},
		{"too many p lengths", "0000000000000001" + "00000" + "00000" + "000000000" + "001000001" + "11111"},
	}
	for _, tc := range tests {
		data := bitsToBytes(tc.bits)
		s := hdrSpec{level: 2, method: "-lh7-", name: "x", size: 1000, comp: int64(len(data))}
		a := append(s.bytes(t), data...)
		ms, err := readAll(a, 4096)
		if err != nil || len(ms) != 1 {
			t.Fatalf("%s: %d members, %v", tc.name, len(ms), err)
		}
		if !errors.Is(ms[0].readErr, ErrCorrupt) && !errors.Is(ms[0].readErr, io.ErrUnexpectedEOF) {
			t.Errorf("%s: %v (%d bytes)", tc.name, ms[0].readErr, len(ms[0].data))
		}
	}
}

func bitsToBytes(s string) []byte {
	var out []byte
	for i := 0; i < len(s); i += 8 {
		var c byte
		for j := range 8 {
			c <<= 1
			if i+j < len(s) && s[i+j] == '1' {
				c |= 1
			}
		}
		out = append(out, c)
	}
	return out
}

// TestSingleCodes decodes a block whose c and p codes each have one
// symbol (no bits per code): a run of one byte.
func TestSingleCodes(t *testing.T) {
	// block of 3 codes; t: n=0, single 0; c: n=0, single 'A'; p: n=0, single 0
	bits := "0000000000000011" + "00000" + "00000" + "000000000" + "001000001" + "00000" + "00000"
	data := bitsToBytes(bits)
	want := []byte("AAA")
	s := hdrSpec{level: 1, method: "-lh5-", name: "a", size: 3, comp: int64(len(data)), crc: crc16(0, want)}
	ms, err := readAll(append(s.bytes(t), data...), 2)
	if err != nil || len(ms) != 1 || ms[0].readErr != nil || !bytes.Equal(ms[0].data, want) {
		t.Fatalf("%v %d members: %+v", err, len(ms), ms)
	}
	// A member claiming more data than the codes in its bytes run to
	// must end with an error, not loop: 3 codes, 10 bytes wanted.
	s.size = 10
	ms, err = readAll(append(s.bytes(t), data...), 2)
	if err != nil || len(ms) != 1 || ms[0].readErr == nil {
		t.Fatalf("oversized member: %v, %+v", err, ms)
	}
}

func TestReadBeforeNext(t *testing.T) {
	r := NewReader(bytes.NewReader(readFixture(t, "lh5-level0.lzh")))
	if n, err := r.Read(make([]byte, 10)); n != 0 || err != io.EOF {
		t.Fatalf("Read before Next: %d, %v", n, err)
	}
}

// BenchmarkDecode reads every member of each fixture (b.SetBytes counts
// the expanded bytes).
func BenchmarkDecode(b *testing.B) {
	for _, fx := range fixtures {
		data := readFixture(b, fx.file)
		var size int64
		for _, e := range fx.entries {
			size += contents[e.content].size
		}
		b.Run(fx.file, func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				r := NewReader(bytes.NewReader(data))
				for {
					if _, err := r.Next(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
					if _, err := io.Copy(io.Discard, r); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// TestMultiBlock checks that far.bin spans more than one Huffman block in
// the fixtures (so the tables are re-read mid-member) and matches
// lhasa's extraction.
func TestMultiBlock(t *testing.T) {
	for _, fx := range []string{"lh5-level0.lzh", "lh6-level1.lzh", "lh7-level2.lzh"} {
		r := NewReader(bytes.NewReader(readFixture(t, fx)))
		for {
			h, err := r.Next()
			if err != nil {
				t.Fatalf("%s: far.bin not found: %v", fx, err)
			}
			if h.Name != "far.bin" {
				continue
			}
			b, err := io.ReadAll(r)
			if err != nil || sha(b) != contents["far.bin"].sha {
				t.Fatalf("%s: far.bin: %d bytes, %v", fx, len(b), err)
			}
			if r.lh.blocks < 2 {
				t.Errorf("%s: far.bin in %d block(s)", fx, r.lh.blocks)
			}
			break
		}
	}
}
