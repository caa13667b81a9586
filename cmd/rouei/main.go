// Command rouei scans software deliverables and FTP endpoints for
// Japanese personal data. See the README for usage.
package main

import (
	"os"

	"github.com/rouei/rouei/cmd/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
