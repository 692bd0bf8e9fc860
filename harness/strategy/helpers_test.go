package strategy

import (
	"context"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// sleepy is a test workload: each task parks on a timer for d.
type sleepy struct{ d time.Duration }

func (w sleepy) Batch(n, _ int) (harness.Batch, error) {
	b := harness.Batch{Tasks: make([]harness.Task, n), Cost: harness.Cost{Units: n, Wait: time.Duration(n) * w.d, Critical: w.d}}
	for i := range b.Tasks {
		b.Tasks[i] = func(ctx context.Context, _ harness.Exec) error {
			return harness.Park(ctx, w.d)
		}
	}
	return b, nil
}

// tasksOf is a test workload made of fixed tasks.
type tasksOf []harness.Task

func (w tasksOf) Batch(n, _ int) (harness.Batch, error) {
	return harness.Batch{Tasks: w[:n], Cost: harness.Cost{Units: n}}, nil
}

// runCell runs one cell of w under s through the runner and returns its result.
func runCell(t *testing.T, ctx context.Context, w harness.Workload, tasks int, s harness.Strategy, limit, reps int) (*results.Results, error) {
	t.Helper()
	p, err := harness.NewPlan(harness.PlanConfig{
		Workloads:  []harness.PlannedWorkload{{Name: "test", Family: "test", Tasks: tasks, Workload: w}},
		Strategies: []harness.Strategy{s},
		Limits:     []int{limit},
		Reps:       reps,
	})
	if err != nil {
		t.Fatal(err)
	}
	var r harness.Runner
	return r.Run(ctx, p)
}
