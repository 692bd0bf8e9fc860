// Package input holds concbench's one bad-input error. Every flag, parameter,
// scenario key, rate or URL that is refused becomes an *Error naming its field
// (and, for a file, the path and line), so that the command prints one line
// and exits with status 2.
package input

import (
	"errors"
	"fmt"
	"strings"

	"github.com/agnivade/levenshtein"
)

// Error is bad input: what was wrong with which field.
type Error struct {
	Field   string // a flag ("tasks"), a parameter ("param io.latency") or a scenario key
	Path    string // the file, when the input came from one
	Line    int    // the line in Path, from 1; 0 when unknown
	Problem string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		fmt.Fprintf(&b, "%s:%d: ", e.Path, max(e.Line, 1))
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

// Errorf returns bad input on field.
func Errorf(field, format string, args ...any) *Error {
	return &Error{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Problem is err's problem without its field: what to put in another
// field's error.
func Problem(err error) string {
	if e, ok := As(err); ok {
		return e.Problem
	}
	return err.Error()
}

// Unknown reports a name that is not among known (a workload, a strategy, a
// key), suggesting the closest known one when one is close.
func Unknown(field, kind, name string, known []string) *Error {
	if s := Closest(name, known); s != "" {
		return Errorf(field, "unknown %s %q; did you mean %q?", kind, name, s)
	}
	return Errorf(field, "unknown %s %q (known: %s)", kind, name, strings.Join(known, ", "))
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
