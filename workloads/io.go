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
			return func() (harness.Workload, error) {
				if err := s.validate(); err != nil {
					return nil, err
				}
				return ioWorkload{s}, nil
			}
		},
	})
}

type ioWorkload struct{ io *simulatedIO }

func (w ioWorkload) Batch(n, rep int) (harness.Batch, error) {
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
