package archive

import (
	"bytes"
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
	"github.com/rouei/rouei/scanners/lzh"
)

// The LZH fixtures live with the decoder (made with jlha 0.1.6, checked
// against lhasa 0.3.1: see scanners/lzh/lzh_test.go).
func readLZH(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "lzh", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// lzhCRC is CRC-16/ARC, the CRC of LZH members.
func lzhCRC(b []byte) uint16 {
	var c uint16
	for _, x := range b {
		c ^= uint16(x)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0xA001
			} else {
				c >>= 1
			}
		}
	}
	return c
}

// lzhLevel0 makes a level 0 member header with the given raw name and
// stored data; os, when not 0, is written after the CRC.
func lzhLevel0(method, name string, data []byte, os byte) []byte {
	b := []byte{0, 0}
	b = append(b, method...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = binary.LittleEndian.AppendUint32(b, 0x3CA16000)
	b = append(b, 0x20, 0, byte(len(name)))
	b = append(b, name...)
	b = binary.LittleEndian.AppendUint16(b, lzhCRC(data))
	if os != 0 {
		b = append(b, os)
	}
	b[0] = byte(len(b) - 2)
	fixLZHSum(b)
	return append(b, data...)
}

// fixLZHSum recomputes the checksum of the level 0 or 1 header at b[0].
func fixLZHSum(b []byte) {
	var sum byte
	for _, c := range b[2 : int(b[0])+2] {
		sum += c
	}
	b[1] = sum
}

func TestIdentifyLZH(t *testing.T) {
	for _, name := range []string{"lh0-level1.lzh", "lh5-level0.lzh", "lh6-level1.lzh", "lh7-level2.lzh"} {
		data := readLZH(t, name)
		if !identifyLZH(data) {
			t.Errorf("%s not identified", name)
		}
		if op := (lzhOpener{}); op.Kind() != "lzh" || op.NeedsRandomAccess() {
			t.Errorf("Kind %q, NeedsRandomAccess %v", op.Kind(), op.NeedsRandomAccess())
		}
	}
	lvl0 := readLZH(t, "lh5-level0.lzh")
	badSum := bytes.Clone(lvl0)
	badSum[1]++
	lvl2 := readLZH(t, "lh7-level2.lzh")
	badNext := bytes.Clone(lvl2)
	badNext[24] = 0xF0
	for i, head := range [][]byte{
		nil,
		lvl0[:10],
		lvl0[:30], // header cut short: its checksum cannot be checked
		badSum,
		badNext,
		[]byte("ab-lh5- is how an LZH method is written, in a text file of some length"),
		makeZip(t, zipEntry{name: "a.txt", data: []byte("a")}),
		bytes.Repeat([]byte{0}, 64),
	} {
		if identifyLZH(head) {
			t.Errorf("case %d identified as LZH", i)
		}
	}
}

func TestLZHWalk(t *testing.T) {
	want := map[string]string{ // name → SHA-256 of the content (lhasa's extraction)
		"patrons.csv":       "eb07f5af5acd7d2766b2c07ddf0e44cf3f624099384a762eb103672252c413de",
		"blob.bin":          "bbb6d379b421da6eccedb8702cc285acb94928d40864c7a9723d14b0dd3edce5",
		"tiny.txt":          "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4",
		"empty.txt":         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"docs/sub/note.txt": "b55ff868424de6d1795850a834770001bf433b23f5230ee3913450cc99e13ef3",
		"far.bin":           "eda2fd719eb0007f04ad5933422ad3599949a970fdb6f1f234103a27fd2d1a14",
		"督促一覧.csv":          "83d00c3b6bd86ab9e98dbbb7325552d9a50f4f76d73ce58804967f63d9b641dd",
	}
	for _, name := range []string{"lh5-level0.lzh", "lh6-level1.lzh", "lh7-level2.lzh"} {
		data := readLZH(t, name)
		// stream only: the opener must not need random access
		src := scanners.Source{Name: name, Reader: bytes.NewReader(data), Size: int64(len(data))}
		ms, err := walkSource(lzhOpener{}, src, scanners.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(ms) != len(want) {
			t.Fatalf("%s: %d members, want %d (directories skipped)", name, len(ms), len(want))
		}
		for _, m := range ms {
			sum, ok := want[m.name]
			if !ok {
				t.Errorf("%s: unexpected member %q", name, m.name)
				continue
			}
			if m.err != nil || m.notice != nil || m.readErr != nil {
				t.Errorf("%s: %s: err %v, notice %v, read %v", name, m.name, m.err, m.notice, m.readErr)
			}
			if sha256Hex(m.data) != sum || m.size != int64(len(m.data)) {
				t.Errorf("%s: %s: %d bytes (size %d), content differs from lhasa's", name, m.name, len(m.data), m.size)
			}
		}
	}
}

// TestLZHSkipsUnread yields members without opening them: the walk must
// still reach every member.
func TestLZHSkipsUnread(t *testing.T) {
	data := readLZH(t, "lh7-level2.lzh")
	var names []string
	err := (lzhOpener{}).Walk(context.Background(), scanners.Source{Reader: bytes.NewReader(data), Size: -1}, scanners.Limits{}, func(m scanners.Member) error {
		names = append(names, m.Name)
		return nil
	})
	if err != nil || len(names) != 7 || names[6] != "督促一覧.csv" {
		t.Fatalf("%q, %v", names, err)
	}
}

func TestLZHUnsupportedMethod(t *testing.T) {
	data := readLZH(t, "lh0-level1.lzh")
	// the first member, tiny.txt, becomes -lh1- (same sizes, so the walk
	// can skip it)
	copy(data[2:7], "-lh1-")
	fixLZHSum(data)
	ms, err := walk(t, lzhOpener{}, "x.lzh", data, scanners.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 {
		t.Fatalf("%d members", len(ms))
	}
	if ms[0].name != "tiny.txt" || ms[0].err == nil || !strings.Contains(ms[0].err.Error(), "-lh1-") || !strings.Contains(ms[0].err.Error(), "not supported") {
		t.Errorf("unsupported member: %q %v", ms[0].name, ms[0].err)
	}
	if m := find(t, ms, "docs/sub/note.txt"); m.readErr != nil || len(m.data) != 1800 {
		t.Errorf("member after it: %d bytes, %v", len(m.data), m.readErr)
	}
}

func TestLZHNamesAndNotices(t *testing.T) {
	var a []byte
	a = append(a, lzhLevel0("-lh0-", `..\..\etc\passwd`, []byte("x"), 0)...)
	a = append(a, lzhLevel0("-lh0-", "\x95\x5c\x8e\xa6\\\x83\x5c\x81[\x83g.txt", []byte("y"), 0)...) // 表示\ソート.txt in CP932
	a = append(a, lzhLevel0("-lh0-", "utf8/名簿.csv", []byte("z"), 0)...)
	a = append(a, lzhLevel0("-lhd-", "link|/etc/shadow", nil, 'U')...)
	a = append(a, 0)
	ms, err := walk(t, lzhOpener{}, "x.lzh", a, scanners.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 4 {
		t.Fatalf("%d members", len(ms))
	}
	if ms[0].name != "../../etc/passwd" || ms[0].notice == nil || string(ms[0].data) != "x" {
		t.Errorf("path trick: %q notice %v", ms[0].name, ms[0].notice)
	}
	if ms[1].name != "表示/ソート.txt" || ms[1].notice != nil || string(ms[1].data) != "y" {
		t.Errorf("CP932 name with 0x5C trail bytes: %q notice %v", ms[1].name, ms[1].notice)
	}
	if ms[2].name != "utf8/名簿.csv" || ms[2].notice != nil {
		t.Errorf("UTF-8 name: %q notice %v", ms[2].name, ms[2].notice)
	}
	if ms[3].name != "link" || ms[3].notice == nil || !strings.Contains(ms[3].notice.Error(), "symbolic link") || len(ms[3].data) != 0 {
		t.Errorf("symlink: %q notice %v", ms[3].name, ms[3].notice)
	}
}

func TestLZHLimits(t *testing.T) {
	data := readLZH(t, "lh5-level0.lzh")

	// far.bin (49,404 bytes) is over a 40,000-byte member limit: an error
	// for it before reading, the others are read.
	ms, err := walk(t, lzhOpener{}, "x.lzh", data, scanners.Limits{MaxMemberBytes: 40000})
	if err != nil {
		t.Fatal(err)
	}
	if m := find(t, ms, "far.bin"); !errors.Is(m.err, scanners.ErrLimit) {
		t.Errorf("far.bin: %v, want ErrLimit", m.err)
	}
	if m := find(t, ms, "patrons.csv"); m.err != nil || len(m.data) != 8453 {
		t.Errorf("patrons.csv: %v", m.err)
	}

	// too many members ends the walk
	if _, err := walk(t, lzhOpener{}, "x.lzh", data, scanners.Limits{MaxMembers: 3}); !errors.Is(err, scanners.ErrLimit) {
		t.Errorf("MaxMembers: %v, want ErrLimit", err)
	}

	// all members together over the archive limit
	if _, err := walk(t, lzhOpener{}, "x.lzh", data, scanners.Limits{MaxArchiveBytes: 20000}); !errors.Is(err, scanners.ErrLimit) {
		t.Errorf("MaxArchiveBytes: %v, want ErrLimit", err)
	}

	// a header claiming 256 MiB from 1,183 compressed bytes is a bomb
	bomb := bytes.Clone(data)
	binary.LittleEndian.PutUint32(bomb[11:], 256<<20)
	fixLZHSum(bomb)
	ms, err = walk(t, lzhOpener{}, "x.lzh", bomb, scanners.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(ms[0].err, scanners.ErrLimit) {
		t.Errorf("ratio: %v, want ErrLimit", ms[0].err)
	}
	if m := find(t, ms, "far.bin"); m.err != nil || len(m.data) != 49404 {
		t.Errorf("far.bin after the bomb: %d bytes, %v", len(m.data), m.err)
	}

	// a cancelled context stops the walk
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := scanners.Source{Reader: bytes.NewReader(data), Size: int64(len(data))}
	if err := (lzhOpener{}).Walk(ctx, src, scanners.Limits{}, func(scanners.Member) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestLZHCorrupt(t *testing.T) {
	data := readLZH(t, "lh6-level1.lzh")

	// cut inside far.bin's data: the member's read fails, then the walk
	ms, err := walk(t, lzhOpener{}, "x.lzh", data[:len(data)-3000], scanners.Limits{})
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) || !strings.HasPrefix(err.Error(), "archive: lzh: ") {
		t.Errorf("truncated archive: %v", err)
	}
	if m := find(t, ms, "far.bin"); m.readErr == nil {
		t.Error("truncated far.bin read without error")
	}

	// a wrong CRC is a read error of its member
	bad := bytes.Clone(data)
	at := 22 + int(bad[21]) // the first member's data CRC
	bad[at] ^= 1
	fixLZHSum(bad)
	ms, err = walk(t, lzhOpener{}, "x.lzh", bad, scanners.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(ms[0].readErr, lzh.ErrChecksum) || !strings.Contains(ms[0].readErr.Error(), "patrons.csv") {
		t.Errorf("CRC mismatch: %v", ms[0].readErr)
	}

	// a broken header after the first member ends the walk with an error
	bad = bytes.Clone(data)
	second := int(bad[0]) + 2 + int(binary.LittleEndian.Uint32(bad[7:]))
	bad[second+1]++ // its checksum
	if _, err := walk(t, lzhOpener{}, "x.lzh", bad, scanners.Limits{}); !errors.Is(err, lzh.ErrHeader) {
		t.Errorf("bad second header: %v", err)
	}
}

// FuzzLZHWalk walks arbitrary bytes with the LZH opener (Identify may not
// route to it yet), checking the opener's promises under small limits.
func FuzzLZHWalk(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "lzh", "testdata", "*.lzh"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(append(lzhLevel0("-lh0-", `..\a`, []byte("x"), 0), lzhLevel0("-lhd-", "l|t", nil, 'U')...))
	f.Fuzz(func(t *testing.T, data []byte) {
		src := scanners.Source{Name: "fuzz", Reader: bytes.NewReader(data), Size: int64(len(data))}
		members := 0
		var total int64
		_ = (lzhOpener{}).Walk(context.Background(), src, fuzzLimits, func(m scanners.Member) error {
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
