package cli

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/bmatcuk/doublestar/v4"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/patterns"
	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/ftp"
	"github.com/rouei/rouei/scanners/pdf"
)

// policy is the --config file (TOML). Every field is optional; flags
// given on the command line win over it.
type policy struct {
	FailOn string `toml:"fail_on"`
	Lang   string `toml:"lang"`
	Limits struct {
		MaxDepth        int      `toml:"max_depth"`
		MaxMemberBytes  int64    `toml:"max_member_bytes"`
		MaxArchiveBytes int64    `toml:"max_archive_bytes"`
		MaxScanBytes    int64    `toml:"max_scan_bytes"`
		MaxScanMembers  int      `toml:"max_scan_members"`
		MaxRatio        int64    `toml:"max_ratio"`
		MaxMembers      int      `toml:"max_members"`
		MaxArchiveTime  duration `toml:"max_archive_time"`
		MaxSpoolBytes   int64    `toml:"max_spool_bytes"`
		PDFPages        int      `toml:"pdf_max_pages"`
		PDFPageChars    int      `toml:"pdf_max_page_chars"`
		PDFTime         duration `toml:"pdf_max_time"`
		PDFMemory       int64    `toml:"pdf_max_memory"`
	} `toml:"limits"`
	Allow struct {
		// Paths are globs (doublestar: ** crosses directories) matched
		// against the path within the target ("tests/fixtures/**",
		// "release.zip!/docs/*.md"); matching files are not scanned and
		// are noted in skipped[].
		Paths []string `toml:"paths"`
		// Values are keyed hashes of accepted values (the library's own
		// number): hex HMAC-SHA256 of "category:value" under HashKey, made
		// by `rouei allow-hash`. The key itself may come from the
		// environment variable ROUEI_ALLOW_KEY instead.
		Values  []string `toml:"values"`
		HashKey string   `toml:"hash_key"`
	} `toml:"allow"`
	FTP struct {
		Pause           duration `toml:"pause"`
		ConnectTimeout  duration `toml:"connect_timeout"`
		IdleTimeout     duration `toml:"idle_timeout"`
		ReplyTimeout    duration `toml:"reply_timeout"`
		TransferTimeout duration `toml:"transfer_timeout"`
		HostBudget      duration `toml:"host_budget"`
		MaxFileBytes    int64    `toml:"max_file_bytes"`
		MaxHostBytes    int64    `toml:"max_host_bytes"`
		Contact         string   `toml:"contact"`
	} `toml:"ftp"`
	// Customer names the areas the delivery or server belongs to, as
	// --customer does (the flag wins): municipalities by name or local
	// government code, or prefectures.
	Customer struct {
		Areas []string `toml:"areas"`
	} `toml:"customer"`
	// Rules are site rules in the shape of patterns/rules.toml (a
	// vendor's own patron-ID format), run beside the built-in ones.
	Rules []patterns.Rule `toml:"rule"`

	siteRules []detectors.Detector // Rules compiled
}

// duration reads "500ms", "5m" in TOML.
type duration struct{ time.Duration }

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	d.Duration = v
	return err
}

// loadPolicy reads and checks a policy file.
func loadPolicy(path string) (*policy, error) {
	var p policy
	md, err := toml.DecodeFile(path, &p)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		keys := make([]string, len(un))
		for i, k := range un {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("config %s: unknown keys: %s", path, strings.Join(keys, ", "))
	}
	for _, g := range p.Allow.Paths {
		if !doublestar.ValidatePattern(g) {
			return nil, fmt.Errorf("config %s: bad glob in allow.paths: %q", path, g)
		}
	}
	for i, r := range p.Rules {
		if r.ID == "" || r.Category == "" || r.Pattern == "" || len(r.Keywords) == 0 {
			return nil, fmt.Errorf("config %s: rule %d needs id, category, pattern and keywords", path, i+1)
		}
	}
	if p.siteRules, err = detectors.CompileRules(p.Rules); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if len(p.Allow.Values) > 0 && p.hashKey() == "" {
		return nil, fmt.Errorf("config %s: allow.values needs allow.hash_key or ROUEI_ALLOW_KEY", path)
	}
	return &p, nil
}

func (p *policy) hashKey() string {
	if k := os.Getenv("ROUEI_ALLOW_KEY"); k != "" {
		return k
	}
	return p.Allow.HashKey
}

// limits returns the policy's limits (zero fields take the defaults).
func (p *policy) limits() scanners.Limits {
	l := p.Limits
	return scanners.Limits{
		MaxDepth: l.MaxDepth, MaxMemberBytes: l.MaxMemberBytes, MaxArchiveBytes: l.MaxArchiveBytes,
		MaxScanBytes: l.MaxScanBytes, MaxScanMembers: l.MaxScanMembers, MaxRatio: l.MaxRatio, MaxMembers: l.MaxMembers,
		MaxArchiveTime: l.MaxArchiveTime.Duration, MaxSpoolBytes: l.MaxSpoolBytes,
	}.WithDefaults()
}

// pdfConfig returns the policy's PDF limits (zero fields: the pdf
// package's defaults).
func (p *policy) pdfConfig() pdf.Config {
	l := p.Limits
	return pdf.Config{MaxPages: l.PDFPages, MaxPageChars: l.PDFPageChars, MaxTime: l.PDFTime.Duration, MemoryLimit: l.PDFMemory}
}

// allowPath reports whether a path within a target is allow-listed.
func (p *policy) allowPath(rel string) bool {
	for _, g := range p.Allow.Paths {
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
	}
	return false
}

// allowValue reports whether a value is allow-listed by its keyed hash.
func (p *policy) allowValue(category, value string) bool {
	if len(p.Allow.Values) == 0 {
		return false
	}
	h := valueHash(p.hashKey(), category, value)
	for _, v := range p.Allow.Values {
		if hmac.Equal([]byte(strings.ToLower(v)), []byte(h)) {
			return true
		}
	}
	return false
}

// valueHash is the keyed hash of an accepted value: the policy file can be
// shared without disclosing the value, and without the key nobody can
// test guesses against it.
func valueHash(key, category, value string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(category + ":" + value))
	return hex.EncodeToString(m.Sum(nil))
}

// ftpOptions applies the policy's [ftp] section over o.
func (p *policy) ftpOptions(o ftp.Options) ftp.Options {
	f := p.FTP
	if f.Pause.Duration > 0 {
		o.Pause = f.Pause.Duration
	}
	if f.ConnectTimeout.Duration > 0 {
		o.ConnectTimeout = f.ConnectTimeout.Duration
	}
	if f.IdleTimeout.Duration > 0 {
		o.IdleTimeout = f.IdleTimeout.Duration
	}
	if f.ReplyTimeout.Duration > 0 {
		o.ReplyTimeout = f.ReplyTimeout.Duration
	}
	if f.TransferTimeout.Duration > 0 {
		o.TransferTimeout = f.TransferTimeout.Duration
	}
	if f.HostBudget.Duration > 0 {
		o.HostBudget = f.HostBudget.Duration
	}
	if f.MaxFileBytes > 0 {
		o.MaxFileBytes = f.MaxFileBytes
	}
	if f.MaxHostBytes > 0 {
		o.MaxHostBytes = f.MaxHostBytes
	}
	if f.Contact != "" {
		o.Contact = f.Contact
	}
	return o
}
