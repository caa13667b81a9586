package history

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
)

var crashT0 = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// bigRun is a run with n exposures, to make a write last a while.
func bigRun(at time.Time, n int) *report.Report {
	files := make([]report.File, n)
	for i := range files {
		files[i] = report.File{Path: fmt.Sprintf("dist/big/%06d.csv", i), Severity: detectors.High, Persons: 5}
	}
	return run(at, []string{"dist"}, files, nil)
}

// TestHelperHistoryWriter is the child of TestStateSurvivesKill9: it
// records a small run, says so, then records huge runs until killed.
func TestHelperHistoryWriter(t *testing.T) {
	db := os.Getenv("ROUEI_HISTORY_CHILD")
	if db == "" {
		t.Skip("child process of TestStateSurvivesKill9")
	}
	s, err := Open(db)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	small := run(crashT0, []string{"dist"}, []report.File{
		{Path: "dist/a.csv", Severity: detectors.Critical, Classification: "overdue_list", Persons: 40},
	}, nil)
	if err := s.Record(small); err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println("recorded")
	for i := 1; ; i++ {
		fmt.Println("writing")
		if err := s.Record(bigRun(crashT0.Add(time.Duration(i)*time.Hour), 200_000)); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
	}
}

// TestStateSurvivesKill9: a process killed with SIGKILL in the middle of
// recording a run leaves a state file from which the next run reads the
// previous state (the last run that was committed).
func TestStateSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	midWrite := 0 // rounds killed with uncommitted pages in the log
	for round, delay := range []time.Duration{0, 30 * time.Millisecond, 150 * time.Millisecond, 400 * time.Millisecond} {
		db := filepath.Join(t.TempDir(), "state.db")
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHistoryWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(), "ROUEI_HISTORY_CHILD="+db)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		recorded := false
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "error") {
				t.Fatalf("child: %s", line)
			}
			if line == "recorded" {
				recorded = true
			}
			if line == "writing" && recorded {
				break
			}
		}
		time.Sleep(delay)
		cmd.Process.Kill() // SIGKILL, mid-transaction
		cmd.Wait()
		if st, err := os.Stat(db + "-wal"); err == nil && st.Size() > 0 {
			midWrite++
		}
		if !recorded {
			t.Fatalf("round %d: the child never recorded its first run", round)
		}

		s, err := Open(db)
		if err != nil {
			t.Fatalf("round %d: state unreadable after kill -9: %v", round, err)
		}
		var check string
		if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Errorf("round %d: integrity %q %v", round, check, err)
		}
		var runs, partial int
		s.db.QueryRow(`SELECT count(*) FROM runs`).Scan(&runs)
		s.db.QueryRow(`SELECT count(*) FROM exposures e JOIN runs r ON r.id = e.run_id WHERE r.id = (SELECT max(id) FROM runs)`).Scan(&partial)
		next := run(crashT0.Add(1000*time.Hour), []string{"dist"}, []report.File{
			{Path: "dist/a.csv", Severity: detectors.Critical, Classification: "overdue_list", Persons: 40},
		}, nil)
		if err := s.Compare(next); err != nil {
			t.Fatal(err)
		}
		s.Close()
		c := next.Changes
		if runs == 1 {
			// killed during the first big write: the small run is the state
			if !c.Since.Equal(crashT0.Add(time.Second)) || len(c.Still) != 1 || len(c.New) != 0 || len(c.Resolved) != 0 {
				t.Errorf("round %d: after kill -9 the previous state is lost: since %v, new %d still %d resolved %d",
					round, c.Since, len(c.New), len(c.Still), len(c.Resolved))
			}
		} else if partial != 200_000 || len(c.Resolved) != 200_000 {
			// a big run was committed before the kill: it must be whole
			t.Errorf("round %d: last committed run has %d of 200000 exposures (resolved %d)", round, partial, len(c.Resolved))
		}
		t.Logf("round %d (kill after %v): %d committed runs", round, delay, runs)
	}
	if midWrite == 0 {
		t.Errorf("no round was killed while pages were being written: the test proves nothing")
	}
}
