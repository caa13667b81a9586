package lzh

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// fuzzMaxOut caps what one fuzz input may expand to: a header can claim
// 4 GiB from a few bytes (the archive opener's limits stop that).
const fuzzMaxOut = 4 << 20

// FuzzReader reads every member of arbitrary input and checks that
// nothing panics, that a member never gives more than its header's size,
// and that the reader ends (the test's time-out catches a loop).
func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.lzh"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(stored(f, 3, "a", []byte("level 3")))
	f.Add(append(hdrSpec{level: 1, method: "-lh5-", name: "a", size: 3, comp: 7, crc: crc16(0, []byte("AAA"))}.bytes(f),
		bitsToBytes("0000000000000011"+"00000"+"00000"+"000000000"+"001000001"+"00000"+"00000")...))
	f.Add(hdrSpec{level: 2, method: "-lhd-", name: "l|t", os: 'U'}.bytes(f))

	f.Fuzz(func(t *testing.T, data []byte) {
		// LZH_FUZZ_SLOW=dir saves inputs still running after 2 s there,
		// to find a hang (the fuzzer reports none by itself).
		if dir := os.Getenv("LZH_FUZZ_SLOW"); dir != "" {
			stuck := time.AfterFunc(2*time.Second, func() {
				os.WriteFile(filepath.Join(dir, strconv.Itoa(os.Getpid())+"-"+strconv.FormatInt(time.Now().UnixNano(), 10)), data, 0o644)
			})
			defer stuck.Stop()
		}
		r := NewReader(bytes.NewReader(data))
		var total int64
		buf := make([]byte, 32<<10)
		for members := 0; ; members++ {
			h, err := r.Next()
			if err != nil {
				if _, err2 := r.Next(); err2 == nil {
					t.Fatalf("Next after %v succeeded", err)
				}
				return
			}
			if members > len(data) {
				t.Fatalf("%d members from %d bytes", members, len(data))
			}
			var n int64
			for total < fuzzMaxOut {
				k, err := r.Read(buf)
				if k < 0 || k > len(buf) {
					t.Fatalf("Read returned %d", k)
				}
				n += int64(k)
				total += int64(k)
				if err != nil {
					if err != io.EOF && k == 0 {
						// errors are sticky
						if _, err2 := r.Read(buf); err2 == nil {
							t.Fatalf("Read after %v succeeded", err)
						}
					}
					break
				}
				if k == 0 && h.Size > n {
					if _, err := r.Read(buf); err == nil {
						// two empty reads in a row before the end: no progress
						t.Fatalf("no progress at %d of %d bytes", n, h.Size)
					}
					break
				}
			}
			if n > h.Size {
				t.Fatalf("member gave %d bytes, header says %d", n, h.Size)
			}
			if total >= fuzzMaxOut {
				return
			}
		}
	})
}
