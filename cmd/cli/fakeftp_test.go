package cli

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

// fakeFTP is a small FTP server for the CLI's sweep tests, on a loopback
// address of the test's choosing (127.0.0.1, 127.0.0.2 …: different hosts
// for the shard partition). It lets an anonymous user list and read a
// virtual tree, or refuses the login. Every connection and loop is
// bounded; it closes at test end. (scanners/ftp/fake_test.go has the
// scripted server of the FTP package's own tests.)
type fakeFTP struct {
	t      *testing.T
	ln     net.Listener
	refuse bool

	mu    sync.Mutex
	files map[string][]byte // absolute paths
}

func startFakeFTP(t *testing.T, ip string, files map[string]string) *fakeFTP {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	f := &fakeFTP{t: t, ln: ln, files: map[string][]byte{}}
	for p, c := range files {
		f.files[p] = []byte(c)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for i := 0; i < 200; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

func (f *fakeFTP) url(p string) string { return "ftp://" + f.ln.Addr().String() + p }

// remove deletes a file from the tree (the server changed between runs).
func (f *fakeFTP) remove(p string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.files, p)
}

// isDir reports whether p is a directory of the tree.
func (f *fakeFTP) isDir(p string) bool {
	if p == "/" {
		return true
	}
	for q := range f.files {
		if strings.HasPrefix(q, p+"/") {
			return true
		}
	}
	return false
}

func (f *fakeFTP) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	w := bufio.NewWriter(c)
	send := func(s string) { _, _ = w.WriteString(s); _ = w.Flush() }
	var data net.Listener
	defer func() {
		if data != nil {
			data.Close()
		}
	}()
	cwd := "/"
	abs := func(arg string) string {
		if arg == "" {
			return cwd
		}
		if !strings.HasPrefix(arg, "/") {
			arg = path.Join(cwd, arg)
		}
		return path.Clean(arg)
	}
	transfer := func(fn func(io.Writer)) {
		if data == nil {
			send("425 Use PASV or EPSV first.\r\n")
			return
		}
		send("150 Here comes the data.\r\n")
		ln := data
		data = nil
		defer ln.Close()
		_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(5 * time.Second))
		dc, err := ln.Accept()
		if err != nil {
			send("425 Failed to establish connection.\r\n")
			return
		}
		_ = dc.SetDeadline(time.Now().Add(20 * time.Second))
		fn(dc)
		dc.Close()
		send("226 Transfer complete.\r\n")
	}
	send("220 fake sweep server ready\r\n")
	r := bufio.NewReader(c)
	for i := 0; i < 10000; i++ {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		switch strings.ToUpper(verb) {
		case "USER":
			send("331 Send your e-mail as password.\r\n")
		case "PASS":
			if f.refuse {
				send("530 Login incorrect.\r\n")
			} else {
				send("230 Login successful.\r\n")
			}
		case "FEAT":
			send("211-Features:\r\n EPSV\r\n PASV\r\n SIZE\r\n211 End\r\n")
		case "SYST":
			send("215 UNIX Type: L8\r\n")
		case "TYPE", "NOOP", "OPTS":
			send("200 OK.\r\n")
		case "PWD":
			send(fmt.Sprintf("257 \"%s\" is the current directory\r\n", cwd))
		case "CWD":
			f.mu.Lock()
			ok := f.isDir(abs(arg))
			f.mu.Unlock()
			if ok {
				cwd = abs(arg)
				send("250 OK.\r\n")
			} else {
				send("550 Failed to change directory.\r\n")
			}
		case "EPSV", "PASV":
			if data != nil {
				data.Close()
			}
			ip := c.LocalAddr().(*net.TCPAddr).IP.String()
			if data, err = net.Listen("tcp", net.JoinHostPort(ip, "0")); err != nil {
				f.t.Error(err)
				return
			}
			port := data.Addr().(*net.TCPAddr).Port
			if strings.EqualFold(verb, "EPSV") {
				send(fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)\r\n", port))
			} else {
				send(fmt.Sprintf("227 Entering Passive Mode (%s,%d,%d).\r\n", strings.ReplaceAll(ip, ".", ","), port/256, port%256))
			}
		case "LIST", "NLST":
			p := abs(strings.TrimSpace(strings.TrimPrefix(arg, "-a")))
			f.mu.Lock()
			ok := f.isDir(p)
			text := f.listing(p, strings.EqualFold(verb, "NLST"))
			f.mu.Unlock()
			if !ok {
				send("550 Failed to open directory.\r\n")
				continue
			}
			transfer(func(w io.Writer) { _, _ = io.WriteString(w, text) })
		case "SIZE":
			f.mu.Lock()
			b, ok := f.files[abs(arg)]
			f.mu.Unlock()
			if ok {
				send(fmt.Sprintf("213 %d\r\n", len(b)))
			} else {
				send("550 Could not get file size.\r\n")
			}
		case "RETR":
			f.mu.Lock()
			b, ok := f.files[abs(arg)]
			f.mu.Unlock()
			if !ok {
				send("550 Failed to open file.\r\n")
				continue
			}
			transfer(func(w io.Writer) { _, _ = w.Write(b) })
		case "QUIT":
			send("221 Goodbye.\r\n")
			return
		default:
			send("502 Command not implemented.\r\n")
		}
	}
}

// listing renders a directory in ls format, or as NLST names (f.mu held).
func (f *fakeFTP) listing(dir string, names bool) string {
	prefix := strings.TrimSuffix(dir, "/") + "/"
	ents := map[string]int64{} // name → size, -1 for a directory
	for p, b := range f.files {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		rest := p[len(prefix):]
		if name, _, sub := strings.Cut(rest, "/"); sub {
			ents[name] = -1
		} else {
			ents[name] = int64(len(b))
		}
	}
	var list []string
	for n := range ents {
		list = append(list, n)
	}
	sort.Strings(list)
	var b strings.Builder
	for _, n := range list {
		switch {
		case names:
			fmt.Fprintf(&b, "%s\r\n", n)
		case ents[n] < 0:
			fmt.Fprintf(&b, "drwxr-xr-x    2 0        0         4096 Apr 01  2024 %s\r\n", n)
		default:
			fmt.Fprintf(&b, "-rw-r--r--    1 0        0 %12d Apr 01  2024 %s\r\n", ents[n], n)
		}
	}
	return b.String()
}
