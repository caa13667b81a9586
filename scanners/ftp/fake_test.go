package ftp

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"path"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeServer is a small scripted FTP server for tests: 127.0.0.1 only,
// every connection and loop bounded, closed at test end.
type fakeServer struct {
	t        *testing.T
	ln       net.Listener
	greeting string // full greeting bytes, default "220 fake ready\r\n"
	// anonymous logins are accepted unless refuse is set
	refuse bool
	// dirs and files of the virtual tree (absolute paths, "/" implied)
	dirs  map[string]bool
	files map[string][]byte
	sizes map[string]int64  // listed size overrides
	modes map[string]string // ls mode overrides ("drwxrwxrwx")
	// listFn, when set, replaces the LIST text of a directory
	listFn func(dir string) string
	// nlstFn, when set, replaces the NLST text
	nlstFn func(dir string) string
	// retrFn, when set, writes a RETR's data itself
	retrFn func(w io.Writer, p string)
	// onConn, when set, takes over a whole control connection
	onConn func(c net.Conn)
	// hook runs before a command is handled; returning true means handled
	hook     func(s *fakeSession, verb, arg string) bool
	dos      bool   // answer LIST in DOS/IIS format
	noEPSV   bool   // answer EPSV with 500
	pasvHost string // address advertised in PASV replies, default 127.0.0.1
	feat     string // FEAT reply, default a short list
	writable map[string]bool

	mu      sync.Mutex
	cmds    []cmdRec
	active  int
	maxAct  int
	conns   int
	stored  map[string][]byte
	dataDst []string // where data connections were accepted
}

type cmdRec struct {
	at   time.Time
	conn int
	line string
}

type fakeSession struct {
	srv  *fakeServer
	c    net.Conn
	w    *bufio.Writer
	id   int
	data net.Listener
	cwd  string
}

func newFake(t *testing.T) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeServer{t: t, ln: ln, dirs: map[string]bool{"/": true}, files: map[string][]byte{},
		sizes: map[string]int64{}, modes: map[string]string{}, stored: map[string][]byte{},
		writable: map[string]bool{}}
	t.Cleanup(func() { ln.Close() })
	return f
}

// start begins serving; the test's options are set before.
func (f *fakeServer) start() *fakeServer {
	go func() {
		for i := 0; i < 50; i++ {
			c, err := f.ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

func (f *fakeServer) url(p string) string {
	return "ftp://" + f.ln.Addr().String() + p
}

func (f *fakeServer) addr() string { return f.ln.Addr().String() }

func (f *fakeServer) mkdir(p string) {
	for p != "/" {
		f.dirs[p] = true
		p = path.Dir(p)
	}
}

func (f *fakeServer) file(p string, data []byte) {
	f.mkdir(path.Dir(p))
	f.files[p] = data
}

func (f *fakeServer) commands() []cmdRec {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]cmdRec(nil), f.cmds...)
}

// quitSeen waits (briefly) for the last command to be QUIT: the client
// does not wait for the server's 221.
func (f *fakeServer) quitSeen() bool {
	for i := 0; i < 200; i++ {
		if v := f.verbs(); len(v) > 0 && v[len(v)-1] == "QUIT" {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

func (f *fakeServer) verbs() []string {
	var out []string
	for _, c := range f.commands() {
		v, _, _ := strings.Cut(c.line, " ")
		out = append(out, v)
	}
	return out
}

func (f *fakeServer) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	// A session that is still winding down on this side (its goroutine
	// not yet past the read that sees the client's close) is not a
	// connection the client holds: give it a moment to finish before
	// counting, so "at once" measures the client and not this
	// goroutine's scheduling on a busy machine. A client that really
	// holds two connections keeps the first open through the wait.
	for wait := time.Now().Add(time.Second); ; time.Sleep(5 * time.Millisecond) {
		f.mu.Lock()
		if f.active == 0 || time.Now().After(wait) {
			break
		}
		f.mu.Unlock()
	}
	f.conns++
	id := f.conns
	f.active++
	if f.active > f.maxAct {
		f.maxAct = f.active
	}
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.active--
		f.mu.Unlock()
	}()
	if f.onConn != nil {
		f.onConn(c)
		return
	}
	s := &fakeSession{srv: f, c: c, w: bufio.NewWriter(c), id: id, cwd: "/"}
	defer func() {
		if s.data != nil {
			s.data.Close()
		}
	}()
	g := f.greeting
	if g == "" {
		g = "220 fake ready\r\n"
	}
	s.send(g)
	r := bufio.NewReader(c)
	for i := 0; i < 10000; i++ {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		f.mu.Lock()
		f.cmds = append(f.cmds, cmdRec{at: time.Now(), conn: id, line: line})
		f.mu.Unlock()
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		if f.hook != nil && f.hook(s, verb, arg) {
			continue
		}
		if !s.handle(verb, arg) {
			return
		}
	}
}

func (s *fakeSession) send(text string) {
	_, _ = s.w.WriteString(text)
	_ = s.w.Flush()
}

func (s *fakeSession) abs(arg string) string {
	if arg == "" {
		return s.cwd
	}
	if !strings.HasPrefix(arg, "/") {
		arg = path.Join(s.cwd, arg)
	}
	return path.Clean(arg)
}

// handle answers one command; false ends the session.
func (s *fakeSession) handle(verb, arg string) bool {
	f := s.srv
	switch verb {
	case "USER":
		if f.refuse {
			s.send("331 Please specify the password.\r\n")
		} else {
			s.send("331 Guest login ok, send your e-mail as password.\r\n")
		}
	case "PASS":
		if f.refuse {
			s.send("530 Login incorrect.\r\n")
		} else {
			s.send("230 Login successful.\r\n")
		}
	case "FEAT":
		if f.feat != "" {
			s.send(f.feat)
		} else {
			s.send("211-Features:\r\n EPSV\r\n PASV\r\n SIZE\r\n211 End\r\n")
		}
	case "SYST":
		s.send("215 UNIX Type: L8\r\n")
	case "TYPE", "NOOP", "OPTS":
		s.send("200 OK.\r\n")
	case "PWD":
		s.send(fmt.Sprintf("257 \"%s\" is the current directory\r\n", s.cwd))
	case "CWD":
		p := s.abs(arg)
		if !f.dirs[p] {
			s.send("550 Failed to change directory.\r\n")
		} else {
			s.cwd = p
			s.send("250 OK.\r\n")
		}
	case "EPSV":
		if f.noEPSV {
			s.send("500 EPSV not understood.\r\n")
			return true
		}
		s.listen()
		s.send(fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)\r\n", s.data.Addr().(*net.TCPAddr).Port))
	case "PASV":
		s.listen()
		port := s.data.Addr().(*net.TCPAddr).Port
		host := f.pasvHost
		if host == "" {
			host = "127.0.0.1"
		}
		s.send(fmt.Sprintf("227 Entering Passive Mode (%s,%d,%d).\r\n", strings.ReplaceAll(host, ".", ","), port/256, port%256))
	case "LIST", "NLST":
		p := s.abs(strings.TrimSpace(strings.TrimPrefix(arg, "-a")))
		if !f.dirs[p] {
			s.send("550 Failed to open directory.\r\n")
			return true
		}
		var text string
		switch {
		case verb == "LIST" && f.listFn != nil:
			text = f.listFn(p)
		case verb == "NLST" && f.nlstFn != nil:
			text = f.nlstFn(p)
		default:
			text = f.listing(p, verb == "NLST")
		}
		s.transfer(func(w net.Conn) { _, _ = io.WriteString(w, text) })
	case "RETR":
		p := s.abs(arg)
		data, ok := f.files[p]
		if !ok && f.retrFn == nil {
			s.send("550 Failed to open file.\r\n")
			return true
		}
		s.transfer(func(w net.Conn) {
			if f.retrFn != nil {
				f.retrFn(w, p)
				return
			}
			_, _ = w.Write(data)
		})
	case "STOR":
		p := s.abs(arg)
		if !f.writable[path.Dir(p)] {
			s.send("553 Could not create file.\r\n")
			return true
		}
		var got []byte
		s.transfer(func(c net.Conn) { got, _ = io.ReadAll(io.LimitReader(c, 1<<20)) })
		f.mu.Lock()
		f.stored[p] = got
		f.mu.Unlock()
	case "DELE":
		s.send("550 Permission denied.\r\n")
	case "QUIT":
		s.send("221 Goodbye.\r\n")
		return false
	default:
		s.send("502 Command not implemented.\r\n")
	}
	return true
}

func (s *fakeSession) listen() {
	if s.data != nil {
		s.data.Close()
	}
	ip := s.c.LocalAddr().(*net.TCPAddr).IP.String()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		s.srv.t.Error(err)
		return
	}
	s.data = ln
}

// transfer accepts the data connection, lets fn write, closes, and replies.
func (s *fakeSession) transfer(fn func(c net.Conn)) {
	if s.data == nil {
		s.send("425 Use PASV or EPSV first.\r\n")
		return
	}
	s.send("150 Here comes the data.\r\n")
	ln := s.data
	s.data = nil
	defer ln.Close()
	_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(5 * time.Second))
	dc, err := ln.Accept()
	if err != nil {
		s.send("425 Failed to establish connection.\r\n")
		return
	}
	s.srv.mu.Lock()
	s.srv.dataDst = append(s.srv.dataDst, dc.LocalAddr().String())
	s.srv.mu.Unlock()
	_ = dc.SetDeadline(time.Now().Add(20 * time.Second))
	fn(dc)
	dc.Close()
	s.send("226 Transfer complete.\r\n")
}

// listing renders a directory in ls (or DOS) format, or as NLST names.
func (f *fakeServer) listing(dir string, names bool) string {
	type ent struct {
		name string
		dir  bool
		size int64
	}
	var ents []ent
	prefix := strings.TrimSuffix(dir, "/") + "/"
	for d := range f.dirs {
		if d != "/" && path.Dir(d) == dir {
			ents = append(ents, ent{name: d[len(prefix):], dir: true, size: 4096})
		}
	}
	for p, data := range f.files {
		if path.Dir(p) == dir {
			size := int64(len(data))
			if s, ok := f.sizes[p]; ok {
				size = s
			}
			ents = append(ents, ent{name: p[len(prefix):], size: size})
		}
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].name < ents[j].name })
	var b strings.Builder
	for _, e := range ents {
		switch {
		case names:
			fmt.Fprintf(&b, "%s\r\n", e.name)
		case f.dos && e.dir:
			fmt.Fprintf(&b, "04-01-24  10:15AM       <DIR>          %s\r\n", e.name)
		case f.dos:
			fmt.Fprintf(&b, "04-01-24  10:15AM %20d %s\r\n", e.size, e.name)
		default:
			mode := "-rw-r--r--"
			if e.dir {
				mode = "drwxr-xr-x"
			}
			if m, ok := f.modes[path.Join(dir, e.name)]; ok {
				mode = m
			}
			fmt.Fprintf(&b, "%s    1 0        0 %12d Apr 01  2024 %s\r\n", mode, e.size, e.name)
		}
	}
	return b.String()
}

func listenOn(ip string) (net.Listener, error) { return net.Listen("tcp", ip+":0") }
