package cab

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
)

// fixture is one member of a committed gcab-made cabinet, with the
// SHA-256 of what `gcab -x` (v1.5) extracted for it.
type fixture struct {
	name   string
	size   int64
	attr   uint16
	sha256 string
}

var fixtures = map[string][]fixture{
	// gcab -c -z mszip.cab patrons.csv readme.txt blob.bin docs/notes.txt docs/access.log 延滞者一覧.txt
	"mszip.cab": {
		{"patrons.csv", 1739, 0x20, "fb412bdcd80dd8c64ceeaff522e623545dcf7a40ef88b7dbf37f69de61b96b9e"},
		{"readme.txt", 121, 0x20, "836ab406b43ce4b832451dbfced48e76a1cef0c1e21dc06f474c46979488657d"},
		{"blob.bin", 3500, 0x20, "7277269688b343bc211f2ef7049d57671e53daa557d071cca1da0d464fb73613"},
		{`docs\notes.txt`, 52, 0x20, "1534d95c92afe52a69eb1899940fb08ef88cea01a1dce77c1db934a36de6727d"},
		{`docs\access.log`, 200846, 0x20, "784fc2e1e7ce5edcec8c90570b68e73f191ab11bc68c1096eed61dffaea33280"},
		{"延滞者一覧.txt", 27, 0xA0, "e0509afac80fc5c03137d5a93dac44c3a2057fe6164278706df1dac1e4af67c6"},
	},
	// gcab does not carry the deflate history from block to block; this
	// one, written by the tests' buildCab (patrons.csv under a CP932 name
	// and the first 150000 bytes of access.log), does. Checked with
	// gcab -x and cabextract -t (libmspack).
	"mszip-dict-cp932.cab": {
		{`督促\延滞者リスト.csv`, 1739, 0x20, "fb412bdcd80dd8c64ceeaff522e623545dcf7a40ef88b7dbf37f69de61b96b9e"},
		{`logs\access.log`, 150000, 0x20, "bb07ec6b13c33d1bca7a4e46fb866e56a6a8a7842f41cba6d51b4c2a66855241"},
	},
	// gcab -c stored.cab readme.txt big.bin docs/notes.txt
	"stored.cab": {
		{"readme.txt", 121, 0x20, "836ab406b43ce4b832451dbfced48e76a1cef0c1e21dc06f474c46979488657d"},
		{"big.bin", 40000, 0x20, "24dbc81afafd859230c61cc0d0c9394294d1c4f596ca83bde5b2bfdaa8bb3a32"},
		{`docs\notes.txt`, 52, 0x20, "1534d95c92afe52a69eb1899940fb08ef88cea01a1dce77c1db934a36de6727d"},
	},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func openBytes(t testing.TB, b []byte) *Cabinet {
	t.Helper()
	c, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return c
}

func readFile(f *File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestFixtures(t *testing.T) {
	for cabName, want := range fixtures {
		t.Run(cabName, func(t *testing.T) {
			c := openBytes(t, readFixture(t, cabName))
			files := c.Files()
			if len(files) != len(want) {
				t.Fatalf("%d files, want %d", len(files), len(want))
			}
			if len(c.Folders()) != 1 {
				t.Fatalf("%d folders, want 1", len(c.Folders()))
			}
			wantComp := CompressNone
			if strings.HasPrefix(cabName, "mszip") {
				wantComp = CompressMSZIP
			}
			fo := c.Folders()[0]
			if fo.Compression != wantComp || fo.Err != nil {
				t.Fatalf("folder: %v, %v; want %v", fo.Compression, fo.Err, wantComp)
			}
			var total int64
			for i, w := range want {
				f := &files[i]
				total += w.size
				name := f.Name
				if !f.NameIsUTF8() {
					// the ANSI code page of a Japanese delivery
					name, _ = japanese.ShiftJIS.NewDecoder().String(name)
				}
				if name != w.name || f.Size != w.size || f.Attributes != w.attr || f.Folder != 0 || f.Err != nil {
					t.Errorf("file %d: %q %d attr %#x folder %d err %v; want %q %d attr %#x", i, f.Name, f.Size, f.Attributes, f.Folder, f.Err, w.name, w.size, w.attr)
					continue
				}
				if f.NameIsUTF8() != (w.attr&AttrNameIsUTF != 0) {
					t.Errorf("file %d: NameIsUTF8 = %v", i, f.NameIsUTF8())
				}
				if want := time.Date(2010, 5, 1, 12, 34, 56, 0, time.UTC); !f.Modified.Equal(want) {
					t.Errorf("file %d: modified %v, want %v", i, f.Modified, want)
				}
				got, err := readFile(f)
				if err != nil {
					t.Errorf("file %d: %v", i, err)
					continue
				}
				if sum(got) != w.sha256 {
					t.Errorf("file %d (%s): content differs from gcab -x (%d bytes)", i, w.name, len(got))
				}
			}
			if fo.UncompressedSize != total {
				t.Errorf("folder expands to %d, want %d", fo.UncompressedSize, total)
			}
			if wantBlocks := int((total + maxBlockOut - 1) / maxBlockOut); fo.Blocks != wantBlocks {
				t.Errorf("folder has %d blocks, want %d", fo.Blocks, wantBlocks)
			}
			// Reading the folder whole gives the files one after the other.
			fr, err := c.OpenFolder(0)
			if err != nil {
				t.Fatal(err)
			}
			whole, err := io.ReadAll(fr)
			if err != nil || int64(len(whole)) != total || fr.Offset() != total {
				t.Fatalf("folder read: %d bytes, offset %d, %v; want %d", len(whole), fr.Offset(), err, total)
			}
			for i, f := range files {
				if sum(whole[f.Offset:f.Offset+f.Size]) != want[i].sha256 {
					t.Errorf("file %d: folder stream differs at its range", i)
				}
			}
		})
	}
}

// blockData returns the data of folder 0's data blocks.
func blockData(t *testing.T, cab []byte) [][]byte {
	t.Helper()
	c := openBytes(t, cab)
	off := c.folders[0].start
	var out [][]byte
	for range c.folders[0].Blocks {
		n := int64(binary.LittleEndian.Uint16(cab[off+4:]))
		out = append(out, cab[off+dataSize:off+dataSize+n])
		off += dataSize + n
	}
	return out
}

// The blocks of mszip-dict-cp932.cab refer back into the previous
// block: decoded without the dictionary carried over, some come out wrong
// or fail. So the fixture really tests the carry-over.
func TestMSZIPNeedsDictionary(t *testing.T) {
	cab := readFixture(t, "mszip-dict-cp932.cab")
	blocks := blockData(t, cab)
	if len(blocks) < 3 {
		t.Fatalf("%d blocks, want several", len(blocks))
	}
	c := openBytes(t, cab)
	fr, _ := c.OpenFolder(0)
	whole, err := io.ReadAll(fr)
	if err != nil {
		t.Fatal(err)
	}
	needy := 0
	for i, b := range blocks {
		if string(b[:2]) != "CK" {
			t.Fatalf("block %d has no CK", i)
		}
		want := whole[i*maxBlockOut : min((i+1)*maxBlockOut, len(whole))]
		out, err := io.ReadAll(flate.NewReader(bytes.NewReader(b[2:])))
		if err != nil || !bytes.Equal(out, want) {
			needy++
			if i == 0 {
				t.Error("the first block needs a dictionary")
			}
		}
	}
	if needy == 0 {
		t.Fatal("no block needs the previous block's output as dictionary")
	}
}

func sjis(t testing.TB, s string) string {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pattern makes n bytes of compressible text that varies.
func pattern(n int, seed string) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "%s,%06d,%d\n", seed, i*7919%1000003, i%97)
	}
	return b.Bytes()[:n]
}

func TestFoldersReserveAndMethods(t *testing.T) {
	csvName := sjis(t, `督促\延滞者.csv`)
	for _, resvInSum := range []bool{false, true} {
		spec := cabSpec{
			hdrResv: 20, folderResv: 4, dataResv: 7, resvInChecksum: resvInSum,
			blockSize: 4096, setID: 0x1234, cabIndex: 0,
			dosDate: (2010-1980)<<9 | 5<<5 | 1, dosTime: 12<<11 | 34<<5 | 28,
			folders: []wFolder{
				{typ: 0, files: []wFile{{name: "a.txt", data: pattern(10000, "a")}, {name: "b.bin", data: pattern(5, "b")}}},
				{typ: 1, files: []wFile{{name: csvName, data: pattern(30000, "延滞")}, {name: `dir\c.txt`, data: pattern(9000, "c")}, {name: "empty", data: nil}}},
				{typ: 0x1503, files: []wFile{{name: "lzx.dll", data: pattern(100, "x")}}},
				{typ: 2, files: []wFile{{name: "q.dll", data: pattern(100, "q")}}},
				{typ: 1, files: []wFile{{name: "z.txt", data: pattern(70000, "z")}}},
			},
		}
		cab := buildCab(t, spec)
		c := openBytes(t, cab)
		if c.SetID != 0x1234 || c.Flags != FlagReservePresent {
			t.Errorf("set %#x flags %#x", c.SetID, c.Flags)
		}
		fos := c.Folders()
		if len(fos) != 5 || fos[0].Blocks != 3 || fos[1].Blocks != 10 || fos[1].Compression != CompressMSZIP || fos[2].Compression != CompressLZX || fos[2].Type != 0x1503 {
			t.Fatalf("folders: %+v", fos)
		}
		if !errors.Is(fos[2].Err, ErrUnsupported) || !errors.Is(fos[3].Err, ErrUnsupported) || !strings.Contains(fos[2].Err.Error(), "LZX") {
			t.Errorf("LZX/Quantum folders: %v, %v", fos[2].Err, fos[3].Err)
		}
		var wantFiles []wFile
		for _, fo := range spec.folders {
			wantFiles = append(wantFiles, fo.files...)
		}
		files := c.Files()
		if len(files) != len(wantFiles) {
			t.Fatalf("%d files", len(files))
		}
		for i := range files {
			f := &files[i]
			w := wantFiles[i]
			if f.Name != w.name || f.Size != int64(len(w.data)) {
				t.Errorf("file %d: name/size %q %d", i, f.Name, f.Size)
			}
			if want := time.Date(2010, 5, 1, 12, 34, 56, 0, time.UTC); !f.Modified.Equal(want) {
				t.Errorf("file %d: modified %v", i, f.Modified)
			}
			got, err := readFile(f)
			if f.Folder == 2 || f.Folder == 3 {
				if !errors.Is(err, ErrUnsupported) || !errors.Is(f.Err, ErrUnsupported) {
					t.Errorf("file %d in folder %d: %v", i, f.Folder, err)
				}
				continue
			}
			if err != nil || !bytes.Equal(got, w.data) {
				t.Errorf("file %d (resv in sum %v): %d bytes, %v", i, resvInSum, len(got), err)
			}
		}
		if files[2].NameIsUTF8() {
			t.Error("CP932 name flagged UTF-8")
		}
	}
}

func TestChecksum(t *testing.T) {
	spec := cabSpec{folders: []wFolder{{typ: 1, files: []wFile{{name: "a", data: pattern(50000, "a")}}}}, corruptChecksum: true}
	c := openBytes(t, buildCab(t, spec))
	if _, err := readFile(&c.Files()[0]); !errors.Is(err, ErrChecksum) {
		t.Errorf("corrupt checksum: %v", err)
	}
	spec.corruptChecksum, spec.noChecksum = false, true
	c = openBytes(t, buildCab(t, spec))
	if got, err := readFile(&c.Files()[0]); err != nil || !bytes.Equal(got, spec.folders[0].files[0].data) {
		t.Errorf("no checksum: %d bytes, %v", len(got), err)
	}
	// a flipped data byte is caught by the checksum of a stored block
	spec.noChecksum = false
	spec.folders[0].typ = 0
	cab := buildCab(t, spec)
	cab[len(cab)-100] ^= 0x40
	c = openBytes(t, cab)
	if _, err := readFile(&c.Files()[0]); !errors.Is(err, ErrChecksum) {
		t.Errorf("flipped byte: %v", err)
	}
	// known values of the algorithm
	for i, tc := range []struct {
		in   []byte
		want uint32
	}{
		{[]byte{1, 2, 3, 4}, 0x04030201},
		{[]byte{1, 2, 3, 4, 5}, 0x04030204},
		{[]byte{1, 2, 3, 4, 5, 6}, 0x04030201 ^ 0x0506},
		{[]byte{1, 2, 3, 4, 5, 6, 7}, 0x04030201 ^ 0x050607},
	} {
		if got := checksum(tc.in, 0); got != tc.want {
			t.Errorf("checksum %d = %#x, want %#x", i, got, tc.want)
		}
	}
}

func TestCabinetSet(t *testing.T) {
	spec := cabSpec{
		prev: "disk1.cab", next: "disk3.cab", cabIndex: 1, blockSize: 1000,
		folders: []wFolder{
			{typ: 1, files: []wFile{{name: "in-continued-folder.txt", data: pattern(500, "p")}}},
			{typ: 1, files: []wFile{{name: "whole.txt", data: pattern(2500, "w")}, {name: "cut.txt", data: pattern(1000, "c")}}, lastBlockContinues: true},
		},
		extraFiles: []wFile{
			{name: "from-prev.txt", data: make([]byte, 10), folder: ifoldContinuedFromPrev},
			{name: "to-next.txt", data: make([]byte, 10), folder: ifoldContinuedToNext},
			{name: "both.txt", data: make([]byte, 10), folder: ifoldContinuedPrevAndNext},
		},
	}
	c := openBytes(t, buildCab(t, spec))
	if c.PrevCabinet != "disk1.cab" || c.NextCabinet != "disk3.cab" || c.Index != 1 {
		t.Errorf("set: %q %q %d", c.PrevCabinet, c.NextCabinet, c.Index)
	}
	if !errors.Is(c.Folders()[0].Err, ErrMultiCabinet) {
		t.Errorf("folder 0 continued from the previous cabinet: %v", c.Folders()[0].Err)
	}
	want := map[string]bool{"whole.txt": true} // readable
	for i := range c.Files() {
		f := &c.Files()[i]
		got, err := readFile(f)
		if want[f.Name] {
			if err != nil || !bytes.Equal(got, spec.folders[1].files[0].data) {
				t.Errorf("%s: %d bytes, %v", f.Name, len(got), err)
			}
			continue
		}
		if !errors.Is(err, ErrMultiCabinet) {
			t.Errorf("%s: %v, want ErrMultiCabinet", f.Name, err)
		}
		if f.RawFolder >= 0xFFFD && f.Folder != -1 {
			t.Errorf("%s: folder %d", f.Name, f.Folder)
		}
	}
}

func TestSkipStored(t *testing.T) {
	data := pattern(200000, "s")
	spec := cabSpec{folders: []wFolder{{typ: 0, files: []wFile{{name: "a", data: data[:150000]}, {name: "b", data: data[150000:]}}}}}
	cab := buildCab(t, spec)
	c := openBytes(t, cab)
	// The blocks skipped whole are not read: corrupting one is not seen.
	start := c.folders[0].start
	cab[start+dataSize+10] ^= 1
	got, err := readFile(&c.Files()[1])
	if err != nil || !bytes.Equal(got, data[150000:]) {
		t.Fatalf("b: %d bytes, %v", len(got), err)
	}
	fr, _ := c.OpenFolder(0)
	if err := fr.Skip(100); !errors.Is(err, ErrChecksum) {
		t.Errorf("skip into the corrupt first block: %v", err)
	}
	fr, _ = c.OpenFolder(0)
	if err := fr.Skip(2 * maxBlockOut); err != nil || fr.Offset() != 2*maxBlockOut {
		t.Fatalf("skip: %v, offset %d", err, fr.Offset())
	}
	if got, err := io.ReadAll(fr); err != nil || !bytes.Equal(got, data[2*maxBlockOut:]) {
		t.Errorf("read after skip: %d bytes, %v", len(got), err)
	}
	fr, _ = c.OpenFolder(0)
	if err := fr.Skip(200001); err == nil {
		t.Error("skip past the end succeeded")
	}
}

func TestHostile(t *testing.T) {
	good := buildCab(t, cabSpec{folders: []wFolder{{typ: 1, files: []wFile{{name: "a", data: pattern(3000, "a")}}}}})
	le := binary.LittleEndian
	patch := func(f func(b []byte)) []byte {
		b := bytes.Clone(good)
		f(b)
		return b
	}
	for name, tc := range map[string]struct {
		cab     []byte
		openErr bool
	}{
		"short":            {good[:20], true},
		"signature":        {patch(func(b []byte) { b[0] = 'X' }), true},
		"version":          {patch(func(b []byte) { b[25] = 2 }), true},
		"many folders":     {patch(func(b []byte) { le.PutUint16(b[26:], 0xFFFF) }), true},
		"many files":       {patch(func(b []byte) { le.PutUint16(b[28:], 0xFFFF) }), true},
		"files offset":     {patch(func(b []byte) { le.PutUint32(b[16:], 0xFFFFFFF0) }), true},
		"many blocks":      {patch(func(b []byte) { le.PutUint16(b[headerSize+4:], 0xFFFF) }), true},
		"folder offset":    {patch(func(b []byte) { le.PutUint32(b[headerSize:], 0xFFFFFF00) }), false},
		"folder index":     {patch(func(b []byte) { le.PutUint16(b[headerSize+folderSize+8:], 7) }), false},
		"file past folder": {patch(func(b []byte) { le.PutUint32(b[headerSize+folderSize+4:], 2999) }), false},
		"huge file":        {patch(func(b []byte) { le.PutUint32(b[headerSize+folderSize:], 0xFFFFFFFF) }), false},
		"no NUL name":      {patch(func(b []byte) { b[len(b)-1] = 0 })[:headerSize+folderSize+fileSize+1], true},
		"reserve past end": {patch(func(b []byte) { b[30] |= FlagReservePresent; le.PutUint16(b[headerSize:], 0xFFFF) }), true},
		"block too big":    {patch(func(b []byte) { le.PutUint16(b[le.Uint32(b[headerSize:])+4:], 0xFFFF) }), false},
		"block past end":   {patch(func(b []byte) { le.PutUint16(b[le.Uint32(b[headerSize:])+4:], maxBlockIn) }), false},
	} {
		c, err := Open(bytes.NewReader(tc.cab), int64(len(tc.cab)))
		if tc.openErr {
			if err == nil || !errors.Is(err, ErrFormat) {
				t.Errorf("%s: Open error %v, want ErrFormat", name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Open: %v", name, err)
			continue
		}
		if _, err := readFile(&c.Files()[0]); err == nil {
			t.Errorf("%s: file read", name)
		}
	}
}

// A block that expands past its declared size is corrupt.
func TestBlockExpandsPast(t *testing.T) {
	cab := buildCab(t, cabSpec{noChecksum: true, folders: []wFolder{{typ: 1, files: []wFile{{name: "a", data: pattern(3000, "a")}}}}})
	c := openBytes(t, cab)
	// cbUncomp of the only block: 3000 → 2000
	binary.LittleEndian.PutUint16(cab[c.folders[0].start+6:], 2000)
	c = openBytes(t, cab)
	fr, err := c.OpenFolder(0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(fr); err == nil || !strings.Contains(err.Error(), "expands past") {
		t.Errorf("over-expanding block: %v", err)
	}
	binary.LittleEndian.PutUint16(cab[c.folders[0].start+6:], 4000)
	c = openBytes(t, cab)
	fr, _ = c.OpenFolder(0)
	if _, err := io.ReadAll(fr); err == nil || !strings.Contains(err.Error(), "less than") {
		t.Errorf("under-expanding block: %v", err)
	}
}

// Every prefix of a fixture opens or fails cleanly, and what reads
// without error is right.
func TestTruncated(t *testing.T) {
	for cabName, want := range fixtures {
		full := readFixture(t, cabName)
		partial := 0 // files read whole from a cut cabinet
		for n := 0; n < len(full); n += 1 + n/50 {
			b := full[:n]
			c, err := Open(bytes.NewReader(b), int64(n))
			if err != nil {
				continue
			}
			for i := range c.Files() {
				got, err := readFile(&c.Files()[i])
				if err == nil && sum(got) != want[i].sha256 {
					t.Fatalf("%s cut at %d: file %d read without error but wrong", cabName, n, i)
				}
				if err == nil {
					partial++
				}
			}
		}
		// the files before the cut stay readable
		if partial == 0 {
			t.Errorf("%s: no file read from a cut cabinet", cabName)
		}
	}
}

func BenchmarkMSZIP(b *testing.B) {
	cab := readFixture(b, "mszip.cab")
	c := openBytes(b, cab)
	b.SetBytes(c.Folders()[0].UncompressedSize)
	for b.Loop() {
		fr, _ := c.OpenFolder(0)
		if _, err := io.Copy(io.Discard, fr); err != nil {
			b.Fatal(err)
		}
	}
}
