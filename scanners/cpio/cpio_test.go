package cpio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func readAll(data []byte) (map[string]string, []*Header, error) {
	r := NewReader(bytes.NewReader(data))
	out := map[string]string{}
	var hs []*Header
	for {
		h, err := r.Next()
		if err == io.EOF {
			return out, hs, nil
		}
		if err != nil {
			return out, hs, err
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return out, hs, err
		}
		out[h.Name] = string(b)
		hs = append(hs, h)
	}
}

// newc builds a newc archive by hand.
func newc(entries ...[2]string) []byte {
	var b bytes.Buffer
	pad := func() {
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
	}
	for _, e := range append(entries, [2]string{"TRAILER!!!", ""}) {
		fmt.Fprintf(&b, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 1, 0o100644, 0, 0, 1, 0, len(e[1]), 0, 0, 0, 0, len(e[0])+1, 0)
		b.WriteString(e[0] + "\x00")
		pad()
		b.WriteString(e[1])
		pad()
	}
	return b.Bytes()
}

// TestFormatsOfTheCpioTool reads archives written by GNU cpio in each
// format this package reads (odd sizes, so padding matters).
func TestFormatsOfTheCpioTool(t *testing.T) {
	if _, err := exec.LookPath("cpio"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("cpio not installed")
		}
		t.Skip("cpio not installed")
	}
	dir := t.TempDir()
	want := map[string]string{"a.txt": "a\n", "dir/odd-length name.csv": "番号,名前\n1,見本\n", "dir/e": "", "dir/seven": "1234567"}
	list := "dir\n"
	for n, d := range want {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(n)), 0o755)
		os.WriteFile(filepath.Join(dir, n), []byte(d), 0o644)
		list += n + "\n"
	}
	for _, format := range []string{"newc", "crc", "odc", "bin"} {
		cmd := exec.Command("cpio", "--quiet", "-o", "-H", format)
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(list)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if !Identify(out) {
			t.Errorf("%s: not identified", format)
		}
		got, hs, err := readAll(out)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for n, d := range want {
			if got[n] != d {
				t.Errorf("%s: %s = %q, want %q", format, n, got[n], d)
			}
		}
		if hs[0].Name != "dir" || hs[0].Type() != TypeDir || hs[1].Format != format {
			t.Errorf("%s: first headers %+v %+v", format, hs[0], hs[1])
		}
	}
}

func TestMalformed(t *testing.T) {
	good := newc([2]string{"a.txt", "hello"})
	hugeName := []byte(strings.Replace(string(good), "00000006", "7FFFFFFF", 1))
	for name, data := range map[string][]byte{
		"garbage":        []byte("not a cpio archive at all, no"),
		"truncated":      good[:len(good)/2],
		"bad hex":        []byte(strings.Replace(string(good), "000081A4", "0000Z1A4", 1)),
		"huge name":      hugeName,
		"truncated name": good[:115],
	} {
		if _, _, err := readAll(data); err == nil {
			t.Errorf("%s: no error", name)
		} else if !errors.Is(err, ErrFormat) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: %v", name, err)
		}
	}
	got, _, err := readAll(good)
	if err != nil || got["a.txt"] != "hello" {
		t.Fatalf("good: %q %v", got, err)
	}
}

func FuzzReader(f *testing.F) {
	f.Add(newc([2]string{"a.txt", "hello"}, [2]string{"b", "x"}))
	f.Add([]byte("0707070000000000000100644000000000000000010000000000000000000000600000000005a.txt\x00hello"))
	f.Add([]byte{0xC7, 0x71, 0, 0, 1, 0, 0xA4, 0x81, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 'a', 0, 'x'})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data))
		for range 1000 {
			h, err := r.Next()
			if err != nil {
				return
			}
			if h.Size < 0 || len(h.Name) > MaxNameBytes {
				t.Fatalf("bad header %+v", h)
			}
			n, _ := io.Copy(io.Discard, r)
			if n > h.Size {
				t.Fatalf("read %d bytes of a %d-byte member", n, h.Size)
			}
		}
	})
}
