package office

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rouei/rouei/scanners"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// sqliteOpener reads a SQLite 3 database: each table is a Text member of
// tab-separated lines, the column names first.
type sqliteOpener struct{}

// Kind implements scanners.Opener.
func (sqliteOpener) Kind() string { return "sqlite" }

// NeedsRandomAccess implements scanners.Opener: SQLite reads a file.
func (sqliteOpener) NeedsRandomAccess() bool { return true }

// Walk implements scanners.Opener. The database is opened read-only and
// immutable (no lock, no journal, nothing written next to it); a source
// without a file on disk is copied to a private temp file first.
func (sqliteOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	w := newWalker(ctx, lim, yield)
	file := src.Path
	if file == "" {
		tmp, cleanup, err := spoolToTemp(src, w.lim.MaxSpoolBytes)
		if err != nil {
			return err
		}
		defer cleanup()
		file = tmp
	}
	db, err := sql.Open("sqlite", sqliteDSN(file))
	if err != nil {
		return fmt.Errorf("office: sqlite: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("office: sqlite: %w", err)
	}
	defer conn.Close()
	tables, err := sqliteTables(ctx, conn, w.lim.MaxMembers)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if err := walkTable(w, conn, t); err != nil {
			return err
		}
	}
	return nil
}

// sqliteDSN is the URI opening file read-only and immutable, with
// queries only.
func sqliteDSN(file string) string {
	abs, err := filepath.Abs(file)
	if err == nil {
		file = abs
	}
	file = filepath.ToSlash(file)
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(file) + "?mode=ro&immutable=1&_pragma=query_only(1)"
}

// spoolToTemp copies a source with no file on disk to a private temp
// file, at most max bytes.
func spoolToTemp(src scanners.Source, max int64) (string, func(), error) {
	var r io.Reader
	switch {
	case src.At != nil && src.Size >= 0:
		r = io.NewSectionReader(src.At, 0, src.Size)
	case src.Reader != nil:
		r = src.Reader
	default:
		return "", nil, errors.New("office: sqlite: no bytes to read")
	}
	dir, err := os.MkdirTemp("", "rouei-sqlite-")
	if err != nil {
		return "", nil, fmt.Errorf("office: sqlite: %w", err)
	}
	cleanup := func() { os.RemoveAll(dir) }
	name := filepath.Join(dir, "db")
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		cleanup()
		return "", nil, fmt.Errorf("office: sqlite: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(r, max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > max {
		err = fmt.Errorf("office: sqlite: database larger than %d bytes, the most copied to a temp file: %w", max, scanners.ErrLimit)
	}
	if err != nil {
		cleanup()
		if !errors.Is(err, scanners.ErrLimit) {
			err = fmt.Errorf("office: sqlite: %w", err)
		}
		return "", nil, err
	}
	return name, cleanup, nil
}

// sqliteTables lists the ordinary tables (not sqlite_ internals, not
// views, not virtual tables, whose content is in their shadow tables).
func sqliteTables(ctx context.Context, conn *sql.Conn, max int) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT name, coalesce(sql, '') FROM sqlite_master
		WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_' ORDER BY rowid`)
	if err != nil {
		return nil, fmt.Errorf("office: sqlite: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name, ddl string
		if err := rows.Scan(&name, &ddl); err != nil {
			return nil, fmt.Errorf("office: sqlite: %w", err)
		}
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(ddl)), "CREATE VIRTUAL") {
			continue
		}
		out = append(out, name)
		if len(out) > max {
			return nil, fmt.Errorf("office: sqlite: more than %d tables: %w", max, scanners.ErrLimit)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("office: sqlite: %w", err)
	}
	return out, nil
}

// walkTable yields one table. A table that cannot be read from its first
// row is a member with Err; one that fails later ends its text with the
// error.
func walkTable(w *walker, conn *sql.Conn, table string) error {
	fail := func(err error) error {
		if ctxErr := w.ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return w.emit(memberErr(table, fmt.Errorf("office: sqlite table %q: %w", table, err)))
	}
	// The columns first, to select each as +"name": an expression has no
	// declared type, so the driver hands values over as stored (a DATE
	// column's text stays text).
	cols, err := tableColumns(w.ctx, conn, table)
	if err != nil {
		return fail(err)
	}
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = "+" + quoteIdent(c) + " AS " + quoteIdent(c)
	}
	rows, err := conn.QueryContext(w.ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+quoteIdent(table))
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	has := rows.Next()
	if !has {
		if err := rows.Err(); err != nil {
			return fail(err)
		}
	}
	tr := &tableReader{rows: rows, table: table, has: has, vals: make([]any, len(cols)), ptrs: make([]any, len(cols))}
	for i := range tr.vals {
		tr.ptrs[i] = &tr.vals[i]
	}
	header := make([][]byte, len(cols))
	for i, c := range cols {
		header[i] = []byte(c)
	}
	tr.header = header
	return w.emitText(table, tr.next, nil)
}

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// tableColumns lists a table's column names.
func tableColumns(ctx context.Context, conn *sql.Conn, table string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT * FROM "+quoteIdent(table)+" LIMIT 0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, errors.New("no columns")
	}
	return cols, rows.Close()
}

// tableReader streams a table's rows as tab-separated lines, its column
// names first.
type tableReader struct {
	rows   *sql.Rows
	table  string
	header [][]byte
	has    bool // rows is on a row not yet written
	vals   []any
	ptrs   []any
	cells  [][]byte
	buf    []byte
	done   bool
}

func (t *tableReader) next(dst []byte) ([]byte, error) {
	if t.done {
		return dst, io.EOF
	}
	if t.header != nil {
		dst = appendLine(dst, t.header)
		t.header = nil
	}
	for n := 0; n < 64 && len(dst) < 64<<10; n++ {
		if !t.has {
			t.done = true
			if err := t.rows.Err(); err != nil {
				return dst, fmt.Errorf("office: sqlite table %q: %w", t.table, err)
			}
			return dst, io.EOF
		}
		if err := t.rows.Scan(t.ptrs...); err != nil {
			t.done = true
			return dst, fmt.Errorf("office: sqlite table %q: %w", t.table, err)
		}
		t.buf = t.buf[:0]
		t.cells = t.cells[:0]
		var offs []int
		for _, v := range t.vals {
			offs = append(offs, len(t.buf))
			t.buf = appendValue(t.buf, v)
		}
		offs = append(offs, len(t.buf))
		for i := range t.vals {
			t.cells = append(t.cells, t.buf[offs[i]:offs[i+1]])
		}
		dst = appendLine(dst, t.cells)
		t.has = t.rows.Next()
	}
	return dst, nil
}

// appendLine appends cells as a tab-separated line, keeping empty cells
// (a header's columns must line up with the rows').
func appendLine(dst []byte, cells [][]byte) []byte {
	for i, c := range cells {
		if i > 0 {
			dst = append(dst, '\t')
		}
		dst = appendCell(dst, c)
	}
	return append(dst, '\n')
}

// appendValue appends a column value as text: numbers as SQLite shows
// them, text as is, a BLOB as its text when it is UTF-8, else its
// printable runs.
func appendValue(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return dst
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.AppendFloat(dst, x, 'f', 1, 64)
		}
		return strconv.AppendFloat(dst, x, 'g', -1, 64)
	case string:
		return append(dst, x...)
	case []byte:
		if utf8.Valid(x) {
			return append(dst, x...)
		}
		return appendPrintable(dst, x)
	case bool:
		return strconv.AppendBool(dst, x)
	case time.Time:
		if h, m, s := x.Clock(); h == 0 && m == 0 && s == 0 && x.Nanosecond() == 0 {
			return x.AppendFormat(dst, "2006-01-02")
		}
		return x.AppendFormat(dst, "2006-01-02 15:04:05.999999999")
	default:
		return fmt.Append(dst, x)
	}
}

// appendPrintable appends the runs of at least four printable characters
// of a binary value, space-separated.
func appendPrintable(dst []byte, b []byte) []byte {
	start := len(dst)
	run := 0
	runStart := 0
	flush := func(end int) {
		if run >= 4 {
			if len(dst) > start {
				dst = append(dst, ' ')
			}
			dst = append(dst, b[runStart:end]...)
		}
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && n == 1) || r < 0x20 || r == 0x7f {
			flush(i)
			run = 0
			i += n
			runStart = i
			continue
		}
		run++
		i += n
	}
	flush(len(b))
	return dst
}
