package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
)

// plotRun redraws a run folder's charts, summary.md and report.html from
// its results.json alone; results.json and results.csv are left as they
// are. With -format openmetrics it writes nothing, and prints the run's
// summary as OpenMetrics text instead.
func plotRun(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("plot")
	format := fs.String("format", "files", "files (redraw the folder's charts, summary.md and report.html) or openmetrics (print the run's summary as OpenMetrics text on stdout, for node exporter's textfile collector; write nothing)")
	operands, help, err := parseWithOperands(fs, args, stdout, "RUN")
	if help || err != nil {
		return err
	}
	if *format != "files" && *format != "openmetrics" {
		return usagef("-format: %q: want files or openmetrics", *format)
	}
	if len(operands) != 1 {
		return usagef("plot: want one run folder or results.json, got %d arguments", len(operands))
	}
	dir := operands[0]
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	res, err := results.Read(operands[0])
	if err != nil {
		return usagef("plot: %v", err)
	}
	if *format == "openmetrics" {
		return report.WriteOpenMetrics(stdout, res, filepath.Base(filepath.Clean(dir)))
	}
	start := time.Now()
	if err := report.WriteDerived(dir, res); err != nil {
		return fmt.Errorf("plot: %v", err)
	}
	fmt.Fprintf(stdout, "redrew charts, %s and %s in %s: %v\n", report.SummaryMD, report.ReportHTML, dir,
		time.Since(start).Round(time.Millisecond))
	return nil
}
