package ftp

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/scanners/ftp/ftptest"
)

// The real-vsftpd tests start the server with package ftptest (its doc
// says what vsftpd needs as root).

type vsftpdServer struct {
	root string // anon_root
	addr string // 127.0.0.1:port
	log  *bytes.Buffer
}

func startVsftpd(t *testing.T, extra string, setup func(root string)) *vsftpdServer {
	t.Helper()
	s := ftptest.Start(t, extra, setup)
	return &vsftpdServer{root: s.Root, addr: s.Addr, log: s.Log}
}

func requireVsftpd(t *testing.T) { ftptest.Require(t) }

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// vsOpts are options for the vsftpd tests: a short pause, short timeouts.
func vsOpts() Options {
	return Options{Pause: 10 * time.Millisecond, ConnectTimeout: 3 * time.Second, IdleTimeout: 5 * time.Second,
		HostBudget: 20 * time.Second, Contact: "qa@example.jp"}
}

// snapshot lists every path under root with its size and mode.
func snapshot(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		out = append(out, fmt.Sprintf("%s %d %v", p, fi.Size(), fi.Mode()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestVsftpdAnonymousRefused(t *testing.T) {
	srv := startVsftpd(t, "anonymous_enable=NO\nlocal_enable=YES\npam_service_name=vsftpd\n", func(root string) {
		writeFile(t, filepath.Join(root, "pub", "a.txt"), []byte("a"))
	})
	var got []fetched
	res := Scan(context.Background(), "ftp://"+srv.addr, vsOpts(), collect(&got))
	if !res.Reachable || res.AnonymousLogin || res.Error != "" || res.Incomplete() || !strings.HasPrefix(res.Refused, "530") || len(got) != 0 {
		t.Fatalf("result %+v; log %s", res, srv.log)
	}
	if !strings.Contains(res.Banner, "vsFTPd") {
		t.Errorf("banner %q", res.Banner)
	}
}

// The overdue list of a synthetic library: CP932 content under a CP932 name.
func overdueCSV(t *testing.T) (name, data string) {
	return sjis(t, "督促.csv"), sjis(t, "利用者番号,氏名,電話番号,資料名,返却期限\r\n"+
		"P000123,架空 花子,0564-00-0000,吾輩は猫である,2005-06-01\r\n")
}

func TestVsftpdAnonymousReadOnly(t *testing.T) {
	name, csv := overdueCSV(t)
	srv := startVsftpd(t, "anonymous_enable=YES\nwrite_enable=NO\n", func(root string) {
		writeFile(t, filepath.Join(root, "pub", "old", name), []byte(csv))
		writeFile(t, filepath.Join(root, "pub", "readme.txt"), []byte("clean file\n"))
		writeFile(t, filepath.Join(root, "private", "secret.txt"), []byte("x"))
		if err := os.Chmod(filepath.Join(root, "private"), 0o700); err != nil { // unreadable for ftp
			t.Fatal(err)
		}
	})
	var got []fetched
	opt := vsOpts()
	opt.WriteCheck = false
	res := Scan(context.Background(), "ftp://"+srv.addr, opt, collect(&got))
	if res.Error != "" || !res.AnonymousLogin || res.TLS || res.AnonymousWrite != nil {
		t.Fatalf("result %+v; log %s", res, srv.log)
	}
	// no ssl_enable: no AUTH TLS among the features, nothing tried
	if res.TLSOffered || res.TLSError != "" || len(res.Features) == 0 {
		t.Errorf("tls offered %v, tls error %q, features %q", res.TLSOffered, res.TLSError, res.Features)
	}
	if res.Banner != "220 (vsFTPd 3.0.3)" && !strings.Contains(res.Banner, "vsFTPd") {
		t.Errorf("banner %q", res.Banner)
	}
	if res.System != "UNIX Type: L8" {
		t.Errorf("system %q", res.System)
	}
	sort.Slice(got, func(i, j int) bool { return got[i].rel < got[j].rel })
	base := "ftp://" + srv.addr
	if len(got) != 2 || res.FetchedFiles != 2 || res.ListedFiles != 2 {
		t.Fatalf("items %d, listed %d, fetched %d, errors %v", len(got), res.ListedFiles, res.FetchedFiles, res.Errors)
	}
	if got[0].path != base+"/pub/old/督促.csv" || got[0].rel != "pub/old/督促.csv" || got[0].data != csv || got[0].size != int64(len(csv)) {
		t.Errorf("CP932 file: %q %q size %d, content equal %v", got[0].path, got[0].rel, got[0].size, got[0].data == csv)
	}
	if got[1].path != base+"/pub/readme.txt" || got[1].data != "clean file\n" {
		t.Errorf("clean file: %q", got[1].path)
	}
	if !hasErr(res, "/private", "not listed") {
		t.Errorf("unreadable directory not reported: %v", res.Errors)
	}
	if len(res.WritableHints) != 0 {
		t.Errorf("writable hints %v", res.WritableHints)
	}
}

func uploadServer(t *testing.T) *vsftpdServer {
	u, err := user.Lookup("ftp")
	if err != nil {
		requireVsftpd(t)
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return startVsftpd(t, "anonymous_enable=YES\nwrite_enable=YES\nanon_upload_enable=YES\n", func(root string) {
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
}

func TestVsftpdAnonymousUploadWriteCheck(t *testing.T) {
	srv := uploadServer(t)
	opt := vsOpts()
	opt.WriteCheck = true
	res := Scan(context.Background(), "ftp://"+srv.addr, opt, nil)
	if res.Error != "" || res.AnonymousWrite == nil || !*res.AnonymousWrite {
		t.Fatalf("result %+v; log %s", res, srv.log)
	}
	base := "ftp://" + srv.addr
	if len(res.WritableHints) != 1 || res.WritableHints[0] != base+"/incoming" {
		t.Errorf("writable hints %v", res.WritableHints)
	}
	if len(res.WriteCheck) != 2 {
		t.Fatalf("write checks %+v", res.WriteCheck)
	}
	rootCheck, inc := res.WriteCheck[0], res.WriteCheck[1]
	if rootCheck.Dir != "/" || rootCheck.Uploaded || !strings.HasPrefix(rootCheck.Reply, "553") {
		t.Errorf("root check %+v", rootCheck)
	}
	if inc.Dir != "/incoming" || !inc.Uploaded || inc.Deleted || !strings.Contains(inc.Reply, "550") {
		t.Errorf("incoming check %+v", inc)
	}
	// stock vsftpd lets anonymous upload but not delete: the canary stays
	if !hasErr(res, "/incoming/"+inc.Canary, "left behind") {
		t.Errorf("leftover canary not reported: %v", res.Errors)
	}
	if _, err := os.Stat(filepath.Join(srv.root, "incoming", inc.Canary)); err != nil {
		t.Errorf("canary not on disk: %v", err)
	}
	if _, err := os.Stat(filepath.Join(srv.root, rootCheck.Canary)); err == nil {
		t.Errorf("canary in the read-only root")
	}
}

func TestVsftpdAnonymousUploadNoWriteCheck(t *testing.T) {
	srv := uploadServer(t)
	before := snapshot(t, srv.root)
	var got []fetched
	res := Scan(context.Background(), "ftp://"+srv.addr, vsOpts(), collect(&got))
	if res.Error != "" || res.AnonymousWrite != nil || len(res.WriteCheck) != 0 || res.FetchedFiles != 1 {
		t.Fatalf("result %+v; log %s", res, srv.log)
	}
	if len(res.WritableHints) != 1 {
		t.Errorf("writable hints %v", res.WritableHints)
	}
	after := snapshot(t, srv.root)
	if strings.Join(before, "\n") != strings.Join(after, "\n") {
		t.Errorf("the server's tree changed without WriteCheck:\nbefore %v\nafter %v", before, after)
	}
}

// selfSigned writes a self-signed certificate and key for 127.0.0.1.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "rouei test ftps"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	cb := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	kb := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(certFile, cb, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, kb, 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

func TestVsftpdFTPS(t *testing.T) {
	requireVsftpd(t)
	cert, key := selfSigned(t, t.TempDir())
	name, csv := overdueCSV(t)
	srv := startVsftpd(t, fmt.Sprintf(`anonymous_enable=YES
write_enable=NO
ssl_enable=YES
allow_anon_ssl=YES
force_anon_logins_ssl=YES
force_anon_data_ssl=YES
ssl_ciphers=HIGH
require_ssl_reuse=YES
rsa_cert_file=%s
rsa_private_key_file=%s
`, cert, key), func(root string) {
		writeFile(t, filepath.Join(root, "pub", name), []byte(csv))
	})
	target := "ftps://" + srv.addr

	t.Run("certificate rejected", func(t *testing.T) {
		var got []fetched
		res := Scan(context.Background(), target, vsOpts(), collect(&got))
		if !res.Reachable || res.TLS || res.AnonymousLogin || len(got) != 0 ||
			!strings.Contains(res.Error, "certificate") {
			t.Fatalf("result %+v", res)
		}
	})
	t.Run("insecure accepted", func(t *testing.T) {
		opt := vsOpts()
		opt.InsecureTLS = true
		var got []fetched
		res := Scan(context.Background(), target, opt, collect(&got))
		if res.Error != "" || !res.TLS || !res.AnonymousLogin || len(got) != 1 || res.FetchedFiles != 1 {
			t.Fatalf("result %+v; log %s", res, srv.log)
		}
		if got[0].data != csv || got[0].rel != "pub/督促.csv" {
			t.Errorf("file %q, content equal %v", got[0].rel, got[0].data == csv)
		}
		auth := false
		for _, f := range res.Features {
			if f == "AUTH TLS" {
				auth = true
			}
		}
		if !auth {
			t.Errorf("features %q", res.Features)
		}
	})
	t.Run("plain ftp refused by the server", func(t *testing.T) {
		res := Scan(context.Background(), "ftp://"+srv.addr, vsOpts(), nil)
		if res.TLS || res.AnonymousLogin || res.Error == "" {
			t.Fatalf("result %+v", res)
		}
	})
}
