package strategy

import (
	"context"
	"runtime"

	"github.com/concbench/concbench/harness"
)

// Offload runs each task on a goroutine of its own, its CPU sections on an
// executor of GOMAXPROCS workers and its blocking sections on a separate
// executor of limit workers, as run_in_executor does in event-loop
// languages. Tasks themselves are not bounded. Per section it costs a
// channel hand-off to a worker and back.
type Offload struct{}

var _ harness.Strategy = Offload{}

func (Offload) Name() string { return "offload" }
func (Offload) Doc() string {
	return "a goroutine per task; CPU sections on GOMAXPROCS workers, blocking ones on limit workers"
}
func (Offload) Limited() bool { return true }
func (Offload) Capacity(limit int) harness.Capacity {
	n := runtime.GOMAXPROCS(0)
	return harness.Capacity{Compute: n, Block: limit, Workers: n + limit}
}

// Start starts both executors; they end in Wait.
func (Offload) Start(ctx context.Context, limit int) harness.Group {
	return &offloadGroup{
		Tracker: NewTracker(ctx),
		compute: newExecutor(runtime.GOMAXPROCS(0)),
		block:   newExecutor(CheckLimit("offload", limit)),
	}
}

type offloadGroup struct {
	Tracker
	compute, block *executor
}

func (g *offloadGroup) Go(t harness.Task) { g.Tracker.Go(t, g) }

func (g *offloadGroup) Wait() error {
	err := g.Tracker.Wait()
	g.compute.close()
	g.block.close()
	return err
}

func (g *offloadGroup) Compute(fn func()) {
	g.compute.do(func() error { fn(); return nil }) //nolint:errcheck // fn returns nothing
}

func (g *offloadGroup) Block(fn func() error) error { return g.block.do(fn) }

func (g *offloadGroup) Spawn(children ...harness.Task) harness.Join {
	return GoChildren(&g.Tracker, g, children)
}
