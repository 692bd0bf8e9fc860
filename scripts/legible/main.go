// Command legible checks the SVG charts of run folders with package
// harness/chart/legible and prints each problem, one a line:
//
//	go run ./scripts/legible results/20261130-103201 [FILE.svg ...]
//
// It exits 1 when a chart has a problem, 2 when a file cannot be read.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/concbench/concbench/harness/chart/legible"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: legible RUN-FOLDER|FILE.svg ...")
		os.Exit(2)
	}
	var files []string
	for _, arg := range os.Args[1:] {
		if filepath.Ext(arg) == ".svg" {
			files = append(files, arg)
			continue
		}
		found, _ := filepath.Glob(filepath.Join(arg, "*.svg"))
		files = append(files, found...)
	}
	status := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err == nil {
			var problems []legible.Problem
			if problems, err = legible.Check(data); err == nil {
				for _, p := range problems {
					fmt.Printf("%s: %s\n", f, p)
					status = max(status, 1)
				}
				continue
			}
		}
		fmt.Fprintf(os.Stderr, "legible: %v\n", err)
		os.Exit(2)
	}
	fmt.Fprintf(os.Stderr, "%d charts checked\n", len(files))
	os.Exit(status)
}
