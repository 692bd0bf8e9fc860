package pools

import (
	"context"

	"github.com/alitto/pond/v2"
	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
)

// Pond runs tasks on a pond pool (github.com/alitto/pond/v2) of at most
// limit workers, started as tasks come and ended when its queue empties.
// Its queue is unbounded: Go never waits, and a batch queues whole. Under
// recursion, pond alone deadlocks a tree deeper than the pool (a parent
// waiting for its queued children holds its worker); the adapter's
// waiting parent runs its queued children itself. Per task it costs
// pond's queue and a WaitGroup's bookkeeping.
type Pond struct{}

var _ harness.Strategy = Pond{}

func (Pond) Name() string { return "pond" }
func (Pond) Doc() string {
	return "alitto/pond/v2: at most limit workers behind an unbounded queue (alone, deadlocks on recursion deeper than the pool; mended: a waiting parent runs its children)"
}
func (Pond) Limited() bool                       { return true }
func (Pond) Capacity(limit int) harness.Capacity { return capacity(limit) }

// Start makes a pond pool of limit workers for the group.
func (Pond) Start(ctx context.Context, limit int) harness.Group {
	return newGroup(ctx, pondPool{pond.NewPool(strategy.CheckLimit("pond", limit))}, limit)
}

type pondPool struct{ p pond.Pool }

func (p pondPool) submit(fn func()) {
	if p.p.Go(fn) != nil {
		fn() // the pool stopped under us: run it here rather than lose it
	}
}
func (pondPool) queues() bool { return true }
func (p pondPool) stop()      { p.p.StopAndWait() }
