package office

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/rouei/rouei/scanners"
)

// accessOpener reads a Microsoft Access database (.mdb Jet 3/4, .accdb)
// with Debian's mdbtools: mdb-tables lists the user tables, mdb-export
// streams each as CSV, which becomes a Text member of tab-separated
// lines, its header first (as SQLite tables are). Without mdbtools on
// PATH the database is an error, never passed as clean.
type accessOpener struct{}

// Kind implements scanners.Opener.
func (accessOpener) Kind() string { return "access" }

// NeedsRandomAccess implements scanners.Opener: mdbtools reads a file.
func (accessOpener) NeedsRandomAccess() bool { return true }

// ErrNoMdbtools is the error of an Access database when mdbtools is not
// installed.
var ErrNoMdbtools = errors.New("office: Microsoft Access database: not scanned: mdbtools is not installed (apt-get install mdbtools, or brew install mdbtools)")

// maxTableList bounds mdb-tables' output.
const maxTableList = 1 << 20

// mdbEnv is the environment of the mdbtools commands: a Jet 3 database
// (Access 97) made on Japanese Windows keeps its text in CP932, which
// mdbtools reads as CP1252 unless told.
func mdbEnv() []string {
	env := os.Environ()
	if os.Getenv("MDB_JET3_CHARSET") == "" {
		env = append(env, "MDB_JET3_CHARSET=CP932")
	}
	return env
}

// Walk implements scanners.Opener.
func (accessOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	tables, export := lookMdbtools()
	if tables == "" || export == "" {
		return ErrNoMdbtools
	}
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
	names, err := accessTables(ctx, tables, file, w.lim.MaxMembers)
	if err != nil {
		return err
	}
	for _, t := range names {
		if err := walkAccessTable(w, export, file, t); err != nil {
			return err
		}
	}
	return nil
}

// lookMdbtools finds mdb-tables and mdb-export on PATH.
func lookMdbtools() (tables, export string) {
	tables, _ = exec.LookPath("mdb-tables")
	export, _ = exec.LookPath("mdb-export")
	return tables, export
}

// accessTables lists the user tables, one name a line.
func accessTables(ctx context.Context, bin, file string, max int) ([]string, error) {
	cmd := exec.CommandContext(ctx, bin, "-1", file)
	cmd.Env = mdbEnv()
	var stderr limitedBuffer
	stdout := &limitedBuffer{max: maxTableList}
	stderr.max = 4096
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("office: access: mdb-tables: %v: %s", err, stderr.firstLine())
	}
	if stdout.over {
		return nil, fmt.Errorf("office: access: table list longer than %d bytes: %w", maxTableList, scanners.ErrLimit)
	}
	var names []string
	for _, l := range strings.Split(stdout.String(), "\n") {
		l = strings.TrimRight(l, "\r")
		if l == "" {
			continue
		}
		names = append(names, l)
		if len(names) > max {
			return nil, fmt.Errorf("office: access: more than %d tables: %w", max, scanners.ErrLimit)
		}
	}
	return names, nil
}

// walkAccessTable yields one table, streamed from mdb-export while the
// engine reads it; the process is ended when the member is done with.
func walkAccessTable(w *walker, bin, file, table string) error {
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-D", "%Y-%m-%d", "-T", "%Y-%m-%d %H:%M:%S", "-b", "strip", "--", file, table)
	cmd.Env = mdbEnv()
	stderr := &limitedBuffer{max: 4096}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("office: access: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return w.emit(memberErr(table, fmt.Errorf("office: access table %q: mdb-export: %w", table, err)))
	}
	var once sync.Once
	var werr error
	// wait reaps mdb-export: at the end of its output, for its exit
	// status; else (a limit hit, the scan stopped) after killing it.
	wait := func(kill bool) error {
		once.Do(func() {
			if kill {
				cancel()
			}
			io.Copy(io.Discard, io.LimitReader(out, 1<<20))
			werr = cmd.Wait()
		})
		return werr
	}
	defer wait(true)
	t := newCSVTable(out, table)
	t.done = func() error {
		if err := wait(false); err != nil && w.ctx.Err() == nil {
			return fmt.Errorf("office: access table %q: mdb-export: %v: %s", table, err, stderr.firstLine())
		}
		return nil
	}
	return w.emitText(table, t.next, func() { wait(true) })
}

// csvTable turns a CSV stream (mdb-export's: a header row, text fields
// quoted, quotes doubled, line breaks inside quotes) into tab-separated
// lines, its header first, each cell one cell of one line.
type csvTable struct {
	r     *csv.Reader
	name  string
	cells [][]byte
	done  func() error // called at the end of the stream
	end   bool
}

// newCSVTable reads CSV from r; name names the table in errors.
func newCSVTable(r io.Reader, name string) *csvTable {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return &csvTable{r: cr, name: name}
}

// next appends a few more lines to dst; io.EOF at the end.
func (t *csvTable) next(dst []byte) ([]byte, error) {
	if t.end {
		return dst, io.EOF
	}
	for n := 0; n < 64 && len(dst) < 64<<10; n++ {
		rec, err := t.r.Read()
		if err == io.EOF {
			t.end = true
			if t.done != nil {
				if err := t.done(); err != nil {
					return dst, err
				}
			}
			return dst, io.EOF
		}
		if err != nil {
			t.end = true
			return dst, fmt.Errorf("office: access table %q: %w", t.name, err)
		}
		t.cells = t.cells[:0]
		for _, c := range rec {
			t.cells = append(t.cells, []byte(c))
		}
		dst = appendLine(dst, t.cells)
	}
	return dst, nil
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room < len(p) {
		b.over = true
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

func (b *limitedBuffer) firstLine() string {
	s := strings.TrimSpace(b.String())
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return "no message"
	}
	return s
}
