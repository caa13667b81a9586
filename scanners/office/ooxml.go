package office

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/rouei/rouei/scanners"
)

// ooxmlOpener reads an Office Open XML package: a workbook, a document or
// a presentation.
type ooxmlOpener struct{ kind string }

// Kind implements scanners.Opener.
func (o ooxmlOpener) Kind() string { return o.kind }

// NeedsRandomAccess implements scanners.Opener: a zip is read from its
// central directory.
func (ooxmlOpener) NeedsRandomAccess() bool { return true }

// Walk implements scanners.Opener.
func (o ooxmlOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, lim, yield)
	pkg, err := openPackage(src, w)
	if err != nil {
		return err
	}
	kind := o.kind
	switch main := pkg.mainPart(); {
	case strings.HasPrefix(main, "xl/"):
		kind = "xlsx"
	case strings.HasPrefix(main, "word/"):
		kind = "docx"
	case strings.HasPrefix(main, "ppt/"):
		kind = "pptx"
	}
	switch kind {
	case "xlsx":
		return walkXLSX(pkg, w)
	case "docx":
		return walkDOCX(pkg, w)
	default:
		return walkPPTX(pkg, w)
	}
}

// pkg is an opened OOXML package.
type pkg struct {
	w      *walker
	files  map[string]*zip.File // by name
	folded map[string]*zip.File // by lower-case name, for writers that disagree on case
	names  []string             // in zip order
}

func openPackage(src scanners.Source, w *walker) (*pkg, error) {
	if src.At == nil || src.Size < 0 {
		return nil, errors.New("office: OOXML package needs random access")
	}
	zr, err := zip.NewReader(src.At, src.Size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("office: not a readable OOXML package: %w", err)
	}
	p := &pkg{w: w, files: make(map[string]*zip.File, len(zr.File)), folded: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		name := strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/")
		if _, dup := p.files[name]; dup {
			continue
		}
		p.files[name] = f
		p.folded[strings.ToLower(name)] = f
		p.names = append(p.names, name)
	}
	if p.lookup("[Content_Types].xml") == nil {
		return nil, errors.New("office: not an OOXML package: no [Content_Types].xml")
	}
	return p, nil
}

func (p *pkg) lookup(name string) *zip.File {
	if f := p.files[name]; f != nil {
		return f
	}
	return p.folded[strings.ToLower(name)]
}

// open returns a part's bytes, limited in size: a part expanding past
// MaxMemberBytes, or past MaxRatio times its compressed size once over
// 1 MiB, is an error wrapping ErrLimit rather than silently cut short.
func (p *pkg) open(name string) (*limitedPart, error) {
	f := p.lookup(name)
	if f == nil {
		return nil, fmt.Errorf("office: part %s missing", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("office: part %s: %w", name, err)
	}
	max := p.w.lim.MaxMemberBytes
	if r := int64(f.CompressedSize64) * p.w.lim.MaxRatio; r >= 0 && r < max {
		max = max64(r, 1<<20)
	}
	return &limitedPart{rc: rc, name: name, left: max, max: max}, nil
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

type limitedPart struct {
	rc   io.ReadCloser
	name string
	left int64
	max  int64
	hit  error // the limit error, once hit
}

// why returns the error to report for a parse error err: the limit when
// it was hit (the parser then sees a cut document), else err.
func (l *limitedPart) why(err error) error {
	if l.hit != nil {
		return l.hit
	}
	return err
}

func (l *limitedPart) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// Tell a part that ends exactly at the limit from one that goes on.
		var one [1]byte
		if n, _ := l.rc.Read(one[:]); n == 0 {
			return 0, io.EOF
		}
		l.hit = fmt.Errorf("office: part %s expands past %d bytes: %w", l.name, l.max, scanners.ErrLimit)
		return 0, l.hit
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.rc.Read(p)
	l.left -= int64(n)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("office: part %s: %w", l.name, err)
	}
	return n, err
}

func (l *limitedPart) Close() error { return l.rc.Close() }

// relationship is one <Relationship> of a .rels part, its target resolved
// to a part name.
type relationship struct {
	id, typ, target string
}

// rels reads the relationships of part ("" for the package's).
func (p *pkg) rels(part string) ([]relationship, error) {
	dir, base := path.Split(part)
	name := dir + "_rels/" + base + ".rels"
	if p.lookup(name) == nil {
		return nil, nil
	}
	rc, err := p.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var out []relationship
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, rc.why(fmt.Errorf("office: %s: %w", name, err))
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		var r relationship
		external := false
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				r.id = a.Value
			case "Type":
				r.typ = a.Value
			case "Target":
				r.target = a.Value
			case "TargetMode":
				external = a.Value == "External"
			}
		}
		if external || r.target == "" {
			continue
		}
		r.target = resolvePart(dir, r.target)
		out = append(out, r)
		if len(out) > 1_000_000 {
			return out, fmt.Errorf("office: %s: too many relationships: %w", name, scanners.ErrLimit)
		}
	}
}

// resolvePart resolves a relationship target against the directory of its
// source part.
func resolvePart(dir, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if i := strings.IndexAny(target, "#?"); i >= 0 {
		target = target[:i]
	}
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean("/"+dir+target), "/")
}

// relType reports whether a relationship type URI names kind (the last
// path element: "officeDocument", "worksheet", "sharedStrings" …), in
// either the transitional or the strict namespace.
func relType(typ, kind string) bool {
	return path.Base(typ) == kind
}

// mainPart is the package's main part, from its relationships, else by
// the usual names.
func (p *pkg) mainPart() string {
	rs, _ := p.rels("")
	for _, r := range rs {
		if relType(r.typ, "officeDocument") && p.lookup(r.target) != nil {
			return r.target
		}
	}
	for _, n := range []string{"xl/workbook.xml", "word/document.xml", "ppt/presentation.xml"} {
		if p.lookup(n) != nil {
			return n
		}
	}
	return ""
}
