package office

import (
	"context"
	"errors"

	"github.com/rouei/rouei/scanners"
)

// accessOpener recognises a Microsoft Access database (.mdb, .accdb),
// which this build cannot read: its walk is an error, so the file is
// reported as not scanned rather than passed as clean.
type accessOpener struct{}

// Kind implements scanners.Opener.
func (accessOpener) Kind() string { return "access" }

// NeedsRandomAccess implements scanners.Opener.
func (accessOpener) NeedsRandomAccess() bool { return false }

// ErrAccess is the error of every Access database.
var ErrAccess = errors.New("office: Microsoft Access database: not readable by this build")

// Walk implements scanners.Opener.
func (accessOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	return ErrAccess
}
