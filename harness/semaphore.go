package harness

import (
	"context"

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

var _ Strategy = Semaphore{}

func (Semaphore) Name() string { return "semaphore" }
func (Semaphore) Doc() string {
	return "a goroutine per task, at most limit at once (x/sync/semaphore)"
}
func (Semaphore) Limited() bool { return true }
func (Semaphore) Capacity(limit int) Capacity {
	return Capacity{Tasks: limit, Compute: limit, Block: limit}
}
func (Semaphore) Start(ctx context.Context, limit int) Group {
	return &semaphoreGroup{
		tracked: tracked{ctx: ctx},
		sem:     semaphore.NewWeighted(int64(checkLimit("semaphore", limit))),
	}
}

type semaphoreGroup struct {
	inline
	tracked
	sem *semaphore.Weighted
}

// Go blocks until a slot is free or the group's context is done.
func (g *semaphoreGroup) Go(t Task) {
	if g.sem.Acquire(g.ctx, 1) != nil {
		return
	}
	g.wg.Add(1)
	go func() {
		g.err.set(call(g.ctx, t, g))
		g.sem.Release(1)
		g.wg.Done()
	}()
}

func (g *semaphoreGroup) Wait() error { g.wg.Wait(); return g.err.get() }

// Spawn starts the children that find a free slot and leaves the rest to
// Wait; it never blocks.
func (g *semaphoreGroup) Spawn(children ...Task) Join {
	j := &semaphoreJoin{g: g, children: children}
	for j.started < len(children) && g.sem.TryAcquire(1) {
		j.startNext()
	}
	return j
}

type semaphoreJoin struct {
	waitJoin
	g        *semaphoreGroup
	children []Task
	started  int
}

// startNext starts the next child on a goroutine of its own; the caller
// has taken a slot for it.
func (j *semaphoreJoin) startNext() {
	g, t := j.g, j.children[j.started]
	j.wg.Add(1)
	g.wg.Add(1)
	go func() {
		j.err.set(call(g.ctx, t, g))
		g.sem.Release(1)
		j.wg.Done()
		g.wg.Done()
	}()
	j.started++
}

// Wait releases the parent's slot while the children run.
func (j *semaphoreJoin) Wait() error {
	g := j.g
	g.sem.Release(1)
	for j.started < len(j.children) {
		if err := g.sem.Acquire(g.ctx, 1); err != nil {
			j.err.set(err)
			break
		}
		j.startNext()
	}
	err := j.waitJoin.Wait()
	// Every slot holder runs or waits without a slot, so this returns.
	_ = g.sem.Acquire(context.Background(), 1)
	return err
}
