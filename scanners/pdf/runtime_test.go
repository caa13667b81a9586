package pdf

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/rouei/rouei/scanners"
)

func TestCacheDirResolution(t *testing.T) {
	t.Setenv(EnvCacheDir, "")
	base, err := os.UserCacheDir()
	if err == nil {
		if got := cacheDir(Config{}); got != filepath.Join(base, "rouei") {
			t.Errorf("default cache dir %q", got)
		}
	}
	if got := cacheDir(Config{CacheDir: "off"}); got != "" {
		t.Errorf("off: %q", got)
	}
	t.Setenv(EnvCacheDir, "/var/cache/rouei-ci")
	if got := cacheDir(Config{}); got != "/var/cache/rouei-ci" {
		t.Errorf("from %s: %q", EnvCacheDir, got)
	}
	if got := cacheDir(Config{CacheDir: "/opt/c"}); got != "/opt/c" {
		t.Errorf("option over the environment: %q", got)
	}
	t.Setenv(EnvCacheDir, "off")
	if got := cacheDir(Config{}); got != "" {
		t.Errorf("%s=off: %q", EnvCacheDir, got)
	}
}

// start tries the cache, then compiles in memory.
func TestCacheFallback(t *testing.T) {
	defer func(f func(Config, string) (pdfium.Pool, error)) { startPoolFn = f }(startPoolFn)
	var tried []string
	startPoolFn = func(c Config, dir string) (pdfium.Pool, error) {
		tried = append(tried, dir)
		if dir != "" {
			return nil, errors.New("mkdir: not a directory")
		}
		return nil, nil
	}
	if _, dir, err := start(Config{CacheDir: "/dev/null/rouei"}); err != nil || dir != "" {
		t.Errorf("start: %q, %v", dir, err)
	}
	if len(tried) != 2 || tried[0] != "/dev/null/rouei" || tried[1] != "" {
		t.Errorf("tried %q, want the cache then none", tried)
	}
	tried = nil
	if _, _, err := start(Config{CacheDir: "off"}); err != nil || len(tried) != 1 || tried[0] != "" {
		t.Errorf("off: tried %q, %v", tried, err)
	}
}

// A cache directory that cannot be made costs only the compile: PDFium
// still reads. (The process-wide pool's cache is checked by
// TestProcessCache.)
func TestCacheNotWritable(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("compiles PDFium without a cache: seconds, minutes under the race detector")
	}
	data, err := os.ReadFile("testdata/entai.pdf")
	if err != nil {
		t.Fatal(err)
	}
	c := Config{CacheDir: "/dev/null/rouei"}.withDefaults()
	t0 := time.Now()
	p, dir, err := start(c)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	t.Logf("started without a cache in %v", time.Since(t0).Round(time.Millisecond))
	if dir != "" {
		t.Errorf("cache %q in use under a file", dir)
	}
	inst, err := p.GetInstance(time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	d := &doc{inst: inst, cfg: c, lim: scanners.DefaultLimits, ctx: context.Background()}
	if err := d.open(bytes.NewReader(data), int64(len(data))); err != nil || d.pages < 2 {
		t.Fatalf("open: %v, %d pages", err, d.pages)
	}
	b, err := io.ReadAll(&textReader{d: d})
	if err != nil || !bytes.Contains(b, []byte("延滞日数")) {
		t.Fatalf("text: %v, %d bytes", err, len(b))
	}
}

// The process-wide pool, started by the first PDF, fills its cache.
func TestProcessCache(t *testing.T) {
	if _, err := instanceAndClose(); err != nil {
		t.Fatal(err)
	}
	ok, took, dir := Started()
	if !ok {
		t.Fatal("not started")
	}
	t.Logf("started in %v, cache %q", took.Round(time.Millisecond), dir)
	if dir == "" {
		t.Skip("no cache directory in this environment")
	}
	n := 0
	filepath.Walk(dir, func(_ string, fi os.FileInfo, _ error) error {
		if fi != nil && !fi.IsDir() {
			n++
		}
		return nil
	})
	if n == 0 {
		t.Errorf("nothing in the cache %s", dir)
	}
}

func instanceAndClose() (bool, error) {
	inst, err := instance(context.Background())
	if err != nil {
		return false, err
	}
	return true, inst.Close()
}
