package pools

import (
	"context"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
	"github.com/gammazero/workerpool"
)

// WorkerPool runs tasks on a gammazero/workerpool of at most limit
// workers, fed by a dispatcher goroutine from an unbounded queue: Submit
// never waits. Under recursion, workerpool alone deadlocks a tree deeper
// than the pool (a parent waiting for its queued children holds its
// worker); the adapter's waiting parent runs its queued children itself.
// Per task it costs the dispatcher's hand-off and a WaitGroup's
// bookkeeping.
type WorkerPool struct{}

var _ harness.Strategy = WorkerPool{}

func (WorkerPool) Name() string { return "workerpool" }
func (WorkerPool) Doc() string {
	return "gammazero/workerpool: at most limit workers fed by a dispatcher from an unbounded queue (alone, deadlocks on recursion deeper than the pool; mended: a waiting parent runs its children)"
}
func (WorkerPool) Limited() bool                       { return true }
func (WorkerPool) Capacity(limit int) harness.Capacity { return capacity(limit) }

// Start makes a workerpool of limit workers for the group.
func (WorkerPool) Start(ctx context.Context, limit int) harness.Group {
	return newGroup(ctx, workerPool{workerpool.New(strategy.CheckLimit("workerpool", limit))}, limit)
}

type workerPool struct{ p *workerpool.WorkerPool }

func (w workerPool) submit(fn func()) { w.p.Submit(fn) }
func (workerPool) queues() bool       { return true }
func (w workerPool) stop()            { w.p.StopWait() }
