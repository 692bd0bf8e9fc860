package harness

import (
	"context"
	"slices"

	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/search"
)

// AutoLimit tunes the limit search of -limits auto.
const (
	// AutoRise is how much more goodput a doubled limit must bring for the
	// doubling to go on: less, and goodput has stopped rising.
	AutoRise = 1.05
	// AutoShare is the share of the peak goodput the limit must reach:
	// the search ends at the smallest limit that reaches it (the
	// recommendation's rule).
	AutoShare = 0.95
	// AutoPrecision is how close the bisections come, as a share of the
	// limit (and at least to adjacent limits).
	AutoPrecision = 1.0 / 16
)

// searchLimits searches the limit of every limited strategy of p, each
// workload in turn, measuring each probe with measure (see AutoLimit).
func (r *Runner) searchLimits(ctx context.Context, p *Plan, measure func(Cell) (results.CellResult, error)) error {
	rec := p.Record()
	budget := rec.Budget()
	for i := range p.Workloads {
		for _, s := range p.Strategies {
			if !s.Limited() {
				continue
			}
			w := &p.Workloads[i]
			probe := func(limit int) (results.CellResult, error) { return measure(p.Cell(w, s, limit)) }
			if err := AutoLimit(ctx, p.maxAutoLimit(), budget, p.SLO, probe); err != nil {
				return err
			}
		}
	}
	return nil
}

// AutoLimit searches for the smallest limit whose goodput reaches
// AutoShare of the peak goodput, among limits within the error budget and
// the SLO, probing each limit with probe (once). It doubles the limit from
// 1 (up to most) while goodput rises by AutoRise and the cell qualifies;
// when a doubled limit no longer qualifies (a downstream's errors, the
// SLO), it bisects for the highest limit that does; then it bisects for
// the smallest limit within AutoShare of the best goodput measured. A
// downstream of capacity 10 takes 9 probes: 1, 2, 4, 8, 16, 12, 10, 11, 9.
// The caller keeps the probes: each is a measured cell.
func AutoLimit(ctx context.Context, most int, budget float64, slo results.SLO, probe func(limit int) (results.CellResult, error)) error {
	probed := map[int]results.CellResult{}
	get := func(limit int) (results.CellResult, error) {
		if c, ok := probed[limit]; ok {
			return c, nil
		}
		c, err := probe(limit)
		if err == nil {
			probed[limit] = c
		}
		return c, err
	}
	qualifies := func(c results.CellResult) bool {
		return !c.OverBudget(budget) && (len(slo) == 0 || slo.CheckReps(results.Summarized(c.Repetitions)) == nil)
	}
	best := 0.0 // goodput, of qualifying probes
	rising := func(ctx context.Context, x float64) (bool, error) {
		c, err := get(int(x))
		if err != nil || ctx.Err() != nil {
			return false, firstErr(err, ctx.Err())
		}
		if !qualifies(c) {
			return false, nil
		}
		g := c.Summary.Throughput
		up := best == 0 || g > AutoRise*best
		best = max(best, g)
		return up, nil
	}
	lo, hi, err := search.Double(ctx, 1, float64(most), rising)
	if err != nil {
		return err
	}
	if lo > 0 && hi > 0 && !qualifies(probed[int(hi)]) {
		ok := func(ctx context.Context, x float64) (bool, error) {
			c, err := get(int(x))
			if err != nil || ctx.Err() != nil {
				return false, firstErr(err, ctx.Err())
			}
			if qualifies(c) {
				best = max(best, c.Summary.Throughput)
				return true, nil
			}
			return false, nil
		}
		if _, _, err := search.Bisect(ctx, lo, hi, search.Integers(AutoPrecision), ok); err != nil {
			return err
		}
	}
	if best == 0 {
		return nil // nothing qualifies: the probes say why
	}
	reaches := func(c results.CellResult) bool { return qualifies(c) && c.Summary.Throughput >= AutoShare*best }
	limits := make([]int, 0, len(probed))
	for l := range probed {
		limits = append(limits, l)
	}
	slices.Sort(limits)
	first := slices.IndexFunc(limits, func(l int) bool { return reaches(probed[l]) })
	if first <= 0 {
		return nil // the smallest limit tried reaches it, or none does
	}
	short := func(ctx context.Context, x float64) (bool, error) {
		c, err := get(int(x))
		if err != nil || ctx.Err() != nil {
			return false, firstErr(err, ctx.Err())
		}
		return !reaches(c), nil
	}
	_, _, err = search.Bisect(ctx, float64(limits[first-1]), float64(limits[first]), search.Integers(AutoPrecision), short)
	return err
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// orderCells sorts a run's cells as the plan lists them: by workload, by
// strategy, then by limit, so that a search's probes read in order.
func orderCells(cells []results.CellResult, p *Plan) {
	index := func(names []string, name string) int { return slices.Index(names, name) }
	var workloads, strategies []string
	for _, w := range p.Workloads {
		workloads = append(workloads, w.Name)
	}
	for _, s := range p.Strategies {
		strategies = append(strategies, s.Name())
	}
	slices.SortStableFunc(cells, func(a, b results.CellResult) int {
		if d := index(workloads, a.Workload) - index(workloads, b.Workload); d != 0 {
			return d
		}
		if d := index(strategies, a.Strategy) - index(strategies, b.Strategy); d != 0 {
			return d
		}
		return a.Limit - b.Limit
	})
}
