package workloads

import (
	"context"
	"flag"
	"time"

	"github.com/concbench/concbench/harness"
)

func init() {
	Register(Spec{
		Name:  "cpu",
		Doc:   "each task hashes a buffer (SHA-256 rounds) for a calibrated CPU time",
		Tasks: 200,
		Define: func(fs *flag.FlagSet) func() (harness.Workload, error) {
			b := defineBurner(fs, time.Millisecond)
			return func() (harness.Workload, error) {
				if err := b.calibrate(); err != nil {
					return nil, err
				}
				return cpuWorkload{b}, nil
			}
		},
	})
}

type cpuWorkload struct{ cpu *burner }

func (w cpuWorkload) Batch(n, _ int) (harness.Batch, error) {
	b := harness.Batch{Cost: harness.Cost{
		Units:    n,
		Compute:  time.Duration(n) * w.cpu.actual,
		Critical: w.cpu.actual,
	}}
	// One task for all: its buffer comes from a pool while it runs, so a
	// batch holds the buffers of the tasks in flight, not of all n.
	task := func(_ context.Context, x harness.Exec) error {
		x.Compute(w.cpu.burnPooled)
		return nil
	}
	b.Task = func(int) harness.Task { return task }
	return b, nil
}

// Footprint is one buffer of size bytes per task while it runs.
func (w cpuWorkload) Footprint(n int) (int64, int64) { return int64(n), int64(w.cpu.size) }
