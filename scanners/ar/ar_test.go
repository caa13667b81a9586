package ar

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// member builds one ar header and its data (padded).
func member(name string, data []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%-16s%-12d%-6d%-6d%-8o%-10d`\n", name, 0, 0, 0, 0o644, len(data))
	b.Write(data)
	if len(data)%2 == 1 {
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func readAll(t testing.TB, data []byte) (map[string]string, []string, error) {
	r := NewReader(bytes.NewReader(data))
	out := map[string]string{}
	var order []string
	for {
		h, err := r.Next()
		if err == io.EOF {
			return out, order, nil
		}
		if err != nil {
			return out, order, err
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return out, order, err
		}
		if int64(len(b)) != h.Size {
			t.Fatalf("%s: %d bytes, header says %d", h.Name, len(b), h.Size)
		}
		out[h.Name] = string(b)
		order = append(order, h.Name)
	}
}

func TestCommonGNUAndBSDNames(t *testing.T) {
	long := "a_member_name_longer_than_sixteen.txt"
	names := long + "/\n" + "another_long_member_name.o/\n"
	gnu := bytes.Join([][]byte{[]byte(Magic), member("/", []byte("\x00\x00\x00\x00")), member("//", []byte(names)),
		member("short.txt/", []byte("odd")), member("/0", []byte("first long")), member("/"+fmt.Sprint(len(long)+2), []byte("second"))}, nil)
	got, order, err := readAll(t, gnu)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(order) != fmt.Sprint([]string{"short.txt", long, "another_long_member_name.o"}) ||
		got[long] != "first long" || got["short.txt"] != "odd" {
		t.Fatalf("GNU: %q %q", order, got)
	}
	bsd := bytes.Join([][]byte{[]byte(Magic), member("#1/"+fmt.Sprint(len(long)), append([]byte(long), "bsd data"...)), member("debian-binary", []byte("2.0\n"))}, nil)
	got, order, err = readAll(t, bsd)
	if err != nil || got[long] != "bsd data" || got["debian-binary"] != "2.0\n" || len(order) != 2 {
		t.Fatalf("BSD: %q %q %v", order, got, err)
	}
}

func TestMalformed(t *testing.T) {
	good := append([]byte(Magic), member("a.txt", []byte("hello"))...)
	for name, data := range map[string][]byte{
		"no magic":       []byte("!<arch>x"),
		"bad terminator": append([]byte(Magic), bytes.Repeat([]byte("x"), 60)...),
		"bad size":       append([]byte(Magic), []byte(fmt.Sprintf("%-16s%-12d%-6d%-6d%-8o%-10s`\n", "a", 0, 0, 0, 0o644, "12x"))...),
		"truncated data": good[:len(good)-2],
		"huge BSD name":  append([]byte(Magic), member("#1/99999999", []byte("x"))...),
		"name ref out":   append([]byte(Magic), member("/55", []byte("x"))...),
	} {
		_, _, err := readAll(t, data)
		if err == nil {
			t.Errorf("%s: no error", name)
		} else if !errors.Is(err, ErrFormat) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestAgainstBinutils reads archives written by GNU ar (long names in
// the // table) when it is installed.
func TestAgainstBinutils(t *testing.T) {
	if _, err := exec.LookPath("ar"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("ar (binutils) not installed")
		}
		t.Skip("ar (binutils) not installed")
	}
	dir := t.TempDir()
	want := map[string]string{"x.txt": "x\n", "a_rather_long_file_name_for_ar.txt": "long name\n", "odd": "odd"}
	var args []string
	for n, d := range want {
		os.WriteFile(filepath.Join(dir, n), []byte(d), 0o644)
		args = append(args, n)
	}
	cmd := exec.Command("ar", append([]string{"rc", "t.a"}, args...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ar: %v %s", err, out)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "t.a"))
	got, _, err := readAll(t, data)
	if err != nil {
		t.Fatal(err)
	}
	for n, d := range want {
		if got[n] != d {
			t.Errorf("%s: %q, want %q", n, got[n], d)
		}
	}
}

func FuzzReader(f *testing.F) {
	f.Add(append([]byte(Magic), member("a.txt", []byte("hello"))...))
	f.Add(bytes.Join([][]byte{[]byte(Magic), member("//", []byte("long_name_number_one.txt/\n")), member("/0", []byte("x"))}, nil))
	f.Add(append([]byte(Magic), member("#1/8", []byte("longnamedata"))...))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data))
		for range 1000 {
			h, err := r.Next()
			if err != nil {
				return
			}
			if h.Size < 0 {
				t.Fatalf("negative size %d", h.Size)
			}
			n, _ := io.Copy(io.Discard, r)
			if n > h.Size {
				t.Fatalf("read %d bytes of a %d-byte member", n, h.Size)
			}
		}
	})
}
