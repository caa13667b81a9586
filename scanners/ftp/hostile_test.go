package ftp

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// within fails the test when fn takes longer than d.
func within(t *testing.T, d time.Duration, fn func() Result) Result {
	t.Helper()
	start := time.Now()
	res := fn()
	if el := time.Since(start); el > d {
		t.Errorf("took %v, budget %v", el, d)
	}
	return res
}

// sleepOrClosed sleeps d, returning early when the peer goes away.
func sleepOrClosed(c net.Conn, d time.Duration) {
	_ = c.SetReadDeadline(time.Now().Add(d))
	var b [1]byte
	for {
		if _, err := c.Read(b[:]); err != nil {
			return
		}
	}
}

func TestPASVToAnotherAddressIsIgnored(t *testing.T) {
	trapped := atomic.Int32{}
	f := newFake(t)
	f.noEPSV = true
	f.file("/a.txt", []byte("data"))
	f.hook = func(s *fakeSession, verb, arg string) bool {
		if verb != "PASV" {
			return false
		}
		s.listen()
		port := s.data.Addr().(*net.TCPAddr).Port
		trap, err := net.Listen("tcp", fmt.Sprintf("127.0.0.2:%d", port))
		if err != nil {
			t.Errorf("cannot listen on 127.0.0.2:%d: %v", port, err)
			return false
		}
		go func() {
			_ = trap.(*net.TCPListener).SetDeadline(time.Now().Add(3 * time.Second))
			if c, err := trap.Accept(); err == nil {
				trapped.Add(1)
				c.Close()
			}
			trap.Close()
		}()
		s.send(fmt.Sprintf("227 Entering Passive Mode (127,0,0,2,%d,%d).\r\n", port/256, port%256))
		return true
	}
	f.start()
	var got []fetched
	res := Scan(context.Background(), f.url(""), fastOpts(), collect(&got))
	if len(got) != 1 || got[0].data != "data" {
		t.Fatalf("items %+v, result %+v", got, res)
	}
	if n := trapped.Load(); n != 0 {
		t.Fatalf("%d data connections went to the address in the PASV reply", n)
	}
	for _, d := range f.dataDst {
		if !strings.HasPrefix(d, "127.0.0.1:") {
			t.Errorf("data connection at %s", d)
		}
	}
	pasv := 0
	for _, v := range f.verbs() {
		if v == "PASV" {
			pasv++
		}
	}
	if pasv == 0 {
		t.Errorf("PASV never used: the test proves nothing")
	}
}

func TestStallMidReply(t *testing.T) {
	f := newFake(t)
	f.onConn = func(c net.Conn) {
		_, _ = io.WriteString(c, "220-Welcome\r\n220-the rest never comes")
		sleepOrClosed(c, 10*time.Second)
	}
	f.start()
	opt := fastOpts()
	opt.IdleTimeout = 400 * time.Millisecond
	res := within(t, 3*time.Second, func() Result { return Scan(context.Background(), f.url(""), opt, nil) })
	if res.Error == "" || !res.Reachable || res.AnonymousLogin {
		t.Fatalf("result %+v", res)
	}
}

func TestStallMidTransfer(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte("0123456789"))
	f.retrFn = func(w io.Writer, p string) {
		_, _ = io.WriteString(w, "01234")
		time.Sleep(3 * time.Second)
	}
	f.start()
	opt := fastOpts()
	opt.IdleTimeout = 400 * time.Millisecond
	var got []fetched
	res := within(t, 3*time.Second, func() Result { return Scan(context.Background(), f.url(""), opt, collect(&got)) })
	if len(got) != 1 || got[0].err == nil || res.FetchedFiles != 0 {
		t.Fatalf("items %+v result %+v", got, res)
	}
	if !hasErr(res, "/a.txt", "transfer failed") {
		t.Errorf("stalled transfer not recorded: %v", res.Errors)
	}
}

func TestDrippingGreeting(t *testing.T) {
	f := newFake(t)
	f.onConn = func(c net.Conn) {
		msg := "220 " + strings.Repeat("slow ", 100)
		for i := 0; i < len(msg); i++ {
			if _, err := c.Write([]byte{msg[i]}); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	f.start()
	opt := fastOpts()
	opt.IdleTimeout = time.Second
	opt.HostBudget = 1500 * time.Millisecond
	res := within(t, 4*time.Second, func() Result { return Scan(context.Background(), f.url(""), opt, nil) })
	if !strings.Contains(res.Error, "budget") {
		t.Fatalf("result %+v", res)
	}
}

func TestDrippingTransfer(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte("x"))
	f.file("/b.txt", []byte("y"))
	f.retrFn = func(w io.Writer, p string) {
		for i := 0; i < 100; i++ {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	f.start()
	opt := fastOpts()
	opt.IdleTimeout = time.Second
	opt.HostBudget = 1500 * time.Millisecond
	var got []fetched
	res := within(t, 5*time.Second, func() Result { return Scan(context.Background(), f.url(""), opt, collect(&got)) })
	if !strings.Contains(res.Error, "budget") || len(got) != 1 || got[0].err == nil {
		t.Fatalf("items %+v result %+v", got, res)
	}
	if !f.quitSeen() {
		t.Errorf("no QUIT after the budget ran out: %v", f.verbs())
	}
}

func TestEndlessTree(t *testing.T) {
	f := newFake(t)
	f.listFn = func(dir string) string {
		return fmt.Sprintf("drwxr-xr-x 1 0 0 4096 Apr 01  2024 sub\r\n-rw-r--r-- 1 0 0 %d Apr 01  2024 f.txt\r\n", len(dir))
	}
	f.retrFn = func(w io.Writer, p string) { _, _ = io.WriteString(w, strings.Repeat("x", len(p)-len("/f.txt"))) }
	f.hook = func(s *fakeSession, verb, arg string) bool {
		f.dirs[s.abs(arg)] = true // every path is a directory
		return false
	}
	f.start()
	opt := fastOpts()
	opt.MaxDepth = 4
	var got []fetched
	res := within(t, 5*time.Second, func() Result { return Scan(context.Background(), f.url(""), opt, collect(&got)) })
	if len(got) != 5 || !hasErr(res, "/sub/sub/sub/sub/sub", "depth limit (4)") {
		t.Fatalf("%d items, errors %v", len(got), res.Errors)
	}
}

func TestSelfReferencingTree(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte("a"))
	listing := "drwxr-xr-x 1 0 0 4096 Apr 01  2024 .\r\n" +
		"drwxr-xr-x 1 0 0 4096 Apr 01  2024 ..\r\n" +
		"drwxr-xr-x 1 0 0 4096 Apr 01  2024 sub\r\n" +
		"drwxr-xr-x 1 0 0 4096 Apr 01  2024 ../../etc\r\n" +
		"lrwxrwxrwx 1 0 0 1 Apr 01  2024 loop -> .\r\n" +
		"-rw-r--r-- 1 0 0 1 Apr 01  2024 a.txt\r\n"
	f.listFn = func(dir string) string { return listing } // ignores the path
	f.hook = func(s *fakeSession, verb, arg string) bool {
		f.dirs[s.abs(arg)] = true
		return false
	}
	f.start()
	var got []fetched
	res := within(t, 5*time.Second, func() Result { return Scan(context.Background(), f.url(""), fastOpts(), collect(&got)) })
	if len(got) != 1 || got[0].rel != "a.txt" {
		t.Fatalf("items %+v", got)
	}
	for i, want := range [][2]string{{"/sub", "loop suspected"}, {"/loop", "loop, not followed"}, {"/", "unusable name"}} {
		if !hasErr(res, want[0], want[1]) {
			t.Errorf("case %d not reported: %v", i, res.Errors)
		}
	}
}

func TestEntryLimit(t *testing.T) {
	f := newFake(t)
	f.listFn = func(dir string) string {
		var b strings.Builder
		for i := 0; i < 5000; i++ {
			fmt.Fprintf(&b, "-rw-r--r-- 1 0 0 999999999999 Apr 01  2024 f%05d.dat\r\n", i)
		}
		return b.String()
	}
	f.start()
	opt := fastOpts()
	opt.MaxEntries = 100
	res := within(t, 5*time.Second, func() Result { return Scan(context.Background(), f.url(""), opt, nil) })
	if res.ListedFiles != 100 || !hasErr(res, "", "entry limit (100)") {
		t.Fatalf("listed %d, errors %d", res.ListedFiles, len(res.Errors))
	}
}

func TestEndlessListingStream(t *testing.T) {
	f := newFake(t)
	f.hook = func(s *fakeSession, verb, arg string) bool {
		if verb != "LIST" {
			return false
		}
		s.transfer(func(c net.Conn) {
			line := []byte("-rw-r--r-- 1 0 0 999999999999 Apr 01  2024 endless.dat\r\n")
			for i := 0; i < 1<<20; i++ { // 60 MiB at most
				if _, err := c.Write(line); err != nil {
					return
				}
			}
		})
		return true
	}
	f.start()
	res := within(t, 10*time.Second, func() Result { return Scan(context.Background(), f.url(""), fastOpts(), nil) })
	if !hasErr(res, "", "listing longer than") {
		t.Fatalf("result %+v", res)
	}
}

func TestHugeAndLyingFiles(t *testing.T) {
	f := newFake(t)
	f.file("/big.bin", []byte("x"))
	f.sizes["/big.bin"] = 10 << 30
	f.file("/liar.csv", []byte("x"))
	f.sizes["/liar.csv"] = 10
	f.file("/ok.txt", []byte("ok"))
	f.retrFn = func(w io.Writer, p string) {
		if p == "/liar.csv" {
			_, _ = w.Write(make([]byte, 5000))
			return
		}
		_, _ = w.Write(f.files[p])
	}
	f.start()
	opt := fastOpts()
	opt.MaxFileBytes = 1000
	var got []fetched
	res := Scan(context.Background(), f.url(""), opt, collect(&got))
	if res.ListedFiles != 3 || res.FetchedFiles != 1 || len(got) != 2 {
		t.Fatalf("listed %d fetched %d items %+v", res.ListedFiles, res.FetchedFiles, got)
	}
	if !hasErr(res, "/big.bin", "too large") || !hasErr(res, "/liar.csv", "larger than the limit") {
		t.Errorf("errors %v", res.Errors)
	}
	for _, c := range f.commands() {
		if c.line == "RETR /big.bin" {
			t.Errorf("the huge file was fetched")
		}
	}
	for _, g := range got {
		if len(g.data) > 1000 {
			t.Errorf("%s: read %d bytes past the limit", g.rel, len(g.data))
		}
	}
}

func TestHostByteLimit(t *testing.T) {
	f := newFake(t)
	for _, n := range []string{"/a", "/b", "/c"} {
		f.file(n, make([]byte, 600))
	}
	f.start()
	opt := fastOpts()
	opt.MaxHostBytes = 1000
	var got []fetched
	res := Scan(context.Background(), f.url(""), opt, collect(&got))
	if len(got) != 1 || res.FetchedFiles != 1 || !hasErr(res, "/b", "host byte limit") {
		t.Fatalf("items %d result %+v", len(got), res)
	}
}

func TestMalformedReplies(t *testing.T) {
	cases := []struct {
		name  string
		setup func(f *fakeServer)
		check func(t *testing.T, r Result)
	}{
		{"no code greeting", func(f *fakeServer) { f.greeting = "hello there\r\n" }, func(t *testing.T, r Result) {
			if !strings.Contains(r.Error, "unexpected greeting") {
				t.Errorf("%+v", r)
			}
		}},
		{"endless greeting line", func(f *fakeServer) {
			f.onConn = func(c net.Conn) {
				_, _ = c.Write([]byte("220 " + strings.Repeat("A", 100000)))
				sleepOrClosed(c, 5*time.Second)
			}
		}, func(t *testing.T, r Result) {
			if !strings.Contains(r.Error, "too long") {
				t.Errorf("%+v", r)
			}
		}},
		{"binary greeting", func(f *fakeServer) { f.greeting = "\x00\xff\x16\x03\x01garbage\r\n" }, func(t *testing.T, r Result) {
			if r.Error == "" || r.AnonymousLogin {
				t.Errorf("%+v", r)
			}
		}},
		{"bad PASV", func(f *fakeServer) {
			f.noEPSV = true
			f.file("/a.txt", []byte("a"))
			f.hook = func(s *fakeSession, verb, arg string) bool {
				if verb == "PASV" {
					s.send("227 nonsense\r\n")
					return true
				}
				return false
			}
		}, func(t *testing.T, r Result) {
			if !r.AnonymousLogin || !hasErr(r, "/", "not listed") {
				t.Errorf("%+v", r)
			}
		}},
		{"weird USER reply", func(f *fakeServer) {
			f.hook = func(s *fakeSession, verb, arg string) bool {
				if verb == "USER" {
					s.send("999 what\r\n")
					return true
				}
				return false
			}
		}, func(t *testing.T, r Result) {
			if r.AnonymousLogin || r.Error == "" {
				t.Errorf("%+v", r)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			c.setup(f)
			f.start()
			r := within(t, 5*time.Second, func() Result { return Scan(context.Background(), f.url(""), fastOpts(), nil) })
			c.check(t, r)
		})
	}
}

func Test421BacksOff(t *testing.T) {
	f := newFake(t)
	f.greeting = "421 Too many users, try later.\r\n"
	f.start()
	rs := ScanAll(context.Background(), []string{f.url("/a"), f.url("/b")}, fastOpts(), nil)
	if !strings.Contains(rs[0].Error, "421") || !rs[0].Reachable || rs[0].AnonymousLogin {
		t.Errorf("first %+v", rs[0])
	}
	if !strings.Contains(rs[1].Error, "not probed") {
		t.Errorf("second %+v", rs[1])
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conns != 1 {
		t.Errorf("%d connections after a 421", f.conns)
	}
}

func TestWriteCheckFake(t *testing.T) {
	f := newFake(t)
	f.file("/pub/a.txt", []byte("a"))
	f.mkdir("/pub/incoming")
	f.mkdir("/open")
	f.modes["/open"] = "drwxrwxrwx"
	f.writable["/pub/incoming"] = true
	f.start()
	opt := fastOpts()
	opt.WriteCheck = true
	res := Scan(context.Background(), f.url(""), opt, nil)
	if res.AnonymousWrite == nil || !*res.AnonymousWrite {
		t.Fatalf("anonymous write not found: %+v", res)
	}
	dirs := map[string]WriteCheck{}
	for _, w := range res.WriteCheck {
		dirs[w.Dir] = w
		if !strings.HasPrefix(w.Canary, "rouei-canary-") || !strings.HasSuffix(w.Canary, ".txt") {
			t.Errorf("canary name %q", w.Canary)
		}
	}
	if len(dirs) != 3 || dirs["/"].Uploaded || dirs["/open"].Uploaded || !dirs["/pub/incoming"].Uploaded || dirs["/pub/incoming"].Deleted {
		t.Fatalf("write checks %+v", res.WriteCheck)
	}
	inc := dirs["/pub/incoming"]
	if !strings.Contains(inc.Reply, "226") || !strings.Contains(inc.Reply, "550") || !strings.Contains(dirs["/"].Reply, "553") {
		t.Errorf("replies %+v", res.WriteCheck)
	}
	if !hasErr(res, "/pub/incoming/"+inc.Canary, "left behind") {
		t.Errorf("leftover canary not reported: %v", res.Errors)
	}
	f.mu.Lock()
	_, ok := f.stored["/pub/incoming/"+inc.Canary]
	n := len(f.stored)
	f.mu.Unlock()
	if !ok || n != 1 {
		t.Errorf("stored %d files", n)
	}
}

func Test421MidSession(t *testing.T) {
	f := newFake(t)
	f.file("/a/x.txt", []byte("x"))
	f.file("/b/y.txt", []byte("y"))
	f.hook = func(s *fakeSession, verb, arg string) bool {
		if verb == "LIST" && arg == "/a" {
			s.send("421 Too many connections, closing.\r\n")
			return true
		}
		return false
	}
	f.start()
	var got []fetched
	res := Scan(context.Background(), f.url(""), fastOpts(), collect(&got))
	if !strings.Contains(res.Error, "421") || len(got) != 0 {
		t.Fatalf("items %+v result %+v", got, res)
	}
	for _, c := range f.commands() {
		if c.line == "LIST /b" {
			t.Errorf("went on after a 421")
		}
	}
}
