package archive

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"

	"github.com/bodgit/sevenzip"
	"github.com/rouei/rouei/scanners"
)

// sevenZipOpener reads 7z archives with github.com/bodgit/sevenzip (LZMA,
// LZMA2, PPMd, BCJ, Deflate, bzip2, zstd, brotli, lz4… and AES, which
// without a password is reported as encrypted).
type sevenZipOpener struct{}

func (sevenZipOpener) Kind() string            { return "7z" }
func (sevenZipOpener) NeedsRandomAccess() bool { return true }

// isEncrypted says whether a sevenzip error comes from an encrypted
// stream or header.
func isEncrypted(err error) bool {
	var re *sevenzip.ReadError
	return errors.As(err, &re) && re.Encrypted
}

func (sevenZipOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, "7z", src, lim)
	if src.At == nil || src.Size < 0 {
		return errors.New("archive: 7z: random access needed")
	}
	if err := w.check(); err != nil {
		return err
	}
	var zr *sevenzip.Reader
	err := protect("7z", func() error {
		var err error
		zr, err = sevenzip.NewReader(src.At, src.Size)
		return err
	})
	if err != nil {
		if isEncrypted(err) {
			return fmt.Errorf("archive: 7z: file list is encrypted: %w", scanners.ErrEncrypted)
		}
		return fmt.Errorf("archive: %w", err)
	}
	// A solid stream holds several members one after the other: opening
	// one decompresses (and discards) what lies before it in the stream.
	// That cost is counted against the container's limits.
	type streamPos struct{ declared, read int64 }
	streams := map[int]*streamPos{}
	for _, f := range zr.File {
		info := f.FileInfo()
		if info.IsDir() {
			continue
		}
		name, notice := displayName("7z", decodeName(f.Name))
		m := scanners.Member{Name: name, Size: -1, Notice: notice}
		if info.Mode()&fs.ModeSymlink != 0 {
			m.Notice = joinNotices(m.Notice, fmt.Errorf("archive: 7z: %s: member is a symbolic link: not followed (its target is scanned as text)", name))
		}
		if f.UncompressedSize <= math.MaxInt64 {
			m.Size = int64(f.UncompressedSize)
		}
		sp := streams[f.Stream]
		if sp == nil {
			sp = &streamPos{}
			streams[f.Stream] = sp
		}
		offset := sp.declared
		if m.Size > 0 {
			sp.declared += m.Size
		}
		var (
			rc   io.ReadCloser
			head *bufio.Reader
		)
		switch {
		case m.Size < 0:
			m.Err = limitError("7z: %s: member size %d out of range", name, f.UncompressedSize)
		default:
			// Members share their stream's compressed bytes; the
			// container's size bounds each one's ratio.
			if err := w.memberLimit(name, m.Size, src.Size); err != nil {
				m.Err = err
				break
			}
			if skip := offset - sp.read; skip > 0 {
				if err := w.addTotal(skip); err != nil {
					return err
				}
			}
			err := protect("7z", func() error {
				var err error
				rc, err = f.Open()
				if err != nil {
					return err
				}
				// Reading one byte ahead tells an encrypted stream
				// before the member is yielded.
				head = bufio.NewReaderSize(rc, 4096)
				_, err = head.Peek(1)
				if err == io.EOF {
					err = nil
				}
				return err
			})
			sp.read = offset
			if err != nil {
				if rc != nil {
					_ = protect("7z", rc.Close)
					rc = nil
				}
				if isEncrypted(err) {
					m.Err = fmt.Errorf("archive: 7z: %s: %w", name, scanners.ErrEncrypted)
				} else {
					m.Err = fmt.Errorf("archive: 7z: %s: %w", name, err)
				}
			}
		}
		opened := false
		read := &counter{r: head}
		err := w.emit(yield, m, func() (io.Reader, func() error, error) {
			opened = true
			return read, rc.Close, nil
		}, func() int64 { return src.Size })
		if rc != nil {
			if !opened {
				_ = protect("7z", rc.Close)
			}
			// The stream's reader stands where the engine stopped
			// reading; the next member's Open discards up to its start.
			sp.read = offset + read.n
		}
		if err != nil {
			return err
		}
	}
	return nil
}
