package engine

import (
	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/archive"
	"github.com/rouei/rouei/scanners/mail"
	"github.com/rouei/rouei/scanners/office"
	"github.com/rouei/rouei/scanners/pgdump"
)

// DefaultContainers names the opener for a file whose first bytes are
// head: PostgreSQL dumps first (a directory dump's NNNN.dat.gz is a gzip),
// mail (an Outlook .msg is a compound file), office files and
// databases (an .xlsx is a zip), then archives. nil: not a container.
func DefaultContainers(name string, head []byte) scanners.Opener {
	if op := pgdump.Identify(name, head); op != nil { // before gzip: NNNN.dat.gz
		return op
	}
	if op := mail.Identify(name, head); op != nil {
		return op
	}
	if op := archive.IdentifyMSI(head); op != nil { // a compound file office would read as streams
		return op
	}
	if op := office.Identify(name, head); op != nil {
		return archive.MaybeMSI(head, op) // an MSI whose directory lies past head
	}
	return archive.Identify(name, head)
}
