package pdf_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rouei/rouei/cmd/cli"
	"github.com/rouei/rouei/engine"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/pdf"
)

// testConfig caps PDFium's memory lower than the default, so that the
// decompression bomb need not be large.
var testConfig = pdf.Config{MemoryLimit: 128 << 20}

func TestMain(m *testing.M) {
	pdf.Configure(testConfig)
	os.Exit(m.Run())
}

// scan scans one target with the default containers.
func scan(t *testing.T, target string) *report.Report {
	t.Helper()
	r, err := engine.Scan(context.Background(), []string{target}, engine.Options{})
	if err != nil {
		t.Fatalf("scan %s: %v", target, err)
	}
	return r
}

// verdict is the part of a file's verdict a PDF must share with its twin.
type verdict struct {
	Class    string
	Severity string
	Persons  int
}

func verdictOf(r *report.Report, suffix string) (verdict, *report.File) {
	for i, f := range r.Files {
		if strings.HasSuffix(f.Path, suffix) {
			return verdict{f.Classification, f.Severity.String(), f.Persons}, &r.Files[i]
		}
	}
	return verdict{"none", "none", 0}, nil
}

// Each printed PDF gets the verdict of the CSV (TSV, Markdown) it was
// printed from: a bordered table over two pages with its header
// repeated, the same with only an owner password, a borderless
// landscape table whose cells wrap onto three lines, a manual.
func TestVerdictsMatchTwins(t *testing.T) {
	for _, tt := range []struct {
		pdf, twin string
		class     string // the twin's, as a check on the twins themselves
	}{
		{"entai.pdf", "entai.csv", "overdue_list"},
		{"entai_owner_password.pdf", "entai.csv", "overdue_list"},
		{"riyosha.pdf", "riyosha.tsv", "patron_registry"},
		{"manual.pdf", "manual.md", "none"},
	} {
		t.Run(tt.pdf, func(t *testing.T) {
			rt := scan(t, filepath.Join("testdata", tt.twin))
			want, _ := verdictOf(rt, tt.twin)
			if want.Class != tt.class {
				t.Fatalf("twin %s: %+v, want class %s", tt.twin, want, tt.class)
			}
			rp := scan(t, filepath.Join("testdata", tt.pdf))
			if len(rp.Errors) > 0 {
				t.Errorf("errors: %+v", rp.Errors)
			}
			got, f := verdictOf(rp, tt.pdf+"!/"+pdf.MemberName)
			if got != want {
				t.Errorf("%s: %+v; its twin %s: %+v", tt.pdf, got, tt.twin, want)
			}
			if want.Class != "none" && (f == nil || f.Findings == 0) {
				t.Errorf("%s: no findings", tt.pdf)
			}
		})
	}
}

func TestUnreadablePages(t *testing.T) {
	r := scan(t, filepath.Join("testdata", "manual.pdf"))
	_, f := verdictOf(r, "manual.pdf!/document")
	if f == nil || f.UnreadablePages != 1 {
		t.Fatalf("manual.pdf: file %+v, want unreadable_pages 1 (its picture page)", f)
	}
	r = scan(t, filepath.Join("testdata", "entai.pdf"))
	if _, f := verdictOf(r, "entai.pdf!/document"); f == nil || f.UnreadablePages != 0 {
		t.Errorf("entai.pdf: file %+v, want no unreadable pages", f)
	}
}

// A PDF only an image: no text, one unreadable page, a verdict entry
// that says so, and no error.
func TestImageOnlyPDF(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "scan.pdf")
	if err := os.WriteFile(p, imagePDF(), 0o644); err != nil {
		t.Fatal(err)
	}
	r := scan(t, p)
	_, f := verdictOf(r, "scan.pdf!/document")
	if len(r.Errors) > 0 || f == nil || f.UnreadablePages != 1 || f.Classification != "none" {
		t.Fatalf("errors %+v, file %+v; want unreadable_pages 1 and no error", r.Errors, f)
	}
}

func TestUserPasswordIsAnError(t *testing.T) {
	r := scan(t, filepath.Join("testdata", "manual_user_password.pdf"))
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error, "user password") ||
		!strings.Contains(r.Errors[0].Error, "encrypted") {
		t.Fatalf("errors %+v, want one: encrypted with a user password", r.Errors)
	}
	if len(r.Files) != 1 || r.Files[0].Classification != "none" {
		t.Errorf("files %+v", r.Files)
	}
}

// The CLI on a deliverable that holds only clean PDFs (and a text file)
// exits 0 with no error; one with the overdue list exits 1, one with the
// password-protected manual 3.
func TestCLIExitStatus(t *testing.T) {
	t.Setenv("CI", "")
	schema, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	run := func(dir string) (int, *report.Report, []byte) {
		t.Helper()
		var out, errb bytes.Buffer
		code := cli.Run([]string{"scan", "--format", "json", dir}, &out, &errb)
		var r report.Report
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			t.Fatalf("exit %d, not JSON: %v\n%s", code, err, errb.String())
		}
		return code, &r, out.Bytes()
	}
	clean := t.TempDir()
	copyFile(t, "testdata/manual.pdf", filepath.Join(clean, "docs", "manual.pdf"))
	copyFile(t, "testdata/manual.pdf", filepath.Join(clean, "docs", "old", "manual_v2.pdf"))
	if err := os.WriteFile(filepath.Join(clean, "scan.pdf"), imagePDF(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, r, js := run(clean)
	if code != 0 || len(r.Errors) != 0 {
		t.Fatalf("clean PDFs: exit %d, errors %+v", code, r.Errors)
	}
	if _, err := os.Stat(schema); err == nil {
		if err := report.ValidateJSON(js, schema); err != nil {
			t.Errorf("report not valid against the schema: %v", err)
		}
	}
	leak := t.TempDir()
	copyFile(t, "testdata/manual.pdf", filepath.Join(leak, "manual.pdf"))
	copyFile(t, "testdata/entai.pdf", filepath.Join(leak, "print", "entai.pdf"))
	if code, r, _ := run(leak); code != 1 || len(r.Errors) != 0 {
		t.Errorf("overdue list PDF: exit %d, errors %+v; want 1", code, r.Errors)
	}
	locked := t.TempDir()
	copyFile(t, "testdata/manual_user_password.pdf", filepath.Join(locked, "manual.pdf"))
	if code, _, _ := run(locked); code != 3 {
		t.Errorf("user-password PDF: exit %d, want 3", code)
	}
}

// A decompression bomb (a content stream that inflates to far more than
// PDFium's memory cap) becomes an error entry; so does a document over
// the page limit or the text limit, and one that takes too long. The
// scan goes on and the process stays within its bounds.
func TestHostilePDFs(t *testing.T) {
	dir := t.TempDir()
	bomb := filepath.Join(dir, "bomb.pdf")
	if err := os.WriteFile(bomb, bombPDF(t, 512<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	r := scan(t, bomb)
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Error, "limit") {
		t.Fatalf("bomb: errors %+v, want a limit", r.Errors)
	}
	t.Logf("bomb: %v in %v", r.Errors[0].Error, time.Since(t0).Round(time.Millisecond))

	nested := filepath.Join(dir, "nested.pdf")
	if err := os.WriteFile(nested, nestedPDF(200_000), 0o644); err != nil {
		t.Fatal(err)
	}
	r = scan(t, nested) // must end, without a crash; PDFium refuses deep nesting
	t.Logf("nested: errors %+v, files %d", r.Errors, len(r.Files))

	limited := func(c pdf.Config, lim scanners.Limits, file string) error {
		t.Helper()
		c.MemoryLimit = testConfig.MemoryLimit
		pdf.Configure(c)
		defer pdf.Configure(testConfig)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return walkAll(data, lim)
	}
	if err := limited(pdf.Config{MaxPages: 1}, scanners.Limits{}, "testdata/entai.pdf"); !errors.Is(err, scanners.ErrLimit) || !strings.Contains(err.Error(), "pages") {
		t.Errorf("page limit: %v", err)
	}
	if err := limited(pdf.Config{}, scanners.Limits{MaxMemberBytes: 1000}, "testdata/entai.pdf"); !errors.Is(err, scanners.ErrLimit) || !strings.Contains(err.Error(), "text larger") {
		t.Errorf("text limit: %v", err)
	}
	if err := limited(pdf.Config{MaxPageChars: 100}, scanners.Limits{}, "testdata/entai.pdf"); !errors.Is(err, scanners.ErrLimit) || !strings.Contains(err.Error(), "characters") {
		t.Errorf("character limit: %v", err)
	}
	if err := limited(pdf.Config{MaxTime: time.Millisecond}, scanners.Limits{}, "testdata/riyosha.pdf"); !errors.Is(err, scanners.ErrLimit) || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("time limit: %v", err)
	}
	// After all of that, PDFium still reads.
	if err := walkAll(readFile(t, "testdata/entai.pdf"), scanners.Limits{}); err != nil {
		t.Errorf("after the hostile documents: %v", err)
	}
}

// The engine's workers read PDFs at once, each with its own instance.
func TestConcurrentDocuments(t *testing.T) {
	files := []string{"entai.pdf", "riyosha.pdf", "manual.pdf", "entai_owner_password.pdf"}
	want := map[string]string{}
	for _, f := range files {
		want[f] = text(t, readFile(t, "testdata/"+f))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(f string) {
			defer wg.Done()
			got := text(t, readFile(t, "testdata/"+f))
			if got != want[f] {
				errs <- fmt.Errorf("%s: text differs when read concurrently", f)
			}
		}(files[i%len(files)])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// The overdue list's text: one line per table row, its cells
// tab-separated, the header repeated on the second page, the cells that
// wrapped (phone numbers, names, titles) whole again.
func TestTableText(t *testing.T) {
	txt := text(t, readFile(t, "testdata/entai.pdf"))
	csv := string(readFile(t, "testdata/entai.csv"))
	lines := strings.Split(strings.TrimSpace(txt), "\n")
	rows := 0
	header := "利用者番号\t氏名\tカナ氏名\t年齢\t電話番号\t書名\t貸出日\t返却期限\t延滞日数"
	headers := 0
	for _, l := range lines {
		switch n := strings.Count(l, "\t"); {
		case l == header:
			headers++
		case n == 8:
			rows++
		}
	}
	if headers < 2 || rows != strings.Count(csv, "\n")-1 {
		t.Errorf("%d headers and %d rows of 9 cells; want one header a page (2 or more) and %d rows", headers, rows, strings.Count(csv, "\n")-1)
	}
	// Every phone number of the CSV comes out whole, though most wrapped.
	for _, l := range strings.Split(csv, "\n")[1:] {
		cells := strings.Split(l, ",")
		if len(cells) < 5 {
			continue
		}
		if !strings.Contains(txt, "\t"+cells[4]+"\t") {
			t.Errorf("phone of a row %s not whole in the text", cells[0])
		}
	}
}

func text(t *testing.T, data []byte) string {
	t.Helper()
	var out string
	r := bytes.NewReader(data)
	err := pdf.Opener{}.Walk(context.Background(), scanners.Source{Reader: r, At: r, Size: int64(len(data))}, scanners.Limits{},
		func(m scanners.Member) error {
			rc, err := m.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			out = string(b)
			return err
		})
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
	return out
}

// walkAll reads a document's text and returns the first error, the
// walk's or the read's.
func walkAll(data []byte, lim scanners.Limits) error {
	r := bytes.NewReader(data)
	var rerr error
	err := pdf.Opener{}.Walk(context.Background(), scanners.Source{Reader: r, At: r, Size: int64(len(data))}, lim,
		func(m scanners.Member) error {
			rc, err := m.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			_, rerr = io.Copy(io.Discard, rc)
			return nil
		})
	if err != nil {
		return err
	}
	return rerr
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, readFile(t, src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// buildPDF writes a PDF of the given objects (1-based, the first the
// catalog), with a correct cross-reference table.
func buildPDF(objs ...[]byte) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		b.Write(o)
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func stream(dict string, data []byte) []byte {
	return append(append([]byte(fmt.Sprintf("<< %s /Length %d >>\nstream\n", dict, len(data))), data...), "\nendstream"...)
}

// imagePDF is one page that is a 2×2 grey image and nothing else.
func imagePDF() []byte {
	return buildPDF(
		[]byte("<< /Type /Catalog /Pages 2 0 R >>"),
		[]byte("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
		[]byte("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>"),
		stream("", []byte("q 180 0 0 180 10 10 cm /Im1 Do Q")),
		stream("/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte{0x20, 0x80, 0x80, 0x20}),
	)
}

// bombPDF is a page whose content stream inflates to n bytes of spaces.
func bombPDF(_ testing.TB, n int) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	chunk := bytes.Repeat([]byte{' '}, 1<<20)
	for i := 0; i < n>>20; i++ {
		w.Write(chunk)
	}
	w.Close()
	return buildPDF(
		[]byte("<< /Type /Catalog /Pages 2 0 R >>"),
		[]byte("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
		[]byte("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>"),
		stream("/Filter /FlateDecode", z.Bytes()),
	)
}

// nestedPDF has an array nested depth levels deep in its page.
func nestedPDF(depth int) []byte {
	deep := strings.Repeat("[", depth) + strings.Repeat("]", depth)
	return buildPDF(
		[]byte("<< /Type /Catalog /Pages 2 0 R >>"),
		[]byte("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
		[]byte("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Deep "+deep+" >>"),
	)
}

// The text and HTML reports say how many pages had no text.
func TestReportsShowUnreadablePages(t *testing.T) {
	r := scan(t, filepath.Join("testdata", "manual.pdf"))
	for _, tt := range []struct {
		lang report.Lang
		want string
	}{{report.English, "1 page without text"}, {report.Japanese, "文字のないページ 1 枚"}} {
		var text, page bytes.Buffer
		if err := report.WriteText(&text, r, report.TextOptions{Lang: tt.lang}); err != nil {
			t.Fatal(err)
		}
		if err := report.WriteHTML(&page, r, report.HTMLOptions{Lang: tt.lang}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text.String(), tt.want) || !strings.Contains(page.String(), tt.want) {
			t.Errorf("%s: reports lack %q:\n%s", tt.lang, tt.want, text.String())
		}
	}
}

// FuzzPDF feeds PDFium, through the opener, whatever bytes: the walk
// ends within its limits with text or an error, never a crash or a hang,
// and the text stays within the member limit.
func FuzzPDF(f *testing.F) {
	f.Add(imagePDF())
	f.Add(nestedPDF(100))
	f.Add(bombPDF(nil, 4<<20))
	f.Add(buildPDF(
		[]byte("<< /Type /Catalog /Pages 2 0 R >>"),
		[]byte("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
		[]byte("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"),
		stream("", []byte("BT /F1 12 Tf 10 50 Td (Name\\tPhone) Tj 0 -14 Td (Yamada 090-1234-5678) Tj ET")),
		[]byte("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
	))
	lim := scanners.Limits{MaxMemberBytes: 1 << 20}
	pdf.Configure(pdf.Config{MemoryLimit: testConfig.MemoryLimit, MaxTime: 10 * time.Second, MaxPages: 50})
	f.Cleanup(func() { pdf.Configure(testConfig) })
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		var n int
		err := pdf.Opener{}.Walk(context.Background(), scanners.Source{Reader: r, At: r, Size: int64(len(data))}, lim,
			func(m scanners.Member) error {
				rc, err := m.Open()
				if err != nil {
					return err
				}
				defer rc.Close()
				b, _ := io.ReadAll(rc)
				n = len(b)
				return nil
			})
		_ = err
		if n > int(lim.MaxMemberBytes) {
			t.Fatalf("%d bytes of text, over the limit", n)
		}
	})
}
