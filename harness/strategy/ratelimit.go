package strategy

import (
	"context"
	"flag"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"golang.org/x/time/rate"
)

// RateLimit starts tasks no faster than a token bucket allows
// (golang.org/x/time/rate), each on a goroutine of its own with no limit
// on how many run at once: a client-side rate limit in front of the work.
// Go waits for a token. Children are part of the work already admitted
// and start at once. Per task it costs a Limiter.Wait (a mutex and, when
// the bucket is empty, a timer) beside the goroutine start.
type RateLimit struct {
	Rate  float64 // tasks a second
	Burst int     // tokens the bucket holds: tasks that may start at once
}

var (
	_ harness.Strategy = RateLimit{}
	_ Configurable     = RateLimit{}
)

func (RateLimit) Name() string { return "ratelimit" }
func (RateLimit) Doc() string {
	return "a token bucket (x/time/rate) in front of unbounded goroutines: at most rate tasks a second after a burst"
}
func (RateLimit) Limited() bool { return false }
func (r RateLimit) Capacity(int) harness.Capacity {
	return harness.Capacity{Rate: r.rate(), Burst: r.burst()}
}

// Define declares rate and burst.
func (RateLimit) Define(fs *flag.FlagSet) func() (harness.Strategy, error) {
	r := &RateLimit{}
	fs.Float64Var(&r.Rate, "rate", 100, "tasks started a second (a token bucket's refill rate), above 0")
	fs.IntVar(&r.Burst, "burst", 1, "tasks that may start at once (the bucket's size), at least 1")
	return func() (harness.Strategy, error) {
		if !(r.Rate > 0 && r.Rate <= 1e7) {
			return nil, input.Errorf("rate", "%v is out of range (0, 1e7]", r.Rate)
		}
		if r.Burst < 1 || r.Burst > harness.MaxTasks {
			return nil, input.Errorf("burst", "%d is out of range 1..%d", r.Burst, harness.MaxTasks)
		}
		return *r, nil
	}
}

// rate and burst are the configured values, or the defaults for the zero
// value (the registered strategy before its parameters are applied).
func (r RateLimit) rate() float64 {
	if r.Rate <= 0 {
		return 100
	}
	return r.Rate
}

func (r RateLimit) burst() int { return max(r.Burst, 1) }

// Start returns a group with a full bucket.
func (r RateLimit) Start(ctx context.Context, _ int) harness.Group {
	return &rateGroup{Tracker: NewTracker(ctx), limiter: rate.NewLimiter(rate.Limit(r.rate()), r.burst())}
}

type rateGroup struct {
	Inline
	Tracker
	limiter *rate.Limiter
}

// Go waits for a token, or for the group's context to be done, and then
// starts t on a goroutine of its own.
func (g *rateGroup) Go(t harness.Task) {
	if g.limiter.Wait(g.ctx) != nil {
		return
	}
	g.Tracker.Go(t, g)
}

// Spawn starts every child at once: the rate limits admission, not the
// work a task does.
func (g *rateGroup) Spawn(children ...harness.Task) harness.Join {
	return GoChildren(&g.Tracker, g, children)
}
