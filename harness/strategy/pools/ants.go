package pools

import (
	"context"
	"fmt"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
	"github.com/panjf2000/ants/v2"
)

// Ants runs tasks on an ants pool (github.com/panjf2000/ants/v2) of limit
// workers, which it reuses: Submit waits for a free worker. Under
// recursion, ants alone deadlocks a tree deeper than the pool (a parent
// waiting for children it submitted holds its worker); the adapter hands
// children to the pool from a helper goroutine and runs the rest on the
// waiting parent. Per task it costs Submit and a WaitGroup's bookkeeping.
type Ants struct{}

var _ harness.Strategy = Ants{}

func (Ants) Name() string { return "ants" }
func (Ants) Doc() string {
	return "panjf2000/ants/v2: limit reused workers, Submit waits for one (alone, deadlocks on recursion deeper than the pool; mended: a waiting parent runs its children)"
}
func (Ants) Limited() bool                       { return true }
func (Ants) Capacity(limit int) harness.Capacity { return capacity(limit) }

// Start makes an ants pool of limit workers for the group.
func (Ants) Start(ctx context.Context, limit int) harness.Group {
	p, err := ants.NewPool(strategy.CheckLimit("ants", limit))
	if err != nil {
		panic(fmt.Sprintf("ants: %v", err)) // only for a size below 1, refused above
	}
	return newGroup(ctx, antsPool{p}, limit)
}

type antsPool struct{ p *ants.Pool }

func (a antsPool) submit(fn func()) {
	if err := a.p.Submit(fn); err != nil {
		fn() // the pool closed under us: run it here rather than lose it
	}
}
func (antsPool) queues() bool { return false }

// stop releases the pool and waits for its workers, its purge and its
// clock to end.
func (a antsPool) stop() { a.p.ReleaseTimeout(10 * time.Second) } //nolint:errcheck // a timeout leaves what the conformance suite reports
