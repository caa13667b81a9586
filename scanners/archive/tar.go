package archive

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rouei/rouei/scanners"
)

// tarOpener reads tar streams (POSIX, GNU, PAX, V7) with archive/tar,
// front to back: links and devices are noticed, never followed.
type tarOpener struct{}

func (tarOpener) Kind() string            { return "tar" }
func (tarOpener) NeedsRandomAccess() bool { return false }

func (tarOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, "tar", src, lim)
	if src.Reader == nil {
		return errors.New("archive: tar: no stream")
	}
	return walkTar(w, src.Reader, nil, yield)
}

// walkTar yields the members of the tar stream r through w; rename, when
// not nil, turns a member's decoded name into the name it is yielded
// under ("./usr/bin/x" → "usr/bin/x" in a package), "" to leave it out.
func walkTar(w *walker, r io.Reader, rename func(string) string, yield func(scanners.Member) error) error {
	tr := tar.NewReader(r)
	for {
		if err := w.check(); err != nil {
			return err
		}
		var hdr *tar.Header
		err := protect("tar", func() error {
			var err error
			hdr, err = tr.Next()
			return err
		})
		if err == io.EOF {
			return nil
		}
		if err != nil && !(errors.Is(err, tar.ErrInsecurePath) && hdr != nil) {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("archive: tar: truncated archive: %w", err)
			}
			if errors.Is(err, scanners.ErrLimit) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			return fmt.Errorf("archive: %w", err)
		}
		raw := decodeName(hdr.Name)
		if rename != nil {
			if raw = rename(raw); raw == "" {
				continue
			}
		}
		name, notice := displayName("tar", raw)
		m := scanners.Member{Name: name, Size: hdr.Size, Notice: notice}
		open := opener(func() (io.Reader, func() error, error) { return tr, nil, nil })
		switch hdr.Typeflag {
		case tar.TypeDir, tar.TypeXGlobalHeader:
			continue
		case tar.TypeSymlink:
			m.Notice = joinNotices(m.Notice, fmt.Errorf("archive: tar: %s: member is a symbolic link to %s: not followed", name, decodeName(hdr.Linkname)))
			m.Size, open = 0, emptyOpener
		case tar.TypeLink:
			m.Notice = joinNotices(m.Notice, fmt.Errorf("archive: tar: %s: member is a hard link to %s: not followed", name, decodeName(hdr.Linkname)))
			m.Size, open = 0, emptyOpener
		case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
			m.Notice = joinNotices(m.Notice, fmt.Errorf("archive: tar: %s: member is a device or FIFO: skipped", name))
			m.Size, open = 0, emptyOpener
		default:
			if hdr.Size < 0 {
				m.Err = fmt.Errorf("archive: tar: %s: negative size", name)
			} else if err := w.memberLimit(name, hdr.Size, -1); err != nil {
				m.Err = err
			}
		}
		if err := w.emit(yield, m, open, nil); err != nil {
			return err
		}
	}
}

// emptyOpener opens a member with no content (a link, a device).
func emptyOpener() (io.Reader, func() error, error) {
	return strings.NewReader(""), nil, nil
}
