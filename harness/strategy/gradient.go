package strategy

import (
	"context"
	"flag"
	"math"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
)

// Gradient is an adaptive limit after Netflix's concurrency-limits
// Gradient2: it keeps a long-run average of task times and compares each
// task's time with it. While tasks take no longer than Tolerance times the
// average, the limit grows by a queue allowance of sqrt(limit) a round (a
// limit's worth of tasks); when they slow, it shrinks in proportion (at
// most by half), smoothed. Until its first cut it grows by one a success
// (slow start, as TCP). An error
// multiplies the limit by Backoff, as a dropped request does in Vegas
// (Gradient2 itself ignores drops, and so could not see a downstream that
// fails fast). The plan's limit is its ceiling. Per task it costs three
// mutex locks beside the goroutine start.
type Gradient struct {
	Tolerance float64 // how much slower than the long-run average a task may be before the limit shrinks, at least 1
	Smoothing float64 // the weight of each new estimate, in (0, 1]
	Backoff   float64 // the limit's factor after an error, in (0, 1)
	Initial   int     // the first limit
}

var (
	_ harness.Strategy = Gradient{}
	_ Configurable     = Gradient{}
)

func (Gradient) Name() string { return "gradient" }
func (Gradient) Doc() string {
	return "an adaptive limit after Netflix's Gradient2: grows while tasks keep their usual time, shrinks as they slow or fail; the limit is its ceiling"
}
func (Gradient) Limited() bool { return true }
func (Gradient) Capacity(limit int) harness.Capacity {
	return harness.Capacity{Tasks: limit, Compute: limit, Block: limit, Adaptive: true}
}

// Define declares tolerance, smoothing, backoff and initial.
func (Gradient) Define(fs *flag.FlagSet) func() (harness.Strategy, error) {
	g := &Gradient{}
	fs.Float64Var(&g.Tolerance, "tolerance", 1.5, "how much slower than the long-run average a task may be before the limit shrinks, at least 1")
	fs.Float64Var(&g.Smoothing, "smoothing", 0.2, "the weight of each new estimate of the limit, in (0, 1]")
	fs.Float64Var(&g.Backoff, "backoff", 0.6, "the limit's factor after an error, in (0, 1)")
	fs.IntVar(&g.Initial, "initial", 1, "the first limit (at most the plan's limit, the ceiling)")
	return func() (harness.Strategy, error) {
		switch {
		case !(g.Tolerance >= 1 && g.Tolerance <= 100):
			return nil, input.Errorf("tolerance", "%v is out of range 1..100", g.Tolerance)
		case !(g.Smoothing > 0 && g.Smoothing <= 1):
			return nil, input.Errorf("smoothing", "%v is out of range (0, 1]", g.Smoothing)
		case !(g.Backoff > 0 && g.Backoff < 1):
			return nil, input.Errorf("backoff", "%v is out of range (0, 1)", g.Backoff)
		case g.Initial < 1 || g.Initial > harness.MaxLimit:
			return nil, input.Errorf("initial", "%d is out of range 1..%d", g.Initial, harness.MaxLimit)
		}
		return *g, nil
	}
}

// longWindow is how many tasks the long-run average spans (Gradient2's 600).
const longWindow = 600

func (g Gradient) Start(ctx context.Context, limit int) harness.Group {
	d := Gradient{Tolerance: 1.5, Smoothing: 0.2, Backoff: 0.6, Initial: 1}
	if g.Tolerance > 0 {
		d = g
	}
	var long float64  // the long-run average task time, ns
	slowStart := true // until the first cut, +1 a success, as TCP
	policy := func(l float64, inflight int, took time.Duration, err error) float64 {
		if err != nil {
			slowStart = false
			return l * d.Backoff
		}
		t := float64(max(took, 1))
		if long == 0 {
			long = t
		}
		long += (t - long) * 2 / (longWindow + 1)
		gradient := min(max(d.Tolerance*long/t, 0.5), 1)
		if gradient < 1 {
			slowStart = false
		}
		if slowStart && float64(inflight) >= l/2 {
			return l + 1
		}
		next := l*gradient + math.Sqrt(l)/l // sqrt(limit) of headroom a round: a limit's worth of tasks
		if next > l && float64(inflight) < l/2 {
			return l // the work, not the limit, holds it back
		}
		return l*(1-d.Smoothing) + next*d.Smoothing
	}
	return Gated(ctx, newAdaptiveGate(float64(max(d.Initial, 1)), float64(CheckLimit("gradient", limit)), policy))
}
