package workloads

import (
	"strings"
	"testing"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/strategy"
)

// TestDetachedIOIsALeak checks that the leak check finds each goroutine a
// fire-and-forget task left blocked, with its stack, and warns.
func TestDetachedIOIsALeak(t *testing.T) {
	cells := measure(t, "io", map[string]string{"detach": "true", "latency": "1ms"}, 20, 4, 2, strategy.Pool{})
	for i, r := range cells[0].Repetitions {
		if r.Leaked != 20 || len(r.Leaks) != 1 || r.Leaks[0].Count != 20 || !strings.Contains(r.Leaks[0].Stack, "workloads.forget(") {
			t.Errorf("repetition %d: leaked %d, kinds %+v; want the 20 forgotten senders", i, r.Leaked, r.Leaks)
		}
	}
	res := &results.Results{Cells: cells}
	if w := res.LeakWarnings(); len(w) != 1 || !strings.HasPrefix(w[0], "io pool 4: 20 goroutines left running") || !strings.Contains(w[0], "workloads.forget") {
		t.Errorf("warnings %q: want one naming the cell, the count and where they wait", w)
	}
}

// quick are parameters that keep each family's tasks short, for tests
// that run every family.
var quick = map[string]map[string]string{
	"io":         {"latency": "1ms"},
	"cpu":        {"cost": "50us"},
	"mixed":      {"latency": "1ms", "cost": "50us"},
	"recursive":  {"latency": "1ms", "depth": "3", "fanout": "2"},
	"hog":        {"step": "1ms", "steps": "2", "cost": "5ms", "hogs": "2"},
	"http":       {"latency": "1ms"},
	"contention": {"lock": "owner", "work": "500us", "critical": "200us"},
	"pipeline":   {"costs": "200us,500us"},
}

// TestBuiltInWorkloadsLeakNothing runs every built-in family under every
// built-in strategy: the leak check must stay silent.
func TestBuiltInWorkloadsLeakNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every family under every strategy")
	}
	for _, spec := range All() {
		w, err := spec.Build(spec.Name, quick[spec.Name], 12)
		if err != nil {
			t.Fatal(err)
		}
		p, err := harness.NewPlan(harness.PlanConfig{Workloads: []harness.PlannedWorkload{w}, Strategies: strategy.All(), Limits: []int{3}, Reps: 1})
		if err != nil {
			t.Fatal(err)
		}
		var r harness.Runner
		res, err := r.Run(t.Context(), p)
		p.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Cells {
			for _, rep := range c.Repetitions {
				if rep.Leaked != 0 {
					t.Errorf("%s: leaked %d goroutines; first kind:\n%s", c.Name(), rep.Leaked, rep.Leaks[0].Stack)
				}
			}
		}
	}
}
