package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes r as indented JSON (schema rouei.report/v1) followed by
// a newline. Times are written in UTC (RFC 3339); HTML characters are not
// escaped, so archive paths ("a.zip!/b.csv") and Japanese stay readable.
// r is not modified: nil slices are written as empty arrays, but sorting
// and the summary are Finalize's job, so call it first.
func WriteJSON(w io.Writer, r *Report) error {
	c := *r
	c.StartedAt = c.StartedAt.UTC()
	c.FinishedAt = c.FinishedAt.UTC()
	c.fillNil()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&c); err != nil {
		return fmt.Errorf("report: writing JSON: %w", err)
	}
	return nil
}
