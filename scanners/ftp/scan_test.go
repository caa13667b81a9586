package ftp

import (
	"context"
	"errors"
	"io"
	"net"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/rouei/rouei/scanners"
)

// fastOpts are options for tests: no pause, short timeouts.
func fastOpts() Options {
	return Options{Pause: -1, ConnectTimeout: 2 * time.Second, IdleTimeout: 2 * time.Second, HostBudget: 10 * time.Second}
}

// fetched is what a test's yield read.
type fetched struct {
	path, rel string
	size      int64
	data      string
	err       error
}

// collect returns a yield that reads every item fully inside it.
func collect(got *[]fetched) func(scanners.Item) error {
	return func(it scanners.Item) error {
		f := fetched{path: it.Path, rel: it.Rel, size: it.Size}
		rc, err := it.Open()
		if err != nil {
			f.err = err
		} else {
			b, err := io.ReadAll(rc)
			f.data = string(b)
			f.err = err
			if cerr := rc.Close(); f.err == nil {
				f.err = cerr
			}
		}
		*got = append(*got, f)
		return nil
	}
}

func hasErr(r Result, pathPart, msgPart string) bool {
	for _, e := range r.Errors {
		if strings.Contains(e.Path, pathPart) && strings.Contains(e.Err, msgPart) {
			return true
		}
	}
	return false
}

func sjis(t *testing.T, s string) string {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestScanFakeTree(t *testing.T) {
	for _, dos := range []bool{false, true} {
		name := "unix"
		if dos {
			name = "dos"
		}
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.dos = dos
			f.file("/pub/readme.txt", []byte("hello\n"))
			f.file("/pub/data/"+sjis(t, "督促.csv"), []byte(sjis(t, "氏名,電話\n")))
			f.file("/top.txt", []byte("top"))
			f.mkdir("/incoming")
			f.modes["/incoming"] = "drwxrwxrwx"
			f.start()
			var got []fetched
			res := Scan(context.Background(), f.url(""), fastOpts(), collect(&got))
			if res.Error != "" || !res.Reachable || !res.AnonymousLogin {
				t.Fatalf("result: %+v", res)
			}
			if res.Banner != "220 fake ready" || res.System != "UNIX Type: L8" || len(res.Features) != 3 {
				t.Errorf("banner %q system %q features %q", res.Banner, res.System, res.Features)
			}
			if res.AnonymousWrite != nil {
				t.Errorf("anonymous_write must be nil without WriteCheck")
			}
			if res.ListedFiles != 3 || res.FetchedFiles != 3 || len(got) != 3 {
				t.Fatalf("listed %d fetched %d items %d; errors %v", res.ListedFiles, res.FetchedFiles, len(got), res.Errors)
			}
			sort.Slice(got, func(i, j int) bool { return got[i].rel < got[j].rel })
			base := "ftp://" + f.addr()
			want := []struct{ path, rel, data string }{
				{base + "/pub/data/督促.csv", "pub/data/督促.csv", sjis(t, "氏名,電話\n")},
				{base + "/pub/readme.txt", "pub/readme.txt", "hello\n"},
				{base + "/top.txt", "top.txt", "top"},
			}
			for i, w := range want {
				if got[i].path != w.path || got[i].rel != w.rel || got[i].data != w.data || got[i].err != nil ||
					got[i].size != int64(len(w.data)) {
					t.Errorf("item %d: got %q %q size %d err %v", i, got[i].path, got[i].rel, got[i].size, got[i].err)
				}
			}
			// the raw CP932 name was used for RETR
			retr := false
			for _, c := range f.commands() {
				if c.line == "RETR /pub/data/"+sjis(t, "督促.csv") {
					retr = true
				}
			}
			if !retr {
				t.Errorf("RETR with the raw CP932 name not seen")
			}
			if !dos {
				if len(res.WritableHints) != 1 || res.WritableHints[0] != base+"/incoming" {
					t.Errorf("writable hints %q", res.WritableHints)
				}
			} else if len(res.WritableHints) != 0 {
				t.Errorf("DOS listings have no permission bits, hints %q", res.WritableHints)
			}
			if len(res.Errors) != 0 {
				t.Errorf("errors: %v", res.Errors)
			}
			if !f.quitSeen() {
				t.Errorf("last command not QUIT: %v", f.verbs())
			}
			for _, verb := range f.verbs() {
				if verb == "STOR" || verb == "DELE" || verb == "MKD" || verb == "APPE" {
					t.Errorf("wrote to the server without WriteCheck: %s", verb)
				}
			}
		})
	}
}

func TestStartPathAndCredentials(t *testing.T) {
	f := newFake(t)
	f.file("/a/b/c.txt", []byte("c"))
	f.file("/x.txt", []byte("x"))
	f.start()
	var got []fetched
	u := "ftp://alice:s3cret@" + f.addr() + "/a"
	res := Scan(context.Background(), u, fastOpts(), collect(&got))
	if strings.Contains(res.Target, "s3cret") {
		t.Errorf("password not redacted in %q", res.Target)
	}
	if len(got) != 1 || got[0].rel != "b/c.txt" || got[0].path != "ftp://"+f.addr()+"/a/b/c.txt" {
		t.Fatalf("items %+v", got)
	}
	if res.AnonymousLogin {
		t.Errorf("a named user is not an anonymous login")
	}
	user := ""
	for _, c := range f.commands() {
		if strings.HasPrefix(c.line, "USER ") {
			user = c.line
		}
	}
	if user != "USER alice" {
		t.Errorf("login as %q", user)
	}
}

func TestAnonymousPassword(t *testing.T) {
	f := newFake(t).start()
	opt := fastOpts()
	opt.Contact = "qa@example.jp"
	Scan(context.Background(), f.url(""), opt, nil)
	var lines []string
	for _, c := range f.commands() {
		lines = append(lines, c.line)
	}
	// FEAT comes first (asked before login for AUTH TLS), then the login
	if len(lines) < 3 || lines[0] != "FEAT" || lines[1] != "USER anonymous" || lines[2] != "PASS qa@example.jp" {
		t.Fatalf("first commands: %q", lines[:min(3, len(lines))])
	}
}

func TestAnonymousRefused(t *testing.T) {
	f := newFake(t)
	f.refuse = true
	f.file("/a.txt", []byte("a"))
	f.start()
	res := Scan(context.Background(), f.url(""), fastOpts(), nil)
	if !res.Reachable || res.AnonymousLogin || res.Error != "" || res.Incomplete() || !strings.Contains(res.Refused, "530") {
		t.Fatalf("result %+v", res)
	}
	users := 0
	for _, v := range f.verbs() {
		if v == "USER" {
			users++
		}
		if v == "LIST" || v == "RETR" {
			t.Errorf("%s after a refused login", v)
		}
	}
	if users != 1 {
		t.Errorf("%d USER commands: never try other credentials", users)
	}
	if !f.quitSeen() {
		t.Errorf("no QUIT after refusal: %v", f.verbs())
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res := Scan(context.Background(), "ftp://"+addr, fastOpts(), nil)
	if res.Reachable || res.Error == "" || !res.Incomplete() {
		t.Fatalf("result %+v", res)
	}
}

func TestInvalidTargets(t *testing.T) {
	for i, tg := range []string{"http://example.jp/", "ftp://", "ftp://h:99999/", "ftp://u:pw@h/%0d%0aDELE%20x", "::"} {
		res := Scan(context.Background(), tg, fastOpts(), nil)
		if res.Error == "" || res.Reachable {
			t.Errorf("target %d accepted: %+v", i, res)
		}
		if strings.Contains(res.Target, "pw@") {
			t.Errorf("target %d: password shown: %q", i, res.Target)
		}
	}
}

func TestListingMismatchAndUnparsable(t *testing.T) {
	f := newFake(t)
	f.file("/ok.txt", []byte("ok"))
	f.file("/hidden.csv", []byte("x"))
	f.listFn = func(dir string) string {
		return "total 2\r\n-rw-r--r--    1 0 0 2 Apr 01  2024 ok.txt\r\n??garbled?? hidden.csv\r\n"
	}
	f.start()
	var got []fetched
	res := Scan(context.Background(), f.url(""), fastOpts(), collect(&got))
	if len(got) != 1 || got[0].rel != "ok.txt" {
		t.Fatalf("items %+v", got)
	}
	if !hasErr(res, "/hidden.csv", "not understood in LIST") || !hasErr(res, "", "garbled") {
		t.Fatalf("mismatch not reported: %v", res.Errors)
	}
	if !res.Incomplete() {
		t.Errorf("a dropped entry makes the result incomplete")
	}
}

func TestUnreadableDirContinues(t *testing.T) {
	f := newFake(t)
	f.file("/a/x.txt", []byte("x"))
	f.file("/b/y.txt", []byte("y"))
	f.mkdir("/secret")
	f.hook = func(s *fakeSession, verb, arg string) bool {
		if (verb == "LIST" || verb == "NLST") && strings.Contains(arg, "secret") {
			s.send("550 Permission denied.\r\n")
			return true
		}
		return false
	}
	f.start()
	var got []fetched
	res := Scan(context.Background(), f.url(""), fastOpts(), collect(&got))
	if len(got) != 2 {
		t.Fatalf("items %+v", got)
	}
	if !hasErr(res, "/secret", "550") {
		t.Fatalf("550 not recorded: %v", res.Errors)
	}
	if res.Error != "" {
		t.Errorf("a 550 on one directory is not a host error: %q", res.Error)
	}
}

func TestRetrRefused(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte("a"))
	f.hook = func(s *fakeSession, verb, arg string) bool {
		if verb == "RETR" {
			s.data.Close()
			s.data = nil
			s.send("550 Failed to open file.\r\n")
			return true
		}
		return false
	}
	f.start()
	var got []fetched
	res := Scan(context.Background(), f.url(""), fastOpts(), collect(&got))
	if len(got) != 1 || got[0].err == nil || res.FetchedFiles != 0 || res.ListedFiles != 1 {
		t.Fatalf("items %+v res %+v", got, res)
	}
	if !hasErr(res, "/a.txt", "550") {
		t.Errorf("refused RETR not recorded: %v", res.Errors)
	}
}

func TestYieldErrorStopsAndQuits(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte("a"))
	f.file("/b.txt", []byte("b"))
	f.start()
	n := 0
	stop := errors.New("enough")
	res := Scan(context.Background(), f.url(""), fastOpts(), func(it scanners.Item) error {
		n++
		return stop
	})
	if n != 1 || !strings.Contains(res.Error, "enough") {
		t.Fatalf("n=%d res %+v", n, res)
	}
	for _, v := range f.verbs() {
		if v == "RETR" {
			t.Errorf("RETR without Open")
		}
	}
	if !f.quitSeen() {
		t.Errorf("no QUIT: %v", f.verbs())
	}
}

func TestOpenTwiceAndPartialRead(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte(strings.Repeat("a", 100000)))
	f.file("/b.txt", []byte("b"))
	f.start()
	var second error
	var bData string
	res := Scan(context.Background(), f.url(""), fastOpts(), func(it scanners.Item) error {
		rc, err := it.Open()
		if err != nil {
			return err
		}
		if it.Rel == "a.txt" {
			var b [10]byte
			_, _ = rc.Read(b[:])
			_, second = it.Open()
			// not closed: Scan closes it
			return nil
		}
		d, _ := io.ReadAll(rc)
		bData = string(d)
		return rc.Close()
	})
	if second == nil {
		t.Errorf("second Open succeeded")
	}
	if bData != "b" {
		t.Errorf("after a partly read file the next one reads %q", bData)
	}
	if res.FetchedFiles != 1 {
		t.Errorf("fetched %d, want 1 (the partly read file does not count)", res.FetchedFiles)
	}
}

func TestContextCancel(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte("a"))
	f.start()
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	go func() { time.Sleep(300 * time.Millisecond); cancel() }()
	opt := fastOpts()
	opt.Pause = 200 * time.Millisecond
	res := Scan(ctx, f.url(""), opt, nil)
	if time.Since(start) > 3*time.Second || !strings.Contains(res.Error, "cancel") {
		t.Fatalf("took %v, result %+v", time.Since(start), res)
	}
}

func TestDecodeName(t *testing.T) {
	cases := []struct{ raw, want string }{
		{"plain.txt", "plain.txt"},
		{"督促.csv", "督促.csv"},
		{sjis(t, "延滞者一覧.xls"), "延滞者一覧.xls"},
		{"\xff\xfe", "\uFFFD\uFFFD"},
	}
	for i, c := range cases {
		if got := decodeName(c.raw); got != c.want {
			t.Errorf("case %d: got %q", i, got)
		}
	}
}

func TestOthersWritable(t *testing.T) {
	lines := []string{
		"drwxrwxrwx    2 103      65534        4096 Nov 23 16:11 incoming",
		"drwxr-xr-x    2 0        0            4096 Nov 23 16:11 pub",
		"drwxrwx-wt    2 0        0            4096 Nov 23 16:11 drop box",
		"-rw-rw-rw-    1 0        0               0 Nov 23 16:11 file",
	}
	cases := []struct {
		name     string
		w, found bool
	}{{"incoming", true, true}, {"pub", false, true}, {"drop box", true, true}, {"file", false, false}, {"none", false, false}}
	for _, c := range cases {
		w, found := othersWritable(lines, c.name)
		if w != c.w || found != c.found {
			t.Errorf("%s: got %v %v", c.name, w, found)
		}
	}
}

func TestSingleFileTarget(t *testing.T) {
	f := newFake(t)
	f.file("/pub/list.csv", []byte("a,b\n"))
	f.file("/pub/other.csv", []byte("c"))
	f.start()
	var got []fetched
	res := Scan(context.Background(), f.url("/pub/list.csv"), fastOpts(), collect(&got))
	if len(got) != 1 || got[0].rel != "list.csv" || got[0].data != "a,b\n" || got[0].path != "ftp://"+f.addr()+"/pub/list.csv" {
		t.Fatalf("items %+v result %+v", got, res)
	}
	if res.ListedFiles != 1 || res.FetchedFiles != 1 || res.Error != "" {
		t.Errorf("result %+v", res)
	}
}

func TestAuthTLSRefusedNoFallback(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte("a"))
	f.start()
	res := Scan(context.Background(), "ftps://"+f.addr(), fastOpts(), nil)
	if res.TLS || res.AnonymousLogin || !strings.Contains(res.Error, "AUTH TLS") {
		t.Fatalf("result %+v", res)
	}
	for _, v := range f.verbs() {
		if v == "USER" || v == "PASS" {
			t.Errorf("%s sent in clear text on an ftps:// target", v)
		}
	}
	if !f.quitSeen() {
		t.Errorf("no QUIT: %v", f.verbs())
	}
}

func TestControlCharactersInNames(t *testing.T) {
	f := newFake(t)
	f.file("/evil\x1b[2J.txt", []byte("x"))
	f.greeting = "220 hi\x1b[31m there\r\n"
	f.start()
	var got []fetched
	res := Scan(context.Background(), f.url(""), fastOpts(), collect(&got))
	if len(got) != 1 || strings.ContainsRune(got[0].path, 0x1b) || strings.ContainsRune(got[0].rel, 0x1b) || got[0].data != "x" {
		t.Fatalf("items %+v", got)
	}
	if strings.ContainsRune(res.Banner, 0x1b) {
		t.Errorf("banner %q", res.Banner)
	}
}
