package scanners

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// WalkFS walks target, a file or directory on the local file system, and
// hands every regular file to sink in a deterministic (sorted) order.
//
// Symbolic links are followed only while they resolve inside the target;
// a link leading out of it, a dangling link and a link back into a
// directory already being walked (a loop) are skipped with a note.
// Devices, FIFOs and sockets are skipped with a note. Unreadable
// directories and files are reported as errors and the walk goes on.
// The returned error is non-nil only when the target itself cannot be
// read at all, or when sink.Item asks to stop.
func WalkFS(ctx context.Context, target string, sink Sink) error {
	info, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("scanners: %w", err)
	}
	root, err := filepath.Abs(target)
	if err != nil {
		return fmt.Errorf("scanners: %w", err)
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	w := &fsWalker{ctx: ctx, root: root, display: target, sink: sink, active: map[string]bool{}}
	if !info.IsDir() {
		return w.file(target, root, info)
	}
	return w.dir(target, root)
}

type fsWalker struct {
	ctx     context.Context
	root    string          // real (symlink-free) absolute path of the target
	display string          // the target as given
	sink    Sink            // where items, errors and skips go
	active  map[string]bool // real paths of the directories on the current walk path (loop guard)
}

// inside reports whether the real path p lies within the target root.
func (w *fsWalker) inside(p string) bool {
	if p == w.root {
		return true
	}
	rel, err := filepath.Rel(w.root, p)
	return err == nil && filepath.IsLocal(rel)
}

// dir walks the directory whose display path is disp and real path real.
func (w *fsWalker) dir(disp, real string) error {
	w.active[real] = true
	defer delete(w.active, real)
	entries, err := os.ReadDir(real)
	if err != nil {
		w.sink.Error(disp, fmt.Errorf("cannot read directory: %w", unwrapPathError(err)))
		// ReadDir returns what it could read before the error: go on with it.
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		childDisp := joinDisplay(disp, e.Name())
		childReal := filepath.Join(real, e.Name())
		if err := w.entry(childDisp, childReal, e.Type()); err != nil {
			return err
		}
	}
	return nil
}

// entry handles one directory entry of the given type.
func (w *fsWalker) entry(disp, p string, typ fs.FileMode) error {
	if typ&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(p)
		if err != nil {
			w.sink.Skip(disp, "dangling or unresolvable symbolic link")
			return nil
		}
		if !w.inside(target) {
			w.sink.Skip(disp, "symbolic link leads out of the target; not followed")
			return nil
		}
		info, err := os.Stat(target)
		if err != nil {
			w.sink.Error(disp, fmt.Errorf("cannot stat link target: %w", unwrapPathError(err)))
			return nil
		}
		if info.IsDir() {
			if w.active[target] {
				w.sink.Skip(disp, "symbolic link loop; not followed")
				return nil
			}
			return w.dir(disp, target)
		}
		return w.file(disp, target, info)
	}
	if typ.IsDir() {
		return w.dir(disp, p)
	}
	info, err := os.Lstat(p)
	if err != nil {
		w.sink.Error(disp, fmt.Errorf("cannot stat: %w", unwrapPathError(err)))
		return nil
	}
	return w.file(disp, p, info)
}

// file hands a regular file to the sink and notes anything else.
func (w *fsWalker) file(disp, p string, info fs.FileInfo) error {
	mode := info.Mode()
	switch {
	case mode.IsRegular():
	case mode&fs.ModeNamedPipe != 0:
		w.sink.Skip(disp, "named pipe (FIFO); not read")
		return nil
	case mode&fs.ModeSocket != 0:
		w.sink.Skip(disp, "socket; not read")
		return nil
	case mode&fs.ModeDevice != 0:
		w.sink.Skip(disp, "device file; not read")
		return nil
	default:
		w.sink.Skip(disp, "not a regular file ("+mode.Type().String()+"); not read")
		return nil
	}
	rel := strings.TrimPrefix(disp, w.display)
	rel = strings.TrimLeft(rel, "/")
	if rel == "" {
		rel = filepath.Base(disp)
	}
	return w.sink.Item(Item{
		Path: disp,
		Rel:  rel,
		File: p,
		Size: info.Size(),
		Open: func() (io.ReadCloser, error) {
			f, err := os.Open(p)
			if err != nil {
				return nil, unwrapPathError(err)
			}
			return f, nil
		},
	})
}

// joinDisplay joins a display path and a child name with '/', keeping the
// target as the user wrote it ("dist/" + "a.csv" → "dist/a.csv").
func joinDisplay(dir, name string) string {
	if strings.HasSuffix(dir, "/") || strings.HasSuffix(dir, string(filepath.Separator)) {
		return dir + name
	}
	return dir + "/" + name
}

// unwrapPathError drops the *fs.PathError wrapper, whose message repeats
// the absolute path the report already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
