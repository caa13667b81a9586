package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners"
)

// scanState is what the workers of one scan share.
type scanState struct {
	tmpOnce  sync.Once
	tmpDir   string // private temp dir for spooled containers, removed by close
	tmpErr   error
	expanded atomic.Int64 // bytes expanded from containers so far
}

// tempDir returns the scan's private temp dir, made on first use.
func (s *scanState) tempDir() (string, error) {
	s.tmpOnce.Do(func() { s.tmpDir, s.tmpErr = os.MkdirTemp("", "rouei-") })
	return s.tmpDir, s.tmpErr
}

// close removes the temp dir and everything in it.
func (s *scanState) close() {
	if s.tmpDir != "" {
		os.RemoveAll(s.tmpDir)
	}
}

// errScanBudget stops a walk when the scan has expanded all it may.
var errScanBudget = fmt.Errorf("scan: expanded bytes over the limit for the whole scan: %w", scanners.ErrLimit)

// scanContainer walks a container's members and scans each, depth+1.
// Its own result carries the container's errors; members follow.
func scanContainer(ctx context.Context, it scanners.Item, op scanners.Opener, br io.Reader, cr *countingReader,
	opt *Options, ws *workspace, depth int) []fileResult {
	lim := opt.Limits
	res := fileResult{opened: true, archive: true}
	out := []fileResult{{}} // the container's own result goes first
	defer func() {
		res.bytes = 0 // a container's bytes are counted by its members
		if len(res.errors) > 0 {
			res.file = &report.File{Path: it.Path, MediaType: op.Kind(), Classification: detectors.ClassNone}
		}
		out[0] = res
	}()
	if depth >= lim.MaxDepth {
		res.errors = append(res.errors, errorf(it.Path, "%s nested %d levels deep: not opened (limit %d): %v",
			op.Kind(), depth, lim.MaxDepth, scanners.ErrLimit))
		return out
	}
	src := scanners.Source{Name: it.Path, Reader: br, Size: it.Size}
	if op.NeedsRandomAccess() {
		var cleanup func()
		var err error
		src, cleanup, err = randomAccess(it, br, opt)
		if cleanup != nil {
			defer cleanup()
		}
		if err != nil {
			res.errors = append(res.errors, errorf(it.Path, "%s: %v", op.Kind(), err))
			return out
		}
	}
	wctx, cancel := context.WithTimeout(ctx, lim.MaxArchiveTime)
	defer cancel()
	inner := ws.child()
	err := op.Walk(wctx, src, lim, func(m scanners.Member) error {
		path := it.Path + "!/" + m.Name
		if m.Err != nil || m.Open == nil {
			if m.Err != nil {
				out = append(out, errorResult(path, m.Err))
			}
			return nil
		}
		child := scanners.Item{Path: path, Rel: it.Rel + "!/" + m.Name, Size: m.Size, Open: m.Open}
		if opt.AllowPath != nil && opt.AllowPath(child.Rel) {
			res.skips = append(res.skips, report.Skip{Path: path, Reason: allowedNote})
			return nil
		}
		rs := scanTree(wctx, child, opt, inner, depth+1, m.Text)
		if m.UnreadablePages != nil {
			if n := m.UnreadablePages(); n > 0 {
				if rs[0].file == nil {
					rs[0].file = &report.File{Path: path, MediaType: "text/plain", Classification: detectors.ClassNone}
				}
				rs[0].file.UnreadablePages = n
			}
		}
		if m.Notice != nil {
			rs[0].errors = append(rs[0].errors, errorf(path, "%v", m.Notice))
			if rs[0].file == nil {
				rs[0].file = &report.File{Path: path, Classification: detectors.ClassNone}
			}
		}
		out = append(out, rs...)
		var n int64
		for _, r := range rs {
			n += r.bytes
		}
		if opt.state != nil && opt.state.expanded.Add(n) > lim.MaxScanBytes {
			return errScanBudget
		}
		return wctx.Err()
	})
	switch {
	case err == nil:
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		res.errors = append(res.errors, errorf(it.Path, "%s: took longer than %v: the rest was not scanned: %v",
			op.Kind(), lim.MaxArchiveTime, scanners.ErrLimit))
	default:
		// The opener's errors name their package and format already.
		res.errors = append(res.errors, errorf(it.Path, "%v; the rest was not scanned", err))
	}
	return out
}

// randomAccess gives a container's bytes random access: the file itself
// for a file on disk, else the stream spooled to memory (small) or to a
// file in the scan's private temp dir.
func randomAccess(it scanners.Item, r io.Reader, opt *Options) (scanners.Source, func(), error) {
	lim := opt.Limits
	if it.File != "" {
		f, err := os.Open(it.File)
		if err != nil {
			return scanners.Source{}, nil, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return scanners.Source{}, nil, err
		}
		return scanners.Source{Name: it.Path, Reader: f, At: f, Size: st.Size(), Path: it.File}, func() { f.Close() }, nil
	}
	mem, err := io.ReadAll(io.LimitReader(r, lim.MaxInMemoryBytes+1))
	if err != nil {
		return scanners.Source{}, nil, err
	}
	if int64(len(mem)) <= lim.MaxInMemoryBytes {
		br := bytes.NewReader(mem)
		return scanners.Source{Name: it.Path, Reader: br, At: br, Size: int64(len(mem))}, nil, nil
	}
	if opt.state == nil {
		return scanners.Source{}, nil, errors.New("no temp dir for spooling")
	}
	dir, err := opt.state.tempDir()
	if err != nil {
		return scanners.Source{}, nil, err
	}
	f, err := os.CreateTemp(dir, "spool-*")
	if err != nil {
		return scanners.Source{}, nil, err
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	n, err := io.Copy(f, io.LimitReader(io.MultiReader(bytes.NewReader(mem), r), lim.MaxSpoolBytes+1))
	if err == nil && n > lim.MaxSpoolBytes {
		err = fmt.Errorf("larger than %d bytes, the most spooled for random access: %w", lim.MaxSpoolBytes, scanners.ErrLimit)
	}
	if err != nil {
		cleanup()
		return scanners.Source{}, nil, err
	}
	return scanners.Source{Name: it.Path, Reader: io.NewSectionReader(f, 0, n), At: f, Size: n, Path: f.Name()}, cleanup, nil
}

// errorResult is the result of a member that could not be read.
func errorResult(path string, err error) fileResult {
	return fileResult{
		errors: []report.Error{errorf(path, "%v", err)},
		file:   &report.File{Path: path, Classification: detectors.ClassNone},
	}
}
