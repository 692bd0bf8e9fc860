package pools

import (
	"context"
	"sync"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
)

// library is one pool library as its adapter drives it.
type library interface {
	// submit hands fn to the pool. It waits for a free worker (ants,
	// conc) or queues fn (pond, workerpool), as the library does.
	submit(fn func())
	// queues reports whether submit never waits: the pool queues what
	// its workers cannot take yet.
	queues() bool
	// stop ends the pool once everything submitted has run, and returns
	// when its goroutines have.
	stop()
}

// group is every adapter's group: the same Go/Wait shape over each
// library's pool.
type group struct {
	strategy.Inline
	strategy.Tracker
	lib   library
	limit int
	// helping counts the goroutines that wait in submit to hand a
	// parent's children to a pool whose submit waits.
	helping sync.WaitGroup
}

func newGroup(ctx context.Context, lib library, limit int) *group {
	return &group{Tracker: strategy.NewTracker(ctx), lib: lib, limit: limit}
}

// Go hands t to the pool: it waits for a free worker when the library
// does, or queues t when the library queues. Once the group's context is
// done, the task is skipped where it runs (Tracker.Run).
func (g *group) Go(t harness.Task) {
	g.Add(1)
	g.lib.submit(func() {
		g.Run(t, g) //nolint:errcheck // kept by the Tracker; a panic stops in harness.Call
		g.Done()
	})
}

// Wait waits for every task and child, then stops the pool.
func (g *group) Wait() error {
	err := g.Tracker.Wait()
	g.helping.Wait()
	g.lib.stop()
	return err
}

// Spawn queues the children in a DrainJoin and hands up to limit
// drainers to the pool, each running queued children one after another;
// the waiting parent drains the rest itself, in the worker it holds, so
// a tree deeper than the pool never deadlocks. A pool that queues takes
// the drainers at once; for one whose submit waits, one helper goroutine
// a Spawn hands them over in turn, so that the parent never blocks in
// Spawn. It never blocks; it costs a drainer per child up to the limit,
// and a helper goroutine where submit waits.
func (g *group) Spawn(children ...harness.Task) harness.Join {
	j := strategy.NewDrainJoin(children, func(c harness.Task) error { return g.Run(c, g) })
	drainers := min(len(children), g.limit)
	g.Add(drainers)
	drain := func() {
		defer g.Done()
		j.Drain() //nolint:errcheck // kept in j
	}
	if g.lib.queues() {
		for range drainers {
			g.lib.submit(drain)
		}
		return j
	}
	g.helping.Go(func() {
		for range drainers {
			g.lib.submit(drain)
		}
	})
	return j
}
