package samples

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// fixtureSHA256 pins the committed fixture binaries (samples/fixtures/).
var fixtureSHA256 = map[string]string{
	"setup.7z":     "da371a0428510210ec8acf62595a1a9fe69164d6fb64e71b6bec358584d56a5b",
	"delivery.iso": "122561957b3726f3bdc94d5509388aa2ce792b7fa4aabbdf5a090881099162ff",
	"riyosha.xls":  "c7528d52537b47c8488034668a006580062f2d355e353438ed7dca66bd93b6d0",
	"patch.lzh":    "df019eac97e225d21863d4e9f5feaac790e52b3e0a633624ae6cf45308f3ddeb",
	"driver.cab":   "3ffc2c4f87fa50ac84757f099798418d6fec40d10c0a872d4cf25770f465e0ec",
}

// inputsSHA256 pins the inputs each fixture was made from (fixture.
// inputsDigest): when a generator change alters them, the fixture no
// longer matches its manifest entries and must be remade.
var inputsSHA256 = map[string]string{
	"setup.7z":     "50b39cdac9541035d7a1a127861c2158e0036173a983a5047c2ce90ea74ac0dd",
	"delivery.iso": "2f76fc99d415223ab7e2ba072ed00e4bc220005734f1f8b8171e9b9e1e92661c",
	"riyosha.xls":  "c296bfa2db623669163a86c728d2232a9359862c19265e5b78f2c335168e23e2",
	"patch.lzh":    "c87511f0621a2c3f0715cbd84356823207b8838ceacb0fedf8461ea99297d0fa",
	"driver.cab":   "3d12027892864fe2239b1ecd866f6d0f47971feb9682931cfb3ef485c2fe977b",
}

const remake = "remake it as samples/fixtures/README.md says and update the digests in fixtures_test.go"

// TestFixtures: each declared fixture is committed, pinned by its digest,
// small, copied unchanged into the deliverable, and made from the inputs
// the generators give today; every committed fixture is declared.
func TestFixtures(t *testing.T) {
	tree := readTree(t, ".")
	g := newGen()
	declared := map[string]bool{}
	for _, fn := range fixtures {
		fx := fn(g)
		declared[fx.file] = true
		b, err := os.ReadFile(filepath.Join(FixturesName, fx.file))
		if err != nil {
			t.Errorf("%s: %v", fx.file, err)
			continue
		}
		if len(b) >= 100<<10 {
			t.Errorf("%s: %d bytes, want < 100 KB", fx.file, len(b))
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != fixtureSHA256[fx.file] {
			t.Errorf("%s: SHA-256 %x is not the pinned one", fx.file, sum)
		}
		if got, ok := tree[TreeName+"/"+fx.rel]; !ok || !bytes.Equal(got, b) {
			t.Errorf("%s: deliverable copy %s missing or different: %s", fx.file, fx.rel, stale)
		}
		if d := fx.inputsDigest(); d != inputsSHA256[fx.file] {
			t.Errorf("%s: inputs changed (digest %s): %s", fx.file, d, remake)
		}
		if !isFixtureFormat(b) {
			t.Errorf("%s: not recognised as 7z, ISO, OLE2, LZH or CAB", fx.file)
		}
		var names []string
		for _, m := range fx.members {
			if slices.Contains(names, m.name) || len(m.text) == 0 {
				t.Errorf("%s: member %q repeated or empty", fx.file, m.name)
			}
			names = append(names, m.name)
		}
	}
	ents, err := os.ReadDir(FixturesName)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if n := e.Name(); n != "README.md" && !declared[n] {
			t.Errorf("fixtures/%s is not declared in fixtures.go", n)
		}
	}
	if len(declared) != len(fixtureSHA256) {
		t.Errorf("%d fixtures declared, %d pinned", len(declared), len(fixtureSHA256))
	}
	readme, err := os.ReadFile(filepath.Join(FixturesName, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for f := range declared {
		if !bytes.Contains(readme, []byte(f)) {
			t.Errorf("fixtures/README.md does not say how %s was made", f)
		}
	}
}

// fixtureData returns a committed fixture and its declaration.
func fixtureData(t *testing.T, file string) ([]byte, fixture) {
	t.Helper()
	g := newGen()
	for _, fn := range fixtures {
		if fx := fn(g); fx.file == file {
			b, err := os.ReadFile(filepath.Join(FixturesName, file))
			if err != nil {
				t.Fatal(err)
			}
			return b, fx
		}
	}
	t.Fatalf("%s not declared", file)
	return nil, fixture{}
}

// The 7z archive has a valid signature header whose next header ends
// the file.
func TestFixture7z(t *testing.T) {
	b, _ := fixtureData(t, "setup.7z")
	if len(b) < 32 || !bytes.HasPrefix(b, magic7z) || b[6] != 0 || b[7] != 4 {
		t.Fatal("no 7z signature header of version 0.4")
	}
	if crc32.ChecksumIEEE(b[12:32]) != binary.LittleEndian.Uint32(b[8:]) {
		t.Error("start header CRC mismatch")
	}
	off, size := binary.LittleEndian.Uint64(b[12:]), binary.LittleEndian.Uint64(b[20:])
	if 32+off+size != uint64(len(b)) {
		t.Errorf("next header at %d+%d, file is %d bytes", off, size, len(b))
	}
}

// The ISO image stores files in place: each member's bytes occur in it,
// and it has a Joliet volume and Rock Ridge names.
func TestFixtureISO(t *testing.T) {
	b, fx := fixtureData(t, "delivery.iso")
	const sec = 2048
	joliet := false
	for i := 16; (i+1)*sec <= len(b); i++ {
		vd := b[i*sec : (i+1)*sec]
		if string(vd[1:6]) != "CD001" || vd[0] == 255 {
			break
		}
		if vd[0] == 2 && vd[88] == '%' && vd[89] == '/' && bytes.IndexByte([]byte("@CE"), vd[90]) >= 0 {
			joliet = true
		}
	}
	if string(b[16*sec+1:16*sec+6]) != "CD001" || b[16*sec] != 1 || !joliet {
		t.Errorf("primary volume descriptor %v, Joliet %v", b[16*sec] == 1, joliet)
	}
	for i, m := range fx.members {
		if !bytes.Contains(b, m.text) {
			t.Errorf("member #%d: content not in the image", i)
		}
		// Rock Ridge NM entries hold the names as written (UTF-8).
		for _, part := range strings.Split(m.name, "/") {
			if !bytes.Contains(b, append([]byte("NM"), byte(5+len(part)), 1, 0)) || !bytes.Contains(b, []byte(part)) {
				t.Errorf("member #%d: no Rock Ridge name for %q", i, part)
			}
		}
	}
}

// biffString is how BIFF8 stores s: one byte per character when every
// character is below U+0100, else UTF-16LE.
func biffString(s string) []byte {
	var out []byte
	wide := strings.ContainsFunc(s, func(r rune) bool { return r >= 0x100 })
	for _, u := range utf16.Encode([]rune(s)) {
		if wide {
			out = append(out, byte(u), byte(u>>8))
		} else {
			out = append(out, byte(u))
		}
	}
	return out
}

// The Excel 97 workbook holds its sheet names and every cell string as
// BIFF8 stores them.
func TestFixtureXls(t *testing.T) {
	b, fx := fixtureData(t, "riyosha.xls")
	if !bytes.HasPrefix(b, magicOLE2) {
		t.Fatal("no OLE2 signature")
	}
	if !bytes.Contains(b, biffString("Workbook")) && !bytes.Contains(b, []byte("W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00")) {
		t.Error("no Workbook stream")
	}
	n := 0
	for _, m := range fx.members {
		if !bytes.Contains(b, biffString(m.name)) {
			t.Errorf("sheet %q: name not in the workbook", m.name)
		}
		for ri, row := range strings.Split(strings.TrimSuffix(string(m.text), "\n"), "\n") {
			for ci, c := range strings.Split(row, "\t") {
				n++
				if !bytes.Contains(b, biffString(c)) {
					t.Errorf("sheet %q row %d cell %d: string not in the workbook", m.name, ri+1, ci+1)
				}
			}
		}
	}
	if n < 70 {
		t.Errorf("only %d cells checked", n)
	}
}

// crc16 is the CRC-16/ARC of LHA headers.
func crc16(b []byte) uint16 {
	var c uint16
	for _, x := range b {
		c ^= uint16(x)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0xa001
			} else {
				c >>= 1
			}
		}
	}
	return c
}

// The LZH archive is one -lh5- member under a level-2 header with the
// CP932 name, the declared input's size and CRC.
func TestFixtureLzh(t *testing.T) {
	b, fx := fixtureData(t, "patch.lzh")
	if len(fx.members) != 1 || len(b) < 27 {
		t.Fatal("want one member")
	}
	m := fx.members[0]
	if string(b[2:7]) != "-lh5-" || b[20] != 2 {
		t.Errorf("method %q, header level %d; want -lh5- and 2", b[2:7], b[20])
	}
	if got := binary.LittleEndian.Uint32(b[11:]); got != uint32(len(m.text)) {
		t.Errorf("original size %d, input has %d", got, len(m.text))
	}
	if got := binary.LittleEndian.Uint16(b[21:]); got != crc16(m.text) {
		t.Errorf("CRC %#04x, input's is %#04x", got, crc16(m.text))
	}
	hdr := b[:binary.LittleEndian.Uint16(b)]
	if name := sjis(m.name); !bytes.Contains(hdr, append([]byte{byte(len(name) + 3), 0, 1}, name...)) {
		t.Error("no filename extension header with the CP932 name")
	}
}

// The cabinet is one MSZIP folder whose files are the declared inputs:
// names and sizes in the file table, and the folder's data inflated is
// the inputs' bytes end to end.
func TestFixtureCab(t *testing.T) {
	b, fx := fixtureData(t, "driver.cab")
	le := binary.LittleEndian
	if !bytes.HasPrefix(b, magicCAB) || le.Uint32(b[8:]) != uint32(len(b)) || le.Uint16(b[30:])&4 != 0 {
		t.Fatal("bad header, size or reserved fields")
	}
	coffFiles, folders, files := le.Uint32(b[16:]), le.Uint16(b[26:]), int(le.Uint16(b[28:]))
	if folders != 1 || files != len(fx.members) {
		t.Fatalf("%d folders, %d files; want 1 and %d", folders, files, len(fx.members))
	}
	dataOff, blocks, method := le.Uint32(b[36:]), int(le.Uint16(b[40:])), le.Uint16(b[42:])
	if method&0xf != 1 {
		t.Errorf("compression %d, want MSZIP", method&0xf)
	}
	var want []byte
	p := int(coffFiles)
	for i, m := range fx.members {
		size, off := le.Uint32(b[p:]), le.Uint32(b[p+4:])
		end := bytes.IndexByte(b[p+16:], 0)
		if name := strings.ReplaceAll(string(b[p+16:p+16+end]), `\`, "/"); name != m.name || size != uint32(len(m.text)) ||
			off != uint32(len(want)) {
			t.Errorf("file #%d: name %q size %d offset %d", i, path.Base(name), size, off)
		}
		want = append(want, m.text...)
		p += 16 + end + 1
	}
	var got, dict []byte
	p = int(dataOff)
	for i := range blocks {
		n, un := int(le.Uint16(b[p+4:])), int(le.Uint16(b[p+6:]))
		blk := b[p+8 : p+8+n]
		if !bytes.HasPrefix(blk, []byte("CK")) {
			t.Fatalf("block %d: no CK signature", i)
		}
		out, err := io.ReadAll(flate.NewReaderDict(bytes.NewReader(blk[2:]), dict))
		if err != nil || len(out) != un {
			t.Fatalf("block %d: inflate %v, %d bytes of %d", i, err, len(out), un)
		}
		got, dict = append(got, out...), out
		p += 8 + n
	}
	if !bytes.Equal(got, want) {
		t.Errorf("folder data (%d bytes) is not the inputs (%d bytes)", len(got), len(want))
	}
}

// The training slides: the hold list table on slide 2 has a row per
// book (more rows than people), every row with its patron's name and
// phone; slides 1 and 3 hold no planted value.
func TestKenshuSlides(t *testing.T) {
	m, files := load(t)
	const p = TreeName + "/docs/kenshu_2011.pptx!/slide2"
	e := m.Lookup(p)
	if e == nil || e.Persons != 5 {
		t.Fatalf("%s: not in the manifest or not 5 persons", p)
	}
	var rows []string
	for _, l := range strings.Split(string(files[p]), "\n") {
		if strings.HasPrefix(l, "Y2011-") {
			rows = append(rows, l)
		}
	}
	if len(rows) <= e.Persons {
		t.Errorf("%d rows for %d persons", len(rows), e.Persons)
	}
	for i, r := range rows {
		f := strings.Split(r, "\t")
		if len(f) != 5 || !slices.Contains(e.Planted.Name, f[1]) || !slices.Contains(e.Planted.Phone, f[2]) {
			t.Errorf("row %d: want 5 cells with a planted name and phone", i+1)
		}
	}
}
