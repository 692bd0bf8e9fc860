// Package nested is an example of a user's own workload: each task walks a
// nested list such as [1,[2,3,[4,5]],6]. Every number is a leaf that waits
// on simulated I/O, every nested list a child task, and each list spawns
// its elements as children and sums their numbers. Blank-import it to
// register "nested" with concbench.
package nested

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/workloads"
)

func init() {
	workloads.Register(workloads.Spec{
		Name:  "nested",
		Doc:   "each task walks a nested list: numbers are leaves that wait on I/O, lists are child tasks",
		Tasks: 1,
		Define: func(fs *flag.FlagSet) func() (harness.Workload, error) {
			tree := fs.String("tree", "[1,[2,3,[4,5]],6]", "the nested list, as JSON: numbers are leaves, lists child tasks")
			latency := fs.Duration("latency", 100*time.Millisecond, "the simulated I/O of each leaf")
			return func() (harness.Workload, error) { return New(*tree, *latency) }
		},
	})
}

// MaxLeaves bounds the numbers of a tree.
const MaxLeaves = 10_000

// Workload runs one tree per task.
type Workload struct {
	root    []any // the parsed list: float64 leaves and []any children
	leaves  int
	lists   int
	sum     float64
	latency time.Duration
}

// New parses tree and returns the workload; a bad tree or latency is an
// *input.Error naming the parameter.
func New(tree string, latency time.Duration) (*Workload, error) {
	if latency <= 0 || latency > harness.MaxLatency {
		return nil, input.Errorf("latency", "%v is out of range (0, %v]", latency, harness.MaxLatency)
	}
	var root []any
	if err := json.Unmarshal([]byte(tree), &root); err != nil {
		return nil, input.Errorf("tree", "%q is not a JSON list: %v", tree, err)
	}
	w := &Workload{root: root, latency: latency}
	if err := w.walk(root, 1); err != nil {
		return nil, input.Errorf("tree", "%v", err)
	}
	if w.leaves == 0 {
		return nil, input.Errorf("tree", "%q has no number", tree)
	}
	return w, nil
}

// walk checks a list and counts its leaves and lists.
func (w *Workload) walk(list []any, depth int) error {
	w.lists++
	if depth > 64 {
		return fmt.Errorf("nested deeper than 64 lists")
	}
	for _, e := range list {
		switch v := e.(type) {
		case float64:
			if w.leaves++; w.leaves > MaxLeaves {
				return fmt.Errorf("more than %d numbers", MaxLeaves)
			}
			w.sum += v
		case []any:
			if err := w.walk(v, depth+1); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%v is neither a number nor a list", e)
		}
	}
	return nil
}

// Batch returns n trees. The cost's units are the leaves: they are what
// holds a slot while it waits.
func (w *Workload) Batch(n, _ int) (harness.Batch, error) {
	b := harness.Batch{Tasks: make([]harness.Task, n),
		Cost: harness.Cost{Units: n * w.leaves, Wait: time.Duration(n*w.leaves) * w.latency, Critical: w.latency}}
	for i := range b.Tasks {
		b.Tasks[i] = func(ctx context.Context, x harness.Exec) error {
			var got float64
			if err := w.list(w.root, &got)(ctx, x); err != nil {
				return err
			}
			if got != w.sum {
				return fmt.Errorf("nested: sum %v, want %v", got, w.sum)
			}
			return nil
		}
	}
	return b, nil
}

// list is the task of one list: it spawns an element per child and adds
// up what they report.
func (w *Workload) list(elems []any, out *float64) harness.Task {
	return func(ctx context.Context, x harness.Exec) error {
		vals := make([]float64, len(elems))
		children := make([]harness.Task, len(elems))
		for i, e := range elems {
			switch v := e.(type) {
			case float64:
				children[i] = w.leaf(v, &vals[i])
			case []any:
				children[i] = w.list(v, &vals[i])
			}
		}
		if err := x.Spawn(children...).Wait(); err != nil {
			return err
		}
		for _, v := range vals {
			*out += v
		}
		return nil
	}
}

// leaf waits its latency, then reports its number.
func (w *Workload) leaf(v float64, out *float64) harness.Task {
	return func(ctx context.Context, _ harness.Exec) error {
		if err := harness.Park(ctx, w.latency); err != nil {
			return err
		}
		*out = v
		return nil
	}
}

// Footprint counts a task per number and per list.
func (w *Workload) Footprint(n int) (int64, int64) { return int64(n * (w.leaves + w.lists)), 256 }
