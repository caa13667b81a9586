package archive

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/h2non/filetype/matchers"
	"github.com/klauspost/compress/zstd"
	"github.com/rouei/rouei/scanners"
	"github.com/ulikunitz/xz"
)

// streamOpener reads a single-stream compressor (gzip, bzip2, xz, zstd):
// one member, the decompressed stream, which the engine sniffs again (a
// .tar.gz's member is the tar).
type streamOpener struct {
	kind string
	// exts maps the compressed name's extensions to what replaces them
	// in the member's name (".gz" → "", ".tgz" → ".tar").
	exts map[string]string
	// open starts decompressing r; header names the original file when
	// the format stores it (gzip), else "".
	open func(r io.Reader) (rc io.ReadCloser, header string, err error)
}

func (s *streamOpener) Kind() string            { return s.kind }
func (s *streamOpener) NeedsRandomAccess() bool { return false }

var (
	gzipOpener = &streamOpener{
		kind: "gzip",
		exts: map[string]string{".gz": "", ".gzip": "", ".tgz": ".tar", ".taz": ".tar", ".z": ""},
		open: func(r io.Reader) (io.ReadCloser, string, error) {
			g := &gzipStreams{br: bufio.NewReader(r)}
			zr, err := gzip.NewReader(g.br)
			if err != nil {
				return nil, "", err
			}
			zr.Multistream(false)
			g.zr = zr
			return g, zr.Name, nil
		},
	}
	bzip2Opener = &streamOpener{
		kind: "bzip2",
		exts: map[string]string{".bz2": "", ".bz": "", ".bzip2": "", ".tbz": ".tar", ".tbz2": ".tar", ".tb2": ".tar"},
		open: func(r io.Reader) (io.ReadCloser, string, error) {
			return io.NopCloser(bzip2.NewReader(r)), "", nil
		},
	}
	xzOpener = &streamOpener{
		kind: "xz",
		exts: map[string]string{".xz": "", ".txz": ".tar"},
		open: func(r io.Reader) (io.ReadCloser, string, error) {
			rc, err := newXzReader(r)
			return rc, "", err
		},
	}
	zstdOpener = &streamOpener{
		kind: "zstd",
		exts: map[string]string{".zst": "", ".zstd": "", ".tzst": ".tar"},
		open: func(r io.Reader) (io.ReadCloser, string, error) {
			rc, err := newZstdReader(r)
			return rc, "", err
		},
	}
)

// gzipStreams reads concatenated gzip streams (as gzip -d does) and
// accepts zero padding after the last one (tape-blocked .tar.gz files
// have it); anything else after a stream is an error.
type gzipStreams struct {
	br *bufio.Reader
	zr *gzip.Reader
}

func (g *gzipStreams) Read(p []byte) (int, error) {
	for {
		n, err := g.zr.Read(p)
		if err != io.EOF {
			return n, err
		}
		// The stream ended: another one, zero padding, or the end.
		for {
			b, perr := g.br.Peek(1)
			if perr == io.EOF {
				return n, io.EOF
			}
			if perr != nil {
				return n, perr
			}
			if b[0] != 0 {
				break
			}
			buf, _ := g.br.Peek(g.br.Buffered())
			zeros := len(buf) - len(bytes.TrimLeft(buf, "\x00"))
			if _, err := g.br.Discard(zeros); err != nil {
				return n, err
			}
		}
		if err := g.zr.Reset(g.br); err != nil {
			return n, fmt.Errorf("gzip: data after the end of the stream: %w", err)
		}
		g.zr.Multistream(false)
		if n > 0 {
			return n, nil
		}
	}
}

func (g *gzipStreams) Close() error { return g.zr.Close() }

// zstdMaxWindow bounds a zstd stream's window (and so the decoder's
// memory), as zstd's own command does by default (--memory=128MB).
const zstdMaxWindow = 128 << 20

// newZstdReader starts a zstd decoder with bounded memory and no
// goroutines of its own.
func newZstdReader(r io.Reader) (io.ReadCloser, error) {
	d, err := zstd.NewReader(r,
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxMemory(zstdMaxWindow),
		zstd.WithDecoderMaxWindow(zstdMaxWindow))
	if err != nil {
		return nil, err
	}
	return d.IOReadCloser(), nil
}

// xzMaxDict bounds an xz stream's LZMA2 dictionary, which the decoder
// allocates whole: xz -9 uses 64 MiB.
const xzMaxDict = 256 << 20

// newXzReader starts an xz decoder after checking the first block's
// dictionary size.
func newXzReader(r io.Reader) (io.ReadCloser, error) {
	br := bufio.NewReaderSize(r, 4096)
	if head, _ := br.Peek(64); len(head) > 0 {
		if d, ok := xzFirstDict(head); ok && d > xzMaxDict {
			return nil, limitError("xz: dictionary of %d bytes, over %d", d, xzMaxDict)
		}
	}
	xr, err := xz.ReaderConfig{}.NewReader(br)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(xr), nil
}

// xzFirstDict reads the LZMA2 dictionary size of the first block of an
// xz stream from its header bytes; false when it cannot tell.
func xzFirstDict(b []byte) (int64, bool) {
	// stream header (12) then block header: size byte, flags, optional
	// sizes (varints), filter flags (id varint, props size varint, props).
	if len(b) < 14 || b[12] == 0 {
		return 0, false
	}
	hsize := (int(b[12]) + 1) * 4
	h := b[12:min(len(b), 12+hsize)]
	if len(h) < 3 {
		return 0, false
	}
	flags := h[1]
	p := 2
	varint := func() (uint64, bool) {
		var v uint64
		for i := 0; i < 9 && p < len(h); i++ {
			c := h[p]
			p++
			v |= uint64(c&0x7F) << (7 * i)
			if c&0x80 == 0 {
				return v, true
			}
		}
		return 0, false
	}
	if flags&0x40 != 0 {
		if _, ok := varint(); !ok {
			return 0, false
		}
	}
	if flags&0x80 != 0 {
		if _, ok := varint(); !ok {
			return 0, false
		}
	}
	nf := int(flags&3) + 1
	for range nf {
		id, ok := varint()
		if !ok {
			return 0, false
		}
		psize, ok := varint()
		if !ok || psize > uint64(len(h)-p) {
			return 0, false
		}
		if id == 0x21 && psize == 1 {
			c := h[p]
			if c > 40 {
				return 0, false
			}
			if c == 40 {
				return 1<<32 - 1, true
			}
			return int64(2|(c&1)) << (c/2 + 11), true
		}
		p += int(psize)
	}
	return 0, false
}

// counter counts the bytes read through it.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (s *streamOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, s.kind, src, lim)
	if src.Reader == nil {
		return fmt.Errorf("archive: %s: no stream", s.kind)
	}
	if err := w.check(); err != nil {
		return err
	}
	in := &counter{r: src.Reader}
	var (
		rc     io.ReadCloser
		header string
	)
	err := protect(s.kind, func() error {
		var err error
		rc, header, err = s.open(in)
		return err
	})
	if err != nil {
		if errors.Is(err, scanners.ErrLimit) {
			return err
		}
		return fmt.Errorf("archive: %s: %w", s.kind, err)
	}
	name := s.memberName(src.Name, header)
	compressed := func() int64 {
		if src.Size >= 0 {
			return src.Size
		}
		return in.n
	}
	// A tar inside the stream is walked here, its members named
	// directly under the compressed file (x.tar.gz!/setup/a.csv, no
	// x.tar level), as the contract names them.
	br := bufio.NewReaderSize(rc, 4096)
	var head []byte
	_ = protect(s.kind, func() error { head, _ = br.Peek(512); return nil })
	if isTar(head) {
		defer func() { _ = protect(s.kind, rc.Close) }()
		guarded := &expandGuard{w: w, r: br, compressed: func() int64 { return in.n }}
		return walkTar(w, guarded, nil, yield)
	}
	opened := false
	m := scanners.Member{Name: name, Size: -1}
	err = w.emit(yield, m, func() (io.Reader, func() error, error) {
		opened = true
		return br, rc.Close, nil
	}, compressed)
	if !opened {
		_ = protect(s.kind, rc.Close)
	}
	return err
}

// isTar says whether head (the first 512 bytes or fewer) starts a tar.
func isTar(head []byte) bool {
	return matchers.Tar(head) || isV7Tar(head)
}

// expandGuard bounds a decompressed stream that is walked as a container
// (a tar inside gzip): its bytes, headers and skipped members included,
// count against MaxArchiveBytes and MaxRatio of the compressed bytes
// read, so a member the engine does not read whole cannot be used to
// expand without bound.
type expandGuard struct {
	w          *walker
	r          io.Reader
	compressed func() int64
	n          int64
	err        error
}

func (g *expandGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	var (
		n   int
		err error
	)
	if perr := protect(g.w.kind, func() error { n, err = g.r.Read(p); return nil }); perr != nil {
		g.err = perr
		return 0, perr
	}
	g.n += int64(n)
	lim := g.w.lim
	switch {
	case g.n > lim.MaxArchiveBytes:
		g.err = limitError("%s: expands past %d bytes", g.w.kind, lim.MaxArchiveBytes)
	case g.n > ratioGrace && g.n/lim.MaxRatio > g.compressed():
		g.err = limitError("%s: expands to more than %d times its %d compressed bytes", g.w.kind, lim.MaxRatio, g.compressed())
	}
	if g.err != nil {
		g.w.stop = g.err
		return n, g.err
	}
	return n, err
}

// memberName names the decompressed stream: the container's base name
// without its compression extension (".tgz" becomes ".tar"); else the
// name stored in a gzip header (its base name); else "data".
func (s *streamOpener) memberName(container, header string) string {
	base := path.Base(strings.ReplaceAll(container, `\`, "/"))
	ext := path.Ext(base)
	if repl, ok := s.exts[strings.ToLower(ext)]; ok && len(base) > len(ext) {
		return strings.TrimSuffix(base, ext) + repl
	}
	if header != "" {
		h := path.Base(strings.ReplaceAll(decodeName(latin1Bytes(header)), `\`, "/"))
		if h != "" && h != "." && h != ".." && h != "/" {
			return h
		}
	}
	return "data"
}

// latin1Bytes undoes compress/gzip's reading of a header name as Latin-1,
// giving back the raw bytes (which may be CP932) when every rune fits.
func latin1Bytes(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			return s
		}
		b = append(b, byte(r))
	}
	return string(b)
}
