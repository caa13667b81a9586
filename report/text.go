package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/rouei/rouei/detectors"
)

// TextOptions control WriteText.
type TextOptions struct {
	// Lang is the report language (English when empty or unknown).
	Lang Lang
	// MaxFindingsPerFile is how many findings are listed under each file;
	// 0 means 5, a negative value lists none (the count is still shown).
	MaxFindingsPerFile int
	// Color is reserved for coloured output; it has no effect yet.
	Color bool
	// FailOn is the --fail-on severity used for the closing verdict line;
	// detectors.None (the zero value) means "never".
	FailOn detectors.Severity
}

// WriteText writes r for people at a terminal: a header line, the files
// worst first with their verdicts and first few findings, the FTP
// endpoints, what could not be scanned completely, and a closing verdict
// line (see Report.Verdict). r is not modified. Text taken from the report
// (paths, evidence, server replies) has control characters escaped so that
// a crafted file name cannot drive the terminal.
func WriteText(w io.Writer, r *Report, opt TextOptions) error {
	t := textsFor(opt.Lang)
	maxF := opt.MaxFindingsPerFile
	if maxF == 0 {
		maxF = 5
	}
	var b strings.Builder
	writeHeader(&b, r, t)
	b.WriteString("\n")
	writeChanges(&b, r, t)
	writeFiles(&b, r, t, maxF)
	writeEndpoints(&b, r, t)
	writeErrors(&b, r, t)
	writeVerdict(&b, r, t, opt.FailOn)
	if err := r.spoolErr(); err != nil {
		return fmt.Errorf("report: writing text: %w", err)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("report: writing text: %w", err)
	}
	return nil
}

func writeHeader(b *strings.Builder, r *Report, t *texts) {
	name := r.Tool.Name
	if name == "" {
		name = "rouei"
	}
	tool := strings.TrimSpace(clean(name + " " + r.Tool.Version))
	head := tool
	if len(r.Targets) > 0 {
		ts := make([]string, len(r.Targets))
		for i, s := range r.Targets {
			ts[i] = clean(s)
		}
		head = fmt.Sprintf(t.header, tool, strings.Join(ts, t.targetsSep))
	}
	parts := []string{t.files(r.Stats.Files), humanBytes(r.Stats.Bytes), t.archives(r.Stats.Archives)}
	if r.Stats.Skipped > 0 {
		parts = append(parts, t.skipped(r.Stats.Skipped))
	}
	if !r.StartedAt.IsZero() && !r.FinishedAt.IsZero() && !r.FinishedAt.Before(r.StartedAt) {
		d := r.FinishedAt.Sub(r.StartedAt)
		tenthsTotal := int64(math.Round(d.Seconds() * 10))
		secs := tenthsTotal / 10
		parts = append(parts, t.duration(int(secs/3600), int(secs/60%60), int(secs%60), int(tenthsTotal%10)))
	}
	fmt.Fprintf(b, "%s — %s\n", head, strings.Join(parts, t.sep))
}

// fileBlock is one file of the files section with its findings.
type fileBlock struct {
	File
	findings []Finding // the first few, by line (see fileBlocks)
	listed   int       // all its findings in the report
}

func writeFiles(b *strings.Builder, r *Report, t *texts, maxF int) {
	blocks, errs := fileBlocks(r, maxF)
	if len(blocks) == 0 {
		b.WriteString(t.noFiles + "\n\n")
		return
	}
	labels := make([]string, len(blocks))
	sevW := 0
	for i, fb := range blocks {
		labels[i] = sevLabel(t, fb.Severity)
		if errorOnly(fb, errs) {
			labels[i] = t.unscanned
		}
		sevW = max(sevW, displayWidth(labels[i]))
	}
	indent := strings.Repeat(" ", sevW+2)
	for i, fb := range blocks {
		fmt.Fprintf(b, "%s  %s\n", pad(labels[i], sevW), clean(fb.Path))

		total := max(fb.Findings, fb.listed)
		if errorOnly(fb, errs) {
			// A file listed only for its errors: say what went wrong.
			for _, e := range errs[fb.Path] {
				b.WriteString(indent + fmt.Sprintf(t.errorLine, clean(e)) + "\n")
			}
			b.WriteString("\n")
			continue
		}
		class := clean(fb.Classification)
		if c, ok := t.classification[fb.Classification]; ok {
			class = c
		} else if class == "" {
			class = t.classification["none"]
		}
		parts := []string{class, t.persons(fb.Persons), t.findings(total)}
		if fb.Encoding != "" {
			parts = append(parts, clean(fb.Encoding))
		}
		if fb.Dummy {
			parts = append(parts, t.dummy)
		}
		if fb.UnreadablePages > 0 {
			parts = append(parts, t.unreadable(fb.UnreadablePages))
		}
		line := strings.Join(parts, t.sep)
		switch {
		case len(fb.Reasons) > 0:
			line += t.reasonSep + clean(strings.Join(fb.Reasons, t.reasonsSep))
		case len(fb.Columns) > 0:
			line += t.reasonSep + t.columns(clean(strings.Join(fb.Columns, "/")))
		case len(fb.Fields) > 0:
			fields := make([]string, len(fb.Fields))
			for i, f := range fb.Fields {
				fields[i] = f
				if w, ok := t.category[f]; ok {
					fields[i] = w
				}
			}
			line += t.reasonSep + t.fields(clean(strings.Join(fields, t.fieldSep)))
		case fb.Reason != "":
			line += t.reasonSep + clean(fb.Reason)
		}
		b.WriteString(indent + line + "\n")
		if al := areaLine(t, fb.File, r.Customer); al != "" {
			b.WriteString(indent + clean(al) + "\n")
		}

		fs := slices.Clone(fb.findings)
		slices.SortStableFunc(fs, compareFindings)
		shown := fs[:min(len(fs), max(maxF, 0))]
		writeFindings(b, t, indent, shown)
		if more := total - len(shown); more > 0 {
			b.WriteString(indent + t.andMore(more) + "\n")
		}
		b.WriteString("\n")
	}
}

// errorOnly tells whether fb is listed only because it could not be
// scanned completely.
func errorOnly(fb fileBlock, errs map[string][]string) bool {
	return fb.Severity == detectors.None && fb.Findings == 0 && fb.listed == 0 && len(errs[fb.Path]) > 0
}

func writeFindings(b *strings.Builder, t *texts, indent string, fs []Finding) {
	rows := make([][]string, len(fs))
	var widths [4]int
	for i, f := range fs {
		ln := ""
		if f.Line > 0 {
			ln = t.line(f.Line)
		}
		cat := clean(f.Category)
		if c, ok := t.category[f.Category]; ok {
			cat = c
		}
		conf := fmt.Sprintf("%d%%", int(math.Round(f.Confidence*100)))
		rows[i] = []string{ln, clean(f.Detector), cat, conf}
		for j, c := range rows[i] {
			widths[j] = max(widths[j], displayWidth(c))
		}
	}
	for i, f := range fs {
		var l strings.Builder
		l.WriteString(indent)
		for j, c := range rows[i] {
			if j == 3 { // right-align the confidence
				l.WriteString(strings.Repeat(" ", widths[j]-displayWidth(c)) + c)
			} else {
				l.WriteString(pad(c, widths[j]))
			}
			l.WriteString("  ")
		}
		l.WriteString(clean(f.Evidence))
		if f.Baselined {
			l.WriteString("  " + t.baselined)
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
}

func writeEndpoints(b *strings.Builder, r *Report, t *texts) {
	if len(r.Endpoints) == 0 {
		return
	}
	b.WriteString(t.endpoints + "\n")
	const in = "    "
	for _, e := range r.Endpoints {
		head := "  " + clean(e.Target)
		if e.Banner != "" {
			head += "  " + clean(e.Banner)
		}
		b.WriteString(head + "\n")
		b.WriteString(in + strings.Join([]string{
			t.reachable(e.Reachable), t.anonLogin(e.AnonymousLogin), t.anonWrite(e.AnonymousWrite), t.tls(e.TLS),
		}, t.sep) + "\n")
		if e.ListedFiles > 0 || e.FetchedFiles > 0 || e.Reachable {
			b.WriteString(in + t.listedFetched(e.ListedFiles, e.FetchedFiles) + "\n")
		}
		if e.Error != "" {
			b.WriteString(in + fmt.Sprintf(t.errorLine, clean(e.Error)) + "\n")
		}
		if len(e.WritableHints) > 0 {
			hs := make([]string, len(e.WritableHints))
			for i, h := range e.WritableHints {
				hs[i] = clean(h)
			}
			b.WriteString(in + fmt.Sprintf(t.writableHints, strings.Join(hs, ", ")) + "\n")
		}
		for _, c := range e.WriteCheck {
			l := t.writeCheck(clean(c.Dir), clean(c.Canary), c.Uploaded, c.Deleted)
			if c.Reply != "" {
				l += fmt.Sprintf(t.writeCheckResp, clean(c.Reply))
			}
			b.WriteString(in + l + "\n")
		}
	}
	b.WriteString("\n")
}

func writeErrors(b *strings.Builder, r *Report, t *texts) {
	if len(r.Errors) == 0 {
		return
	}
	b.WriteString(t.errors(len(r.Errors)) + "\n")
	for _, e := range r.Errors {
		fmt.Fprintf(b, "  %s: %s\n", clean(e.Path), clean(e.Error))
	}
	b.WriteString("\n")
}

func writeVerdict(b *strings.Builder, r *Report, t *texts, failOn detectors.Severity) {
	f := r.failing(failOn)
	var line string
	if f.fail {
		line = t.failHead
		var parts []string
		for _, s := range []detectors.Severity{detectors.Critical, detectors.High, detectors.Medium, detectors.Low, detectors.Info, detectors.None} {
			if n := f.bySev[s]; n > 0 {
				parts = append(parts, t.failSevCount(sevWord(t, s), n))
			}
		}
		if f.files > 0 {
			line += t.failFiles(parts, f.files)
			if r.Summary.Persons > 0 { // one number, one source: summary.persons
				line += t.failPersons(r.Summary.Persons)
			}
		}
	} else {
		phrase := t.failOnNever
		if failOn > detectors.None {
			phrase = fmt.Sprintf(t.nothingAbove, sevWord(t, failOn))
		}
		if n := r.IncompleteCount(); n > 0 {
			line = t.incomplHead + phrase + t.incomplete(n)
		} else {
			line = t.passHead + phrase
		}
	}
	if f.baselined > 0 {
		line += t.baselinedNote(f.baselined)
	}
	b.WriteString(line + "\n")
}

// sevLabel is the severity as shown before a file path.
func sevLabel(t *texts, s detectors.Severity) string {
	if s < detectors.None || s > detectors.Critical {
		return s.String()
	}
	return t.severity[s]
}

// sevWord is the severity as used inside a sentence.
func sevWord(t *texts, s detectors.Severity) string { return strings.ToLower(sevLabel(t, s)) }

// humanBytes formats n in binary units (512 B, 1.5 KiB, 70.0 MiB).
func humanBytes(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	v := float64(n)
	for _, u := range []string{"KiB", "MiB", "GiB", "TiB"} {
		v /= 1024
		if v < 1024 || u == "TiB" {
			return fmt.Sprintf("%.1f %s", v, u)
		}
	}
	panic("unreachable")
}

// displayWidth is the number of terminal columns s takes: East Asian wide
// and fullwidth characters take two.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// pad right-pads s with spaces to w columns.
func pad(s string, w int) string {
	if d := w - displayWidth(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}

// clean escapes control characters, invalid UTF-8 and bidirectional
// overrides so report text cannot move the cursor, clear the screen or
// reorder what is shown.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if unsafeRune(r) {
			ok = false
			break
		}
	}
	if ok && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			if r < 0x80 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	switch {
	case r == utf8.RuneError:
		return true
	case unicode.IsControl(r): // C0, DEL, C1
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
		return true
	}
	return false
}

// writeChanges shows what changed since the previous run (--state): new
// and resolved exposures by name, the ones still present counted.
func writeChanges(b *strings.Builder, r *Report, t *texts) {
	c := r.Changes
	if c == nil {
		return
	}
	if c.Since.IsZero() {
		b.WriteString(t.firstRun + "\n\n")
		return
	}
	b.WriteString(t.changes(c.Since.UTC().Format("2006-01-02 15:04 MST"), len(c.New), len(c.Still), len(c.Resolved)) + "\n")
	w := max(displayWidth(t.changeNew), displayWidth(t.changeGone))
	for _, set := range []struct {
		label string
		cs    []Change
	}{{t.changeNew, c.New}, {t.changeGone, c.Resolved}} {
		for _, ch := range set.cs {
			sev := t.severity[ch.Severity]
			b.WriteString("  " + pad(set.label, w) + "  " + pad(sev, 4) + "  " + clean(ch.Path))
			if ch.Detail != "" {
				b.WriteString(" (" + clean(ch.Detail) + ")")
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n")
}
