package engine

import (
	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/archive"
	"github.com/rouei/rouei/scanners/mail"
	"github.com/rouei/rouei/scanners/office"
)

// DefaultContainers names the opener for a file whose first bytes are
// head: mail first (an Outlook .msg is a compound file), office files and
// databases (an .xlsx is a zip), then archives. nil: not a container.
func DefaultContainers(name string, head []byte) scanners.Opener {
	if op := mail.Identify(name, head); op != nil {
		return op
	}
	if op := office.Identify(name, head); op != nil {
		return op
	}
	return archive.Identify(name, head)
}
