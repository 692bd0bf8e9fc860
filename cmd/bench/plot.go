package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/concbench/concbench/harness/report"
)

// plotRun redraws a run folder's charts, summary.md and report.html from
// its results.json alone; results.json and results.csv are left as they are.
func plotRun(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("plot")
	if help, err := parseFlags(fs, args, stdout, "RUN"); help || err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("plot: want one run folder or results.json, got %d arguments", fs.NArg())
	}
	dir := fs.Arg(0)
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	res, err := report.ReadResults(fs.Arg(0))
	if err != nil {
		return usagef("plot: %v", err)
	}
	start := time.Now()
	if err := report.WriteDerived(dir, res); err != nil {
		return fmt.Errorf("plot: %v", err)
	}
	fmt.Fprintf(stdout, "redrew charts, %s and %s in %s: %v\n", report.SummaryMD, report.ReportHTML, dir,
		time.Since(start).Round(time.Millisecond))
	return nil
}
