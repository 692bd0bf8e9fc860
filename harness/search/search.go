// Package search finds the boundary of a monotone property by probing: it
// doubles a value while the property holds, then bisects between the
// last value that held and the first that did not. bench depth (the
// deepest chain), attack -slo (the highest rate) and -limits auto (the
// limit where goodput stops rising) all search this way.
package search

import (
	"context"
	"math"
)

// A Probe reports whether x is below the boundary: the property holds
// there. An error stops the search.
type Probe func(ctx context.Context, x float64) (below bool, err error)

// Double probes from, 2 x from, 4 x from ..., and last max, while each is
// below the boundary. It returns the last value below (0 when the first
// was not) and the first value not below (0 when every value up to max
// was). It costs about log2(max/from) + 1 probes.
func Double(ctx context.Context, from, max float64, probe Probe) (lo, hi float64, err error) {
	for x := math.Min(from, max); ; x = math.Min(2*x, max) {
		below, err := probe(ctx, x)
		if err != nil {
			return lo, hi, err
		}
		if !below {
			return lo, x, nil
		}
		lo = x
		if x >= max {
			return lo, 0, nil
		}
	}
}

// Next picks the value to probe in the bracket (lo, hi), or says the
// bracket is narrow enough.
type Next func(lo, hi float64) (mid float64, ok bool)

// Bisect narrows the bracket: lo below the boundary, hi not. It probes
// the value next picks and keeps the half that holds the boundary, until
// next says stop. It returns the final bracket.
func Bisect(ctx context.Context, lo, hi float64, next Next, probe Probe) (float64, float64, error) {
	for {
		mid, ok := next(lo, hi)
		if !ok {
			return lo, hi, nil
		}
		below, err := probe(ctx, mid)
		if err != nil {
			return lo, hi, err
		}
		if below {
			lo = mid
		} else {
			hi = mid
		}
	}
}

// Integers bisects whole numbers until hi - lo is at most precision x lo
// (and at least until they are adjacent).
func Integers(precision float64) Next {
	return func(lo, hi float64) (float64, bool) {
		if hi-lo <= math.Max(1, precision*lo) {
			return 0, false
		}
		return math.Floor(lo + (hi-lo)/2), true
	}
}

// Halvings bisects at most n times, and stops once the middle is within
// minGap of lo.
func Halvings(n int, minGap float64) Next {
	return func(lo, hi float64) (float64, bool) {
		mid := (lo + hi) / 2
		if n <= 0 || mid-lo < minGap {
			return 0, false
		}
		n--
		return mid, true
	}
}
