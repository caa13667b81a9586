package archive

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/cab"
)

// cabOpener reads Microsoft Cabinet files (installers ship them) with
// package scanners/cab: folders stored or compressed with MSZIP are read;
// the files of LZX and Quantum folders, and files continued from or into
// another cabinet of a set, are reported as not scanned.
type cabOpener struct{}

func (cabOpener) Kind() string            { return "cab" }
func (cabOpener) NeedsRandomAccess() bool { return true }

// identifyCAB recognises a cabinet header: "MSCF", a zero reserved1, a
// version 1.x, known flags only, and a file table inside the cabinet.
func identifyCAB(head []byte) bool {
	if len(head) < 36 || string(head[:4]) != "MSCF" {
		return false
	}
	le := binary.LittleEndian
	size, coffFiles := le.Uint32(head[8:]), le.Uint32(head[16:])
	flags := le.Uint16(head[30:])
	return le.Uint32(head[4:]) == 0 && head[25] == 1 && flags&^0x7 == 0 &&
		size >= 36 && coffFiles >= 36 && coffFiles < size
}

func (cabOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, "cab", src, lim)
	if src.At == nil || src.Size < 0 {
		return errors.New("archive: cab: random access needed")
	}
	return walkCab(w, src.At, src.Size, nil, yield)
}

// walkCab yields the files of the cabinet at (size bytes) through w;
// rename, when not nil, gives a file's name from its stored (decoded)
// name (an MSI's cabinet stores File-table keys).
func walkCab(w *walker, at io.ReaderAt, size int64, rename func(string) string, yield func(scanners.Member) error) error {
	if err := w.check(); err != nil {
		return err
	}
	var c *cab.Cabinet
	err := protect("cab", func() error {
		var err error
		c, err = cab.Open(at, size)
		return err
	})
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	folders := c.Folders()
	// The members of a folder lie one after the other in its
	// decompressed stream: one reader is kept for the folder being read,
	// and each member's Open discards up to the member's start (counted
	// against the container's limits). A member before the reader's
	// position (files listed out of order) starts the folder over.
	var (
		cur   *cab.FolderReader
		curIx = -1
	)
	files := c.Files()
	for i := range files {
		f := &files[i]
		stored := cabName(f)
		if rename != nil {
			stored = rename(stored)
		}
		name, notice := displayName(w.kind, strings.ReplaceAll(stored, `\`, "/"))
		m := scanners.Member{Name: name, Size: f.Size, Notice: notice}
		var open opener
		compressed := int64(-1)
		switch {
		case errors.Is(f.Err, cab.ErrUnsupported):
			m.Err = fmt.Errorf("archive: cab: %s: %w: contents not scanned", name, f.Err)
		case f.Err != nil:
			m.Err = fmt.Errorf("archive: cab: %s: %w", name, f.Err)
		default:
			fo := folders[f.Folder]
			compressed = fo.CompressedSize
			if err := w.memberLimit(name, f.Size, compressed); err != nil {
				m.Err = err
				break
			}
			if fo.UncompressedSize > ratioGrace && fo.UncompressedSize/w.lim.MaxRatio > fo.CompressedSize {
				m.Err = limitError("cab: %s: its folder expands from %d to %d bytes, more than %d times", name, fo.CompressedSize, fo.UncompressedSize, w.lim.MaxRatio)
				break
			}
			open = func() (io.Reader, func() error, error) {
				if cur == nil || curIx != f.Folder || cur.Offset() > f.Offset {
					fr, err := c.OpenFolder(f.Folder)
					if err != nil {
						return nil, nil, fmt.Errorf("archive: cab: %s: %w", name, err)
					}
					cur, curIx = fr, f.Folder
				}
				for skip := f.Offset - cur.Offset(); skip > 0; skip = f.Offset - cur.Offset() {
					k := min(skip, checkEvery)
					if err := w.addTotal(k); err != nil {
						w.stop = err
						return nil, nil, err
					}
					if err := w.check(); err != nil {
						w.stop = err
						return nil, nil, err
					}
					if err := cur.Skip(k); err != nil {
						return nil, nil, fmt.Errorf("archive: cab: %s: %w", name, err)
					}
				}
				return cur.Next(f.Size), nil, nil
			}
		}
		if err := w.emit(yield, m, open, func() int64 { return compressed }); err != nil {
			return err
		}
	}
	return nil
}

// cabName decodes a file's stored name: UTF-8 when the name carries the
// UTF-8 attribute or is valid UTF-8, CP932 (the ANSI code page of
// Japanese Windows) otherwise.
func cabName(f *cab.File) string {
	if f.NameIsUTF8() {
		return strings.ToValidUTF8(f.Name, "\uFFFD")
	}
	if utf8.ValidString(f.Name) {
		return f.Name
	}
	return decodeName(f.Name)
}
