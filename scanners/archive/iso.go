package archive

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/rouei/rouei/scanners"
)

// isoOpener reads ISO 9660 images: the primary volume's directory tree,
// with Rock Ridge names when the image has them, else the Joliet tree's
// names when there is one, else the plain 8.3 names. Extents are read in
// place; nothing is decompressed.
type isoOpener struct{}

func (isoOpener) Kind() string            { return "iso9660" }
func (isoOpener) NeedsRandomAccess() bool { return true }

const (
	isoSector   = 2048
	isoMaxDepth = 64 // directory nesting, far above what images use (8)
	isoMaxVDs   = 64 // volume descriptors looked at before giving up
)

// isoDir is a directory to read: its extent and its path.
type isoDir struct {
	lba, size uint32
	path      string
	depth     int
}

// isoRecord is one directory record.
type isoRecord struct {
	lba, size uint32
	flags     byte
	name      string
}

func (isoOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, "iso9660", src, lim)
	if src.At == nil || src.Size < 0 {
		return errors.New("archive: iso9660: random access needed")
	}
	var (
		pvdRoot, jolietRoot []byte
		sec                 = make([]byte, isoSector)
	)
	for i := range isoMaxVDs {
		off := int64(16+i) * isoSector
		if _, err := src.At.ReadAt(sec, off); err != nil {
			return fmt.Errorf("archive: iso9660: reading volume descriptor %d: %w", i, err)
		}
		if string(sec[1:6]) != "CD001" {
			return fmt.Errorf("archive: iso9660: volume descriptor %d has no CD001 signature", i)
		}
		switch sec[0] {
		case 1:
			if pvdRoot == nil {
				pvdRoot = bytes.Clone(sec[156 : 156+34])
			}
		case 2:
			esc := string(sec[88:91])
			if jolietRoot == nil && (esc == "%/@" || esc == "%/C" || esc == "%/E") {
				jolietRoot = bytes.Clone(sec[156 : 156+34])
			}
		}
		if sec[0] == 255 {
			break
		}
	}
	if pvdRoot == nil {
		return errors.New("archive: iso9660: no primary volume descriptor")
	}
	rootRec, ok := parseIsoRecord(pvdRoot, false, false)
	if !ok {
		return errors.New("archive: iso9660: bad root directory record")
	}
	joliet, rockRidge := false, w.isoHasRockRidge(src, rootRec)
	if !rockRidge && jolietRoot != nil {
		if r, ok := parseIsoRecord(jolietRoot, true, false); ok {
			rootRec, joliet = r, true
		}
	}
	stack := []isoDir{{lba: rootRec.lba, size: rootRec.size}}
	visited := map[uint32]bool{}
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if visited[d.lba] {
			continue
		}
		visited[d.lba] = true
		var subdirs []isoDir
		err := w.isoReadDir(src, d, joliet, rockRidge, func(r isoRecord) error {
			p := r.name
			if d.path != "" {
				p = d.path + "/" + r.name
			}
			if r.flags&0x02 != 0 {
				if d.depth+1 > isoMaxDepth {
					return fmt.Errorf("archive: iso9660: %s: directories nested deeper than %d", p, isoMaxDepth)
				}
				subdirs = append(subdirs, isoDir{lba: r.lba, size: r.size, path: p, depth: d.depth + 1})
				return nil
			}
			return w.isoEmit(src, yield, p, r)
		})
		if err != nil {
			return err
		}
		for i := len(subdirs) - 1; i >= 0; i-- {
			stack = append(stack, subdirs[i])
		}
	}
	return nil
}

// isoEmit yields one file.
func (w *walker) isoEmit(src scanners.Source, yield func(scanners.Member) error, p string, r isoRecord) error {
	name, notice := displayName("iso9660", p)
	m := scanners.Member{Name: name, Size: int64(r.size), Notice: notice}
	start := int64(r.lba) * isoSector
	if start > src.Size || int64(r.size) > src.Size-start {
		m.Err = fmt.Errorf("archive: iso9660: %s: file extent lies past the end of the image", name)
	} else if err := w.memberLimit(name, m.Size, -1); err != nil {
		m.Err = err
	}
	if r.flags&0x80 != 0 {
		m.Notice = joinNotices(m.Notice, fmt.Errorf("archive: iso9660: %s: file in several extents: only this extent is scanned", name))
	}
	return w.emit(yield, m, func() (io.Reader, func() error, error) {
		return io.NewSectionReader(src.At, start, int64(r.size)), nil, nil
	}, nil)
}

// isoReadDir reads a directory's records sector by sector, calling f for
// each entry other than "." and "..".
func (w *walker) isoReadDir(src scanners.Source, d isoDir, joliet, rockRidge bool, f func(isoRecord) error) error {
	start := int64(d.lba) * isoSector
	if start > src.Size || int64(d.size) > src.Size-start {
		return fmt.Errorf("archive: iso9660: directory %q lies past the end of the image", d.path)
	}
	sec := make([]byte, isoSector)
	for off := int64(0); off < int64(d.size); off += isoSector {
		if err := w.check(); err != nil {
			return err
		}
		n := min(int64(isoSector), int64(d.size)-off)
		if _, err := src.At.ReadAt(sec[:n], start+off); err != nil {
			return fmt.Errorf("archive: iso9660: reading directory %q: %w", d.path, err)
		}
		b := sec[:n]
		for len(b) > 0 {
			l := int(b[0])
			if l == 0 {
				break // the rest of the sector is padding
			}
			if l < 34 || l > len(b) {
				return fmt.Errorf("archive: iso9660: directory %q has a bad record", d.path)
			}
			rec, ok := parseIsoRecord(b[:l], joliet, rockRidge)
			b = b[l:]
			if !ok {
				return fmt.Errorf("archive: iso9660: directory %q has a bad record", d.path)
			}
			if rec.name == "" {
				continue // "." or ".."
			}
			if err := f(rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// isoHasRockRidge says whether the root's "." record starts a SUSP area
// with an SP entry (the image uses Rock Ridge).
func (w *walker) isoHasRockRidge(src scanners.Source, root isoRecord) bool {
	sec := make([]byte, isoSector)
	if _, err := src.At.ReadAt(sec, int64(root.lba)*isoSector); err != nil {
		return false
	}
	l := int(sec[0])
	if l < 34 {
		return false
	}
	su := systemUse(sec[:l])
	return len(su) >= 7 && su[0] == 'S' && su[1] == 'P' && su[4] == 0xBE && su[5] == 0xEF
}

// systemUse is a record's system use area (after its name and padding).
func systemUse(rec []byte) []byte {
	n := int(rec[32])
	s := 33 + n
	if n%2 == 0 {
		s++
	}
	if s >= len(rec) {
		return nil
	}
	return rec[s:]
}

// parseIsoRecord reads a directory record. The name is "" for "." and
// "..". Joliet names are UCS-2 big-endian; Rock Ridge NM entries win over
// the 8.3 name; version suffixes (";1") are dropped.
func parseIsoRecord(rec []byte, joliet, rockRidge bool) (isoRecord, bool) {
	if len(rec) < 34 {
		return isoRecord{}, false
	}
	r := isoRecord{
		lba:   binary.LittleEndian.Uint32(rec[2:]),
		size:  binary.LittleEndian.Uint32(rec[10:]),
		flags: rec[25],
	}
	n := int(rec[32])
	if 33+n > len(rec) {
		return isoRecord{}, false
	}
	id := rec[33 : 33+n]
	if n == 1 && (id[0] == 0 || id[0] == 1) {
		return r, true
	}
	switch {
	case rockRidge:
		if nm, ok := rockRidgeName(systemUse(rec)); ok {
			r.name = nm
			break
		}
		r.name = plainIsoName(id)
	case joliet:
		u := make([]uint16, 0, n/2)
		for i := 0; i+1 < n; i += 2 {
			u = append(u, binary.BigEndian.Uint16(id[i:]))
		}
		r.name = stripVersion(string(utf16.Decode(u)))
	default:
		r.name = plainIsoName(id)
	}
	r.name = strings.ReplaceAll(r.name, "\x00", "")
	if r.name == "" {
		r.name = "(unnamed)"
	}
	return r, true
}

func plainIsoName(id []byte) string {
	s := stripVersion(decodeName(string(id)))
	return strings.TrimSuffix(s, ".")
}

func stripVersion(s string) string {
	if i := strings.LastIndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	return s
}

// rockRidgeName joins a record's NM entries; false when it has none (or
// they name "." or "..").
func rockRidgeName(su []byte) (string, bool) {
	var name []byte
	found := false
	for len(su) >= 4 {
		l := int(su[2])
		if l < 4 || l > len(su) {
			break
		}
		e := su[:l]
		su = su[l:]
		if e[0] == 'S' && e[1] == 'T' {
			break
		}
		if e[0] != 'N' || e[1] != 'M' || l < 5 {
			continue
		}
		if e[4]&0x06 != 0 { // CURRENT or PARENT
			return "", false
		}
		found = true
		name = append(name, e[5:]...)
		if e[4]&0x01 == 0 { // no CONTINUE
			break
		}
	}
	if !found || len(name) == 0 {
		return "", false
	}
	return decodeName(string(name)), true
}
