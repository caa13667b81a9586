package archive

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/lzh"
)

// lzhOpener reads LZH (LHA) archives front to back with package lzh:
// header levels 0 to 3, methods -lh0-, -lh4- to -lh7- (and -lz4-);
// members in other methods are reported with an error and skipped.
// Directories are skipped, Unix symbolic links noticed, never followed.
type lzhOpener struct{}

func (lzhOpener) Kind() string            { return "lzh" }
func (lzhOpener) NeedsRandomAccess() bool { return false }

// identifyLZH recognises the first member header of an LZH archive: the
// method id "-lh?-" or "-lz?-" at offset 2, a header level of 0 to 3 at
// offset 20, and a consistent header size (and, for levels 0 and 1,
// checksum). Self-extracting archives (an .exe with the archive inside)
// are not recognised.
func identifyLZH(head []byte) bool {
	if len(head) < 22 || head[2] != '-' || head[3] != 'l' || (head[4] != 'h' && head[4] != 'z') || head[6] != '-' {
		return false
	}
	if c := head[5]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'z') {
		return false
	}
	switch head[20] {
	case 0, 1:
		size := int(head[0]) + 2
		need := 24 + int(head[21]) // name and CRC
		if head[20] == 1 {
			need += 3 // OS id, next extended header size
		}
		if size < need || len(head) < size {
			return false
		}
		var sum byte
		for _, c := range head[2:size] {
			sum += c
		}
		return sum == head[1]
	case 2:
		if len(head) < 26 {
			return false
		}
		size := int(binary.LittleEndian.Uint16(head))
		next := int(binary.LittleEndian.Uint16(head[24:]))
		return size >= 26 && (next == 0 || next >= 3 && next <= size-26)
	case 3:
		return len(head) >= 32 && head[0] == 4 && head[1] == 0
	}
	return false
}

func (lzhOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, "lzh", src, lim)
	if src.Reader == nil {
		return errors.New("archive: lzh: no stream")
	}
	r := lzh.NewReader(src.Reader)
	for {
		if err := w.check(); err != nil {
			return err
		}
		var hdr *lzh.Header
		err := protect("lzh", func() error {
			var err error
			hdr, err = r.Next()
			return err
		})
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, scanners.ErrLimit) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("archive: lzh: truncated archive: %w", err)
			}
			return fmt.Errorf("archive: %w", err)
		}
		if hdr.IsDir {
			continue
		}
		name, notice := displayName("lzh", lzhName(hdr.Name))
		m := scanners.Member{Name: name, Size: hdr.Size, Notice: notice}
		open := opener(func() (io.Reader, func() error, error) { return r, nil, nil })
		switch {
		case hdr.IsSymlink:
			m.Notice = joinNotices(m.Notice, fmt.Errorf("archive: lzh: %s: member is a symbolic link to %s: not followed", name, lzhName(hdr.Linkname)))
			m.Size, open = 0, emptyOpener
		case !lzh.MethodSupported(hdr.Method):
			m.Err = fmt.Errorf("archive: lzh: %s: compression method %s not supported: contents not scanned", name, strings.ToValidUTF8(fmt.Sprintf("%q", hdr.Method), "?"))
		default:
			if err := w.memberLimit(name, hdr.Size, hdr.CompressedSize); err != nil {
				m.Err = err
			}
		}
		compressed := hdr.CompressedSize
		if err := w.emit(yield, m, open, func() int64 { return compressed }); err != nil {
			return err
		}
	}
}

// lzhName decodes a member's raw name (CP932 unless it is valid UTF-8)
// and turns the '\' separators of DOS and Windows archivers into '/'. It
// is done after decoding: 0x5C is also a CP932 trail byte (表, ソ).
func lzhName(raw string) string {
	return strings.ReplaceAll(decodeName(raw), `\`, "/")
}
