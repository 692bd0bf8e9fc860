package pools

import (
	"context"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
	"github.com/sourcegraph/conc/pool"
)

// Conc runs tasks on a conc pool (github.com/sourcegraph/conc/pool) with
// WithMaxGoroutines(limit): Go waits while limit goroutines run, and Wait
// ends them. Under recursion, conc alone deadlocks a tree deeper than the
// pool (a parent's Go for its children waits for a goroutine that only
// parents hold); the adapter hands children to the pool from a helper
// goroutine and runs the rest on the waiting parent. Per task it costs
// conc's Go and a WaitGroup's bookkeeping.
type Conc struct{}

var _ harness.Strategy = Conc{}

func (Conc) Name() string { return "conc" }
func (Conc) Doc() string {
	return "sourcegraph/conc pool.WithMaxGoroutines(limit): Go waits for a free goroutine (alone, deadlocks on recursion deeper than the pool; mended: a waiting parent runs its children)"
}
func (Conc) Limited() bool                       { return true }
func (Conc) Capacity(limit int) harness.Capacity { return capacity(limit) }

// Start makes a conc pool of at most limit goroutines for the group.
func (Conc) Start(ctx context.Context, limit int) harness.Group {
	return newGroup(ctx, concPool{pool.New().WithMaxGoroutines(strategy.CheckLimit("conc", limit))}, limit)
}

type concPool struct{ p *pool.Pool }

func (c concPool) submit(fn func()) { c.p.Go(fn) }
func (concPool) queues() bool       { return false }
func (c concPool) stop()            { c.p.Wait() }
