package report

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// appendFindingJSON appends f as compact JSON, the bytes encoding/json
// (with SetEscapeHTML(false)) writes for it, without reflection: the
// findings are most of a report (TestFindingJSONMatchesEncodingJSON
// holds the two together, and fails when Finding gains a field).
func appendFindingJSON(b []byte, f *Finding) []byte {
	b = append(b, `{"fingerprint":`...)
	b = appendJSONString(b, f.Fingerprint)
	b = append(b, `,"path":`...)
	b = appendJSONString(b, f.Path)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(f.Line), 10)
	if f.Offset != 0 {
		b = append(b, `,"offset":`...)
		b = strconv.AppendInt(b, f.Offset, 10)
	}
	b = append(b, `,"detector":`...)
	b = appendJSONString(b, f.Detector)
	b = append(b, `,"category":`...)
	b = appendJSONString(b, f.Category)
	b = append(b, `,"severity":`...)
	b = appendJSONString(b, f.Severity.String())
	b = append(b, `,"confidence":`...)
	b = appendJSONFloat(b, f.Confidence)
	b = append(b, `,"evidence":`...)
	b = appendJSONString(b, f.Evidence)
	if f.Context != "" {
		b = append(b, `,"context":`...)
		b = appendJSONString(b, f.Context)
	}
	if f.Baselined {
		b = append(b, `,"baselined":true}`...)
	} else {
		b = append(b, `,"baselined":false}`...)
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json does without HTML
// escaping: ", \ and control characters escaped (\b \f \n \r \t by
// name), invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSONFloat appends f as encoding/json writes a float64 (NaN and
// infinities, which it refuses, cannot be confidences; they are written
// as 0).
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, '0')
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
