package harness_test

import (
	"context"
	"testing"
	"time"

	. "github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
)

// TestGroupTimeout runs 20 tasks of 50 ms two at a time under one 120 ms
// deadline: about four finish, the two running at the deadline fail with
// a timeout, and the rest never start.
func TestGroupTimeout(t *testing.T) {
	for _, s := range []Strategy{strategy.Semaphore{}, strategy.Pool{}, strategy.Errgroup{}} {
		p, err := NewPlan(PlanConfig{
			Workloads:  []PlannedWorkload{{Name: "w", Tasks: 20, GroupTimeout: 120 * time.Millisecond, Workload: sleepy{50 * time.Millisecond}}},
			Strategies: []Strategy{s}, Limits: []int{2}, Reps: 1,
		})
		if err != nil {
			t.Fatal(err)
		}
		var r Runner
		res, err := r.Run(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		m := res.Cells[0].Summary
		if ok := m.Succeeded(); ok < 2 || ok > 6 {
			t.Errorf("%s: %d tasks succeeded before a 120 ms deadline, two at a time at 50 ms, want about 4", s.Name(), ok)
		}
		if m.Errors["timeout"] < 1 {
			t.Errorf("%s: no task was cut at the deadline: errors %v", s.Name(), m.Errors)
		}
		if m.NotStarted < 10 || m.Succeeded()+m.ErrorCount()+m.NotStarted != 20 {
			t.Errorf("%s: %d finished, %d failed, %d never started, want at least 10 never started and 20 in all", s.Name(), m.Succeeded(), m.ErrorCount(), m.NotStarted)
		}
		if m.Wall > 600*time.Millisecond {
			t.Errorf("%s: the repetition took %v under a 120 ms group deadline", s.Name(), m.Wall)
		}
	}
}

// classy is a test workload of two classes that counts its tasks.
type classy struct{}

func (classy) Batch(n, _ int) (Batch, error) {
	b := Batch{Tasks: make([]Task, n), Classes: make([]string, n), Cost: Cost{Units: n}}
	for i := range b.Tasks {
		d, class := time.Millisecond, "fast"
		if i%2 == 1 {
			d, class = 30*time.Millisecond, "slow"
		}
		b.Tasks[i] = func(ctx context.Context, _ Exec) error { return Park(ctx, d) }
		b.Classes[i] = class
	}
	b.Counters = func() map[string]float64 { return map[string]float64{"made": float64(n)} }
	return b, nil
}

// TestClassesAndCounters reports each class's latency apart, and what the
// batch counted.
func TestClassesAndCounters(t *testing.T) {
	res, err := runCell(t, context.Background(), classy{}, 10, strategy.Unbounded{}, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Cells[0].Summary
	fast, slow := m.Classes["fast"], m.Classes["slow"]
	if fast.P99 <= 0 || slow.P50 < 30*time.Millisecond || fast.Max >= slow.Min {
		t.Errorf("classes: fast %+v, slow %+v: want every fast task faster than every slow one", fast, slow)
	}
	if m.Counters["made"] != 10 {
		t.Errorf("counters = %v, want made 10", m.Counters)
	}
}
