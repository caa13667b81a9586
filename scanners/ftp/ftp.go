// Package ftp probes FTP endpoints the way the Ebino and Sasaguri library
// servers were found leaking patron data: it logs in anonymously (or as
// the user the target names), records what the server says about itself,
// walks the tree within strict limits, hands every file it fetches to the
// caller as a scanners.Item, infers writable directories from permission
// bits and, only when asked, checks whether an anonymous user can write by
// uploading empty canary files.
//
// Explicit TLS (AUTH TLS) is used when the target asks for it (ftps://)
// or the server offers it in its FEAT reply.
//
// It is deliberately slow and gentle: one control connection per host,
// never two data connections at once, a pause between commands, idle
// deadlines on every read and write, a time and byte budget per host, and
// QUIT at the end whatever happened.
package ftp

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	jftp "github.com/jlaffaye/ftp"

	"github.com/rouei/rouei/scanners"
)

// Defaults of Options; a zero field means its default.
const (
	DefaultPause          = 500 * time.Millisecond
	DefaultConnectTimeout = 10 * time.Second
	DefaultIdleTimeout    = 30 * time.Second
	DefaultHostBudget     = 10 * time.Minute
	DefaultReplyTimeout   = 20 * time.Second
	DefaultTransferTime   = 30 * time.Second
	// TransferSecondsPerMiB is added to a transfer's deadline for each
	// MiB of its listed size (a floor of 1 MiB/s).
	TransferSecondsPerMiB = 1
	DefaultMaxFileBytes   = 100 << 20
	DefaultMaxHostBytes   = 1 << 30
	DefaultMaxDepth       = 16
	DefaultMaxEntries     = 10000
	DefaultContact        = "rouei@localhost"
	// MaxParallelHosts is how many hosts ScanAll probes at once.
	MaxParallelHosts = 4
	// MaxWriteCheckDirs bounds the directories that get a canary.
	MaxWriteCheckDirs = 10
)

// Options are the limits and manners of a probe. The zero value means
// every default.
type Options struct {
	// Pause is the least time between two commands sent to one host
	// (default 500ms; negative: no pause, for tests only).
	Pause time.Duration
	// ConnectTimeout bounds each TCP connect (default 10s).
	ConnectTimeout time.Duration
	// IdleTimeout is the read/write deadline on the control and data
	// connections, renewed on every read and write (default 30s): a
	// server that stops sending fails the operation after this long.
	IdleTimeout time.Duration
	// ReplyTimeout bounds each whole reply on the control connection,
	// from the first read for it to its last line (default 20s): a
	// server that drips a reply byte by byte, each byte within the idle
	// timeout, fails after this long; the probe of the host ends.
	ReplyTimeout time.Duration
	// TransferTimeout bounds each whole data transfer (a listing, a file)
	// plus TransferSecondsPerMiB for each MiB of its listed size (default
	// 30s): a transfer still not done then ends the probe of the host.
	TransferTimeout time.Duration
	// HostBudget is the total time one host may take (default 10m); it
	// bounds every blocking call (connects, reads, writes, pauses, TLS).
	HostBudget time.Duration
	// MaxFileBytes: larger files are listed but not fetched, and reported
	// (default 100 MiB).
	MaxFileBytes int64
	// MaxHostBytes: no more files are fetched from a host once this many
	// bytes came from it (default 1 GiB).
	MaxHostBytes int64
	// MaxDepth is the deepest directory level listed below the start
	// directory (default 16).
	MaxDepth int
	// MaxEntries bounds the listing entries read from one host (default
	// 10,000).
	MaxEntries int
	// Contact is the e-mail address sent as the anonymous password
	// (RFC 1635), so that an operator knows who is knocking (default
	// "rouei@localhost").
	Contact string
	// WriteCheck allows uploading uniquely named empty canary files (and
	// trying to delete them again). Without it nothing is ever written.
	WriteCheck bool
	// InsecureTLS accepts any server certificate: on ftps:// targets and
	// when a plain ftp:// target offers AUTH TLS (without it, an offered
	// upgrade whose certificate does not verify is abandoned: the problem
	// is reported in Result.TLSError and the probe reconnects in plain
	// text).
	InsecureTLS bool
}

func (o Options) withDefaults() Options {
	if o.Pause == 0 {
		o.Pause = DefaultPause
	}
	if o.Pause < 0 {
		o.Pause = 0
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.HostBudget <= 0 {
		o.HostBudget = DefaultHostBudget
	}
	if o.ReplyTimeout <= 0 {
		o.ReplyTimeout = DefaultReplyTimeout
	}
	if o.TransferTimeout <= 0 {
		o.TransferTimeout = DefaultTransferTime
	}
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = DefaultMaxFileBytes
	}
	if o.MaxHostBytes <= 0 {
		o.MaxHostBytes = DefaultMaxHostBytes
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.Contact == "" || strings.ContainsAny(o.Contact, "\r\n") {
		o.Contact = DefaultContact
	}
	return o
}

// Result is what a probe found out about one endpoint. Its fields mirror
// report.Endpoint (same JSON names), plus details of its own.
type Result struct {
	// Target is the target as given, with any password redacted.
	Target         string `json:"target"`
	Reachable      bool   `json:"reachable"`
	AnonymousLogin bool   `json:"anonymous_login"`
	// AnonymousWrite is nil unless Options.WriteCheck was set; then true
	// when any canary upload succeeded.
	AnonymousWrite *bool `json:"anonymous_write"`
	// TLS is true when the control connection ran over TLS: asked for
	// (ftps://) or offered by the server (AUTH TLS in its FEAT reply to a
	// plain ftp:// probe) and negotiated.
	TLS bool `json:"tls"`
	// TLSOffered is true when a plain ftp:// target listed AUTH TLS among
	// its features before login (ftps:// targets do not ask).
	TLSOffered bool `json:"tls_offered"`
	// TLSError says why an offered TLS upgrade was not used or not used
	// fully (certificate not verified, handshake failed, AUTH TLS or PROT P
	// refused); the probe carried on in plain text. "" when there was no
	// such problem. It does not make the probe incomplete.
	TLSError string `json:"tls_error"`
	// Refused is the server's reply when it refused the anonymous login
	// (a 5xx to USER or PASS, "530 Login incorrect."): a result of the
	// probe, not an error; "" when it let us in or was not asked.
	Refused string `json:"refused,omitempty"`
	// Banner is the server's greeting ("220 (vsFTPd 3.0.3)").
	Banner       string `json:"banner,omitempty"`
	ListedFiles  int    `json:"listed_files"`
	FetchedFiles int    `json:"fetched_files"`
	// Error says why the endpoint could not be probed completely ("" when
	// it was).
	Error string `json:"error"`
	// WritableHints are the directories (display paths) whose listing
	// shows write permission for others; nothing was written to find them.
	WritableHints []string `json:"writable_hints,omitempty"`
	// WriteCheck holds one entry per canary (only with Options.WriteCheck).
	WriteCheck []WriteCheck `json:"write_check,omitempty"`
	// System is the reply to SYST, Features the lines of the FEAT reply.
	System   string   `json:"system,omitempty"`
	Features []string `json:"features,omitempty"`
	// Errors are per-file and per-directory problems: unreadable
	// directories, files too large, listing lines that could not be
	// parsed, loops, stalled transfers, limits hit, canaries left behind.
	Errors []FileError `json:"errors,omitempty"`
}

// WriteCheck is one canary upload attempt, as report.WriteCheck.
type WriteCheck struct {
	Dir      string `json:"dir"`
	Canary   string `json:"canary"`
	Uploaded bool   `json:"uploaded"`
	Deleted  bool   `json:"deleted"`
	Reply    string `json:"reply,omitempty"`
}

// FileError is a problem with one file or directory of an endpoint (Path
// is its display path, ftp://host:port/dir/file).
type FileError struct {
	Path string `json:"path"`
	Err  string `json:"error"`
}

// Incomplete reports whether something on the endpoint could not be
// scanned completely (the contract's exit status 3).
func (r *Result) Incomplete() bool {
	return r.Error != "" || len(r.Errors) > 0
}

// target is a parsed ftp:// or ftps:// target.
type target struct {
	scheme   string // "ftp" or "ftps"
	host     string // host name or address, without brackets
	port     string
	user     string
	password string
	hasPass  bool
	path     string // start directory, "" for the login directory
	redacted string
}

func (t target) addr() string { return net.JoinHostPort(t.host, t.port) }

// base is the display prefix of the endpoint's files: scheme://host:port.
func (t target) base() string { return t.scheme + "://" + t.addr() }

func parseTarget(s string) (target, error) {
	u, err := url.Parse(s)
	if err != nil {
		return target{}, fmt.Errorf("ftp: invalid target: %v", err)
	}
	t := target{scheme: strings.ToLower(u.Scheme), host: u.Hostname(), port: u.Port()}
	if t.scheme != "ftp" && t.scheme != "ftps" {
		return target{}, fmt.Errorf("ftp: invalid target %q: scheme must be ftp or ftps", u.Redacted())
	}
	if t.host == "" {
		return target{}, fmt.Errorf("ftp: invalid target %q: no host", u.Redacted())
	}
	if t.port == "" {
		t.port = "21"
	}
	if n, err := strconv.Atoi(t.port); err != nil || n < 1 || n > 65535 {
		return target{}, fmt.Errorf("ftp: invalid target %q: bad port", u.Redacted())
	}
	if u.User != nil {
		t.user = u.User.Username()
		t.password, t.hasPass = u.User.Password()
	}
	if strings.ContainsAny(t.user+t.password+u.Path, "\r\n\x00") {
		return target{}, fmt.Errorf("ftp: invalid target %q: control characters", u.Redacted())
	}
	if u.Path != "" && u.Path != "/" {
		t.path = u.Path
	}
	t.redacted = u.Redacted()
	return t, nil
}

// anonymous reports whether the target logs in anonymously.
func (t target) anonymous() bool {
	switch strings.ToLower(t.user) {
	case "", "anonymous", "ftp":
		return true
	}
	return false
}

// session is the state of one probe of one endpoint.
type session struct {
	ctx      context.Context
	opt      Options
	t        target
	res      *Result
	yield    func(scanners.Item) error
	ctrl     *ctrlConn
	tlsConf  *tls.Config
	dataTLS  bool
	dataOpen bool
	ctrlIP   string
	last     time.Time // when the last command was sent
	// feat is the FEAT reply read before login, replayed to the FTP
	// library when it asks for FEAT after login (nil: not asked, or the
	// server wants it asked again after login).
	feat *reply

	captureBuf       *bytes.Buffer // where the next data connection records what it reads
	nextSize         int64         // listed size of the next file transfer, -1 when unknown or a listing
	listingTruncated bool
	hostBytes        int64
	entries          int
	stopped          error // set when the walk must end (yield error, broken control)
}

// pace waits until Pause has passed since the last command.
func (s *session) pace() error {
	if s.opt.Pause > 0 && !s.last.IsZero() {
		wait := time.Until(s.last.Add(s.opt.Pause))
		if wait > 0 {
			tm := time.NewTimer(wait)
			select {
			case <-tm.C:
			case <-s.ctx.Done():
				tm.Stop()
				if s.ctrl == nil || s.ctrl.dc.grace.IsZero() {
					return errBudget
				}
				time.Sleep(time.Until(s.last.Add(s.opt.Pause)))
			}
		}
	}
	s.last = time.Now()
	return nil
}

// Scan probes one endpoint, target "ftp://[user[:password]@]host[:port][/path]"
// or "ftps://…" (explicit TLS, AUTH TLS, required). A plain ftp:// target
// is asked FEAT before login and upgraded to TLS when it offers AUTH TLS;
// when that fails (an unverifiable certificate without opt.InsecureTLS, a
// refused AUTH TLS) the probe goes on in plain text, reconnecting once if
// the handshake broke the connection, and Result.TLSError says why. Each file it fetches is handed
// to yield as a scanners.Item whose Open (to be called at most once, and
// its stream read and closed inside yield) retrieves the file; a non-nil
// error from yield ends the probe. Scan never writes to the server unless
// opt.WriteCheck is set. The Result says what was found; Scan never
// returns before QUIT was sent (when a connection existed) and it ends
// within opt.HostBudget plus a few seconds.
func Scan(ctx context.Context, targetURL string, opt Options, yield func(scanners.Item) error) Result {
	opt = opt.withDefaults()
	t, err := parseTarget(targetURL)
	if err != nil {
		return Result{Target: redactLoose(targetURL), Error: err.Error()}
	}
	res := Result{Target: t.redacted}
	if opt.WriteCheck {
		f := false
		res.AnonymousWrite = &f
	}
	budgetEnd := time.Now().Add(opt.HostBudget)
	ctx, cancel := context.WithDeadline(ctx, budgetEnd)
	defer cancel()
	s := &session{ctx: ctx, opt: opt, t: t, res: &res, yield: yield}
	if yield == nil {
		s.yield = func(scanners.Item) error { return nil }
	}
	s.run()
	if s.ctx.Err() != nil || !time.Now().Before(budgetEnd) {
		msg := "ftp: scan cancelled"
		if !time.Now().Before(budgetEnd) || errors.Is(context.Cause(s.ctx), context.DeadlineExceeded) {
			msg = fmt.Sprintf("ftp: host time budget (%v) exhausted", opt.HostBudget)
		}
		if res.Error != "" {
			msg += " (" + res.Error + ")"
		}
		res.Error = msg
	}
	return res
}

// redactLoose hides what looks like a password in an unparsable target.
func redactLoose(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if c := strings.Index(rest[:at], ":"); c >= 0 {
				return s[:i+3] + rest[:c] + ":xxxxx" + rest[at:]
			}
		}
	}
	return s
}

func (s *session) errorf(format string, args ...any) {
	if s.res.Error == "" {
		s.res.Error = fmt.Sprintf(format, args...)
	}
}

func (s *session) fileErr(p, format string, args ...any) {
	s.res.Errors = append(s.res.Errors, FileError{Path: p, Err: fmt.Sprintf(format, args...)})
}

// run connects, logs in, walks, checks writes, and always quits.
func (s *session) run() {
	s.tlsConf = &tls.Config{
		ServerName:         s.t.host,
		InsecureSkipVerify: s.opt.InsecureTLS, //nolint:gosec // only when the user asks for it
		ClientSessionCache: tls.NewLRUClientSessionCache(4),
		MinVersion:         tls.VersionTLS12,
	}
	c, err := jftp.Dial(s.t.addr(),
		jftp.DialWithDialFunc(s.dial),
		jftp.DialWithDisabledMLSD(true), // LIST shows permission bits, MLSD often not
	)
	if err != nil {
		s.connectError(err)
		var te tlsError
		if s.ctrl != nil && !errors.As(err, &te) && s.ctrl.dc.broken() == nil {
			// connected but refused or odd: still say goodbye (in clear
			// text: no TLS was negotiated)
			s.ctrl.dc.allowGrace(time.Now().Add(s.quitGrace()))
			if s.pace() == nil {
				_, _ = s.ctrl.dc.Write([]byte("QUIT\r\n"))
			}
		}
		s.closeCtrl()
		return
	}
	defer s.quit(c)
	if !s.login(c) {
		return
	}
	start := s.t.path
	if start == "" {
		if dir, err := c.CurrentDir(); err == nil && strings.HasPrefix(dir, "/") {
			start = dir
		} else {
			start = "/"
		}
	}
	w := newWalker(s, c, start)
	if s.t.path != "" {
		// a target may name a file: CWD tells
		var pe *textproto.Error
		if err := c.ChangeDir(w.start); errors.As(err, &pe) && pe.Code/100 == 5 {
			w.single(w.start)
		} else {
			w.walk()
		}
	} else {
		w.walk()
	}
	if s.opt.WriteCheck && s.stopped == nil && s.ctx.Err() == nil && s.ctrl.dc.broken() == nil {
		if s.t.anonymous() {
			w.writeCheck()
		} else {
			s.fileErr(s.t.base(), "write check skipped: it tests anonymous users and the target names a user")
		}
	}
}

// dial is the FTP library's dial function: the first call makes the
// control connection (greeting read, FEAT and AUTH TLS done here), later
// calls make data connections, always to the control connection's address
// whatever a PASV reply said.
func (s *session) dial(network, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: s.opt.ConnectTimeout}
	if s.ctrl == nil {
		if err := s.connectCtrl(addr); err != nil {
			return nil, err
		}
		if s.t.scheme == "ftps" {
			r, err := s.ctrlCmd("AUTH TLS")
			if err != nil {
				return nil, fmt.Errorf("ftp: AUTH TLS: %w", err)
			}
			if r.code != 234 {
				return nil, fmt.Errorf("ftp: server refused AUTH TLS: %s", firstLines(r.text, 1, 200))
			}
			tc := tls.Client(s.ctrl.dc, s.tlsConf)
			if err := tc.HandshakeContext(s.ctx); err != nil {
				return nil, tlsError{err}
			}
			s.res.TLS = true
			s.ctrl.conn = tc
		} else if err := s.offeredTLS(); err != nil {
			return nil, err
		}
		s.ctrl.pending = []byte("220 rouei replay\r\n")
		return s.ctrl, nil
	}
	if s.dataOpen {
		return nil, errors.New("ftp: refusing a second data connection")
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("ftp: data address: %w", err)
	}
	tcp, err := d.DialContext(s.ctx, "tcp", net.JoinHostPort(s.ctrlIP, port))
	if err != nil {
		return nil, fmt.Errorf("ftp: data connection: %w", err)
	}
	dc := newDeadlineConn(s.ctx, tcp, s.opt.IdleTimeout)
	limit := s.opt.TransferTimeout
	if s.captureBuf != nil {
		limit += time.Duration(maxListingBytes>>20*TransferSecondsPerMiB) * time.Second
	} else if s.nextSize > 0 {
		limit += time.Duration((s.nextSize>>20+1)*TransferSecondsPerMiB) * time.Second
	}
	dc.setHard(time.Now().Add(limit), &transferDeadlineError{limit})
	conn := &dataConn{Conn: dc, s: s, capture: s.captureBuf, limit: maxListingBytes}
	if s.dataTLS {
		tc := tls.Client(dc, s.tlsConf)
		conn.Conn, conn.tls = tc, tc
	}
	s.dataOpen = true
	return conn, nil
}

// transferDeadlineError is a data transfer that was not done in time.
type transferDeadlineError struct{ limit time.Duration }

func (e *transferDeadlineError) Error() string {
	return fmt.Sprintf("ftp: transfer not complete within %v (a drip-feeding or stalled server)", e.limit)
}

// replyDeadlineErr is what a read fails with when a whole reply took
// longer than ReplyTimeout.
func (s *session) replyDeadlineErr() error {
	return fmt.Errorf("ftp: reply not complete within %v (a drip-feeding or stalled server)", s.opt.ReplyTimeout)
}

// tlsError marks a failed TLS handshake on the control connection.
type tlsError struct{ err error }

func (e tlsError) Error() string { return classifyTLS(e.err) }
func (e tlsError) Unwrap() error { return e.err }

// connectCtrl makes the control connection to addr and reads the
// greeting, which must be 220.
func (s *session) connectCtrl(addr string) error {
	d := net.Dialer{Timeout: s.opt.ConnectTimeout}
	tcp, err := d.DialContext(s.ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("ftp: connect: %w", err)
	}
	s.res.Reachable = true
	s.ctrlIP = tcp.RemoteAddr().(*net.TCPAddr).IP.String()
	dc := newDeadlineConn(s.ctx, tcp, s.opt.IdleTimeout)
	s.ctrl = &ctrlConn{s: s, conn: dc, dc: dc}
	s.last = time.Now()
	dc.setHard(time.Now().Add(s.opt.ReplyTimeout), s.replyDeadlineErr())
	greet, err := readReply(dc)
	dc.setHard(time.Time{}, nil)
	if err != nil {
		return fmt.Errorf("ftp: reading greeting: %w", err)
	}
	s.res.Banner = firstLines(greet.text, 4, 512)
	if greet.code != 220 {
		return &textproto.Error{Code: greet.code, Msg: greet.text}
	}
	return nil
}

// ctrlCmd sends one command on the control connection before the FTP
// library takes it over (paced, in clear text) and reads the reply.
func (s *session) ctrlCmd(cmd string) (reply, error) {
	if err := s.pace(); err != nil {
		return reply{}, err
	}
	if _, err := s.ctrl.dc.Write([]byte(cmd + "\r\n")); err != nil {
		return reply{}, err
	}
	s.ctrl.dc.setHard(time.Now().Add(s.opt.ReplyTimeout), s.replyDeadlineErr())
	defer s.ctrl.dc.setHard(time.Time{}, nil)
	return readReply(s.ctrl.dc)
}

// offeredTLS asks a plain ftp:// server for its features before login
// (RFC 2389 allows it) and upgrades the control connection when AUTH TLS
// is among them. A refused AUTH TLS leaves the connection in plain text; a
// failed handshake (an unverifiable certificate, most often) closes it and
// makes one new plain-text control connection to the same address. Either
// way the probe goes on and Result.TLSError says why it is not over TLS.
func (s *session) offeredTLS() error {
	r, err := s.ctrlCmd("FEAT")
	if err != nil {
		return fmt.Errorf("ftp: FEAT: %w", err)
	}
	if r.code == 421 {
		return &textproto.Error{Code: r.code, Msg: r.text}
	}
	r.cmd = "FEAT"
	switch {
	case r.code == 211:
		s.feat = &r
		s.setFeatures(r)
	case r.code == 500 || r.code == 502:
		s.feat = &r // not understood: no use asking again after login
	default:
		return nil // 530 and the like: the library asks again after login
	}
	if !offersAuthTLS(r) {
		return nil
	}
	s.res.TLSOffered = true
	a, err := s.ctrlCmd("AUTH TLS")
	if err != nil {
		return fmt.Errorf("ftp: AUTH TLS: %w", err)
	}
	if a.code == 421 {
		return &textproto.Error{Code: a.code, Msg: a.text}
	}
	if a.code != 234 {
		s.res.TLSError = fmt.Sprintf("server offered AUTH TLS but refused it (%s): carried on in plain text",
			firstLines(a.text, 1, 200))
		return nil
	}
	tc := tls.Client(s.ctrl.dc, s.tlsConf)
	if err := tc.HandshakeContext(s.ctx); err != nil {
		if s.ctx.Err() != nil {
			return tlsError{err}
		}
		// The connection is neither TLS nor clear text any more: close
		// it (no QUIT possible) before making the one new connection.
		s.res.TLSError = classifyTLS(err) + ": reconnected in plain text"
		if !s.opt.InsecureTLS {
			var cve *tls.CertificateVerificationError
			if errors.As(err, &cve) {
				s.res.TLSError += " (--ftp-insecure-tls to accept the certificate)"
			}
		}
		s.closeCtrl()
		s.ctrl = nil
		if err := s.pace(); err != nil {
			return err
		}
		return s.connectCtrl(net.JoinHostPort(s.ctrlIP, s.t.port))
	}
	s.res.TLS = true
	s.ctrl.conn = tc
	return nil
}

// offersAuthTLS reports whether a FEAT reply lists AUTH TLS (as "AUTH
// TLS", "AUTH TLS;SSL", "AUTH SSL TLS"…), case-insensitively.
func offersAuthTLS(r reply) bool {
	for _, l := range strings.Split(r.text, "\n") {
		if !strings.HasPrefix(l, " ") {
			continue // the first and last lines carry the code
		}
		f := strings.FieldsFunc(strings.ToUpper(l), func(c rune) bool {
			return c == ' ' || c == '\t' || c == ';' || c == ','
		})
		if len(f) < 2 || f[0] != "AUTH" {
			continue
		}
		for _, m := range f[1:] {
			if m == "TLS" || m == "TLS-C" {
				return true
			}
		}
	}
	return false
}

// setFeatures records the feature lines of a FEAT reply.
func (s *session) setFeatures(r reply) {
	s.res.Features = nil
	for _, l := range strings.Split(r.text, "\n") {
		if strings.HasPrefix(l, " ") && len(s.res.Features) < 64 {
			s.res.Features = append(s.res.Features, firstLines(strings.TrimSpace(l), 1, 200))
		}
	}
}

func (s *session) connectError(err error) {
	var te tlsError
	var pe *textproto.Error
	switch {
	case errors.As(err, &te):
		s.errorf("ftp: %s", te.Error())
	case errors.As(err, &pe) && pe.Code == 421:
		s.errorf("ftp: server busy or closing (421), backing off: %s", firstLines(pe.Msg, 1, 200))
	case errors.As(err, &pe):
		s.errorf("ftp: unexpected greeting: %s", firstLines(pe.Msg, 1, 200))
	default:
		s.errorf("%v", err)
	}
}

// is421 reports whether the probe ended because the server answered 421.
func (r *Result) is421() bool { return strings.Contains(r.Error, "(421)") }

func (s *session) login(c *jftp.ServerConn) bool {
	user, pass := s.t.user, s.t.password
	if s.t.anonymous() {
		if user == "" {
			user = "anonymous"
		}
		if !s.t.hasPass || pass == "" {
			pass = s.opt.Contact
		}
	}
	err := c.Login(user, pass)
	if err != nil {
		last, ok := s.ctrl.lastReply()
		code := 0
		var pe *textproto.Error
		if errors.As(err, &pe) {
			code = pe.Code
		} else if ok && (last.cmd == "USER" || last.cmd == "PASS") {
			code = last.code
		}
		switch {
		case code == 421:
			s.errorf("ftp: server busy or closing (421), backing off: %s", firstLines(last.text, 1, 200))
		case code >= 500 && code < 600 && s.t.anonymous() && (last.cmd == "USER" || last.cmd == "PASS"):
			// A refused anonymous login (530) is what the probe asked
			// about, not a failure to probe: AnonymousLogin stays false
			// and the endpoint is complete.
			s.res.Refused = firstLines(last.text, 1, 200)
			if s.res.TLSOffered && !s.res.TLS {
				// refused in plain text after an offered TLS could not be
				// used: the server may well let anonymous users in over TLS
				s.errorf("ftp: anonymous refused in plain text (%s) after the offered TLS upgrade failed: not probed completely",
					s.res.Refused)
			}
		case code >= 400 && (last.cmd == "USER" || last.cmd == "PASS"):
			if s.t.anonymous() {
				s.errorf("ftp: anonymous login failed temporarily: %s", firstLines(last.text, 1, 200))
			} else {
				s.errorf("ftp: login refused for the given user: %s", firstLines(last.text, 1, 200))
			}
		default:
			s.errorf("ftp: login: %v", err)
		}
		return false
	}
	s.res.AnonymousLogin = s.t.anonymous()
	if r, ok := s.ctrl.replyTo("FEAT", 0); ok && r.code == 211 {
		s.setFeatures(r)
	}
	if r, err := s.ctrl.raw("SYST"); err == nil && r.code == 215 {
		s.res.System = firstLines(strings.TrimSpace(r.text[min(4, len(r.text)):]), 1, 200)
	} else if err != nil {
		s.errorf("ftp: SYST: %v", err)
		return false
	}
	if s.res.TLS {
		for _, cmd := range []string{"PBSZ 0", "PROT P"} {
			r, err := s.ctrl.raw(cmd)
			if err != nil {
				s.errorf("ftp: %s: %v", cmd, err)
				return false
			}
			if r.code != 200 {
				if s.t.scheme == "ftps" {
					s.errorf("ftp: server refused %s: %s", cmd, firstLines(r.text, 1, 200))
					return false
				}
				// an upgrade the server offered: data in clear text
				// is what a plain ftp:// probe would have had anyway
				s.res.TLSError = fmt.Sprintf("server refused %s (%s): data connections in plain text",
					cmd, firstLines(r.text, 1, 200))
				return true
			}
		}
		s.dataTLS = true
	}
	return true
}

// quit sends QUIT (allowing a short grace when the budget is spent) and
// closes the control connection.
func (s *session) quit(c *jftp.ServerConn) {
	s.ctrl.dc.allowGrace(time.Now().Add(s.quitGrace()))
	_ = c.Quit()
	s.closeCtrl()
}

// quitGrace is how long QUIT may take once the budget is spent.
func (s *session) quitGrace() time.Duration {
	grace := 2 * time.Second
	if s.opt.IdleTimeout < grace {
		grace = s.opt.IdleTimeout
	}
	if s.opt.Pause > 0 {
		grace += s.opt.Pause
	}
	return grace
}

func (s *session) closeCtrl() {
	if s.ctrl != nil {
		_ = s.ctrl.dc.Close()
	}
}

// firstLines keeps at most n lines and max bytes of a reply text.
func firstLines(text string, n, max int) string {
	lines := strings.Split(text, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	out := strings.Join(lines, "\n")
	if len(out) > max {
		out = out[:max]
	}
	return sanitizeText(strings.ToValidUTF8(out, "\uFFFD"))
}

// sanitizeText replaces control characters other than newlines.
func sanitizeText(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// ScanAll probes several targets: different hosts in parallel (at most
// MaxParallelHosts at once), the targets on one host one after another
// over one connection at a time. A host that answered 421 is not probed
// again. yield receives the target (as given) with each item; it is called
// from several goroutines at once (one per host being probed) and must be
// safe for that. Results are in the order of targets.
func ScanAll(ctx context.Context, targets []string, opt Options, yield func(target string, it scanners.Item) error) []Result {
	results := make([]Result, len(targets))
	groups := map[string][]int{}
	var order []string
	for i, tg := range targets {
		key := tg
		if t, err := parseTarget(tg); err == nil {
			key = strings.ToLower(t.host)
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], i)
	}
	sem := make(chan struct{}, MaxParallelHosts)
	var wg sync.WaitGroup
	for _, key := range order {
		idx := groups[key]
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
			}
			defer func() {
				select {
				case <-sem:
				default:
				}
			}()
			busy := false
			pause := opt.withDefaults().Pause
			for n, i := range idx {
				if n > 0 && pause > 0 {
					select {
					case <-time.After(pause):
					case <-ctx.Done():
					}
				}
				tg := targets[i]
				switch {
				case ctx.Err() != nil:
					results[i] = Result{Target: redactLoose(tg), Error: "ftp: scan cancelled"}
				case busy:
					results[i] = Result{Target: redactLoose(tg), Error: "ftp: not probed: the host answered 421 to an earlier target"}
				default:
					var y func(scanners.Item) error
					if yield != nil {
						y = func(it scanners.Item) error { return yield(tg, it) }
					}
					results[i] = Scan(ctx, tg, opt, y)
					busy = results[i].is421()
				}
			}
		}()
	}
	wg.Wait()
	return results
}

// itemReader is the stream an Item's Open returns: bounded by
// MaxFileBytes, accounting bytes to the host, recording failures.
type itemReader struct {
	s       *session
	resp    *jftp.Response
	display string
	n       int64
	eof     bool
	err     error
	closed  bool
	closeFn func(*itemReader)
}

func (r *itemReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.eof {
		return 0, io.EOF
	}
	room := r.s.opt.MaxFileBytes - r.n
	if room <= 0 {
		// one byte more than allowed tells a lying listing from a file
		// of exactly the limit
		var b [1]byte
		n, err := r.resp.Read(b[:])
		if n > 0 {
			r.err = fmt.Errorf("ftp: file larger than the limit (%d bytes): not read completely", r.s.opt.MaxFileBytes)
			return 0, r.err
		}
		if err == io.EOF {
			r.eof = true
			return 0, io.EOF
		}
		r.err = err
		return 0, err
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := r.resp.Read(p)
	r.n += int64(n)
	r.s.hostBytes += int64(n)
	if err == io.EOF {
		r.eof = true
	} else if err != nil {
		r.err = fmt.Errorf("ftp: transfer failed: %w", err)
		return n, r.err
	}
	return n, err
}

func (r *itemReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	err := r.resp.Close()
	r.closeFn(r)
	if err != nil && r.eof {
		return fmt.Errorf("ftp: transfer not confirmed: %w", err)
	}
	return nil
}
