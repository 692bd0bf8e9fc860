package workloads

import (
	"context"
	"flag"
	"math"
	"math/rand/v2"
	"time"

	"github.com/concbench/concbench/harness"
)

// maxLatency bounds every simulated latency, so that a typo cannot make a
// run last for days.
const maxLatency = time.Hour

// simulatedIO is the I/O part shared by the io, mixed and recursive
// families: a latency drawn from a seeded distribution, spent parked on a
// timer or blocked in a system call.
type simulatedIO struct {
	latency time.Duration
	dist    *oneOf
	spread  float64
	seed    uint64
	mode    *oneOf
}

// defineIO declares the I/O parameters on fs with the given default latency.
func defineIO(fs *flag.FlagSet, latency time.Duration) *simulatedIO {
	s := &simulatedIO{}
	fs.DurationVar(&s.latency, "latency", latency, "median simulated I/O time")
	s.dist = newOneOf(fs, "dist", []string{"constant", "uniform", "lognormal"}, "latency distribution")
	fs.Float64Var(&s.spread, "spread", 0.5, "uniform: ± fraction of latency; lognormal: sigma")
	fs.Uint64Var(&s.seed, "seed", 1, "random seed; repetition r draws from stream (seed, r)")
	s.mode = newOneOf(fs, "mode", []string{"park", "block"}, "park on a timer, or block an OS thread in nanosleep")
	return s
}

func (s *simulatedIO) validate() error {
	switch {
	case s.latency <= 0 || s.latency > maxLatency:
		return badParam("latency", "%v is out of range (0, %v]", s.latency, maxLatency)
	case math.IsNaN(s.spread) || s.spread < 0:
		return badParam("spread", "%v must be >= 0", s.spread)
	case s.dist.value == "uniform" && s.spread >= 1:
		return badParam("spread", "%v must be below 1 for a uniform distribution", s.spread)
	case s.dist.value == "lognormal" && s.spread > 3:
		return badParam("spread", "%v is above 3, the largest lognormal sigma allowed", s.spread)
	}
	return nil
}

// rng returns the random stream of repetition rep.
func (s *simulatedIO) rng(rep int) *rand.Rand { return rand.New(rand.NewPCG(s.seed, uint64(rep))) }

// draw returns one latency, capped at maxLatency.
func (s *simulatedIO) draw(r *rand.Rand) time.Duration {
	d := float64(s.latency)
	switch s.dist.value {
	case "uniform":
		d *= 1 + s.spread*(2*r.Float64()-1)
	case "lognormal":
		d *= math.Exp(s.spread * r.NormFloat64())
	}
	return time.Duration(min(d, float64(maxLatency)))
}

// blocks reports whether the I/O holds an OS thread.
func (s *simulatedIO) blocks() bool { return s.mode.value == "block" }

// wait spends d as the mode says: parked on a timer (returning early when
// ctx is done) or in a blocking section.
func (s *simulatedIO) wait(ctx context.Context, x harness.Exec, d time.Duration) error {
	if s.blocks() {
		return x.Block(func() error { return sleepBlocking(d) })
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// addTo adds d to the cost as parked or blocking time.
func (s *simulatedIO) addTo(c *harness.Cost, d time.Duration) {
	if s.blocks() {
		c.Block += d
	} else {
		c.Wait += d
	}
}
