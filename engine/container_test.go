package engine

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners"
)

// boxOpener reads a toy container format made for these tests: a first
// line "BOX", then one member per line, "name=content" with "\n" written
// as "|"; a name starting with "!" is an error member, "?" a notice, and
// "#" a text member; content "BOX;…" is a nested box (';' for newlines).
type boxOpener struct{ random bool }

func (boxOpener) Kind() string              { return "box" }
func (b boxOpener) NeedsRandomAccess() bool { return b.random }
func (b boxOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	if b.random && (src.At == nil || src.Size <= 0) {
		return errors.New("box: no random access")
	}
	sc := bufio.NewScanner(src.Reader)
	sc.Scan() // BOX
	n := 0
	for sc.Scan() {
		if n++; n > lim.MaxMembers {
			return scanners.ErrLimit
		}
		name, content, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			return errors.New("box: corrupt line")
		}
		content = strings.NewReplacer("|", "\n", ";", "\n").Replace(content)
		m := scanners.Member{Name: name, Size: int64(len(content)),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(content)), nil }}
		switch name[0] {
		case '!':
			m.Err, m.Open = scanners.ErrEncrypted, nil
		case '?':
			m.Notice = errors.New("member name escapes the archive")
		case '#':
			m.Text = true
		}
		if err := yield(m); err != nil {
			return err
		}
	}
	return nil
}

func boxes(random bool) func(string, []byte) scanners.Opener {
	return func(_ string, head []byte) scanners.Opener {
		if bytes.HasPrefix(head, []byte("BOX\n")) {
			return boxOpener{random: random}
		}
		return nil
	}
}

func TestContainersAreWalkedWithBangPaths(t *testing.T) {
	box := "BOX\n" +
		"docs/readme.txt=nothing here\n" +
		"data/list.csv=氏名,電話番号|佐藤 健一,090-3141-5926|高橋 恵子,080-2718-2818\n" +
		"inner.box=BOX;deep/memo.txt=連絡先 070-1414-2135\n" +
		"!secret.csv=x\n" +
		"?../../etc/passwd=root 052-314-1592\n" +
		"#督促=氏名\t電話番号|中村 大輔\t0564-27-1828\n"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "release.box"), []byte(box), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, random := range []bool{false, true} {
		r, err := Scan(context.Background(), []string{dir}, Options{Containers: boxes(random)})
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]int{}
		for _, f := range r.Files {
			files[strings.TrimPrefix(f.Path, dir+"/")] = f.Findings
		}
		for _, p := range []string{
			"release.box!/data/list.csv", "release.box!/inner.box!/deep/memo.txt",
			"release.box!/?../../etc/passwd", "release.box!/#督促",
		} {
			if files[p] == 0 {
				t.Errorf("random=%v: no findings for %s (files: %v)", random, p, files)
			}
		}
		errs := map[string]string{}
		for _, e := range r.Errors {
			errs[strings.TrimPrefix(e.Path, dir+"/")] = e.Error
		}
		if !strings.Contains(errs["release.box!/!secret.csv"], "encrypted") {
			t.Errorf("random=%v: encrypted member not reported: %v", random, errs)
		}
		if !strings.Contains(errs["release.box!/?../../etc/passwd"], "escapes") {
			t.Errorf("random=%v: path trick not reported: %v", random, errs)
		}
		if _, listed := files["release.box"]; listed {
			t.Errorf("random=%v: the container itself is listed though it had no error of its own", random)
		}
		if r.Stats.Archives != 2 || r.Stats.Files != 5 {
			t.Errorf("random=%v: stats %+v, want 2 archives and 5 files", random, r.Stats)
		}
	}
}

func TestContainerLimits(t *testing.T) {
	nest := "BOX\na.box=BOX;b.txt=090-3141-5926\n"
	opt := Options{Containers: boxes(false), Limits: scanners.Limits{MaxDepth: 1}}
	opt = opt.withDefaults()
	rs := scanTree(context.Background(), memItem("n.box", []byte(nest)), &opt, newWorkspace(), 0, false)
	var msgs []string
	for _, r := range rs {
		for _, e := range r.errors {
			msgs = append(msgs, e.Path+": "+e.Error)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "n.box!/a.box") || !strings.Contains(msgs[0], "limit") {
		t.Errorf("depth limit: errors %q", msgs)
	}

	many := "BOX\n" + strings.Repeat("m.txt=x\n", 10)
	opt = Options{Containers: boxes(false), Limits: scanners.Limits{MaxMembers: 3}}
	opt = opt.withDefaults()
	rs = scanTree(context.Background(), memItem("m.box", []byte(many)), &opt, newWorkspace(), 0, false)
	if len(rs) != 4 || len(rs[0].errors) != 1 || !strings.Contains(rs[0].errors[0].Error, "limit") {
		t.Errorf("member limit: %d results, container errors %v", len(rs), rs[0].errors)
	}
	if rs[0].file == nil || rs[0].file.Classification != detectors.ClassNone {
		t.Errorf("a container with errors is listed as a file")
	}
}

func TestContainerSpoolsToAPrivateTempDirThatIsRemoved(t *testing.T) {
	box := "BOX\nlist.txt=連絡先 090-3141-5926\n"
	opt := Options{Containers: boxes(true), Limits: scanners.Limits{MaxInMemoryBytes: 4}}
	opt = opt.withDefaults()
	rs := scanTree(context.Background(), memItem("s.box", []byte(box)), &opt, newWorkspace(), 0, false)
	if len(rs) != 2 || rs[1].file == nil || rs[1].file.Findings != 1 {
		t.Fatalf("spooled container: %d results", len(rs))
	}
	dir := opt.state.tmpDir
	if dir == "" {
		t.Fatal("nothing was spooled to a temp dir")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("spool files left behind: %d", len(ents))
	}
	opt.state.close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("temp dir not removed")
	}
	opt.Limits.MaxSpoolBytes = 8
	opt.state = &scanState{}
	defer opt.state.close()
	rs = scanTree(context.Background(), memItem("s.box", []byte(box)), &opt, newWorkspace(), 0, false)
	if len(rs[0].errors) != 1 || !strings.Contains(rs[0].errors[0].Error, "limit") {
		t.Errorf("spool limit: %v", rs[0].errors)
	}
}

// TestNestedZipBomb: zips nested in zips deeper than the limit (the shape
// of 42.zip) stop at the depth limit with an error, not a crash.
func TestNestedZipBomb(t *testing.T) {
	data := []byte("連絡先 090-3141-5926\n")
	name := "memo.txt"
	for level := 0; level < 12; level++ {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for i := 0; i < 2; i++ { // two copies a level, like 42.zip's sixteen
			w, err := zw.Create(fmt.Sprintf("%d-%s", i, name))
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
		}
		zw.Close()
		data, name = b.Bytes(), fmt.Sprintf("l%d.zip", level)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "42.zip"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Scan(context.Background(), []string{dir}, Options{Limits: scanners.Limits{MaxDepth: 4}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Stats.Archives == 0 || len(r.Errors) == 0 {
		t.Fatalf("archives %d, errors %d: the depth limit did not stop the nesting", r.Stats.Archives, len(r.Errors))
	}
	for _, e := range r.Errors {
		if !strings.Contains(e.Error, "limit") || strings.Count(e.Path, "!/") != 4 {
			t.Errorf("error at %s: %s", e.Path, e.Error)
		}
	}
	// Exit status 3 territory: the report is incomplete, and says so.
	if r.Verdict(detectors.Critical) != report.Incomplete {
		t.Errorf("verdict %v, want incomplete", r.Verdict(detectors.Critical))
	}
}
