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
//
// UTF-8 is passed through without a copy once a BOM is stripped: its
// invalid bytes stay as they are, and Normalize turns them into U+FFFD.
func NewReader(r io.Reader, enc Encoding) io.Reader {
	if enc == UTF8 {
		return &bomStripper{r: r}
	}
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

// bomStripper drops a UTF-8 byte order mark at the start of a stream.
type bomStripper struct {
	r    io.Reader
	head []byte // bytes read while looking for the BOM, not yet returned
	done bool
}

func (b *bomStripper) Read(p []byte) (int, error) {
	if !b.done {
		var buf [3]byte
		n, err := io.ReadFull(b.r, buf[:])
		b.done = true
		if n == 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF {
			n = 0
		}
		b.head = append(b.head[:0], buf[:n]...)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return 0, err
		}
	}
	if len(b.head) > 0 {
		n := copy(p, b.head)
		b.head = b.head[n:]
		return n, nil
	}
	return b.r.Read(p)
}
