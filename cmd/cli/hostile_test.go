package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rouei/rouei/report"
)

// slowFTP is a tiny scripted FTP server on 127.0.0.1 for the CLI tests:
// one file, /list.csv, whose RETR drips slowly (a slow target to
// interrupt), or an anonymous refusal.
type slowFTP struct {
	ln     net.Listener
	refuse bool
	mu     sync.Mutex
	verbs  []string
	retr   chan struct{} // closed at the first RETR
	once   sync.Once
}

func newSlowFTP(t *testing.T, refuse bool) *slowFTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &slowFTP{ln: ln, refuse: refuse, retr: make(chan struct{})}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for i := 0; i < 20; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

func (f *slowFTP) url() string { return "ftp://" + f.ln.Addr().String() + "/" }

func (f *slowFTP) saw(verb string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, v := range f.verbs {
		if v == verb {
			return true
		}
	}
	return false
}

func (f *slowFTP) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Minute))
	w := bufio.NewWriter(c)
	send := func(s string) { w.WriteString(s); w.Flush() }
	var data net.Listener
	defer func() {
		if data != nil {
			data.Close()
		}
	}()
	send("220 slow test server\r\n")
	r := bufio.NewReader(c)
	for i := 0; i < 200; i++ {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		verb = strings.ToUpper(verb)
		f.mu.Lock()
		f.verbs = append(f.verbs, verb)
		f.mu.Unlock()
		switch verb {
		case "USER":
			send("331 Please specify the password.\r\n")
		case "PASS":
			if f.refuse {
				send("530 Login incorrect.\r\n")
			} else {
				send("230 Login successful.\r\n")
			}
		case "SYST":
			send("215 UNIX Type: L8\r\n")
		case "PWD":
			send("257 \"/\" is the current directory\r\n")
		case "CWD":
			send("250 OK.\r\n")
		case "TYPE", "OPTS", "NOOP":
			send("200 OK.\r\n")
		case "SIZE":
			send("213 4000\r\n")
		case "EPSV":
			if data != nil {
				data.Close()
			}
			data, _ = net.Listen("tcp", "127.0.0.1:0")
			send(fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)\r\n", data.Addr().(*net.TCPAddr).Port))
		case "LIST", "RETR":
			if data == nil {
				send("425 Use EPSV first.\r\n")
				continue
			}
			send("150 Here comes the data.\r\n")
			dc, err := data.Accept()
			data.Close()
			data = nil
			if err != nil {
				continue
			}
			if verb == "LIST" {
				fmt.Fprintf(dc, "-rw-r--r--    1 0        0         4000 Apr 01  2024 list.csv\r\n")
			} else {
				f.once.Do(func() { close(f.retr) })
				_ = arg
				for j := 0; j < 400; j++ { // 40 s, a byte every 100 ms: slow, not stalled
					if _, err := dc.Write([]byte("a")); err != nil {
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
			dc.Close()
			send("226 Transfer complete.\r\n")
		case "QUIT":
			send("221 Goodbye.\r\n")
			return
		default:
			send("502 Command not implemented.\r\n")
		}
	}
}

// quickFTPPolicy is a policy file with a short pause (the defaults
// otherwise), for FTP tests.
func quickFTPPolicy(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "pol.toml")
	writeFile(t, p, "[ftp]\npause = \"5ms\"\n")
	return p
}

// TestAnonymousRefusedIsAResult: a 530 to the anonymous login is what
// the probe found out (anonymous_login false), not an error: exit 0.
func TestAnonymousRefusedIsAResult(t *testing.T) {
	t.Setenv("CI", "true")
	f := newSlowFTP(t, true)
	code, out, stderr := run(t, "scan", "--no-progress", "--format", "json", "--config", quickFTPPolicy(t), f.url())
	if code != ExitOK {
		t.Fatalf("exit %d, want 0; stderr %s", code, stderr)
	}
	if err := report.ValidateJSON([]byte(out), schemaPath(t)); err != nil {
		t.Fatal(err)
	}
	r := decode(t, out)
	if len(r.Endpoints) != 1 || !r.Endpoints[0].Reachable || r.Endpoints[0].AnonymousLogin || r.Endpoints[0].Error != "" || len(r.Errors) != 0 {
		t.Errorf("endpoints %+v errors %+v", r.Endpoints, r.Errors)
	}
	if f.saw("LIST") || f.saw("RETR") {
		t.Errorf("listed or fetched after a refused login")
	}
}

// buildRouei builds the rouei binary for tests that signal it.
func buildRouei(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "rouei")
	cmd := exec.Command("go", "build", "-o", bin, "../rouei")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startInterruptible starts rouei on a local directory and a slow FTP
// server, and returns once the FTP file is being fetched.
func startInterruptible(t *testing.T, bin string, outFile string, persons int) (*exec.Cmd, *bytes.Buffer, *slowFTP) {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("氏名,電話番号\n")
	for i := 0; i < persons; i++ {
		fmt.Fprintf(&b, "佐藤 健%d,090-%04d-%04d\n", i, 3000+i%7000, 1000+i%9000)
	}
	for i := 0; i < 1+persons/1000; i++ {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("renraku%02d.csv", i)), b.String())
	}
	f := newSlowFTP(t, false)
	cmd := exec.Command(bin, "scan", "--no-progress", "--format", "json", "-o", outFile,
		"--config", quickFTPPolicy(t), dir, f.url())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Env = append(os.Environ(), "CI=true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-f.retr:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the FTP file was never fetched; stderr %s", stderr.String())
	}
	time.Sleep(300 * time.Millisecond) // some of it read
	return cmd, &stderr, f
}

// exitCode waits for cmd within d and returns its exit status.
func exitCode(t *testing.T, cmd *exec.Cmd, d time.Duration) (int, time.Duration) {
	t.Helper()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), time.Since(start)
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, time.Since(start)
	case <-time.After(d):
		cmd.Process.Kill()
		t.Fatalf("still running %v after the signal", d)
	}
	return -1, 0
}

// TestSignalWritesAnIncompleteReport: SIGINT or SIGTERM during a scan
// writes the report of what was scanned so far, marked complete: false,
// valid against the schema, and exits 3.
func TestSignalWritesAnIncompleteReport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals the binary")
	}
	bin := buildRouei(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report.json")
			writeFile(t, out, "previous report")
			cmd, stderr, _ := startInterruptible(t, bin, out, 5)
			cmd.Process.Signal(sig)
			code, took := exitCode(t, cmd, 15*time.Second)
			if code != ExitIncomplete {
				t.Fatalf("exit %d, want 3; stderr %s", code, stderr.String())
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if err := report.ValidateJSON(data, schemaPath(t)); err != nil {
				t.Fatal(err)
			}
			r := decode(t, string(data))
			if r.Complete == nil || *r.Complete {
				t.Errorf("complete = %v, want false", r.Complete)
			}
			if !strings.Contains(string(data), `"complete":false`) {
				t.Errorf("no top-level \"complete\":false in the JSON")
			}
			files := 0
			for _, f := range r.Files {
				if strings.HasSuffix(f.Path, "renraku00.csv") && f.Persons == 5 {
					files++
				}
			}
			if files != 1 {
				t.Errorf("the directory scanned before the signal is not in the report: %+v", r.Files)
			}
			interrupted := false
			for _, e := range r.Errors {
				interrupted = interrupted || strings.Contains(e.Error, "interrupted")
			}
			if !interrupted {
				t.Errorf("errors %+v: no entry saying the scan was interrupted", r.Errors)
			}
			if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
				t.Errorf("report mode %v", st.Mode().Perm())
			}
			t.Logf("%v: report written %v after the signal", sig, took)
		})
	}
}

// TestSecondSignalQuitsAtOnce: a second signal does not wait for the
// report; no half-written report or temp file is left behind.
func TestSecondSignalQuitsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals the binary")
	}
	bin := buildRouei(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "report.json")
	// a large report (many findings) takes a while to assemble and write
	cmd, stderr, _ := startInterruptible(t, bin, out, 3000)
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Process.Signal(syscall.SIGTERM)
	code, took := exitCode(t, cmd, 10*time.Second)
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want 3; stderr %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "quitting without a report") {
		t.Fatalf("the first signal's report was done before the second arrived: stderr %s", stderr.String())
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		t.Errorf("left behind: %s", e.Name())
	}
	t.Logf("quit %v after the second signal", took)
}

// TestReportWriteIsAtomic: -o replaces the file only once the whole
// report is written: a failed write leaves the previous report and no
// temp file, and the new file is 0600 even over a world-readable one.
func TestReportWriteIsAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.json")
	if err := os.WriteFile(p, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeFileAtomic(p, func(w io.Writer) error {
		w.Write(bytes.Repeat([]byte("x"), 1<<20))
		return errors.New("disk full")
	})
	if err == nil {
		t.Fatal("a failed write reported success")
	}
	if b, _ := os.ReadFile(p); string(b) != "previous" {
		t.Errorf("the previous report was touched: %d bytes", len(b))
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temp files left: %d entries", len(ents))
	}
	if err := writeFileAtomic(p, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	if b, _ := os.ReadFile(p); string(b) != "new" || st.Mode().Perm() != 0o600 {
		t.Errorf("after the write: %q mode %v", b, st.Mode().Perm())
	}
	// a device is written in place
	if err := writeFileAtomic(os.DevNull, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err != nil {
		t.Errorf("writing to %s: %v", os.DevNull, err)
	}
}

// TestDripFeedingServerUnderTheDefaultPolicy: a server that drips its
// replies a byte every 2 s ends with an endpoint error, and the report
// is written within 60 s, with no policy file at all.
func TestDripFeedingServerUnderTheDefaultPolicy(t *testing.T) {
	if testing.Short() {
		t.Skip("takes the default reply timeout (20 s)")
	}
	t.Setenv("CI", "true")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				for _, b := range []byte("220 " + strings.Repeat("slow ", 100) + "\r\n") {
					if _, err := c.Write([]byte{b}); err != nil {
						return
					}
					time.Sleep(2 * time.Second)
				}
			}()
		}
	}()
	start := time.Now()
	code, out, stderr := run(t, "scan", "--no-progress", "--format", "json", "ftp://"+ln.Addr().String()+"/")
	took := time.Since(start)
	if code != ExitIncomplete || took > 60*time.Second {
		t.Fatalf("exit %d after %v, want 3 within 60 s; stderr %s", code, took, stderr)
	}
	r := decode(t, out)
	if len(r.Endpoints) != 1 || !strings.Contains(r.Endpoints[0].Error, "reply not complete") {
		t.Errorf("endpoints %+v", r.Endpoints)
	}
	t.Logf("report after %v", took)
}
