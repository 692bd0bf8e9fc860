package rundir

import (
	"path/filepath"
	"slices"

	"github.com/concbench/concbench/harness/results"
)

// Checkpoint writes the results measured so far as the run folder's
// results.json (atomically, marked incomplete), replacing the previous
// checkpoint of the same run: a run killed later loses at most the cell it
// was running. It refuses to replace a complete results.json or another
// run's.
func Checkpoint(dir string, res *results.Results) error {
	partial := *res
	partial.Complete = false
	return WriteResults(dir, &partial)
}

// WriteResults writes the run folder's results.json, replacing only an
// incomplete one of the same run (same start time and command line): a
// checkpoint.
func WriteResults(dir string, res *results.Results) error {
	js, err := results.Encode(res)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, results.FileName)
	if old, err := results.Read(path); err == nil && !old.Complete && old.Env.Start.Equal(res.Env.Start) &&
		slices.Equal(old.Env.CommandLine, res.Env.CommandLine) {
		return ReplaceFile(path, js)
	}
	return WriteFile(path, js)
}
