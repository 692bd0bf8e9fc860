package workloads_test

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
	"github.com/concbench/concbench/workloads"
)

// echo is a user's own workload: each task uppercases a word on the CPU.
type echo struct{ word string }

func (e echo) Batch(n, _ int) (harness.Batch, error) {
	b := harness.Batch{Tasks: make([]harness.Task, n), Cost: harness.Cost{Units: n}}
	for i := range b.Tasks {
		b.Tasks[i] = func(_ context.Context, x harness.Exec) error {
			var out string
			x.Compute(func() { out = strings.ToUpper(e.word) }) // the strategy decides where this runs
			if out != strings.ToUpper(e.word) {
				return fmt.Errorf("got %q", out)
			}
			return nil
		}
	}
	return b, nil
}

// A workload in a package of your own: implement harness.Workload, declare
// its parameters on the flag set, and register it from init. It then runs
// under every strategy, and `bench list` and `-param echo.word=...` know it.
func Example_register() {
	workloads.Register(workloads.Spec{
		Name:  "echo",
		Doc:   "uppercases a word",
		Tasks: 100,
		Define: func(fs *flag.FlagSet) func() (harness.Workload, error) {
			word := fs.String("word", "hello", "the word to uppercase")
			return func() (harness.Workload, error) { return echo{*word}, nil }
		},
	})

	spec, _ := workloads.Lookup("echo")
	w, _ := spec.Build("echo", map[string]string{"word": "go"}, 0)
	plan, _ := harness.NewPlan(harness.PlanConfig{
		Workloads:  []harness.PlannedWorkload{w},
		Strategies: []harness.Strategy{strategy.Pool{}, strategy.Offload{}},
		Limits:     []int{4},
		Reps:       2,
	})
	var r harness.Runner
	res, _ := r.Run(context.Background(), plan)
	for _, c := range res.Cells {
		fmt.Printf("%s %s limit=%d: %d of %d tasks, %d errors\n",
			c.Workload, c.Strategy, c.Limit, c.Summary.Completed, c.Tasks, c.Summary.ErrorCount())
	}
	// Output:
	// echo pool limit=4: 100 of 100 tasks, 0 errors
	// echo offload limit=4: 100 of 100 tasks, 0 errors
}
