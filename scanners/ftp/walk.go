package ftp

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"path"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	jftp "github.com/jlaffaye/ftp"
	"golang.org/x/text/encoding/japanese"

	"github.com/rouei/rouei/scanners"
)

// maxListingBytes bounds one directory listing as read from the server.
const maxListingBytes = 8 << 20

// maxMismatchReports bounds the NLST/LIST mismatch errors per directory.
const maxMismatchReports = 20

// uploadNames are directory names that suggest an upload place.
var uploadNames = map[string]bool{"incoming": true, "upload": true, "uploads": true, "tmp": true}

type dirJob struct {
	dir       string   // raw server path
	depth     int      // 0 for the start directory
	ancestors []string // hashes of the listings above it
}

type walker struct {
	s       *session
	c       *jftp.ServerConn
	start   string
	visited map[string]bool
	queue   []dirJob
	// writeDirs are candidates for canaries, in the order found.
	writeDirs []string
	// deadline after which no new directory is listed (leaves time for
	// the write check).
	deadline  time.Time
	depthNote bool
}

func newWalker(s *session, c *jftp.ServerConn, start string) *walker {
	start = path.Clean("/" + start)
	w := &walker{s: s, c: c, start: start, visited: map[string]bool{start: true}}
	w.deadline = time.Now().Add(s.opt.HostBudget)
	if s.opt.WriteCheck {
		w.deadline = time.Now().Add(s.opt.HostBudget * 9 / 10)
	}
	w.writeDirs = []string{start}
	return w
}

// decodeName turns a raw server name into display text: valid UTF-8 stays,
// anything else is read as CP932 (Shift_JIS as Windows writes it).
// Control characters (which could drive a terminal showing the report)
// become U+FFFD.
func decodeName(raw string) string {
	s := raw
	if !utf8.ValidString(s) {
		if d, err := japanese.ShiftJIS.NewDecoder().String(raw); err == nil && utf8.ValidString(d) {
			s = d
		} else {
			s = strings.ToValidUTF8(raw, "\uFFFD")
		}
	}
	return sanitize(s)
}

// sanitize replaces control characters with U+FFFD.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// display is the display path of a raw server path.
func (w *walker) display(p string) string {
	return w.s.t.base() + decodeName(p)
}

// rel is the path relative to the start directory, decoded.
func (w *walker) rel(p string) string {
	r := strings.TrimPrefix(p, w.start)
	return decodeName(strings.TrimPrefix(r, "/"))
}

// fatal reports whether the probe must end.
func (w *walker) fatal() bool {
	s := w.s
	if s.stopped != nil || s.ctx.Err() != nil {
		return true
	}
	if err := s.ctrl.dc.broken(); err != nil {
		s.stopped = err
		s.errorf("ftp: control connection failed: %v", err)
		return true
	}
	return false
}

// backOff ends the probe after a 421 (service not available, closing).
func (w *walker) backOff(pe *textproto.Error) {
	w.s.stopped = pe
	w.s.errorf("ftp: server busy or closing (421), backing off: %s", firstLines(pe.Msg, 1, 200))
}

func (w *walker) walk() {
	w.queue = append(w.queue, dirJob{dir: w.start})
	for len(w.queue) > 0 && !w.fatal() {
		if time.Now().After(w.deadline) {
			w.s.fileErr(w.display(w.queue[0].dir), "time budget: %d directories not listed", len(w.queue))
			return
		}
		job := w.queue[0]
		w.queue = w.queue[1:]
		if !w.dir(job) {
			return
		}
	}
}

// list runs LIST on dir, capturing the raw text.
func (w *walker) list(dir string, nlst bool) ([]*jftp.Entry, []string, []byte, error) {
	var buf bytes.Buffer
	w.s.listingTruncated = false
	prev := w.capture(&buf)
	defer prev()
	if nlst {
		names, err := w.c.NameList(dir)
		return nil, names, buf.Bytes(), err
	}
	entries, err := w.c.List(dir)
	return entries, nil, buf.Bytes(), err
}

// capture makes the next data connection record what it reads into buf.
func (w *walker) capture(buf *bytes.Buffer) func() {
	w.s.captureBuf = buf
	return func() { w.s.captureBuf = nil }
}

// dir lists one directory, fetches its files and queues its subdirectories.
// It returns false when the walk must stop.
func (w *walker) dir(job dirJob) bool {
	s := w.s
	disp := w.display(job.dir)
	mark := s.ctrl.mark()
	entries, _, raw, err := w.list(job.dir, false)
	truncated := s.listingTruncated
	// vsftpd and others report an unreadable directory as an empty
	// listing with "226 Transfer done (but failed to open directory)."
	if r, ok := s.ctrl.replyTo("LIST", mark); ok && err == nil && r.code/100 == 2 &&
		strings.Contains(strings.ToLower(r.text), "fail") {
		s.fileErr(disp, "directory not listed: %s", firstLines(r.text, 1, 200))
		return true
	}
	if err != nil && !truncated {
		if w.fatal() {
			return false
		}
		var pe *textproto.Error
		if errors.As(err, &pe) && pe.Code == 421 {
			w.backOff(pe)
			return false
		}
		if errors.As(err, &pe) {
			s.fileErr(disp, "directory not listed: %d %s", pe.Code, firstLines(pe.Msg, 1, 200))
			return true
		}
		if len(entries) == 0 {
			s.fileErr(disp, "directory not listed: %v", err)
			return true
		}
		s.fileErr(disp, "listing incomplete: %v", err)
	}
	if truncated {
		s.fileErr(disp, "listing longer than %d bytes: truncated", maxListingBytes)
	}
	if w.fatal() {
		return false
	}
	sum := sha256.Sum256(raw)
	hash := hex.EncodeToString(sum[:])
	if len(entries) > 0 {
		for i, a := range job.ancestors {
			if a == hash {
				s.fileErr(disp, "listing repeats that of a directory above it (%d levels up): loop suspected, not descended", len(job.ancestors)-i)
				return true
			}
		}
	}
	// NLST, to find entries LIST dropped (lines the parser did not understand).
	if !truncated {
		_, names, _, nerr := w.list(job.dir, true)
		if w.fatal() {
			return false
		}
		if nerr == nil {
			w.compare(job.dir, entries, names, raw)
		}
	}
	lines := rawLines(raw)
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	var subdirs []string
	for _, e := range entries {
		name := e.Name
		if name == "." || name == ".." {
			continue
		}
		s.entries++
		if s.entries > s.opt.MaxEntries {
			s.fileErr(disp, "entry limit (%d) reached: the rest of the host not listed", s.opt.MaxEntries)
			s.stopped = errors.New("entry limit")
			return false
		}
		if name == "" || strings.ContainsAny(name, "/\x00\r\n") || len(name) > 1024 {
			s.fileErr(disp, "entry with an unusable name skipped: %q", firstLines(decodeName(name), 1, 80))
			continue
		}
		p := path.Join(job.dir, name)
		switch e.Type {
		case jftp.EntryTypeFolder:
			if w.visited[p] {
				s.fileErr(w.display(p), "directory listed again: loop, not descended")
				continue
			}
			if others, ok := othersWritable(lines, name); ok && others {
				s.res.WritableHints = append(s.res.WritableHints, w.display(p))
				w.addWriteDir(p)
			}
			if uploadNames[strings.ToLower(name)] || strings.HasSuffix(strings.ToLower(p), "/pub/incoming") {
				w.addWriteDir(p)
			}
			subdirs = append(subdirs, p)
		case jftp.EntryTypeLink:
			target := e.Target
			if target != "" && !strings.HasPrefix(target, "/") {
				target = path.Join(job.dir, target)
			}
			if target != "" && (w.visited[path.Clean(target)] || strings.HasPrefix(job.dir+"/", path.Clean(target)+"/")) {
				s.fileErr(w.display(p), "symbolic link to a directory already visited (%s): loop, not followed", decodeName(e.Target))
			} else {
				s.fileErr(w.display(p), "symbolic link to %s not followed", firstLines(decodeName(e.Target), 1, 200))
			}
		default:
			s.res.ListedFiles++
			size := int64(min(e.Size, 1<<62))
			if !w.fetch(p, size) {
				return false
			}
		}
		if w.fatal() {
			return false
		}
	}
	for _, p := range subdirs {
		if job.depth+1 > s.opt.MaxDepth {
			if !w.depthNote {
				w.depthNote = true
				s.fileErr(w.display(p), "depth limit (%d) reached: deeper directories not listed", s.opt.MaxDepth)
			}
			continue
		}
		w.visited[p] = true
		anc := append(append([]string(nil), job.ancestors...), hash)
		w.queue = append(w.queue, dirJob{dir: p, depth: job.depth + 1, ancestors: anc})
	}
	return true
}

func (w *walker) addWriteDir(p string) {
	for _, d := range w.writeDirs {
		if d == p {
			return
		}
	}
	w.writeDirs = append(w.writeDirs, p)
}

// compare reports names NLST gave that LIST did not parse.
func (w *walker) compare(dir string, entries []*jftp.Entry, names []string, raw []byte) {
	have := make(map[string]bool, len(entries))
	for _, e := range entries {
		have[e.Name] = true
	}
	lines := rawLines(raw)
	reported := 0
	for _, n := range names {
		n = strings.TrimRight(n, "\r")
		base := n
		if strings.Contains(n, "/") {
			base = path.Base(n)
		}
		if base == "" || base == "." || base == ".." || have[base] {
			continue
		}
		have[base] = true
		reported++
		if reported > maxMismatchReports {
			w.s.fileErr(w.display(dir), "more LIST lines could not be parsed")
			return
		}
		line := ""
		for _, l := range lines {
			if strings.HasSuffix(l, base) {
				line = l
				break
			}
		}
		msg := "listed by NLST but not understood in LIST (entry dropped)"
		if line != "" {
			msg += fmt.Sprintf(": %q", firstLines(decodeName(line), 1, 200))
		}
		w.s.fileErr(w.display(path.Join(dir, base)), "%s", msg)
	}
}

func rawLines(raw []byte) []string {
	return strings.Split(strings.ReplaceAll(string(raw), "\r", ""), "\n")
}

// othersWritable looks up the ls-style line of a directory entry and
// reports whether its mode gives write permission to others.
func othersWritable(lines []string, name string) (writable, found bool) {
	for _, l := range lines {
		if len(l) < 10 || l[0] != 'd' || !strings.HasSuffix(l, " "+name) {
			continue
		}
		mode := l[:10]
		if strings.Trim(mode[1:], "rwxsStT-") != "" {
			continue
		}
		return mode[8] == 'w', true
	}
	return false, false
}

// single fetches a target that names a file rather than a directory.
func (w *walker) single(p string) {
	size := int64(-1)
	if n, err := w.c.FileSize(p); err == nil {
		size = n
	}
	w.s.res.ListedFiles++
	w.start = path.Dir(p)
	w.writeDirs = []string{w.start}
	w.fetch(p, size)
}

// fetch hands one listed file to the caller, within the limits.
func (w *walker) fetch(p string, size int64) bool {
	s := w.s
	disp := w.display(p)
	if size > s.opt.MaxFileBytes {
		s.fileErr(disp, "file too large (%d bytes, limit %d): listed, not fetched", size, s.opt.MaxFileBytes)
		return true
	}
	if s.hostBytes+max(size, 0) > s.opt.MaxHostBytes {
		s.fileErr(disp, "host byte limit (%d) reached: not fetched", s.opt.MaxHostBytes)
		return true
	}
	var rd *itemReader
	opened := false
	it := scanners.Item{Path: disp, Rel: w.rel(p), Size: size}
	it.Open = func() (io.ReadCloser, error) {
		if opened {
			return nil, errors.New("ftp: Open called twice")
		}
		opened = true
		if w.fatal() {
			return nil, fmt.Errorf("ftp: %s: probe ended", disp)
		}
		s.nextSize = size
		resp, err := w.c.Retr(p)
		s.nextSize = -1
		var pe *textproto.Error
		if errors.As(err, &pe) && pe.Code == 421 {
			w.backOff(pe)
		}
		if err != nil {
			s.fileErr(disp, "not fetched: %v", err)
			return nil, fmt.Errorf("ftp: %s: %w", disp, err)
		}
		rd = &itemReader{s: s, resp: resp, display: disp, closeFn: w.fetched}
		return rd, nil
	}
	err := s.yield(it)
	if rd != nil && !rd.closed {
		_ = rd.Close()
	}
	if err != nil {
		s.stopped = err
		s.errorf("ftp: stopped: %v", err)
		return false
	}
	return true
}

// fetched records how a transfer ended.
func (w *walker) fetched(r *itemReader) {
	switch {
	case r.err != nil:
		w.s.fileErr(r.display, "%v", r.err)
	case r.eof:
		w.s.res.FetchedFiles++
	}
}

// writeCheck uploads empty canaries and tries to delete them again.
func (w *walker) writeCheck() {
	s := w.s
	dirs := w.writeDirs
	if len(dirs) > MaxWriteCheckDirs {
		dirs = dirs[:MaxWriteCheckDirs]
	}
	for _, d := range dirs {
		if s.ctx.Err() != nil || s.ctrl.dc.broken() != nil {
			s.errorf("ftp: write check not completed")
			return
		}
		var rb [8]byte
		_, _ = rand.Read(rb[:])
		canary := "rouei-canary-" + hex.EncodeToString(rb[:]) + ".txt"
		p := path.Join(d, canary)
		wc := WriteCheck{Dir: decodeName(d), Canary: canary}
		mark := s.ctrl.mark()
		err := w.c.Stor(p, bytes.NewReader(nil))
		var replies []string
		if r, ok := s.ctrl.replyTo("STOR", mark); ok {
			replies = append(replies, firstLines(r.text, 1, 200))
		} else if err != nil {
			replies = append(replies, firstLines(err.Error(), 1, 200))
		}
		if err == nil {
			wc.Uploaded = true
			t := true
			s.res.AnonymousWrite = &t
			mark = s.ctrl.mark()
			derr := w.c.Delete(p)
			if r, ok := s.ctrl.replyTo("DELE", mark); ok {
				replies = append(replies, firstLines(r.text, 1, 200))
			}
			wc.Deleted = derr == nil
			if derr != nil {
				s.fileErr(w.display(p), "canary uploaded and could not be deleted: left behind on the server as %s", canary)
			}
		}
		wc.Reply = strings.Join(replies, "; ")
		s.res.WriteCheck = append(s.res.WriteCheck, wc)
	}
}
