package report

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rouei/rouei/detectors"
)

// HTMLOptions control WriteHTML.
type HTMLOptions struct {
	// Lang is the report language (English when empty or unknown).
	Lang Lang
	// FailOn is the --fail-on severity behind the verdict banner;
	// detectors.None (the zero value) means "never".
	FailOn detectors.Severity
}

// htmlMaxFindingsPerFile caps the findings listed under one file; the rest
// are counted ("… and 3,412 more"). The JSON report has them all.
const htmlMaxFindingsPerFile = 1000

//go:embed html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Option("missingkey=error").
	Funcs(template.FuncMap{"path": htmlPath}).Parse(htmlSource))

// htmlPath escapes a path and lets the browser break long ones after each
// '/' (<wbr>), so archive member paths wrap at their separators.
func htmlPath(p string) template.HTML {
	parts := strings.Split(p, "/")
	var b strings.Builder
	for i, s := range parts {
		if i > 0 {
			b.WriteString("/")
			if parts[i-1] != "" && s != "" {
				b.WriteString("<wbr/>")
			}
		}
		b.WriteString(template.HTMLEscapeString(s))
	}
	return template.HTML(b.String())
}

// WriteHTML writes r as one self-contained HTML5 page for people who decide
// whether a deliverable may ship: a verdict banner (see Report.Verdict),
// the number of people affected, an inline SVG chart of files per severity,
// bar charts of people by area (all files, and per file: areas.go), the
// scan facts, the FTP endpoints, every file with its verdict and its
// masked findings (in a <details> element), and what could not be scanned
// completely or was skipped. CSS and SVG are inline; the page fetches
// nothing. All report text is escaped by html/template. r is not modified.
func WriteHTML(w io.Writer, r *Report, opt HTMLOptions) error {
	v := buildHTMLView(r, opt)
	if err := r.spoolErr(); err != nil {
		return fmt.Errorf("report: rendering HTML: %w", err)
	}
	// straight to w: the page of a large report is not held a second time
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := htmlTemplate.Execute(bw, v); err != nil {
		return fmt.Errorf("report: rendering HTML: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: writing HTML: %w", err)
	}
	return nil
}

// htmlView is everything the template shows, as ready-made strings.
type htmlView struct {
	L    map[string]string // labels and headings
	Lang string

	Verdict       string // pass, fail, incomplete (CSS class)
	VerdictWord   string
	VerdictDetail string

	Persons     string
	FilesCount  string
	MaxSeverity string
	MaxSevClass string
	NotScanned  string

	Chart              htmlChart
	Areas              *htmlAreas // people by area, all files (areas.go), or nil
	AreaNote, Customer string

	Changes *htmlChanges // since the previous run (--state), or nil

	Facts     []htmlFact
	Endpoints []htmlEndpoint
	Files     []htmlFile
	Errors    []Error
	ErrorHead string
	Skipped   []Skip
	SkipHead  string
	Generated string
}

type htmlFact struct{ Label, Value string }

type htmlChart struct {
	Width, Height int
	Bars          []htmlBar
}

type htmlBar struct {
	Label, Class string
	Count        string
	Y, TextY     int
	Width        int // bar length in px
	CountX       int
}

type htmlEndpoint struct {
	Target, Banner                          string
	Reachable, Login, Write, TLS            string
	Unreachable, BadLogin, BadWrite, BadTLS bool
	ListedFetched, Error, Hints             string
	Canaries                                []htmlCanary
}

type htmlCanary struct {
	Text string
	Bad  bool // uploaded but not deleted
}

type htmlFile struct {
	SevClass, SevLabel string
	Path               string
	Class              string
	Persons, Findings  string
	Encoding           string
	Why                string
	Dummy              bool
	Unreadable         string // pages without extractable text, when there are
	Errors             []string
	Summary            string
	Rows               []htmlFinding
	More               string
	Areas              *htmlAreas // people by area (areas.go), or nil
	Foreign            string     // another customer's people: the sentence
}

type htmlFinding struct {
	Where, Detector, Category, Evidence, Confidence string
	Baselined                                       bool
}

var chartSeverities = []detectors.Severity{
	detectors.Critical, detectors.High, detectors.Medium, detectors.Low, detectors.Info,
}

// htmlChanges is the history section: what changed since the last run.
type htmlChanges struct {
	Heading string
	Rows    []htmlChangeRow
}

type htmlChangeRow struct {
	Label, Severity, SevClass, Path, Detail string
}

func buildHTMLChanges(r *Report, t *texts) *htmlChanges {
	c := r.Changes
	if c == nil {
		return nil
	}
	if c.Since.IsZero() {
		return &htmlChanges{Heading: t.firstRun}
	}
	h := &htmlChanges{Heading: t.changes(c.Since.UTC().Format("2006-01-02 15:04 MST"), len(c.New), len(c.Still), len(c.Resolved))}
	for _, set := range []struct {
		label string
		cs    []Change
	}{{t.changeNew, c.New}, {t.changeGone, c.Resolved}} {
		for _, ch := range set.cs {
			h.Rows = append(h.Rows, htmlChangeRow{Label: set.label, Severity: t.severity[ch.Severity],
				SevClass: ch.Severity.String(), Path: ch.Path, Detail: ch.Detail})
		}
	}
	return h
}

func buildHTMLView(r *Report, opt HTMLOptions) *htmlView {
	t := textsFor(opt.Lang)
	lang := string(English)
	if _, ok := textTable[opt.Lang]; ok {
		lang = string(opt.Lang)
	}
	v := &htmlView{L: htmlLabels(t), Lang: lang}
	v.Changes = buildHTMLChanges(r, t)

	// Verdict banner: the word, and the text report's verdict sentence
	// without its head ("FAIL: ").
	var vb strings.Builder
	writeVerdict(&vb, r, t, opt.FailOn)
	detail := strings.TrimSuffix(vb.String(), "\n")
	switch r.Verdict(opt.FailOn) {
	case Fail:
		v.Verdict, v.VerdictWord = "fail", t.verdictFail
		detail = strings.TrimPrefix(detail, t.failHead)
	case Incomplete:
		v.Verdict, v.VerdictWord = "incomplete", t.verdictIncomplete
		detail = strings.TrimPrefix(detail, t.incomplHead)
	default:
		v.Verdict, v.VerdictWord = "pass", t.verdictPass
		detail = strings.TrimPrefix(detail, t.passHead)
	}
	v.VerdictDetail = detail

	blocks, errs := fileBlocks(r, htmlMaxFindingsPerFile)
	v.Persons = group(r.Summary.Persons)
	v.FilesCount = group(r.Summary.Files)
	v.MaxSeverity = sevLabel(t, r.Summary.MaxSeverity)
	v.MaxSevClass = sevClass(r.Summary.MaxSeverity)
	v.NotScanned = group(r.IncompleteCount())

	v.Chart = buildChart(r, t)
	v.Facts = buildFacts(r, t, opt.FailOn)
	for _, e := range r.Endpoints {
		v.Endpoints = append(v.Endpoints, buildEndpoint(e, t))
	}
	cust, _ := ParseCustomer(r.Customer)
	for _, b := range blocks {
		v.Files = append(v.Files, withAreas(buildFile(b, errs, t), b.File, t, cust, r.Customer))
	}
	v.Areas, v.AreaNote, v.Customer = reportAreas(r, t, cust)
	v.Errors = r.Errors
	v.ErrorHead = t.htmlErrors(len(r.Errors))
	v.Skipped = r.Skipped
	v.SkipHead = t.htmlSkippedHead(len(r.Skipped))

	name := r.Tool.Name
	if name == "" {
		name = "rouei"
	}
	when := ""
	if !r.FinishedAt.IsZero() {
		when = htmlTime(r.FinishedAt)
	}
	v.Generated = t.htmlGenerated(strings.TrimSpace(name+" "+r.Tool.Version), when)
	return v
}

// fileBlocks gathers each file with its findings, worst first, including
// paths that have findings but no entry in r.Files; errs maps a path to
// its errors. The text and HTML reports both list files from it. Each
// block holds its first limit findings (by line, detector, fingerprint)
// and the count of all, so that a spooled report is read through once
// without being held in memory.
func fileBlocks(r *Report, limit int) ([]fileBlock, map[string][]string) {
	limit = max(limit, 0)
	type group struct {
		shown  []Finding
		count  int
		maxSev detectors.Severity
	}
	byPath := make(map[string]*group)
	trim := func(g *group) {
		slices.SortStableFunc(g.shown, compareFindings)
		g.shown = g.shown[:min(len(g.shown), limit)]
	}
	_ = r.eachFindingAnyOrder(func(f *Finding) error { // a read error is the writer's (Spool.readErr)
		g := byPath[f.Path]
		if g == nil {
			g = &group{}
			byPath[f.Path] = g
		}
		g.count++
		g.maxSev = max(g.maxSev, f.Severity)
		g.shown = append(g.shown, *f)
		if len(g.shown) > 2*limit {
			trim(g) // stable: the same first ones as sorting all
		}
		return nil
	})
	for _, g := range byPath {
		trim(g)
	}
	errs := make(map[string][]string)
	for _, e := range r.Errors {
		errs[e.Path] = append(errs[e.Path], e.Error)
	}
	blocks := make([]fileBlock, 0, len(r.Files))
	seen := make(map[string]bool, len(r.Files))
	for _, f := range r.Files {
		fb := fileBlock{File: r.fileDetail(f)}
		if g := byPath[f.Path]; g != nil {
			fb.findings, fb.listed = g.shown, g.count
		}
		blocks = append(blocks, fb)
		seen[f.Path] = true
	}
	var extra []string
	for p := range byPath {
		if !seen[p] {
			extra = append(extra, p)
		}
	}
	slices.Sort(extra)
	for _, p := range extra {
		g := byPath[p]
		fb := fileBlock{File: File{Path: p, Classification: "none", Findings: g.count}, findings: g.shown, listed: g.count}
		fb.Severity = g.maxSev
		blocks = append(blocks, fb)
	}
	slices.SortStableFunc(blocks, func(a, b fileBlock) int { return compareFiles(a.File, b.File) })
	return blocks, errs
}

func sevClass(s detectors.Severity) string {
	if s < detectors.None || s > detectors.Critical {
		return "none"
	}
	return s.String()
}

func htmlTime(tm time.Time) string { return tm.Format("2006-01-02 15:04:05 -07:00") }

func buildChart(r *Report, t *texts) htmlChart {
	const (
		labelW = 96  // room for the severity labels
		barMax = 320 // longest bar
		rowH   = 30
		barH   = 20
	)
	most := 0
	for _, s := range chartSeverities {
		most = max(most, r.Summary.BySeverity[s.String()])
	}
	c := htmlChart{Width: labelW + barMax + 70, Height: len(chartSeverities)*rowH + 4}
	for i, s := range chartSeverities {
		n := r.Summary.BySeverity[s.String()]
		w := 0
		if most > 0 && n > 0 {
			w = max(2, int(math.Round(float64(n)/float64(most)*barMax)))
		}
		y := 2 + i*rowH
		c.Bars = append(c.Bars, htmlBar{
			Label: sevLabel(t, s), Class: s.String(), Count: group(n),
			Y: y + (rowH-barH)/2, TextY: y + rowH/2 + 5,
			Width: w, CountX: labelW + w + 8,
		})
	}
	return c
}

func buildFacts(r *Report, t *texts, failOn detectors.Severity) []htmlFact {
	var fs []htmlFact
	add := func(l, v string) { fs = append(fs, htmlFact{l, v}) }
	if len(r.Targets) > 0 {
		add(t.factTargets, strings.Join(r.Targets, t.targetsSep))
	}
	if !r.StartedAt.IsZero() {
		add(t.factStarted, htmlTime(r.StartedAt))
	}
	if !r.FinishedAt.IsZero() {
		add(t.factFinished, htmlTime(r.FinishedAt))
	}
	if !r.StartedAt.IsZero() && !r.FinishedAt.IsZero() && !r.FinishedAt.Before(r.StartedAt) {
		add(t.factDuration, r.FinishedAt.Sub(r.StartedAt).Round(100*time.Millisecond).String())
	}
	add(t.factFiles, t.files(r.Stats.Files))
	add(t.factBytes, humanBytes(r.Stats.Bytes))
	add(t.factArchives, group(r.Stats.Archives))
	if r.Stats.Skipped > 0 || len(r.Skipped) > 0 {
		add(t.factSkipped, group(max(r.Stats.Skipped, len(r.Skipped))))
	}
	add(t.factErrors, group(max(r.Stats.Errors, len(r.Errors))))
	if failOn > detectors.None {
		add(t.factFailOn, sevLabel(t, failOn))
	} else {
		add(t.factFailOn, t.failOnNeverWord)
	}
	name := r.Tool.Name
	if name == "" {
		name = "rouei"
	}
	add(t.factTool, strings.TrimSpace(name+" "+r.Tool.Version))
	return fs
}

func buildEndpoint(e Endpoint, t *texts) htmlEndpoint {
	yn := func(b bool) string { return yesNo(b, t.htmlYes, t.htmlNo) }
	h := htmlEndpoint{
		Target: e.Target, Banner: e.Banner,
		Reachable: yn(e.Reachable), Login: yn(e.AnonymousLogin),
		TLS:      yesNo(e.TLS, t.htmlTLSYes, t.htmlTLSNo),
		BadLogin: e.AnonymousLogin, BadTLS: e.Reachable && !e.TLS,
		Unreachable: !e.Reachable,
		Error:       e.Error,
		Hints:       strings.Join(e.WritableHints, ", "),
	}
	if e.AnonymousWrite == nil {
		h.Write = t.htmlNotChecked
	} else {
		h.Write = yn(*e.AnonymousWrite)
		h.BadWrite = *e.AnonymousWrite
	}
	if e.Reachable || e.ListedFiles > 0 || e.FetchedFiles > 0 {
		h.ListedFetched = group(e.ListedFiles) + " / " + group(e.FetchedFiles)
	}
	for _, c := range e.WriteCheck {
		s := t.writeCheck(c.Dir, c.Canary, c.Uploaded, c.Deleted)
		if c.Reply != "" {
			s += fmt.Sprintf(t.writeCheckResp, c.Reply)
		}
		h.Canaries = append(h.Canaries, htmlCanary{Text: s, Bad: c.Uploaded})
	}
	return h
}

func buildFile(fb fileBlock, errs map[string][]string, t *texts) htmlFile {
	h := htmlFile{
		SevClass: sevClass(fb.Severity), SevLabel: sevLabel(t, fb.Severity),
		Path: fb.Path, Encoding: fb.Encoding, Dummy: fb.Dummy,
		Errors: errs[fb.Path],
	}
	if fb.UnreadablePages > 0 {
		h.Unreadable = t.unreadable(fb.UnreadablePages)
	}
	if errorOnly(fb, errs) {
		h.SevClass, h.SevLabel = "error", t.unscanned
		return h
	}
	h.Class = fb.Classification
	if c, ok := t.classification[fb.Classification]; ok {
		h.Class = c
	} else if h.Class == "" {
		h.Class = t.classification["none"]
	}
	total := max(fb.Findings, fb.listed)
	h.Persons = group(fb.Persons)
	h.Findings = group(total)
	switch {
	case len(fb.Reasons) > 0:
		h.Why = strings.Join(fb.Reasons, t.reasonsSep)
	case len(fb.Columns) > 0:
		h.Why = t.columns(strings.Join(fb.Columns, "/"))
	case len(fb.Fields) > 0:
		ws := make([]string, len(fb.Fields))
		for i, f := range fb.Fields {
			ws[i] = catWord(t, f)
		}
		h.Why = t.fields(strings.Join(ws, t.fieldSep))
	case fb.Reason != "":
		h.Why = fb.Reason
	}
	fs := slices.Clone(fb.findings)
	slices.SortStableFunc(fs, compareFindings)
	shown := fs[:min(len(fs), htmlMaxFindingsPerFile)]
	for _, f := range shown {
		where := ""
		switch {
		case f.Line > 0:
			where = group(f.Line)
		case f.Offset > 0:
			where = t.htmlOffset(f.Offset)
		}
		h.Rows = append(h.Rows, htmlFinding{
			Where: where, Detector: f.Detector, Category: catWord(t, f.Category),
			Evidence: f.Evidence, Confidence: fmt.Sprintf("%d%%", int(math.Round(f.Confidence*100))),
			Baselined: f.Baselined,
		})
	}
	if len(shown) > 0 {
		h.Summary = t.showFindings(len(fs))
	}
	if more := total - len(shown); more > 0 && len(shown) > 0 {
		h.More = t.andMore(more)
	}
	return h
}

// catWord is a category in words of t's language, or its id.
func catWord(t *texts, c string) string {
	if w, ok := t.categoryWords[c]; ok {
		return w
	}
	return c
}

// htmlLabels are the fixed strings of the page in t's language.
func htmlLabels(t *texts) map[string]string {
	return map[string]string{
		"title":           t.htmlTitle,
		"persons":         t.htmlPersons,
		"filesWithData":   t.htmlFilesWithData,
		"maxSeverity":     t.htmlMaxSeverity,
		"notScanned":      t.htmlNotScanned,
		"chart":           t.htmlChartTitle,
		"facts":           t.htmlFacts,
		"endpoints":       t.htmlEndpoints,
		"epTarget":        t.epTarget,
		"epReachable":     t.epReachable,
		"epAnonLogin":     t.epAnonLogin,
		"epAnonWrite":     t.epAnonWrite,
		"epTLS":           t.epTLS,
		"epListedFetched": t.epListedFetched,
		"epError":         t.epError,
		"epHints":         t.epHints,
		"files":           t.htmlFiles,
		"noFiles":         t.noFiles,
		"dummy":           t.dummy,
		"baselined":       t.baselined,
		"colSeverity":     t.colSeverity,
		"colPath":         t.colPath,
		"colClass":        t.colClass,
		"colPersons":      t.colPersons,
		"colFindings":     t.colFindings,
		"colEncoding":     t.colEncoding,
		"colWhy":          t.colWhy,
		"colLine":         t.colLine,
		"colDetector":     t.colDetector,
		"colCategory":     t.colCategory,
		"colEvidence":     t.colEvidence,
		"colConfidence":   t.colConfidence,
	}
}
