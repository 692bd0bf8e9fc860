package cli

import (
	"fmt"
	"path/filepath"

	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
)

// writeRun writes the run folder's files (report.Write); tests replace it
// to make a write fail.
var writeRun = report.Write

// saveRun writes the run folder's files after the table was printed, so
// that a write that fails (a full disk, a folder gone read-only) never
// costs the figures. When results.json itself could not be written, it
// is rescued into the temporary folder (rundir.Rescue). The error, one
// line, says what was kept and what was lost.
func saveRun(dir string, res *results.Results) error {
	err := writeRun(dir, res)
	if err == nil {
		return nil
	}
	old, readErr := results.Read(filepath.Join(dir, results.FileName))
	if readErr == nil && old.Complete == res.Complete && len(old.Cells) == len(res.Cells) && old.Env.Start.Equal(res.Env.Start) {
		return fmt.Errorf("writing %s: %v; results.json is whole, the charts and reports are not: redraw them with bench plot %s", dir, err, dir)
	}
	kept := "no checkpoint"
	if readErr == nil && old.Env.Start.Equal(res.Env.Start) {
		kept = fmt.Sprintf("its checkpoint holds %d of %d cells", len(old.Cells), len(res.Cells))
	}
	path, rescueErr := rundir.Rescue(res)
	if rescueErr != nil {
		return fmt.Errorf("writing %s: %v (%s); nor could results.json be kept elsewhere (%v): the table above is all that is left", dir, err, kept, rescueErr)
	}
	return fmt.Errorf("writing %s: %v (%s); every cell measured is kept in %s", dir, err, kept, path)
}
