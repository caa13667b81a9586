package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/rouei/rouei/detectors"
)

// SARIF identifiers written by WriteSARIF.
const (
	// SARIFSchemaURI is the "$schema" of a SARIF report.
	SARIFSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
	// SARIFVersion is the SARIF version written.
	SARIFVersion = "2.1.0"
	// SARIFFingerprintKey names the finding fingerprint in a result's
	// partialFingerprints.
	SARIFFingerprintKey = "roueiFingerprint/v1"
)

// The subset of SARIF 2.1.0 that rouei writes. Field order is the order of
// the output; maps (properties, fingerprints) are written with sorted keys.
type (
	// The log itself ($schema, version, runs: one run of tool,
	// invocations, results and properties) is written by writeSARIF.
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name    string      `json:"name"`
		Version string      `json:"version,omitempty"`
		Rules   []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string         `json:"id"`
		Name             string         `json:"name,omitempty"`
		ShortDescription sarifText      `json:"shortDescription"`
		FullDescription  sarifText      `json:"fullDescription"`
		Help             sarifText      `json:"help"`
		Properties       map[string]any `json:"properties,omitempty"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		StartTimeUTC               string              `json:"startTimeUtc,omitempty"`
		EndTimeUTC                 string              `json:"endTimeUtc,omitempty"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
		BaselineState       string            `json:"baselineState"`
		Properties          map[string]any    `json:"properties"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI         string     `json:"uri"`
		Description *sarifText `json:"description,omitempty"` // the path as written, when the URI escapes it
	}
	sarifRegion struct {
		StartLine  int   `json:"startLine,omitempty"`
		ByteOffset int64 `json:"byteOffset,omitempty"`
	}
)

// WriteSARIF writes r as a SARIF 2.1.0 log (one run) for code-scanning
// tools, followed by a newline.
//
// Each detector that found something becomes a rule (id = detector id,
// English descriptions of what it finds and why it matters); each finding
// a result with its masked evidence, level error (critical, high), warning
// (medium) or note (low, info), location (path as a URI reference: archive
// members keep their "!/" separators, FTP paths stay ftp://…, everything
// outside RFC 3986 is percent-encoded, with the path as written in the
// artifact location's description), the fingerprint under
// "roueiFingerprint/v1" and baselineState "unchanged" (baselined) or "new".
// Errors, endpoint failures and skipped items become tool execution
// notifications. The output is deterministic; r is not modified.
func WriteSARIF(w io.Writer, r *Report) error { return writeSARIFLog(w, r, false) }

// WriteSARIFPretty is WriteSARIF indented by two spaces (rouei scan
// --pretty).
func WriteSARIFPretty(w io.Writer, r *Report) error { return writeSARIFLog(w, r, true) }

// writeSARIFLog writes the log piece by piece: the results one at a time,
// read from Findings or r.Spool, so that memory does not grow with them.
// The rules need the detectors of every finding first: one more pass.
func writeSARIFLog(w io.Writer, r *Report, pretty bool) error {
	name := r.Tool.Name
	if name == "" {
		name = "rouei"
	}
	each := sarifFindings(r)

	// One rule per detector, sorted by id; a detector reporting several
	// categories takes the first one it reported (in output order).
	ruleCat := map[string]string{}
	if err := each(func(f *Finding) error {
		if _, ok := ruleCat[f.Detector]; !ok {
			ruleCat[f.Detector] = f.Category
		}
		return nil
	}); err != nil {
		return fmt.Errorf("report: writing SARIF: %w", err)
	}
	ids := make([]string, 0, len(ruleCat))
	for id := range ruleCat {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	rules := make([]sarifRule, len(ids))
	ruleIndex := make(map[string]int, len(ids))
	for i, id := range ids {
		rules[i] = sarifRuleFor(id, ruleCat[id])
		ruleIndex[id] = i
	}

	files := make(map[string]int, len(r.Files)) // a path's first entry
	for i, f := range r.Files {
		if _, ok := files[f.Path]; !ok {
			files[f.Path] = i
		}
	}
	// findings come grouped by file: a spooled file's entry is read back
	// once for its group
	var cur File
	curOK := false
	fileOf := func(p string) File {
		if curOK && cur.Path == p {
			return cur
		}
		i, ok := files[p]
		if !ok {
			return File{}
		}
		cur, curOK = r.fileDetail(r.Files[i]), true
		return cur
	}
	result := func(f *Finding) sarifResult {
		res := sarifResult{
			RuleID:    f.Detector,
			RuleIndex: ruleIndex[f.Detector],
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{Text: sarifMessage(*f, fileOf(f.Path))},
			Locations: []sarifLocation{sarifLoc(f.Path, f.Line, f.Offset)},
			Properties: map[string]any{
				"severity":   f.Severity.String(),
				"confidence": f.Confidence,
				"category":   f.Category,
			},
			BaselineState: "new",
		}
		if f.Fingerprint != "" {
			res.PartialFingerprints = map[string]string{SARIFFingerprintKey: f.Fingerprint}
		}
		if f.Baselined {
			res.BaselineState = "unchanged"
		}
		return res
	}

	inv := sarifInvocation{ExecutionSuccessful: true}
	if !r.StartedAt.IsZero() {
		inv.StartTimeUTC = r.StartedAt.UTC().Format(time.RFC3339Nano)
	}
	if !r.FinishedAt.IsZero() {
		inv.EndTimeUTC = r.FinishedAt.UTC().Format(time.RFC3339Nano)
	}
	errPaths := make(map[string]bool, len(r.Errors))
	for _, e := range r.Errors {
		errPaths[e.Path] = true
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNote("warning", "could not be scanned completely: "+e.Error, e.Path))
	}
	for _, e := range r.Endpoints {
		if e.Error != "" && !errPaths[e.Target] {
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
				sarifNote("warning", "FTP endpoint could not be scanned completely: "+e.Error, e.Target))
		}
	}
	for _, s := range r.Skipped {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNote("note", "skipped: "+s.Reason, s.Path))
	}

	targets := r.Targets
	if targets == nil {
		targets = []string{}
	}
	// The order of sarifLog and sarifRun's fields.
	s := newJSONStream(w, pretty)
	s.raw("{")
	s.key("$schema", 1, true)
	s.value(SARIFSchemaURI, 1)
	s.key("version", 1, false)
	s.value(SARIFVersion, 1)
	s.key("runs", 1, false)
	s.raw("[")
	s.nl(2)
	s.raw("{")
	s.key("tool", 3, true)
	s.value(sarifTool{Driver: sarifDriver{Name: name, Version: r.Tool.Version, Rules: rules}}, 3)
	s.key("invocations", 3, false)
	s.value([]sarifInvocation{inv}, 3)
	s.key("results", 3, false)
	s.array(3, func(elem func(v any)) error {
		return each(func(f *Finding) error {
			elem(result(f))
			return s.err
		})
	})
	s.key("properties", 3, false)
	s.value(map[string]any{
		"targets":      targets,
		"persons":      r.Summary.Persons,
		"by_severity":  r.Summary.BySeverity,
		"files":        r.Summary.Files,
		"max_severity": r.Summary.MaxSeverity.String(),
	}, 3)
	s.nl(2)
	s.raw("}")
	s.nl(1)
	s.raw("]")
	s.nl(0)
	s.raw("}\n")
	if err := s.flush(); err != nil {
		return fmt.Errorf("report: writing SARIF: %w", err)
	}
	return nil
}

// sarifFindings walks r's findings in report order without modifying r:
// grouped by file, worst file first (as Finalize sorts files), then by
// line, detector and fingerprint.
func sarifFindings(r *Report) func(fn func(*Finding) error) error {
	fs := slices.Clone(r.Files)
	slices.SortStableFunc(fs, compareFiles)
	if r.Spool != nil {
		return func(fn func(*Finding) error) error { return r.eachFinding(fs, fn) }
	}
	order := make(map[string]int, len(fs))
	for i, f := range fs {
		if _, ok := order[f.Path]; !ok {
			order[f.Path] = i
		}
	}
	pos := func(p string) int {
		if i, ok := order[p]; ok {
			return i
		}
		return len(fs)
	}
	out := slices.Clone(r.Findings)
	slices.SortStableFunc(out, func(a, b Finding) int {
		if c := cmp.Compare(pos(a.Path), pos(b.Path)); c != 0 {
			return c
		}
		return compareFindings(a, b)
	})
	return func(fn func(*Finding) error) error {
		for i := range out {
			if err := fn(&out[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

func sarifNote(level, msg, path string) sarifNotification {
	n := sarifNotification{Level: level, Message: sarifText{Text: msg}}
	if path != "" {
		n.Locations = []sarifLocation{sarifLoc(path, 0, 0)}
	}
	return n
}

func sarifLoc(path string, line int, offset int64) sarifLocation {
	art := sarifArtifact{URI: sarifURI(path)}
	if art.URI != path {
		art.Description = &sarifText{Text: path}
	}
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: art}}
	switch {
	case line > 0:
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: line}
	case offset > 0:
		loc.PhysicalLocation.Region = &sarifRegion{ByteOffset: offset}
	}
	return loc
}

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(s detectors.Severity) string {
	switch {
	case s >= detectors.High:
		return "error"
	case s == detectors.Medium:
		return "warning"
	case s >= detectors.Info:
		return "note"
	}
	return "none"
}

// sarifClassNoun is a classification with its English article.
var sarifClassNoun = map[string]string{
	"overdue_list":    "an overdue list",
	"hold_list":       "a hold list",
	"patron_registry": "a patron registry",
	"loan_record":     "a loan record",
	"contact_list":    "a contact list",
}

// sarifMessage says what was found and where it sits:
// "phone 090-****-**78 in an overdue list of 40 people".
func sarifMessage(f Finding, file File) string {
	var b strings.Builder
	b.WriteString(englishCategory(f.Category))
	if f.Evidence != "" {
		b.WriteString(" " + f.Evidence)
	}
	people := plural(file.Persons, "person", "people")
	switch noun, ok := sarifClassNoun[file.Classification]; {
	case ok && file.Persons > 0:
		b.WriteString(" in " + noun + " of " + people)
	case ok:
		b.WriteString(" in " + noun)
	case file.Persons == 1:
		b.WriteString(" in a file with one person's data")
	case file.Persons > 1:
		b.WriteString(" in a file with the data of " + people)
	}
	if len(file.Fields) > 0 && file.Persons > 0 {
		ws := make([]string, len(file.Fields))
		for i, c := range file.Fields {
			ws[i] = englishCategory(c)
		}
		b.WriteString(" (records with " + strings.Join(ws, ", ") + ")")
	}
	if file.Dummy {
		b.WriteString("; recognised as dummy/test data")
	}
	return b.String()
}

// englishCategory is a category in English words ("birth date").
func englishCategory(c string) string {
	if w, ok := textsFor(English).categoryWords[c]; ok {
		return w
	}
	return strings.ReplaceAll(c, "_", " ")
}

// sarifURI turns a report path into a URI reference. FTP paths keep their
// scheme and authority, absolute local paths become file:// URIs and
// relative ones stay relative. Only what RFC 3986 does not allow in a path
// (non-ASCII, spaces, '%', '#', '?', '\', controls …) is percent-encoded,
// so "dist/a.tar.gz!/b/c.csv" stays as it is.
func sarifURI(p string) string {
	lower := strings.ToLower(p)
	for _, s := range []string{"ftp://", "ftps://", "file://"} {
		if strings.HasPrefix(lower, s) {
			rest := p[len(s):]
			auth, path := rest, ""
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				auth, path = rest[:i], rest[i:]
			}
			return p[:len(s)] + escapeURIPart(auth, true) + escapeURIPart(path, false)
		}
	}
	switch {
	case strings.HasPrefix(p, "/"):
		return "file://" + escapeURIPart(p, false)
	case len(p) >= 3 && isASCIILetter(p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/'):
		// A Windows drive path (C:\dist\a.csv).
		return "file:///" + p[:2] + escapeURIPart(strings.ReplaceAll(p[2:], `\`, "/"), false)
	}
	u := escapeURIPart(p, false)
	// A first segment with ':' would read as a scheme.
	if first, _, _ := strings.Cut(u, "/"); strings.Contains(first, ":") {
		u = "./" + u
	}
	return u
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// escapeURIPart percent-encodes every byte of s that is not allowed
// unencoded in a URI path (or, with auth, in an authority).
func escapeURIPart(s string, auth bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if uriPathByte(c) || (auth && (c == '[' || c == ']')) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// uriPathByte tells whether c may appear unencoded in a URI path
// (RFC 3986 pchar or '/').
func uriPathByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0
}

// sarifRuleText describes one detector for people reading a SARIF viewer.
type sarifRuleText struct {
	name, short, full, help string
}

const sarifWhy = " Personal data in a software deliverable is a leak waiting to happen: " +
	"whoever receives the package (a customer, a mirror, an FTP server) receives the data, " +
	"as in the 2010 Okazaki library incident. Remove the file from the deliverable or replace " +
	"the data with recognisable dummy values; if the value is public or intended, add its " +
	"fingerprint to the baseline."

// sarifRuleTexts is keyed by detector id; sarifCategoryRule is the fallback
// for detectors not listed here, by category.
var sarifRuleTexts = map[string]sarifRuleText{
	"jp-phone": {"JapanesePhoneNumber", "Japanese phone number",
		"Finds Japanese landline, mobile and IP phone numbers (03-xxxx-xxxx, 090-xxxx-xxxx, +81 …), " +
			"in full-width or half-width digits.",
		"A phone number lets anyone reach a person; next to a name, or in a list of loans, holds or " +
			"overdue books, it identifies that person."},
	"email": {"EmailAddress", "E-mail address",
		"Finds e-mail addresses in text (excluding package names, image names and URL credentials).",
		"An e-mail address usually identifies one person and lets anyone contact them; in bulk it " +
			"is a contact list."},
	"jp-postal": {"JapanesePostalCode", "Japanese postal code",
		"Finds seven-digit Japanese postal codes (〒444-xxxx, 4440000 next to an address).",
		"A postal code narrows a person down to a few streets; with a name it is part of their address."},
	"jp-address": {"JapaneseAddress", "Japanese address",
		"Finds Japanese postal addresses (prefecture, city, block numbers) in records.",
		"A home address identifies and locates a person."},
	"jp-mynumber": {"MyNumber", "My Number (individual number)",
		"Finds 12-digit Japanese individual numbers (My Number) whose check digit is valid.",
		"The My Number is specific personal information under the My Number Act: keeping or " +
			"passing it on outside the permitted uses is unlawful, so any occurrence is critical."},
	"jp-birthdate": {"BirthDate", "Date of birth",
		"Finds dates of birth (生年月日, Western and Japanese era dates) in records.",
		"A date of birth, together with a name, identifies a person and is used to verify identity."},
	"jp-age": {"Age", "Age",
		"Finds ages of people (年齢 columns, 35歳) in records.",
		"An age with a name narrows down who a person is."},
	"jp-name": {"PersonName", "Person's name",
		"Finds Japanese personal names (family and given names in kanji) in text and records.",
		"A name identifies a person; in a list of loans, holds or overdue books it reveals what they read."},
	"jp-name-kana": {"PersonNameKana", "Person's name in kana",
		"Finds readings of Japanese personal names written in katakana or hiragana (フリガナ columns).",
		"The reading of a name identifies a person as well as the name itself."},
	"patron-id": {"PatronID", "Library patron ID",
		"Finds library card (patron) numbers in records of patrons, loans, holds and overdue books.",
		"A patron ID links a person to their borrowing history and to the library's registry."},
	"book-title": {"BookTitleInRecord", "Book title in a patron's record",
		"Finds titles of books in records tied to patrons (loans, holds, overdue lists).",
		"What a person reads is protected by the freedom of reading (Japan Library Association's " +
			"Statement on Intellectual Freedom in Libraries); a title next to a patron reveals it."},
}

var sarifCategoryRule = map[string]sarifRuleText{
	"phone":       sarifRuleTexts["jp-phone"],
	"email":       sarifRuleTexts["email"],
	"postal_code": sarifRuleTexts["jp-postal"],
	"address":     sarifRuleTexts["jp-address"],
	"my_number":   sarifRuleTexts["jp-mynumber"],
	"birth_date":  sarifRuleTexts["jp-birthdate"],
	"age":         sarifRuleTexts["jp-age"],
	"name":        sarifRuleTexts["jp-name"],
	"name_kana":   sarifRuleTexts["jp-name-kana"],
	"patron_id":   sarifRuleTexts["patron-id"],
	"book_title":  sarifRuleTexts["book-title"],
	"isbn": {"ISBNInRecord", "ISBN in a patron's record",
		"Finds ISBNs in records tied to patrons (loans, holds, overdue lists).",
		"An ISBN names the book a person borrowed as precisely as its title."},
	"credential": {"Credential", "Credential",
		"Finds passwords and other credentials next to personal data.",
		"A credential gives access to a person's account or to the system holding their data."},
}

func sarifRuleFor(id, category string) sarifRule {
	t, ok := sarifRuleTexts[id]
	if !ok {
		t, ok = sarifCategoryRule[category]
	}
	if !ok {
		w := englishCategory(category)
		t = sarifRuleText{"", "Personal data: " + w,
			"Finds personal data of the kind \"" + w + "\".",
			"Data of this kind can identify a person."}
	}
	return sarifRule{
		ID:               id,
		Name:             t.name,
		ShortDescription: sarifText{Text: t.short},
		FullDescription:  sarifText{Text: t.full},
		Help:             sarifText{Text: t.help + sarifWhy},
		Properties: map[string]any{
			"category": category,
			"tags":     []string{"privacy", "personal-data", category},
		},
	}
}
