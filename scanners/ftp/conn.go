package ftp

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// errBudget is returned by connection reads and writes once the host's
// time budget is spent (or the caller's context is cancelled).
var errBudget = errors.New("ftp: host time budget exhausted or scan cancelled")

// deadlineConn is a net.Conn whose every Read and Write runs under a fresh
// idle deadline (now + idle, never past the context's deadline). When the
// context ends, pending and later operations fail at once, except during a
// short grace period granted for the final QUIT.
type deadlineConn struct {
	net.Conn
	idle     time.Duration
	ctx      context.Context
	ctxDL    time.Time // the context's deadline, zero when it has none
	stop     func() bool
	mu       sync.Mutex
	dead     bool
	grace    time.Time
	failed   error // first error a Read or Write returned
	failedMu sync.Mutex
	// hard is the deadline of the whole reply or transfer in progress
	// (zero: none), hardErr what an operation past it fails with.
	hard    time.Time
	hardErr error
}

// setHard sets (or, with a zero t, clears) the deadline of a whole reply
// or transfer: however the peer drips its bytes, operations fail with
// err once t has passed.
func (d *deadlineConn) setHard(t time.Time, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.hard, d.hardErr = t, err
}

// pastHard returns the hard deadline's error when it has passed.
func (d *deadlineConn) pastHard() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.hard.IsZero() && !time.Now().Before(d.hard) {
		return d.hardErr
	}
	return nil
}

func newDeadlineConn(ctx context.Context, c net.Conn, idle time.Duration) *deadlineConn {
	d := &deadlineConn{Conn: c, idle: idle, ctx: ctx}
	d.ctxDL, _ = ctx.Deadline()
	d.stop = context.AfterFunc(ctx, func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.dead = true
		if d.grace.IsZero() {
			_ = d.Conn.SetDeadline(time.Unix(1, 0))
		}
	})
	return d
}

// arm sets the deadline for the next operation.
func (d *deadlineConn) arm() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	if !d.grace.IsZero() {
		if now.Before(d.grace) {
			return d.Conn.SetDeadline(d.grace)
		}
		return errBudget
	}
	if d.dead {
		return errBudget
	}
	dl := now.Add(d.idle)
	if !d.ctxDL.IsZero() && d.ctxDL.Before(dl) {
		dl = d.ctxDL
	}
	if !d.hard.IsZero() {
		if !now.Before(d.hard) {
			return d.hardErr
		}
		if d.hard.Before(dl) {
			dl = d.hard
		}
	}
	return d.Conn.SetDeadline(dl)
}

// allowGrace lets operations go on until t even when the context has ended
// (used to send QUIT after the budget ran out).
func (d *deadlineConn) allowGrace(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.grace = t
	_ = d.Conn.SetDeadline(t)
}

func (d *deadlineConn) fail(err error) {
	d.failedMu.Lock()
	if d.failed == nil {
		d.failed = err
	}
	d.failedMu.Unlock()
}

func (d *deadlineConn) Read(p []byte) (int, error) {
	if err := d.arm(); err != nil {
		d.fail(err)
		return 0, err
	}
	n, err := d.Conn.Read(p)
	if err != nil {
		err = d.timeoutCause(err)
		d.fail(err)
	}
	return n, err
}

func (d *deadlineConn) Write(p []byte) (int, error) {
	if err := d.arm(); err != nil {
		d.fail(err)
		return 0, err
	}
	n, err := d.Conn.Write(p)
	if err != nil {
		err = d.timeoutCause(err)
		d.fail(err)
	}
	return n, err
}

// timeoutCause names the deadline behind a timeout: the whole reply's or
// transfer's when that is the one that passed.
func (d *deadlineConn) timeoutCause(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		if herr := d.pastHard(); herr != nil {
			return herr
		}
	}
	return err
}

func (d *deadlineConn) Close() error {
	d.stop()
	return d.Conn.Close()
}

// broken reports the first error the connection saw, if any.
func (d *deadlineConn) broken() error {
	d.failedMu.Lock()
	defer d.failedMu.Unlock()
	return d.failed
}

// reply is one complete FTP reply seen on the control connection.
type reply struct {
	cmd  string // the verb of the command it answers ("" for the greeting)
	seq  int    // 1 for the first reply parsed, 2 for the next…
	code int
	text string // all lines, "\n"-joined, without CRLF
}

// replay renders a FEAT reply again, well-formed whatever the server sent
// (its lines may have been cut by the reply limits): the feature lines
// between a "211-" and a "211 " line, or a one-line refusal.
func (r *reply) replay() []byte {
	if r.code != 211 {
		return []byte(fmt.Sprintf("%d FEAT not understood\r\n", r.code))
	}
	var b strings.Builder
	b.WriteString("211-Features:\r\n")
	for _, l := range strings.Split(r.text, "\n") {
		if strings.HasPrefix(l, " ") {
			b.WriteString(sanitizeText(l))
			b.WriteString("\r\n")
		}
	}
	b.WriteString("211 End\r\n")
	return []byte(b.String())
}

// maxReplyLine bounds one reply line; maxReplyLines bounds a multi-line reply.
const (
	maxReplyLine  = 4096
	maxReplyLines = 256
)

// replyParser assembles reply lines into replies.
type replyParser struct {
	line  []byte
	lines []string
	code  int // code of the multi-line reply in progress, 0 when none
	done  []reply
	seq   int
}

// idle reports whether no reply is partly read.
func (p *replyParser) idle() bool { return len(p.line) == 0 && len(p.lines) == 0 && p.code == 0 }

// feed consumes bytes read from the control connection.
func (p *replyParser) feed(b []byte, cmd string) {
	for _, c := range b {
		if c == '\n' {
			p.endLine(cmd)
			continue
		}
		if len(p.line) < maxReplyLine {
			p.line = append(p.line, c)
		}
	}
}

func (p *replyParser) endLine(cmd string) {
	l := strings.TrimRight(string(p.line), "\r")
	p.line = p.line[:0]
	if len(p.lines) < maxReplyLines {
		p.lines = append(p.lines, l)
	}
	code, sep := lineCode(l)
	switch {
	case p.code == 0 && code != 0 && sep == '-':
		p.code = code
	case p.code == 0 || (code == p.code && sep == ' '):
		if code == 0 {
			code = p.code
		}
		p.seq++
		p.done = append(p.done, reply{cmd: cmd, seq: p.seq, code: code, text: strings.Join(p.lines, "\n")})
		if len(p.done) > 64 {
			p.done = append(p.done[:0], p.done[len(p.done)-32:]...)
		}
		p.lines = nil
		p.code = 0
	}
}

// lineCode returns the reply code at the start of a line and the character
// after it (' ' for a final line, '-' for a continued one).
func lineCode(l string) (int, byte) {
	if len(l) < 3 {
		return 0, 0
	}
	code, err := strconv.Atoi(l[:3])
	if err != nil || code < 100 || code > 599 {
		return 0, 0
	}
	if len(l) == 3 {
		return code, ' '
	}
	if l[3] == ' ' || l[3] == '-' {
		return code, l[3]
	}
	return 0, 0
}

// ctrlConn is the control connection as the FTP library sees it: plain
// text (TLS, when used, is below it), paced, with every reply recorded.
type ctrlConn struct {
	s       *session
	conn    net.Conn // the deadline-wrapped TCP connection or a TLS client over it
	dc      *deadlineConn
	pending []byte // the greeting, replayed to the library
	parser  replyParser
	lastCmd string
	mu      sync.Mutex
	// awaiting says a reply is being read (its deadline is set)
	awaiting bool
}

func (c *ctrlConn) Read(p []byte) (int, error) {
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	if !c.awaiting {
		// a reply begins: it must be complete within ReplyTimeout
		c.awaiting = true
		c.dc.setHard(time.Now().Add(c.s.opt.ReplyTimeout), c.s.replyDeadlineErr())
	}
	n, err := c.conn.Read(p)
	c.mu.Lock()
	seq := c.parser.seq
	c.parser.feed(p[:n], c.lastCmd)
	if c.parser.seq != seq {
		if c.parser.idle() {
			c.awaiting = false
			c.dc.setHard(time.Time{}, nil)
		} else {
			// another reply has begun in the same read
			c.dc.setHard(time.Now().Add(c.s.opt.ReplyTimeout), c.s.replyDeadlineErr())
		}
	}
	c.mu.Unlock()
	return n, err
}

func (c *ctrlConn) Write(p []byte) (int, error) {
	if f := c.s.feat; f != nil && strings.EqualFold(string(p), "FEAT\r\n") {
		// asked before login already: replay that reply, send nothing
		raw := f.replay()
		c.mu.Lock()
		c.lastCmd = "FEAT"
		c.parser.feed(raw, "FEAT")
		c.mu.Unlock()
		c.pending = append(c.pending, raw...)
		return len(p), nil
	}
	if err := c.s.pace(); err != nil {
		return 0, err
	}
	c.mu.Lock()
	verb := string(p)
	if i := strings.IndexAny(verb, " \r\n"); i >= 0 {
		verb = verb[:i]
	}
	c.lastCmd = strings.ToUpper(verb)
	c.mu.Unlock()
	return c.conn.Write(p)
}

func (c *ctrlConn) Close() error                       { return c.conn.Close() }
func (c *ctrlConn) LocalAddr() net.Addr                { return c.dc.LocalAddr() }
func (c *ctrlConn) RemoteAddr() net.Addr               { return c.dc.RemoteAddr() }
func (c *ctrlConn) SetDeadline(t time.Time) error      { return nil }
func (c *ctrlConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *ctrlConn) SetWriteDeadline(t time.Time) error { return nil }

// lastReply returns the last complete reply, if any.
func (c *ctrlConn) lastReply() (reply, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.parser.done) == 0 {
		return reply{}, false
	}
	return c.parser.done[len(c.parser.done)-1], true
}

// mark returns the sequence number of the last reply parsed so far.
func (c *ctrlConn) mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.parser.seq
}

// replyTo returns the last reply to the command verb parsed after mark, if any.
func (c *ctrlConn) replyTo(verb string, mark int) (reply, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.parser.done) - 1; i >= 0 && c.parser.done[i].seq > mark; i-- {
		if c.parser.done[i].cmd == verb {
			return c.parser.done[i], true
		}
	}
	return reply{}, false
}

// raw sends one command the FTP library has no method for (SYST, PBSZ,
// PROT) while the library is idle and reads its reply byte by byte, so
// that nothing meant for the library is consumed.
func (c *ctrlConn) raw(cmd string) (reply, error) {
	if _, err := c.Write([]byte(cmd + "\r\n")); err != nil {
		return reply{}, err
	}
	return readReply(c)
}

// readReply reads one complete reply from r one byte at a time.
func readReply(r io.Reader) (reply, error) {
	var p replyParser
	var b [1]byte
	total := 0
	for len(p.done) == 0 {
		n, err := r.Read(b[:])
		if n > 0 {
			p.feed(b[:n], "")
			total++
		}
		if err != nil {
			return reply{}, err
		}
		if total > maxReplyLine*8 {
			return reply{}, errors.New("ftp: reply too long")
		}
	}
	return p.done[0], nil
}

// dataConn is a data connection: deadline-wrapped, optionally TLS, with
// what is read captured (bounded) while a listing is in progress.
type dataConn struct {
	net.Conn
	s       *session
	tls     *tls.Conn
	capture *bytes.Buffer
	limit   int
	closed  bool
}

// errListingTooLong ends a listing that exceeds the capture limit.
var errListingTooLong = errors.New("ftp: listing too long")

func (d *dataConn) Read(p []byte) (int, error) {
	if d.capture != nil {
		room := d.limit - d.capture.Len()
		if room <= 0 {
			d.s.listingTruncated = true
			return 0, errListingTooLong
		}
		if len(p) > room {
			p = p[:room]
		}
	}
	n, err := d.Conn.Read(p)
	if d.capture != nil && n > 0 {
		d.capture.Write(p[:n])
	}
	var te *transferDeadlineError
	if errors.As(err, &te) && d.s.stopped == nil {
		// a server that drips its data is not given more time: the
		// probe of this host ends
		d.s.stopped = err
		d.s.errorf("%v: probe ended", err)
	}
	return n, err
}

// Handshake lets the FTP library complete the TLS handshake of an empty
// upload (it looks for this method).
func (d *dataConn) Handshake() error {
	if d.tls != nil {
		return d.tls.Handshake()
	}
	return nil
}

func (d *dataConn) Close() error {
	if !d.closed {
		d.closed = true
		d.s.dataOpen = false
	}
	return d.Conn.Close()
}

// classifyTLS describes a TLS handshake failure.
func classifyTLS(err error) string {
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return fmt.Sprintf("TLS certificate problem: %v", cve.Err)
	}
	return fmt.Sprintf("TLS handshake failed: %v", err)
}
