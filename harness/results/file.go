package results

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// FileName is the name of the results file in a run folder.
const FileName = "results.json"

// Encode renders results as indented JSON: results.json's content.
func Encode(res *Results) ([]byte, error) {
	return json.MarshalIndent(res, "", "  ")
}

// Read reads a results.json, or the one inside a run folder. A malformed
// file or an unknown schema is a one-line error.
func Read(path string) (*Results, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, FileName)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var res Results
	if err := json.Unmarshal(data, &res); err != nil { // the whole file: trailing text is an error too
		return nil, fmt.Errorf("%s: not a valid results file: %v", path, err)
	}
	if res.Schema != Schema {
		return nil, fmt.Errorf("%s: schema %q, want %q", path, res.Schema, Schema)
	}
	return &res, nil
}
