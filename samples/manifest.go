package samples

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"golang.org/x/text/width"
)

// Encoding names used in the manifest.
const (
	EncUTF8     = "utf-8"
	EncUTF16LE  = "utf-16le"
	EncUTF16BE  = "utf-16be"
	EncShiftJIS = "shift_jis"
	EncEUCJP    = "euc-jp"
	EncISO2022  = "iso-2022-jp"
	EncBinary   = "binary"
)

// Manifest is the list of expected verdicts for every file of the
// generated deliverable (samples/expected.json).
type Manifest struct {
	Files []Expected `json:"files"`
}

// Expected is the verdict a correct scan gives one generated file.
type Expected struct {
	// Path is slash-separated and relative to the samples directory
	// ("deliverable/data/old/tokusoku_200506.csv"). A leaf inside a
	// container has the scanner's member path, levels joined by "!/":
	// "deliverable/release/ils-2.3.tar.gz!/setup/sample.zip!/督促/延滞.csv".
	// The stream of a single-file compressor (gzip, bzip2, xz, zstd) is
	// named after the file without its extension; an xlsx sheet by its
	// sheet name ("book.xlsx!/督促"), a SQLite table by its table name
	// ("ils.sqlite!/PATRON"), a docx's text as "letter.docx!/document",
	// a pptx slide as "kenshu_2011.pptx!/slide2", an xls sheet by its
	// name ("riyosha.xls!/利用者"); members of 7z, ISO (Rock Ridge names),
	// LZH and CAB archives by their path inside ("setup.7z!/sample/延滞者一覧.csv").
	// A container file has an entry of its own only when it is expected
	// to produce an error (see Errors).
	Path string `json:"path"`
	// Encoding is one of the Enc* names: the leaf's bytes as the scanner
	// reads them (utf-8 for text extracted from sheets, tables and
	// documents; binary for a container expected to fail).
	Encoding string `json:"encoding"`
	// Leak is true when the file holds real-looking personal data.
	Leak bool `json:"leak"`
	// MinSeverity is the lowest acceptable file severity (contract name:
	// "critical" … "none"); MaxSeverity the highest acceptable one.
	MinSeverity string `json:"min_severity"`
	MaxSeverity string `json:"max_severity"`
	// Classification is the contract classification (overdue_list, …, none).
	Classification string `json:"classification"`
	// Persons is the exact number of distinct people whose data the file
	// holds (for the dummy fixture: the number of distinct dummy people).
	Persons int `json:"persons"`
	// Dummy is true when the file's personal data is recognisable test data.
	Dummy bool `json:"dummy"`
	// Planted lists the personal data values put into the file. A scan must
	// find the phones and must never print any of these unmasked.
	Planted Planted `json:"planted"`
	// Benign lists values that occur in the file but are not personal data
	// of a patron (the library's own phone number, authors of books, the
	// vendor's support address). They must not raise the file to high.
	Benign Planted `json:"benign"`
	// Errors, when set, says the scan must report at least one error for
	// this path or a member below it (the error's path is Path or starts
	// with Path+"!/"), and lists substrings that must each occur in the
	// text of one of those errors ("encrypted", "limit", "escapes" …).
	// Entries without Errors must produce no error.
	Errors []string `json:"errors,omitempty"`
}

// Planted holds values by contract category. Phones, postal codes and
// My Numbers are normalised (ASCII digits, '-' hyphens; My Numbers as 12
// bare digits); birth dates are ISO yyyy-mm-dd; names, kana readings,
// addresses and e-mail addresses are as written in the decoded file
// (names may hold U+3000 or a space between surname and given name, kana
// may be half-width). Each list is deduplicated, in order of first
// appearance.
type Planted struct {
	Name       []string `json:"name,omitempty"`
	NameKana   []string `json:"name_kana,omitempty"`
	Phone      []string `json:"phone,omitempty"`
	Email      []string `json:"email,omitempty"`
	Address    []string `json:"address,omitempty"`
	PostalCode []string `json:"postal_code,omitempty"`
	BirthDate  []string `json:"birth_date,omitempty"`
	MyNumber   []string `json:"my_number,omitempty"`
	PatronID   []string `json:"patron_id,omitempty"`
}

// Empty reports whether no value is listed.
func (p Planted) Empty() bool { return len(p.Values()) == 0 }

// Values returns every listed value once, in category order.
func (p Planted) Values() []string {
	var out []string
	for _, l := range [][]string{p.Name, p.NameKana, p.Phone, p.Email, p.Address, p.PostalCode, p.BirthDate, p.MyNumber, p.PatronID} {
		for _, v := range l {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// Sensitive returns the strings that must not appear in a masked report:
// every value together with its usual spellings (names with no, an ASCII
// or an ideographic space; kana folded to full width; phones and postal
// codes without hyphens). Birth dates are only listed in ISO form and
// patron IDs are left out (too short to be unique in a report).
func (p Planted) Sensitive() []string {
	var out []string
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, l := range [][]string{p.Name, p.NameKana} {
		for _, v := range l {
			f := width.Fold.String(v)
			bare := strings.NewReplacer(" ", "", "\u3000", "").Replace(f)
			add(v)
			add(f)
			add(bare)
			if sp := strings.ReplaceAll(f, "\u3000", " "); sp != f {
				add(sp)
				add(strings.ReplaceAll(f, " ", "\u3000"))
			}
		}
	}
	for _, v := range p.Phone {
		add(v)
		add(strings.ReplaceAll(v, "-", ""))
	}
	for _, v := range p.PostalCode {
		add(v)
	}
	for _, l := range [][]string{p.Email, p.Address, p.BirthDate, p.MyNumber} {
		for _, v := range l {
			add(v)
		}
	}
	return out
}

// LoadManifest reads a manifest written by Generate.
func LoadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("samples: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("samples: %s: %w", path, err)
	}
	return &m, nil
}

// Lookup returns the entry for path (relative to the samples directory,
// slash-separated), or nil.
func (m *Manifest) Lookup(path string) *Expected {
	for i := range m.Files {
		if m.Files[i].Path == path {
			return &m.Files[i]
		}
	}
	return nil
}

// Leaks returns the entries with Leak set.
func (m *Manifest) Leaks() []Expected {
	var out []Expected
	for _, e := range m.Files {
		if e.Leak {
			out = append(out, e)
		}
	}
	return out
}
