// Package depth searches for the deepest recursion that survives: it
// doubles the depth until a probe fails, then bisects between the deepest
// depth that passed and the shallowest that failed (package search). A probe is usually a
// cell run in a child process (package isolate), since a stack overflow
// aborts the process that has it.
package depth

import (
	"context"
	"fmt"

	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/search"
)

// A Probe runs a chain of the given depth and reports how it went. An
// error stops the search (bad input, an interruption); a failed probe is
// a result, not an error.
type Probe func(ctx context.Context, depth int) (results.DepthProbe, error)

// Search bounds a search.
type Search struct {
	From      int     // the first depth tried, at least 1
	Max       int     // the deepest depth tried
	Precision float64 // bisect until failed - deepest <= Precision x deepest (0.05: within 5%)
	// Progress, when set, is called after each probe.
	Progress func(results.DepthProbe)
}

// Validate reports a bad bound as an error naming its flag.
func (s Search) Validate() error {
	switch {
	case s.From < 1:
		return fmt.Errorf("-from: %d must be at least 1", s.From)
	case s.Max < s.From:
		return fmt.Errorf("-max: %d is below -from %d", s.Max, s.From)
	case !(s.Precision > 0 && s.Precision <= 1):
		return fmt.Errorf("-precision: %v is out of range (0, 1]", s.Precision)
	}
	return nil
}

// Run searches with probe and returns what it found for call. It costs
// about log2(Max/From) probes to find a failure and log2(1/Precision)
// more to narrow it down. On an error it returns the probes so far.
func (s Search) Run(ctx context.Context, call string, probe Probe) (results.DepthReport, error) {
	r := results.DepthReport{Call: call}
	try := func(depth int) (bool, error) {
		p, err := probe(ctx, depth)
		if err != nil {
			return false, err
		}
		p.Depth = depth
		r.Probes = append(r.Probes, p)
		if s.Progress != nil {
			s.Progress(p)
		}
		if p.OK {
			r.Deepest = max(r.Deepest, depth)
		} else if r.Failed == 0 || depth < r.Failed {
			r.Failed, r.Why = depth, p.Why
		}
		return p.OK, nil
	}
	survives := func(_ context.Context, depth float64) (bool, error) { return try(int(depth)) }
	lo, hi, err := search.Double(ctx, float64(s.From), float64(s.Max), survives)
	if err != nil || lo == 0 || hi == 0 {
		return r, err
	}
	_, _, err = search.Bisect(ctx, lo, hi, search.Integers(s.Precision), survives)
	return r, err
}
