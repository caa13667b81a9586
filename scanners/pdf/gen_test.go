package pdf_test

// The committed PDF fixtures in testdata/ are made by this test from the
// samples generator's synthetic people (files of samples/deliverable),
// printed from HTML by headless Chromium and rewritten by qpdf:
//
//	go test ./scanners/pdf -run TestGenerateFixtures -regen
//
// It needs Debian's chromium, fonts-ipafont-gothic and qpdf. The CSV (or
// text) twin of each PDF is written beside it: the tests check that the
// PDF gets the verdict its twin gets.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"flag"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
)

var regen = flag.Bool("regen", false, "remake the PDF fixtures in testdata/ (needs chromium and qpdf)")

const samplesDir = "../../samples/deliverable"

func TestGenerateFixtures(t *testing.T) {
	if !*regen {
		t.Skip("run with -regen to remake the fixtures")
	}
	for _, tool := range []string{"chromium", "qpdf"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed: apt-get install chromium fonts-ipafont-gothic qpdf", tool)
		}
	}
	tmp := t.TempDir()
	out := "testdata"

	// 1. The overdue list of June 2005 (Shift_JIS CSV, 40 people) as a
	// bordered table over two pages, its header repeated on each.
	sjis, err := os.ReadFile(filepath.Join(samplesDir, "data/old/tokusoku_200506.csv"))
	if err != nil {
		t.Fatal(err)
	}
	utf, err := japanese.ShiftJIS.NewDecoder().Bytes(sjis)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(utf)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(out, "entai.csv"), utf)
	page := tablePage("延滞者一覧（2005年6月）", rows,
		`table{border-collapse:collapse;font-size:10pt}td,th{border:1px solid #444;padding:2px 6px}`)
	printPDF(t, tmp, "entai", page, filepath.Join(out, "entai.pdf"))

	// 2. The patron registry (TSV, 14 people, empty e-mail cells) as a
	// borderless, zebra-striped table in landscape, smaller type.
	tsv, err := os.ReadFile(filepath.Join(samplesDir, "data/registry/riyosha_touroku.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(tsv))
	r.Comma = '\t'
	rows, err = r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(out, "riyosha.tsv"), tsv)
	page = tablePage("利用者登録台帳", rows,
		`@page{size:A4 landscape;margin:12mm}table{border-collapse:separate;border-spacing:10px 3px;font-size:8pt}tr:nth-child(even){background:#eef}th{text-align:left}`)
	printPDF(t, tmp, "riyosha", page, filepath.Join(out, "riyosha.pdf"))

	// 3. The operations manual (no personal data, the library's own
	// phone number), with a scanned page: an image and no text.
	md, err := os.ReadFile(filepath.Join(samplesDir, "docs/manual_ja.md"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(out, "manual.md"), md)
	printPDF(t, tmp, "manual", manualPage(string(md)), filepath.Join(out, "manual.pdf"))

	// 4. The manual with a user password (cannot be read), and the
	// overdue list with only an owner password (no printing, no copying:
	// still readable).
	qpdf(t, "--encrypt", "kakuu-user", "kakuu-owner", "256", "--", filepath.Join(out, "manual.pdf"), filepath.Join(out, "manual_user_password.pdf"))
	qpdf(t, "--encrypt", "", "kakuu-owner", "256", "--print=none", "--extract=n", "--modify=none", "--",
		filepath.Join(out, "entai.pdf"), filepath.Join(out, "entai_owner_password.pdf"))
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

const pageHead = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>%s</title>
<style>body{font-family:"IPAGothic",sans-serif;font-size:10.5pt;line-height:1.5}%s</style></head><body>`

func tablePage(title string, rows [][]string, style string) string {
	var b strings.Builder
	fmt.Fprintf(&b, pageHead, html.EscapeString(title), style)
	fmt.Fprintf(&b, "<h1>%s</h1><table><thead><tr>", html.EscapeString(title))
	for _, c := range rows[0] {
		fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(c))
	}
	b.WriteString("</tr></thead><tbody>")
	for _, r := range rows[1:] {
		b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(c))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table></body></html>")
	return b.String()
}

// manualPage renders the manual's Markdown (headings, paragraphs, lists,
// tables) and appends a page that is only a picture.
func manualPage(md string) string {
	var b strings.Builder
	fmt.Fprintf(&b, pageHead, "運用マニュアル", `table{border-collapse:collapse}td,th{border:1px solid #888;padding:2px 8px}`)
	inTable, inList := false, false
	for _, line := range strings.Split(md, "\n") {
		l := strings.TrimSpace(line)
		if inTable && !strings.HasPrefix(l, "|") {
			b.WriteString("</table>")
			inTable = false
		}
		if inList && !strings.HasPrefix(l, "- ") {
			b.WriteString("</ul>")
			inList = false
		}
		switch {
		case l == "":
		case strings.HasPrefix(l, "#"):
			level := len(l) - len(strings.TrimLeft(l, "#"))
			fmt.Fprintf(&b, "<h%d>%s</h%d>", level, html.EscapeString(strings.TrimSpace(l[level:])), level)
		case strings.HasPrefix(l, "|"):
			if strings.Contains(l, "---") {
				continue
			}
			if !inTable {
				b.WriteString("<table>")
				inTable = true
			}
			b.WriteString("<tr>")
			for _, c := range strings.Split(strings.Trim(l, "|"), "|") {
				fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(strings.TrimSpace(c)))
			}
			b.WriteString("</tr>")
		case strings.HasPrefix(l, "- "):
			if !inList {
				b.WriteString("<ul>")
				inList = true
			}
			fmt.Fprintf(&b, "<li>%s</li>", html.EscapeString(l[2:]))
		default:
			fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(strings.Trim(l, "`")))
		}
	}
	if inTable {
		b.WriteString("</table>")
	}
	if inList {
		b.WriteString("</ul>")
	}
	// The "scanned" page: a picture of a form, no text at all.
	img := image.NewRGBA(image.Rect(0, 0, 240, 320))
	for y := 0; y < 320; y++ {
		for x := 0; x < 240; x++ {
			c := color.RGBA{250, 248, 240, 255}
			if y%24 < 2 || x < 12 || x > 228 || (x > 80 && x < 83) {
				c = color.RGBA{60, 60, 70, 255}
			}
			img.Set(x, y, c)
		}
	}
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, img)
	fmt.Fprintf(&b, `<div style="break-before:page"><img alt="" width="480" height="640" src="data:image/png;base64,%s"></div>`,
		base64.StdEncoding.EncodeToString(pngBuf.Bytes()))
	b.WriteString("</body></html>")
	return b.String()
}

// printPDF prints page with headless Chromium (no header or footer) and
// rewrites it with qpdf (recompressed, object streams: half the size).
func printPDF(t *testing.T, tmp, name, page, dst string) {
	t.Helper()
	src := filepath.Join(tmp, name+".html")
	write(t, src, []byte(page))
	raw := filepath.Join(tmp, name+".raw.pdf")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "chromium", "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+filepath.Join(tmp, "profile-"+name), "--no-pdf-header-footer",
		"--print-to-pdf="+raw, "file://"+filepath.ToSlash(src))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
	qpdf(t, "--object-streams=generate", "--recompress-flate", "--compression-level=9", "--deterministic-id", raw, dst)
}

func qpdf(t *testing.T, args ...string) {
	t.Helper()
	if b, err := exec.Command("qpdf", args...).CombinedOutput(); err != nil {
		t.Fatalf("qpdf %q: %v\n%s", args, err, b)
	}
}
