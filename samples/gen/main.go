// Command gen regenerates the sample deliverable and its manifest.
//
// Run it as `go generate ./samples/...` or `go run ./samples/gen` from the
// repository root; -dir names the samples directory explicitly.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rouei/rouei/samples"
)

func main() {
	dir := flag.String("dir", "", "samples directory (default: . inside it, samples from the repository root)")
	src := flag.String("fixture-src", "", "write the inputs of the fixtures (samples/fixtures/README.md) below this directory and exit")
	flag.Parse()
	if *src != "" {
		if err := samples.WriteFixtureSources(*src); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if dir == "" {
		var err error
		if dir, err = findDir(); err != nil {
			return err
		}
	}
	return samples.Generate(dir)
}

// findDir returns "." when run inside the samples directory (go generate)
// and "samples" when run from the repository root.
func findDir() (string, error) {
	for _, d := range []string{".", "samples"} {
		if isSamplesDir(d) {
			return d, nil
		}
	}
	return "", errors.New("cannot find the samples directory: run from the repository root or use -dir")
}

func isSamplesDir(d string) bool {
	for _, f := range []string{"samples.go", filepath.Join("gen", "main.go")} {
		if _, err := os.Stat(filepath.Join(d, f)); err != nil {
			return false
		}
	}
	return true
}
