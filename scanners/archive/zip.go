package archive

import (
	"archive/zip"
	"compress/bzip2"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/rouei/rouei/scanners"
)

// zipOpener reads zip archives (and jar, apk, epub, odt… which are zips)
// with archive/zip, ZIP64 included. Store and Deflate are read, and
// bzip2 (12), zstd (93) and xz (95) members too.
type zipOpener struct{}

func (zipOpener) Kind() string            { return "zip" }
func (zipOpener) NeedsRandomAccess() bool { return true }

// Zip compression methods read besides Store and Deflate.
const (
	methodBzip2 = 12
	methodZstd  = 93
	methodXz    = 95
	methodAES   = 99
)

func (zipOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, "zip", src, lim)
	if src.At == nil || src.Size < 0 {
		return errors.New("archive: zip: random access needed")
	}
	if err := w.check(); err != nil {
		return err
	}
	var zr *zip.Reader
	err := protect("zip", func() error {
		var err error
		zr, err = zip.NewReader(src.At, src.Size)
		return err
	})
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return fmt.Errorf("archive: %w", err)
	}
	zr.RegisterDecompressor(methodBzip2, func(r io.Reader) io.ReadCloser { return io.NopCloser(bzip2.NewReader(r)) })
	zr.RegisterDecompressor(methodZstd, func(r io.Reader) io.ReadCloser {
		rc, err := newZstdReader(r)
		if err != nil {
			return errReadCloser{err}
		}
		return rc
	})
	zr.RegisterDecompressor(methodXz, func(r io.Reader) io.ReadCloser {
		rc, err := newXzReader(r)
		if err != nil {
			return errReadCloser{err}
		}
		return rc
	})
	for _, f := range zr.File {
		if isZipDir(f) {
			continue
		}
		if err := w.emit(yield, zipMember(w, src, f), zipOpen(f), zipCompressed(f, src.Size)); err != nil {
			return err
		}
	}
	return nil
}

// isZipDir says whether an entry is a directory with no content.
func isZipDir(f *zip.File) bool {
	if f.UncompressedSize64 != 0 {
		return false
	}
	return strings.HasSuffix(f.Name, "/") || strings.HasSuffix(f.Name, `\`) || f.Mode().IsDir()
}

// zipMember describes one entry: its decoded name, size, and why it
// cannot be read (encrypted, unsupported method, over a limit, data
// outside the archive) or what must be noticed about it.
func zipMember(w *walker, src scanners.Source, f *zip.File) scanners.Member {
	name, notice := displayName("zip", zipName(f))
	m := scanners.Member{Name: name, Size: -1, Notice: notice}
	if f.UncompressedSize64 <= math.MaxInt64 {
		m.Size = int64(f.UncompressedSize64)
	}
	if f.Mode()&fs.ModeSymlink != 0 {
		m.Notice = joinNotices(m.Notice, fmt.Errorf("archive: zip: %s: member is a symbolic link: not followed (its target is scanned as text)", name))
	}
	compressed := int64(-1)
	if f.CompressedSize64 <= math.MaxInt64 {
		compressed = min(int64(f.CompressedSize64), src.Size)
	}
	switch {
	case f.Flags&0x1 != 0 || f.Flags&0x40 != 0 || f.Method == methodAES || hasExtra(f.Extra, 0x9901):
		m.Err = fmt.Errorf("archive: zip: %s: %w", name, scanners.ErrEncrypted)
	case !zipMethodRead(f.Method):
		m.Err = fmt.Errorf("archive: zip: %s: compression method %d not supported: contents not scanned", name, f.Method)
	case m.Size < 0:
		m.Err = limitError("zip: %s: member size %d out of range", name, f.UncompressedSize64)
	default:
		if err := w.memberLimit(name, m.Size, compressed); err != nil {
			m.Err = err
			break
		}
		off, err := f.DataOffset()
		if err != nil {
			m.Err = fmt.Errorf("archive: zip: %s: bad local header: %w", name, err)
			break
		}
		if compressed < 0 || off < 0 || off > src.Size || int64(f.CompressedSize64) > src.Size-off {
			m.Err = fmt.Errorf("archive: zip: %s: member data lies past the end of the archive (central directory is corrupt)", name)
		}
	}
	return m
}

func zipMethodRead(method uint16) bool {
	switch method {
	case zip.Store, zip.Deflate, methodBzip2, methodZstd, methodXz:
		return true
	}
	return false
}

func zipOpen(f *zip.File) opener {
	return func() (io.Reader, func() error, error) {
		rc, err := f.Open()
		if err != nil {
			return nil, nil, fmt.Errorf("archive: zip: %s: %w", f.Name, err)
		}
		return rc, rc.Close, nil
	}
}

func zipCompressed(f *zip.File, size int64) func() int64 {
	c := int64(-1)
	if f.CompressedSize64 <= math.MaxInt64 {
		c = min(int64(f.CompressedSize64), size)
	}
	return func() int64 { return c }
}

// zipName is the entry's name decoded to UTF-8: an Info-ZIP Unicode Path
// extra field (0x7075) whose CRC matches the raw name wins; otherwise
// valid UTF-8 is kept (flagged or not: archive/zip's NonUTF8 is only a
// guess) and anything else is read as CP932.
func zipName(f *zip.File) string {
	if u, ok := unicodePathExtra(f.Extra, f.Name); ok {
		return u
	}
	return decodeName(f.Name)
}

// unicodePathExtra finds an Info-ZIP Unicode Path extra field for raw.
func unicodePathExtra(extra []byte, raw string) (string, bool) {
	for len(extra) >= 4 {
		id := binary.LittleEndian.Uint16(extra)
		n := int(binary.LittleEndian.Uint16(extra[2:]))
		if n > len(extra)-4 {
			return "", false
		}
		body := extra[4 : 4+n]
		extra = extra[4+n:]
		if id != 0x7075 || len(body) < 5 || body[0] != 1 {
			continue
		}
		if binary.LittleEndian.Uint32(body[1:]) != crc32.ChecksumIEEE([]byte(raw)) {
			continue
		}
		if s := string(body[5:]); s != "" && !strings.ContainsRune(s, 0) && utf8.ValidString(s) {
			return s, true
		}
	}
	return "", false
}

// hasExtra says whether extra holds a field with the given id.
func hasExtra(extra []byte, want uint16) bool {
	for len(extra) >= 4 {
		id := binary.LittleEndian.Uint16(extra)
		n := int(binary.LittleEndian.Uint16(extra[2:]))
		if n > len(extra)-4 {
			return false
		}
		if id == want {
			return true
		}
		extra = extra[4+n:]
	}
	return false
}

// errReadCloser fails every read with its error.
type errReadCloser struct{ err error }

func (e errReadCloser) Read([]byte) (int, error) { return 0, e.err }
func (e errReadCloser) Close() error             { return nil }
