// Package mail opens e-mail as containers: RFC 5322 messages (.eml),
// mbox files and Outlook .msg files (compound files, read with mscfb).
// Each message becomes a Text member "body" holding its decoded address
// and subject header lines (RFC 2047 words decoded), a blank line, and
// its text body (text/plain, else text/html; base64 and quoted-printable
// undone; ISO-2022-JP, Shift_JIS, EUC-JP and other charsets decoded to
// UTF-8). Attachments become members under their decoded file names
// (ticket.eml!/tokusoku.csv), with their bytes as sent, for the engine to
// sniff; an attached message (message/rfc822) is a member the engine
// opens again. In an mbox the members of message N (from 1) are under
// "N/": inbox.mbox!/12/body, inbox.mbox!/12/tokusoku.csv.
//
// Formats are told by content, never by the name: a header block of mail
// fields at the start, an mbox "From " line followed by one, a compound
// file with the streams of an Outlook message.
package mail

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/rouei/rouei/scanners"
)

// maxHeaderBytes bounds one header block (of a message or a part).
const maxHeaderBytes = 1 << 20

// maxPartDepth bounds multiparts nested in multiparts.
const maxPartDepth = 32

// errCorrupt wraps the errors of mail that cannot be read.
var errCorrupt = errors.New("mail: corrupt message")

// Identify returns the opener for content whose first bytes (up to 64
// KiB) are head, or nil when it is not mail this package reads.
func Identify(_ string, head []byte) scanners.Opener {
	switch {
	case bytes.HasPrefix(head, []byte("From ")):
		i := bytes.IndexByte(head, '\n')
		if i > 0 && looksLikeHeader(head[i+1:]) {
			return mboxOpener{}
		}
	case bytes.HasPrefix(head, magicOLE2):
		if isMsg(head) {
			return msgOpener{}
		}
	case looksLikeHeader(head):
		return emlOpener{}
	}
	return nil
}

// strongFields are the header fields only mail starts with; mailFields
// are the others counted as evidence.
var (
	strongFields = []string{"from", "received", "return-path", "message-id", "mime-version", "delivered-to", "x-original-to"}
	mailFields   = []string{"to", "cc", "subject", "date", "reply-to", "sender", "content-type", "content-transfer-encoding",
		"x-mailer", "user-agent", "in-reply-to", "references", "dkim-signature", "authentication-results", "x-priority", "thread-topic"}
)

// looksLikeHeader reports whether b starts with a header block of mail
// fields: only field and continuation lines up to a blank line (or the
// end of b), starting at b's first byte, with at least two known mail
// fields and one only mail has.
func looksLikeHeader(b []byte) bool {
	strong, known, fields := 0, 0, 0
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
			if len(line) > 0 && fields > 0 {
				break // cut by the end of head
			}
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if fields == 0 {
				return false
			}
			continue
		}
		name, _, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(name) == 0 || !isFieldName(name) {
			return false
		}
		fields++
		n := strings.ToLower(string(name))
		for _, f := range strongFields {
			if n == f {
				strong++
				known++
			}
		}
		for _, f := range mailFields {
			if n == f {
				known++
			}
		}
	}
	return strong > 0 && known >= 2
}

// isFieldName reports whether b is an RFC 5322 field name.
func isFieldName(b []byte) bool {
	for _, c := range b {
		if c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

var magicOLE2 = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// isMsg reports whether the compound file directory entries in head name
// the streams of an Outlook message.
func isMsg(head []byte) bool {
	for o := 512; o+128 <= len(head); o += 128 {
		n := int(binary.LittleEndian.Uint16(head[o+64:]))
		if n < 2 || n > 64 || n%2 != 0 {
			continue
		}
		u := make([]uint16, n/2-1)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(head[o+2*i:])
		}
		name := string(utf16.Decode(u))
		if name == "__properties_version1.0" || name == "__nameid_version1.0" || strings.HasPrefix(name, "__substg1.0_") {
			return true
		}
	}
	return false
}

// walker holds what one Walk shares: context, limits, members and bytes
// so far.
type walker struct {
	ctx     context.Context
	lim     scanners.Limits
	yield   func(scanners.Member) error
	members int
	total   int64
}

func newWalker(ctx context.Context, lim scanners.Limits, yield func(scanners.Member) error) *walker {
	return &walker{ctx: ctx, lim: lim.WithDefaults(), yield: yield}
}

// emit yields a member, counting it against the limits.
func (w *walker) emit(m scanners.Member) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	w.members++
	if w.members > w.lim.MaxMembers {
		return fmt.Errorf("mail: more than %d members: %w", w.lim.MaxMembers, scanners.ErrLimit)
	}
	return w.yield(m)
}

// limited returns r bounded by the member limit and the container's
// remaining budget: reading past either is an error wrapping ErrLimit.
func (w *walker) limited(name string, r io.Reader) io.Reader {
	return &limitReader{r: r, w: w, name: name, left: w.lim.MaxMemberBytes}
}

type limitReader struct {
	r    io.Reader
	w    *walker
	name string
	left int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 || l.w.total >= l.w.lim.MaxArchiveBytes {
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n == 0 {
			return 0, io.EOF
		}
		if l.left <= 0 {
			return 0, fmt.Errorf("mail: %s larger than %d bytes: %w", l.name, l.w.lim.MaxMemberBytes, scanners.ErrLimit)
		}
		return 0, fmt.Errorf("mail: members larger than %d bytes in all: %w", l.w.lim.MaxArchiveBytes, scanners.ErrLimit)
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	l.w.total += int64(n)
	return n, err
}

// emlOpener reads one RFC 5322 message.
type emlOpener struct{}

// Kind implements scanners.Opener.
func (emlOpener) Kind() string { return "eml" }

// NeedsRandomAccess implements scanners.Opener.
func (emlOpener) NeedsRandomAccess() bool { return false }

// Walk implements scanners.Opener.
func (emlOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, lim, yield)
	return walkMessage(w, src.Reader, "")
}
