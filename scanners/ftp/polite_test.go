package ftp

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rouei/rouei/scanners"
)

// checkPace asserts that consecutive commands arrived pause apart. The
// server notes a command when its goroutine reads it, which on a loaded
// machine can be late, so that the next gap looks short: every gap must be
// at least half the pause, and nearly all of them the full pause (less a
// small tolerance). A client that does not pause sends within a
// millisecond of the reply and fails both.
func checkPace(t *testing.T, cmds []cmdRec, pause time.Duration) {
	t.Helper()
	const tolerance = 5 * time.Millisecond
	short := 0
	for i := 1; i < len(cmds); i++ {
		gap := cmds[i].at.Sub(cmds[i-1].at)
		if gap < pause-tolerance {
			short++
		}
		if gap < pause/2 {
			t.Errorf("%d:%q then %d:%q only %v apart (pause %v)", cmds[i-1].conn, cmds[i-1].line, cmds[i].conn, cmds[i].line, gap, pause)
		}
	}
	if short > (len(cmds)-1)/10 {
		t.Errorf("%d of %d gaps shorter than the pause %v", short, len(cmds)-1, pause)
	}
}

func TestPoliteness(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte("a"))
	f.file("/d/b.txt", []byte("b"))
	f.start()
	opt := fastOpts()
	opt.Pause = 150 * time.Millisecond
	var got []fetched
	res := Scan(context.Background(), f.url(""), opt, collect(&got))
	if res.Error != "" || len(got) != 2 {
		t.Fatalf("result %+v", res)
	}
	if !f.quitSeen() {
		t.Fatalf("no QUIT at the end: %v", f.verbs())
	}
	cmds := f.commands()
	if len(cmds) < 15 {
		t.Fatalf("only %d commands: the test proves little", len(cmds))
	}
	checkPace(t, cmds, opt.Pause)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conns != 1 || f.maxAct != 1 {
		t.Errorf("%d control connections, %d at once", f.conns, f.maxAct)
	}
}

func TestScanAllSameHostSerial(t *testing.T) {
	f := newFake(t)
	f.file("/a/x.txt", []byte("x"))
	f.file("/b/y.txt", []byte("y"))
	f.start()
	opt := fastOpts()
	opt.Pause = 100 * time.Millisecond
	var mu sync.Mutex
	seen := map[string]string{}
	targets := []string{f.url("/a"), f.url("/b"), f.url("/a")}
	rs := ScanAll(context.Background(), targets, opt, func(tg string, it scanners.Item) error {
		mu.Lock()
		defer mu.Unlock()
		seen[it.Path] = tg
		return nil
	})
	if len(rs) != 3 || rs[0].ListedFiles != 1 || rs[1].ListedFiles != 1 || rs[2].ListedFiles != 1 {
		t.Fatalf("results %+v", rs)
	}
	if seen["ftp://"+f.addr()+"/b/y.txt"] != targets[1] {
		t.Errorf("yield got the wrong target: %v", seen)
	}
	f.mu.Lock()
	conns, maxAct := f.conns, f.maxAct
	f.mu.Unlock()
	if conns != 3 || maxAct != 1 {
		t.Errorf("%d connections, %d at once: one host is probed serially", conns, maxAct)
	}
	checkPace(t, f.commands(), opt.Pause)
}

func TestScanAllHostsInParallel(t *testing.T) {
	var fakes []*fakeServer
	var targets []string
	for _, ip := range []string{"127.0.0.1", "127.0.0.2"} {
		f := newFake(t)
		f.ln.Close()
		ln, err := listenOn(ip)
		if err != nil {
			t.Skipf("cannot listen on %s: %v", ip, err)
		}
		f.ln = ln
		f.file("/a.txt", []byte(ip))
		f.start()
		fakes = append(fakes, f)
		targets = append(targets, f.url(""))
	}
	opt := fastOpts()
	opt.Pause = 100 * time.Millisecond
	rs := ScanAll(context.Background(), targets, opt, nil)
	for i, r := range rs {
		if r.Error != "" || r.ListedFiles != 1 || r.Target != targets[i] {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	a, b := fakes[0].commands(), fakes[1].commands()
	// the two hosts' sessions overlap in time
	if !(a[0].at.Before(b[len(b)-1].at) && b[0].at.Before(a[len(a)-1].at)) {
		t.Errorf("hosts were probed one after the other")
	}
}

func TestScanAllAtMostFourHosts(t *testing.T) {
	var mu sync.Mutex
	active, peak := 0, 0
	var targets []string
	for i := 1; i <= 6; i++ {
		ip := "127.0.0." + string(rune('0'+i))
		f := newFake(t)
		f.ln.Close()
		ln, err := listenOn(ip)
		if err != nil {
			t.Skipf("cannot listen on %s: %v", ip, err)
		}
		f.ln = ln
		f.onConn = func(c net.Conn) {
			mu.Lock()
			active++
			peak = max(peak, active)
			mu.Unlock()
			time.Sleep(300 * time.Millisecond)
			mu.Lock()
			active--
			mu.Unlock()
			_, _ = c.Write([]byte("421 Busy.\r\n"))
		}
		f.start()
		targets = append(targets, f.url(""))
	}
	rs := ScanAll(context.Background(), targets, fastOpts(), nil)
	for i, r := range rs {
		if !strings.Contains(r.Error, "421") {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	if peak != MaxParallelHosts {
		t.Errorf("peak %d hosts at once, want %d", peak, MaxParallelHosts)
	}
}
