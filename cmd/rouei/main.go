// Command rouei scans software deliverables and FTP endpoints for
// Japanese personal data. See the README for usage.
package main

import (
	"os"
	"runtime/debug"

	"github.com/rouei/rouei/cmd/cli"
)

// memoryLimit is the soft limit of the Go runtime's memory (heap, stacks,
// runtime structures) unless GOMEMLIMIT says otherwise: near it the
// garbage collector runs more often instead of letting the heap grow to
// twice what is live, so that a scan whose live data is large (many
// files with findings) still stays within 256 MB of RSS (issue 15).
const memoryLimit = 200 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
