// Package archive reads archives and compressed streams (zip, tar, gzip,
// bzip2, xz, zstd, 7z, ISO 9660) as scanners.Opener containers.
//
// Nothing is ever extracted to disk: every member is streamed to the
// engine through a reader that counts what it expands to and fails with
// an error wrapping scanners.ErrLimit once a limit is passed. Member names
// are display names only; names with path tricks are kept as written and
// carry a Notice.
package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/h2non/filetype/matchers"
	"github.com/rouei/rouei/scanners"
	"golang.org/x/text/encoding/japanese"
)

// Identify returns the Opener for content whose first bytes are head, or
// nil when head is not an archive this package reads. It decides by
// content (magic bytes), never by the name's extension; name only picks
// the member name of a single-stream compressor. head may be up to 64 KiB:
// an ISO 9660 image needs its first 32 KiB + 6 bytes to be recognised.
//
// A zip that is an OOXML document (xlsx, docx, pptx) is identified as zip
// too: callers that open office documents ask their reader first.
func Identify(name string, head []byte) scanners.Opener {
	_ = name
	switch {
	case matchers.Zip(head), bytes.HasPrefix(head, []byte("JM\x01\x00PK\x03\x04")): // a Java module (.jmod) is a zip after 4 bytes
		return zipOpener{}
	case bytes.HasPrefix(head, magic7z):
		return sevenZipOpener{}
	case bytes.HasPrefix(head, magicGzip):
		return gzipOpener
	case isBzip2(head):
		return bzip2Opener
	case bytes.HasPrefix(head, magicXz):
		return xzOpener
	case bytes.HasPrefix(head, magicZstd):
		return zstdOpener
	case matchers.Tar(head) || isV7Tar(head):
		return tarOpener{}
	case identifyPackage(head) != nil:
		return identifyPackage(head)
	case matchers.Iso(head):
		return isoOpener{}
	case identifyCAB(head):
		return cabOpener{}
	case identifyLZH(head):
		return lzhOpener{}
	case identifyPak(head):
		return pakOpener{}
	}
	return identifyImage(head)
}

var (
	magic7z   = []byte{'7', 'z', 0xBC, 0xAF, 0x27, 0x1C}
	magicGzip = []byte{0x1F, 0x8B, 0x08}
	magicXz   = []byte{0xFD, '7', 'z', 'X', 'Z', 0x00}
	magicZstd = []byte{0x28, 0xB5, 0x2F, 0xFD}
)

// isBzip2 checks "BZh", a block size digit, and the magic of a first
// block or of an empty stream's end: "BZh" alone is too weak (text can
// start with it).
func isBzip2(head []byte) bool {
	if len(head) < 10 || head[0] != 'B' || head[1] != 'Z' || head[2] != 'h' || head[3] < '1' || head[3] > '9' {
		return false
	}
	block := []byte{0x31, 0x41, 0x59, 0x26, 0x53, 0x59}
	eos := []byte{0x17, 0x72, 0x45, 0x38, 0x50, 0x90}
	return bytes.Equal(head[4:10], block) || bytes.Equal(head[4:10], eos)
}

// isV7Tar recognises a pre-POSIX tar header (no "ustar" magic) by its
// checksum and a plausible name and size field.
func isV7Tar(head []byte) bool {
	if len(head) < 512 || head[0] == 0 {
		return false
	}
	h := head[:512]
	want, ok := parseOctal(h[148:156])
	if !ok {
		return false
	}
	if _, ok := parseOctal(h[124:136]); !ok {
		return false
	}
	var sum int64
	for i, b := range h {
		if i >= 148 && i < 156 {
			b = ' '
		}
		sum += int64(b)
	}
	return sum == want
}

// parseOctal reads a NUL- or space-terminated octal tar field; false when
// it holds no digit or anything else.
func parseOctal(b []byte) (int64, bool) {
	s := strings.Trim(string(b), " \x00")
	if s == "" {
		return 0, false
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '7' {
			return 0, false
		}
		n = n*8 + int64(c-'0')
	}
	return n, true
}

// ratioGrace is how many bytes a member (or a whole container) may expand
// to before MaxRatio applies: a small file of zeros is not a bomb.
const ratioGrace = 1 << 20

// checkEvery is how often (in expanded bytes) a member's reader looks at
// the context and the container's deadline.
const checkEvery = 1 << 20

// limitError wraps scanners.ErrLimit with what was passed.
func limitError(format string, args ...any) error {
	return fmt.Errorf("archive: %s: %w", fmt.Sprintf(format, args...), scanners.ErrLimit)
}

// walker holds one Walk's counters: members yielded, bytes expanded, the
// deadline, and a container-level limit hit inside a member's reader.
type walker struct {
	ctx      context.Context
	kind     string
	lim      scanners.Limits
	deadline time.Time
	srcSize  int64
	members  int
	total    int64
	stop     error // a container-level limit hit while a member was read
}

func newWalker(ctx context.Context, kind string, src scanners.Source, lim scanners.Limits) *walker {
	lim = lim.WithDefaults() // a missing limit never means "unlimited"
	return &walker{ctx: ctx, kind: kind, lim: lim, deadline: time.Now().Add(lim.MaxArchiveTime), srcSize: src.Size}
}

// check reports ctx's error, or a limit error past the deadline.
func (w *walker) check() error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if time.Now().After(w.deadline) {
		return limitError("%s: reading took longer than %v", w.kind, w.lim.MaxArchiveTime)
	}
	return nil
}

// addTotal counts n expanded bytes against the container's limits (total
// bytes, and the container's ratio when its size is known).
func (w *walker) addTotal(n int64) error {
	w.total += n
	if w.total > w.lim.MaxArchiveBytes {
		return limitError("%s: members expand past %d bytes in all", w.kind, w.lim.MaxArchiveBytes)
	}
	if w.srcSize > 0 && w.total > ratioGrace && w.total/w.lim.MaxRatio > w.srcSize {
		return limitError("%s: members expand to more than %d times the container's %d bytes", w.kind, w.lim.MaxRatio, w.srcSize)
	}
	return nil
}

// memberLimit says whether a member of declared size and compressed size
// (-1 when unknown) is over a per-member limit before it is read.
func (w *walker) memberLimit(name string, size, compressed int64) error {
	if size > w.lim.MaxMemberBytes {
		return limitError("%s: %s: member expands to %d bytes, over the limit of %d", w.kind, name, size, w.lim.MaxMemberBytes)
	}
	if compressed >= 0 && size > ratioGrace && size/w.lim.MaxRatio > compressed {
		return limitError("%s: %s: member expands from %d to %d bytes, more than %d times", w.kind, name, compressed, size, w.lim.MaxRatio)
	}
	return nil
}

// opener makes a member's reader: the stream and what closes it (nil when
// nothing needs closing).
type opener func() (io.Reader, func() error, error)

// emit yields m after counting it against MaxMembers and the deadline.
// When open is not nil and m.Err is nil, m.Open is set to open the member
// once, through a reader that counts against the limits; compressed
// returns the member's compressed size so far (-1 when unknown). The
// reader is invalidated when yield returns.
func (w *walker) emit(yield func(scanners.Member) error, m scanners.Member, open opener, compressed func() int64) error {
	if err := w.check(); err != nil {
		return err
	}
	w.members++
	if w.members > w.lim.MaxMembers {
		return limitError("%s: more than %d members", w.kind, w.lim.MaxMembers)
	}
	var mr *memberReader
	state := 0 // 0 not opened, 1 opened, 2 walk moved on
	if m.Err == nil && open != nil {
		m.Open = func() (io.ReadCloser, error) {
			switch state {
			case 1:
				return nil, fmt.Errorf("archive: %s: %s: member opened twice", w.kind, m.Name)
			case 2:
				return nil, fmt.Errorf("archive: %s: %s: member opened after the walk moved on", w.kind, m.Name)
			}
			state = 1
			var (
				r      io.Reader
				closer func() error
				err    error
			)
			if perr := protect(w.kind, func() error { r, closer, err = open(); return nil }); perr != nil {
				return nil, perr
			}
			if err != nil {
				return nil, err
			}
			mr = &memberReader{w: w, name: m.Name, r: r, closer: closer, compressed: compressed}
			return mr, nil
		}
	} else {
		m.Open = nil
	}
	err := yield(m)
	state = 2
	if mr != nil {
		mr.invalidate()
	}
	if err != nil {
		return err
	}
	return w.stop
}

// errStale is returned by a member's reader used after the walk moved on.
var errStale = errors.New("archive: member read after the walk moved on")

// memberReader streams one member and enforces the limits while it does.
type memberReader struct {
	w          *walker
	name       string
	r          io.Reader
	closer     func() error
	compressed func() int64
	n          int64
	nextCheck  int64
	err        error
	dead       bool
}

func (m *memberReader) Read(p []byte) (int, error) {
	if m.dead {
		return 0, errStale
	}
	if m.err != nil {
		return 0, m.err
	}
	var (
		n   int
		err error
	)
	if perr := protect(m.w.kind, func() error { n, err = m.r.Read(p); return nil }); perr != nil {
		m.err = perr
		return 0, perr
	}
	if n < 0 || n > len(p) {
		m.err = fmt.Errorf("archive: %s: %s: reader returned a bad count", m.w.kind, m.name)
		return 0, m.err
	}
	m.n += int64(n)
	if lerr := m.limits(int64(n)); lerr != nil {
		m.err = lerr
		return n, lerr
	}
	if err != nil && err != io.EOF {
		err = m.wrapReadError(err)
		m.err = err
	}
	return n, err
}

// wrapReadError names the member in a read error, keeping io errors and
// scanners sentinels reachable with errors.Is.
func (m *memberReader) wrapReadError(err error) error {
	if errors.Is(err, scanners.ErrLimit) || errors.Is(err, scanners.ErrEncrypted) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("archive: %s: %s: truncated: %w", m.w.kind, m.name, err)
	}
	return fmt.Errorf("archive: %s: %s: %w", m.w.kind, m.name, err)
}

// limits checks the member's and the container's limits after n more
// bytes were expanded.
func (m *memberReader) limits(n int64) error {
	w := m.w
	if m.n > w.lim.MaxMemberBytes {
		return limitError("%s: %s: member expands past %d bytes", w.kind, m.name, w.lim.MaxMemberBytes)
	}
	if m.compressed != nil && m.n > ratioGrace {
		if c := m.compressed(); c >= 0 && m.n/w.lim.MaxRatio > c {
			return limitError("%s: %s: member expands to more than %d times its %d compressed bytes", w.kind, m.name, w.lim.MaxRatio, c)
		}
	}
	if err := w.addTotal(n); err != nil {
		w.stop = err
		return err
	}
	if m.n >= m.nextCheck {
		m.nextCheck = m.n + checkEvery
		if err := w.check(); err != nil {
			w.stop = err
			return err
		}
	}
	return nil
}

func (m *memberReader) Close() error {
	if m.dead {
		return nil
	}
	return m.close()
}

func (m *memberReader) close() error {
	c := m.closer
	m.closer = nil
	if c == nil {
		return nil
	}
	return protect(m.w.kind, c)
}

// invalidate closes the member's stream (if the engine did not) and makes
// further reads fail.
func (m *memberReader) invalidate() {
	_ = m.close()
	m.dead = true
}

// protect runs f and turns a panic in a format library into an error: a
// hostile archive must never crash the scan.
func protect(kind string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("archive: %s: corrupt archive (reader failed: %v)", kind, r)
		}
	}()
	return f()
}

// decodeName turns a member's raw name bytes into UTF-8: valid UTF-8 is
// kept, anything else is read as CP932 (Shift_JIS with Microsoft's
// extensions), and what is neither gets U+FFFD for its bad bytes.
func decodeName(raw string) string {
	if utf8.ValidString(raw) {
		return raw
	}
	if s, err := japanese.ShiftJIS.NewDecoder().String(raw); err == nil && !strings.ContainsRune(s, utf8.RuneError) {
		return s
	}
	return strings.ToValidUTF8(raw, "\uFFFD")
}

// displayName makes a member's name for display from its decoded name:
// backslashes become slashes, and a name that is absolute, has a drive
// letter or a ".." element, or had backslashes, gets a notice naming it as
// written. The name itself stays as written (nothing is extracted by it).
func displayName(kind, decoded string) (string, error) {
	name := decoded
	if name == "" {
		return "(unnamed)", nil
	}
	hadBackslash := strings.Contains(name, `\`)
	if hadBackslash {
		name = strings.ReplaceAll(name, `\`, "/")
	}
	if escapes(name) {
		return name, fmt.Errorf("archive: %s: member name escapes the archive: %s", kind, decoded)
	}
	if hadBackslash {
		return name, fmt.Errorf("archive: %s: member name has backslashes for separators: %s", kind, decoded)
	}
	return name, nil
}

// escapes says whether a slash-separated name would leave a directory it
// were extracted into: absolute, a drive letter, or a ".." element
// (filepath.IsLocal's rules, on the slash form, for any OS).
func escapes(name string) bool {
	if strings.HasPrefix(name, "/") {
		return true
	}
	if len(name) >= 2 && name[1] == ':' && (name[0]|0x20) >= 'a' && (name[0]|0x20) <= 'z' {
		return true
	}
	for _, el := range strings.Split(name, "/") {
		if el == ".." {
			return true
		}
	}
	return path.Clean(name) == ".."
}

// joinNotices combines two notices, either of which may be nil.
func joinNotices(a, b error) error {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return errors.Join(a, b)
}
