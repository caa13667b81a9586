package engine

import (
	"bytes"
	"compress/flate"
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ulikunitz/xz/lzma"
)

// noise returns n deterministic random bytes.
func noise(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// noiseImage is a w×h image of random pixels (compresses badly, as
// photos do).
func noiseImage(seed uint64, w, h int) image.Image {
	r := rand.New(rand.NewPCG(seed, 2))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(r.Uint32()), uint8(r.Uint32()), uint8(r.Uint32()), 255})
		}
	}
	return img
}

// opaqueErrors scans dir and returns its errors by path under dir.
func opaqueErrors(t *testing.T, dir string) (map[string]string, map[string]int) {
	t.Helper()
	r := scanPath(t, dir)
	out := map[string]string{}
	for _, e := range r.Errors {
		out[strings.TrimPrefix(e.Path, dir+string(filepath.Separator))] = e.Error
	}
	return out, r.Stats.Media
}

func TestOpaqueData(t *testing.T) {
	dir := t.TempDir()
	list := sampleBytes(t, overdueSample)
	// encrypted: the overdue list repeated, AES-CTR
	block, _ := aes.NewCipher(noise(7, 32))
	plain := bytes.Repeat(list, 100<<10/len(list)+1)
	enc := make([]byte, len(plain))
	cipher.NewCTR(block, noise(8, 16)).XORKeyStream(enc, plain)
	// an unknown compressed stream: raw deflate (no header) of text
	var text strings.Builder
	r := rand.New(rand.NewPCG(9, 9))
	for text.Len() < 400<<10 {
		text.WriteByte(byte(' ' + r.IntN(95)))
	}
	var df bytes.Buffer
	fw, _ := flate.NewWriter(&df, flate.BestCompression)
	fw.Write([]byte(text.String()))
	fw.Close()
	// LZMA "alone" (.lzma), which no reader opens
	var lz bytes.Buffer
	lw, _ := lzma.NewWriter(&lz)
	lw.Write([]byte(text.String()))
	lw.Close()
	opaque := map[string][]byte{
		"random.bin":      noise(1, 200<<10),
		"backup.enc":      enc,
		"payload.dat":     df.Bytes(),
		"export.lzma":     lz.Bytes(),
		"nested/blob.bin": noise(2, 70<<10),
	}
	for n, b := range opaque {
		writeFile(t, dir, n, b)
	}
	writeFile(t, dir, "old.rar", append([]byte("Rar!\x1A\x07\x01\x00"), noise(3, 1000)...))

	// not opaque: known media types with compressed bodies, compiled
	// code, and small high-entropy files
	var pngb, jpgb bytes.Buffer
	png.Encode(&pngb, noiseImage(4, 200, 200))
	jpeg.Encode(&jpgb, noiseImage(5, 300, 300), &jpeg.Options{Quality: 95})
	mp4 := append([]byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"), noise(12, 150<<10)...)
	exe, err := os.ReadFile(os.Args[0]) // this test binary: compiled code
	if err != nil {
		t.Fatal(err)
	}
	media := map[string][]byte{
		"logo.png":      pngb.Bytes(),
		"photo.jpg":     jpgb.Bytes(),
		"font.woff2":    append([]byte("wOF2\x00\x01\x00\x00"), noise(10, 120<<10)...),
		"font.otf":      append([]byte("OTTO\x00\x0b\x00\x80"), noise(14, 90<<10)...),
		"chime.mp3":     append([]byte("ID3\x03\x00\x00\x00\x00\x00\x00"), noise(11, 100<<10)...),
		"voice.flac":    append([]byte("fLaC\x00\x00\x00\x22"), noise(13, 100<<10)...),
		"intro.mp4":     mp4,
		"bin/ilsctl":    exe[:min(len(exe), 2<<20)],
		"small/key.bin": noise(6, 60<<10),
	}
	for n, b := range media {
		writeFile(t, dir, n, b)
	}
	errs, counts := opaqueErrors(t, dir)
	for n := range opaque {
		if !strings.Contains(errs[n], opaqueNote) {
			t.Errorf("%s: not reported opaque (errors %q)", n, errs)
		}
	}
	if !strings.Contains(errs["old.rar"], "RAR archive: container format not read") {
		t.Errorf("old.rar: %q", errs["old.rar"])
	}
	for n := range media {
		if e, ok := errs[n]; ok {
			t.Errorf("%s: reported: %s", n, e)
		}
	}
	if len(errs) != len(opaque)+1 {
		t.Errorf("errors %q", errs)
	}
	for mt, want := range map[string]int{"image/png": 1, "image/jpeg": 1, "audio/mpeg": 1, "audio/x-flac": 1, "video/mp4": 1} {
		if counts[mt] != want {
			t.Errorf("stats.media[%s] = %d, want %d (%v)", mt, counts[mt], want, counts)
		}
	}
	fonts := 0
	for mt, n := range counts {
		if strings.Contains(mt, "font") {
			fonts += n
		}
	}
	if fonts != 2 {
		t.Errorf("fonts counted %d, want 2 (%v)", fonts, counts)
	}
}

// TestOpaqueRealMaterial scans ordinary files of this machine, when
// present: fonts, icons, translation catalogues, shared libraries and
// programs, jars, Chromium resource packs. None may be reported opaque.
func TestOpaqueRealMaterial(t *testing.T) {
	globs := []string{
		"/usr/share/fonts/*/*/*", "/usr/share/icons/hicolor/*/apps/*.png", "/usr/share/locale/ja/LC_MESSAGES/*.mo",
		"/usr/share/locale/de/LC_MESSAGES/*.mo", "/usr/lib/x86_64-linux-gnu/libz.so*", "/usr/lib/x86_64-linux-gnu/libcrypto.so*",
		"/usr/lib/x86_64-linux-gnu/libsqlite3.so*", "/usr/bin/gzip", "/usr/bin/tar", "/usr/local/go/pkg/tool/*/vet",
		"/usr/share/maven-repo/*/*/*/*.jar", "/usr/lib/chromium/chrome_100_percent.pak", "/usr/lib/jvm/*/jmods/java.sql.jmod",
	}
	dir := t.TempDir()
	n := 0
	for _, g := range globs {
		ms, _ := filepath.Glob(g)
		for i, m := range ms {
			if i >= 8 {
				break
			}
			st, err := os.Stat(m)
			if err != nil || !st.Mode().IsRegular() || st.Size() > 64<<20 {
				continue
			}
			b, err := os.ReadFile(m)
			if err != nil {
				continue
			}
			n++
			writeFile(t, dir, strings.TrimPrefix(m, "/"), b)
		}
	}
	if n < 5 {
		t.Skipf("only %d real files found on this machine", n)
	}
	errs, counts := opaqueErrors(t, dir)
	for p, e := range errs {
		if strings.Contains(e, "opaque data") {
			t.Errorf("%s reported opaque: %s", p, e)
		}
	}
	t.Logf("%d real files scanned; media %v", n, counts)
}

// TestEntropyMeterStopsEarly: in a file of known size, the meter stops
// once enough blocks are ordinary that the file cannot be opaque, and
// still finds a file with a short ordinary head opaque.
func TestEntropyMeterStopsEarly(t *testing.T) {
	read := func(data []byte, size int64) *entropyMeter {
		m := newEntropyMeter(bytes.NewReader(data), size)
		buf := make([]byte, 10000)
		for {
			if _, err := m.Read(buf); err != nil {
				return m
			}
		}
	}
	code := bytes.Repeat([]byte("mov eax, ebx; call 0x401000; "), 40000) // ~1.1 MB, low entropy
	if m := read(code, int64(len(code))); !m.clear || m.blocks > len(code)/entropyBlock/5 || m.opaque() {
		t.Errorf("ordinary file: clear %v after %d of %d blocks", m.clear, m.blocks, len(code)/entropyBlock)
	}
	mixed := append(bytes.Repeat([]byte("header "), 2000), noise(3, 1<<20)...) // 14 KB of header, then noise
	for _, size := range []int64{int64(len(mixed)), -1} {
		if m := read(mixed, size); !m.opaque() {
			t.Errorf("size %d: a noise file with a short header is not opaque (%d of %d high)", size, m.high, m.blocks)
		}
	}
}

func BenchmarkEntropyMeter(b *testing.B) {
	data := noise(1, 1<<20)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		m := newEntropyMeter(bytes.NewReader(data), -1)
		buf := make([]byte, 256<<10)
		for {
			if _, err := m.Read(buf); err != nil {
				break
			}
		}
	}
}

// TestLateInstallerMarks: an installer whose payload mark lies past the
// sniffed head (a large loader) is still reported, wherever the mark
// falls across reads; an ordinary program is not.
func TestLateInstallerMarks(t *testing.T) {
	dir := t.TempDir()
	stub := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte("\x55\x8b\xec\x00\x00loader\x00\xe8\x10\x00\x00\x00\xc3\x00\x00"), 50000)...) // ~900 KB of code-like bytes
	for i, mark := range []string{"Inno Setup Setup Data (6.2.0)", "\xEF\xBE\xAD\xDENullsoftInst"} {
		for _, at := range []int{len(stub) - 3, 300000, 262144 - 5} {
			b := append(append(append([]byte(nil), stub[:at]...), mark...), stub[at:]...)
			b = append(b, noise(uint64(i), 100<<10)...)
			writeFile(t, dir, fmt.Sprintf("setup%d_%d.exe", i, at), b)
		}
	}
	writeFile(t, dir, "plain.exe", stub)
	errs, _ := opaqueErrors(t, dir)
	if len(errs) != 6 {
		t.Errorf("errors %q", errs)
	}
	for p, e := range errs {
		if !strings.Contains(e, "installer payload not readable") {
			t.Errorf("%s: %s", p, e)
		}
	}
	if _, ok := errs["plain.exe"]; ok {
		t.Errorf("plain.exe reported")
	}
}
