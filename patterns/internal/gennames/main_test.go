package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesUpToDate regenerates the word lists into a temporary
// directory and compares them with the checked-in files, so a stale list
// (or a generator change without `go generate`) fails the tests.
func TestGeneratedFilesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole IPA dictionary")
	}
	dir := t.TempDir()
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"surnames.txt", "given_names.txt"} {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("patterns/%s is stale: run go generate ./patterns/...", f)
		}
		if n := bytes.Count(got, []byte("\n")); n < 10000 {
			t.Errorf("%s: only %d lines", f, n)
		}
	}
}

func TestHelpers(t *testing.T) {
	for s, want := range map[string]bool{"佐藤": true, "あい子": true, "さくら": false, "ジョーンズ": false} {
		if hasKanji(s) != want {
			t.Errorf("hasKanji(%q) = %v", s, !want)
		}
	}
	for s, want := range map[string]bool{"サトウ": true, "ハセガワ": true, "さとう": false, "": false, "*": false} {
		if isKatakana(s) != want {
			t.Errorf("isKatakana(%q) = %v", s, !want)
		}
	}
}
