package pgdump

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rouei/rouei/scanners"
)

// isPlainDump tells a plain-SQL dump from its first bytes: pg_dump's
// banner, or a COPY … FROM stdin; line with the "\." that ends its rows
// after it (a text that only quotes a COPY statement is no dump).
func isPlainDump(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	if bytes.HasPrefix(head, []byte("--\n-- PostgreSQL database dump")) || bytes.HasPrefix(head, []byte("--\r\n-- PostgreSQL database dump")) {
		return true
	}
	for rest := head; len(rest) > 0; {
		i := bytes.Index(rest, []byte("COPY "))
		if i < 0 {
			return false
		}
		if i == 0 && len(rest) == len(head) || i > 0 && rest[i-1] == '\n' {
			line := rest[i:]
			if j := bytes.IndexByte(line, '\n'); j >= 0 {
				if isCopyStart(bytes.TrimRight(line[:j], "\r")) {
					after := line[j:]
					return bytes.Contains(after, []byte("\n\\.\n")) || bytes.Contains(after, []byte("\n\\.\r\n"))
				}
			}
		}
		rest = rest[i+5:]
	}
	return false
}

// isCopyStart reports whether line starts a COPY block of a dump.
func isCopyStart(line []byte) bool {
	return bytes.HasPrefix(line, []byte("COPY ")) && bytes.HasSuffix(line, []byte(" FROM stdin;"))
}

// copyTableName reads the table of a COPY statement:
// `COPY public."利用者" (…) FROM stdin;` → public.利用者.
func copyTableName(stmt string) string {
	s := strings.TrimPrefix(stmt, "COPY ")
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '"' && i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ' ' || c == '('):
			return cleanName(b.String())
		default:
			b.WriteByte(c)
		}
	}
	return cleanName(b.String())
}

// plainOpener reads a plain-SQL dump: each COPY block is a table member
// with its column list as a header; the rest of the SQL is the member
// "statements.sql".
type plainOpener struct{}

// Kind implements scanners.Opener.
func (plainOpener) Kind() string { return "pgdump-sql" }

// NeedsRandomAccess implements scanners.Opener: the COPY blocks are
// found first, then read.
func (plainOpener) NeedsRandomAccess() bool { return true }

type copyBlock struct {
	stmt             string
	start, data, end int64 // the COPY line, its first row, the line after "\."
	dataEnd          int64 // the "\." line
	terminated       bool
}

// Walk implements scanners.Opener.
func (plainOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	lim = lim.WithDefaults()
	em := &emitter{ctx: ctx, lim: lim, yield: yield}
	if src.At == nil || src.Size < 0 {
		return errors.New("pgdump: a plain dump needs random access")
	}
	br := bufio.NewReaderSize(io.NewSectionReader(src.At, 0, src.Size), 64<<10)
	var (
		blocks  []copyBlock
		cur     *copyBlock
		pos     int64
		encName string
	)
	for n := 0; ; n++ {
		if n&0xfff == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line, err := readLine(br, lim.MaxMemberBytes)
		if err != nil && err != io.EOF {
			return fmt.Errorf("pgdump: %w", err)
		}
		if len(line) == 0 && err == io.EOF {
			break
		}
		start := pos
		pos += int64(len(line))
		l := bytes.TrimRight(line, "\r\n")
		switch {
		case cur != nil:
			if string(l) == `\.` {
				cur.dataEnd, cur.end, cur.terminated = start, pos, true
				blocks = append(blocks, *cur)
				cur = nil
			}
		case isCopyStart(l):
			cur = &copyBlock{stmt: string(l), start: start, data: pos}
			if len(blocks) >= lim.MaxMembers {
				return fmt.Errorf("pgdump: more than %d COPY blocks: %w", lim.MaxMembers, scanners.ErrLimit)
			}
		case bytes.HasPrefix(l, []byte("SET client_encoding")):
			encName = clientEncoding(string(l))
		}
		if err == io.EOF {
			break
		}
	}
	if cur != nil { // a COPY block to the end: a truncated dump, still read
		cur.dataEnd, cur.end = pos, pos
		blocks = append(blocks, *cur)
	}
	if _, err := decoder(encName); err != nil {
		return err
	}
	for _, b := range blocks {
		dec, _ := decoder(encName)
		stmt := decodeString(dec, b.stmt)
		name := copyTableName(stmt)
		t := newCopyTable(name, io.NewSectionReader(src.At, b.data, b.dataEnd-b.data), copyColumns(stmt), dec, lim.MaxMemberBytes)
		if err := em.emitText(name, t); err != nil {
			return err
		}
		if !b.terminated {
			if err := em.emit(scanners.Member{Name: name, Size: -1, Err: fmt.Errorf("pgdump: COPY block of %s not ended by \\.: truncated dump", name)}); err != nil {
				return err
			}
		}
	}
	var parts []io.Reader
	at := int64(0)
	for _, b := range blocks {
		parts = append(parts, io.NewSectionReader(src.At, at, b.start-at), strings.NewReader(strings.TrimSpace(b.stmt)+"\n"))
		at = b.end
	}
	parts = append(parts, io.NewSectionReader(src.At, at, src.Size-at))
	dec, _ := decoder(encName)
	return em.emitText("statements.sql", newTextReader("statements.sql", io.MultiReader(parts...), dec, lim.MaxMemberBytes))
}
