// Package report renders a run's results: the terminal table and the
// recommendation, results.csv, summary.md, report.html, bench.txt and the
// charts' files, all pure functions of results.json (package results),
// written into the run folder through package rundir.
package report

import (
	"bytes"
	"path/filepath"

	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
)

// File names inside a run folder; charts are <name>.png and <name>.svg.
const (
	ResultsJSON = results.FileName
	ResultsCSV  = "results.csv"
	SummaryMD   = "summary.md"
	ReportHTML  = "report.html"
)

// Write writes a new run folder's files: results.json and results.csv,
// which are never overwritten (results.json replaces only the run's own
// checkpoint), then the files derived from them (WriteDerived).
// results.json goes first: everything else derives from it.
func Write(dir string, res *results.Results) error {
	if err := rundir.WriteResults(dir, res); err != nil {
		return err
	}
	var csvBuf bytes.Buffer
	if err := WriteCSV(&csvBuf, res); err != nil {
		return err
	}
	if err := rundir.WriteFile(filepath.Join(dir, ResultsCSV), csvBuf.Bytes()); err != nil {
		return err
	}
	return WriteDerived(dir, res)
}
