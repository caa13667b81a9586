package engine

import (
	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/archive"
	"github.com/rouei/rouei/scanners/office"
)

// DefaultContainers names the opener for a file whose first bytes are
// head: office files and databases first (an .xlsx is a zip), then
// archives. nil: not a container.
func DefaultContainers(name string, head []byte) scanners.Opener {
	if op := archive.IdentifyMSI(head); op != nil { // a compound file office would read as streams
		return op
	}
	if op := office.Identify(name, head); op != nil {
		return archive.MaybeMSI(head, op) // an MSI whose directory lies past head
	}
	return archive.Identify(name, head)
}
