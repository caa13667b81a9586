package textdec

import (
	"fmt"
	"io"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// NewReader returns a reader that decodes r from enc to UTF-8 as a stream,
// with bounded memory whatever the input size. Byte order marks are
// stripped (for UTF-16 a BOM overrides the byte order of enc) and invalid
// input becomes U+FFFD; newlines are kept one for one. Binary and unknown
// encodings cannot be decoded: the returned reader fails on first Read.
func NewReader(r io.Reader, enc Encoding) io.Reader {
	e, err := decoderFor(enc)
	if err != nil {
		return errReader{err}
	}
	return transform.NewReader(r, e.NewDecoder())
}

func decoderFor(enc Encoding) (encoding.Encoding, error) {
	switch enc {
	case UTF8:
		return unicode.UTF8BOM, nil
	case UTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), nil
	case UTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), nil
	case ShiftJIS:
		return japanese.ShiftJIS, nil
	case EUCJP:
		return japanese.EUCJP, nil
	case ISO2022JP:
		return japanese.ISO2022JP, nil
	case Binary:
		return nil, fmt.Errorf("textdec: cannot decode %q data as text", enc)
	default:
		return nil, fmt.Errorf("textdec: unsupported encoding %q", enc)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
