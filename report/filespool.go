package report

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rouei/rouei/detectors"
)

// A scan with a Spool keeps its files[] entries there too, so that
// memory does not grow with the number of files that have something to
// report: Report.Files then holds each file's slim entry (path, verdict,
// counts: what sorting, the summary, the exit status and the history
// need), and the writers read the rest back (detail) as they write it.

// fileLoc is where a file's full entry is in the spool file.
type fileLoc struct {
	off, n int64
}

// fileRecord is a File as the spool keeps it, with its structured
// reasons (File.Why is not part of the report's JSON).
type fileRecord struct {
	File
	Why []detectors.Reason `json:"why,omitempty"`
}

// PutFile writes f to the spool and returns its slim entry, which
// Report.Files holds in its place. If the spool cannot take it (closed,
// a write error), f is returned whole: nothing is lost, only kept in
// memory.
func (s *Spool) PutFile(f File) File {
	if s == nil || f.loc != nil {
		return f
	}
	b, err := json.Marshal(fileRecord{File: f, Why: f.Why})
	if err != nil {
		return f
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil || s.f == nil {
		return f
	}
	if _, err := s.w.Write(b); err != nil {
		s.err = fmt.Errorf("report: findings spool: %w", err)
		return f
	}
	loc := &fileLoc{off: s.size, n: int64(len(b))}
	s.size += loc.n
	return File{Path: f.Path, MediaType: f.MediaType, Encoding: f.Encoding, Classification: f.Classification,
		Severity: f.Severity, Persons: f.Persons, Findings: f.Findings, Dummy: f.Dummy,
		UnreadablePages: f.UnreadablePages, OtherCustomer: f.OtherCustomer, loc: loc}
}

// FileDetail returns f whole: f itself when it is not a slim spooled
// entry, else its full entry read back from the spool, with the slim
// entry's verdict and counts (which may have changed since). A read
// error returns the slim entry and is reported by the writers at the
// end (as for findings).
func (s *Spool) FileDetail(f File) File {
	if f.loc == nil || s == nil {
		return f
	}
	full, err := s.readFile(*f.loc)
	if err != nil {
		s.mu.Lock()
		if s.readErr == nil {
			s.readErr = err
		}
		s.mu.Unlock()
		f.loc = nil
		return f
	}
	full.Path, full.MediaType, full.Encoding, full.Classification = f.Path, f.MediaType, f.Encoding, f.Classification
	full.Severity, full.Persons, full.Findings, full.Dummy = f.Severity, f.Persons, f.Findings, f.Dummy
	full.UnreadablePages, full.OtherCustomer = f.UnreadablePages, f.OtherCustomer
	return full
}

func (s *Spool) readFile(loc fileLoc) (File, error) {
	s.mu.Lock()
	if s.f == nil {
		s.mu.Unlock()
		return File{}, errors.New("report: findings spool: closed")
	}
	err := s.w.Flush()
	f := s.f
	s.mu.Unlock()
	if err != nil {
		return File{}, fmt.Errorf("report: findings spool: %w", err)
	}
	buf := make([]byte, loc.n)
	if _, err := f.ReadAt(buf, loc.off); err != nil {
		return File{}, fmt.Errorf("report: reading the findings spool: %w", err)
	}
	var rec fileRecord
	if err := json.Unmarshal(buf, &rec); err != nil {
		return File{}, fmt.Errorf("report: reading the findings spool: %w", err)
	}
	rec.File.Why = rec.Why
	return rec.File, nil
}

// fileDetail is f whole (Spool.FileDetail), its reasons in the report's
// language when Localize was asked for one.
func (r *Report) fileDetail(f File) File {
	if f.loc == nil {
		return f
	}
	d := r.Spool.FileDetail(f)
	if r.lang != nil && len(d.Why) > 0 {
		d.Reasons = RenderReasons(*r.lang, d.Why)
	}
	return d
}

// FileDetail returns files[i] whole (a spooled scan's Files holds slim
// entries: FileDetail reads the rest back).
func (r *Report) FileDetail(i int) File {
	return r.fileDetail(r.Files[i])
}

// putFile stores a changed whole entry back in the spool (ApplyCustomer).
func (r *Report) putFile(i int, f File) {
	if r.Files[i].loc == nil {
		r.Files[i] = f
		return
	}
	f.loc = nil
	r.Files[i] = r.Spool.PutFile(f)
}
