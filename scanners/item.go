// Package scanners turns targets into items: the files (and, later,
// archive members and FTP files) whose bytes the engine reads. A scanner
// never interprets content beyond sniffing its type; decoding lives in
// scanners/textdec and detection in detectors.
package scanners

import (
	"io"
)

// Item is one readable thing in a target: a file on disk, an archive
// member, a file on an FTP endpoint.
type Item struct {
	// Path is the display path of the contract: the target as given joined
	// with the relative path, "!/" between archive levels, ftp://host:port/…
	Path string
	// Rel is the path relative to the target ("data/a.csv"; for a single
	// file, its base name). Fingerprints use it, so that they do not
	// change with how the target was spelled on the command line.
	Rel string
	// Size is the size in bytes, or -1 when unknown.
	Size int64
	// File is the item's file on disk, when it is one (not an archive
	// member or a file on an FTP server): containers that need random
	// access read it directly instead of spooling a copy.
	File string
	// Open returns a fresh stream of the item's bytes.
	Open func() (io.ReadCloser, error)
}

// Sink receives what a scanner finds. Its methods may be called from the
// scanner's goroutine only, one at a time.
type Sink interface {
	// Item hands over one item to scan. A non-nil error stops the walk
	// (it is returned by the scanner), e.g. when the context is cancelled.
	Item(it Item) error
	// Error records something that could not be read completely. The
	// scan goes on.
	Error(path string, err error)
	// Skip records something deliberately not read (a device, a FIFO, a
	// symlink leading out of the target), with the reason.
	Skip(path, reason string)
}
