package strategy

import (
	"context"

	"github.com/concbench/concbench/harness"
)

// Semaphore bounds the goroutines running tasks with a gate of limit
// Slots, a buffered channel as errgroup.SetLimit has (x/sync/semaphore's
// Weighted allocated a waiter for every task that waited, and cost 1.9x
// errgroup per task): it is Gated on Slots, so Go waits for a slot, then
// starts a goroutine, and a waiting parent gives its slot back, so a tree
// of any depth runs at any limit. Per task it costs one slot send and
// receive beside the goroutine start.
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
	return Gated(ctx, NewSlots(CheckLimit("semaphore", limit)))
}
