package strategy

import (
	"context"

	"github.com/concbench/concbench/harness"
)

// Semaphore bounds the goroutines running tasks with a semaphore of limit
// slots, a buffered channel as errgroup.SetLimit has (x/sync/semaphore's
// Weighted allocated a waiter for every task that waited, and cost 1.9x
// errgroup per task): Go waits for a slot, then starts a goroutine. A parent takes slots for its children only when free
// ones exist; in Wait it gives its own slot back, starts the rest of its
// children as slots free up, and takes a slot again once they are done, so a
// tree of any depth runs at any limit. Per task it costs one Acquire and
// Release beside the goroutine start.
type Semaphore struct{}

var _ harness.Strategy = Semaphore{}

func (Semaphore) Name() string { return "semaphore" }
func (Semaphore) Doc() string {
	return "a goroutine per task, at most limit at once (a semaphore of limit slots)"
}
func (Semaphore) Limited() bool { return true }
func (Semaphore) Capacity(limit int) harness.Capacity {
	return harness.Capacity{Tasks: limit, Compute: limit, Block: limit}
}
func (Semaphore) Start(ctx context.Context, limit int) harness.Group {
	return &semaphoreGroup{
		Tracker: NewTracker(ctx),
		sem:     make(slots, CheckLimit("semaphore", limit)),
	}
}

type semaphoreGroup struct {
	Inline
	Tracker
	sem slots
}

// slots is a counting semaphore: a slot is taken by sending, given back
// by receiving. Waiting senders queue in order.
type slots chan struct{}

// acquire takes a slot, waiting for one unless ctx is done first.
func (s slots) acquire(ctx context.Context) error {
	select {
	case s <- struct{}{}:
		return nil
	default:
	}
	select {
	case s <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tryAcquire takes a slot if one is free.
func (s slots) tryAcquire() bool {
	select {
	case s <- struct{}{}:
		return true
	default:
		return false
	}
}

// release gives a slot back.
func (s slots) release() { <-s }

// Go blocks until a slot is free or the group's context is done.
func (g *semaphoreGroup) Go(t harness.Task) {
	if g.sem.acquire(g.ctx) != nil {
		return
	}
	g.Add(1)
	go func() {
		g.Run(t, g) //nolint:errcheck // kept by Run
		g.sem.release()
		g.Done()
	}()
}

// Spawn starts the children that find a free slot and leaves the rest to
// Wait; it never blocks.
func (g *semaphoreGroup) Spawn(children ...harness.Task) harness.Join {
	j := &semaphoreJoin{g: g, children: children}
	for j.started < len(children) && g.sem.tryAcquire() {
		j.startNext()
	}
	return j
}

type semaphoreJoin struct {
	WaitJoin
	g        *semaphoreGroup
	children []harness.Task
	started  int
}

// startNext starts the next child on a goroutine of its own; the caller
// has taken a slot for it.
func (j *semaphoreJoin) startNext() {
	g, t := j.g, j.children[j.started]
	j.Add(1)
	g.Add(1)
	go func() {
		err := g.Run(t, g)
		g.sem.release()
		j.Finish(err)
		g.Done()
	}()
	j.started++
}

// Wait releases the parent's slot while the children run.
func (j *semaphoreJoin) Wait() error {
	g := j.g
	g.sem.release()
	for j.started < len(j.children) {
		if err := g.sem.acquire(g.ctx); err != nil {
			j.err.Set(err)
			break
		}
		j.startNext()
	}
	err := j.WaitJoin.Wait()
	// Every slot holder runs or waits without a slot, so this returns.
	g.sem <- struct{}{}
	return err
}
