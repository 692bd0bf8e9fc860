package workloads

import (
	"context"
	"flag"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/param"
)

func init() {
	Register(Spec{
		Name:  "hog",
		Doc:   "blocking the loop: a few hog tasks burn CPU (or block in a system call) beside many short victim tasks; results report each class apart",
		Tasks: 100,
		Define: func(fs *flag.FlagSet) func() (harness.Workload, error) {
			w := &hogWorkload{burner: defineBurner(fs, 200*time.Millisecond)}
			fs.IntVar(&w.hogs, "hogs", 4, "hog tasks, the first of the batch; the other tasks are victims")
			w.mode = param.NewChoice(fs, "mode", []string{"cpu", "block"}, "a hog burns CPU for cost (a compute section), or blocks an OS thread in nanosleep for cost (a blocking section)")
			fs.IntVar(&w.steps, "steps", 10, "victim: short waits one after another, each needing the CPU to go on")
			fs.DurationVar(&w.step, "step", time.Millisecond, "victim: each wait, parked on a timer")
			return func() (harness.Workload, error) { return w, w.validate() }
		},
	})
}

// hogWorkload is the blocking-the-event-loop question in Go's terms: the
// hogs hold processors (or threads) and the victims, latency-sensitive
// and light, queue for them after every wait. Victims' response times,
// apart from the hogs', show the stall.
type hogWorkload struct {
	*burner
	hogs, steps int
	step        time.Duration
	mode        *param.Choice
}

func (w *hogWorkload) validate() error {
	switch {
	case w.hogs < 0 || w.hogs > harness.MaxTasks:
		return badParam("hogs", "%d is out of range 0..%d", w.hogs, harness.MaxTasks)
	case w.steps < 1 || w.steps > 10_000:
		return badParam("steps", "%d is out of range 1..10000", w.steps)
	case w.step <= 0 || w.step > harness.MaxLatency:
		return badParam("step", "%v is out of range (0, %v]", w.step, harness.MaxLatency)
	}
	if w.mode.Value() == "block" { // no calibration: the hog sleeps for cost
		if w.cost <= 0 || w.cost > harness.MaxLatency {
			return badParam("cost", "%v is out of range (0, %v]", w.cost, harness.MaxLatency)
		}
		w.actual = w.cost
		return nil
	}
	return w.calibrate()
}

func (w *hogWorkload) Batch(n, _ int) (harness.Batch, error) {
	hogs := min(w.hogs, n)
	b := harness.Batch{Tasks: make([]harness.Task, n), Classes: make([]string, n), Cost: harness.Cost{Units: n}}
	victim := time.Duration(w.steps) * w.step
	for i := range b.Tasks {
		if i < hogs {
			b.Tasks[i], b.Classes[i] = w.hog(), "hog"
			if w.mode.Value() == "block" {
				b.Cost.Block += w.actual
			} else {
				b.Cost.Compute += w.actual
			}
			b.Cost.Critical = max(b.Cost.Critical, w.actual)
			continue
		}
		b.Tasks[i], b.Classes[i] = w.victim, "victim"
		b.Cost.Wait += victim
		b.Cost.Critical = max(b.Cost.Critical, victim)
	}
	return b, nil
}

// hog burns its CPU time in a compute section, or sleeps it in a blocking
// one.
func (w *hogWorkload) hog() harness.Task {
	if w.mode.Value() == "block" {
		return func(_ context.Context, x harness.Exec) error {
			return x.Block(func() error { return sleepBlocking(w.actual) })
		}
	}
	return func(_ context.Context, x harness.Exec) error {
		x.Compute(w.burnPooled)
		return nil
	}
}

// victim parks for step, steps times: after each wait it needs a
// processor again, which a hog may hold.
func (w *hogWorkload) victim(ctx context.Context, _ harness.Exec) error {
	for range w.steps {
		if err := harness.Park(ctx, w.step); err != nil {
			return err
		}
	}
	return nil
}

// Footprint is one buffer per hog while it runs and a timer per victim.
func (w *hogWorkload) Footprint(n int) (int64, int64) { return int64(n), int64(w.size) }
