package mail

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"

	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/textdec"
)

// bodyHeaders are the header fields written at the top of a message's
// body member: those that name people and what the message is about.
var bodyHeaders = []string{"From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date", "Organization"}

// message is the state of walking one message.
type message struct {
	w      *walker
	prefix string // "" or "12/" in an mbox
	body   bytes.Buffer
	max    int64 // bytes the body may hold
	names  map[string]int
	parts  int
	err    error // the first part error; the walk goes on with the next part
}

// walkMessage walks the message read from r: its attachments as members
// named prefix+name, then its body member prefix+"body". What was read
// before an error is yielded; the error is returned after.
func walkMessage(w *walker, r io.Reader, prefix string) error {
	br := bufio.NewReaderSize(r, 32<<10)
	hdr, err := readHeader(br)
	if err != nil {
		return err
	}
	m := &message{w: w, prefix: prefix, names: map[string]int{},
		max: min(w.lim.MaxMemberBytes, w.lim.MaxInMemoryBytes)}
	for _, k := range bodyHeaders {
		for _, v := range hdr[k] {
			m.body.WriteString(k + ": " + decodeHeader(v) + "\n")
		}
	}
	m.body.WriteString("\n")
	err = m.part(hdr, br, 0)
	if errors.Is(err, errYield) {
		return err
	}
	if err == nil {
		err = m.err
	}
	if yerr := w.emit(scanners.Member{Name: prefix + "body", Size: int64(m.body.Len()), Text: true,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(m.body.Bytes())), nil }}); yerr != nil {
		return yerr
	}
	return err
}

// errYield wraps what yield (or the context) returned: it stops the walk.
var errYield = errors.New("mail: walk stopped")

type yieldErr struct{ err error }

func (e yieldErr) Error() string   { return e.err.Error() }
func (e yieldErr) Unwrap() []error { return []error{errYield, e.err} }

// emit yields a member; an error of yield's is wrapped in errYield.
func (m *message) emit(mb scanners.Member) error {
	if err := m.w.emit(mb); err != nil {
		if errors.Is(err, scanners.ErrLimit) {
			return err
		}
		return yieldErr{err}
	}
	return nil
}

// readHeader reads a header block up to its blank line (at most
// maxHeaderBytes) and parses it leniently: folded lines unfolded, lines
// that are no field skipped.
func readHeader(br *bufio.Reader) (textproto.MIMEHeader, error) {
	h := textproto.MIMEHeader{}
	var key string
	var val strings.Builder
	flush := func() {
		if key != "" {
			h[key] = append(h[key], strings.TrimSpace(val.String()))
		}
		key = ""
		val.Reset()
	}
	n := 0
	for {
		line, err := br.ReadSlice('\n')
		n += len(line)
		if n > maxHeaderBytes {
			return nil, fmt.Errorf("mail: header block larger than %d bytes: %w", maxHeaderBytes, scanners.ErrLimit)
		}
		full := errors.Is(err, bufio.ErrBufferFull)
		if err != nil && !full && !errors.Is(err, io.EOF) {
			return nil, err
		}
		s := strings.TrimRight(string(line), "\r\n")
		switch {
		case full:
			val.WriteString(s) // a long line: the rest follows
			continue
		case s == "" && len(line) > 0:
			flush()
			return h, nil
		case s != "" && (s[0] == ' ' || s[0] == '\t'):
			if key != "" {
				val.WriteString(" " + strings.TrimSpace(s))
			}
		default:
			flush()
			if k, v, ok := strings.Cut(s, ":"); ok && k != "" && isFieldName([]byte(k)) {
				key = textproto.CanonicalMIMEHeaderKey(k)
				val.WriteString(v)
			} else if val.Len() > 0 {
				val.WriteString(s)
			}
		}
		if err != nil { // EOF inside the header: no body
			flush()
			return h, nil
		}
	}
}

// part walks one MIME entity with header h and (transfer-encoded) body.
func (m *message) part(h textproto.MIMEHeader, body io.Reader, depth int) error {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt == "" {
		mt, params = "text/plain", map[string]string{}
		if ct := h.Get("Content-Type"); ct != "" {
			// A broken Content-Type: read what is there as text.
			if t, _, ok := strings.Cut(strings.ToLower(ct), ";"); ok || t != "" {
				if strings.HasPrefix(strings.TrimSpace(t), "multipart/") {
					mt = strings.TrimSpace(t)
				}
			}
		}
	}
	disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	name = decodeHeader(name)
	cte := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding")))
	m.parts++
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		return m.multipart(mt, params["boundary"], body, depth)
	case mt == "message/rfc822" || mt == "message/global":
		if name == "" {
			name = fmt.Sprintf("message%d.eml", m.parts)
		}
		return m.attachment(name, cte, body)
	case name == "" && disp != "attachment" && (mt == "text/plain" || mt == "text/html"):
		return m.text(params["charset"], cte, body)
	default:
		if name == "" {
			name = fmt.Sprintf("part%d%s", m.parts, extFor(mt))
		}
		return m.attachment(name, cte, body)
	}
}

// multipart walks the parts of a multipart entity. Of an alternative,
// only the first part is read (the others say the same).
func (m *message) multipart(mt, boundary string, body io.Reader, depth int) error {
	if boundary == "" {
		return m.text("", "", body)
	}
	if depth >= maxPartDepth {
		return fmt.Errorf("mail: multiparts nested more than %d deep: %w", maxPartDepth, scanners.ErrLimit)
	}
	mr := multipart.NewReader(body, boundary)
	for i := 0; ; i++ {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if i == 0 {
				// No boundary at all: the body is its text.
				return fmt.Errorf("%w: %s without its parts: %v", errCorrupt, mt, err)
			}
			return fmt.Errorf("%w: %s: %v", errCorrupt, mt, err)
		}
		if mt == "multipart/alternative" && i > 0 {
			continue
		}
		if err := m.part(p.Header, p, depth+1); err != nil {
			if errors.Is(err, errYield) || errors.Is(err, scanners.ErrLimit) {
				return err
			}
			if m.err == nil {
				m.err = err
			}
		}
	}
}

// text appends a text part, decoded to UTF-8, to the body.
func (m *message) text(charset, cte string, body io.Reader) error {
	left := m.max - int64(m.body.Len())
	raw, err := io.ReadAll(io.LimitReader(transferReader(cte, body), left+1))
	if int64(len(raw)) > left {
		raw = raw[:max(left, 0)]
		err = fmt.Errorf("mail: body text larger than %d bytes: %w", m.max, scanners.ErrLimit)
	}
	if m.body.Len() > 0 && !bytes.HasSuffix(m.body.Bytes(), []byte("\n\n")) {
		m.body.WriteString("\n")
	}
	m.body.Write(bytes.ReplaceAll(decodeCharset(charset, raw), []byte("\r\n"), []byte("\n")))
	if err != nil && !errors.Is(err, scanners.ErrLimit) {
		err = fmt.Errorf("%w: body: %v", errCorrupt, err)
	}
	return err
}

// attachment yields a part as a member under its file name.
func (m *message) attachment(name, cte string, body io.Reader) error {
	name = m.uniqueName(cleanName(name, m.parts))
	return m.emit(scanners.Member{Name: m.prefix + name, Size: -1, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(m.w.limited(name, transferReader(cte, body))), nil
	}})
}

// uniqueName makes a second "a.csv" of one message "a (2).csv".
func (m *message) uniqueName(name string) string {
	m.names[name]++
	if n := m.names[name]; n > 1 {
		ext := path.Ext(name)
		return fmt.Sprintf("%s (%d)%s", strings.TrimSuffix(name, ext), n, ext)
	}
	return name
}

// cleanName keeps the base name of an attachment's file name, without
// control characters; an empty or dot name becomes partN.
func cleanName(name string, n int) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." || name == "/" {
		return fmt.Sprintf("part%d", n)
	}
	return name
}

// extFor gives a file extension for an unnamed part of a media type.
func extFor(mt string) string {
	switch mt {
	case "text/plain":
		return ".txt"
	case "text/html":
		return ".html"
	case "text/csv":
		return ".csv"
	}
	if exts, _ := mime.ExtensionsByType(mt); len(exts) > 0 {
		return exts[0]
	}
	return ""
}

// transferReader undoes a Content-Transfer-Encoding.
func transferReader(cte string, r io.Reader) io.Reader {
	switch cte {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &b64Filter{r: r})
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}

// b64Filter drops what is not base64 (line breaks, spaces) and ends
// the data at the first character after padding, so that trailing
// garbage does not fail the decode.
type b64Filter struct {
	r         io.Reader
	pad, done bool
}

func (f *b64Filter) Read(p []byte) (int, error) {
	for !f.done {
		n, err := f.r.Read(p)
		k := 0
		for _, c := range p[:n] {
			if c == '=' {
				f.pad = true
				p[k] = c
				k++
				continue
			}
			if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
				if f.pad {
					f.done = true
					break
				}
				p[k] = c
				k++
			}
		}
		if k > 0 {
			return k, nil
		}
		if err != nil {
			return 0, err
		}
	}
	return 0, io.EOF
}

// charsetAliases are names mailers use that the WHATWG index lacks.
var charsetAliases = map[string]string{
	"cp932": "shift_jis", "ms932": "shift_jis", "x-sjis": "shift_jis", "sjis": "shift_jis",
	"eucjp": "euc-jp", "x-euc-jp": "euc-jp", "iso2022jp": "iso-2022-jp", "utf8": "utf-8",
}

// decodeCharset decodes text in the named charset to UTF-8; with no or
// an unknown charset, or UTF-8 that is not, by what textdec.Detect finds.
func decodeCharset(charset string, b []byte) []byte {
	cs := strings.ToLower(strings.Trim(charset, "\" "))
	if a, ok := charsetAliases[cs]; ok {
		cs = a
	}
	switch cs {
	case "", "us-ascii", "ascii", "utf-8", "unknown-8bit", "x-unknown":
		if utf8.Valid(b) && !bytes.Contains(b, []byte{0x1B, '$'}) {
			return b
		}
		return detectDecode(b)
	}
	e, err := htmlindex.Get(cs)
	if err != nil {
		return detectDecode(b)
	}
	out, _, err := transform.Bytes(e.NewDecoder(), b)
	if err != nil {
		return detectDecode(b)
	}
	return out
}

// detectDecode decodes b in the encoding textdec.Detect names.
func detectDecode(b []byte) []byte {
	enc := textdec.Detect(b[:min(len(b), textdec.SampleSize)], len(b) <= textdec.SampleSize)
	if enc == textdec.Binary || enc == textdec.UTF8 {
		return b
	}
	out, err := io.ReadAll(textdec.NewReader(bytes.NewReader(b), enc))
	if err != nil {
		return b
	}
	return out
}

// wordDecoder decodes RFC 2047 encoded words in any charset x/text knows.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
	cs := strings.ToLower(charset)
	if a, ok := charsetAliases[cs]; ok {
		cs = a
	}
	e, err := htmlindex.Get(cs)
	if err != nil {
		return nil, err
	}
	return e.NewDecoder().Reader(input), nil
}}

// decodeHeader decodes a header value's encoded words; raw 8-bit values
// (mailers that send CP932 headers) are decoded as Detect finds.
func decodeHeader(v string) string {
	if v == "" {
		return v
	}
	if d, err := wordDecoder.DecodeHeader(v); err == nil {
		v = d
	}
	if !utf8.ValidString(v) || strings.Contains(v, "\x1b$") {
		v = string(detectDecode([]byte(v)))
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == 0 {
			return ' '
		}
		return r
	}, v)
}
