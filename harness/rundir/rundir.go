package rundir

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
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
