package harness_test

import (
	"context"
	"slices"
	"testing"

	. "github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
)

// modelCell is a probe's cell under a goodput model: goodput(limit), and
// fail(limit) the share of tasks that failed.
func modelCell(limit int, goodput, fail float64) results.CellResult {
	c := results.CellResult{Workload: "w", Strategy: "pool", Limit: limit}
	for range 6 {
		r := results.Repetition{Core: results.Core{Submitted: 100, Completed: 100, Throughput: goodput}}
		if fail > 0 {
			r.Errors = map[string]int{"http-503": int(100 * fail)}
		}
		c.Repetitions = append(c.Repetitions, r)
	}
	c.Summary = results.Combine(c.Repetitions)
	return c
}

func TestAutoLimit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		model  func(limit int) (goodput, fail float64)
		probes []int
	}{
		{
			// A downstream of capacity 10 taking 20 ms: 50/s a slot, and
			// 95% refused beyond 10 in flight.
			name: "a downstream of capacity 10",
			model: func(l int) (float64, float64) {
				if l > 10 {
					return 470, 0.95
				}
				return 50 * float64(l), 0
			},
			probes: []int{1, 2, 4, 8, 16, 12, 10, 11, 9},
		},
		{
			// CPU-bound on 2 cores: goodput stops rising at 2.
			name: "cpu on two cores",
			model: func(l int) (float64, float64) {
				return 1000 * float64(min(l, 2)), 0
			},
			probes: []int{1, 2, 4},
		},
		{
			// Waits: goodput doubles with the limit up to 200 tasks at once.
			name: "waits rise to the task count",
			model: func(l int) (float64, float64) {
				return 180 * float64(min(l, 200)), 0
			},
			probes: []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 192, 160, 176, 184}, // 192 reaches 95% (190 would): within 1/16
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var probes []int
			err := AutoLimit(context.Background(), 4096, results.DefaultErrorBudget, nil, func(l int) (results.CellResult, error) {
				probes = append(probes, l)
				g, f := tc.model(l)
				return modelCell(l, g, f), nil
			})
			if err != nil || !slices.Equal(probes, tc.probes) {
				t.Errorf("probes %v, err %v; want %v", probes, err, tc.probes)
			}
			if seen := map[int]bool{}; slices.ContainsFunc(probes, func(l int) bool { defer func() { seen[l] = true }(); return seen[l] }) {
				t.Errorf("a limit was probed twice: %v", probes)
			}
		})
	}
}

func TestAutoLimitStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := AutoLimit(ctx, 4096, results.DefaultErrorBudget, nil, func(l int) (results.CellResult, error) {
		if n++; n == 3 {
			cancel()
		}
		return modelCell(l, float64(l), 0), nil
	})
	if err == nil || n != 3 {
		t.Errorf("%d probes, err %v: want the search to stop at the cancelled third", n, err)
	}
}
