package cli

import (
	"flag"
	"fmt"
	"io"

	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
)

// outputFormat is -format on run and attack: the tables (text), or a
// compact summary as JSON on stdout (json; report.Summary), every line
// meant for a person then going to stderr.
type outputFormat string

func defineFormat(fs *flag.FlagSet) *outputFormat {
	f := outputFormat("text")
	fs.Var(&f, "format", "what stdout gets: text (the tables) or json (a compact summary: cells, goodput, percentiles, errors, recommendations, thresholds; results/README.md); with json, the rest goes to stderr")
	return &f
}

func (f *outputFormat) String() string { return string(*f) }

func (f *outputFormat) Set(s string) error {
	if s != "text" && s != "json" {
		return fmt.Errorf("%q: want text or json", s)
	}
	*f = outputFormat(s)
	return nil
}

// json reports whether stdout gets the JSON summary.
func (f outputFormat) json() bool { return f == "json" }

// human is where lines meant for a person go: stdout, or stderr when
// stdout carries JSON.
func (f outputFormat) human(stdout, stderr io.Writer) io.Writer {
	if f.json() {
		return stderr
	}
	return stdout
}

// writeOutcome ends a saved run's output on stdout: the folder's path, or
// the JSON summary, which names it.
func writeOutcome(f *outputFormat, res *results.Results, dir string, stdout io.Writer) error {
	if f.json() {
		return report.WriteSummaryJSON(stdout, res, dir)
	}
	_, err := fmt.Fprintf(stdout, "\nresults: %s\n", dir)
	return err
}
