package capacity

import (
	"context"
	"fmt"
	"io"

	"github.com/concbench/concbench/harness/results"
)

// Sweep runs a concurrency sweep with run (a runner's Run of a plan of
// one workload under one limited strategy, isolated or not) and adds the
// capacity model to the results: Analyze of the points that measured
// something. Failed points are kept in the cells and left out of the fit.
// Give the workload a TasksPerLimit so that every limit is kept busy. On
// error (ctx done) it returns what was measured, analyzed. The package
// needs no engine: run is one.
func Sweep(ctx context.Context, plan results.PlanRecord, run func(context.Context) (*results.Results, error), slo results.SLO, w Weighting) (*results.Results, error) {
	if len(plan.Workloads) != 1 || len(plan.Strategies) != 1 || len(plan.Limits) == 0 {
		return nil, fmt.Errorf("capacity: a sweep is one workload under one limited strategy; got %d workloads, %d strategies and %d limits", len(plan.Workloads), len(plan.Strategies), len(plan.Limits))
	}
	res, err := run(ctx)
	if res == nil {
		return nil, err
	}
	var measured []results.CellResult
	for _, c := range res.Cells {
		if c.Limit == 0 {
			return res, fmt.Errorf("capacity: a sweep needs a limited strategy; %s has no limit", c.Strategy)
		}
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
