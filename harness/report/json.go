package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/concbench/concbench/harness/results"
)

// File names inside a run folder; charts are <name>.png and <name>.svg.
const (
	ResultsJSON = "results.json"
	ResultsCSV  = "results.csv"
	SummaryMD   = "summary.md"
	ReportHTML  = "report.html"
)

// Checkpoint writes the results measured so far as the run folder's
// results.json (atomically, marked incomplete), replacing the previous
// checkpoint of the same run: a run killed later loses at most the cell it
// was running. It refuses to replace a complete results.json or another
// run's.
func Checkpoint(dir string, res *results.Results) error {
	partial := *res
	partial.Complete = false
	return writeResultsJSON(dir, &partial)
}

// writeResultsJSON writes results.json, replacing only an incomplete one
// of the same run (same start time and command line).
func writeResultsJSON(dir string, res *results.Results) error {
	js, err := EncodeJSON(res)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, ResultsJSON)
	if old, err := ReadResults(path); err == nil && !old.Complete && old.Env.Start.Equal(res.Env.Start) &&
		slices.Equal(old.Env.CommandLine, res.Env.CommandLine) {
		return ReplaceFile(path, js)
	}
	return WriteFile(path, js)
}

// EncodeJSON renders results as indented JSON.
func EncodeJSON(res *results.Results) ([]byte, error) {
	return json.MarshalIndent(res, "", "  ")
}

// ReadResults reads a results.json, or the one inside a run folder. A
// malformed file or an unknown schema is a one-line error.
func ReadResults(path string) (*results.Results, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, ResultsJSON)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var res results.Results
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&res); err != nil {
		return nil, fmt.Errorf("%s: not a valid results file: %v", path, err)
	}
	if res.Schema != results.Schema {
		return nil, fmt.Errorf("%s: schema %q, want %q", path, res.Schema, results.Schema)
	}
	return &res, nil
}

// Write writes a new run folder's files: results.json and results.csv,
// which are never overwritten (results.json replaces only the run's own
// checkpoint), then the files derived from them (WriteDerived).
// results.json goes first: everything else derives from it.
func Write(dir string, res *results.Results) error {
	if err := writeResultsJSON(dir, res); err != nil {
		return err
	}
	var csvBuf bytes.Buffer
	if err := WriteCSV(&csvBuf, res); err != nil {
		return err
	}
	if err := WriteFile(filepath.Join(dir, ResultsCSV), csvBuf.Bytes()); err != nil {
		return err
	}
	return WriteDerived(dir, res)
}
