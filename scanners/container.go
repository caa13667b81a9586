package scanners

import (
	"context"
	"errors"
	"io"
	"time"
)

// Limits bound what opening containers (archives, office files,
// databases) may cost. Hitting one is an error entry for the container
// (and exit status 3), never a crash and never silence.
type Limits struct {
	MaxDepth         int           // containers nested in containers (default 8)
	MaxMemberBytes   int64         // bytes one member may expand to (default 1 GiB)
	MaxArchiveBytes  int64         // bytes all members of one container may expand to (default 4 GiB)
	MaxScanBytes     int64         // bytes all containers of one scan may expand to, counted at every level (default 64 GiB)
	MaxScanMembers   int           // members of all containers of one scan, at every level (default 1,000,000)
	MaxRatio         int64         // expanded/compressed ratio of a member before it counts as a bomb (default 200)
	MaxMembers       int           // members of one container (default 100,000)
	MaxArchiveTime   time.Duration // wall time for one container (default 5 min)
	MaxSpoolBytes    int64         // a member needing random access is spooled to a private temp file up to this size (default 2 GiB)
	MaxInMemoryBytes int64         // below this a spooled member stays in memory (default 32 MiB)
}

// DefaultLimits are the limits when a policy sets none.
var DefaultLimits = Limits{
	MaxDepth:         8,
	MaxMemberBytes:   1 << 30,
	MaxArchiveBytes:  4 << 30,
	MaxScanBytes:     64 << 30,
	MaxScanMembers:   1_000_000,
	MaxRatio:         200,
	MaxMembers:       100_000,
	MaxArchiveTime:   5 * time.Minute,
	MaxSpoolBytes:    2 << 30,
	MaxInMemoryBytes: 32 << 20,
}

// Member is one entry of a container.
type Member struct {
	// Name is the member's path inside the container, slash-separated and
	// decoded to UTF-8 (a CP932 name in a zip without the UTF-8 flag is
	// decoded). For an extracted table it names the table or sheet
	// ("督促", "PATRON").
	Name string
	// Size is the expanded size in bytes, or -1 when unknown.
	Size int64
	// Text says Open yields UTF-8 text already extracted from the
	// container (a sheet's rows as tab-separated lines with its header
	// row first, a document's paragraphs), to be scanned as text without
	// sniffing.
	Text bool
	// Open returns the member's bytes. It is called at most once, during
	// the walk, before the next member is yielded.
	Open func() (io.ReadCloser, error)
	// Err is set when the member cannot be read (encrypted, unsupported
	// compression, too large): the engine reports it and goes on. Open is
	// nil then.
	Err error
	// Notice is set when the member can be read but something about it
	// must be reported: a name with path tricks ("../../etc/passwd", an
	// absolute path, a drive letter), a symbolic link member. The engine
	// reports it as an error entry and still scans the content (nothing
	// is ever extracted by the member's name).
	Notice error
	// UnreadablePages, when set, is called once the member was read and
	// returns how many pages of a document had no extractable text
	// (scanned images): reported in the member's verdict, not as an error.
	UnreadablePages func() int
}

// Source is a container's bytes, with random access when the format
// needs it.
type Source struct {
	Name   string      // display path, for messages
	Reader io.Reader   // the stream, positioned at the start
	At     io.ReaderAt // random access, or nil
	Size   int64       // size in bytes, or -1 when unknown
	// Path is a file on disk holding the same bytes, when there is one
	// (the target's own file, or a private temp file the engine spooled
	// the container to): for libraries that only open files (SQLite).
	// Empty when the bytes are only in memory; an Opener that needs a
	// file then writes one under os.MkdirTemp and removes it.
	Path string
}

// Opener walks one container format.
type Opener interface {
	// Kind names the format ("zip", "tar", "gzip", "xlsx", "sqlite" …).
	Kind() string
	// NeedsRandomAccess says Walk needs Source.At (zip, 7z, SQLite, ISO);
	// the engine spools a stream to a private temp file or memory for it.
	NeedsRandomAccess() bool
	// Walk yields the members in order. It stops and returns ctx's error
	// when ctx is done, and yield's error when yield returns one. Any
	// other error means the container is corrupt or hostile (wrapped
	// ErrLimit for a limit hit) and what was yielded before it stands.
	Walk(ctx context.Context, src Source, lim Limits, yield func(Member) error) error
}

// ErrLimit is wrapped by errors that hit a Limit.
var ErrLimit = errors.New("limit exceeded")

// ErrEncrypted is wrapped by the errors of encrypted members and containers.
var ErrEncrypted = errors.New("encrypted: contents not scanned")

// WithDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxMemberBytes <= 0 {
		l.MaxMemberBytes = d.MaxMemberBytes
	}
	if l.MaxArchiveBytes <= 0 {
		l.MaxArchiveBytes = d.MaxArchiveBytes
	}
	if l.MaxScanBytes <= 0 {
		l.MaxScanBytes = d.MaxScanBytes
	}
	if l.MaxScanMembers <= 0 {
		l.MaxScanMembers = d.MaxScanMembers
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = d.MaxMembers
	}
	if l.MaxArchiveTime <= 0 {
		l.MaxArchiveTime = d.MaxArchiveTime
	}
	if l.MaxSpoolBytes <= 0 {
		l.MaxSpoolBytes = d.MaxSpoolBytes
	}
	if l.MaxInMemoryBytes <= 0 {
		l.MaxInMemoryBytes = d.MaxInMemoryBytes
	}
	return l
}
