// Package fib is an example of a user's own workload: each task computes
// fib(n) as the textbook recursion does, with fib(n-1) and fib(n-2) as
// child tasks: an unbalanced tree, which no built-in shape makes. Each
// base case (n < 2) waits on simulated I/O and reports n; each parent
// sums its two children. Blank-import it to register "fib".
package fib

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/workloads"
)

func init() {
	workloads.Register(workloads.Spec{
		Name:  "fib",
		Doc:   "each task computes fib(n) by spawning fib(n-1) and fib(n-2); base cases wait on I/O",
		Tasks: 1,
		Define: func(fs *flag.FlagSet) func() (harness.Workload, error) {
			n := fs.Int("n", 5, "the argument: fib(n) has fib(n+1) base cases (5: 8 of them)")
			latency := fs.Duration("latency", 100*time.Millisecond, "the simulated I/O of each base case")
			return func() (harness.Workload, error) { return New(*n, *latency) }
		},
	})
}

// MaxN bounds n: fib(25) already has 121,393 base cases per task.
const MaxN = 25

// Workload runs one fib(n) per task.
type Workload struct {
	n       int
	leaves  int   // base cases: fib(n+1)
	want    int64 // fib(n)
	latency time.Duration
}

// New returns the workload; a bad n or latency is an *input.Error naming
// the parameter.
func New(n int, latency time.Duration) (*Workload, error) {
	if n < 0 || n > MaxN {
		return nil, input.Errorf("n", "%d is out of range 0..%d", n, MaxN)
	}
	if latency <= 0 || latency > harness.MaxLatency {
		return nil, input.Errorf("latency", "%v is out of range (0, %v]", latency, harness.MaxLatency)
	}
	return &Workload{n: n, leaves: int(fib(n + 1)), want: fib(n), latency: latency}, nil
}

// fib is the plain iterative computation, to check the tasks' answer.
func fib(n int) int64 {
	a, b := int64(0), int64(1)
	for range n {
		a, b = b, a+b
	}
	return a
}

// Batch returns n trees. The cost's units are the base cases: they are
// what holds a slot while it waits.
func (w *Workload) Batch(n, _ int) (harness.Batch, error) {
	b := harness.Batch{Tasks: make([]harness.Task, n),
		Cost: harness.Cost{Units: n * w.leaves, Wait: time.Duration(n*w.leaves) * w.latency, Critical: w.latency}}
	for i := range b.Tasks {
		b.Tasks[i] = func(ctx context.Context, x harness.Exec) error {
			var got int64
			if err := w.node(w.n, &got)(ctx, x); err != nil {
				return err
			}
			if got != w.want {
				return fmt.Errorf("fib(%d) = %d, want %d", w.n, got, w.want)
			}
			return nil
		}
	}
	return b, nil
}

// node is the task of fib(k): a base case waits its latency and reports
// k; any other spawns fib(k-1) and fib(k-2) and reports their sum.
func (w *Workload) node(k int, out *int64) harness.Task {
	return func(ctx context.Context, x harness.Exec) error {
		if k < 2 {
			if err := harness.Park(ctx, w.latency); err != nil {
				return err
			}
			*out = int64(k)
			return nil
		}
		var a, b int64
		if err := x.Spawn(w.node(k-1, &a), w.node(k-2, &b)).Wait(); err != nil {
			return err
		}
		*out = a + b
		return nil
	}
}

// Footprint counts a task per node: 2 x leaves - 1.
func (w *Workload) Footprint(n int) (int64, int64) { return int64(n * (2*w.leaves - 1)), 256 }
