package engine

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/samples"
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
			r := scanPath(t, deb)
			found := false
			for _, f := range r.Files {
				found = found || f.Path == deb+"!/DEBIAN/control"
				if strings.Contains(f.Path, "data.tar") || strings.Contains(f.Path, "control.tar") {
					t.Errorf("a tar level in a member path: %s", f.Path)
				}
			}
			_ = found // control is clean: it is listed only when it has findings
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
