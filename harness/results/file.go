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
	var res Results
	if err := read(path, &res, &res.Schema); err != nil {
		return nil, err
	}
	return &res, nil
}

// Header is what names a results file's run: whether it is complete, and
// the run's environment (its start and command line).
type Header struct {
	Schema   string      `json:"schema"`
	Complete bool        `json:"complete"`
	Env      Environment `json:"env"`
}

// ReadHeader reads a results.json's header, as Read does the whole file,
// without decoding its histograms: a checkpoint checks the file it
// replaces once a second, and decoding costs about a millisecond a
// histogram.
func ReadHeader(path string) (Header, error) {
	var h Header
	err := read(path, &h, &h.Schema)
	return h, err
}

// read decodes the results.json at path, or in the run folder at path,
// into v, whose schema field is schema.
func read(path string, v any, schema *string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, FileName)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil { // the whole file: trailing text is an error too
		return fmt.Errorf("%s: not a valid results file: %v", path, err)
	}
	if *schema != Schema {
		return fmt.Errorf("%s: schema %q, want %q", path, *schema, Schema)
	}
	return nil
}
