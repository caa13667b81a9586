package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressWanted reports whether a progress bar belongs on w: only on a
// terminal, and never when CI is set.
func progressWanted(w io.Writer) bool {
	if os.Getenv("CI") != "" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressBar shows files and bytes done, the rate and the ETA on stderr.
// It shows counts only: never a path or any content.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	bar   *progressbar.ProgressBar
	files int
	done  int
	// throttle is the least time between two renderings.
	throttle time.Duration
}

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, throttle: 100 * time.Millisecond}
}

// Start implements engine.Progress.
func (p *progressBar) Start(files int, bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.files = files
	p.bar = progressbar.NewOptions64(bytes,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(p.throttle),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription(p.desc()),
	)
}

func (p *progressBar) desc() string { return fmt.Sprintf("files %d/%d", p.done, p.files) }

// Done implements engine.Progress.
func (p *progressBar) Done(bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil {
		return
	}
	p.done++
	p.bar.Describe(p.desc())
	_ = p.bar.Add64(bytes)
}

// Finish clears the bar.
func (p *progressBar) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
