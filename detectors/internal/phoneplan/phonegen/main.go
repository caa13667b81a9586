// Command phonegen writes the phone detector's numbering-plan table
// (detectors/phone_table.go) from libphonenumber's metadata for Japan; run
// by `go generate ./detectors`.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/rouei/rouei/detectors/internal/phoneplan"
)

func main() {
	out := flag.String("o", "phone_table.go", "output file")
	flag.Parse()
	t, err := phoneplan.Build()
	if err != nil {
		fmt.Fprintln(os.Stderr, "phonegen:", err)
		os.Exit(1)
	}
	src, err := phoneplan.Generate(t)
	if err != nil {
		fmt.Fprintln(os.Stderr, "phonegen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "phonegen:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "phonegen: depth %d, %d nodes, %d shapes\n", t.Depth, len(t.Nodes), len(t.Shapes))
}
