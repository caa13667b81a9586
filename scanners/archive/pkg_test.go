package archive

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rouei/rouei/scanners"
)

// The seed files in testdata were made with the real tools from one
// made-up README ("readme of the seed package\n"): seed.deb with
// dpkg-deb -Zxz, seed.rpm with rpmbuild (gzip payload, _buildhost
// build.example), seed.cpio and seed-odc.cpio with cpio -H newc / odc,
// seed.sqfs with mksquashfs -comp gzip, seed-fat.img with mkfs.vfat
// -F 12 and mcopy, seed.msi with wixl. They also seed FuzzWalk.

const seedText = "readme of the seed package\n"

func TestPackageSeeds(t *testing.T) {
	for _, tc := range []struct {
		file, kind string
		want       map[string]string // member → content ("" : any)
	}{
		{"seed.deb", "deb", map[string]string{"DEBIAN/control": "", "usr/share/opac/README": seedText}},
		{"seed.rpm", "rpm", map[string]string{"usr/share/opac/README": seedText}},
		{"seed.cpio", "cpio", map[string]string{"usr/share/opac/README": seedText}},
		{"seed-odc.cpio", "cpio", map[string]string{"usr/share/opac/README": seedText}},
		{"seed.sqfs", "squashfs", map[string]string{"opt/opac/README": seedText}},
		{"seed-fat.img", "disk-image", map[string]string{"OPAC/README.TXT": seedText}},
		{"seed.msi", "msi", map[string]string{"OPAC/readme_long_name.txt": seedText, "Property": "", "File": "", "Directory": ""}},
	} {
		data := readTestdata(t, tc.file)
		op := Identify(tc.file, data[:min(len(data), 64<<10)])
		if op == nil && tc.kind == "msi" {
			op = IdentifyMSI(data)
		}
		if op == nil || op.Kind() != tc.kind {
			t.Errorf("%s: opener %v, want %s", tc.file, op, tc.kind)
			continue
		}
		ms, err := walk(t, op, tc.file, data, scanners.DefaultLimits)
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		var names []string
		for _, m := range ms {
			names = append(names, m.name)
			if m.err != nil || m.readErr != nil || m.notice != nil {
				t.Errorf("%s: %s: %v %v %v", tc.file, m.name, m.err, m.readErr, m.notice)
			}
		}
		for n, content := range tc.want {
			if !slices.Contains(names, n) {
				t.Errorf("%s: no member %s among %q", tc.file, n, names)
				continue
			}
			if m := find(t, ms, n); content != "" && string(m.data) != content {
				t.Errorf("%s: %s = %q", tc.file, n, m.data)
			}
		}
		for _, n := range names {
			if strings.Contains(n, "data.tar") || strings.Contains(n, "control.tar") || strings.HasPrefix(n, "./") || strings.HasPrefix(n, "/") {
				t.Errorf("%s: member name %q", tc.file, n)
			}
		}
	}
}

// TestPackageSeedsTruncated: every seed cut short inside its content
// gives no panic; the streamed formats (deb, rpm, cpio) give an error.
func TestPackageSeedsTruncated(t *testing.T) {
	for _, file := range []string{"seed.deb", "seed.rpm", "seed.cpio", "seed-odc.cpio", "seed.sqfs", "seed-fat.img", "seed.msi"} {
		data := readTestdata(t, file)
		end := len(bytes.TrimRight(data, "\x00")) // archives end in zero padding
		stream := !strings.HasSuffix(file, ".sqfs") && !strings.HasSuffix(file, ".img") && !strings.HasSuffix(file, ".msi")
		for k := 1; k < 8; k++ {
			cut := end * k / 8
			b := data[:cut]
			op := Identify(file, b[:min(len(b), 64<<10)])
			if op == nil {
				op = IdentifyMSI(b)
			}
			if op == nil {
				continue
			}
			ms, err := walk(t, op, file, b, scanners.DefaultLimits)
			bad := err != nil
			for _, m := range ms {
				bad = bad || m.err != nil || m.readErr != nil
			}
			if stream && !bad {
				t.Errorf("%s cut at %d of %d: no error (%d members)", file, cut, len(data), len(ms))
			}
		}
	}
}

// TestCompressedTarBounded: a member the engine does not read still
// counts against the container's limits when a tar inside gzip is
// skipped through.
func TestCompressedTarBounded(t *testing.T) {
	big := makeTar(t, tarEntry{hdr: tar.Header{Name: "zeros.bin"}, data: make([]byte, 8<<20)}, tarEntry{hdr: tar.Header{Name: "b.txt"}, data: []byte("b")})
	gz := gzipBytes(t, big)
	lim := scanners.Limits{MaxArchiveBytes: 2 << 20}
	err := gzipOpener.Walk(context.Background(), scanners.Source{Name: "x.tar.gz", Reader: bytes.NewReader(gz), Size: -1}, lim,
		func(m scanners.Member) error { return nil }) // never reads a member
	if !errors.Is(err, scanners.ErrLimit) {
		t.Fatalf("skipping an unread 8 MiB member under a 2 MiB limit: %v", err)
	}
}

// pakFile builds a resource pack (version 5) of the resources.
func pakFile(res ...[]byte) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.Write(le.AppendUint32(nil, 5))
	b.Write(le.AppendUint32(nil, 1))
	b.Write(le.AppendUint16(nil, uint16(len(res))))
	b.Write(le.AppendUint16(nil, 0))
	off := 12 + 6*(len(res)+1)
	for i, r := range res {
		b.Write(le.AppendUint16(nil, uint16(100+i)))
		b.Write(le.AppendUint32(nil, uint32(off)))
		off += len(r)
	}
	b.Write(le.AppendUint16(nil, 0))
	b.Write(le.AppendUint32(nil, uint32(off)))
	for _, r := range res {
		b.Write(r)
	}
	return b.Bytes()
}

func TestPak(t *testing.T) {
	gz := gzipBytes(t, []byte("<html>gzip'd resource</html>\n"))
	data := pakFile([]byte("plain resource\n"), gz, []byte("x"))
	op := Identify("resources.pak", data)
	if op == nil || op.Kind() != "pak" {
		t.Fatalf("opener %v", op)
	}
	ms, err := walk(t, op, "resources.pak", data, scanners.DefaultLimits)
	if err != nil || len(ms) != 3 || ms[0].name != "100" || string(ms[0].data) != "plain resource\n" || !bytes.Equal(ms[1].data, gz) {
		t.Fatalf("%v %+v", err, ms)
	}
	// not packs: text starting with a small number, a table that does
	// not end where the data starts
	for _, b := range [][]byte{[]byte("5\x00\x00\x00hello world, not a pack"), append([]byte{5, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0}, make([]byte, 40)...)} {
		if identifyPak(b) {
			t.Errorf("%q identified as a pack", b)
		}
	}
	// a resource past the end is a member error
	bad := pakFile([]byte("abc"))
	binary.LittleEndian.PutUint32(bad[12+6+2:], 1<<20)
	ms, _ = walk(t, pakOpener{}, "bad.pak", bad, scanners.DefaultLimits)
	if len(ms) != 1 || ms[0].err == nil {
		t.Errorf("resource outside the pack: %+v", ms)
	}
}

// TestDiskImageIdentify: a partition table or FAT boot sector is told
// from other data with 0x55AA at 510.
func TestDiskImageIdentify(t *testing.T) {
	mbr := make([]byte, 2048)
	mbr[510], mbr[511] = 0x55, 0xAA
	entry := mbr[446:]
	entry[4] = 0x0c
	binary.LittleEndian.PutUint32(entry[8:], 2048)
	binary.LittleEndian.PutUint32(entry[12:], 4096)
	if !isDiskImage(mbr) {
		t.Error("MBR with one partition not recognised")
	}
	notMBR := bytes.Repeat([]byte("boot code "), 110)[:1024]
	notMBR[510], notMBR[511] = 0x55, 0xAA
	if isDiskImage(notMBR) {
		t.Error("text with 55AA taken for a disk")
	}
	empty := make([]byte, 1024)
	empty[510], empty[511] = 0x55, 0xAA
	if isDiskImage(empty) {
		t.Error("empty partition table taken for a disk")
	}
	fat := readTestdata(t, "seed-fat.img")
	if !isFATBoot(fat) || !isDiskImage(fat) {
		t.Error("FAT12 boot sector not recognised")
	}
	for name, head := range map[string][]byte{
		"vmdk": []byte("KDMV\x01\x00\x00\x00"), "qcow2": []byte("QFI\xfb\x00\x00\x00\x02"), "vhd": []byte("conectix"),
		"vhdx": []byte("vhdxfile"), "vdi": append(append([]byte("<<< Oracle VM VirtualBox Disk Image >>>\n"), make([]byte, 24)...), 0x7f, 0x10, 0xda, 0xbe),
	} {
		op := Identify(name, append(head, make([]byte, 100)...))
		if op == nil || op.Kind() != name {
			t.Errorf("%s: %v", name, op)
			continue
		}
		if err := op.Walk(context.Background(), scanners.Source{}, scanners.DefaultLimits, nil); !errors.Is(err, ErrApplianceImage) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, mark := range []string{"\xEF\xBE\xAD\xDENullsoftInst", "Inno Setup Setup Data", "InstallShield", "7-Zip SFX", "WinRAR SFX"} {
		pe := append([]byte("MZ\x90\x00"), make([]byte, 2000)...)
		copy(pe[1500:], mark)
		op := Identify("setup.exe", pe)
		if op == nil || op.Kind() != "installer" {
			t.Errorf("%q: %v", mark, op)
			continue
		}
		if err := op.Walk(context.Background(), scanners.Source{}, scanners.DefaultLimits, nil); !errors.Is(err, ErrInstaller) {
			t.Errorf("%q: %v", mark, err)
		}
	}
	if op := Identify("plain.exe", append([]byte("MZ\x90\x00"), make([]byte, 2000)...)); op != nil {
		t.Errorf("a plain PE: %v", op)
	}
}

// TestDebHostile: ar members that are not what a package holds, and a
// data.tar in a compression not read.
func TestDebHostile(t *testing.T) {
	member := func(name string, data []byte) []byte {
		var b bytes.Buffer
		fmt.Fprintf(&b, "%-16s%-12d%-6d%-6d%-8o%-10d`\n", name, 0, 0, 0, 0o644, len(data))
		b.Write(data)
		if len(data)%2 == 1 {
			b.WriteByte('\n')
		}
		return b.Bytes()
	}
	tarball := makeTar(t, tarEntry{hdr: tar.Header{Name: "./etc/opac/../../../etc/passwd"}, data: []byte("x")},
		tarEntry{hdr: tar.Header{Name: "./usr/share/a.csv"}, data: []byte("a,b\n")})
	deb := bytes.Join([][]byte{[]byte("!<arch>\n"), member("debian-binary", []byte("2.0\n")),
		member("control.tar.gz", gzipBytes(t, makeTar(t, tarEntry{hdr: tar.Header{Name: "./control"}, data: []byte("Package: x\n")}))),
		member("data.tar.lzma", []byte{0x5D, 0, 0, 0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}),
	}, nil)
	ms, err := walk(t, Identify("x.deb", deb), "x.deb", deb, scanners.DefaultLimits)
	if err == nil || !strings.Contains(err.Error(), "lzma") || len(ms) != 1 || ms[0].name != "DEBIAN/control" {
		t.Errorf("lzma data.tar: %v %+v", err, ms)
	}
	deb = bytes.Join([][]byte{[]byte("!<arch>\n"), member("debian-binary", []byte("2.0\n")), member("data.tar", tarball), member("_gpgorigin", []byte("sig"))}, nil)
	ms, err = walk(t, Identify("x.deb", deb), "x.deb", deb, scanners.DefaultLimits)
	if err != nil || len(ms) != 3 || ms[0].notice == nil || ms[1].name != "usr/share/a.csv" || ms[2].name != "_gpgorigin" {
		t.Errorf("traversal in data.tar: %v %+v", err, ms)
	}
}

// TestHostileFAT: a FAT boot sector declaring tables larger than the
// image is refused before go-diskfs would allocate them.
func TestHostileFAT(t *testing.T) {
	fat := append([]byte(nil), readTestdata(t, "seed-fat.img")...)
	for _, set := range []func([]byte){
		func(b []byte) {
			binary.LittleEndian.PutUint16(b[22:], 0xFFFF)
			binary.LittleEndian.PutUint16(b[11:], 4096)
		},
		func(b []byte) { b[16] = 200 },
	} {
		b := append([]byte(nil), fat...)
		set(b)
		op := Identify("x.img", b)
		if op == nil {
			t.Fatal("not identified")
		}
		if _, err := walk(t, op, "x.img", b, scanners.DefaultLimits); err == nil || !strings.Contains(err.Error(), "FAT boot sector declares") {
			t.Errorf("hostile FAT: %v", err)
		}
	}
}
