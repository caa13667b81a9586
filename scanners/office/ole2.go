package office

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"

	"github.com/rouei/rouei/scanners"
)

// ole2Opener reads a compound file (OLE2): an Excel 97–2003 workbook
// (its sheets as Text members), a Word 97–2003 document (its text as the
// Text member "document", tables as tab-separated rows), an encrypted
// OOXML document (an error wrapping ErrEncrypted), or any other compound
// file (PowerPoint 97, Outlook .msg …), whose streams are yielded as they
// are for the engine to sniff and scan.
type ole2Opener struct{ kind string }

// identifyOLE2 names a compound file from the directory entries in head,
// when the directory is there.
func identifyOLE2(head []byte) scanners.Opener {
	kind := "ole2"
	for o := 512; o+128 <= len(head); o += 128 {
		n := int(binary.LittleEndian.Uint16(head[o+64:]))
		if n < 2 || n > 64 || n%2 != 0 || head[o+66] != 2 {
			continue
		}
		u := make([]uint16, n/2-1)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(head[o+2*i:])
		}
		switch string(utf16.Decode(u)) {
		case "EncryptedPackage":
			return ole2Opener{kind: "ooxml-encrypted"}
		case "Workbook", "Book":
			kind = "xls"
		case "WordDocument":
			if kind == "ole2" {
				kind = "doc"
			}
		}
	}
	return ole2Opener{kind: kind}
}

// Kind implements scanners.Opener: "xls", "ooxml-encrypted", or "ole2"
// when the head did not tell.
func (o ole2Opener) Kind() string { return o.kind }

// NeedsRandomAccess implements scanners.Opener.
func (ole2Opener) NeedsRandomAccess() bool { return true }

// errCorruptCFB is returned for a compound file the reader chokes on.
var errCorruptCFB = errors.New("office: corrupt compound file")

// Walk implements scanners.Opener.
func (o ole2Opener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) (err error) {
	w := newWalker(ctx, lim, yield)
	if src.At == nil || src.Size < 0 {
		return errors.New("office: compound file needs random access")
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", errCorruptCFB, p)
		}
	}()
	r, err := mscfb.New(src.At)
	if err != nil {
		return fmt.Errorf("office: not a readable compound file: %w", err)
	}
	type stream struct {
		path string
		f    *mscfb.File
	}
	var streams []stream
	var books []stream
	var word *mscfb.File
	wordTables := map[string]*mscfb.File{}
	for _, f := range r.File {
		if f.Size <= 0 && len(f.Path) == 0 && f.Name == "Root Entry" {
			continue
		}
		p := cleanStreamName(append(append([]string(nil), f.Path...), f.Name))
		if len(f.Path) == 0 && (f.Name == "EncryptedPackage" || f.Name == "EncryptionInfo") {
			return fmt.Errorf("office: encrypted Office document (password protected): %w", scanners.ErrEncrypted)
		}
		if !isStream(f) {
			continue
		}
		if f.Name == "Workbook" || f.Name == "Book" {
			books = append(books, stream{p, f})
			continue
		}
		if len(f.Path) == 0 {
			switch f.Name {
			case "WordDocument":
				word = f
				continue
			case "0Table", "1Table":
				wordTables[f.Name] = f
				continue
			}
		}
		streams = append(streams, stream{p, f})
		if len(streams) > w.lim.MaxMembers {
			return fmt.Errorf("office: more than %d streams: %w", w.lim.MaxMembers, scanners.ErrLimit)
		}
	}
	// A workbook stream at the root makes the file an xls; one deeper is
	// a workbook embedded in another document.
	rootBook := false
	for _, b := range books {
		prefix := ""
		if i := strings.LastIndex(b.path, "/"); i >= 0 {
			prefix = b.path[:i+1]
		} else {
			if rootBook {
				continue // both Workbook and Book: Excel reads Workbook
			}
			rootBook = true
		}
		data, err := readStream(b.f, src.Size, w.lim.MaxMemberBytes)
		if err != nil {
			if prefix == "" {
				return err
			}
			if err := w.emit(memberErr(b.path, err)); err != nil {
				return err
			}
			continue
		}
		if err := walkBIFF(w, data, prefix); err != nil {
			if prefix == "" {
				return err
			}
			if err := w.emit(memberErr(b.path, err)); err != nil {
				return err
			}
		}
	}
	if rootBook {
		return nil
	}
	if word != nil && !rootBook {
		// A Word document: its text, then the streams of embedded
		// objects (ObjectPool) for the engine to sniff.
		data, err := readStream(word, src.Size, w.lim.MaxMemberBytes)
		if err != nil {
			return err
		}
		tables := map[string][]byte{}
		for n, f := range wordTables {
			if tables[n], err = readStream(f, src.Size, w.lim.MaxMemberBytes); err != nil {
				return err
			}
		}
		err = emitDOC(w, data, tables)
		switch {
		case errors.Is(err, scanners.ErrEncrypted):
			return err
		case errors.Is(err, errDOC) || errors.Is(err, scanners.ErrLimit):
			// The text cannot be read: say so, and let the engine
			// sniff the streams as they are for what it can find.
			if err := w.emit(memberErr("document", err)); err != nil {
				return err
			}
			raw := data
			if err := w.emit(scanners.Member{Name: "WordDocument", Size: int64(len(raw)), Open: func() (io.ReadCloser, error) {
				return io.NopCloser(bytes.NewReader(raw)), nil
			}}); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			kept := streams[:0]
			for _, s := range streams {
				if strings.Contains(s.path, "/") { // embedded objects (ObjectPool)
					kept = append(kept, s)
				}
			}
			streams = kept
		}
	}
	for _, s := range streams {
		if err := emitStream(w, s.path, s.f, src.Size); err != nil {
			return err
		}
	}
	return nil
}

// isStream reports whether a directory entry is a stream (not a storage).
func isStream(f *mscfb.File) bool {
	return !f.FileInfo().IsDir() && f.Name != "Root Entry"
}

// cleanStreamName joins a stream's path with slashes, dropping the
// control characters that start names like "\x05SummaryInformation".
func cleanStreamName(parts []string) string {
	for i, p := range parts {
		p = strings.Map(func(r rune) rune {
			if !unicode.IsPrint(r) || r == '/' || r == '\\' {
				return -1
			}
			return r
		}, p)
		if p == "" || p == "." || p == ".." {
			p = "_"
		}
		parts[i] = p
	}
	return strings.Join(parts, "/")
}

// readStream reads a whole stream, which cannot be larger than the file
// holding it.
func readStream(f *mscfb.File, fileSize, max int64) ([]byte, error) {
	if fileSize >= 0 && f.Size > fileSize {
		return nil, fmt.Errorf("%w: stream %s claims %d bytes in a file of %d", errCorruptCFB, f.Name, f.Size, fileSize)
	}
	if f.Size > max {
		return nil, fmt.Errorf("office: stream %s larger than %d bytes: %w", f.Name, max, scanners.ErrLimit)
	}
	buf := make([]byte, f.Size)
	if _, err := io.ReadFull(struct{ io.Reader }{f}, buf); err != nil {
		return nil, fmt.Errorf("%w: stream %s: %v", errCorruptCFB, f.Name, err)
	}
	return buf, nil
}

// emitStream yields a stream's bytes as a member for the engine to sniff.
func emitStream(w *walker, name string, f *mscfb.File, fileSize int64) error {
	switch {
	case fileSize >= 0 && f.Size > fileSize:
		return w.emit(memberErr(name, fmt.Errorf("%w: stream claims %d bytes in a file of %d", errCorruptCFB, f.Size, fileSize)))
	case f.Size > w.lim.MaxMemberBytes:
		return w.emit(memberErr(name, fmt.Errorf("office: stream larger than %d bytes: %w", w.lim.MaxMemberBytes, scanners.ErrLimit)))
	}
	return w.emit(scanners.Member{Name: name, Size: f.Size, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(&scanners.SafeReader{R: io.LimitReader(f, f.Size), Name: name, Corrupt: errCorruptCFB}), nil
	}})
}
