package ftp

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// drip writes msg one byte at a time, every gap.
func drip(w io.Writer, msg string, gap time.Duration) {
	for i := 0; i < len(msg); i++ {
		if _, err := w.Write([]byte{msg[i]}); err != nil {
			return
		}
		time.Sleep(gap)
	}
}

// TestDripFedReplies: a server whose replies come one byte at a time,
// each byte well within the idle timeout, fails on the whole-reply
// deadline and the probe ends with an endpoint error — at the greeting,
// at a reply during login, and at the reply after a transfer.
func TestDripFedReplies(t *testing.T) {
	slow := "220 " + strings.Repeat("welcome ", 40) + "\r\n"
	cases := []struct {
		name string
		set  func(f *fakeServer)
	}{
		{"greeting", func(f *fakeServer) { f.greeting = slow }},
		{"login", func(f *fakeServer) {
			f.hook = func(s *fakeSession, verb, arg string) bool {
				if verb != "PASS" {
					return false
				}
				drip(s.c, "230-"+strings.Repeat("hello ", 40)+"\r\n230 ok\r\n", 50*time.Millisecond)
				return true
			}
		}},
		{"after transfer", func(f *fakeServer) {
			f.hook = func(s *fakeSession, verb, arg string) bool {
				if verb != "RETR" {
					return false
				}
				ln := s.data
				s.data = nil
				s.send("150 Here comes the data.\r\n")
				if dc, err := ln.Accept(); err == nil {
					io.WriteString(dc, "data")
					dc.Close()
				}
				ln.Close()
				drip(s.c, "226 "+strings.Repeat("done ", 40)+"\r\n", 50*time.Millisecond)
				return true
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			f.file("/a.txt", []byte("data"))
			if c.name == "greeting" {
				f.onConn = func(conn net.Conn) { drip(conn, slow, 50*time.Millisecond) }
			}
			c.set(f)
			f.start()
			opt := fastOpts()
			opt.IdleTimeout = time.Second
			opt.ReplyTimeout = 700 * time.Millisecond
			opt.HostBudget = time.Minute
			res := within(t, 5*time.Second, func() Result { return Scan(context.Background(), f.url(""), opt, collect(new([]fetched))) })
			if !strings.Contains(res.Error, "reply not complete within 700ms") {
				t.Fatalf("result %+v", res)
			}
		})
	}
}

// TestDripFedTransferEndsTheHost: a transfer that drips past its whole-
// transfer deadline fails the file and ends the host's probe: the next
// files are not asked for.
func TestDripFedTransferEndsTheHost(t *testing.T) {
	f := newFake(t)
	for _, p := range []string{"/a.txt", "/b.txt", "/c.txt"} {
		f.file(p, []byte("xxxx"))
	}
	f.retrFn = func(w io.Writer, p string) { drip(w, strings.Repeat("x", 200), 50*time.Millisecond) }
	f.start()
	opt := fastOpts()
	opt.IdleTimeout = time.Second
	opt.TransferTimeout = 600 * time.Millisecond
	opt.HostBudget = time.Minute
	var got []fetched
	res := within(t, 6*time.Second, func() Result { return Scan(context.Background(), f.url(""), opt, collect(&got)) })
	if !strings.Contains(res.Error, "transfer not complete within") || !strings.Contains(res.Error, "probe ended") {
		t.Fatalf("result %+v", res)
	}
	if len(got) != 1 || got[0].err == nil {
		t.Errorf("items %+v: want the first only, failed", got)
	}
	retr := 0
	for _, v := range f.verbs() {
		if v == "RETR" {
			retr++
		}
	}
	if retr != 1 {
		t.Errorf("%d RETR after a dripping transfer, want 1", retr)
	}
	if !f.quitSeen() {
		t.Errorf("no QUIT: %v", f.verbs())
	}
	// a listing that drips is a transfer too
	g := newFake(t)
	g.file("/a.txt", []byte("x"))
	g.listFn = func(string) string { return strings.Repeat(" ", 100) }
	g.hook = func(s *fakeSession, verb, arg string) bool {
		if verb != "LIST" {
			return false
		}
		s.transfer(func(c net.Conn) { drip(c, strings.Repeat("-", 200), 50*time.Millisecond) })
		return true
	}
	g.start()
	opt.TransferTimeout = 300 * time.Millisecond // plus 8 s for a listing's 8 MiB
	res = within(t, 15*time.Second, func() Result { return Scan(context.Background(), g.url(""), opt, nil) })
	if !strings.Contains(res.Error, "transfer not complete within") {
		t.Fatalf("listing: result %+v", res)
	}
}

// TestDripFedHostUnderDefaults: with the default policy (only the pause
// shortened), a server dripping its greeting one byte every 2 s ends with
// an endpoint error well within 60 s.
func TestDripFedHostUnderDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("takes the default reply timeout (20 s)")
	}
	f := newFake(t)
	f.onConn = func(c net.Conn) { drip(c, "220 "+strings.Repeat("slow ", 100)+"\r\n", 2*time.Second) }
	f.start()
	res := within(t, 40*time.Second, func() Result { return Scan(context.Background(), f.url(""), Options{}, nil) })
	if !strings.Contains(res.Error, "reply not complete within 20s") {
		t.Fatalf("result %+v", res)
	}
}
