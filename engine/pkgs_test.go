package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/samples"
	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/archive"
)

// The package tests build each install format with the real tool around
// the samples generator's overdue list (CP932, 40 people) and a clean
// document, and check the list's verdict inside is the plain file's.

const (
	overdueSample = "data/old/tokusoku_200506.csv"
	cleanSample   = "docs/README.txt"
)

// needTool skips the test when a tool is not installed, unless CI is
// set: then it fails.
func needTool(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed (CI is set; .ci/run installs it)", n)
			}
			t.Skipf("%s is not installed: skipped (set CI to make this a failure)", n)
		}
	}
}

// sampleBytes reads a file of the generated sample deliverable.
func sampleBytes(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(samples.DeliverableDir(), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// run runs a command in dir and fails the test with its output on error.
func run(t *testing.T, dir string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "SOURCE_DATE_EPOCH=1700000000")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// writeFile writes data to dir/rel, making the directories.
func writeFile(t *testing.T, dir, rel string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// scanPath scans one file or directory with the default options.
func scanPath(t *testing.T, target string) *report.Report {
	t.Helper()
	r, err := Scan(context.Background(), []string{target}, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// plainVerdict is the verdict of a sample file scanned on its own.
func plainVerdict(t *testing.T, rel string) report.File {
	t.Helper()
	dir := t.TempDir()
	p := writeFile(t, dir, filepath.Base(rel), sampleBytes(t, rel))
	r := scanPath(t, p)
	if len(r.Files) != 1 || len(r.Errors) != 0 {
		t.Fatalf("plain %s: %d files, errors %v", rel, len(r.Files), r.Errors)
	}
	return r.Files[0]
}

// checkPackaged scans pkg and checks the file at member (a path under
// pkg, "!/" levels included) has the plain file's classification,
// severity and exact persons, and that nothing was reported as an error.
func checkPackaged(t *testing.T, pkg, member string, plain report.File) {
	t.Helper()
	r := scanPath(t, pkg)
	for _, e := range r.Errors {
		t.Errorf("%s: unexpected error %s: %s", filepath.Base(pkg), e.Path, e.Error)
	}
	want := pkg + "!/" + member
	var paths []string
	for _, f := range r.Files {
		paths = append(paths, strings.TrimPrefix(f.Path, filepath.Dir(pkg)+"/"))
		if f.Path != want {
			continue
		}
		if f.Classification != plain.Classification || f.Persons != plain.Persons || f.Severity != plain.Severity {
			t.Errorf("%s: %s %s %d persons, plain file %s %s %d", member, f.Classification, f.Severity, f.Persons,
				plain.Classification, plain.Severity, plain.Persons)
		}
		return
	}
	t.Errorf("%s not reported; files: %q", want, paths)
}

// checkClean scans a package holding only clean files: no error and
// nothing above low.
func checkClean(t *testing.T, pkg string) {
	t.Helper()
	r := scanPath(t, pkg)
	for _, e := range r.Errors {
		t.Errorf("%s: unexpected error %s: %s", filepath.Base(pkg), e.Path, e.Error)
	}
	for _, f := range r.Files {
		if f.Severity > detectors.Low {
			t.Errorf("clean %s: %s rated %s", filepath.Base(pkg), f.Path, f.Severity)
		}
	}
	if r.Stats.Archives == 0 {
		t.Errorf("clean %s: not opened as a container", filepath.Base(pkg))
	}
}

const debControl = `Package: opac
Version: 2.3-1
Architecture: all
Maintainer: OPAC Packaging <packaging@example.com>
Description: OPAC for the fictional library
 Synthetic test package.
`

// buildDeb builds name.deb from the files (path → bytes) with dpkg-deb,
// its data.tar compressed with comp.
func buildDeb(t *testing.T, dir, name, comp string, files map[string][]byte) string {
	t.Helper()
	root := filepath.Join(dir, name+"-root")
	writeFile(t, root, "DEBIAN/control", []byte(debControl))
	for p, b := range files {
		writeFile(t, root, p, b)
	}
	out := filepath.Join(dir, name+".deb")
	run(t, dir, "dpkg-deb", "--root-owner-group", "-Z"+comp, "--build", root, out)
	return out
}

func TestDebPackages(t *testing.T) {
	needTool(t, "dpkg-deb")
	plain := plainVerdict(t, overdueSample)
	list := sampleBytes(t, overdueSample)
	for _, comp := range []string{"xz", "gzip", "zstd", "none"} {
		t.Run(comp, func(t *testing.T) {
			dir := t.TempDir()
			deb := buildDeb(t, dir, "opac_2.3-1_all", comp, map[string][]byte{
				"usr/share/opac/data/tokusoku_200506.csv": list,
				"usr/share/doc/opac/README.txt":           sampleBytes(t, cleanSample),
			})
			checkPackaged(t, deb, "usr/share/opac/data/tokusoku_200506.csv", plain)
			for _, f := range scanPath(t, deb).Files {
				if strings.Contains(f.Path, "data.tar") || strings.Contains(f.Path, "control.tar") {
					t.Errorf("a tar level in a member path: %s", f.Path)
				}
			}
			clean := buildDeb(t, dir, "opac-doc_2.3-1_all", comp, map[string][]byte{
				"usr/share/doc/opac/README.txt": sampleBytes(t, cleanSample),
			})
			checkClean(t, clean)
		})
	}
}

// buildRPM builds a noarch rpm of the files with rpmbuild, its payload
// compressed as payload says (rpm's _binary_payload: w9.gzdio …).
func buildRPM(t *testing.T, dir, name, payload string, files map[string][]byte) string {
	t.Helper()
	top := filepath.Join(dir, name+"-top")
	src := filepath.Join(top, "files")
	var list, install strings.Builder
	for p, b := range files {
		writeFile(t, src, p, b)
		list.WriteString("/" + p + "\n")
		install.WriteString("mkdir -p %{buildroot}/" + filepath.Dir(p) + "\ncp " + filepath.Join(src, p) + " %{buildroot}/" + p + "\n")
	}
	spec := "Name: " + name + "\nVersion: 2.3\nRelease: 1\nSummary: synthetic test package\nLicense: none\nBuildArch: noarch\n" +
		"%description\nSynthetic test package.\n%install\n" + install.String() + "%files\n" + list.String()
	specPath := writeFile(t, top, name+".spec", []byte(spec))
	run(t, dir, "rpmbuild", "-bb", "--quiet", "--define", "_topdir "+top, "--define", "_binary_payload "+payload,
		"--define", "__os_install_post %{nil}", "--define", "_build_id_links none", specPath)
	out := filepath.Join(top, "RPMS", "noarch", name+"-2.3-1.noarch.rpm")
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRPMPackages(t *testing.T) {
	needTool(t, "rpmbuild")
	plain := plainVerdict(t, overdueSample)
	list := sampleBytes(t, overdueSample)
	for _, payload := range []string{"w9.gzdio", "w6.xzdio", "w19.zstdio", "w9.bzdio"} {
		t.Run(payload, func(t *testing.T) {
			dir := t.TempDir()
			rpm := buildRPM(t, dir, "opac", payload, map[string][]byte{
				"usr/share/opac/data/tokusoku_200506.csv": list,
				"usr/share/doc/opac/README.txt":           sampleBytes(t, cleanSample),
			})
			checkPackaged(t, rpm, "usr/share/opac/data/tokusoku_200506.csv", plain)
			clean := buildRPM(t, dir, "opac-doc", payload, map[string][]byte{
				"usr/share/doc/opac/README.txt": sampleBytes(t, cleanSample),
			})
			checkClean(t, clean)
		})
	}
}

// TestCpioArchives: cpio's own formats (newc, crc, odc, old binary),
// alone and gzip-compressed.
func TestCpioArchives(t *testing.T) {
	needTool(t, "cpio", "gzip")
	plain := plainVerdict(t, overdueSample)
	for _, format := range []string{"newc", "crc", "odc", "bin"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			tree := filepath.Join(dir, "tree")
			writeFile(t, tree, "opac/data/tokusoku_200506.csv", sampleBytes(t, overdueSample))
			writeFile(t, tree, "opac/doc/README.txt", sampleBytes(t, cleanSample))
			writeFile(t, dir, "list", []byte("opac\nopac/data\nopac/data/tokusoku_200506.csv\nopac/doc\nopac/doc/README.txt\n"))
			writeFile(t, dir, "cleanlist", []byte("opac/doc/README.txt\n"))
			sh := func(cmd string) { run(t, dir, "sh", "-c", cmd) }
			sh("cd tree && cpio --quiet -o -H " + format + " < ../list > ../opac.cpio")
			sh("cd tree && cpio --quiet -o -H " + format + " < ../cleanlist > ../clean.cpio")
			sh("gzip -9 -k opac.cpio && gzip -9 -k clean.cpio")
			checkPackaged(t, filepath.Join(dir, "opac.cpio"), "opac/data/tokusoku_200506.csv", plain)
			checkPackaged(t, filepath.Join(dir, "opac.cpio.gz"), "opac.cpio!/opac/data/tokusoku_200506.csv", plain)
			checkClean(t, filepath.Join(dir, "clean.cpio"))
			checkClean(t, filepath.Join(dir, "clean.cpio.gz"))
		})
	}
}

// buildMSI builds an MSI with wixl: the files (long name → bytes) in an
// embedded cabinet, installed under dirs (directory names below the
// program files folder).
func buildMSI(t *testing.T, dir, name string, dirs []string, files map[string][]byte) string {
	t.Helper()
	var comps, open, close strings.Builder
	for i, d := range dirs {
		fmt.Fprintf(&open, "<Directory Id=\"D%d\" Name=\"%s\">\n", i, d)
		close.WriteString("</Directory>\n")
	}
	comps.WriteString("<Component Id=\"C1\" Guid=\"12345678-1234-1234-1234-123456789013\">\n")
	i := 0
	for n, b := range files {
		i++
		src := fmt.Sprintf("%s-src/%d", name, i)
		writeFile(t, dir, src, b)
		fmt.Fprintf(&comps, "<File Id=\"F%d\" Name=\"%s\" Source=\"%s\"/>\n", i, n, src)
	}
	comps.WriteString("</Component>\n")
	wxs := `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
<Product Id="*" Name="OPAC" Language="1033" Version="2.3.0" Manufacturer="Example Vendor" UpgradeCode="12345678-1234-1234-1234-123456789012">
<Package InstallerVersion="200" Compressed="yes" Comments="synthetic"/>
<Media Id="1" Cabinet="data.cab" EmbedCab="yes"/>
<Property Id="SUPPORTURL" Value="https://opac.example.com/support"/>
<Directory Id="TARGETDIR" Name="SourceDir"><Directory Id="ProgramFilesFolder">
` + open.String() + comps.String() + close.String() + `</Directory></Directory>
<Feature Id="Main" Level="1"><ComponentRef Id="C1"/></Feature>
</Product>
</Wix>
`
	wxsPath := writeFile(t, dir, name+".wxs", []byte(wxs))
	out := filepath.Join(dir, name+".msi")
	run(t, dir, "wixl", "-o", out, filepath.Base(wxsPath))
	return out
}

func TestMSIPackages(t *testing.T) {
	needTool(t, "wixl")
	plain := plainVerdict(t, overdueSample)
	list := sampleBytes(t, overdueSample)
	for _, tc := range []struct {
		dirs   []string
		file   string
		member string
	}{
		{[]string{"OPAC"}, "tokusoku.csv", "OPAC/tokusoku.csv"},
		{[]string{"OPAC", "data", "old"}, "tokusoku_200506_backup.csv", "OPAC/data/old/tokusoku_200506_backup.csv"},
		{[]string{"Library System"}, "overdue list.csv", "Library System/overdue list.csv"},
		{[]string{"OPAC", "big"}, "tokusoku.csv", "OPAC/big/tokusoku.csv"}, // with a manual: past 64 KiB, wixl puts the directory last
	} {
		t.Run(tc.member, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string][]byte{tc.file: list, "readme.txt": sampleBytes(t, cleanSample)}
			cleanFiles := map[string][]byte{"readme.txt": sampleBytes(t, cleanSample)}
			if tc.dirs[len(tc.dirs)-1] == "big" {
				// lower-case letters and spaces: no detector fires, and
				// they do not compress below 64 KiB
				words := noise(21, 200<<10)
				for i, b := range words {
					words[i] = "abcdefghijklmnopqrstuvwxyz \n"[int(b)%28]
				}
				files["words.txt"], cleanFiles["words.txt"] = words, words
			}
			msi := buildMSI(t, dir, "setup", tc.dirs, files)
			if tc.dirs[len(tc.dirs)-1] == "big" {
				if b := mustRead(t, msi); len(b) < 64<<10 || archive.IdentifyMSI(b[:64<<10]) != nil {
					t.Fatalf("the big MSI's directory is in its first 64 KiB: the case is not tested")
				}
			}
			checkPackaged(t, msi, tc.member, plain)
			clean := buildMSI(t, dir, "clean", tc.dirs, cleanFiles)
			checkClean(t, clean)
		})
	}
}

// TestMSITables: the database's own tables are tab-separated members
// with their column names first, as SQLite tables are.
func TestMSITables(t *testing.T) {
	needTool(t, "wixl")
	dir := t.TempDir()
	msi := buildMSI(t, dir, "setup", []string{"OPAC"}, map[string][]byte{"readme.txt": []byte("readme\n")})
	var got []string
	op := DefaultContainers(msi, mustRead(t, msi))
	if op == nil || op.Kind() != "msi" {
		t.Fatalf("opener %v", op)
	}
	data := mustRead(t, msi)
	err := op.Walk(context.Background(), scanners.Source{Name: msi, Reader: bytes.NewReader(data), At: bytes.NewReader(data), Size: int64(len(data))},
		scanners.DefaultLimits, func(m scanners.Member) error {
			if m.Err != nil {
				t.Errorf("%s: %v", m.Name, m.Err)
				return nil
			}
			rc, err := m.Open()
			if err != nil {
				return err
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if m.Name == "Property" {
				if !m.Text || !strings.HasPrefix(string(b), "Property\tValue\n") || !strings.Contains(string(b), "SUPPORTURL\thttps://opac.example.com/support\n") {
					t.Errorf("Property member: text=%v %q", m.Text, b)
				}
			}
			got = append(got, m.Name)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Property", "File", "Directory", "Component", "Media", "OPAC/readme.txt"} {
		if !slices.Contains(got, want) {
			t.Errorf("no member %s among %q", want, got)
		}
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSquashfsImages: squashfs images made by mksquashfs with each
// compressor (lz4 through internal/squashfs, the rest through go-diskfs).
func TestSquashfsImages(t *testing.T) {
	needTool(t, "mksquashfs")
	plain := plainVerdict(t, overdueSample)
	for _, comp := range []string{"gzip", "xz", "zstd", "lzo", "lz4"} {
		t.Run(comp, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "root/opt/opac/data/tokusoku_200506.csv", sampleBytes(t, overdueSample))
			writeFile(t, dir, "root/opt/opac/README.txt", sampleBytes(t, cleanSample))
			writeFile(t, dir, "clean/opt/opac/README.txt", sampleBytes(t, cleanSample))
			run(t, dir, "mksquashfs", "root", "opac.sqfs", "-comp", comp, "-noappend", "-quiet")
			run(t, dir, "mksquashfs", "clean", "clean.sqfs", "-comp", comp, "-noappend", "-quiet")
			checkPackaged(t, filepath.Join(dir, "opac.sqfs"), "opt/opac/data/tokusoku_200506.csv", plain)
			checkClean(t, filepath.Join(dir, "clean.sqfs"))
		})
	}
}

// TestSquashfsLz4: lz4 images in the shapes mksquashfs makes them — high
// compression, small and large blocks, a list far larger than a block (so
// several data blocks) and lists packed as fragments, a symbolic link —
// read member by member; a truncated or corrupted image is an error
// entry, never a silent pass.
func TestSquashfsLz4(t *testing.T) {
	needTool(t, "mksquashfs")
	list := sampleBytes(t, overdueSample)
	var big bytes.Buffer // the list many times: far beyond one block
	for big.Len() < 600<<10 {
		big.Write(list)
	}
	for _, opts := range [][]string{{}, {"-Xhc"}, {"-b", "4096"}, {"-b", "1M", "-Xhc"}, {"-noD", "-noF"}} {
		t.Run(strings.Join(append([]string{"lz4"}, opts...), " "), func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "root/opt/opac/data/tokusoku_200506.csv", list)
			writeFile(t, dir, "root/opt/opac/data/all.csv", big.Bytes())
			writeFile(t, dir, "root/opt/opac/README.txt", sampleBytes(t, cleanSample))
			if err := os.Symlink("data/all.csv", filepath.Join(dir, "root/opt/opac/latest.csv")); err != nil {
				t.Fatal(err)
			}
			run(t, dir, "mksquashfs", append([]string{"root", "opac.sqfs", "-comp", "lz4", "-noappend", "-quiet"}, opts...)...)
			r := scanPath(t, filepath.Join(dir, "opac.sqfs"))
			// The one entry: the link, named and not followed.
			if len(r.Errors) != 1 || !strings.HasSuffix(r.Errors[0].Path, "!/opt/opac/latest.csv") || !strings.Contains(r.Errors[0].Error, "symbolic link") {
				t.Fatalf("errors: %+v", r.Errors)
			}
			got := map[string]report.File{}
			for _, f := range r.Files {
				got[f.Path] = f
			}
			base := filepath.Join(dir, "opac.sqfs") + "!/opt/opac/"
			for _, name := range []string{"data/tokusoku_200506.csv", "data/all.csv"} {
				f, ok := got[base+name]
				if !ok || f.Classification != "overdue_list" || f.Severity.String() != "critical" {
					t.Errorf("%s: %+v (files %d)", name, f, len(r.Files))
				}
			}
		})
	}
	t.Run("damaged", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, "root/opt/opac/data/tokusoku_200506.csv", list)
		run(t, dir, "mksquashfs", "root", "opac.sqfs", "-comp", "lz4", "-noappend", "-quiet", "-noF")
		img := mustRead(t, filepath.Join(dir, "opac.sqfs"))
		for name, b := range map[string][]byte{
			"truncated": img[:len(img)/2],
			"garbled":   garble(img),
		} {
			p := filepath.Join(dir, name+".sqfs")
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
			r := scanPath(t, p)
			if len(r.Errors) == 0 {
				t.Errorf("%s lz4 image: no error; files %+v", name, r.Files)
			}
		}
	})
}

// garble overwrites the bytes after an image's superblock with noise.
func garble(img []byte) []byte {
	b := bytes.Clone(img)
	for i := 96; i < len(b); i++ {
		b[i] ^= byte(i*131 + 7)
	}
	return b
}

// TestDiskImages: raw disk images made with sfdisk (MBR and GPT), FAT
// file systems made with mkfs.vfat and filled with mtools, an ISO 9660
// partition made with xorriso, and a FAT image without a partition table.
func TestDiskImages(t *testing.T) {
	needTool(t, "sfdisk", "mkfs.vfat", "mcopy", "mmd", "xorriso", "dd", "truncate")
	plain := plainVerdict(t, overdueSample)
	build := func(t *testing.T, dir string, withList bool) map[string]string {
		writeFile(t, dir, "iso/OPAC/README.txt", sampleBytes(t, cleanSample))
		writeFile(t, dir, "README.txt", sampleBytes(t, cleanSample))
		cp := "mcopy -i fat.img README.txt ::/OPAC/README.txt"
		if withList {
			writeFile(t, dir, "iso/OPAC/data/tokusoku_200506.csv", sampleBytes(t, overdueSample))
			writeFile(t, dir, "tokusoku_200506.csv", sampleBytes(t, overdueSample))
			cp += " && mcopy -i fat.img tokusoku_200506.csv ::/OPAC/tokusoku_200506.csv"
		}
		sh := func(cmd string) { run(t, dir, "sh", "-c", cmd) }
		sh("truncate -s 20M fat.img && mkfs.vfat -F 16 fat.img >/dev/null && mmd -i fat.img ::/OPAC && " + cp)
		sh("truncate -s 34M fat32.img && mkfs.vfat -F 32 fat32.img >/dev/null && mmd -i fat32.img ::/OPAC && " + strings.ReplaceAll(cp, "fat.img", "fat32.img"))
		sh("xorriso -as mkisofs -quiet -J -R -o part.iso iso 2>/dev/null")
		sh("truncate -s 64M mbr.img && printf 'label: dos\\nstart=2048, size=40960, type=c\\nstart=43008, type=83\\n' | sfdisk -q mbr.img" +
			" && dd if=fat.img of=mbr.img bs=512 seek=2048 conv=notrunc status=none && dd if=part.iso of=mbr.img bs=512 seek=43008 conv=notrunc status=none")
		sh("truncate -s 80M gpt.img && printf 'label: gpt\\nstart=2048, size=20000\\nstart=24576, size=69632, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7\\n' | sfdisk -q gpt.img" +
			" && dd if=part.iso of=gpt.img bs=512 seek=2048 conv=notrunc status=none && dd if=fat32.img of=gpt.img bs=512 seek=24576 conv=notrunc status=none")
		return map[string]string{
			"fat.img": "OPAC/tokusoku_200506.csv",
			"mbr.img": "p1/OPAC/tokusoku_200506.csv",
			"gpt.img": "p2/OPAC/tokusoku_200506.csv",
		}
	}
	dir := t.TempDir()
	for img, member := range build(t, dir, true) {
		checkPackaged(t, filepath.Join(dir, img), member, plain)
	}
	// the ISO 9660 partitions are read by the ISO reader, a level down
	checkPackaged(t, filepath.Join(dir, "mbr.img"), "p2!/OPAC/data/tokusoku_200506.csv", plain)
	checkPackaged(t, filepath.Join(dir, "gpt.img"), "p1!/OPAC/data/tokusoku_200506.csv", plain)
	cleanDir := t.TempDir()
	for img := range build(t, cleanDir, false) {
		checkClean(t, filepath.Join(cleanDir, img))
	}
}

// TestExtImages: ext4 file systems made by mke2fs -d, bare and as the
// second partition of a GPT disk.
func TestExtImages(t *testing.T) {
	needTool(t, "mkfs.ext4", "sfdisk", "dd", "truncate")
	plain := plainVerdict(t, overdueSample)
	for _, withList := range []bool{true, false} {
		dir := t.TempDir()
		writeFile(t, dir, "root/opt/opac/README.txt", sampleBytes(t, cleanSample))
		if withList {
			writeFile(t, dir, "root/opt/opac/data/tokusoku_200506.csv", sampleBytes(t, overdueSample))
		}
		sh := func(cmd string) { run(t, dir, "sh", "-c", cmd) }
		sh("truncate -s 8M ext.img && mkfs.ext4 -q -d root ext.img")
		sh("truncate -s 16M gpt.img && printf 'label: gpt\nstart=2048, size=4096\nstart=8192, size=16384\n' | sfdisk -q gpt.img" +
			" && dd if=ext.img of=gpt.img bs=512 seek=8192 conv=notrunc status=none")
		if withList {
			checkPackaged(t, filepath.Join(dir, "ext.img"), "opt/opac/data/tokusoku_200506.csv", plain)
			checkPackaged(t, filepath.Join(dir, "gpt.img"), "p2/opt/opac/data/tokusoku_200506.csv", plain)
			continue
		}
		checkClean(t, filepath.Join(dir, "ext.img"))
		r := scanPath(t, filepath.Join(dir, "gpt.img"))
		// the first partition is empty: handed on raw, scanned as a binary
		for _, e := range r.Errors {
			t.Errorf("clean gpt.img: %s: %s", e.Path, e.Error)
		}
	}
}

// TestUnreadableFormatsReported: appliance disks and installers whose
// payload is not read are error entries (exit 3), never silent passes;
// an OVA (a tar) is opened and its disk reported.
func TestUnreadableFormatsReported(t *testing.T) {
	dir := t.TempDir()
	pad := func(b []byte) []byte { return append(b, bytes.Repeat([]byte{0}, 4096)...) }
	pe := func(mark string) []byte {
		b := pad([]byte("MZ\x90\x00"))
		copy(b[1024:], mark)
		return b
	}
	cases := map[string][]byte{
		"disk.vmdk":         pad([]byte("KDMV\x01\x00\x00\x00")),
		"desc.vmdk":         pad([]byte("# Disk DescriptorFile\nversion=1\n")),
		"disk.qcow2":        pad([]byte("QFI\xfb\x00\x00\x00\x03")),
		"disk.vhd":          pad([]byte("conectix\x00\x00\x00\x02")),
		"disk.vhdx":         pad([]byte("vhdxfile")),
		"setup_nsis.exe":    pe("\xEF\xBE\xAD\xDENullsoftInst"),
		"setup_inno.exe":    pe("Inno Setup Setup Data (5.5.7)"),
		"setup_is.exe":      pe("InstallShield"),
		"sfx7z.exe":         pe("7-Zip SFX"),
		"winrar_sfx.exe":    pe("WinRAR SFX"),
		"appliance.ova.tar": nil,
	}
	for name, data := range cases {
		if data != nil {
			writeFile(t, dir, name, data)
		}
	}
	run(t, dir, "tar", "cf", "appliance.ova.tar", "disk.vmdk")
	r := scanPath(t, dir)
	got := map[string]string{}
	for _, e := range r.Errors {
		got[strings.TrimPrefix(e.Path, dir+"/")] = e.Error
	}
	for name := range cases {
		key := name
		if name == "appliance.ova.tar" {
			key = "appliance.ova.tar!/disk.vmdk"
		}
		e, ok := got[key]
		want := "appliance image not readable"
		if strings.HasSuffix(name, ".exe") {
			want = "installer payload not readable"
		}
		if !ok || !strings.Contains(e, want) {
			t.Errorf("%s: error %q, want %q (errors %q)", name, e, want, got)
		}
	}
}

// TestCompoundFileClassReadInWalk: when a compound file's directory is
// not in the sniffed head, the class is read in Walk: an Excel 97 file
// is still read as a workbook, an MSI as an installer.
func TestCompoundFileClassReadInWalk(t *testing.T) {
	xls := sampleBytes(t, "data/excel/riyosha.xls")
	walkNames := func(op scanners.Opener, data []byte) []string {
		var names []string
		err := op.Walk(context.Background(), scanners.Source{Name: "x", Reader: bytes.NewReader(data), At: bytes.NewReader(data), Size: int64(len(data))},
			scanners.DefaultLimits, func(m scanners.Member) error { names = append(names, m.Name); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return names
	}
	whole := DefaultContainers("riyosha.xls", xls[:min(len(xls), 64<<10)])
	cut := DefaultContainers("riyosha.xls", xls[:512]) // the directory lies past these bytes
	if whole == nil || cut == nil || whole.Kind() != "xls" {
		t.Fatalf("openers %v %v", whole, cut)
	}
	if a, b := walkNames(whole, xls), walkNames(cut, xls); len(a) == 0 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("xls: members %q with its directory in the head, %q without", a, b)
	}
	needTool(t, "wixl")
	msi := buildMSI(t, t.TempDir(), "setup", []string{"OPAC"}, map[string][]byte{"readme.txt": []byte("readme\n")})
	data := mustRead(t, msi)
	names := walkNames(DefaultContainers("setup.msi", data[:512]), data)
	if !slices.Contains(names, "OPAC/readme.txt") || !slices.Contains(names, "Property") {
		t.Fatalf("msi through the compound-file opener: %q", names)
	}
}
