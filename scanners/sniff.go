package scanners

import (
	"path"
	"strings"

	"github.com/h2non/filetype"
)

// SniffMediaType names the media type of content whose first bytes are
// head, by magic bytes (h2non/filetype). Only when the content has no
// known signature and is text is the name's extension used, and then only
// to tell kinds of text apart (CSV, TSV, HTML…); the extension never turns
// binary content into text or the other way round.
func SniffMediaType(name string, head []byte, isText bool) string {
	if t, err := filetype.Match(head); err == nil && t != filetype.Unknown {
		return t.MIME.Value
	}
	if !isText {
		return "application/octet-stream"
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".csv":
		return "text/csv"
	case ".tsv", ".tab":
		return "text/tab-separated-values"
	case ".html", ".htm":
		return "text/html"
	case ".xml":
		return "text/xml"
	case ".md", ".markdown":
		return "text/markdown"
	case ".json":
		return "application/json"
	case ".eml":
		return "message/rfc822"
	case ".sql":
		return "application/sql"
	}
	return "text/plain"
}
