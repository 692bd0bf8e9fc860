package harness_test

import (
	"context"
	"testing"
	"time"

	. "github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
)

// sleepy is a test workload: each task parks on a timer for d.
type sleepy struct{ d time.Duration }

func (w sleepy) Batch(n, _ int) (Batch, error) {
	b := Batch{Tasks: make([]Task, n), Cost: Cost{Units: n, Wait: time.Duration(n) * w.d, Critical: w.d}}
	for i := range b.Tasks {
		b.Tasks[i] = func(ctx context.Context, _ Exec) error {
			return Park(ctx, w.d)
		}
	}
	return b, nil
}

// tasksOf is a test workload made of fixed tasks.
type tasksOf []Task

func (w tasksOf) Batch(n, _ int) (Batch, error) {
	return Batch{Tasks: w[:n], Cost: Cost{Units: n}}, nil
}

// runCell runs one cell of w under s and returns its result.
func runCell(t *testing.T, ctx context.Context, w Workload, tasks int, s Strategy, limit, reps int) (*results.Results, error) {
	t.Helper()
	p, err := NewPlan(PlanConfig{
		Workloads:  []PlannedWorkload{{Name: "test", Family: "test", Tasks: tasks, Workload: w}},
		Strategies: []Strategy{s},
		Limits:     []int{limit},
		Reps:       reps,
	})
	if err != nil {
		t.Fatal(err)
	}
	var r Runner
	return r.Run(ctx, p)
}
