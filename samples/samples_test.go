package samples

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
	"github.com/rouei/rouei/patterns"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/width"
)

const stale = "samples are stale: run go generate ./samples/..."

// readTree returns the files under root/deliverable and root/expected.json
// by slash path relative to root.
func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(filepath.Join(root, TreeName), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", stale, err)
	}
	if b, err := os.ReadFile(filepath.Join(root, ManifestName)); err == nil {
		out[ManifestName] = b
	}
	return out
}

func TestCommittedSamplesUpToDate(t *testing.T) {
	tmp := t.TempDir()
	if err := Generate(tmp); err != nil {
		t.Fatal(err)
	}
	want := readTree(t, tmp)
	got := readTree(t, ".")
	if _, ok := want[ManifestName]; !ok {
		t.Fatal("Generate wrote no manifest")
	}
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			t.Errorf("%s: %s is missing", stale, p)
		case !bytes.Equal(g, w):
			t.Errorf("%s: %s differs", stale, p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s is extra", stale, p)
		}
	}
}

func TestGenerateReplacesStaleContent(t *testing.T) {
	tmp := t.TempDir()
	junk := filepath.Join(tmp, TreeName, "old", "junk.txt")
	if err := os.MkdirAll(filepath.Dir(junk), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(junk, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Generate(tmp); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(junk); !os.IsNotExist(err) {
		t.Errorf("stale file survived Generate: %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	a, ma, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	b, mb, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ma, mb) {
		t.Error("two builds give different manifests")
	}
	for p := range a {
		if !bytes.Equal(a[p], b[p]) {
			t.Errorf("%s differs between two builds", p)
		}
	}
}

// load returns the committed manifest and the content of every entry
// by path: the file, or for a member path the member's bytes (the text
// extracted from a sheet, table or document). Entries expected to fail
// (Errors set) map to the container's own bytes.
func load(t *testing.T) (*Manifest, map[string][]byte) {
	t.Helper()
	m, err := LoadManifest(ManifestName)
	if err != nil {
		t.Fatal(err)
	}
	files := readTree(t, ".")
	for _, e := range m.Files {
		if !strings.Contains(e.Path, "!/") {
			continue
		}
		b, err := resolve(files, e.Path)
		if err != nil {
			t.Fatalf("%s: %v", stale, err)
		}
		files[e.Path] = b
	}
	return m, files
}

// scannable reports whether the entry has content to check: entries
// expected to fail are checked by TestBadInputs.
func scannable(e Expected) bool { return len(e.Errors) == 0 }

func TestSizeAndManifestCoverage(t *testing.T) {
	m, _ := load(t)
	files := readTree(t, ".")
	total := 0
	for p, b := range files {
		total += len(b)
		if p != ManifestName && m.Lookup(p) == nil &&
			!slices.ContainsFunc(m.Files, func(e Expected) bool { return strings.HasPrefix(e.Path, p+"!/") }) {
			t.Errorf("%s has no manifest entry, nor any of its members", p)
		}
	}
	if total >= 5<<20 {
		t.Errorf("samples take %d bytes, want < 5 MB", total)
	}
	seen := map[string]bool{}
	for _, e := range m.Files {
		if seen[e.Path] {
			t.Errorf("%s listed twice", e.Path)
		}
		seen[e.Path] = true
		if _, ok := files[strings.Split(e.Path, "!/")[0]]; !ok {
			t.Errorf("manifest entry %s does not exist", e.Path)
		}
		if strings.Contains(e.Path, "!/") && m.Lookup(strings.Split(e.Path, "!/")[0]) != nil {
			t.Errorf("%s: its container has an entry of its own", e.Path)
		}
		for _, w := range e.Errors {
			if w == "" || e.Leak {
				t.Errorf("%s: empty expected error or an error on a leak", e.Path)
			}
		}
		for _, s := range []string{e.MinSeverity, e.MaxSeverity} {
			if !slices.Contains([]string{"none", "info", "low", "medium", "high", "critical"}, s) {
				t.Errorf("%s: bad severity %q", e.Path, s)
			}
		}
		if e.Leak != (e.Classification != "none") {
			t.Errorf("%s: leak %v with classification %q", e.Path, e.Leak, e.Classification)
		}
		if e.Leak && (e.Persons == 0 || e.MinSeverity == "none" || e.Planted.Empty()) {
			t.Errorf("%s: leak without persons, severity or planted values", e.Path)
		}
		if !e.Leak && !e.Dummy && (e.Persons != 0 || !e.Planted.Empty() || e.MaxSeverity != "low") {
			t.Errorf("%s: clean file with persons or planted values or max %q", e.Path, e.MaxSeverity)
		}
	}
	if len(m.Leaks()) != 26 {
		t.Errorf("%d leaking files, want 26", len(m.Leaks()))
	}
	_, built, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m, built) {
		t.Error("LoadManifest does not give back the built manifest")
	}
}

// headerWord is a word each text file's decoded content must contain.
var headerWord = map[string]string{
	"deliverable/data/old/tokusoku_200506.csv":                           "利用者番号",
	"deliverable/data/contacts/renrakusaki.csv":                          "氏名",
	"deliverable/data/loans/kashidashi.txt":                              "利用者番号",
	"deliverable/data/holds/yoyaku_list.csv":                             "予約番号",
	"deliverable/data/registry/riyosha_touroku.tsv":                      "個人番号",
	"deliverable/mail/reminder.eml!/body":                                "様",
	"deliverable/print/tokusoku_hagaki.prn":                              "返却期限",
	"deliverable/docs/README.txt":                                        "リリースノート",
	"deliverable/docs/manual_ja.md":                                      "運用マニュアル",
	"deliverable/templates/overdue_notice.html":                          "{{.Name}} 様",
	"deliverable/data/catalog/biblio_export.tsv":                         "著者名",
	"deliverable/tests/fixtures/dummy_patrons.csv":                       "山田太郎",
	"deliverable/data/import_template.csv":                               "生年月日",
	"deliverable/lib/sql/create_patron.sql":                              "氏名",
	"deliverable/lib/conf/ilsctl.properties":                             "保護者",
	"deliverable/db/patron.dmp":                                          "PATRON",
	"deliverable/bin/ilsctl":                                             "Usage: ilsctl",
	"deliverable/lib/src/jp/example/ils/patron/PatronDao.java":           "電話番号",
	"deliverable/lib/src/jp/example/ils/circulation/OverdueService.java": "督促",
	"deliverable/data/export/entai_noheader.csv":                         "\u3000",
	"deliverable/print/entai_ichiran.txt":                                "延滞者一覧表",
	"deliverable/data/holds/yoyaku_bunkan.tsv":                           "取置期限",
	"deliverable/docs/release_notes_ja.txt":                              "改版履歴",
	"deliverable/data/staff/kakari_renraku.csv":                          "部署名",

	"deliverable/release/ils-2.3.tar.gz!/README.txt":                    "リリースノート",
	"deliverable/release/ils-2.3.tar.gz!/bin/ilsctl":                    "Usage: ilsctl",
	"deliverable/release/ils-2.3.tar.gz!/conf/ilsctl.properties":        "保護者",
	"deliverable/release/ils-2.3.tar.gz!/sql/create_patron.sql":         "氏名",
	"deliverable/release/ils-2.3.tar.gz!/setup/sample.zip!/督促/延滞.csv":   "返却期限",
	"deliverable/release/ils-2.3.tar.gz!/setup/sample.zip!/data/予約.csv": "予約番号",
	"deliverable/release/ils-2.3.tar.gz!/setup/template.xlsx!/督促":       "利用者番号\t氏名\t電話番号",
	"deliverable/release/ils-2.3.tar.gz!/setup/template.xlsx!/集計":       "延滞件数",
	"deliverable/data/excel/tokusoku.xlsx!/督促":                          "利用者番号\t氏名\t電話番号",
	"deliverable/data/excel/tokusoku.xlsx!/集計":                          "合計",
	"deliverable/data/excel/zousho.xlsx!/蔵書":                            "書名\t著者名\t出版者\tISBN",
	"deliverable/db/ils.sqlite!/PATRON":                                 "PATRON_NO\tSHIMEI\tKANA\tTEL\tJUSHO\tBIRTH",
	"deliverable/db/ils.sqlite!/BRANCH":                                 "中央図書館",
	"deliverable/db/schema_only.sqlite!/PATRON":                         "PATRON_NO",
	"deliverable/db/schema_only.sqlite!/BRANCH":                         "BRANCH_NAME",
	"deliverable/mail/letter.docx!/document":                            "様\n",
	"deliverable/logs/patron_export.csv.bz2!/patron_export.csv":         "メールアドレス",
	"deliverable/logs/patron_export2.csv.xz!/patron_export2.csv":        "フリガナ",
	"deliverable/logs/contacts.csv.zst!/contacts.csv":                   "携帯電話",
	"deliverable/bad/empty.xlsx":                                        "",
	"deliverable/docs/kenshu_2011.pptx!/slide1":                         "研修資料",
	"deliverable/docs/kenshu_2011.pptx!/slide2":                         "予約番号\t氏名\t電話番号\t書名\t取置期限",
	"deliverable/docs/kenshu_2011.pptx!/slide3":                         "取置期限",
	"deliverable/install/setup.7z!/sample/延滞者一覧.csv":                    "返却期限",
	"deliverable/install/setup.7z!/readme.txt":                          "セットアップ",
	"deliverable/media/delivery.iso!/data/利用者一覧.csv":                    "フリガナ",
	"deliverable/media/delivery.iso!/README.TXT":                        "納品媒体",
	"deliverable/data/excel/riyosha.xls!/利用者":                           "利用者番号\t氏名\tフリガナ\t生年月日",
	"deliverable/data/excel/riyosha.xls!/凡例":                            "項目\t説明",
	"deliverable/install/patch.lzh!/督促.csv":                             "カナ氏名",
	"deliverable/install/driver.cab!/renraku.csv":                       "携帯電話",
	"deliverable/install/driver.cab!/kiosk.inf":                         "[Version]",
}

// decodeStrict decodes b with e and fails on any replacement character or
// when re-encoding does not give b back.
func decodeStrict(t *testing.T, path string, e encoding.Encoding, b []byte) string {
	t.Helper()
	d, err := e.NewDecoder().Bytes(b)
	if err != nil {
		t.Errorf("%s: decode: %v", path, err)
		return ""
	}
	if bytes.ContainsRune(d, utf8.RuneError) {
		t.Errorf("%s: decoding gives U+FFFD", path)
	}
	if back, err := e.NewEncoder().Bytes(d); err != nil || !bytes.Equal(back, b) {
		t.Errorf("%s: does not round-trip through its encoding (%v)", path, err)
	}
	return string(d)
}

// decoded returns the text of a generated file, checking that its
// encoding is what the manifest says.
func decoded(t *testing.T, e Expected, b []byte) string {
	t.Helper()
	switch e.Encoding {
	case EncUTF8:
		if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
			t.Errorf("%s: not clean UTF-8", e.Path)
		}
		return string(b)
	case EncShiftJIS, EncEUCJP:
		if utf8.Valid(b) {
			t.Errorf("%s: %s file is valid UTF-8", e.Path, e.Encoding)
		}
		enc := japanese.ShiftJIS
		if e.Encoding == EncEUCJP {
			enc = japanese.EUCJP
		}
		return decodeStrict(t, e.Path, enc, b)
	case EncUTF16LE:
		if !bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.IndexByte(b, 0) < 0 {
			t.Errorf("%s: no UTF-16LE BOM or no NUL bytes", e.Path)
		}
		return strings.TrimPrefix(decodeStrict(t, e.Path, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), b), "\ufeff")
	case EncUTF16BE:
		if !bytes.HasPrefix(b, []byte{0xfe, 0xff}) || bytes.IndexByte(b, 0) < 0 {
			t.Errorf("%s: no UTF-16BE BOM or no NUL bytes", e.Path)
		}
		return strings.TrimPrefix(decodeStrict(t, e.Path, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), b), "\ufeff")
	case EncISO2022:
		for _, c := range b {
			if c >= 0x80 {
				t.Errorf("%s: 8-bit byte in ISO-2022-JP", e.Path)
				break
			}
		}
		if !bytes.Contains(b, []byte("\x1b$B")) || !bytes.Contains(b, []byte("charset=ISO-2022-JP")) {
			t.Errorf("%s: no JIS escape or charset header", e.Path)
		}
		return decodeStrict(t, e.Path, japanese.ISO2022JP, b)
	case EncBinary:
		if bytes.IndexByte(b, 0) < 0 || utf8.Valid(b) {
			t.Errorf("%s: binary file without NUL bytes or valid UTF-8", e.Path)
		}
		// CP932 strings between binary data: decoding is lossy, but
		// records bounded by NUL bytes come through whole.
		d, _ := japanese.ShiftJIS.NewDecoder().Bytes(b)
		return string(d)
	}
	t.Errorf("%s: unknown encoding %q", e.Path, e.Encoding)
	return ""
}

func TestEncodings(t *testing.T) {
	m, files := load(t)
	for _, e := range m.Files {
		if !scannable(e) {
			continue
		}
		text := decoded(t, e, files[e.Path])
		w, ok := headerWord[e.Path]
		if !ok {
			t.Errorf("%s: no header word in the test table", e.Path)
			continue
		}
		if !strings.Contains(text, w) {
			t.Errorf("%s: decoded text lacks %q", e.Path, w)
		}
	}
}

// textForm folds widths, removes the spaces of spaced My Numbers and turns
// "(0564)23-4567" into "0564-23-4567", so planted values can be looked up.
var areaParen = regexp.MustCompile(`\((0\d{1,4})\)`)

func textForm(s string) string {
	s = width.Fold.String(s)
	return areaParen.ReplaceAllString(s, "$1-")
}

var spacedMyNumber = regexp.MustCompile(`\b(\d{4}) (\d{4}) (\d{4})\b`)

func TestPlantedValuesPresent(t *testing.T) {
	m, files := load(t)
	for _, e := range m.Files {
		if !scannable(e) {
			continue
		}
		raw := decoded(t, e, files[e.Path])
		text := textForm(raw)
		text = spacedMyNumber.ReplaceAllString(text, "$1$2$3")
		check := func(kind string, vals []string, in string) {
			for i, v := range vals {
				if !strings.Contains(in, v) {
					t.Errorf("%s: planted %s #%d not in the file", e.Path, kind, i)
				}
			}
		}
		for _, pl := range []Planted{e.Planted, e.Benign} {
			check("name", pl.Name, raw)
			check("name_kana", pl.NameKana, raw)
			check("address", pl.Address, raw)
			check("email", pl.Email, text)
			check("phone", pl.Phone, text)
			check("postal_code", pl.PostalCode, text)
			check("my_number", pl.MyNumber, text)
			check("patron_id", pl.PatronID, text)
			for i, v := range pl.BirthDate {
				d, err := time.Parse("2006-01-02", v)
				if err != nil {
					t.Errorf("%s: birth date #%d not ISO", e.Path, i)
					continue
				}
				if !strings.Contains(text, v) && !strings.Contains(text, d.Format("2006/01/02")) && !strings.Contains(text, warekiLong(d)) &&
					!strings.Contains(text, warekiShort(d)) {
					t.Errorf("%s: birth date #%d not in the file", e.Path, i)
				}
			}
		}
	}
}

func TestPersonsAndRows(t *testing.T) {
	m, files := load(t)
	for _, e := range m.Files {
		if !e.Leak && !e.Dummy {
			continue
		}
		if len(e.Planted.Name) != e.Persons {
			t.Errorf("%s: %d distinct names planted, manifest says %d persons", e.Path, len(e.Planted.Name), e.Persons)
		}
	}
	// Lists with one row per book hold more rows than persons.
	for _, p := range []string{
		"deliverable/data/old/tokusoku_200506.csv",
		"deliverable/data/loans/kashidashi.txt",
		"deliverable/data/holds/yoyaku_list.csv",
		"deliverable/data/export/entai_noheader.csv",
		"deliverable/print/entai_ichiran.txt",
		"deliverable/data/holds/yoyaku_bunkan.tsv",
		"deliverable/data/excel/tokusoku.xlsx!/督促",
		"deliverable/release/ils-2.3.tar.gz!/setup/sample.zip!/督促/延滞.csv",
		"deliverable/release/ils-2.3.tar.gz!/setup/template.xlsx!/督促",
		"deliverable/install/setup.7z!/sample/延滞者一覧.csv",
		"deliverable/install/patch.lzh!/督促.csv",
	} {
		e := m.Lookup(p)
		if e == nil {
			t.Fatalf("%s not in the manifest", p)
		}
		rows := len(recordLines(decoded(t, *e, files[p]), e.Planted.PatronID))
		if rows <= e.Persons {
			t.Errorf("%s: %d rows for %d persons, want more rows", p, rows, e.Persons)
		}
	}
	if e := m.Lookup("deliverable/data/old/tokusoku_200506.csv"); e == nil || e.Persons != 40 ||
		!bytes.Contains(files[e.Path], []byte("\r\n")) {
		t.Error("overdue list: want 40 persons and CRLF line ends")
	}
}

// recordLines returns the lines of text that hold one of the patron IDs.
func recordLines(text string, ids []string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		for _, id := range ids {
			if strings.Contains(l, id) {
				out = append(out, strings.TrimRight(l, "\r"))
				break
			}
		}
	}
	return out
}

func TestHeaderlessExport(t *testing.T) {
	m, files := load(t)
	e := m.Lookup("deliverable/data/export/entai_noheader.csv")
	if e == nil {
		t.Fatal("headerless export not in the manifest")
	}
	text := decoded(t, *e, files[e.Path])
	all := strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n")
	rows := recordLines(text, e.Planted.PatronID)
	if len(rows) != len(all) {
		t.Errorf("%d lines, %d of them rows: want every line a row (no header)", len(all), len(rows))
	}
	dueDate := regexp.MustCompile(`^20\d\d/\d\d/\d\d$`)
	for i, r := range rows {
		f := strings.Split(r, ",")
		if len(f) != 6 || !dueDate.MatchString(f[5]) || strings.Count(f[1], "\u3000") != 1 {
			t.Errorf("row %d: want 6 fields, a full-width space in the name and a due date last", i+1)
		}
	}
}

func TestPrintListing(t *testing.T) {
	m, files := load(t)
	e := m.Lookup("deliverable/print/entai_ichiran.txt")
	if e == nil {
		t.Fatal("print listing not in the manifest")
	}
	text := decoded(t, *e, files[e.Path])
	pages := strings.Split(text, "\f")
	if len(pages) != 2 {
		t.Fatalf("%d pages, want 2", len(pages))
	}
	labels := []string{"利用者番号", "氏名", "電話番号", "書名", "返却期限", "延滞日数"}
	gap := regexp.MustCompile(` {2,}`)
	total := 0
	for pi, page := range pages {
		var header string
		for _, l := range strings.Split(page, "\r\n") {
			if strings.HasPrefix(strings.TrimSpace(l), labels[0]) {
				header = l
			}
		}
		if got := gap.Split(strings.TrimSpace(header), -1); !slices.Equal(got, labels) {
			t.Errorf("page %d: header cells %q, want %q", pi+1, got, labels)
			continue
		}
		// A label's display column, for checking that cells line up.
		col := func(line, cell string) int { return dispWidth(line[:strings.Index(line, cell)]) }
		rows := recordLines(page, e.Planted.PatronID)
		total += len(rows)
		for ri, r := range rows {
			cells := gap.Split(strings.TrimSpace(r), -1)
			if len(cells) != len(labels) {
				t.Errorf("page %d row %d: %d cells, want %d", pi+1, ri+1, len(cells), len(labels))
				continue
			}
			if strings.Count(cells[1], "\u3000") != 1 || strings.Contains(cells[1], " ") {
				t.Errorf("page %d row %d: name without a single full-width space", pi+1, ri+1)
			}
			for ci, c := range cells[:len(cells)-1] {
				if col(r, c) != col(header, labels[ci]) {
					t.Errorf("page %d row %d: cell %d not aligned with its label", pi+1, ri+1, ci)
				}
			}
		}
	}
	if total <= e.Persons || e.Persons < 20 {
		t.Errorf("%d rows for %d persons", total, e.Persons)
	}
}

func TestRareSurnames(t *testing.T) {
	m, _ := load(t)
	e := m.Lookup("deliverable/data/holds/yoyaku_bunkan.tsv")
	if e == nil {
		t.Fatal("branch hold list not in the manifest")
	}
	dict := patterns.Surnames()
	if dict.Len() < 1000 {
		t.Fatalf("surname dictionary has %d entries", dict.Len())
	}
	for i, s := range rareSurnames {
		if dict.Has(s.kanji) || slices.ContainsFunc(surnames, func(n nameEntry) bool { return n.kanji == s.kanji }) {
			t.Errorf("rare surname #%d is a known surname", i)
		}
	}
	used := map[string]bool{}
	for i, n := range e.Planted.Name {
		sei, _, ok := strings.Cut(n, "\u3000")
		if !ok || !slices.ContainsFunc(rareSurnames, func(s nameEntry) bool { return s.kanji == sei }) {
			t.Errorf("planted name #%d has no rare surname", i)
		}
		used[sei] = true
	}
	if len(used) != len(rareSurnames) {
		t.Errorf("%d rare surnames used, want %d", len(used), len(rareSurnames))
	}
}

// The clean files with contact data hold only the library's and the
// vendor's own numbers and addresses.
func TestOrganisationalContacts(t *testing.T) {
	m, _ := load(t)
	staff := m.Lookup("deliverable/data/staff/kakari_renraku.csv")
	notes := m.Lookup("deliverable/docs/release_notes_ja.txt")
	if staff == nil || notes == nil {
		t.Fatal("staff table or release notes not in the manifest")
	}
	prefix := libraryPhone[:len(libraryPhone)-2]
	if len(staff.Benign.Phone) < 10 {
		t.Errorf("staff table lists %d numbers", len(staff.Benign.Phone))
	}
	for i, p := range staff.Benign.Phone {
		if !strings.HasPrefix(p, prefix) {
			t.Errorf("staff number #%d is outside the library's block", i)
		}
	}
	if len(notes.Benign.Name) == 0 || len(notes.Benign.Name) >= len(notes.Benign.Email) {
		t.Error("release notes: want maintainers with e-mail and the support address")
	}
	for i, a := range notes.Benign.Email {
		if !strings.HasSuffix(a, "@ils-vendor.example.co.jp") {
			t.Errorf("release notes: e-mail #%d is not the vendor's", i)
		}
	}
	if isbn10("978-4-7046-2547-9") != "4-7046-2547-8" || isbn10("978-4-10-109205-8") != "4-10-109205-2" ||
		isbn10("978-4-00-000008-6") != "4-00-000008-X" {
		t.Error("isbn10 gives a wrong check digit")
	}
}

func TestPhonesValid(t *testing.T) {
	m, _ := load(t)
	n := 0
	for _, e := range m.Files {
		phones := slices.Clone(e.Benign.Phone)
		benign := len(phones)
		if e.Leak {
			phones = append(phones, e.Planted.Phone...)
		}
		for i, p := range phones {
			n++
			num, err := phonenumbers.Parse(p, "JP")
			if err != nil || !phonenumbers.IsValidNumber(num) {
				t.Errorf("%s: phone #%d is not a valid Japanese number", e.Path, i)
			}
			if !regexp.MustCompile(`^0\d{1,4}-\d{1,4}-\d{4}$`).MatchString(p) || len(p) < 12 {
				t.Errorf("%s: phone #%d not normalised", e.Path, i)
			}
			for _, g := range strings.Split(p, "-")[1:] {
				if i >= benign && dull(g) {
					t.Errorf("%s: phone #%d has a placeholder-like group", e.Path, i)
				}
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d phones checked", n)
	}
}

func TestMyNumbers(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"123456789018", true}, {"123456789012", false}, {"12345678901", false}, {"12345678901a", false},
	} {
		if got := ValidMyNumber(c.in); got != c.want {
			t.Errorf("ValidMyNumber(%q) = %v", c.in, got)
		}
	}
	m, _ := load(t)
	n := 0
	for _, e := range m.Files {
		for i, v := range e.Planted.MyNumber {
			n++
			if !ValidMyNumber(v) {
				t.Errorf("%s: My Number #%d has a bad check digit", e.Path, i)
			}
		}
	}
	if n != 11 {
		t.Errorf("%d My Numbers planted, want 11 (10 + the dummy)", n)
	}
}

func TestISBNsValid(t *testing.T) {
	if !ValidISBN13("978-4-00-000000-0") || !ValidISBN13("9784101092058") {
		t.Error("valid ISBN rejected")
	}
	if ValidISBN13("978-4-10-109205-1") || ValidISBN13("978-4-10-10920-8") {
		t.Error("invalid ISBN accepted")
	}
	_, files := load(t)
	b := files["deliverable/data/catalog/biblio_export.tsv"]
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 201 {
		t.Fatalf("biblio export has %d lines, want 201", len(lines))
	}
	for i, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != 8 || !ValidISBN13(f[5]) {
			t.Errorf("biblio row %d: bad ISBN or field count", i+1)
		}
	}
}

// Clean files must not hold any value planted in a leaking file.
func TestCleanFilesHoldNoPlantedValue(t *testing.T) {
	m, files := load(t)
	var planted []string
	for _, e := range m.Leaks() {
		pl := e.Planted
		planted = append(planted, pl.Name...)
		planted = append(planted, pl.Phone...)
		planted = append(planted, pl.Email...)
		planted = append(planted, pl.MyNumber...)
	}
	for _, e := range m.Files {
		if e.Leak || !scannable(e) {
			continue
		}
		text := decoded(t, e, files[e.Path])
		for i, v := range planted {
			if strings.Contains(text, v) {
				t.Errorf("%s: holds planted value #%d", e.Path, i)
			}
		}
		for i, n := range e.Benign.Name {
			if slices.Contains(planted, n) {
				t.Errorf("%s: benign name #%d is also planted", e.Path, i)
			}
		}
	}
}

func TestSensitiveVariants(t *testing.T) {
	p := Planted{Name: []string{"佐藤\u3000健一"}, NameKana: []string{"ｻﾄｳ ｹﾝｲﾁ"}, Phone: []string{"090-1234-5678"}}
	got := p.Sensitive()
	for _, w := range []string{"佐藤\u3000健一", "佐藤 健一", "佐藤健一", "サトウ ケンイチ", "サトウケンイチ", "09012345678"} {
		if !slices.Contains(got, w) {
			t.Errorf("Sensitive lacks variant %q", w)
		}
	}
}

func TestHelpers(t *testing.T) {
	if got := halfKana("ガッコウ パンダ"); got != "ｶﾞｯｺｳ ﾊﾟﾝﾀﾞ" {
		t.Errorf("halfKana = %q", got)
	}
	for _, c := range []struct {
		d           time.Time
		long, short string
	}{
		{date(1970, 3, 2), "昭和45年3月2日", "S45.3.2"},
		{date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"},
		{date(1989, 1, 8), "平成元年1月8日", "H1.1.8"},
		{date(1926, 12, 24), "大正15年12月24日", "T15.12.24"},
	} {
		if l, s := warekiLong(c.d), warekiShort(c.d); l != c.long || s != c.short {
			t.Errorf("%s: got %s %s", isoDate(c.d), l, s)
		}
	}
	for _, g := range []string{"0000", "1234", "9876", "7777", "0001"} {
		if !dull(g) {
			t.Errorf("dull(%q) = false", g)
		}
	}
	if dull("4719") {
		t.Error("dull(4719) = true")
	}
}
