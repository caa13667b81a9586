package history

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
)

func run(at time.Time, targets []string, files []report.File, eps []report.Endpoint) *report.Report {
	return &report.Report{Targets: targets, StartedAt: at, FinishedAt: at.Add(time.Second), Files: files, Endpoints: eps}
}

func paths(cs []report.Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Kind+":"+c.Path)
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	db := filepath.Join(t.TempDir(), "state.db")
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	yes := true
	first := run(t0, []string{"ftp://lib.example:21", "dist"}, []report.File{
		{Path: "dist/a.csv", Severity: detectors.Critical, Classification: "overdue_list", Persons: 40},
		{Path: "dist/b.txt", Severity: detectors.Medium, Persons: 1},
		{Path: "dist/dummy.csv", Severity: detectors.Info, Dummy: true},
	}, []report.Endpoint{{Target: "ftp://lib.example:21", AnonymousLogin: true, AnonymousWrite: &yes}})

	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Compare(first); err != nil {
		t.Fatal(err)
	}
	if !first.Changes.Since.IsZero() || len(first.Changes.New) != 3 || len(first.Changes.Still)+len(first.Changes.Resolved) != 0 {
		t.Errorf("first run: %+v", first.Changes)
	}
	if err := s.Record(first); err != nil {
		t.Fatal(err)
	}
	// Another scope does not disturb this one.
	if err := s.Record(run(t0, []string{"other"}, []report.File{{Path: "other/x", Severity: detectors.High}}, nil)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if st, _ := os.Stat(db); st.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v", st.Mode().Perm())
	}

	// A week later, from a fresh process: same targets in another order.
	s, err = Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	second := run(t0.Add(7*24*time.Hour), []string{"dist", "ftp://lib.example:21"}, []report.File{
		{Path: "dist/a.csv", Severity: detectors.Critical, Classification: "overdue_list", Persons: 40},
		{Path: "dist/c.xlsx!/督促", Severity: detectors.Critical, Classification: "overdue_list", Persons: 3},
	}, []report.Endpoint{{Target: "ftp://lib.example:21", AnonymousLogin: false}})
	if err := s.Compare(second); err != nil {
		t.Fatal(err)
	}
	c := second.Changes
	if !c.Since.Equal(t0.Add(time.Second)) {
		t.Errorf("since %v", c.Since)
	}
	if got := paths(c.New); len(got) != 1 || got[0] != "file:dist/c.xlsx!/督促" {
		t.Errorf("new %v", got)
	}
	if got := paths(c.Still); len(got) != 1 || got[0] != "file:dist/a.csv" {
		t.Errorf("still %v", got)
	}
	if got := paths(c.Resolved); len(got) != 2 || got[0] != "endpoint:ftp://lib.example:21" || got[1] != "file:dist/b.txt" {
		t.Errorf("resolved %v", got)
	}
}

func TestOpenBadFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "not-a-db")
	if err := os.WriteFile(p, []byte("this is not a database, just text that is long enough to be read as one"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(p); err == nil {
		s.Close()
		t.Error("a non-database state file opened without error")
	}
}
