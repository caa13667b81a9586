// Package samples generates a synthetic software deliverable — an ILS
// vendor's delivery for the fictional 架空市立中央図書館 — with planted
// personal-data leaks and clean parts, and the manifest of verdicts a
// correct scan gives each file.
//
// The generated tree is committed under samples/deliverable/ and the
// manifest as samples/expected.json; the test fails when they are stale.
// Containers (a release tarball with a zip and a workbook inside, xlsx,
// docx, pptx, SQLite, bzip2/xz/zstd exports, and 7z, ISO 9660, Excel 97,
// LZH and CAB files copied from the committed binaries under fixtures/,
// see fixtures.go) have manifest entries for their leaf members under
// "!/" paths; hostile and broken containers under
// bad/ have entries whose Errors list what the scan must report.
// Every person, address and number in it is synthetic: names are drawn
// from common-name lists, towns are fictional, phone numbers have real
// formats but random digits.
//
// Generation is deterministic (math/rand/v2 PCG with fixed seeds, one
// stream per file), so the output only changes when this code does.
package samples

//go:generate go run ./gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// Names of the generated tree and manifest inside the samples directory.
const (
	TreeName     = "deliverable"
	ManifestName = "expected.json"
)

// seed is the fixed PCG seed; each file gets its own stream derived from
// its path, so changing one file's generator leaves the others alone.
const seed = 0x726f756569 // "rouei"

// Dir returns the samples directory of the source tree this package was
// built from (found through the location of this source file), for tests
// in other packages.
func Dir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "samples"
	}
	return filepath.Dir(file)
}

// DeliverableDir returns Dir()/deliverable.
func DeliverableDir() string { return filepath.Join(Dir(), TreeName) }

// ManifestPath returns Dir()/expected.json.
func ManifestPath() string { return filepath.Join(Dir(), ManifestName) }

// genFile is one generated file with its verdict, and for a container
// the verdicts of its leaf members.
type genFile struct {
	rel  string // path below the deliverable root, slash-separated
	data []byte
	exp  Expected
	// members are the container's scanned leaves. A container with members
	// gets no manifest entry of its own unless exp.Encoding is set (it is
	// expected to produce an error).
	members []genMember
}

// genMember is the verdict of one leaf inside a container. path is the
// suffix after the container's path: "!/setup/sample.zip!/data/予約.csv".
type genMember struct {
	path string
	exp  Expected
}

// file is a generated file that is not a container.
func file(rel string, data []byte, e Expected) genFile { return genFile{rel: rel, data: data, exp: e} }

// member is a leaf of a container, named name inside it.
func member(name string, e Expected) genMember { return genMember{"!/" + name, e} }

// nest puts the leaves of a container that is itself the member name of
// another container below that name.
func nest(name string, ms []genMember) []genMember {
	out := make([]genMember, len(ms))
	for i, m := range ms {
		out[i] = genMember{"!/" + name + m.path, m.exp}
	}
	return out
}

// genError carries an encoding failure out of the generators.
type genError struct{ err error }

// Build generates the deliverable in memory: the file contents by path
// relative to the samples directory ("deliverable/…") and the manifest.
func Build() (files map[string][]byte, m *Manifest, err error) {
	list, err := build()
	if err != nil {
		return nil, nil, err
	}
	files = make(map[string][]byte, len(list))
	m = &Manifest{}
	for _, f := range list {
		p := TreeName + "/" + f.rel
		files[p] = f.data
		if len(f.members) == 0 || f.exp.Encoding != "" {
			e := f.exp
			e.Path = p
			m.Files = append(m.Files, e)
		}
		for _, mb := range f.members {
			e := mb.exp
			e.Path = p + mb.path
			m.Files = append(m.Files, e)
		}
	}
	slices.SortFunc(m.Files, func(a, b Expected) int {
		switch {
		case a.Path < b.Path:
			return -1
		case a.Path > b.Path:
			return 1
		}
		return 0
	})
	return files, m, nil
}

// Generate (re)creates dir/deliverable/** and dir/expected.json, removing
// whatever was under dir/deliverable before.
func Generate(dir string) error {
	files, m, err := Build()
	if err != nil {
		return err
	}
	tree := filepath.Join(dir, TreeName)
	if err := os.RemoveAll(tree); err != nil {
		return fmt.Errorf("samples: %w", err)
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("samples: %w", err)
		}
		if err := os.WriteFile(dst, files[p], 0o644); err != nil {
			return fmt.Errorf("samples: %w", err)
		}
	}
	js, err := MarshalManifest(m)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestName), js, 0o644); err != nil {
		return fmt.Errorf("samples: %w", err)
	}
	return nil
}

// MarshalManifest renders m as written to expected.json.
func MarshalManifest(m *Manifest) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("samples: manifest: %w", err)
	}
	return buf.Bytes(), nil
}

// build runs every file generator.
func build() (files []genFile, err error) {
	defer func() {
		if r := recover(); r != nil {
			ge, ok := r.(genError)
			if !ok {
				panic(r)
			}
			err = ge.err
		}
	}()
	g := newGen()
	for _, fn := range generators {
		f := fn(g)
		f.exp.Planted = f.exp.Planted.dedup()
		f.exp.Benign = f.exp.Benign.dedup()
		for i := range f.members {
			e := &f.members[i].exp
			e.Planted = e.Planted.dedup()
			e.Benign = e.Benign.dedup()
		}
		files = append(files, f)
	}
	return files, nil
}

// gen holds what the file generators share.
type gen struct {
	people []*person
}

// newGen returns the generators' shared state: the population of 160.
func newGen() *gen {
	g := &gen{}
	g.people = population(g.rng("population"), 160, nil)
	return g
}

// rng returns the random stream for a name (a file path).
func (g *gen) rng(name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// pick returns n distinct people chosen by r.
func (g *gen) pick(r *rand.Rand, n int) []*person {
	idx := r.Perm(len(g.people))[:n]
	out := make([]*person, n)
	for i, j := range idx {
		out[i] = g.people[j]
	}
	return out
}

func (p Planted) dedup() Planted {
	d := func(l []string) []string {
		var out []string
		for _, v := range l {
			if v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	return Planted{
		Name: d(p.Name), NameKana: d(p.NameKana), Phone: d(p.Phone), Email: d(p.Email),
		Address: d(p.Address), PostalCode: d(p.PostalCode), BirthDate: d(p.BirthDate),
		MyNumber: d(p.MyNumber), PatronID: d(p.PatronID),
	}
}

// encode converts UTF-8 text with e, failing generation on any rune the
// encoding cannot represent.
func encode(e encoding.Encoding, s string) []byte {
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(genError{fmt.Errorf("samples: encoding to %v: %w", e, err)})
	}
	return b
}

func sjis(s string) []byte  { return encode(japanese.ShiftJIS, s) }
func eucjp(s string) []byte { return encode(japanese.EUCJP, s) }
func jis(s string) []byte   { return encode(japanese.ISO2022JP, s) }
func utf16le(s string) []byte {
	return encode(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), s)
}
func utf16be(s string) []byte {
	return encode(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), s)
}
