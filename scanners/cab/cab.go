// Package cab reads Microsoft Cabinet (.cab) files: the header, folder and
// file tables, and the data blocks of folders stored uncompressed or with
// MSZIP (deflate). Quantum and LZX folders are listed but their files
// cannot be read (File.Err says so).
//
// The reader is written for hostile input: every count, offset and size
// is checked against the file's size before it is used, memory is bounded
// (one data block and the 32 KiB deflate history at a time while a folder
// is read) and every loop is bounded by the input's size. Nothing is ever
// written to disk.
//
// Format reference: Microsoft's "[MS-CAB]: Cabinet File Format".
package cab

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Compression is a folder's compression method (the low 4 bits of
// CFFOLDER.typeCompress; the high bits hold a method's parameters).
type Compression uint16

// The compression methods of the cabinet format.
const (
	CompressNone    Compression = 0
	CompressMSZIP   Compression = 1
	CompressQuantum Compression = 2
	CompressLZX     Compression = 3
)

// String names the method ("MSZIP", "LZX"…).
func (c Compression) String() string {
	switch c {
	case CompressNone:
		return "none"
	case CompressMSZIP:
		return "MSZIP"
	case CompressQuantum:
		return "Quantum"
	case CompressLZX:
		return "LZX"
	}
	return fmt.Sprintf("method %d", uint16(c))
}

// Header flags (CFHEADER.flags).
const (
	FlagPrevCabinet    = 0x0001 // the set has a cabinet before this one
	FlagNextCabinet    = 0x0002 // the set has a cabinet after this one
	FlagReservePresent = 0x0004 // reserve sizes follow the fixed header
)

// File attributes (CFFILE.attribs).
const (
	AttrReadOnly  = 0x01
	AttrHidden    = 0x02
	AttrSystem    = 0x04
	AttrArchive   = 0x20
	AttrExec      = 0x40
	AttrNameIsUTF = 0x80 // the name is UTF-8, not the ANSI code page
)

// Folder indices of files continued across cabinets (CFFILE.iFolder).
const (
	ifoldContinuedFromPrev    = 0xFFFD
	ifoldContinuedToNext      = 0xFFFE
	ifoldContinuedPrevAndNext = 0xFFFF
)

// Sizes from the format.
const (
	headerSize  = 36    // fixed CFHEADER
	folderSize  = 8     // fixed CFFOLDER
	fileSize    = 16    // fixed CFFILE before the name
	dataSize    = 8     // fixed CFDATA before the reserve and data
	maxName     = 256   // longest name, NUL included
	maxBlockOut = 32768 // uncompressed bytes of one data block
	maxBlockIn  = maxBlockOut + 6144
	maxSetName  = 255 // longest cabinet/disk name, NUL excluded
)

// Errors a caller may test for with errors.Is.
var (
	// ErrFormat is wrapped by the errors of input that is not a cabinet
	// or is corrupt.
	ErrFormat = errors.New("cab: not a valid cabinet")
	// ErrUnsupported is wrapped by the errors of files in folders
	// compressed with a method this package does not read.
	ErrUnsupported = errors.New("cab: unsupported compression")
	// ErrMultiCabinet is wrapped by the errors of files whose data lies
	// partly in another cabinet of a set.
	ErrMultiCabinet = errors.New("cab: file continued in another cabinet of the set")
	// ErrChecksum is wrapped by the errors of data blocks whose checksum
	// does not match.
	ErrChecksum = errors.New("cab: checksum mismatch")
)

// Cabinet is an opened cabinet file.
type Cabinet struct {
	// Size is cbCabinet, the cabinet's size as its header says.
	Size int64
	// SetID and Index identify the cabinet in a multi-cabinet set.
	SetID, Index uint16
	// Flags are the header flags (FlagPrevCabinet…).
	Flags uint16
	// PrevCabinet and NextCabinet name the neighbouring cabinets of a
	// set (empty when there is none), as raw bytes in the ANSI code page.
	PrevCabinet, NextCabinet string

	r        io.ReaderAt
	size     int64
	dataResv int // cbCFData
	folders  []Folder
	files    []File
}

// Folder is one CFFOLDER: a compressed stream holding files one after
// the other.
type Folder struct {
	// Compression is the method (CompressNone, CompressMSZIP…).
	Compression Compression
	// Type is the raw typeCompress field, parameters included.
	Type uint16
	// Blocks is the number of data blocks this cabinet holds for it
	// (those before a block continued into the next cabinet, or before a
	// corrupt or truncated one).
	Blocks int
	// CompressedSize is the bytes its data blocks take in the cabinet,
	// block headers included.
	CompressedSize int64
	// UncompressedSize is the bytes its data blocks expand to.
	UncompressedSize int64
	// Err is set when the folder cannot be read: unsupported compression
	// or data begun in a previous cabinet. A folder whose block chain
	// ends early (truncated, corrupt, continued into the next cabinet)
	// has no Err: its files that lie before that point stay readable and
	// the others get the reason as their Err.
	Err error

	start  int64 // offset of its first CFDATA
	cutErr error // why the data ends before the blocks the folder claims
}

// File is one CFFILE entry.
type File struct {
	// Name is the name as stored: backslash-separated, in UTF-8 when
	// Attributes has AttrNameIsUTF and in the ANSI code page of the
	// writer (CP932 on Japanese Windows) otherwise.
	Name string
	// Size is the file's uncompressed size.
	Size int64
	// Folder is the index of its folder, or -1 when the file is continued
	// from or into another cabinet (a corrupt index past the folders is
	// kept, with Err set).
	Folder int
	// RawFolder is the stored iFolder field (0xFFFD, 0xFFFE and 0xFFFF
	// mark files continued across cabinets).
	RawFolder uint16
	// Offset is where its bytes start in the folder's uncompressed
	// stream.
	Offset int64
	// Attributes are the stored attributes (AttrReadOnly…).
	Attributes uint16
	// Modified is the stored MS-DOS date and time, a wall-clock time of
	// unknown zone, given in UTC.
	Modified time.Time
	// Err is set when the file cannot be read; Open returns it.
	Err error

	cab *Cabinet
}

// NameIsUTF8 says whether the name is flagged as UTF-8.
func (f *File) NameIsUTF8() bool { return f.Attributes&AttrNameIsUTF != 0 }

// Files returns the cabinet's files in the order of its file table.
func (c *Cabinet) Files() []File { return c.files }

// Folders returns the cabinet's folders.
func (c *Cabinet) Folders() []Folder { return c.folders }

func formatError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// Open reads the cabinet's header, folder and file tables from r, which
// holds size bytes, and walks each folder's chain of data block headers.
// A folder or file that cannot be read gets its Err set; Open fails only
// when the header or tables are unreadable.
func Open(r io.ReaderAt, size int64) (*Cabinet, error) {
	if size < headerSize {
		return nil, formatError("%d bytes is too short for a header", size)
	}
	rd := newBlockReader(r, size)
	h, err := rd.read(0, headerSize)
	if err != nil {
		return nil, err
	}
	if string(h[0:4]) != "MSCF" {
		return nil, formatError("no MSCF signature")
	}
	le := binary.LittleEndian
	c := &Cabinet{
		Size:  int64(le.Uint32(h[8:])),
		Flags: le.Uint16(h[30:]),
		SetID: le.Uint16(h[32:]),
		Index: le.Uint16(h[34:]),
		r:     r,
		size:  size,
	}
	coffFiles := int64(le.Uint32(h[16:]))
	if major := h[25]; major != 1 {
		return nil, formatError("version %d.%d", major, h[24])
	}
	nFolders := int(le.Uint16(h[26:]))
	nFiles := int(le.Uint16(h[28:]))
	off := int64(headerSize)
	folderResv := 0
	if c.Flags&FlagReservePresent != 0 {
		b, err := rd.read(off, 4)
		if err != nil {
			return nil, err
		}
		headerResv := int64(le.Uint16(b))
		folderResv = int(b[2])
		c.dataResv = int(b[3])
		off += 4 + headerResv
		if off > size {
			return nil, formatError("header reserve of %d bytes past the end of the file", headerResv)
		}
	}
	if c.Flags&FlagPrevCabinet != 0 {
		var err error
		if c.PrevCabinet, off, err = rd.cstring(off, maxSetName+1); err != nil {
			return nil, err
		}
		if _, off, err = rd.cstring(off, maxSetName+1); err != nil {
			return nil, err
		}
	}
	if c.Flags&FlagNextCabinet != 0 {
		var err error
		if c.NextCabinet, off, err = rd.cstring(off, maxSetName+1); err != nil {
			return nil, err
		}
		if _, off, err = rd.cstring(off, maxSetName+1); err != nil {
			return nil, err
		}
	}

	// The tables must fit in the file before anything is allocated for
	// them.
	fEntry := int64(folderSize + folderResv)
	if int64(nFolders)*fEntry > size-off {
		return nil, formatError("%d folders do not fit in %d bytes", nFolders, size)
	}
	if coffFiles < off || coffFiles > size || int64(nFiles)*(fileSize+2) > size-coffFiles {
		return nil, formatError("file table of %d entries at %d does not fit in %d bytes", nFiles, coffFiles, size)
	}
	c.folders = make([]Folder, nFolders)
	var blocksIn int64
	for i := range c.folders {
		b, err := rd.read(off, folderSize)
		if err != nil {
			return nil, err
		}
		off += fEntry
		f := &c.folders[i]
		f.start = int64(le.Uint32(b))
		f.Blocks = int(le.Uint16(b[4:]))
		f.Type = le.Uint16(b[6:])
		f.Compression = Compression(f.Type & 0x000F)
		// Data blocks never overlap and take 8 bytes at least: blocks
		// claimed past that bound the file cannot hold, and refusing
		// them keeps the walk below linear in the file's size.
		blocksIn += int64(f.Blocks) * int64(dataSize+c.dataResv)
		if blocksIn > size {
			return nil, formatError("folders claim more data blocks than %d bytes can hold", size)
		}
	}

	c.files = make([]File, nFiles)
	off = coffFiles
	for i := range c.files {
		b, err := rd.read(off, fileSize)
		if err != nil {
			return nil, fmt.Errorf("cab: file table entry %d: %w", i, err)
		}
		name, next, err := rd.cstring(off+fileSize, maxName)
		if err != nil {
			return nil, fmt.Errorf("cab: file table entry %d: %w", i, err)
		}
		off = next
		f := &c.files[i]
		f.cab = c
		f.Name = name
		f.Size = int64(le.Uint32(b))
		f.Offset = int64(le.Uint32(b[4:]))
		f.RawFolder = le.Uint16(b[8:])
		f.Folder = int(f.RawFolder)
		f.Modified = dosTime(le.Uint16(b[10:]), le.Uint16(b[12:]))
		f.Attributes = le.Uint16(b[14:])
	}

	c.checkFolders(rd)
	c.checkFiles()
	return c, nil
}

// checkFolders walks each readable folder's chain of data block headers
// to find its sizes, and sets Err on the folders that cannot be read.
func (c *Cabinet) checkFolders(rd *blockReader) {
	continuedFromPrev := false
	if c.Flags&FlagPrevCabinet != 0 {
		for _, f := range c.files {
			if f.RawFolder == ifoldContinuedFromPrev || f.RawFolder == ifoldContinuedPrevAndNext {
				continuedFromPrev = true
			}
		}
	}
	for i := range c.folders {
		f := &c.folders[i]
		if i == 0 && continuedFromPrev {
			f.Err = fmt.Errorf("%w: folder 0 begins in the previous cabinet %q", ErrMultiCabinet, c.PrevCabinet)
			continue
		}
		switch f.Compression {
		case CompressNone, CompressMSZIP:
		default:
			f.Err = fmt.Errorf("%w: folder %d uses %v", ErrUnsupported, i, f.Compression)
			continue
		}
		off := f.start
		for b := 0; b < f.Blocks; b++ {
			h, err := rd.read(off, dataSize)
			if err != nil {
				f.cut(b, fmt.Errorf("cab: folder %d: data block %d: %w", i, b, err))
				break
			}
			cbData := int64(binary.LittleEndian.Uint16(h[4:]))
			cbUncomp := int64(binary.LittleEndian.Uint16(h[6:]))
			if err := checkBlock(f.Compression, cbData, cbUncomp); err != nil {
				f.cut(b, fmt.Errorf("cab: folder %d: data block %d: %w", i, b, err))
				break
			}
			next := off + dataSize + int64(c.dataResv) + cbData
			if next > c.size {
				f.cut(b, fmt.Errorf("cab: folder %d: data block %d: %w", i, b, formatError("block past the end of the file (truncated)")))
				break
			}
			if cbUncomp == 0 {
				f.cut(b, fmt.Errorf("%w: folder %d continues into the next cabinet %q", ErrMultiCabinet, i, c.NextCabinet))
				break
			}
			f.CompressedSize += next - off
			f.UncompressedSize += cbUncomp
			off = next
		}
	}
}

// cut ends the folder's readable data before block b: the data before it
// stays readable, and files past it get err.
func (f *Folder) cut(b int, err error) {
	f.Blocks = b
	f.cutErr = err
}

// checkBlock checks a data block's sizes against the format's limits.
func checkBlock(comp Compression, cbData, cbUncomp int64) error {
	if cbUncomp > maxBlockOut {
		return formatError("block expands to %d bytes, over %d", cbUncomp, maxBlockOut)
	}
	if cbData > maxBlockIn {
		return formatError("block of %d bytes, over %d", cbData, maxBlockIn)
	}
	if comp == CompressNone && cbUncomp != 0 && cbData != cbUncomp {
		return formatError("uncompressed block of %d bytes expands to %d", cbData, cbUncomp)
	}
	return nil
}

// checkFiles sets Err on the files that cannot be read.
func (c *Cabinet) checkFiles() {
	for i := range c.files {
		f := &c.files[i]
		switch f.RawFolder {
		case ifoldContinuedFromPrev:
			f.Folder = -1
			f.Err = fmt.Errorf("%w: begins in the previous cabinet %q", ErrMultiCabinet, c.PrevCabinet)
			continue
		case ifoldContinuedToNext:
			f.Folder = -1
			f.Err = fmt.Errorf("%w: continues into the next cabinet %q", ErrMultiCabinet, c.NextCabinet)
			continue
		case ifoldContinuedPrevAndNext:
			f.Folder = -1
			f.Err = fmt.Errorf("%w: begins in the previous cabinet %q and continues into the next %q", ErrMultiCabinet, c.PrevCabinet, c.NextCabinet)
			continue
		}
		if f.Folder >= len(c.folders) {
			f.Err = formatError("folder index %d of %d folders", f.Folder, len(c.folders))
			continue
		}
		fo := &c.folders[f.Folder]
		if fo.Err != nil {
			f.Err = fo.Err
			continue
		}
		if f.Offset+f.Size > fo.UncompressedSize {
			if fo.cutErr != nil {
				f.Err = fo.cutErr
			} else {
				f.Err = formatError("file's data (%d bytes at %d) lies past the end of its folder's %d bytes", f.Size, f.Offset, fo.UncompressedSize)
			}
		}
	}
}

// Open returns a reader of the file's bytes. It decompresses the file's
// folder from its start, discarding what lies before the file: to read
// many files of one folder, read them in order with one FolderReader
// (OpenFolder, Skip, Next) instead.
func (f *File) Open() (io.ReadCloser, error) {
	if f.Err != nil {
		return nil, f.Err
	}
	if f.cab == nil {
		return nil, errors.New("cab: file not from a cabinet")
	}
	fr, err := f.cab.OpenFolder(f.Folder)
	if err != nil {
		return nil, err
	}
	if err := fr.Skip(f.Offset); err != nil {
		return nil, err
	}
	return io.NopCloser(fr.Next(f.Size)), nil
}

// exactReader reads n bytes from r, and fails when r ends before.
type exactReader struct {
	r io.Reader
	n int64
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.n {
		p = p[:e.n]
	}
	n, err := e.r.Read(p)
	e.n -= int64(n)
	if err == io.EOF && e.n > 0 {
		err = io.ErrUnexpectedEOF
	}
	if err == nil && e.n == 0 {
		err = io.EOF
	}
	return n, err
}

// dosTime converts an MS-DOS date and time.
func dosTime(d, t uint16) time.Time {
	return time.Date(1980+int(d>>9), time.Month(d>>5&0xF), int(d&0x1F), int(t>>11), int(t>>5&0x3F), int(t&0x1F)*2, 0, time.UTC)
}

// blockReader reads small pieces of a ReaderAt through a 64 KiB window,
// so that walking tables and block headers costs few reads.
type blockReader struct {
	r    io.ReaderAt
	size int64
	buf  []byte
	off  int64 // file offset of buf[0]
}

const windowSize = 64 << 10

func newBlockReader(r io.ReaderAt, size int64) *blockReader {
	return &blockReader{r: r, size: size, off: -1}
}

// read returns n bytes at off (n ≤ windowSize), valid until the next call.
func (b *blockReader) read(off int64, n int) ([]byte, error) {
	if off < 0 || n < 0 || off > b.size || int64(n) > b.size-off {
		return nil, formatError("%d bytes at %d past the end of the file (truncated)", n, off)
	}
	if b.off >= 0 && off >= b.off && off+int64(n) <= b.off+int64(len(b.buf)) {
		s := off - b.off
		return b.buf[s : s+int64(n)], nil
	}
	want := int64(windowSize)
	if want > b.size-off {
		want = b.size - off
	}
	if b.buf == nil {
		b.buf = make([]byte, windowSize)
	}
	b.buf = b.buf[:want]
	m, err := b.r.ReadAt(b.buf, off)
	if m < n {
		b.off = -1
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("cab: reading at %d: %w", off, err)
	}
	b.buf = b.buf[:m]
	b.off = off
	return b.buf[:n], nil
}

// cstring reads a NUL-terminated string of at most max bytes (NUL
// included) at off, and returns it and the offset after its NUL.
func (b *blockReader) cstring(off int64, max int) (string, int64, error) {
	n := max
	if rest := b.size - off; rest < int64(n) {
		if rest <= 0 {
			return "", 0, formatError("string at %d past the end of the file", off)
		}
		n = int(rest)
	}
	s, err := b.read(off, n)
	if err != nil {
		return "", 0, err
	}
	for i, c := range s {
		if c == 0 {
			return string(s[:i]), off + int64(i) + 1, nil
		}
	}
	return "", 0, formatError("string at %d has no NUL within %d bytes", off, max)
}

// checksum is the cabinet checksum of p, continued from seed: the
// little-endian 32-bit words of p XORed together, a tail of 1 to 3 bytes
// taken most significant byte first.
func checksum(p []byte, seed uint32) uint32 {
	for len(p) >= 4 {
		seed ^= binary.LittleEndian.Uint32(p)
		p = p[4:]
	}
	var ul uint32
	switch len(p) {
	case 3:
		ul = uint32(p[0])<<16 | uint32(p[1])<<8 | uint32(p[2])
	case 2:
		ul = uint32(p[0])<<8 | uint32(p[1])
	case 1:
		ul = uint32(p[0])
	}
	return seed ^ ul
}
