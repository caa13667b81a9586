package archive

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/andybalholm/brotli"

	"github.com/rouei/rouei/scanners"
)

// pakOpener reads Chromium/Electron resource packs (.pak, versions 4
// and 5): each resource is a member named by its id ("1234"); resources
// Chromium stores brotli-compressed are decompressed, gzip'd ones are
// handed on for the engine to open.
type pakOpener struct{}

func (pakOpener) Kind() string            { return "pak" }
func (pakOpener) NeedsRandomAccess() bool { return true }

// pakLayout reads a pack's header from b: the entry table's offset, the
// number of resources, and whether b is a pack (the first resource must
// start right after the tables).
func pakLayout(b []byte) (table, count int, ok bool) {
	if len(b) < 12 {
		return 0, 0, false
	}
	le := binary.LittleEndian
	var aliases int
	switch le.Uint32(b) {
	case 4:
		count, table = int(le.Uint32(b[4:])), 9
		if b[8] > 2 || count > 1<<16 {
			return 0, 0, false
		}
	case 5:
		if le.Uint32(b[4:]) > 2 {
			return 0, 0, false
		}
		count, aliases, table = int(le.Uint16(b[8:])), int(le.Uint16(b[10:])), 12
	default:
		return 0, 0, false
	}
	first := table + 6*(count+1) + 4*aliases
	if table+6 > len(b) || count == 0 {
		return 0, 0, false
	}
	return table, count, int(le.Uint32(b[table+2:])) == first
}

// identifyPak recognises a resource pack from its first bytes.
func identifyPak(head []byte) bool {
	_, _, ok := pakLayout(head)
	return ok
}

// brotliMark starts a resource Chromium compressed with brotli (then a
// 6-byte size and the stream).
var brotliMark = []byte{0x1E, 0x9B}

func (pakOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, "pak", src, lim)
	if src.At == nil || src.Size < 0 {
		return errors.New("archive: pak: random access needed")
	}
	hdr := make([]byte, 18)
	if _, err := src.At.ReadAt(hdr, 0); err != nil {
		return fmt.Errorf("archive: pak: %w", err)
	}
	table, count, _ := pakLayout(hdr)
	if table == 0 {
		return errors.New("archive: pak: not a resource pack")
	}
	ents := make([]byte, 6*(count+1))
	if _, err := src.At.ReadAt(ents, int64(table)); err != nil {
		return fmt.Errorf("archive: pak: truncated entry table: %w", err)
	}
	le := binary.LittleEndian
	for i := 0; i < count; i++ {
		id := le.Uint16(ents[6*i:])
		start, end := int64(le.Uint32(ents[6*i+2:])), int64(le.Uint32(ents[6*i+8:]))
		name := fmt.Sprint(id)
		m := scanners.Member{Name: name, Size: end - start}
		if start > end || end > src.Size {
			m.Err = fmt.Errorf("archive: pak: resource %s lies outside the pack", name)
			m.Size = -1
		} else if err := w.memberLimit(name, end-start, -1); err != nil {
			m.Err = err
		}
		open := func() (io.Reader, func() error, error) {
			sec := io.NewSectionReader(src.At, start, end-start)
			var mark [8]byte
			if n, _ := sec.ReadAt(mark[:], 0); n == 8 && bytes.HasPrefix(mark[:], brotliMark) {
				return brotli.NewReader(io.NewSectionReader(src.At, start+8, end-start-8)), nil, nil
			}
			return sec, nil, nil
		}
		var compressed func() int64
		if m.Err == nil {
			size := end - start
			compressed = func() int64 { return size }
		}
		if err := w.emit(yield, m, open, compressed); err != nil {
			return err
		}
	}
	return nil
}
