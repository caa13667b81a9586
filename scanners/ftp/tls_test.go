package ftp

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Opportunistic TLS: a plain ftp:// target is asked FEAT before login and
// upgraded when it lists AUTH TLS.

const featAuthTLS = "211-Features:\r\n EPSV\r\n PASV\r\n SIZE\r\n auth tls\r\n PBSZ\r\n PROT\r\n211 End\r\n"

// count returns how many commands had verb.
func count(f *fakeServer, verb string) int {
	n := 0
	for _, v := range f.verbs() {
		if v == verb {
			n++
		}
	}
	return n
}

// before reports whether verb a was first sent before verb b.
func before(f *fakeServer, a, b string) bool {
	for _, v := range f.verbs() {
		switch v {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}

func TestOffersAuthTLS(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"211-Features:\n AUTH TLS\n211 End", true},
		{"211-Features:\n auth tls\n211 End", true},
		{"211-Features:\n AUTH SSL\n AUTH TLS\n211 End", true},
		{"211-Features:\n AUTH TLS;SSL;TLS-C\n211 End", true},
		{"211-Features:\n AUTH TLS-C\n211 End", true},
		{"211-Features:\n AUTH SSL\n211 End", false},
		{"211-Features:\n AUTHTLS\n211 End", false},
		{"211-Features:\n PBSZ\n PROT\n211 End", false},
		{"211-AUTH TLS\n EPSV\n211 End", false},       // not a feature line
		{"211-Features:\n EPSV\n211 AUTH TLS", false}, // nor is the last line
	}
	for i, c := range cases {
		if got := offersAuthTLS(reply{code: 211, text: c.text}); got != c.want {
			t.Errorf("case %d: %v, want %v", i, got, c.want)
		}
	}
}

func TestFeatAskedOnceBeforeLogin(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte("a"))
	f.start()
	var got []fetched
	res := Scan(context.Background(), f.url(""), fastOpts(), collect(&got))
	if res.Error != "" || len(got) != 1 || res.TLS || res.TLSOffered || res.TLSError != "" {
		t.Fatalf("result %+v", res)
	}
	if strings.Join(res.Features, ",") != "EPSV,PASV,SIZE" {
		t.Errorf("features %q", res.Features)
	}
	if n := count(f, "FEAT"); n != 1 || !before(f, "FEAT", "USER") {
		t.Errorf("FEAT sent %d times, before USER %v: %v", n, before(f, "FEAT", "USER"), f.verbs())
	}
	if n := count(f, "AUTH"); n != 0 {
		t.Errorf("AUTH sent to a server that did not offer it")
	}
}

func TestFeatRefusedBeforeLoginAskedAgain(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte("a"))
	var mu sync.Mutex
	loggedIn := false
	f.hook = func(s *fakeSession, verb, arg string) bool {
		mu.Lock()
		defer mu.Unlock()
		switch verb {
		case "PASS":
			loggedIn = true
		case "FEAT":
			if !loggedIn {
				s.send("530 Please login with USER and PASS.\r\n")
				return true
			}
			s.send(featAuthTLS) // after login: too late to upgrade
			return true
		}
		return false
	}
	f.start()
	res := Scan(context.Background(), f.url(""), fastOpts(), nil)
	if res.Error != "" || res.ListedFiles != 1 || res.TLS || res.TLSOffered {
		t.Fatalf("result %+v", res)
	}
	if n := count(f, "FEAT"); n != 2 {
		t.Errorf("FEAT sent %d times, want before and after login: %v", n, f.verbs())
	}
	if len(res.Features) != 6 {
		t.Errorf("features of the reply after login not kept: %q", res.Features)
	}
}

func TestLongFeatReplyReplayedWellFormed(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte("a"))
	var b strings.Builder
	b.WriteString("211-Features:\r\n")
	for i := 0; i < 2*maxReplyLines; i++ { // more lines than a reply keeps
		fmt.Fprintf(&b, " X-FEATURE-%d\r\n", i)
	}
	b.WriteString("211 End\r\n")
	f.feat = b.String()
	f.start()
	start := time.Now()
	res := Scan(context.Background(), f.url(""), fastOpts(), nil)
	if res.Error != "" || res.ListedFiles != 1 || len(res.Features) != 64 {
		t.Fatalf("result %+v", res)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("scan took %v: the replayed FEAT reply was not complete", d)
	}
	if n := count(f, "FEAT"); n != 1 {
		t.Errorf("FEAT sent %d times", n)
	}
}

func TestOfferedAuthTLSRefusedCarriesOn(t *testing.T) {
	f := newFake(t)
	f.file("/a.txt", []byte("a"))
	f.file("/d/b.txt", []byte("b"))
	f.feat = featAuthTLS // AUTH itself falls to the fake's 502
	f.start()
	opt := fastOpts()
	opt.Pause = 100 * time.Millisecond
	var got []fetched
	res := Scan(context.Background(), f.url(""), opt, collect(&got))
	if res.Error != "" || !res.AnonymousLogin || len(got) != 2 || res.FetchedFiles != 2 {
		t.Fatalf("result %+v", res)
	}
	if res.TLS || !res.TLSOffered || !strings.Contains(res.TLSError, "refused") || !strings.Contains(res.TLSError, "502") {
		t.Errorf("tls %v offered %v error %q", res.TLS, res.TLSOffered, res.TLSError)
	}
	if res.Incomplete() {
		t.Errorf("a refused upgrade made the probe incomplete: %+v", res.Errors)
	}
	if !before(f, "AUTH", "USER") || count(f, "AUTH") != 1 || count(f, "FEAT") != 1 || count(f, "PBSZ") != 0 {
		t.Errorf("commands %v", f.verbs())
	}
	if !f.quitSeen() {
		t.Errorf("no QUIT: %v", f.verbs())
	}
	checkPace(t, f.commands(), opt.Pause)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conns != 1 || f.maxAct != 1 {
		t.Errorf("%d control connections, %d at once: the refusal needs no new one", f.conns, f.maxAct)
	}
}

// tlsFake answers AUTH TLS with 234 and a TLS handshake with a
// self-signed certificate (and no further TLS: the client is expected to
// give up on it).
func tlsFake(t *testing.T) *fakeServer {
	cert, key := selfSigned(t, t.TempDir())
	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t)
	f.feat = featAuthTLS
	f.hook = func(s *fakeSession, verb, arg string) bool {
		if verb != "AUTH" {
			return false
		}
		s.send("234 Proceed with negotiation.\r\n")
		tc := tls.Server(s.c, &tls.Config{Certificates: []tls.Certificate{pair}})
		if err := tc.Handshake(); err == nil {
			t.Errorf("the client accepted a self-signed certificate")
		}
		// wait for the client to drop the broken connection: if it
		// kept it while reconnecting, both would count as open at once
		_ = s.c.SetReadDeadline(time.Now().Add(3 * time.Second))
		_, _ = io.Copy(io.Discard, s.c)
		_ = s.c.Close()
		return true
	}
	return f
}

func TestOfferedTLSBadCertificateReconnectsInPlainText(t *testing.T) {
	f := tlsFake(t)
	f.file("/a.txt", []byte("a"))
	f.file("/d/b.txt", []byte("b"))
	f.start()
	opt := fastOpts()
	opt.Pause = 100 * time.Millisecond
	var got []fetched
	res := Scan(context.Background(), f.url(""), opt, collect(&got))
	if res.Error != "" || !res.AnonymousLogin || len(got) != 2 || res.FetchedFiles != 2 {
		t.Fatalf("result %+v", res)
	}
	if res.TLS || !res.TLSOffered || !strings.Contains(res.TLSError, "certificate") ||
		!strings.Contains(res.TLSError, "reconnected in plain text") || !strings.Contains(res.TLSError, "--ftp-insecure-tls") {
		t.Errorf("tls %v offered %v error %q", res.TLS, res.TLSOffered, res.TLSError)
	}
	if len(res.Features) != 6 {
		t.Errorf("features %q", res.Features)
	}
	if !f.quitSeen() {
		t.Errorf("no QUIT: %v", f.verbs())
	}
	cmds := f.commands()
	checkPace(t, cmds, opt.Pause)
	var first, second []string
	for _, c := range cmds {
		if c.conn == 1 {
			first = append(first, c.line)
		} else {
			second = append(second, c.line)
		}
	}
	// one FEAT in all, no second AUTH, no login on the broken connection
	if strings.Join(first, ",") != "FEAT,AUTH TLS" || len(second) == 0 || second[0] != "USER anonymous" {
		t.Errorf("first connection %q, second starts %q", first, second[:min(1, len(second))])
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conns != 2 || f.maxAct != 1 {
		t.Errorf("%d control connections, %d at once: want one reconnect, never two at a time", f.conns, f.maxAct)
	}
}

func TestOfferedTLSHandshakeAfterBudget(t *testing.T) {
	f := tlsFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.hook = func(s *fakeSession, verb, arg string) bool {
		if verb == "AUTH" {
			s.send("234 Proceed with negotiation.\r\n")
			time.Sleep(50 * time.Millisecond)
			cancel() // the scan ends while the client waits for the handshake
			time.Sleep(200 * time.Millisecond)
			return true
		}
		return false
	}
	f.start()
	res := Scan(ctx, f.url(""), fastOpts(), nil)
	if res.Error == "" || res.AnonymousLogin || res.TLS {
		t.Fatalf("result %+v", res)
	}
	time.Sleep(100 * time.Millisecond)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conns != 1 {
		t.Errorf("%d connections: no reconnect once the scan was cancelled", f.conns)
	}
}

// tlsOfferingVsftpd runs vsftpd with TLS available but not required
// (unless forceData), a self-signed certificate and an upload directory.
func tlsOfferingVsftpd(t *testing.T, forceData bool) (*vsftpdServer, string) {
	requireVsftpd(t)
	u, err := user.Lookup("ftp")
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	cert, key := selfSigned(t, t.TempDir())
	name, csv := overdueCSV(t)
	force := "NO"
	if forceData {
		force = "YES"
	}
	srv := startVsftpd(t, fmt.Sprintf(`anonymous_enable=YES
write_enable=YES
anon_upload_enable=YES
ssl_enable=YES
allow_anon_ssl=YES
force_local_logins_ssl=NO
force_anon_logins_ssl=NO
force_anon_data_ssl=%s
ssl_ciphers=HIGH
require_ssl_reuse=YES
rsa_cert_file=%s
rsa_private_key_file=%s
`, force, cert, key), func(root string) {
		writeFile(t, filepath.Join(root, "pub", name), []byte(csv))
		writeFile(t, filepath.Join(root, "pub", "readme.txt"), []byte("clean\n"))
		inc := filepath.Join(root, "incoming")
		if err := os.Mkdir(inc, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(inc, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(inc, uid, gid); err != nil {
			t.Fatal(err)
		}
	})
	return srv, csv
}

// checkTwoFiles asserts the two files of tlsOfferingVsftpd were fetched.
func checkTwoFiles(t *testing.T, got []fetched, csv string) {
	t.Helper()
	sort.Slice(got, func(i, j int) bool { return got[i].rel < got[j].rel })
	if len(got) != 2 || got[0].rel != "pub/readme.txt" || got[0].data != "clean\n" ||
		got[1].rel != "pub/督促.csv" || got[1].data != csv {
		t.Errorf("%d items fetched, or not the right content", len(got))
	}
}

func TestVsftpdOfferedTLS(t *testing.T) {
	srv, csv := tlsOfferingVsftpd(t, false)
	target := "ftp://" + srv.addr

	// the canary the write check leaves behind is unreadable: that
	// subtest comes last
	t.Run("certificate not verified: plain text", func(t *testing.T) {
		var got []fetched
		res := Scan(context.Background(), target, vsOpts(), collect(&got))
		if res.Error != "" || res.TLS || !res.TLSOffered || !res.AnonymousLogin || res.FetchedFiles != 2 {
			t.Fatalf("result %+v; log %s", res, srv.log)
		}
		if !strings.Contains(res.TLSError, "certificate") || !strings.Contains(res.TLSError, "reconnected in plain text") {
			t.Errorf("tls error %q", res.TLSError)
		}
		checkTwoFiles(t, got, csv)
		if res.Incomplete() {
			t.Errorf("the plain-text fallback made the probe incomplete: %+v", res.Errors)
		}
	})
	t.Run("insecure: upgraded", func(t *testing.T) {
		opt := vsOpts()
		opt.InsecureTLS = true
		opt.WriteCheck = true
		var got []fetched
		res := Scan(context.Background(), target, opt, collect(&got))
		if res.Error != "" || !res.TLS || !res.TLSOffered || res.TLSError != "" || !res.AnonymousLogin || res.FetchedFiles != 2 {
			t.Fatalf("result %+v; log %s", res, srv.log)
		}
		checkTwoFiles(t, got, csv)
		if res.AnonymousWrite == nil || !*res.AnonymousWrite || len(res.WriteCheck) != 2 || !res.WriteCheck[1].Uploaded {
			t.Errorf("write check over TLS: %+v", res.WriteCheck)
		} else if _, err := os.Stat(filepath.Join(srv.root, "incoming", res.WriteCheck[1].Canary)); err != nil {
			t.Errorf("canary not on disk: %v", err)
		}
	})
}

// With the server refusing anonymous data in clear text, a successful
// fetch proves PBSZ/PROT P were sent and the data connections ran TLS.
func TestVsftpdOfferedTLSDataProtected(t *testing.T) {
	srv, csv := tlsOfferingVsftpd(t, true)
	opt := vsOpts()
	opt.InsecureTLS = true
	var got []fetched
	res := Scan(context.Background(), "ftp://"+srv.addr, opt, collect(&got))
	if res.Error != "" || !res.TLS || !res.TLSOffered || res.TLSError != "" || res.FetchedFiles != 2 || len(res.Errors) != 0 {
		t.Fatalf("result %+v; log %s", res, srv.log)
	}
	checkTwoFiles(t, got, csv)
}
