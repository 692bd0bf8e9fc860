package capacity

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/strategy"
)

// parked is a test workload: each task parks for d, so throughput grows
// with concurrency as d / limit.
type parked struct{ d time.Duration }

func (w parked) Batch(n, _ int) (harness.Batch, error) {
	b := harness.Batch{Tasks: make([]harness.Task, n), Cost: harness.Cost{Units: n, Wait: time.Duration(n) * w.d, Critical: w.d}}
	for i := range b.Tasks {
		b.Tasks[i] = func(context.Context, harness.Exec) error { time.Sleep(w.d); return nil }
	}
	return b, nil
}

// TestSweepFitsTheUSL sweeps parked tasks under a semaphore: throughput
// scales with the limit, each limit gets TasksPerLimit x limit tasks, and
// the fit sees near-linear scaling.
func TestSweepFitsTheUSL(t *testing.T) {
	p, err := harness.NewPlan(harness.PlanConfig{
		Workloads:  []harness.PlannedWorkload{{Name: "parked", Family: "parked", Tasks: 1, TasksPerLimit: 4, Workload: parked{5 * time.Millisecond}}},
		Strategies: []harness.Strategy{strategy.Semaphore{}},
		Limits:     []int{1, 2, 4, 8, 16, 32},
		Reps:       2,
	})
	if err != nil {
		t.Fatal(err)
	}
	var r harness.Runner
	res, err := Sweep(context.Background(), p.Record(), func(ctx context.Context) (*results.Results, error) { return r.Run(ctx, p) }, nil, OLS)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Capacity
	if len(res.Cells) != 6 || len(c.Points) != 6 || res.Cells[5].Tasks != 128 {
		t.Fatalf("%d cells, %d points, %d tasks at 32; want 6, 6, 128", len(res.Cells), len(c.Points), res.Cells[5].Tasks)
	}
	if c.Fit == nil {
		t.Fatalf("no fit: %s", c.FitError)
	}
	// 32 slots of 5 ms park are at best 6400/s; at least 8x the single slot's.
	if ratio := c.Points[5].Throughput / c.Points[0].Throughput; ratio < 8 {
		t.Errorf("throughput at 32 is %.1fx that at 1, want at least 8x", ratio)
	}
	if c.Fit.Sigma > 0.2 {
		t.Errorf("σ %.3f for parked tasks, want contention below 0.2", c.Fit.Sigma)
	}
	seq := mustPlan(t, strategy.Sequential{})
	if _, err := Sweep(context.Background(), seq.Record(), func(ctx context.Context) (*results.Results, error) { return r.Run(ctx, seq) }, nil, OLS); err == nil {
		t.Error("a sweep of an unlimited strategy was accepted")
	}
}

func mustPlan(t *testing.T, s harness.Strategy) *harness.Plan {
	p, err := harness.NewPlan(harness.PlanConfig{Workloads: []harness.PlannedWorkload{{Name: "p", Tasks: 1, Workload: parked{}}},
		Strategies: []harness.Strategy{s}, Reps: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFitReader(t *testing.T) {
	res, err := FitReader(strings.NewReader("1,100\n2,190\n4,350\n8,600\n16,800\n32,850\n"), "wrk.csv", []string{"bench"}, OLS)
	if err != nil || res.Capacity == nil || res.Capacity.Fit == nil || res.Capacity.Workload != "wrk.csv" || !res.Complete {
		t.Fatalf("FitReader: %+v, %v", res, err)
	}
	if _, err := FitReader(strings.NewReader("1,100\n"), "x", nil, OLS); err == nil {
		t.Error("one point was fitted")
	}
}
