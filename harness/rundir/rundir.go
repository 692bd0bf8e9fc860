package rundir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/concbench/concbench/harness/results"
)

var labelPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidLabel reports whether label may name a run folder: letters, digits,
// '.', '_' and '-', at most 64, not starting with a punctuation mark.
func ValidLabel(label string) bool { return label == "" || labelPattern.MatchString(label) }

// NewRunDir creates parent/<UTC yyyymmdd-hhmmss>[-label] and returns its
// path. It never reuses a folder: when the name is taken, it appends -2,
// -3 and so on.
func NewRunDir(parent, label string, start time.Time) (string, error) {
	if !ValidLabel(label) {
		return "", fmt.Errorf("label %q: use letters, digits, '.', '_' and '-'", label)
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	name := start.UTC().Format("20060102-150405")
	if label != "" {
		name += "-" + label
	}
	for i := 1; i < 1000; i++ {
		dir := filepath.Join(parent, name)
		if i > 1 {
			dir = fmt.Sprintf("%s-%d", dir, i)
		}
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		if !os.IsExist(err) {
			return "", err
		}
	}
	return "", fmt.Errorf("%s: too many runs with the same name", filepath.Join(parent, name))
}

// RescueFolder is where Rescue keeps results that their run folder could
// not take, under the system's temporary folder (or the user's cache).
const RescueFolder = "concbench-rescued"

// Rescue writes res as results.json into a new run folder under
// RescueFolder, for when the run folder cannot take it (a full disk, a
// folder gone read-only): what was measured is kept somewhere. It tries
// the temporary folder, then the user's cache, and returns the file's
// path.
func Rescue(res *results.Results) (string, error) {
	parents := []string{os.TempDir()}
	if cache, err := os.UserCacheDir(); err == nil {
		parents = append(parents, cache)
	}
	var errs []error
	for _, parent := range parents {
		dir, err := NewRunDir(filepath.Join(parent, RescueFolder), "", res.Env.Start)
		if err == nil {
			if err = WriteResults(dir, res); err == nil {
				return filepath.Join(dir, results.FileName), nil
			}
			os.Remove(dir)
		}
		errs = append(errs, err)
	}
	return "", errors.Join(errs...)
}

// RemoveUnused removes a run folder in which nothing was measured: its
// checkpoint, if it holds no cell, then the folder if it is empty. A
// folder holding anything else stays.
func RemoveUnused(dir string) {
	path := filepath.Join(dir, results.FileName)
	if res, err := results.Read(path); err == nil && len(res.Cells) == 0 && !res.Complete {
		os.Remove(path)
	}
	os.Remove(dir) // fails, harmlessly, unless empty
}
