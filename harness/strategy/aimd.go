package strategy

import (
	"context"
	"flag"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
)

// AIMD is an adaptive limit, as TCP's congestion window and Netflix's
// concurrency-limits AIMDLimit: the limit grows by one for each success
// (slow start) until its first cut, then by one per limit's worth of
// successes, and is multiplied by Backoff after a task that failed or ran
// longer than Target. The plan's limit is its ceiling. It is Gated on an
// adaptive gate, so recursion is safe as with semaphore. Per task it costs
// three mutex locks beside the goroutine start.
type AIMD struct {
	Target  time.Duration // a task slower than this counts as a cut; 0: none (errors alone)
	Backoff float64       // the limit's factor after a cut, in (0, 1)
	Initial int           // the first limit, below the ceiling
}

var (
	_ harness.Strategy = AIMD{}
	_ Configurable     = AIMD{}
)

func (AIMD) Name() string { return "aimd" }
func (AIMD) Doc() string {
	return "an adaptive limit, as TCP's AIMD: +1 a success until its first cut, then +1 a round; x backoff after an error or a task over target; the limit is its ceiling"
}
func (AIMD) Limited() bool { return true }
func (AIMD) Capacity(limit int) harness.Capacity {
	return harness.Capacity{Tasks: limit, Compute: limit, Block: limit, Adaptive: true}
}

// Define declares target, backoff and initial.
func (AIMD) Define(fs *flag.FlagSet) func() (harness.Strategy, error) {
	a := &AIMD{}
	fs.DurationVar(&a.Target, "target", 0, "a task slower than this cuts the limit (0: only errors cut it)")
	fs.Float64Var(&a.Backoff, "backoff", 0.6, "the limit's factor after a cut, in (0, 1)")
	fs.IntVar(&a.Initial, "initial", 1, "the first limit (at most the plan's limit, the ceiling)")
	return func() (harness.Strategy, error) {
		switch {
		case a.Target < 0:
			return nil, input.Errorf("target", "%v is below 0", a.Target)
		case !(a.Backoff > 0 && a.Backoff < 1):
			return nil, input.Errorf("backoff", "%v is out of range (0, 1)", a.Backoff)
		case a.Initial < 1 || a.Initial > harness.MaxLimit:
			return nil, input.Errorf("initial", "%d is out of range 1..%d", a.Initial, harness.MaxLimit)
		}
		return *a, nil
	}
}

func (a AIMD) Start(ctx context.Context, limit int) harness.Group {
	backoff := a.Backoff
	if backoff == 0 {
		backoff = 0.6
	}
	slowStart := true
	policy := func(l float64, inflight int, took time.Duration, err error) float64 {
		if err != nil || a.Target > 0 && took > a.Target {
			slowStart = false
			return l * backoff
		}
		if float64(inflight) < l/2 {
			return l // the work, not the limit, holds it back: no evidence to grow on
		}
		if slowStart {
			return l + 1
		}
		return l + 1/l
	}
	return Gated(ctx, newAdaptiveGate(float64(max(a.Initial, 1)), float64(CheckLimit("aimd", limit)), policy))
}
