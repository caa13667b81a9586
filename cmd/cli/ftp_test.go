package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners/ftp/ftptest"
)

// TestScanFTPEndToEnd runs rouei against a real vsftpd that lets an
// anonymous user read an overdue list: the endpoint is reported open and
// the list critical at its ftp:// path.
func TestScanFTPEndToEnd(t *testing.T) {
	enc := japanese.ShiftJIS.NewEncoder()
	name, _ := enc.String("督促.csv")
	var rows strings.Builder
	rows.WriteString("利用者番号,氏名,電話番号,書名,返却期限\r\n")
	for i, p := range [][2]string{
		{"佐藤 健一", "090-3141-5926"}, {"高橋 恵子", "080-2718-2818"}, {"中村 大輔", "052-314-1592"},
		{"伊藤 誠", "0564-27-1828"}, {"木村 智子", "090-2236-0679"},
	} {
		rows.WriteString("1000000" + string(rune('1'+i)) + "," + p[0] + "," + p[1] + ",宇宙の話,2005/05/01\r\n")
	}
	csv, _ := enc.String(rows.String())
	srv := ftptest.Start(t, "anonymous_enable=YES\nwrite_enable=NO\n", func(root string) {
		writeFile(t, filepath.Join(root, "pub", name), csv)
		writeFile(t, filepath.Join(root, "pub", "readme.txt"), "clean\n")
	})
	t.Setenv("CI", "true")
	cfg := filepath.Join(t.TempDir(), "polite-but-quick.toml")
	writeFile(t, cfg, "[ftp]\npause = \"20ms\"\nhost_budget = \"30s\"\ncontact = \"qa@example.jp\"\n")
	target := "ftp://" + srv.Addr + "/"
	code, js, stderr := run(t, "scan", "--config", cfg, "--format", "json", target)
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	if err := report.ValidateJSON([]byte(js), schemaPath(t)); err != nil {
		t.Fatalf("report does not validate: %v", err)
	}
	r := decode(t, js)
	if len(r.Endpoints) != 1 {
		t.Fatalf("endpoints %v", r.Endpoints)
	}
	ep := r.Endpoints[0]
	if !ep.Reachable || !ep.AnonymousLogin || ep.AnonymousWrite != nil || ep.FetchedFiles != 2 || !strings.Contains(ep.Banner, "vsFTPd") {
		t.Errorf("endpoint %+v", ep)
	}
	want := "ftp://" + srv.Addr + "/pub/督促.csv"
	var found bool
	for _, f := range r.Files {
		if f.Path == want {
			found = true
			if f.Classification != detectors.ClassOverdueList || f.Severity != detectors.Critical || f.Persons != 5 {
				t.Errorf("%s: %s %v persons %d", f.Path, f.Classification, f.Severity, f.Persons)
			}
		}
	}
	if !found {
		t.Errorf("no verdict for %s in %d files", want, len(r.Files))
	}
	// The text report shows the open endpoint.
	_, text, _ := run(t, "scan", "--config", cfg, "--lang", "en", target)
	if !strings.Contains(text, srv.Addr) || !strings.Contains(strings.ToLower(text), "anonymous login yes") {
		t.Errorf("text report lacks the endpoint:\n%s", text)
	}
}
