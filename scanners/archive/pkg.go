package archive

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/ar"
	"github.com/rouei/rouei/scanners/cpio"
)

// Packages: Debian packages (ar holding control.tar.* and data.tar.*),
// RPM packages (lead, signature and header, then a compressed cpio
// payload) and cpio archives of their own. Members are named by the path
// they install to: opac_2.3-1_all.deb!/usr/share/opac/data/a.csv (no
// data.tar level), control files under !/DEBIAN/, rpm members by their
// installed paths.

var (
	magicAr  = []byte(ar.Magic)
	magicRPM = []byte{0xED, 0xAB, 0xEE, 0xDB}
	magicHdr = []byte{0x8E, 0xAD, 0xE8, 0x01}
)

// identifyPackage returns the opener of a Debian package, an RPM or a
// cpio archive, or nil. An ar archive that is not a Debian package (a
// static library) is read as ar: its members are yielded as they are.
func identifyPackage(head []byte) scanners.Opener {
	switch {
	case bytes.HasPrefix(head, magicAr):
		if len(head) >= 68 && strings.HasPrefix(string(head[8:24]), "debian-binary") {
			return debOpener{}
		}
		return debOpener{plain: true}
	case len(head) >= 96 && bytes.HasPrefix(head, magicRPM) && head[4] >= 3 && head[4] <= 4:
		return rpmOpener{}
	case cpio.Identify(head):
		return cpioOpener{}
	}
	return nil
}

// debOpener reads a Debian package (or, plain, any ar archive).
type debOpener struct{ plain bool }

func (d debOpener) Kind() string {
	if d.plain {
		return "ar"
	}
	return "deb"
}
func (debOpener) NeedsRandomAccess() bool { return false }

// installedPath turns a package's member name ("./usr/share/a.csv",
// "usr/share/a.csv") into the path it installs to without the leading
// "./" or "/"; "" for the root itself.
func installedPath(name string) string {
	name = strings.TrimPrefix(name, "./")
	for strings.HasPrefix(name, "/") {
		name = name[1:]
	}
	if name == "." {
		return ""
	}
	return name
}

func (d debOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	kind := d.Kind()
	w := newWalker(ctx, kind, src, lim)
	if src.Reader == nil {
		return fmt.Errorf("archive: %s: no stream", kind)
	}
	ra := ar.NewReader(src.Reader)
	for {
		if err := w.check(); err != nil {
			return err
		}
		var hdr *ar.Header
		err := protect(kind, func() error { var err error; hdr, err = ra.Next(); return err })
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("archive: %s: %w", kind, err)
		}
		base := hdr.Name
		var rename func(string) string
		switch {
		case d.plain:
		case base == "debian-binary":
			continue // the format's version, "2.0"
		case strings.HasPrefix(base, "control.tar"):
			rename = func(n string) string {
				if n = installedPath(n); n == "" {
					return ""
				}
				return "DEBIAN/" + n
			}
		case strings.HasPrefix(base, "data.tar"):
			rename = installedPath
		}
		if rename == nil {
			name, notice := displayName(kind, decodeName(base))
			m := scanners.Member{Name: name, Size: hdr.Size, Notice: notice}
			if err := w.memberLimit(name, hdr.Size, -1); err != nil {
				m.Err = err
			}
			if err := w.emit(yield, m, func() (io.Reader, func() error, error) { return ra, nil, nil }, nil); err != nil {
				return err
			}
			continue
		}
		size := hdr.Size
		if err := walkCompressed(w, ra, base, func() int64 { return size }, func(r io.Reader) error {
			return walkTar(w, r, rename, yield)
		}); err != nil {
			return err
		}
	}
}

// walkCompressed decompresses r (gzip, bzip2, xz, zstd, or stored, told
// by its magic) and hands the stream, bounded by an expandGuard against
// compressed, to walk. what names the part in errors.
func walkCompressed(w *walker, r io.Reader, what string, compressed func() int64, walk func(io.Reader) error) error {
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(16)
	var s *streamOpener
	switch {
	case bytes.HasPrefix(head, magicGzip):
		s = gzipOpener
	case isBzip2(head):
		s = bzip2Opener
	case bytes.HasPrefix(head, magicXz):
		s = xzOpener
	case bytes.HasPrefix(head, magicZstd):
		s = zstdOpener
	case len(head) >= 6 && (head[0] == 0x5D || head[0] == 0xFF) && head[1] == 0 && head[2] == 0:
		return fmt.Errorf("archive: %s: %s: lzma compression: %w", w.kind, what, errUnsupported)
	}
	var in io.Reader = br
	if s != nil {
		var rc io.ReadCloser
		err := protect(w.kind, func() error { var err error; rc, _, err = s.open(br); return err })
		if err != nil {
			if errors.Is(err, scanners.ErrLimit) {
				return err
			}
			return fmt.Errorf("archive: %s: %s: %w", w.kind, what, err)
		}
		defer func() { _ = protect(w.kind, rc.Close) }()
		in = rc
	}
	return walk(&expandGuard{w: w, r: in, compressed: compressed})
}

// errUnsupported marks a part in a format or compression not read.
var errUnsupported = errors.New("not supported: contents not scanned")

// rpmOpener reads an RPM package: the lead, the signature and main
// headers (skipped, their sizes bounded), then the payload, a cpio
// archive compressed with gzip, bzip2, xz or zstd.
type rpmOpener struct{}

func (rpmOpener) Kind() string            { return "rpm" }
func (rpmOpener) NeedsRandomAccess() bool { return false }

// maxRPMHeader bounds an RPM header's index entries and data store.
const maxRPMHeader = 256 << 20

func (rpmOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, "rpm", src, lim)
	if src.Reader == nil {
		return errors.New("archive: rpm: no stream")
	}
	in := &counter{r: src.Reader}
	br := bufio.NewReader(in)
	var lead [96]byte
	if _, err := io.ReadFull(br, lead[:]); err != nil || !bytes.HasPrefix(lead[:], magicRPM) {
		return errors.New("archive: rpm: truncated lead")
	}
	pos := int64(96)
	for i, what := range []string{"signature", "header"} {
		var h [16]byte
		if _, err := io.ReadFull(br, h[:]); err != nil {
			return fmt.Errorf("archive: rpm: truncated %s: %w", what, io.ErrUnexpectedEOF)
		}
		if !bytes.HasPrefix(h[:], magicHdr) {
			return fmt.Errorf("archive: rpm: no %s header at offset %d", what, pos)
		}
		nindex, hsize := int64(binary.BigEndian.Uint32(h[8:])), int64(binary.BigEndian.Uint32(h[12:]))
		n := 16*nindex + hsize
		if nindex > maxRPMHeader/16 || n > maxRPMHeader {
			return limitError("rpm: %s header of %d bytes", what, n)
		}
		pos += 16 + n
		if i == 0 {
			n += (8 - pos%8) % 8 // the signature is padded to 8 bytes
			pos += (8 - pos%8) % 8
		}
		if _, err := br.Discard(int(n)); err != nil {
			return fmt.Errorf("archive: rpm: truncated %s: %w", what, io.ErrUnexpectedEOF)
		}
	}
	compressed := func() int64 {
		if src.Size > 0 {
			return src.Size
		}
		return in.n
	}
	return walkCompressed(w, br, "payload", compressed, func(r io.Reader) error {
		return walkCpio(w, r, installedPath, yield)
	})
}

// cpioOpener reads a cpio archive (newc, crc, odc, old binary).
type cpioOpener struct{}

func (cpioOpener) Kind() string            { return "cpio" }
func (cpioOpener) NeedsRandomAccess() bool { return false }

func (cpioOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, "cpio", src, lim)
	if src.Reader == nil {
		return errors.New("archive: cpio: no stream")
	}
	return walkCpio(w, src.Reader, func(n string) string {
		if n == "." {
			return ""
		}
		return strings.TrimPrefix(n, "./")
	}, yield)
}

// walkCpio yields the members of a cpio stream; rename as for walkTar.
func walkCpio(w *walker, r io.Reader, rename func(string) string, yield func(scanners.Member) error) error {
	cr := cpio.NewReader(r)
	for {
		if err := w.check(); err != nil {
			return err
		}
		var hdr *cpio.Header
		err := protect(w.kind, func() error { var err error; hdr, err = cr.Next(); return err })
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, scanners.ErrLimit) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			if errors.Is(err, cpio.ErrFormat) && w.kind == "rpm" {
				return fmt.Errorf("archive: rpm: payload: %w", err)
			}
			return fmt.Errorf("archive: %s: %w", w.kind, err)
		}
		raw := decodeName(hdr.Name)
		if rename != nil {
			if raw = rename(raw); raw == "" {
				continue
			}
		}
		name, notice := displayName(w.kind, path.Clean(raw))
		if path.Clean(raw) == "." {
			continue
		}
		m := scanners.Member{Name: name, Size: hdr.Size, Notice: notice}
		open := opener(func() (io.Reader, func() error, error) { return cr, nil, nil })
		switch hdr.Type() {
		case cpio.TypeDir:
			continue
		case cpio.TypeSymlink:
			m.Notice = joinNotices(m.Notice, fmt.Errorf("archive: %s: %s: member is a symbolic link: not followed", w.kind, name))
			m.Size, open = 0, emptyOpener
		case cpio.TypeRegular:
			if err := w.memberLimit(name, hdr.Size, -1); err != nil {
				m.Err = err
			}
		default:
			m.Notice = joinNotices(m.Notice, fmt.Errorf("archive: %s: %s: member is a device, FIFO or socket: skipped", w.kind, name))
			m.Size, open = 0, emptyOpener
		}
		if err := w.emit(yield, m, open, nil); err != nil {
			return err
		}
	}
}
