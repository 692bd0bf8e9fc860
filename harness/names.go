package harness

import (
	"fmt"
	"strings"

	"github.com/agnivade/levenshtein"
)

// UnknownNameError reports a workload or strategy name that is not
// registered, with the closest known name when one is close.
type UnknownNameError struct {
	Kind  string   // "workload" or "strategy"
	Name  string   // the name asked for
	Known []string // the valid names
}

func (e *UnknownNameError) Error() string {
	msg := fmt.Sprintf("unknown %s %q (known: %s)", e.Kind, e.Name, strings.Join(e.Known, ", "))
	if s := Closest(e.Name, e.Known); s != "" {
		msg = fmt.Sprintf("unknown %s %q; did you mean %q?", e.Kind, e.Name, s)
	}
	return msg
}

// Closest returns the known name nearest to name by edit distance, or "" when
// none is within a third of the name's length (at least 2 edits).
func Closest(name string, known []string) string {
	best, bestDist := "", max(2, len(name)/3)+1
	for _, k := range known {
		if d := levenshtein.ComputeDistance(strings.ToLower(name), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}
