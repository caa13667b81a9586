package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func tarball(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	tw := tar.NewWriter(zw)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: "package/" + name, Mode: 0o644, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	return b.Bytes()
}

// TestRunSynthetic builds the tables from a made-up package in the
// package's format: wards become their city, a designated city gets its
// own code, a prefix entry covers its 100 codes, a code of two
// municipalities names none.
func TestRunSynthetic(t *testing.T) {
	tgz := tarball(t, map[string]string{
		"master/pref.json": `{"pref":{"23":["愛知県","ｱｲﾁｹﾝ"],"24":["三重県","ﾐｴｹﾝ"]}}`,
		"master/city.json": `{"city":{"23101":["名古屋市千種区","x"],"23102":["名古屋市東区","x"],"23202":["岡崎市","x"],"23235":["弥富市","x"],"24303":["桑名郡木曽岬町","x"]}}`,
		"master/zip5.json": `{"zip5":{"44400":23202,"46100":[23102,"東片端町"]}}`,
		"master/zip7.json": `{"zip7":{"4440001":"町A","4440002":"町B","4440005":"町C","4640001":[23101,"町D"],"4640003":[23101,"町E"],"4980000":[23235,"","x",24303,""]}}`,
		"README.md":        "x",
	})
	dir := t.TempDir()
	if err := run(tgz, dir); err != nil {
		t.Fatal(err)
	}
	m, _ := os.ReadFile(filepath.Join(dir, "municipalities.txt"))
	p, _ := os.ReadFile(filepath.Join(dir, "postal_codes.txt"))
	for _, want := range []string{"23100\t愛知県\t名古屋市\t名古屋市\n", "23101\t愛知県\t名古屋市\t名古屋市千種区\n",
		"23202\t愛知県\t岡崎市\t岡崎市\n", "24303\t三重県\t桑名郡木曽岬町\t桑名郡木曽岬町\n"} {
		if !strings.Contains(string(m), want) {
			t.Errorf("municipalities.txt lacks %q:\n%s", want, m)
		}
	}
	for _, want := range []string{"4440001\t4440005\t23202\n", "4610000\t4640003\t23100\n",
		"4980000\t4980000\t-\n"} {
		if !strings.Contains(string(p), want) {
			t.Errorf("postal_codes.txt lacks %q:\n%s", want, p)
		}
	}
	if _, err := readMasters(tarball(t, map[string]string{"master/pref.json": `{"pref":{}}`})); err == nil {
		t.Error("a package without its tables was accepted")
	}
}

// TestGeneratedFilesUpToDate regenerates the tables from the cached
// pinned package (go generate puts it there) and compares them with the
// checked-in files. Without the cached package it skips: CI's freshness
// step runs go generate, which fetches it.
func TestGeneratedFilesUpToDate(t *testing.T) {
	p, err := tarballPath()
	if err != nil {
		t.Skip(err)
	}
	tgz, err := os.ReadFile(p)
	if err != nil || integrity(tgz) != pkgIntegrity {
		t.Skipf("%s@%s is not cached (run go generate ./patterns/...)", pkgName, pkgVersion)
	}
	dir := t.TempDir()
	if err := run(tgz, dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"municipalities.txt", "postal_codes.txt"} {
		got, _ := os.ReadFile(filepath.Join(dir, f))
		want, err := os.ReadFile(filepath.Join("..", "..", f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("patterns/%s is stale: run go generate ./patterns/...", f)
		}
	}
}
