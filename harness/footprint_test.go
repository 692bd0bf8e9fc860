package harness_test

import (
	"strings"
	"testing"

	. "github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/strategy"
)

// sized is a test workload with a known footprint.
type sized struct {
	tasksOf
	nodes, bytes int64
}

func (s sized) Footprint(n int) (int64, int64) { return int64(n) * s.nodes, s.bytes }

func TestFootprint(t *testing.T) {
	plan := func(w Workload, tasks int, s Strategy, limit int) *Plan {
		return &Plan{PlanConfig: PlanConfig{Workloads: []PlannedWorkload{{Name: "w", Tasks: tasks, Workload: w}}, Strategies: []Strategy{s}, Limits: []int{limit}, Reps: 1}}
	}
	tests := []struct {
		name       string
		plan       *Plan
		goroutines int64
		refused    bool
	}{
		{"unbounded starts every task", plan(sized{nodes: 1, bytes: 1 << 10}, 1000, strategy.Unbounded{}, 0), 1000, false},
		{"a semaphore runs at most its limit", plan(sized{nodes: 1}, 1000, strategy.Semaphore{}, 8), 8, false},
		{"a pool starts its workers even for few tasks", plan(sized{nodes: 1}, 10, strategy.Pool{}, 4096), 4096, false},
		{"waiting parents of a tree keep their goroutines", plan(sized{nodes: 341}, 4, strategy.Semaphore{}, 8), 4 * 341, false},
		{"ten million tasks of 1 MiB are refused", plan(sized{nodes: 1, bytes: 1 << 20}, 10_000_000, strategy.Unbounded{}, 0), 10_000_000, true},
		{"a pool of two million workers is refused", plan(sized{nodes: 1}, 10, strategy.Pool{}, 2<<20), 2 << 20, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, _, _ := tt.plan.Footprint()
			if g != tt.goroutines {
				t.Errorf("%d goroutines, want %d", g, tt.goroutines)
			}
			err := tt.plan.CheckFootprint(16 << 30)
			_, isInput := input.As(err)
			if tt.refused != (err != nil) || err != nil && (!isInput || !strings.Contains(err.Error(), "pass -force")) {
				t.Errorf("CheckFootprint = %v, refused want %v", err, tt.refused)
			}
		})
	}
}
