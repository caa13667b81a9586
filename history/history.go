// Package history keeps each run's verdicts in an embedded SQLite
// database (--state FILE), so that a periodic scan of the same targets can
// say what is new, still present and resolved since the previous run.
// It stores verdicts only (paths, severities, counts), never evidence.
package history

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver "sqlite"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
)

const schema = `
CREATE TABLE IF NOT EXISTS runs (
	id          INTEGER PRIMARY KEY,
	scope       TEXT NOT NULL,   -- the sorted targets, one per line
	started_at  TEXT NOT NULL,
	finished_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS exposures (
	run_id         INTEGER NOT NULL REFERENCES runs(id),
	kind           TEXT NOT NULL,  -- file | endpoint
	path           TEXT NOT NULL,
	severity       TEXT NOT NULL,
	classification TEXT NOT NULL,
	persons        INTEGER NOT NULL,
	detail         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS exposures_run ON exposures(run_id);
CREATE INDEX IF NOT EXISTS runs_scope ON runs(scope, id);
`

// Store is an open history database.
type Store struct{ db *sql.DB }

// Open opens (creating, mode 0600) the history database at path. It is
// kept in SQLite's write-ahead-log mode with full syncs, and every run is
// recorded in one transaction: a process killed in the middle of a write
// leaves the previous runs as they were (the -wal file beside the
// database, same mode, holds committed work until it is checkpointed).
func Open(path string) (*Store, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	f.Close()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("history %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// exposures lists what a report exposes: files with personal data (low
// and above, not dummy) and FTP endpoints open to anonymous users.
func exposures(r *report.Report) []report.Change {
	var out []report.Change
	for _, f := range r.Files {
		if f.Severity < detectors.Low || f.Dummy {
			continue
		}
		out = append(out, report.Change{Kind: "file", Path: f.Path, Severity: f.Severity,
			Classification: f.Classification, Persons: f.Persons})
	}
	for _, e := range r.Endpoints {
		var open []string
		if e.AnonymousLogin {
			open = append(open, "anonymous login")
		}
		if e.AnonymousWrite != nil && *e.AnonymousWrite {
			open = append(open, "anonymous write")
		}
		if len(e.WritableHints) > 0 {
			open = append(open, "writable directories")
		}
		if len(open) == 0 {
			continue
		}
		sev := detectors.High
		if len(open) > 1 {
			sev = detectors.Critical
		}
		out = append(out, report.Change{Kind: "endpoint", Path: e.Target, Severity: sev, Detail: strings.Join(open, ", ")})
	}
	return out
}

func scopeOf(r *report.Report) string {
	ts := append([]string(nil), r.Targets...)
	sort.Strings(ts)
	return strings.Join(ts, "\n")
}

// Compare sets r.Changes from the most recent run over the same targets.
// With no earlier run, every exposure is new and Since is zero.
func (s *Store) Compare(r *report.Report) error {
	ch := &report.Changes{New: []report.Change{}, Still: []report.Change{}, Resolved: []report.Change{}}
	var runID int64
	var finished string
	err := s.db.QueryRow(`SELECT id, finished_at FROM runs WHERE scope = ? ORDER BY id DESC LIMIT 1`, scopeOf(r)).Scan(&runID, &finished)
	prev := map[string]report.Change{}
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("history: %w", err)
	default:
		ch.Since, _ = time.Parse(time.RFC3339Nano, finished)
		rows, err := s.db.Query(`SELECT kind, path, severity, classification, persons, detail FROM exposures WHERE run_id = ?`, runID)
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c report.Change
			var sev string
			if err := rows.Scan(&c.Kind, &c.Path, &sev, &c.Classification, &c.Persons, &c.Detail); err != nil {
				return fmt.Errorf("history: %w", err)
			}
			c.Severity, _ = detectors.ParseSeverity(sev)
			prev[c.Kind+"\x00"+c.Path] = c
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("history: %w", err)
		}
	}
	for _, c := range exposures(r) {
		key := c.Kind + "\x00" + c.Path
		if _, ok := prev[key]; ok {
			ch.Still = append(ch.Still, c)
			delete(prev, key)
		} else {
			ch.New = append(ch.New, c)
		}
	}
	for _, c := range prev {
		ch.Resolved = append(ch.Resolved, c)
	}
	sort.Slice(ch.Resolved, func(i, j int) bool {
		if ch.Resolved[i].Severity != ch.Resolved[j].Severity {
			return ch.Resolved[i].Severity > ch.Resolved[j].Severity
		}
		return ch.Resolved[i].Path < ch.Resolved[j].Path
	})
	r.Changes = ch
	return nil
}

// Record stores the run's exposures.
func (s *Store) Record(r *report.Report) error {
	tx, err := s.db.Begin()
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.Exec(`INSERT INTO runs(scope, started_at, finished_at) VALUES (?, ?, ?)`,
		scopeOf(r), r.StartedAt.UTC().Format(time.RFC3339Nano), r.FinishedAt.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	for _, c := range exposures(r) {
		if _, err := tx.Exec(`INSERT INTO exposures(run_id, kind, path, severity, classification, persons, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, c.Kind, c.Path, c.Severity.String(), c.Classification, c.Persons, c.Detail); err != nil {
			return fmt.Errorf("history: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return nil
}
