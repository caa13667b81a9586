// Command benchtree writes the deterministic deliverable-like tree that
// scripts/bench-vs-rg.sh and the README's Performance section measure
// (samples.BenchTree): go run ./samples/benchtree -scale 10 -out DIR.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/rouei/rouei/samples"
)

func main() {
	out := flag.String("out", "", "directory to write (must not exist)")
	csvMB := flag.Int("patron-csv-mb", 0, "write instead one phone-dense patron CSV of this many MB to -out (samples.BenchPatronCSV)")
	scale := flag.Int("scale", 10, fmt.Sprintf("units of about %d bytes and 370 files", samples.BenchUnitBytes))
	flag.Parse()
	if *out == "" || *scale < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintln(os.Stderr, "benchtree:", *out, "exists")
		os.Exit(2)
	}
	if *csvMB > 0 {
		f, err := os.Create(*out)
		if err == nil {
			err = samples.BenchPatronCSV(f, int64(*csvMB)*1_000_000)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtree:", err)
			os.Exit(1)
		}
		return
	}
	files, size, err := samples.BenchTree(*out, *scale)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtree:", err)
		os.Exit(1)
	}
	fmt.Printf("%d files, %d bytes in %s\n", files, size, *out)
}
