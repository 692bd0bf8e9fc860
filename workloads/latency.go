package workloads

import (
	"context"
	"flag"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/param"
)

// simulatedIO is the I/O part shared by the io, mixed and recursive
// families: a latency drawn from a seeded distribution, spent parked on a
// timer or blocked in a system call.
type simulatedIO struct {
	latency time.Duration
	dist    *param.Choice
	spread  float64
	seed    uint64
	mode    *param.Choice
}

// defineIO declares the I/O parameters on fs with the given default latency.
func defineIO(fs *flag.FlagSet, latency time.Duration) *simulatedIO {
	s := &simulatedIO{}
	fs.DurationVar(&s.latency, "latency", latency, "median simulated I/O time")
	s.dist = param.NewChoice(fs, "dist", harness.DistKinds, "latency distribution")
	fs.Float64Var(&s.spread, "spread", 0.5, "uniform: ± fraction of latency; lognormal: sigma")
	fs.Uint64Var(&s.seed, "seed", 1, "random seed; repetition r draws from stream (seed, r)")
	s.mode = param.NewChoice(fs, "mode", []string{"park", "block"}, "park on a timer, or block an OS thread in nanosleep")
	return s
}

func (s *simulatedIO) distribution() harness.Dist {
	return harness.Dist{Kind: s.dist.Value(), Median: s.latency, Spread: s.spread}
}

func (s *simulatedIO) validate() error {
	if err := s.distribution().Validate(); err != nil {
		param, problem, _ := strings.Cut(err.Error(), ": ")
		return badParam(param, "%s", problem)
	}
	return nil
}

// rng returns the random stream of repetition rep.
func (s *simulatedIO) rng(rep int) *rand.Rand { return rand.New(rand.NewPCG(s.seed, uint64(rep))) }

// draw returns one latency, capped at harness.MaxLatency.
func (s *simulatedIO) draw(r *rand.Rand) time.Duration { return s.distribution().Draw(r) }

// blocks reports whether the I/O holds an OS thread.
func (s *simulatedIO) blocks() bool { return s.mode.Value() == "block" }

// wait spends d as the mode says: parked on a timer (returning early when
// ctx is done) or in a blocking section.
func (s *simulatedIO) wait(ctx context.Context, x harness.Exec, d time.Duration) error {
	if s.blocks() {
		return x.Block(func() error { return sleepBlocking(d) })
	}
	return harness.Park(ctx, d)
}

// addTo adds d to the cost as parked or blocking time.
func (s *simulatedIO) addTo(c *harness.Cost, d time.Duration) {
	if s.blocks() {
		c.Block += d
	} else {
		c.Wait += d
	}
}
