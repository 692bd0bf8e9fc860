package strategy

import (
	"context"

	"github.com/concbench/concbench/harness"
	"golang.org/x/sync/semaphore"
)

// Semaphore bounds the goroutines running tasks with a weighted semaphore
// (golang.org/x/sync/semaphore) of weight limit: Go waits for a slot, then
// starts a goroutine. A parent takes slots for its children only when free
// ones exist; in Wait it gives its own slot back, starts the rest of its
// children as slots free up, and takes a slot again once they are done, so a
// tree of any depth runs at any limit. Per task it costs one Acquire and
// Release beside the goroutine start.
type Semaphore struct{}

var _ harness.Strategy = Semaphore{}

func (Semaphore) Name() string { return "semaphore" }
func (Semaphore) Doc() string {
	return "a goroutine per task, at most limit at once (x/sync/semaphore)"
}
func (Semaphore) Limited() bool { return true }
func (Semaphore) Capacity(limit int) harness.Capacity {
	return harness.Capacity{Tasks: limit, Compute: limit, Block: limit}
}
func (Semaphore) Start(ctx context.Context, limit int) harness.Group {
	return &semaphoreGroup{
		Tracker: NewTracker(ctx),
		sem:     semaphore.NewWeighted(int64(CheckLimit("semaphore", limit))),
	}
}

type semaphoreGroup struct {
	Inline
	Tracker
	sem *semaphore.Weighted
}

// Go blocks until a slot is free or the group's context is done.
func (g *semaphoreGroup) Go(t harness.Task) {
	if g.sem.Acquire(g.ctx, 1) != nil {
		return
	}
	g.Add(1)
	go func() {
		g.Run(t, g) //nolint:errcheck // kept by Run
		g.sem.Release(1)
		g.Done()
	}()
}

// Spawn starts the children that find a free slot and leaves the rest to
// Wait; it never blocks.
func (g *semaphoreGroup) Spawn(children ...harness.Task) harness.Join {
	j := &semaphoreJoin{g: g, children: children}
	for j.started < len(children) && g.sem.TryAcquire(1) {
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
		g.sem.Release(1)
		j.Finish(err)
		g.Done()
	}()
	j.started++
}

// Wait releases the parent's slot while the children run.
func (j *semaphoreJoin) Wait() error {
	g := j.g
	g.sem.Release(1)
	for j.started < len(j.children) {
		if err := g.sem.Acquire(g.ctx, 1); err != nil {
			j.err.Set(err)
			break
		}
		j.startNext()
	}
	err := j.WaitJoin.Wait()
	// Every slot holder runs or waits without a slot, so this returns.
	_ = g.sem.Acquire(context.Background(), 1)
	return err
}
