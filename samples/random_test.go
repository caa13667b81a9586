package samples

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/engine"
	"github.com/rouei/rouei/patterns"
	"github.com/rouei/rouei/report"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/width"
)

// Replaying: go test ./samples -run TestRandomLayouts -seed N (or
// ROUEI_SEED=N); -seeds K (ROUEI_SEEDS) runs K seeds from -seed-base
// (ROUEI_SEED_BASE, default 1).
var (
	flagSeed     = flag.Uint64("seed", 0, "randomised layout tests: replay this one seed")
	flagSeeds    = flag.Int("seeds", 0, "randomised layout tests: number of seeds (default 200, 40 with -short)")
	flagSeedBase = flag.Uint64("seed-base", 0, "randomised layout tests: first seed (default 1)")
)

func envUint(name string) uint64 {
	v, err := strconv.ParseUint(os.Getenv(name), 10, 64)
	if err != nil {
		return 0
	}
	return v
}

// knownGapsFile lists the seeds of the default run that the detectors
// still get wrong (open gaps): a ratchet, not a pass — a listed seed that
// passes fails the test until it is removed, an unlisted failure fails it.
const knownGapsFile = "testdata/random-known-gaps.txt"

var knownGaps = func() map[uint64]string {
	b, err := os.ReadFile(knownGapsFile)
	if err != nil {
		return nil
	}
	out := map[uint64]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l == "" || l[0] == '#' {
			continue
		}
		seed, rest, _ := strings.Cut(l, " ")
		if n, err := strconv.ParseUint(seed, 10, 64); err == nil {
			out[n] = rest
		}
	}
	return out
}()

// randomSeeds returns the seeds to run.
func randomSeeds() []uint64 {
	if s := *flagSeed; s != 0 {
		return []uint64{s}
	}
	if s := envUint("ROUEI_SEED"); s != 0 {
		return []uint64{s}
	}
	n := 200
	if testing.Short() {
		n = 40
	}
	if k := *flagSeeds; k > 0 {
		n = k
	} else if k := envUint("ROUEI_SEEDS"); k > 0 {
		n = int(k)
	}
	base := uint64(1)
	if b := *flagSeedBase; b != 0 {
		base = b
	} else if b := envUint("ROUEI_SEED_BASE"); b != 0 {
		base = b
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = base + uint64(i)
	}
	return out
}

func decoderFor(enc string) encoding.Encoding {
	switch enc {
	case EncShiftJIS:
		return japanese.ShiftJIS
	case EncEUCJP:
		return japanese.EUCJP
	case EncUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	}
	return nil
}

// decodeRandom returns the text of a generated file.
func decodeRandom(t *testing.T, f RandomFile) string {
	t.Helper()
	b := f.Data
	if d := decoderFor(f.Truth.Encoding); d != nil {
		var err error
		if b, err = d.NewDecoder().Bytes(b); err != nil {
			t.Fatalf("seed %d: does not decode as %s: %v", f.Seed, f.Truth.Encoding, err)
		}
	}
	s := strings.TrimPrefix(string(b), "\ufeff")
	if !utf8.ValidString(s) {
		t.Fatalf("seed %d: invalid text", f.Seed)
	}
	return s
}

func TestRandomDeterministic(t *testing.T) {
	for s := uint64(1); s <= 50; s++ {
		a, b := Random(s), Random(s)
		if string(a.Data) != string(b.Data) || a.Knobs.String() != b.Knobs.String() || a.Truth != b.Truth || a.Name != b.Name {
			t.Fatalf("seed %d: two runs differ", s)
		}
	}
}

// TestRandomTruthIsConsistent checks the generator against itself, not
// the detectors: files decode, leaks have people, negatives none, and the
// knobs cover every value over a few hundred seeds.
func TestRandomTruthIsConsistent(t *testing.T) {
	seen := map[string]map[string]bool{}
	note := func(k, v string) {
		if seen[k] == nil {
			seen[k] = map[string]bool{}
		}
		seen[k][v] = true
	}
	for s := uint64(1); s <= 600; s++ {
		f := Random(s)
		k := f.Knobs
		text := decodeRandom(t, f)
		if k.Preamble != "" {
			i := strings.Index(text, "writing list")
			if i < 60000 {
				t.Errorf("seed %d: preamble of %s ends at %d", s, k.Preamble, i)
			}
			if _, rest, ok := strings.Cut(text[i:], "\n"); ok {
				text = rest
			}
			note("preamble", "yes")
		}
		lines := strings.Count(text, "\n")
		if lines < 2 {
			t.Errorf("seed %d: %d lines (%s)", s, lines, k)
		}
		switch f.Truth.Classification {
		case "none":
			people := f.Truth.Dummy // names alone (a staff list) hold no one's record
			if people != (f.Truth.Persons > 0) || f.Truth.MaxSeverity != map[bool]string{true: "info", false: "low"}[f.Truth.Dummy] {
				t.Errorf("seed %d: negative truth %+v (%s)", s, f.Truth, k)
			}
		default:
			if f.Truth.Persons < 1 || f.Truth.Dummy || f.Truth.MinSeverity == "none" {
				t.Errorf("seed %d: leak truth %+v (%s)", s, f.Truth, k)
			}
			if f.Truth.Classification == "contact_list" && f.Truth.Persons > 1 && f.Truth.Persons < 5 {
				t.Errorf("seed %d: a contact list of %d", s, f.Truth.Persons)
			}
		}
		if k.Rows < k.People && k.Kind != "catalogue" && k.Kind != "libphones" && k.Kind != "wordlist" {
			t.Errorf("seed %d: %d rows for %d people", s, k.Rows, k.People)
		}
		if i := slices.Index(k.Columns, "sei"); i >= 0 && (i+1 >= len(k.Columns) || k.Columns[i+1] != "mei") {
			t.Errorf("seed %d: 姓 and 名 apart: %v", s, k.Columns)
		}
		if k.Dup && k.MaxLoans < 2 {
			t.Errorf("seed %d: dup without several rows", s)
		}
		if len(k.Headers) > 0 && k.Layout != "blocks" {
			first := strings.SplitN(text, "\n", 2)[0]
			if !strings.Contains(first, strings.Trim(k.Headers[0], `"`)) {
				t.Errorf("seed %d: first line is not the header row (%s)", s, k)
			}
		}
		if strings.Contains(k.Layout, "noheader") && k.Hint != "title" && !strings.HasPrefix(k.Hint, "title") {
			for _, h := range k.Headers {
				if strings.Contains(text, h) {
					t.Errorf("seed %d: headerless file holds header %s", s, h)
				}
			}
		}
		note("kind", k.Kind)
		note("layout", k.Layout)
		note("enc", k.Encoding)
		note("names", k.Names)
		note("script", k.Script)
		note("split", fmt.Sprint(k.Split))
		note("dup", fmt.Sprint(k.Dup))
		note("blocksep", k.BlockSep)
		note("dates", k.DateFmt)
		note("valwidth", k.ValWidth)
		note("hdrwidth", k.HdrWidth)
		note("libphone", fmt.Sprint(k.LibPhone))
		note("phones", k.Phones)
		note("address", k.Address)
	}
	want := map[string][]string{
		"kind":     {"overdue", "hold", "history", "registry", "contact", "single", "staff", "catalogue", "libphones", "wordlist", "dummy"},
		"layout":   {"csv", "csv-quoted", "tsv", "fixed", "csv-noheader", "fixed-noheader", "blocks", "dict-mecab", "dict-skk", "dict-anthy"},
		"enc":      {"utf-8", "utf-8-bom", "cp932", "euc-jp", "utf-16le-bom"},
		"names":    {"population", "ipadic", "outside", "common", "dummy"},
		"script":   {"kanji", "katakana", "halfkana"},
		"split":    {"true", "false"},
		"dup":      {"true", "false"},
		"blocksep": {"blank", "rule", "formfeed"},
		"dates":    {"slash", "iso", "kanji", "wareki"},
		"valwidth": {"half", "full"},
		"hdrwidth": {"half", "full", "halfkana"},
		"preamble": {"yes"},
		"phones":   {"hyphen", "paren", "bare"},
		"address":  {"hyphen", "chome"},
		"libphone": {"true"},
	}
	for k, vs := range want {
		for _, v := range vs {
			if !seen[k][v] {
				t.Errorf("knob %s=%s never drawn in 600 seeds", k, v)
			}
		}
	}
}

// TestOutsideNamesAreOutside: the "outside" surnames are in no name
// table, the "ipadic" ones in none of the samples' own.
func TestOutsideNamesAreOutside(t *testing.T) {
	known := map[string]bool{}
	for _, f := range []string{"surnames.txt", "given_names.txt"} {
		for _, l := range patterns.Lines(f) {
			s, _, _ := strings.Cut(l, "\t")
			known[s] = true
		}
	}
	own := map[string]bool{}
	for _, l := range [][]nameEntry{surnames, maleNames, femaleNames, rareSurnames} {
		for _, e := range l {
			own[e.kanji] = true
		}
	}
	out := outsideSurnames()
	if len(out) < 100 {
		t.Fatalf("%d outside surnames", len(out))
	}
	for _, s := range out {
		if known[s] || own[s] || patterns.Surnames().Has(s) {
			t.Errorf("outside surname %s is in a name table", s)
		}
	}
	sur, given := outsideOnce()
	if len(sur) < 1000 || len(given) < 1000 {
		t.Fatalf("%d ipadic surnames, %d given names", len(sur), len(given))
	}
	for _, l := range [][]nameEntry{sur, given} {
		for _, e := range l {
			if own[e.kanji] {
				t.Errorf("ipadic name %s is one of the samples' own", e.kanji)
			}
		}
	}
}

// randomResult is one seed's outcome, as written to ROUEI_RANDGEN_OUT
// (JSON lines, for a failure report): knobs, truth and verdict, no values.
type randomResult struct {
	Seed     uint64   `json:"seed"`
	Knobs    Knobs    `json:"knobs"`
	Truth    Truth    `json:"truth"`
	Class    string   `json:"class"`
	Severity string   `json:"severity"`
	Persons  int      `json:"persons"`
	Dummy    bool     `json:"dummy"`
	Encoding string   `json:"encoding"`
	Fields   []string `json:"fields,omitempty"`
	Failures []string `json:"failures,omitempty"`
}

// TestRandomLayouts scans every generated file through the engine and
// holds its verdict to the generator's truth: classification, severity,
// persons (exact), dummy and encoding. A failure prints the seed, the
// knobs and the verdict, never a value.
func TestRandomLayouts(t *testing.T) {
	seeds := randomSeeds()
	dir := t.TempDir()
	files := make([]RandomFile, len(seeds))
	paths := make([]string, len(seeds))
	for i, s := range seeds {
		f := Random(s)
		files[i] = f
		d := filepath.Join(dir, fmt.Sprintf("c%d", s))
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		paths[i] = filepath.Join(d, f.Name)
		if err := os.WriteFile(paths[i], f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := engine.Scan(context.Background(), []string{dir}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]report.File{}
	for _, f := range r.Files {
		got[f.Path] = f
	}
	for _, e := range r.Errors {
		t.Errorf("scan error on %s: %s", filepath.Base(filepath.Dir(e.Path)), e.Error)
	}
	for _, sk := range r.Skipped {
		t.Errorf("%s was skipped (%s): a skipped file is not judged", filepath.Base(filepath.Dir(sk.Path)), sk.Reason)
	}
	if r.Stats.Files != len(files) {
		t.Errorf("%d files scanned of %d", r.Stats.Files, len(files))
	}
	var out *json.Encoder
	if p := os.Getenv("ROUEI_RANDGEN_OUT"); p != "" {
		w, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		out = json.NewEncoder(w)
		out.SetEscapeHTML(false)
	}
	// One subtest per kind, so that -run TestRandomLayouts/staff shows
	// one class of failures (every seed is still generated and scanned).
	byKind := map[string][]int{}
	var kinds []string
	for i, f := range files {
		if _, ok := byKind[f.Knobs.Kind]; !ok {
			kinds = append(kinds, f.Knobs.Kind)
		}
		byKind[f.Knobs.Kind] = append(byKind[f.Knobs.Kind], i)
	}
	slices.Sort(kinds)
	failed := map[string]int{}
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			for _, i := range byKind[kind] {
				f := files[i]
				v, ok := got[paths[i]]
				if !ok {
					v = report.File{Classification: "none", Severity: detectors.None}
				}
				fails := judgeRandom(f.Truth, v)
				if out != nil {
					if err := out.Encode(randomResult{Seed: f.Seed, Knobs: f.Knobs, Truth: f.Truth, Class: v.Classification,
						Severity: v.Severity.String(), Persons: v.Persons, Dummy: v.Dummy, Encoding: v.Encoding,
						Fields: v.Fields, Failures: fails}); err != nil {
						t.Fatal(err)
					}
				}
				if _, known := knownGaps[f.Seed]; known {
					if len(fails) == 0 {
						t.Errorf("seed %d now passes: remove it from %s", f.Seed, knownGapsFile)
					} else {
						t.Logf("seed %d: known gap (%s): %s", f.Seed, knownGapsFile, strings.Join(fails, "; "))
					}
					continue
				}
				if len(fails) == 0 {
					continue
				}
				failed[kind]++
				t.Errorf("seed %d: %s\n\t%s\n\twant class=%s severity=%s..%s persons=%d dummy=%v encoding=%s\n\tgot  class=%s severity=%s persons=%d dummy=%v encoding=%s fields=%v\n\treplay: go test ./samples -run TestRandomLayouts -seed %d",
					f.Seed, strings.Join(fails, "; "), f.Knobs, f.Truth.Classification, f.Truth.MinSeverity, f.Truth.MaxSeverity,
					f.Truth.Persons, f.Truth.Dummy, f.Truth.Encoding, v.Classification, v.Severity, v.Persons, v.Dummy,
					v.Encoding, v.Fields, f.Seed)
			}
		})
	}
	if len(failed) > 0 {
		var counts []string
		for _, k := range kinds {
			if failed[k] > 0 {
				counts = append(counts, fmt.Sprintf("%s:%d/%d", k, failed[k], len(byKind[k])))
			}
		}
		t.Logf("failing seeds by kind (of %d): %s", len(seeds), strings.Join(counts, " "))
	}
}

// judgeRandom lists how verdict v departs from truth t.
func judgeRandom(t Truth, v report.File) []string {
	var fails []string
	if v.Classification != t.Classification {
		fails = append(fails, "classification")
	}
	lo, _ := detectors.ParseSeverity(t.MinSeverity)
	hi, _ := detectors.ParseSeverity(t.MaxSeverity)
	if v.Severity < lo || v.Severity > hi {
		fails = append(fails, "severity")
	}
	if v.Persons != t.Persons {
		fails = append(fails, "persons")
	}
	if v.Dummy != t.Dummy {
		fails = append(fails, "dummy")
	}
	// A file without findings has no verdict and so no encoding to judge.
	if v.Encoding != "" && v.Encoding != t.Encoding {
		fails = append(fails, "encoding")
	}
	return fails
}

// TestRandomDump writes the files of the chosen seeds, and their knobs
// and truth, to the directory ROUEI_RANDGEN_DUMP (for looking at them).
func TestRandomDump(t *testing.T) {
	dir := os.Getenv("ROUEI_RANDGEN_DUMP")
	if dir == "" {
		t.Skip("ROUEI_RANDGEN_DUMP not set")
	}
	for _, s := range randomSeeds() {
		f := Random(s)
		d := filepath.Join(dir, fmt.Sprintf("c%d", s))
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		info := fmt.Sprintf("%s\n%+v\n", f.Knobs, f.Truth)
		if err := os.WriteFile(filepath.Join(d, "truth.txt"), []byte(info), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRandomPersonsMatchPatronIDs reads the generated delimited tables
// back and counts the distinct patron IDs: it must equal the truth's
// persons, however the names are spelled.
func TestRandomPersonsMatchPatronIDs(t *testing.T) {
	checked := 0
	for s := uint64(1); s <= 600; s++ {
		f := Random(s)
		k := f.Knobs
		col := slices.Index(k.Columns, "id")
		if col < 0 || f.Truth.Classification == "none" {
			continue
		}
		var comma rune
		switch k.Layout {
		case "csv", "csv-quoted", "csv-noheader":
			comma = ','
		case "tsv":
			comma = '\t'
		default:
			continue
		}
		text := decodeRandom(t, f)
		cr := csv.NewReader(strings.NewReader(text))
		cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = comma, -1, true
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("seed %d: %v", s, err)
		}
		ids := map[string]bool{}
		for _, rec := range recs {
			if len(rec) != len(k.Columns) {
				continue // a title line
			}
			ids[width.Fold.String(rec[col])] = true
		}
		if len(k.Headers) > 0 {
			delete(ids, width.Fold.String(k.Headers[col]))
		}
		if len(ids) != f.Truth.Persons {
			t.Errorf("seed %d: %d patron IDs, truth says %d persons (%s)", s, len(ids), f.Truth.Persons, k)
		}
		checked++
	}
	if checked < 50 {
		t.Fatalf("only %d files checked", checked)
	}
}
