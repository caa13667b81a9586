package archive

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path"
	"strings"
	"time"

	"github.com/diskfs/go-diskfs/backend"
	"github.com/diskfs/go-diskfs/filesystem"
	"github.com/diskfs/go-diskfs/filesystem/ext4"
	"github.com/diskfs/go-diskfs/filesystem/fat12"
	"github.com/diskfs/go-diskfs/filesystem/fat16"
	"github.com/diskfs/go-diskfs/filesystem/fat32"
	"github.com/diskfs/go-diskfs/filesystem/squashfs"
	"github.com/diskfs/go-diskfs/partition"
	sqfs "github.com/rouei/rouei/scanners/archive/internal/squashfs"

	"github.com/rouei/rouei/scanners"
)

// File system images: squashfs (gzip, xz, zstd, lz4, lzma), and raw disk
// images with an MBR or GPT partition table (or none) whose partitions
// hold FAT12/16/32, ISO 9660, squashfs or ext4, read with go-diskfs.
// Members of a partitioned image are named p1/…, p2/… by partition
// number; of an unpartitioned one, by their path. Appliance images whose
// format is not read (VMDK, qcow2, VHD, VHDX, VDI) are recognised and
// reported, and so are installers whose payload is not read.

var magicSquashfs = []byte("hsqs")

// identifyImage returns the opener of a file system or disk image, or of
// a format that is recognised but not read (the opener's Walk reports
// it), or nil.
func identifyImage(head []byte) scanners.Opener {
	switch {
	case bytes.HasPrefix(head, magicSquashfs) && len(head) >= 96:
		return imageOpener{kind: "squashfs"}
	case bytes.HasPrefix(head, []byte("KDMV")) || bytes.HasPrefix(head, []byte("# Disk DescriptorFile")):
		return unreadable{kind: "vmdk", what: "VMDK disk", err: ErrApplianceImage}
	case bytes.HasPrefix(head, []byte("QFI\xfb")):
		return unreadable{kind: "qcow2", what: "QEMU qcow2 disk", err: ErrApplianceImage}
	case bytes.HasPrefix(head, []byte("conectix")):
		return unreadable{kind: "vhd", what: "VHD disk", err: ErrApplianceImage}
	case bytes.HasPrefix(head, []byte("vhdxfile")):
		return unreadable{kind: "vhdx", what: "VHDX disk", err: ErrApplianceImage}
	case len(head) >= 68 && binary.LittleEndian.Uint32(head[64:]) == 0xbeda107f:
		return unreadable{kind: "vdi", what: "VirtualBox VDI disk", err: ErrApplianceImage}
	case isDiskImage(head), isExt(head):
		return imageOpener{kind: "disk-image"}
	}
	if k := installerKind(head); k != "" {
		return unreadable{kind: "installer", what: k, err: ErrInstaller}
	}
	return nil
}

// isDiskImage recognises a partition table (GPT, or an MBR whose four
// entries are well formed and one at least is used) or a FAT boot sector.
func isDiskImage(head []byte) bool {
	if len(head) < 1024 || head[510] != 0x55 || head[511] != 0xAA {
		return false
	}
	if string(head[512:520]) == "EFI PART" {
		return true
	}
	if isFATBoot(head) {
		return true
	}
	used := 0
	for i := 0; i < 4; i++ {
		e := head[446+16*i : 462+16*i]
		if e[0] != 0 && e[0] != 0x80 {
			return false
		}
		typ := e[4]
		start, n := binary.LittleEndian.Uint32(e[8:]), binary.LittleEndian.Uint32(e[12:])
		if typ == 0 {
			if start != 0 || n != 0 {
				return false
			}
			continue
		}
		if start == 0 || n == 0 {
			return false
		}
		used++
	}
	return used > 0
}

// isExt recognises an ext2/3/4 file system without a partition table by
// its superblock at 1024: the magic, and counts and sizes in range.
func isExt(head []byte) bool {
	if len(head) < 2048 {
		return false
	}
	sb := head[1024:2048]
	le := binary.LittleEndian
	return le.Uint16(sb[56:]) == 0xEF53 && le.Uint32(sb[0:]) > 0 && le.Uint32(sb[4:]) > 0 &&
		le.Uint32(sb[24:]) <= 6 && le.Uint32(sb[76:]) <= 1 && le.Uint32(sb[32:]) > 0
}

// isFATBoot recognises the boot sector of a FAT file system.
func isFATBoot(b []byte) bool {
	if len(b) < 90 {
		return false
	}
	if !(b[0] == 0xEB && b[2] == 0x90) && b[0] != 0xE9 {
		return false
	}
	bps := binary.LittleEndian.Uint16(b[11:])
	return (bps == 512 || bps == 1024 || bps == 2048 || bps == 4096) &&
		(string(b[54:59]) == "FAT12" || string(b[54:59]) == "FAT16" || string(b[82:87]) == "FAT32")
}

// installerKind names an installer whose payload is not read, told by
// its PE stub and the marks its payload or loader leave in the first
// bytes, or "".
func installerKind(head []byte) string {
	if len(head) < 64 || head[0] != 'M' || head[1] != 'Z' {
		return ""
	}
	for _, m := range []struct{ mark, kind string }{
		{"\xEF\xBE\xAD\xDENullsoftInst", "NSIS"},
		{"Nullsoft Install System", "NSIS"},
		{"Inno Setup Setup Data", "Inno Setup"},
		{"InnoSetupLdrWindow", "Inno Setup"},
		{"InstallShield", "InstallShield"},
		{"7zS.sfx", "7-Zip self-extracting archive"},
		{"7-Zip SFX", "7-Zip self-extracting archive"},
		{"WinRAR SFX", "WinRAR self-extracting archive"},
		{"Rar!\x1A\x07", "RAR self-extracting archive"},
		{"Wise Installation", "Wise installer"},
		{"Setup Factory", "Setup Factory installer"},
	} {
		if bytes.Contains(head, []byte(m.mark)) {
			return m.kind
		}
	}
	return ""
}

// unreadable is the opener of a recognised format whose contents are
// not read: its walk is an error entry, never a silent pass.
type unreadable struct {
	kind, what string
	err        error
}

func (u unreadable) Kind() string          { return u.kind }
func (unreadable) NeedsRandomAccess() bool { return false }

// The errors of recognised formats whose contents are not read.
var (
	ErrApplianceImage = errors.New("appliance image not readable")
	ErrInstaller      = errors.New("installer payload not readable")
)

func (u unreadable) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	return fmt.Errorf("archive: %s: %w", u.what, u.err)
}

// imageOpener reads a squashfs or disk image with go-diskfs.
type imageOpener struct{ kind string }

func (o imageOpener) Kind() string          { return o.kind }
func (imageOpener) NeedsRandomAccess() bool { return true }

func (o imageOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, o.kind, src, lim)
	if src.At == nil || src.Size <= 0 {
		return fmt.Errorf("archive: %s: random access needed", o.kind)
	}
	if err := w.check(); err != nil {
		return err
	}
	st := &storage{r: io.NewSectionReader(src.At, 0, src.Size), size: src.Size}
	if o.kind == "squashfs" {
		fsys, err := readSquashfs(st, 0, src.Size)
		if err != nil {
			return fmt.Errorf("archive: squashfs: %w", err)
		}
		return walkFS(w, fsys, "", yield)
	}
	var parts [][2]int64       // start, size of each partition table entry
	if !isFATBoot(st.head()) { // a FAT file system without a partition table
		_ = protect(o.kind, func() error {
			t, err := partition.Read(st, 512, 512)
			if err != nil || t == nil {
				return nil
			}
			for _, p := range t.GetPartitions() {
				parts = append(parts, [2]int64{p.GetStart(), p.GetSize()})
			}
			return nil
		})
	}
	if len(parts) == 0 {
		fsys, err := readFS(st, 0, src.Size)
		if err != nil {
			return fmt.Errorf("archive: %s: no partition table, and %w", o.kind, err)
		}
		return walkFS(w, fsys, "", yield)
	}
	for i, pt := range parts {
		start, size := pt[0], pt[1]
		if size <= 0 {
			continue // an unused entry
		}
		n := i + 1
		if start < 0 || start > src.Size || size > src.Size-start {
			if err := w.emit(yield, scanners.Member{Name: fmt.Sprintf("p%d", n), Err: fmt.Errorf("archive: %s: partition %d lies outside the image", o.kind, n)}, nil, nil); err != nil {
				return err
			}
			continue
		}
		if fsys, err := readFS(st, start, size); err == nil {
			if err := walkFS(w, fsys, fmt.Sprintf("p%d/", n), yield); err != nil {
				return err
			}
			continue
		}
		// A partition not read here (ISO 9660, or a file system go-diskfs
		// does not read) is handed on as it is, for the engine to sniff:
		// an ISO 9660 partition is read by this package's own reader.
		m := scanners.Member{Name: fmt.Sprintf("p%d", n), Size: size}
		if err := w.memberLimit(m.Name, size, -1); err != nil {
			m.Err = err
		}
		open := func() (io.Reader, func() error, error) { return io.NewSectionReader(src.At, start, size), nil, nil }
		if err := w.emit(yield, m, open, nil); err != nil {
			return err
		}
	}
	return nil
}

// readFS reads the file system of size bytes at start with go-diskfs,
// after checking that what its first sectors declare fits in size (a
// hostile FAT or ext4 header must not make the reader allocate more than
// the image holds): FAT12/16/32, squashfs, ext4. ISO 9660 is left to
// this package's own reader.
func readFS(st *storage, start, size int64) (fsys imageFS, err error) {
	b := make([]byte, 2048)
	if n, _ := st.ReadAt(b, start); n < len(b) {
		return nil, errors.New("no file system read (too small)")
	}
	le := binary.LittleEndian
	err = protect("disk-image", func() error {
		switch {
		case bytes.HasPrefix(b, magicSquashfs):
			var err error
			fsys, err = readSquashfs(st, start, size)
			return err
		case le.Uint16(b[1024+56:]) == 0xEF53: // ext2/3/4 superblock
			blocks := int64(le.Uint32(b[1024+4:]))
			shift := le.Uint32(b[1024+24:])
			if shift > 6 || blocks<<(10+shift) > size {
				return fmt.Errorf("ext4 superblock declares %d blocks of %d bytes in %d", blocks, 1024<<shift, size)
			}
			f, err := ext4.Read(st, size, start, 512)
			fsys = diskFS{f}
			return err
		case isFATBoot(b):
			bps := int64(le.Uint16(b[11:]))
			fats := int64(b[16])
			spf := int64(le.Uint16(b[22:]))
			if spf == 0 {
				spf = int64(le.Uint32(b[36:]))
			}
			if fats == 0 || fats > 4 || spf*bps*fats > size {
				return fmt.Errorf("FAT boot sector declares %d tables of %d bytes in %d", fats, spf*bps, size)
			}
			var err error
			switch {
			case string(b[82:87]) == "FAT32":
				var f filesystem.FileSystem
				f, err = fat32.Read(st, size, start, 512)
				fsys = diskFS{f}
			case string(b[54:59]) == "FAT16":
				var f filesystem.FileSystem
				f, err = fat16.Read(st, size, start, 512)
				fsys = diskFS{f}
			default:
				var f filesystem.FileSystem
				f, err = fat12.Read(st, size, start, 512)
				fsys = diskFS{f}
			}
			return err
		}
		return errors.New("no file system read (FAT, squashfs and ext4 are)")
	})
	if err != nil {
		return nil, err
	}
	return fsys, nil
}

// maxDirDepth bounds the directories walked into in an image.
const maxDirDepth = 64

// walkFS yields the regular files of a file system, depth first, names
// prefixed with prefix; links and devices get a notice.
func walkFS(w *walker, fsys imageFS, prefix string, yield func(scanners.Member) error) error {
	var walk func(dir string, depth int) error
	walk = func(dir string, depth int) error {
		if depth > maxDirDepth {
			return limitError("%s: directories nested more than %d deep", w.kind, maxDirDepth)
		}
		var ents []iofs.DirEntry
		if err := protect(w.kind, func() error { var err error; ents, err = fsys.ReadDir(dir); return err }); err != nil {
			return fmt.Errorf("archive: %s: directory %s: %w", w.kind, dir, err)
		}
		for _, e := range ents {
			if err := w.check(); err != nil {
				return err
			}
			n := e.Name()
			if n == "." || n == ".." || n == "" {
				continue
			}
			p := path.Join(dir, n)
			rel := strings.TrimPrefix(p, "/")
			var info iofs.FileInfo
			_ = protect(w.kind, func() error { info, _ = e.Info(); return nil })
			mode := iofs.FileMode(0)
			if info != nil {
				mode = info.Mode()
			}
			switch {
			case e.IsDir():
				if err := walk(p, depth+1); err != nil {
					return err
				}
				continue
			case mode&iofs.ModeSymlink != 0:
				name, notice := displayName(w.kind, prefix+decodeName(rel))
				m := scanners.Member{Name: name, Size: 0, Notice: joinNotices(notice, fmt.Errorf("archive: %s: %s: member is a symbolic link: not followed", w.kind, name))}
				if err := w.emit(yield, m, emptyOpener, nil); err != nil {
					return err
				}
				continue
			case mode&(iofs.ModeDevice|iofs.ModeNamedPipe|iofs.ModeSocket|iofs.ModeCharDevice) != 0:
				continue
			}
			name, notice := displayName(w.kind, prefix+decodeName(rel))
			size := int64(-1)
			if info != nil {
				size = info.Size()
			}
			m := scanners.Member{Name: name, Size: size, Notice: notice}
			if err := w.memberLimit(name, size, -1); err != nil {
				m.Err = err
			}
			open := func() (io.Reader, func() error, error) {
				var f io.ReadCloser
				if err := protect(w.kind, func() error { var err error; f, err = fsys.Open(p); return err }); err != nil {
					return nil, nil, fmt.Errorf("archive: %s: %s: %w", w.kind, name, err)
				}
				return f, f.Close, nil
			}
			if err := w.emit(yield, m, open, nil); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(".", 0)
}

// storage is a read-only go-diskfs backend over the image's bytes.
type storage struct {
	r    *io.SectionReader
	size int64
}

// head returns the image's first KiB.
func (s *storage) head() []byte {
	b := make([]byte, 1024)
	n, _ := s.r.ReadAt(b, 0)
	return b[:n]
}

func (s *storage) Stat() (iofs.FileInfo, error)            { return storageInfo{s.size}, nil }
func (s *storage) Read(p []byte) (int, error)              { return s.r.Read(p) }
func (s *storage) ReadAt(p []byte, off int64) (int, error) { return s.r.ReadAt(p, off) }
func (s *storage) Seek(off int64, whence int) (int64, error) {
	return s.r.Seek(off, whence)
}
func (s *storage) Close() error                            { return nil }
func (s *storage) Sys() (*os.File, error)                  { return nil, backend.ErrNotSuitable }
func (s *storage) Writable() (backend.WritableFile, error) { return nil, backend.ErrIncorrectOpenMode }
func (s *storage) Path() string                            { return "" }

type storageInfo struct{ size int64 }

func (i storageInfo) Name() string        { return "image" }
func (i storageInfo) Size() int64         { return i.size }
func (i storageInfo) Mode() iofs.FileMode { return 0o444 }
func (i storageInfo) ModTime() time.Time  { return time.Time{} }
func (i storageInfo) IsDir() bool         { return false }
func (i storageInfo) Sys() any            { return nil }

// imageFS is what walkFS needs of a file system in an image: go-diskfs's
// file systems (diskFS) and the lz4 squashfs reader (lz4Squashfs).
type imageFS interface {
	ReadDir(dir string) ([]iofs.DirEntry, error)
	Open(name string) (io.ReadCloser, error)
}

// diskFS is a go-diskfs file system as an imageFS.
type diskFS struct{ fs filesystem.FileSystem }

func (d diskFS) ReadDir(dir string) ([]iofs.DirEntry, error) { return d.fs.ReadDir(dir) }
func (d diskFS) Open(name string) (io.ReadCloser, error) {
	return d.fs.OpenFile(name, os.O_RDONLY)
}

// squashfsLZ4 is squashfs's compression id for lz4 (superblock offset 20).
const squashfsLZ4 = 5

// readSquashfs reads the squashfs image of size bytes at start: with
// go-diskfs, except lz4 images, which go-diskfs v1.9.4 cannot decompress
// (it reads squashfs's raw LZ4 blocks as LZ4 frames); those are read by
// internal/squashfs, a trimmed fork of github.com/sylabs/squashfs v1.0.6
// (MIT) whose lz4 blocks are decoded as blocks.
func readSquashfs(st *storage, start, size int64) (fsys imageFS, err error) {
	var sb [96]byte
	if n, _ := st.ReadAt(sb[:], start); n < len(sb) {
		return nil, errors.New("squashfs superblock truncated")
	}
	err = protect("squashfs", func() error {
		if binary.LittleEndian.Uint16(sb[20:]) == squashfsLZ4 {
			r, err := sqfs.NewReader(io.NewSectionReader(st, start, size))
			if err != nil {
				return err
			}
			fsys = lz4Squashfs{r}
			return nil
		}
		f, err := squashfs.Read(st, size, start, 0)
		if err != nil {
			return err
		}
		fsys = diskFS{f}
		return nil
	})
	return fsys, err
}

// lz4Squashfs is an lz4 squashfs image as an imageFS.
type lz4Squashfs struct{ r *sqfs.Reader }

func (l lz4Squashfs) ReadDir(dir string) ([]iofs.DirEntry, error) { return l.r.ReadDir(dir) }
func (l lz4Squashfs) Open(name string) (io.ReadCloser, error) {
	f, err := l.r.Open(name)
	if err != nil {
		return nil, err
	}
	return f, nil
}
