package strategy

import (
	"context"
	"sync"

	"github.com/concbench/concbench/harness"
	"golang.org/x/sync/errgroup"
)

// Errgroup runs tasks as a TaskGroup does: golang.org/x/sync/errgroup
// WithContext and SetLimit(limit), so the first task error cancels the
// context of every other task, and those not started never start. Go
// blocks while limit tasks run. A child takes a free slot with TryGo, or
// else runs on its waiting parent's goroutine, in the slot the parent
// holds: sending children through Go would deadlock a full group. Per
// task it costs errgroup's goroutine start and semaphore channel send.
type Errgroup struct{}

var _ harness.Strategy = Errgroup{}

func (Errgroup) Name() string { return "errgroup" }
func (Errgroup) Doc() string {
	return "x/sync/errgroup with SetLimit(limit): the first error cancels the rest (TaskGroup)"
}
func (Errgroup) Limited() bool { return true }
func (Errgroup) Capacity(limit int) harness.Capacity {
	return harness.Capacity{Tasks: limit, Compute: limit, Block: limit}
}

// Start returns a group whose tasks share a context cancelled by the
// first error.
func (Errgroup) Start(ctx context.Context, limit int) harness.Group {
	eg, ctx := errgroup.WithContext(ctx)
	eg.SetLimit(CheckLimit("errgroup", limit))
	return &errgroupGroup{Tracker: NewTracker(ctx), eg: eg}
}

type errgroupGroup struct {
	Inline
	Tracker
	eg *errgroup.Group
}

// Go blocks until a slot is free; a task error cancels the group.
func (g *errgroupGroup) Go(t harness.Task) {
	if g.ctx.Err() != nil {
		return
	}
	g.eg.Go(func() error { return g.Run(t, g) })
}

// Wait waits for every task and returns the first error.
func (g *errgroupGroup) Wait() error {
	err := g.eg.Wait()
	if err == nil {
		err = g.Tracker.Wait()
	}
	return err
}

// Spawn queues the children and starts a drainer in each free slot of
// the group (errgroup's TryGo), up to one per child; a drainer runs queued
// children one after another. It never blocks.
func (g *errgroupGroup) Spawn(children ...harness.Task) harness.Join {
	j := &errgroupJoin{g: g, queue: children}
	j.wg.Add(len(children))
	for range children {
		if !g.eg.TryGo(func() error { return j.drain() }) {
			break
		}
	}
	return j
}

// errgroupJoin is one Spawn's children, drained by the goroutines that
// found a slot and by the waiting parent, in the slot it holds.
type errgroupJoin struct {
	g     *errgroupGroup
	wg    sync.WaitGroup // one per child
	err   FirstError
	mu    sync.Mutex
	queue []harness.Task // children not started yet
}

// drain runs queued children until none is left and returns the first of
// their errors (errgroup cancels the group on it).
func (j *errgroupJoin) drain() error {
	var first FirstError
	for {
		j.mu.Lock()
		if len(j.queue) == 0 {
			j.mu.Unlock()
			return first.Err()
		}
		c := j.queue[0]
		j.queue = j.queue[1:]
		j.mu.Unlock()
		err := j.g.Run(c, j.g)
		first.Set(err)
		j.err.Set(err)
		j.wg.Done()
	}
}

// Wait drains the queue on the parent's goroutine, beside the drainers
// in other slots, then waits for the children they run. The parent needs
// no slot of its own: it runs children in the slot it already holds.
func (j *errgroupJoin) Wait() error {
	j.drain() //nolint:errcheck // kept in j.err
	j.wg.Wait()
	return j.err.Err()
}
