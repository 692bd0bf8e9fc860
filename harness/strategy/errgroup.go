package strategy

import (
	"context"

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
	j := NewDrainJoin(children, func(c harness.Task) error { return g.Run(c, g) })
	for range children {
		if !g.eg.TryGo(j.Drain) {
			break
		}
	}
	return j
}
