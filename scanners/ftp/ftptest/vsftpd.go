// Package ftptest starts a real vsftpd (Debian's package) on 127.0.0.1
// for tests: the ftp package's own tests and the CLI's end-to-end test.
package ftptest

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The tests in this file run the real vsftpd (Debian package "vsftpd").
//
// As root, vsftpd needs:
//   - /usr/sbin/vsftpd (apt-get install -y vsftpd);
//   - the system user "ftp" with an existing home directory (the Debian
//     package creates it with home /srv/ftp; by hand:
//     `groupadd -r ftp; useradd -r -g ftp -d /srv/ftp -s /usr/sbin/nologin ftp; mkdir -p /srv/ftp`).
//     vsftpd changes to that home before it chroots into anon_root, and
//     answers "500 OOPS: cannot change directory" when it is missing;
//   - seccomp_sandbox=NO, isolate=NO, isolate_network=NO inside
//     containers (the clone() of new namespaces is refused there);
//   - secure_chroot_dir: an empty directory not writable by ftp;
//   - anon_root not writable by ftp ("refusing to run with writable root").
//
// Without vsftpd the tests are skipped, unless CI is set: then they fail.

// Bin is where Debian installs vsftpd.
const Bin = "/usr/sbin/vsftpd"

// Require skips (or, under CI, fails) the test when vsftpd cannot run here.
func Require(t testing.TB) {
	t.Helper()
	missing := func(why string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s (CI is set: install it, e.g. apt-get install -y vsftpd)", why)
		}
		t.Skipf("%s: skipping the real-vsftpd test (apt-get install -y vsftpd to run it)", why)
	}
	if _, err := os.Stat(Bin); err != nil {
		missing("vsftpd is not installed at " + Bin)
	}
	if os.Geteuid() != 0 {
		missing("vsftpd needs root to chroot and drop privileges")
	}
	u, err := user.Lookup("ftp")
	if err != nil {
		missing("vsftpd needs the system user ftp")
		return
	}
	if fi, err := os.Stat(u.HomeDir); err != nil || !fi.IsDir() {
		missing("vsftpd needs the home directory of user ftp (" + u.HomeDir + ")")
	}
}

// FreePorts finds n consecutive free ports on 127.0.0.1.
func FreePorts(t testing.TB, n int) int {
	t.Helper()
	for try := 0; try < 50; try++ {
		var b [2]byte
		_, _ = rand.Read(b[:])
		base := 30000 + int(b[0])<<8%25000 + int(b[1])
		ok := true
		var lns []net.Listener
		for p := base; p < base+n; p++ {
			ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				ok = false
				break
			}
			lns = append(lns, ln)
		}
		for _, ln := range lns {
			ln.Close()
		}
		if ok {
			return base
		}
	}
	t.Fatal("no free port range")
	return 0
}

// Server is a running vsftpd.
type Server struct {
	Root string        // anon_root
	Addr string        // 127.0.0.1:port
	Log  *bytes.Buffer // what vsftpd printed
}

// Start writes a config (common lines plus extra), starts vsftpd in the
// foreground on 127.0.0.1 and stops it (by PID, with its children) at
// test end. setup fills the anonymous root before the server starts.
func Start(t testing.TB, extra string, setup func(root string)) *Server {
	t.Helper()
	Require(t)
	base := t.TempDir()
	root := filepath.Join(base, "root")
	empty := filepath.Join(base, "empty")
	for _, d := range []string{root, empty} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil { // whatever the umask
			t.Fatal(err)
		}
	}
	if setup != nil {
		setup(root)
	}
	ports := FreePorts(t, 21)
	conf := fmt.Sprintf(`listen=YES
listen_ipv6=NO
background=NO
listen_address=127.0.0.1
listen_port=%d
pasv_enable=YES
pasv_min_port=%d
pasv_max_port=%d
port_enable=NO
connect_from_port_20=NO
anon_root=%s
secure_chroot_dir=%s
ftp_username=ftp
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
xferlog_enable=NO
syslog_enable=NO
dirmessage_enable=NO
use_localtime=NO
%s`, ports, ports+1, ports+20, root, empty, extra)
	confPath := filepath.Join(base, "vsftpd.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	cmd := exec.Command(Bin, confPath)
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() {
		_ = syscall.Kill(-pid, syscall.SIGKILL) // vsftpd and its session children
		_ = cmd.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", ports)
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = c.SetDeadline(time.Now().Add(2 * time.Second))
			b := make([]byte, 64)
			n, _ := c.Read(b)
			c.Close()
			if !strings.HasPrefix(string(b[:n]), "220") {
				t.Fatalf("vsftpd greeting %q; log: %s", b[:n], log.String())
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("vsftpd did not start: %v; log: %s", err, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return &Server{Root: root, Addr: addr, Log: &log}
}
