package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rouei/rouei/scanners"
)

// got is what a walk yielded for one member.
type got struct {
	name    string
	size    int64
	data    []byte
	err     error // Member.Err
	notice  error // Member.Notice
	readErr error // error opening or reading the member
}

// walk runs op over data (random access and stream both given) and reads
// every member whole.
func walk(t testing.TB, op scanners.Opener, name string, data []byte, lim scanners.Limits) ([]got, error) {
	t.Helper()
	src := scanners.Source{Name: name, Reader: bytes.NewReader(data), At: bytes.NewReader(data), Size: int64(len(data))}
	return walkSource(op, src, lim)
}

func walkSource(op scanners.Opener, src scanners.Source, lim scanners.Limits) ([]got, error) {
	var out []got
	err := op.Walk(context.Background(), src, lim, func(m scanners.Member) error {
		g := got{name: m.Name, size: m.Size, err: m.Err, notice: m.Notice}
		if m.Err == nil {
			rc, err := m.Open()
			if err != nil {
				g.readErr = err
			} else {
				g.data, g.readErr = io.ReadAll(rc)
				if cerr := rc.Close(); cerr != nil && g.readErr == nil {
					g.readErr = cerr
				}
			}
		} else if m.Open != nil {
			return errors.New("test: member with Err has an Open")
		}
		out = append(out, g)
		return nil
	})
	return out, err
}

// find returns the member named name.
func find(t testing.TB, ms []got, name string) got {
	t.Helper()
	for _, m := range ms {
		if m.name == name {
			return m
		}
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.name)
	}
	t.Fatalf("member %q not found among %q", name, names)
	return got{}
}

// zipEntry is one file for makeZip.
type zipEntry struct {
	name    string
	data    []byte
	nonUTF8 bool
	method  uint16
	mode    fs.FileMode
}

func makeZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, NonUTF8: e.nonUTF8, Method: e.method, Modified: time.Date(2010, 5, 1, 0, 0, 0, 0, time.UTC)}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tarEntry is one entry for makeTar.
type tarEntry struct {
	hdr  tar.Header
	data []byte
}

func makeTar(t testing.TB, entries ...tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := e.hdr
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.data))
		}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if len(e.data) > 0 {
			if _, err := tw.Write(e.data); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// gunzip decompresses a testdata fixture kept gzipped (ISO images are
// mostly zeros).
func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// identify is Identify with a check that it found the kind wanted.
func identify(t testing.TB, name string, data []byte, kind string) scanners.Opener {
	t.Helper()
	op := Identify(name, data[:min(len(data), 64<<10)])
	if op == nil {
		t.Fatalf("Identify(%s) = nil, want %s", name, kind)
	}
	if op.Kind() != kind {
		t.Fatalf("Identify(%s) = %s, want %s", name, op.Kind(), kind)
	}
	return op
}
