package office

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rouei/rouei/scanners"
)

// makeDB creates a SQLite database file at dir/name by running stmts.
func makeDB(t testing.TB, dir, name string, stmts ...string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return p
}

func libraryDB(t testing.TB, dir string) string {
	return makeDB(t, dir, "lib.db",
		`CREATE TABLE PATRON (ID INTEGER PRIMARY KEY, SHIMEI TEXT, TEL TEXT, BIRTH DATE, PHOTO BLOB, SCORE REAL)`,
		`INSERT INTO PATRON VALUES (1, '岡崎 花子', '090-0000-1111', '1980-04-01', X'00014a5045474461746100ff', 1.5)`,
		`INSERT INTO PATRON VALUES (2, '矢作	次郎', 9000002222, NULL, NULL, 3.0)`,
		`CREATE TABLE "LOAN ""2010""" (PATRON_ID INTEGER, SHOMEI TEXT)`,
		`INSERT INTO "LOAN ""2010""" VALUES (1, 'こころ')`,
		`CREATE TABLE EMPTY (A TEXT, B TEXT)`,
		`CREATE INDEX PATRON_TEL ON PATRON (TEL)`,
		`CREATE VIEW V AS SELECT SHIMEI FROM PATRON`,
	)
}

func TestSQLite(t *testing.T) {
	dir := t.TempDir()
	p := libraryDB(t, dir)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	op := Identify("lib.db", data[:min(len(data), 64<<10)])
	if op == nil || op.Kind() != "sqlite" {
		t.Fatalf("Identify = %v", op)
	}
	check := func(t *testing.T, gs []got) {
		t.Helper()
		var names []string
		for _, g := range gs {
			names = append(names, g.name)
		}
		if strings.Join(names, "|") != `PATRON|LOAN "2010"|EMPTY` {
			t.Fatalf("members %q", names)
		}
		want := "ID\tSHIMEI\tTEL\tBIRTH\tPHOTO\tSCORE\n" +
			"1\t岡崎 花子\t090-0000-1111\t1980-04-01\tJPEGData\t1.5\n" +
			"2\t矢作 次郎\t9000002222\t\t\t3.0\n"
		if g := gs[0]; !g.isText || g.readErr != nil || g.text != want {
			t.Errorf("PATRON: err %v\n got %q\nwant %q", g.readErr, g.text, want)
		}
		if g := gs[1]; g.text != "PATRON_ID\tSHOMEI\n1\tこころ\n" {
			t.Errorf("LOAN: got %q", g.text)
		}
		if g := gs[2]; g.text != "A\tB\n" {
			t.Errorf("EMPTY: got %q", g.text)
		}
	}
	t.Run("file on disk", func(t *testing.T) {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		gs, err := walkSource(t, op, scanners.Source{Name: p, Reader: f, At: f, Size: int64(len(data)), Path: p}, scanners.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		check(t, gs)
		after, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(after, data) {
			t.Fatalf("database file changed by the walk (err %v)", err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("files next to the database after the walk: %d entries, want 1", len(entries))
		}
	})
	t.Run("bytes only", func(t *testing.T) {
		gs, err := walk(t, op, data, scanners.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		check(t, gs)
	})
	t.Run("spool limit", func(t *testing.T) {
		lim := scanners.DefaultLimits
		lim.MaxSpoolBytes = 1024
		_, err := walk(t, op, data, lim)
		if !errors.Is(err, scanners.ErrLimit) {
			t.Fatalf("Walk error %v, want ErrLimit", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := bytes.NewReader(data)
		err := op.Walk(ctx, scanners.Source{Reader: r, At: r, Size: int64(len(data))}, scanners.DefaultLimits,
			func(scanners.Member) error { return nil })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Walk error %v, want context.Canceled", err)
		}
	})
}

func TestSQLiteCorrupt(t *testing.T) {
	dir := t.TempDir()
	stmts := []string{
		`PRAGMA page_size = 1024`,
		`CREATE TABLE GOOD (SHIMEI TEXT, TEL TEXT)`,
		`INSERT INTO GOOD VALUES ('本宿 四郎', '0564-00-3333')`,
		`CREATE TABLE BAD (SHIMEI TEXT, TEL TEXT)`,
		`BEGIN`,
	}
	for i := 0; i < 200; i++ {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO BAD VALUES ('試験 %03d', '090-0000-%04d')`, i, i))
	}
	p := makeDB(t, dir, "c.db", append(stmts, `COMMIT`)...)
	// Find BAD's root page and smash its b-tree page header.
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	var root int
	if err := db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = 'BAD'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	db.Close()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	off := (root - 1) * 1024
	for i := 0; i < 12; i++ {
		data[off+i] = 0xA5
	}
	gs, err := walk(t, sqliteOpener{}, data, scanners.DefaultLimits)
	if err != nil {
		t.Fatalf("Walk: %v (want the error on the table only)", err)
	}
	if g := member(t, gs, "GOOD"); g.readErr != nil || g.text != "SHIMEI\tTEL\n本宿 四郎\t0564-00-3333\n" {
		t.Errorf("GOOD: err %v, text %q", g.readErr, g.text)
	}
	if g := member(t, gs, "BAD"); g.err == nil && g.readErr == nil {
		t.Errorf("BAD: read without error (%d bytes)", len(g.text))
	}

	t.Run("not a database", func(t *testing.T) {
		junk := append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0x5A}, 4096)...)
		_, err := walk(t, sqliteOpener{}, junk, scanners.DefaultLimits)
		if err == nil || !strings.HasPrefix(err.Error(), "office: ") {
			t.Fatalf("Walk error %v, want an office: error", err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		gs, err := walk(t, sqliteOpener{}, nil, scanners.DefaultLimits)
		if err == nil && len(gs) > 0 {
			t.Fatalf("members from an empty file: %+v", gs)
		}
	})
}

// A database left in WAL mode (header bytes 18–19 = 2) is read too.
func TestSQLiteWALMode(t *testing.T) {
	p := makeDB(t, t.TempDir(), "wal.db", `PRAGMA journal_mode=WAL`,
		`CREATE TABLE PATRON (SHIMEI TEXT, TEL TEXT)`, `INSERT INTO PATRON VALUES ('額田 三子', '0564-00-3333')`)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if data[18] != 2 {
		t.Fatalf("header byte 18 = %d, want 2 (WAL)", data[18])
	}
	gs, err := walk(t, sqliteOpener{}, data, scanners.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if g := member(t, gs, "PATRON"); g.readErr != nil || g.text != "SHIMEI\tTEL\n額田 三子\t0564-00-3333\n" {
		t.Fatalf("PATRON: err %v, text %q", g.readErr, g.text)
	}
}
