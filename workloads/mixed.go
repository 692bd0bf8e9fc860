package workloads

import (
	"context"
	"flag"
	"time"

	"github.com/concbench/concbench/harness"
)

func init() {
	Register(Spec{
		Name:  "mixed",
		Doc:   "each task does simulated I/O, then CPU work, sections times over",
		Tasks: 200,
		Define: func(fs *flag.FlagSet) func() (harness.Workload, error) {
			s := defineIO(fs, 4*time.Millisecond)
			b := defineBurner(fs, time.Millisecond)
			sections := fs.Int("sections", 1, "I/O-then-CPU rounds per task")
			return func() (harness.Workload, error) {
				if err := s.validate(); err != nil {
					return nil, err
				}
				if *sections < 1 || *sections > 1000 {
					return nil, badParam("sections", "%d is out of range 1..1000", *sections)
				}
				if err := b.calibrate(); err != nil {
					return nil, err
				}
				return mixedWorkload{s, b, *sections}, nil
			}
		},
	})
}

type mixedWorkload struct {
	io       *simulatedIO
	cpu      *burner
	sections int
}

func (w mixedWorkload) Batch(n, rep int) (harness.Batch, error) {
	r := w.io.rng(rep)
	b := harness.Batch{Tasks: make([]harness.Task, n), Cost: harness.Cost{Units: n}}
	for i := range b.Tasks {
		waits := make([]time.Duration, w.sections)
		total := time.Duration(w.sections) * w.cpu.actual
		for k := range waits {
			waits[k] = w.io.draw(r)
			w.io.addTo(&b.Cost, waits[k])
			total += waits[k]
		}
		b.Cost.Compute += time.Duration(w.sections) * w.cpu.actual
		b.Cost.Critical = max(b.Cost.Critical, total)
		b.Cost.Each = append(b.Cost.Each, total)
		b.Tasks[i] = func(ctx context.Context, x harness.Exec) error {
			for _, d := range waits {
				if err := w.io.wait(ctx, x, d); err != nil {
					return err
				}
				x.Compute(w.cpu.burnPooled)
			}
			return nil
		}
	}
	return b, nil
}

// Footprint is one buffer of size bytes while a task computes, and the
// drawn latencies of every task.
func (w mixedWorkload) Footprint(n int) (int64, int64) {
	return int64(n), int64(w.cpu.size + 8*w.sections)
}
