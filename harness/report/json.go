package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/concbench/concbench/harness/results"
)

// File names inside a run folder; charts are <name>.png and <name>.svg.
const (
	ResultsJSON = "results.json"
	ResultsCSV  = "results.csv"
	SummaryMD   = "summary.md"
	ReportHTML  = "report.html"
)

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
// which are never overwritten, then the files derived from them
// (WriteDerived). results.json goes first: everything else derives from it.
func Write(dir string, res *results.Results) error {
	js, err := EncodeJSON(res)
	if err != nil {
		return err
	}
	if err := WriteFile(filepath.Join(dir, ResultsJSON), js); err != nil {
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
