package mail

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rouei/rouei/scanners"
)

// mboxOpener reads an mbox file (mboxo and mboxrd: ">From " lines in
// bodies are unescaped): message N's members are under "N/".
type mboxOpener struct{}

// Kind implements scanners.Opener.
func (mboxOpener) Kind() string { return "mbox" }

// NeedsRandomAccess implements scanners.Opener.
func (mboxOpener) NeedsRandomAccess() bool { return false }

// Walk implements scanners.Opener.
func (mboxOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, lim, yield)
	br := bufio.NewReaderSize(src.Reader, 64<<10)
	for n := 1; ; n++ {
		if err := skipLine(br); err != nil { // the "From " line
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		mr := &mboxMessage{br: br, lineStart: true}
		err := walkMessage(w, mr, fmt.Sprintf("%d/", n))
		if errors.Is(err, errYield) || errors.Is(err, scanners.ErrLimit) && w.members > w.lim.MaxMembers {
			return err
		}
		if err != nil {
			if yerr := w.emit(scanners.Member{Name: fmt.Sprintf("%d", n), Err: err}); yerr != nil {
				return yerr
			}
		}
		if _, err := io.Copy(io.Discard, mr); err != nil {
			return err
		}
		if mr.eof {
			return nil
		}
	}
}

// skipLine reads past the next '\n'.
func skipLine(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// mboxMessage reads one message of an mbox: up to the next line that
// starts with "From " after a blank line (or followed by a header
// field), with one '>' taken from ">From " lines.
type mboxMessage struct {
	br        *bufio.Reader
	pend      []byte // the rest of the current line, in br's buffer
	lineStart bool   // the next byte read starts a line
	prevBlank bool   // the previous line was blank
	first     bool   // a line has been read
	done, eof bool
}

func (m *mboxMessage) Read(p []byte) (int, error) {
	for len(m.pend) == 0 {
		if m.done {
			return 0, io.EOF
		}
		if m.lineStart && m.first && m.separator() {
			m.done = true
			return 0, io.EOF
		}
		line, err := m.br.ReadSlice('\n')
		if len(line) > 0 {
			if m.lineStart && len(line) > 5 && line[0] == '>' {
				if t := bytes.TrimLeft(line, ">"); bytes.HasPrefix(t, []byte("From ")) {
					line = line[1:]
				}
			}
			start := m.lineStart
			m.lineStart = line[len(line)-1] == '\n'
			if start {
				m.prevBlank = len(bytes.TrimRight(line, "\r\n")) == 0 && m.lineStart
			}
			m.first = true
			m.pend = line
		}
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			m.done, m.eof = true, true
		default:
			return 0, err
		}
	}
	n := copy(p, m.pend)
	m.pend = m.pend[n:]
	return n, nil
}

// separator reports whether the line at the reader starts the next
// message.
func (m *mboxMessage) separator() bool {
	b, _ := m.br.Peek(5)
	if string(b) != "From " {
		return false
	}
	if m.prevBlank {
		return true
	}
	b, _ = m.br.Peek(4096)
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return false
	}
	next := b[i+1:]
	if j := bytes.IndexByte(next, '\n'); j >= 0 {
		next = next[:j]
	}
	k, _, ok := bytes.Cut(next, []byte(":"))
	return ok && len(k) > 0 && isFieldName(k)
}
