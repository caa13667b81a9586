package cab

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzCabinet opens arbitrary bytes as a cabinet and reads every file
// and folder: nothing may panic or hang, and what comes out is bounded by
// the declared sizes.
func FuzzCabinet(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.cab"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(buildCab(f, cabSpec{
		hdrResv: 3, folderResv: 2, dataResv: 5, blockSize: 700, prev: "a.cab", next: "c.cab",
		folders: []wFolder{
			{typ: 1, files: []wFile{{name: "a", data: pattern(2000, "a")}, {name: "b", data: pattern(100, "b")}}},
			{typ: 0, files: []wFile{{name: `d\e`, data: pattern(1500, "e")}}, lastBlockContinues: true},
			{typ: 3, files: []wFile{{name: "x", data: pattern(10, "x")}}},
		},
		extraFiles: []wFile{{name: "p", data: make([]byte, 3), folder: ifoldContinuedFromPrev}},
	}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if d := os.Getenv("CAB_FUZZ_SLOW"); d != "" {
			stuck := time.AfterFunc(2*time.Second, func() {
				os.WriteFile(filepath.Join(d, fmt.Sprintf("%d-%d", os.Getpid(), time.Now().UnixNano())), data, 0o644)
			})
			defer stuck.Stop()
		}
		c, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		// File.Open decompresses its folder from the start: reading
		// many files of a large folder costs their offsets too. A budget
		// keeps each input's work small (the archive opener streams a
		// folder once instead).
		budget := int64(64 << 20)
		for i, fo := range c.Folders() {
			if fo.UncompressedSize > int64(fo.Blocks)*maxBlockOut || fo.CompressedSize > int64(len(data)) {
				t.Fatalf("folder %d: %d blocks, sizes %d/%d", i, fo.Blocks, fo.CompressedSize, fo.UncompressedSize)
			}
			if budget -= fo.UncompressedSize; budget < 0 {
				return
			}
			fr, err := c.OpenFolder(i)
			if err != nil {
				continue
			}
			n, err := io.Copy(io.Discard, fr)
			if n > fo.UncompressedSize || (err == nil && n != fo.UncompressedSize) {
				t.Fatalf("folder %d gave %d bytes (%v), declared %d", i, n, err, fo.UncompressedSize)
			}
		}
		for i := range c.Files() {
			fl := &c.Files()[i]
			if budget -= fl.Offset + fl.Size; budget < 0 {
				return
			}
			rc, err := fl.Open()
			if err != nil {
				continue
			}
			n, err := io.Copy(io.Discard, rc)
			if n > fl.Size || (err == nil && n != fl.Size) {
				t.Fatalf("file %d gave %d bytes (%v), declared %d", i, n, err, fl.Size)
			}
		}
	})
}
