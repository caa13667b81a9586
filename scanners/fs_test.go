package scanners

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

type recSink struct {
	items  []string
	data   map[string]string
	errs   []string
	skips  []string
	reason map[string]string
}

func (s *recSink) Item(it Item) error {
	s.items = append(s.items, it.Path)
	rc, err := it.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return err
	}
	s.data[it.Path] = string(b)
	return nil
}
func (s *recSink) Error(path string, err error) { s.errs = append(s.errs, path+": "+err.Error()) }
func (s *recSink) Skip(path, reason string) {
	s.skips = append(s.skips, path)
	s.reason[path] = reason
}

func newRecSink() *recSink {
	return &recSink{data: map[string]string{}, reason: map[string]string{}}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWalkFSOrderLinksAndSpecialFiles(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "dist")
	outside := filepath.Join(base, "outside")
	write(t, filepath.Join(root, "b.txt"), "b")
	write(t, filepath.Join(root, "a", "z.csv"), "z")
	write(t, filepath.Join(root, "a", "y.csv"), "y")
	write(t, filepath.Join(root, "c", "x.txt"), "x")
	write(t, filepath.Join(outside, "secret.txt"), "s")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(root, "out-file")))
	must(os.Symlink(outside, filepath.Join(root, "out-dir")))
	must(os.Symlink("../a", filepath.Join(root, "c", "loop-sibling"))) // inside: followed
	must(os.Symlink("..", filepath.Join(root, "a", "loop-up")))        // back into an active dir: loop
	must(os.Symlink("b.txt", filepath.Join(root, "link-b")))           // inside: followed
	must(os.Symlink("missing", filepath.Join(root, "dangling")))
	must(syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644))

	s := newRecSink()
	if err := WalkFS(context.Background(), root, s); err != nil {
		t.Fatalf("WalkFS: %v", err)
	}
	wantItems := []string{
		root + "/a/y.csv", root + "/a/z.csv", root + "/b.txt",
		root + "/c/loop-sibling/y.csv", root + "/c/loop-sibling/z.csv", root + "/c/x.txt",
		root + "/link-b",
	}
	if !reflect.DeepEqual(s.items, wantItems) {
		t.Errorf("items:\n got %q\nwant %q", s.items, wantItems)
	}
	if s.data[root+"/link-b"] != "b" {
		t.Errorf("link-b content = %q, want the linked file's", s.data[root+"/link-b"])
	}
	wantSkips := map[string]string{
		root + "/a/loop-up":              "loop",
		root + "/c/loop-sibling/loop-up": "loop",
		root + "/dangling":               "dangling",
		root + "/fifo":                   "FIFO",
		root + "/out-dir":                "out of the target",
		root + "/out-file":               "out of the target",
	}
	if len(s.skips) != len(wantSkips) {
		t.Errorf("skips = %q, want %d entries", s.skips, len(wantSkips))
	}
	for p, word := range wantSkips {
		if !strings.Contains(s.reason[p], word) {
			t.Errorf("skip reason for %s = %q, want it to mention %q", p, s.reason[p], word)
		}
	}
	if len(s.errs) != 0 {
		t.Errorf("unexpected errors: %q", s.errs)
	}
}

func TestWalkFSDisplayPathKeepsTargetAsGiven(t *testing.T) {
	base := t.TempDir()
	write(t, filepath.Join(base, "dist", "data", "a.csv"), "a")
	t.Chdir(base)
	for _, target := range []string{"dist", "dist/"} {
		s := newRecSink()
		if err := WalkFS(context.Background(), target, s); err != nil {
			t.Fatal(err)
		}
		if want := []string{"dist/data/a.csv"}; !reflect.DeepEqual(s.items, want) {
			t.Errorf("target %q: items %q, want %q", target, s.items, want)
		}
	}
	s := newRecSink()
	if err := WalkFS(context.Background(), "dist/data/a.csv", s); err != nil {
		t.Fatal(err)
	}
	if want := []string{"dist/data/a.csv"}; !reflect.DeepEqual(s.items, want) {
		t.Errorf("single file: items %q, want %q", s.items, want)
	}
}

func TestWalkFSMissingTarget(t *testing.T) {
	err := WalkFS(context.Background(), filepath.Join(t.TempDir(), "nope"), newRecSink())
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("err = %v, want a no-such-file error", err)
	}
}

func TestWalkFSStopsWhenCancelled(t *testing.T) {
	root := t.TempDir()
	for _, n := range []string{"a", "b", "c"} {
		write(t, filepath.Join(root, n), n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := newRecSink()
	if err := WalkFS(ctx, root, s); err == nil {
		t.Fatal("want context error")
	}
	if len(s.items) != 0 {
		t.Errorf("items after cancel: %q", s.items)
	}
}
