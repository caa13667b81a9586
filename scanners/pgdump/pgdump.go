// Package pgdump reads PostgreSQL backups as scanners.Opener containers:
// the custom format (pg_dump -Fc), the directory format (pg_dump -Fd:
// toc.dat and its NNNN.dat[.gz|.lz4|.zst] data files) and plain SQL
// dumps. Every table's rows become a Text member named after the table
// ("public.patrons"): its column list as a header row, then its COPY
// rows as tab-separated lines, unescaped, NULL as an empty cell. The
// definitions in the dump (CREATE statements, comments, and the INSERTs
// of a plain dump) are one more Text member, "statements.sql".
//
// Dump versions 1.0 to 1.16 are read (pg_dump 7.x to 18), uncompressed,
// gzip/zlib, lz4 or zstd compressed; any other version, format or
// compression is an error, never a pass.
package pgdump

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"

	"github.com/rouei/rouei/scanners"
)

// Magic is the start of a custom-format dump and of a directory
// format's toc.dat.
var Magic = []byte("PGDMP")

// maxTOCEntries bounds a table of contents.
const maxTOCEntries = 1 << 20

// dataFileRE matches the name of a directory-format data file.
var dataFileRE = regexp.MustCompile(`^[0-9]+\.dat(\.gz|\.lz4|\.zst)?$`)

// Identify returns the opener for a file named name (its display path)
// whose first bytes are head, or nil when it is no PostgreSQL dump.
// A directory-format data file (NNNN.dat) is told by its name and by the
// toc.dat beside it on disk.
func Identify(name string, head []byte) scanners.Opener {
	if bytes.HasPrefix(head, Magic) {
		h := &header{}
		r := &reader{r: bufio.NewReader(bytes.NewReader(head)), h: h, budget: int64(len(head))}
		if readHeader(r) == nil && h.format == fmtDirectory {
			return tocOpener{}
		}
		return customOpener{}
	}
	if base := filepath.Base(name); dataFileRE.MatchString(base) && !strings.Contains(name, "!/") {
		if f, err := os.Open(filepath.Join(filepath.Dir(name), "toc.dat")); err == nil {
			var b [5]byte
			_, err := io.ReadFull(f, b[:])
			f.Close()
			if err == nil && bytes.Equal(b[:], Magic) {
				return dataOpener{}
			}
		}
	}
	if isPlainDump(head) {
		return plainOpener{}
	}
	return nil
}

// emitter yields members, counting them and bounding their text.
type emitter struct {
	ctx     context.Context
	lim     scanners.Limits
	yield   func(scanners.Member) error
	members int
	total   int64
}

func (e *emitter) emit(m scanners.Member) error {
	if err := e.ctx.Err(); err != nil {
		return err
	}
	if e.members++; e.members > e.lim.MaxMembers {
		return fmt.Errorf("pgdump: more than %d members: %w", e.lim.MaxMembers, scanners.ErrLimit)
	}
	return e.yield(m)
}

// emitText yields a Text member whose bytes r gives, opened once.
func (e *emitter) emitText(name string, r io.Reader) error {
	opened := false
	return e.emit(scanners.Member{Name: name, Size: -1, Text: true, Open: func() (io.ReadCloser, error) {
		if opened {
			return nil, fmt.Errorf("pgdump: %s opened twice", name)
		}
		opened = true
		return io.NopCloser(&boundReader{e: e, r: r, name: name}), nil
	}})
}

// boundReader checks the context and the container's text budget.
type boundReader struct {
	e    *emitter
	r    io.Reader
	name string
}

func (b *boundReader) Read(p []byte) (int, error) {
	if err := b.e.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := b.r.Read(p)
	b.e.total += int64(n)
	if b.e.total > b.e.lim.MaxArchiveBytes {
		return 0, fmt.Errorf("pgdump: text of all tables larger than %d bytes: %w", b.e.lim.MaxArchiveBytes, scanners.ErrLimit)
	}
	return n, err
}

// ratioGrace is what a member may expand to before MaxRatio applies.
const ratioGrace = 1 << 20

// ratioReader fails when the bytes it gives outgrow MaxRatio times the
// compressed bytes in counted.
type ratioReader struct {
	r     io.Reader
	in    *int64
	out   int64
	ratio int64
	name  string
}

func (r *ratioReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.out += int64(n)
	if r.out > ratioGrace && r.out/r.ratio > *r.in {
		return 0, fmt.Errorf("pgdump: %s: expands more than %d times: %w", r.name, r.ratio, scanners.ErrLimit)
	}
	return n, err
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// decompress wraps r, compressed with comp (zlib for gzip in a custom
// archive, gzip in a directory's .gz files).
func decompress(comp byte, r io.Reader, gz bool) (io.Reader, func(), error) {
	switch comp {
	case compNone:
		return r, func() {}, nil
	case compGzip:
		if gz {
			z, err := gzip.NewReader(r)
			if err != nil {
				return nil, nil, fmt.Errorf("%w: gzip: %v", errCorrupt, err)
			}
			return z, func() { z.Close() }, nil
		}
		z, err := zlib.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: zlib: %v", errCorrupt, err)
		}
		return z, func() { z.Close() }, nil
	case compLZ4:
		return lz4.NewReader(r), func() {}, nil
	case compZstd:
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(128<<20), zstd.WithDecoderMaxWindow(128<<20))
		if err != nil {
			return nil, nil, err
		}
		return z, z.Close, nil
	}
	return nil, nil, fmt.Errorf("pgdump: compression %d not read", comp)
}

// tableData is the text of one table's data, from its (decompressed)
// stream: COPY rows under their column list, or the INSERT statements of
// a dump made with --inserts.
func tableData(e *entry, r io.Reader, encName string, max int64) (io.Reader, error) {
	dec, err := decoder(encName)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(strings.TrimSpace(e.copyStmt), "COPY ") {
		return newCopyTable(e.name(), r, copyColumns(e.copyStmt), dec, max), nil
	}
	return newTextReader(e.name(), r, dec, max), nil
}

// statements is the text of the TOC's definitions, one after another.
func statements(entries []entry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		if e.defn != "" {
			b.WriteString(e.defn)
			if !strings.HasSuffix(e.defn, "\n") {
				b.WriteByte('\n')
			}
		}
	}
	return b.Bytes()
}

// decodeEntries decodes the names and statements of the TOC from the
// dump's encoding.
func decodeEntries(entries []entry, encName string) error {
	dec, err := decoder(encName)
	if err != nil || dec == nil {
		return err
	}
	for i := range entries {
		e := &entries[i]
		e.tag, e.namespace = decodeString(dec, e.tag), decodeString(dec, e.namespace)
		e.defn, e.copyStmt = decodeString(dec, e.defn), decodeString(dec, e.copyStmt)
	}
	return nil
}

func isTableData(e *entry) bool { return e.desc == "TABLE DATA" }

// customOpener reads a custom-format archive (pg_dump -Fc) as a stream:
// header, TOC, then the data blocks in order.
type customOpener struct{}

// Kind implements scanners.Opener.
func (customOpener) Kind() string { return "pgdump" }

// NeedsRandomAccess implements scanners.Opener.
func (customOpener) NeedsRandomAccess() bool { return false }

// Walk implements scanners.Opener.
func (customOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	lim = lim.WithDefaults()
	em := &emitter{ctx: ctx, lim: lim, yield: yield}
	in := &countReader{r: src.Reader}
	r := &reader{r: bufio.NewReaderSize(in, 64<<10), h: &header{}, budget: lim.MaxMemberBytes}
	if err := readHeader(r); err != nil {
		return err
	}
	if r.h.format != fmtCustom {
		return fmt.Errorf("pgdump: format %d archive where a custom-format one was expected", r.h.format)
	}
	entries, err := readTOC(r, maxTOCEntries)
	if err != nil {
		return fmt.Errorf("pgdump: table of contents: %w", err)
	}
	encName := encodingOf(entries)
	if err := decodeEntries(entries, encName); err != nil {
		return err
	}
	if err := em.emitText("statements.sql", bytes.NewReader(statements(entries))); err != nil {
		return err
	}
	byID := make(map[int]*entry, len(entries))
	for i := range entries {
		byID[entries[i].dumpID] = &entries[i]
	}
	seen := make(map[int]bool)
	for {
		if _, err := r.r.Peek(1); err == io.EOF {
			break
		}
		typ, err := r.byte()
		if err != nil {
			return err
		}
		id64, err := r.int()
		if err != nil {
			return err
		}
		e := byID[int(id64)]
		if e == nil {
			return fmt.Errorf("%w: data block of entry %d, not in the table of contents", errCorrupt, id64)
		}
		seen[e.dumpID] = true
		switch typ {
		case blkData:
			if err := customData(em, r, e, encName, in); err != nil {
				return err
			}
		case blkBlobs:
			if err := customBlobs(em, r, in); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: block type %d", errCorrupt, typ)
		}
	}
	for i := range entries {
		e := &entries[i]
		if isTableData(e) && e.hadDumper && e.dataState != offsetNoData && !seen[e.dumpID] {
			if err := em.emit(scanners.Member{Name: e.name(), Size: -1, Err: fmt.Errorf("pgdump: data of %s missing: truncated dump", e.name())}); err != nil {
				return err
			}
		}
	}
	return nil
}

// chunkReader reads a custom-format data stream: chunks of a length and
// that many bytes, up to a zero length.
type chunkReader struct {
	r    *reader
	left int64
	done bool
	err  error
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for c.left == 0 {
		if c.done {
			return 0, io.EOF
		}
		if c.err != nil {
			return 0, c.err
		}
		n, err := c.r.int()
		switch {
		case err != nil:
			c.err = err
		case n < 0:
			c.err = fmt.Errorf("%w: negative chunk length", errCorrupt)
		case n == 0:
			c.done = true
		default:
			c.left = n
		}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.r.Read(p)
	c.r.pos += int64(n)
	c.left -= int64(n)
	if err == io.EOF {
		err = nil
		if n == 0 {
			c.err = io.ErrUnexpectedEOF
			return 0, c.err
		}
	}
	return n, err
}

// drain skips what is left of the stream.
func (c *chunkReader) drain() error {
	for {
		if c.left > 0 {
			if err := c.r.skip(c.left); err != nil {
				return err
			}
			c.left = 0
		}
		if c.done {
			return nil
		}
		if c.err != nil {
			return c.err
		}
		var one [1]byte
		if _, err := c.Read(one[:]); err != nil && err != io.EOF {
			return err
		}
	}
}

// customData yields one data block of a custom-format archive.
func customData(em *emitter, r *reader, e *entry, encName string, in *countReader) error {
	cr := &chunkReader{r: r}
	start := in.n
	if !isTableData(e) {
		return cr.drain()
	}
	dr, closeDR, err := decompress(r.h.comp, cr, false)
	if err != nil {
		if d := cr.drain(); d != nil {
			return d
		}
		return em.emit(scanners.Member{Name: e.name(), Size: -1, Err: err})
	}
	compressed := int64(0)
	rr := &ratioReader{r: dr, in: &compressed, ratio: em.lim.MaxRatio, name: e.name()}
	counted := &funcReader{f: func(p []byte) (int, error) {
		compressed = in.n - start
		return rr.Read(p)
	}}
	t, err := tableData(e, counted, encName, em.lim.MaxMemberBytes)
	if err == nil {
		err = em.emitText(e.name(), t)
	}
	closeDR()
	if err != nil {
		return err
	}
	return cr.drain()
}

// customBlobs yields the large objects of a BLOBS block, each as a
// member for the engine to sniff: "blob-OID".
func customBlobs(em *emitter, r *reader, in *countReader) error {
	for {
		oid, err := r.int()
		if err != nil {
			return err
		}
		if oid == 0 {
			return nil
		}
		cr := &chunkReader{r: r}
		dr, closeDR, err := decompress(r.h.comp, cr, false)
		name := fmt.Sprintf("blob-%d", oid)
		if err != nil {
			if err := em.emit(scanners.Member{Name: name, Size: -1, Err: err}); err != nil {
				return err
			}
		} else {
			start := in.n
			compressed := int64(0)
			rr := &ratioReader{r: dr, in: &compressed, ratio: em.lim.MaxRatio, name: name}
			lr := &funcReader{f: func(p []byte) (int, error) {
				compressed = in.n - start
				return rr.Read(p)
			}}
			err = em.emit(scanners.Member{Name: name, Size: -1, Open: func() (io.ReadCloser, error) {
				return io.NopCloser(&textReader{r: lr, max: em.lim.MaxMemberBytes, name: name}), nil
			}})
			closeDR()
			if err != nil {
				return err
			}
		}
		if err := cr.drain(); err != nil {
			return err
		}
	}
}

type funcReader struct{ f func([]byte) (int, error) }

func (f *funcReader) Read(p []byte) (int, error) { return f.f(p) }

// readTOCFile reads the header and TOC of a directory's toc.dat.
func readTOCFile(rd io.Reader, lim scanners.Limits) (*header, []entry, error) {
	r := &reader{r: bufio.NewReaderSize(rd, 64<<10), h: &header{}, budget: lim.MaxMemberBytes}
	if err := readHeader(r); err != nil {
		return nil, nil, err
	}
	if r.h.format != fmtDirectory {
		return nil, nil, fmt.Errorf("pgdump: toc.dat of format %d, not a directory-format dump", r.h.format)
	}
	entries, err := readTOC(r, maxTOCEntries)
	if err != nil {
		return nil, nil, fmt.Errorf("pgdump: table of contents: %w", err)
	}
	return r.h, entries, nil
}

// dataFiles are the names a data file may have on disk.
func dataFiles(name string) []string {
	return []string{name, name + ".gz", name + ".lz4", name + ".zst"}
}

// tocOpener reads a directory-format dump's toc.dat: its definitions are
// a member; a table's data is read from its own NNNN.dat file, where the
// walk of the directory meets it (dataOpener). A data file the TOC lists
// that is not beside it is an error.
type tocOpener struct{}

// Kind implements scanners.Opener.
func (tocOpener) Kind() string { return "pgdump-toc" }

// NeedsRandomAccess implements scanners.Opener.
func (tocOpener) NeedsRandomAccess() bool { return false }

// Walk implements scanners.Opener.
func (tocOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	lim = lim.WithDefaults()
	em := &emitter{ctx: ctx, lim: lim, yield: yield}
	_, entries, err := readTOCFile(src.Reader, lim)
	if err != nil {
		return err
	}
	if err := decodeEntries(entries, encodingOf(entries)); err != nil {
		return err
	}
	if err := em.emitText("statements.sql", bytes.NewReader(statements(entries))); err != nil {
		return err
	}
	path := src.Path
	if path == "" && !strings.Contains(src.Name, "!/") {
		path = src.Name // the display path of a file on disk
	}
	if path == "" {
		return nil // inside an archive: the data files are scanned as they are
	}
	dir := filepath.Dir(path)
	for i := range entries {
		e := &entries[i]
		if !isTableData(e) || e.filename == "" {
			continue
		}
		found := false
		for _, f := range dataFiles(cleanName(e.filename)) {
			if _, err := os.Lstat(filepath.Join(dir, f)); err == nil {
				found = true
				break
			}
		}
		if !found {
			err := fmt.Errorf("pgdump: data file %s of %s missing beside toc.dat", cleanName(e.filename), e.name())
			if err := em.emit(scanners.Member{Name: e.name(), Size: -1, Err: err}); err != nil {
				return err
			}
		}
	}
	return nil
}

// dataOpener reads one data file of a directory-format dump (NNNN.dat,
// .dat.gz, .dat.lz4, .dat.zst): COPY text without a header, whose column
// list is in the toc.dat beside it. The member is named after its table.
type dataOpener struct{}

// Kind implements scanners.Opener.
func (dataOpener) Kind() string { return "pgdump-data" }

// NeedsRandomAccess implements scanners.Opener.
func (dataOpener) NeedsRandomAccess() bool { return false }

// Walk implements scanners.Opener.
func (dataOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	lim = lim.WithDefaults()
	em := &emitter{ctx: ctx, lim: lim, yield: yield}
	path := src.Path
	if path == "" && !strings.Contains(src.Name, "!/") {
		path = src.Name // the display path of a file on disk
	}
	if path == "" {
		return errors.New("pgdump: directory-format data file not on disk: its toc.dat cannot be read")
	}
	f, err := os.Open(filepath.Join(filepath.Dir(path), "toc.dat"))
	if err != nil {
		return fmt.Errorf("pgdump: toc.dat of this data file: %w", err)
	}
	defer f.Close()
	_, entries, err := readTOCFile(f, lim)
	if err != nil {
		return fmt.Errorf("toc.dat: %w", err)
	}
	encName := encodingOf(entries)
	if err := decodeEntries(entries, encName); err != nil {
		return err
	}
	base := filepath.Base(path)
	comp, gz := byte(compNone), false
	switch filepath.Ext(base) {
	case ".gz":
		comp, gz = compGzip, true
	case ".lz4":
		comp = compLZ4
	case ".zst":
		comp = compZstd
	}
	if comp != compNone {
		base = strings.TrimSuffix(base, filepath.Ext(base))
	}
	var e *entry
	for i := range entries {
		if entries[i].filename == base {
			e = &entries[i]
			break
		}
	}
	if e == nil {
		return fmt.Errorf("pgdump: %s is not listed in the toc.dat beside it", filepath.Base(path))
	}
	in := &countReader{r: src.Reader}
	dr, closeDR, err := decompress(comp, in, gz)
	if err != nil {
		return err
	}
	defer closeDR()
	rr := &ratioReader{r: dr, in: &in.n, ratio: lim.MaxRatio, name: e.name()}
	t, err := tableData(e, rr, encName, lim.MaxMemberBytes)
	if err != nil {
		return err
	}
	return em.emitText(e.name(), t)
}
