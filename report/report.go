// Package report holds the rouei report model (schema rouei.report/v1, see
// ../shared/CONTRACT.md) and its writers. Everything in a Report is already
// masked unless the scan ran with --reveal: writers print what they get.
package report

import (
	"time"

	"github.com/rouei/rouei/detectors"
)

// SchemaV1 is the JSON report schema identifier.
const SchemaV1 = "rouei.report/v1"

// Report is one scan's result.
type Report struct {
	Schema     string     `json:"schema"`
	Tool       Tool       `json:"tool"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt time.Time  `json:"finished_at"`
	Targets    []string   `json:"targets"`
	Stats      Stats      `json:"stats"`
	Endpoints  []Endpoint `json:"endpoints"`
	Files      []File     `json:"files"`
	Findings   []Finding  `json:"findings"`
	Errors     []Error    `json:"errors"`
	Summary    Summary    `json:"summary"`
	// Skipped lists what was deliberately not read (devices, FIFOs,
	// symbolic links leading out of the target), with the reason
	// (extension to the v1 schema).
	Skipped []Skip `json:"skipped,omitempty"`
	// Changes compares this run with the previous one over the same
	// targets, when the scan kept a history (--state; extension).
	Changes *Changes `json:"changes,omitempty"`
	// Shard is the part of a sharded sweep this report covers (scan
	// --shard K/N); nil for a whole scan.
	Shard *Shard `json:"shard,omitempty"`
	// PolicyDigest identifies the settings that shape a report's content
	// (policy file, baseline, --reveal …), so that rouei merge refuses
	// shards scanned under different ones (extension; set with --shard).
	PolicyDigest string `json:"policy_digest,omitempty"`
	// Complete is false when the scan was interrupted (a signal) or
	// stopped early: the report holds what was scanned so far. nil: the
	// scan ran to its end.
	Complete *bool `json:"complete,omitempty"`
	// Customer names the areas the delivery or server belongs to
	// (--customer, [customer]), as municipalities "愛知県岡崎市" or
	// prefectures (extension).
	Customer []string `json:"customer,omitempty"`

	// Spool, when set, holds the report's findings out of memory (a scan
	// with Options.Spool): Findings is then empty, and the writers and
	// Verdict read them from the spool (see EachFinding). Whoever made the
	// spool closes it.
	Spool *Spool `json:"-"`

	lang *Lang // Localize's language, for the spooled files' reasons read back
}

// Shard is one part of a sharded sweep: part Index of Count (1-based).
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// Changes is what changed since the previous run over the same targets.
type Changes struct {
	Since    time.Time `json:"since"`    // when the previous run finished
	New      []Change  `json:"new"`      // exposures that were not there
	Still    []Change  `json:"still"`    // exposures still present
	Resolved []Change  `json:"resolved"` // exposures gone since
}

// Change is one exposure: a file with personal data, or an FTP endpoint
// open to anonymous users.
type Change struct {
	Kind           string             `json:"kind"` // "file" or "endpoint"
	Path           string             `json:"path"` // the file's path, or the endpoint's target
	Severity       detectors.Severity `json:"severity"`
	Classification string             `json:"classification,omitempty"`
	Persons        int                `json:"persons,omitempty"`
	Detail         string             `json:"detail,omitempty"` // for an endpoint: what is open
}

// Skip is one thing deliberately not read.
type Skip struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Stats counts what the scan read.
type Stats struct {
	Files    int   `json:"files"`
	Bytes    int64 `json:"bytes"`
	Archives int   `json:"archives"`
	Skipped  int   `json:"skipped"`
	Errors   int   `json:"errors"`
	// Media counts the files of known media types (image, audio, video,
	// font) by MIME type: read, never judged opaque (extension).
	Media map[string]int `json:"media,omitempty"`
}

// Endpoint is the result of probing one FTP endpoint.
type Endpoint struct {
	Target         string       `json:"target"`
	Reachable      bool         `json:"reachable"`
	AnonymousLogin bool         `json:"anonymous_login"`
	AnonymousWrite *bool        `json:"anonymous_write"`
	TLS            bool         `json:"tls"`
	TLSOffered     bool         `json:"tls_offered"`         // the server listed AUTH TLS (extension)
	TLSError       string       `json:"tls_error,omitempty"` // why an offered upgrade was not used (extension)
	Banner         string       `json:"banner,omitempty"`
	ListedFiles    int          `json:"listed_files"`
	FetchedFiles   int          `json:"fetched_files"`
	Error          string       `json:"error"`
	WritableHints  []string     `json:"writable_hints,omitempty"`
	WriteCheck     []WriteCheck `json:"write_check,omitempty"`
}

// WriteCheck is one canary upload attempt (only with --ftp-write-check).
type WriteCheck struct {
	Dir      string `json:"dir"`
	Canary   string `json:"canary"`
	Uploaded bool   `json:"uploaded"`
	Deleted  bool   `json:"deleted"`
	Reply    string `json:"reply,omitempty"`
}

// File is the verdict on one file (or archive member) that has at least
// one finding or error.
type File struct {
	Path           string             `json:"path"`
	MediaType      string             `json:"media_type,omitempty"`
	Encoding       string             `json:"encoding,omitempty"`
	Classification string             `json:"classification"`
	Severity       detectors.Severity `json:"severity"`
	Persons        int                `json:"persons"`
	Findings       int                `json:"findings"`
	Dummy          bool               `json:"dummy"`
	Reason         string             `json:"reason,omitempty"`  // one-line explanation of the verdict (extension)
	Columns        []string           `json:"columns,omitempty"` // the header cells that made the verdict, as written (extension)
	Fields         []string           `json:"fields,omitempty"`  // the kinds of data its people's records hold (extension)
	Categories     map[string]int     `json:"categories,omitempty"`
	Reasons        []string           `json:"reasons,omitempty"` // why, in the report's language (contract: files[].reasons)
	Why            []detectors.Reason `json:"-"`                 // the reasons as the detectors gave them; Localize writes Reasons
	// UnreadablePages counts the pages of a document with no extractable
	// text (scanned images).
	UnreadablePages int `json:"unreadable_pages,omitempty"`
	// Areas are whose people the file holds, by municipality (areas.go);
	// OtherCustomer is true when most of them live outside the --customer
	// areas.
	Areas         []Area `json:"areas,omitempty"`
	OtherCustomer bool   `json:"other_customer,omitempty"`

	loc *fileLoc // a slim entry of a spooled report: the rest is there (filespool.go)
}

// Finding is one masked piece of personal data.
type Finding struct {
	Fingerprint string             `json:"fingerprint"`
	Path        string             `json:"path"`
	Line        int                `json:"line"`
	Offset      int64              `json:"offset,omitempty"` // byte offset of the string in a binary file (extension)
	Detector    string             `json:"detector"`
	Category    string             `json:"category"`
	Severity    detectors.Severity `json:"severity"`
	Confidence  float64            `json:"confidence"`
	Evidence    string             `json:"evidence"`
	// Context is the fixed word, label or header that raised or lowered
	// the finding's confidence or capped its severity ("header 電話番号",
	// "credit line", "organisation block"), never a value (extension).
	Context   string `json:"context,omitempty"`
	Baselined bool   `json:"baselined"`
}

// Error is something that could not be scanned completely.
type Error struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// Summary is the whole scan's verdict.
type Summary struct {
	BySeverity  map[string]int     `json:"by_severity"`
	Persons     int                `json:"persons"`
	MaxSeverity detectors.Severity `json:"max_severity"`
	// Files counts the files with findings (the files[] entries listed
	// for their errors alone are not), as the HTML report's tile shows
	// it (extension).
	Files int `json:"files,omitempty"`
}
