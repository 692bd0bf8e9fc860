package workloads

import (
	"context"
	"testing"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind.
// fasthttp's cleaner goroutine outlives a closed http workload by up to 90 s
// (workloads/httpclient.go); it exits by itself. The detached io
// workload's forgotten senders are its point: they never exit.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*HostClient).connsCleaner"),
		goleak.IgnoreAnyFunction("github.com/concbench/concbench/workloads.forget"))
}

// measure builds family with params and runs it under every strategy given,
// at limit, returning the cells.
func measure(t *testing.T, family string, params map[string]string, tasks, limit, reps int, strategies ...harness.Strategy) []results.CellResult {
	t.Helper()
	spec, err := Lookup(family)
	if err != nil {
		t.Fatal(err)
	}
	w, err := spec.Build(family, params, tasks)
	if err != nil {
		t.Fatal(err)
	}
	p, err := harness.NewPlan(harness.PlanConfig{Workloads: []harness.PlannedWorkload{w}, Strategies: strategies, Limits: []int{limit}, Reps: reps})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var r harness.Runner
	res, err := r.Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return res.Cells
}

// checkClean fails unless every task of every repetition completed without
// error, and left no goroutine running.
func checkClean(t *testing.T, c results.CellResult) {
	t.Helper()
	for i, r := range c.Repetitions {
		if r.Completed != r.Submitted || r.ErrorCount() != 0 || r.Leaked != 0 {
			t.Errorf("%s limit %d, repetition %d: %d of %d completed, errors %v, %d goroutines leaked",
				c.Strategy, c.Limit, i, r.Completed, r.Submitted, r.Errors, r.Leaked)
		}
	}
}
