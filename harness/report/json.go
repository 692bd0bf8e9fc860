package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/concbench/concbench/harness"
)

// File names inside a run folder.
const (
	ResultsJSON = "results.json"
	ResultsCSV  = "results.csv"
	SummaryMD   = "summary.md"
)

// EncodeJSON renders results as indented JSON.
func EncodeJSON(res *harness.Results) ([]byte, error) {
	return json.MarshalIndent(res, "", "  ")
}

// ReadResults reads a results.json, or the one inside a run folder. A
// malformed file or an unknown schema is a one-line error.
func ReadResults(path string) (*harness.Results, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, ResultsJSON)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var res harness.Results
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&res); err != nil {
		return nil, fmt.Errorf("%s: not a valid results file: %v", path, err)
	}
	if res.Schema != harness.Schema {
		return nil, fmt.Errorf("%s: schema %q, want %q", path, res.Schema, harness.Schema)
	}
	return &res, nil
}

// Write writes results.json, results.csv and summary.md into dir, each
// atomically. results.json goes first: the others derive from it.
func Write(dir string, res *harness.Results) error {
	js, err := EncodeJSON(res)
	if err != nil {
		return err
	}
	var csvBuf, md bytes.Buffer
	if err := WriteCSV(&csvBuf, res); err != nil {
		return err
	}
	WriteMarkdown(&md, res)
	for _, f := range []struct {
		name string
		data []byte
	}{{ResultsJSON, js}, {ResultsCSV, csvBuf.Bytes()}, {SummaryMD, md.Bytes()}} {
		if err := WriteFile(filepath.Join(dir, f.name), f.data); err != nil {
			return err
		}
	}
	return nil
}
