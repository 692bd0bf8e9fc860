package workloads

import (
	"context"
	"flag"
	"time"

	"github.com/concbench/concbench/harness"
)

func init() {
	Register(Spec{
		Name:  "io",
		Doc:   "each task waits on simulated I/O (timer, or a blocking syscall)",
		Tasks: 200,
		Define: func(fs *flag.FlagSet) func() (harness.Workload, error) {
			s := defineIO(fs, 5*time.Millisecond)
			detach := fs.Bool("detach", false, "fire and forget: each task starts its I/O on a goroutine and returns without its result, leaving that goroutine blocked for good (a leak, for the leak check to show)")
			return func() (harness.Workload, error) {
				if err := s.validate(); err != nil {
					return nil, err
				}
				return ioWorkload{s, *detach}, nil
			}
		},
	})
}

type ioWorkload struct {
	io     *simulatedIO
	detach bool
}

func (w ioWorkload) Batch(n, rep int) (harness.Batch, error) {
	if w.detach {
		return w.detached(n), nil
	}
	r := w.io.rng(rep)
	b := harness.Batch{Tasks: make([]harness.Task, n), Cost: harness.Cost{Units: n}}
	for i := range b.Tasks {
		d := w.io.draw(r)
		w.io.addTo(&b.Cost, d)
		b.Cost.Critical = max(b.Cost.Critical, d)
		b.Cost.Each = append(b.Cost.Each, d)
		b.Tasks[i] = func(ctx context.Context, x harness.Exec) error { return w.io.wait(ctx, x, d) }
	}
	return b, nil
}

// detached is the fire-and-forget batch: each task starts its I/O on a
// goroutine of its own and returns at once. The goroutine waits out the
// latency, then blocks for good handing its result to a task that never
// reads it: the classic leak of a forgotten sender. The tasks do no work
// of their own, so the batch costs nothing.
func (w ioWorkload) detached(n int) harness.Batch {
	d := w.io.latency
	task := func(context.Context, harness.Exec) error {
		result := make(chan error)
		go forget(result, d)
		return nil
	}
	return harness.Batch{Task: func(int) harness.Task { return task }, Cost: harness.Cost{Units: n}}
}

// forget waits d, as an I/O call would, then sends its result to a
// reader that has gone: it never returns.
func forget(result chan<- error, d time.Duration) {
	time.Sleep(d)
	result <- nil
}
