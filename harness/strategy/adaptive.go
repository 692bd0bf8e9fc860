package strategy

import (
	"context"
	"math"
	"sync"
	"time"
)

// adaptiveGate is a Gate whose limit moves between 1 and a ceiling as its
// policy learns from each task: the shared part of the adaptive
// strategies (aimd, gradient). Waiters are served in order. It costs a
// mutex lock per Acquire, Release and Learn, and a channel per task that
// waits.
type adaptiveGate struct {
	mu       sync.Mutex
	limit    float64 // the current limit; slots are its floor
	ceiling  float64
	inflight int
	waiters  []chan struct{} // granted by closing
	policy   func(limit float64, inflight int, took time.Duration, err error) float64
	// what it counted: the lowest and highest limit, and the cuts
	low, high float64
	cuts      int
	// hold is how many more tasks must end before the next cut counts:
	// the tasks in flight at a cut saw the same overload, and one
	// overload is one cut (as TCP cuts once a window).
	hold int
}

var _ Gate = (*adaptiveGate)(nil)

func newAdaptiveGate(initial, ceiling float64, policy func(limit float64, inflight int, took time.Duration, err error) float64) *adaptiveGate {
	initial = min(max(initial, 1), ceiling)
	return &adaptiveGate{limit: initial, ceiling: ceiling, policy: policy, low: initial, high: initial}
}

func (g *adaptiveGate) slots() int { return max(1, int(g.limit)) }

// Acquire takes a slot or joins the queue until one frees up or ctx is done.
func (g *adaptiveGate) Acquire(ctx context.Context) error {
	g.mu.Lock()
	if g.inflight < g.slots() && len(g.waiters) == 0 {
		g.inflight++
		g.mu.Unlock()
		return nil
	}
	w := make(chan struct{})
	g.waiters = append(g.waiters, w)
	g.mu.Unlock()
	select {
	case <-w:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		for i, x := range g.waiters {
			if x == w {
				g.waiters = append(g.waiters[:i], g.waiters[i+1:]...)
				return ctx.Err()
			}
		}
		// Granted as ctx ended: give the slot on.
		g.inflight--
		g.grant()
		return ctx.Err()
	}
}

// TryAcquire takes a slot if one is free and nobody waits.
func (g *adaptiveGate) TryAcquire() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.inflight < g.slots() && len(g.waiters) == 0 {
		g.inflight++
		return true
	}
	return false
}

// Release gives a slot back and admits waiters while the limit allows.
func (g *adaptiveGate) Release() {
	g.mu.Lock()
	g.inflight--
	g.grant()
	g.mu.Unlock()
}

// grant admits waiters into free slots; g.mu is held.
func (g *adaptiveGate) grant() {
	for len(g.waiters) > 0 && g.inflight < g.slots() {
		close(g.waiters[0])
		g.waiters = g.waiters[1:]
		g.inflight++
	}
}

// Learn moves the limit as the policy says, within 1 and the ceiling.
func (g *adaptiveGate) Learn(took time.Duration, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	next := min(max(g.policy(g.limit, g.inflight, took, err), 1), g.ceiling)
	if g.hold > 0 {
		g.hold--
	}
	if next < g.limit {
		if g.hold > 0 {
			return // the same overload as the last cut
		}
		g.cuts++
		g.hold = g.inflight
	}
	g.limit = next
	g.low, g.high = min(g.low, next), max(g.high, next)
	g.grant()
}

// Counters are the final limit, its range, and the cuts.
func (g *adaptiveGate) Counters() map[string]float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return map[string]float64{"limit-final": math.Round(100*g.limit) / 100, "limit-min": math.Round(100*g.low) / 100,
		"limit-max": math.Round(100*g.high) / 100, "cuts": float64(g.cuts)}
}
