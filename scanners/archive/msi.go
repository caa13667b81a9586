package archive

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/richardlehane/mscfb"

	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/msi"
)

// msiOpener reads a Windows Installer package (.msi, .msm): its
// database tables (Property, Registry, File …) become Text members of
// tab-separated rows, column names first ("setup.msi!/Property"); the
// files of its embedded cabinets are named by their installed paths from
// the File, Component and Directory tables ("setup.msi!/OPAC/a.csv");
// other streams (Binary, Icon, summary information) are yielded under
// their decoded names for the engine to sniff.
//
// With other set, the compound file's class was not in its first bytes
// (its directory lies further on, as in any MSI larger than the head):
// Walk reads the class and hands anything but an installer to other.
type msiOpener struct{ other scanners.Opener }

func (o msiOpener) Kind() string {
	if o.other != nil {
		return o.other.Kind()
	}
	return "msi"
}
func (msiOpener) NeedsRandomAccess() bool { return true }

// MaybeMSI returns other, the opener of a compound file, unchanged when
// head shows its root entry (IdentifyMSI told it is no installer); when
// the root entry lies past head, an opener that reads the class first
// and walks an installer as one, anything else with other.
func MaybeMSI(head []byte, other scanners.Opener) scanners.Opener {
	if other == nil || len(head) < 512 || !bytes.HasPrefix(head, magicOLE2) {
		return other
	}
	if _, ok := rootEntry(head); ok {
		return other
	}
	return msiOpener{other: other}
}

var magicOLE2 = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// rootEntry returns the root directory entry of the compound file whose
// first bytes are head, false when it lies past head.
func rootEntry(head []byte) ([]byte, bool) {
	le := binary.LittleEndian
	shift := le.Uint16(head[30:])
	if shift != 9 && shift != 12 {
		return nil, false
	}
	dir := (int64(le.Uint32(head[48:])) + 1) << shift
	if dir < 0 || dir+128 > int64(len(head)) || head[dir+66] != 5 {
		return nil, false
	}
	return head[dir : dir+128], true
}

// isMSIClass says whether a CLSID in mscfb's text form is an installer's.
func isMSIClass(id string) bool {
	id = strings.ToUpper(id)
	for _, c := range []string{"000C1084-0000-0000-C000-000000000046", "000C1086-0000-0000-C000-000000000046", "000C1082-0000-0000-C000-000000000046"} {
		if strings.Contains(id, c) {
			return true
		}
	}
	return false
}

// The root storage's class of an installer database, a patch and a
// transform ({000C1084-…}, {000C1086-…}, {000C1082-…}).
var msiCLSIDs = [][]byte{
	{0x84, 0x10, 0x0C, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46},
	{0x86, 0x10, 0x0C, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46},
	{0x82, 0x10, 0x0C, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46},
}

// IdentifyMSI returns the MSI opener when head is a compound file whose
// root storage has an installer class, else nil. It is asked before the
// office formats, which read any other compound file.
func IdentifyMSI(head []byte) scanners.Opener {
	if len(head) < 512 || !bytes.HasPrefix(head, magicOLE2) {
		return nil
	}
	root, ok := rootEntry(head)
	if !ok {
		return nil
	}
	clsid := root[80:96]
	for _, c := range msiCLSIDs {
		if bytes.Equal(clsid, c) {
			return msiOpener{}
		}
	}
	return nil
}

func (o msiOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) (err error) {
	w := newWalker(ctx, "msi", src, lim)
	if src.At == nil || src.Size < 0 {
		return errors.New("archive: msi: random access needed")
	}
	if err := w.check(); err != nil {
		return err
	}
	var r *mscfb.Reader
	if err := protect("msi", func() error { var err error; r, err = mscfb.New(src.At); return err }); err != nil {
		if o.other != nil {
			return o.other.Walk(ctx, src, lim, yield) // its own reader names what is wrong
		}
		return fmt.Errorf("archive: msi: not a readable compound file: %w", err)
	}
	if o.other != nil {
		var id string
		_ = protect("msi", func() error { id = r.ID(); return nil })
		if !isMSIClass(id) {
			return o.other.Walk(ctx, src, lim, yield)
		}
	}
	tables := map[string]*mscfb.File{}
	type stream struct {
		name string
		f    *mscfb.File
	}
	var others []stream
	for _, f := range r.File {
		if f.FileInfo().IsDir() || f.Name == "Root Entry" {
			continue
		}
		name, table := msi.DecodeStreamName(f.Name)
		if table && len(f.Path) == 0 {
			tables[name] = f
			continue
		}
		parts := append(append([]string(nil), f.Path...), name)
		for i, p := range parts {
			parts[i] = strings.Map(func(r rune) rune {
				if !unicode.IsPrint(r) || r == '/' || r == '\\' {
					return -1
				}
				return r
			}, p)
			if parts[i] == "" || parts[i] == "." || parts[i] == ".." {
				parts[i] = "_"
			}
		}
		others = append(others, stream{strings.Join(parts, "/"), f})
		if len(others)+len(tables) > w.lim.MaxMembers {
			return limitError("msi: more than %d streams", w.lim.MaxMembers)
		}
	}
	read := func(f *mscfb.File) ([]byte, error) {
		if f.Size > src.Size {
			return nil, fmt.Errorf("archive: msi: stream claims %d bytes in a file of %d", f.Size, src.Size)
		}
		if f.Size > w.lim.MaxMemberBytes {
			return nil, limitError("msi: stream of %d bytes", f.Size)
		}
		if err := w.addTotal(f.Size); err != nil {
			return nil, err
		}
		buf := make([]byte, f.Size)
		err := protect("msi", func() error { _, err := io.ReadFull(f, buf); return err })
		if err != nil {
			return nil, fmt.Errorf("archive: msi: corrupt stream: %w", err)
		}
		return buf, nil
	}
	var db *msi.Database
	err = protect("msi", func() error {
		var err error
		db, err = msi.Read(func(name string) ([]byte, bool, error) {
			f, ok := tables[name]
			if !ok {
				return nil, false, nil
			}
			b, err := read(f)
			return b, err == nil, err
		})
		return err
	})
	if errors.Is(err, scanners.ErrLimit) {
		return err
	}
	paths := map[string]string{}
	embedded := map[string]bool{}
	if err != nil {
		if err := w.emit(yield, scanners.Member{Name: "_Tables", Err: fmt.Errorf("archive: msi: database not read: %w", err)}, nil, nil); err != nil {
			return err
		}
	}
	if db != nil {
		for _, t := range db.Tables {
			data := t.TSV()
			m := scanners.Member{Name: t.Name, Size: int64(len(data)), Text: true}
			if err := w.emit(yield, m, func() (io.Reader, func() error, error) { return bytes.NewReader(data), nil, nil }, nil); err != nil {
				return err
			}
		}
		for _, e := range db.Errors {
			if err := w.emit(yield, scanners.Member{Name: "_Tables", Err: fmt.Errorf("archive: msi: %w", e)}, nil, nil); err != nil {
				return err
			}
		}
		paths = db.FilePaths()
		emb, ext := db.Cabinets()
		for _, c := range emb {
			embedded[c] = true
		}
		for _, c := range ext {
			m := scanners.Member{Name: c, Err: fmt.Errorf("archive: msi: external cabinet %s: not in the package, not scanned", c)}
			if err := w.emit(yield, m, nil, nil); err != nil {
				return err
			}
		}
	}
	rename := func(key string) string {
		if p, ok := paths[key]; ok {
			return p
		}
		return key
	}
	for _, s := range others {
		if err := w.check(); err != nil {
			return err
		}
		var head [64]byte
		n := 0
		_ = protect("msi", func() error { n, _ = s.f.ReadAt(head[:], 0); return nil })
		if embedded[s.name] || identifyCAB(head[:n]) {
			if s.f.Size > src.Size {
				if err := w.emit(yield, scanners.Member{Name: s.name, Err: fmt.Errorf("archive: msi: cabinet %s claims %d bytes in a file of %d", s.name, s.f.Size, src.Size)}, nil, nil); err != nil {
					return err
				}
				continue
			}
			at := &safeReaderAt{f: s.f}
			if err := walkCab(w, at, s.f.Size, rename, yield); err != nil {
				if errors.Is(err, scanners.ErrLimit) || ctx.Err() != nil || w.stop != nil {
					return err
				}
				if err := w.emit(yield, scanners.Member{Name: s.name, Err: fmt.Errorf("archive: msi: cabinet %s: %w", s.name, err)}, nil, nil); err != nil {
					return err
				}
			}
			continue
		}
		f := s.f
		m := scanners.Member{Name: s.name, Size: f.Size}
		if f.Size > src.Size {
			m.Err = fmt.Errorf("archive: msi: stream %s claims %d bytes in a file of %d", s.name, f.Size, src.Size)
		} else if err := w.memberLimit(s.name, f.Size, -1); err != nil {
			m.Err = err
		}
		if err := w.emit(yield, m, func() (io.Reader, func() error, error) { return io.LimitReader(f, f.Size), nil, nil }, nil); err != nil {
			return err
		}
	}
	return nil
}

// safeReaderAt reads a compound file's stream at offsets, turning a
// panic of the reader into an error.
type safeReaderAt struct{ f *mscfb.File }

func (s *safeReaderAt) ReadAt(p []byte, off int64) (n int, err error) {
	if perr := protect("msi", func() error { n, err = s.f.ReadAt(p, off); return nil }); perr != nil {
		return 0, perr
	}
	return n, err
}
