// Package detectors finds personal data in decoded, normalised text and
// turns what it finds into file verdicts.
//
// A Detector sees one chunk of normalised UTF-8 text at a time (see
// scanners/textdec.Normalize) and reports Matches with byte offsets into
// that chunk. Detectors do their own cheap byte prefilter before any
// regular expression runs, so that text without digits, '@' or the
// relevant Japanese markers costs almost nothing.
package detectors

// Match is one piece of personal data found in a chunk of text.
//
// Value holds the data itself (normalised: ASCII digits, '-' hyphens).
// It is sensitive: it must never reach a report, log or test failure
// message without going through Mask unless --reveal is given.
type Match struct {
	Detector   string  // stable detector ID, e.g. "jp-phone"
	Category   string  // contract category: phone, email, postal_code, my_number, birth_date, age, ...
	Value      string  // normalised value (sensitive)
	Start, End int     // byte offsets into the chunk text given to Find
	Confidence float64 // 0..1, how sure the detector is that this is personal data of this kind
	Dummy      bool    // recognisably test/dummy data (090-0000-0000, example.com, 123456789018 ...)
}

// Detector finds one kind of personal data.
type Detector interface {
	// ID is the stable detector name used in reports ("jp-phone").
	ID() string
	// Category is the contract category the detector reports ("phone").
	Category() string
	// Find appends the matches found in text to dst and returns it.
	// text is normalised UTF-8 (see textdec.Normalize) and may hold many
	// lines. Find must be safe for concurrent use.
	Find(dst []Match, text []byte) []Match
}
