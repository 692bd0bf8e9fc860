package capacity

import (
	"context"
	"fmt"
	"io"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
)

// Sweep runs a concurrency sweep, one cell per limit of p's one workload
// under its one limited strategy, with r (isolated or not), and adds the
// capacity model to the results: Analyze of the points that measured
// something. Failed points are kept in the cells and left out of the fit.
// Give the workload a TasksPerLimit so that every limit is kept busy. On
// error (ctx done) it returns what was measured, analyzed.
func Sweep(ctx context.Context, r *harness.Runner, p *harness.Plan, slo results.SLO, w Weighting) (*results.Results, error) {
	if len(p.Workloads) != 1 || len(p.Strategies) != 1 || !p.Strategies[0].Limited() {
		return nil, fmt.Errorf("capacity: a sweep is one workload under one limited strategy; got %d workloads and %d strategies", len(p.Workloads), len(p.Strategies))
	}
	res, err := r.Run(ctx, p)
	if res == nil {
		return nil, err
	}
	var measured []results.CellResult
	for _, c := range res.Cells {
		if c.Failed == "" {
			measured = append(measured, c)
		}
	}
	res.Capacity = Analyze(measured, slo, w)
	return res, err
}

// FitReader fits "concurrency,throughput" lines from r (see ReadPoints),
// measured elsewhere, and returns them as a run's results named name.
func FitReader(rd io.Reader, name string, args []string, w Weighting) (*results.Results, error) {
	pts, err := ReadPoints(rd)
	if err != nil {
		return nil, err
	}
	c, err := FromPoints(pts, w)
	if err != nil {
		return nil, err
	}
	c.Workload = name
	res := results.New(args, results.PlanRecord{})
	res.Complete, res.Capacity = true, c
	return res, nil
}
