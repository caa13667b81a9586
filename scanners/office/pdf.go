package office

import (
	"context"
	"errors"

	"github.com/rouei/rouei/scanners"
)

// pdfOpener recognises a PDF document.
type pdfOpener struct{}

// Kind implements scanners.Opener.
func (pdfOpener) Kind() string { return "pdf" }

// NeedsRandomAccess implements scanners.Opener.
func (pdfOpener) NeedsRandomAccess() bool { return false }

// ErrPDF is the error of every PDF document.
var ErrPDF = errors.New("office: PDF text extraction not supported by this build")

// Walk implements scanners.Opener.
func (pdfOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) error {
	return ErrPDF
}
