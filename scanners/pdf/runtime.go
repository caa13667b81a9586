package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Config bounds what reading one PDF may cost and says where the
// compiled PDFium module is cached. The zero value of a field means its
// default.
type Config struct {
	// MaxPages is the most pages read of one document (default 5,000);
	// a longer one is read that far, then reported as an error.
	MaxPages int
	// MaxPageChars is the most characters read of one page (default
	// 200,000).
	MaxPageChars int
	// MaxTime is the wall time for one document (default 2 min; the
	// container time limit applies too, whichever is shorter).
	MaxTime time.Duration
	// MemoryLimit is the most memory PDFium's WebAssembly instance may
	// grow to for one document, in bytes (default 512 MiB, at most 4 GiB).
	MemoryLimit int64
	// CacheDir holds wazero's compilation cache: "" is the environment
	// variable ROUEI_PDF_CACHE when set, else os.UserCacheDir()/rouei;
	// "off" disables it. A directory that cannot be made or written only
	// costs the compile time.
	CacheDir string
	// Instances is the most documents read at once (default GOMAXPROCS,
	// at least 2); more wait for a free one.
	Instances int
}

// Defaults are the limits when Configure was not called.
var Defaults = Config{
	MaxPages:     5000,
	MaxPageChars: 200_000,
	MaxTime:      2 * time.Minute,
	MemoryLimit:  512 << 20,
}

// EnvCacheDir names the environment variable that overrides the
// compilation cache directory ("off": no cache).
const EnvCacheDir = "ROUEI_PDF_CACHE"

func (c Config) withDefaults() Config {
	d := Defaults
	if c.MaxPages <= 0 {
		c.MaxPages = d.MaxPages
	}
	if c.MaxPageChars <= 0 {
		c.MaxPageChars = d.MaxPageChars
	}
	if c.MaxTime <= 0 {
		c.MaxTime = d.MaxTime
	}
	if c.MemoryLimit <= 0 {
		c.MemoryLimit = d.MemoryLimit
	}
	c.MemoryLimit = min(c.MemoryLimit, 4<<30)
	if c.Instances <= 0 {
		c.Instances = max(2, runtime.GOMAXPROCS(0))
	}
	return c
}

// engine is PDFium's WebAssembly runtime, shared by the whole process and
// made when the first PDF is met: compiling the module costs seconds
// (less with the compilation cache), so a scan without PDFs never pays it.
var engine struct {
	mu      sync.Mutex
	cfg     Config
	started bool
	pool    pdfium.Pool
	err     error
	cache   string // the cache directory in use, "" for none
	initDur time.Duration
}

// Configure sets the limits and the cache directory. The runtime's
// settings (memory limit, cache, instances) take effect only before the
// first PDF is read; the per-document limits at any time.
func Configure(c Config) {
	engine.mu.Lock()
	defer engine.mu.Unlock()
	engine.cfg = c
}

func config() Config {
	engine.mu.Lock()
	defer engine.mu.Unlock()
	return engine.cfg.withDefaults()
}

// cacheDir resolves Config.CacheDir.
func cacheDir(c Config) string {
	dir := c.CacheDir
	if dir == "" {
		dir = os.Getenv(EnvCacheDir)
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(base, "rouei")
	}
	if dir == "off" {
		return ""
	}
	return dir
}

// pool returns the shared PDFium pool, starting it on first use. A start
// that failed is not retried: every PDF of the run gets its error.
func pool() (pdfium.Pool, error) {
	engine.mu.Lock()
	defer engine.mu.Unlock()
	if engine.started {
		return engine.pool, engine.err
	}
	engine.started = true
	t0 := time.Now()
	engine.pool, engine.cache, engine.err = start(engine.cfg.withDefaults())
	engine.initDur = time.Since(t0)
	return engine.pool, engine.err
}

// start makes a pool with the compilation cache of c when it can, else
// compiling in memory: a cache directory that cannot be made, written or
// read only costs the compile time. It returns the cache directory used.
func start(c Config) (pdfium.Pool, string, error) {
	if dir := cacheDir(c); dir != "" {
		if p, err := startPoolFn(c, dir); err == nil {
			return p, dir, nil
		}
	}
	p, err := startPoolFn(c, "")
	if err != nil {
		return nil, "", fmt.Errorf("pdf: cannot start PDFium (WebAssembly): %w", err)
	}
	return p, "", nil
}

// startPoolFn is startPool; tests replace it.
var startPoolFn = startPool

// startPool compiles (or loads from the cache in dir, when not "") and
// starts a pool of PDFium instances.
func startPool(c Config, dir string) (p pdfium.Pool, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithMemoryLimitPages(uint32(c.MemoryLimit >> 16)).
		WithCloseOnContextDone(true)
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		cache, err := wazero.NewCompilationCacheWithDir(dir)
		if err != nil {
			return nil, err
		}
		rc = rc.WithCompilationCache(cache)
	}
	return webassembly.Init(webassembly.Config{
		Context:       context.Background(),
		MinIdle:       0,
		MaxIdle:       c.Instances,
		MaxTotal:      c.Instances,
		RuntimeConfig: rc,
		FSConfig:      wazero.NewFSConfig(), // no file system: documents are handed over as readers
		Stdout:        io.Discard,
		Stderr:        io.Discard,
		// A fresh instance for every document: nothing a hostile document
		// did to PDFium's memory outlives it.
		ReuseWorkers: false,
	})
}

// Started reports whether PDFium was started in this process, how long
// that took, and the compilation cache directory in use ("" for none).
func Started() (bool, time.Duration, string) {
	engine.mu.Lock()
	defer engine.mu.Unlock()
	return engine.started && engine.err == nil, engine.initDur, engine.cache
}

// instance takes a PDFium instance from the pool, waiting while all are
// busy, until ctx is done.
func instance(ctx context.Context) (pdfium.Pdfium, error) {
	p, err := pool()
	if err != nil {
		return nil, err
	}
	inst, err := p.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("pdf: no PDFium instance: %w", err)
	}
	return inst, nil
}

var errKilled = errors.New("pdf: PDFium instance stopped")
