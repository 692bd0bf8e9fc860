package harness

import "context"

// Offload runs each task on a goroutine of its own, its CPU sections on an
// executor of GOMAXPROCS workers and its blocking sections on a separate
// executor of limit workers, as run_in_executor does in event-loop
// languages. Tasks themselves are not bounded. Per section it costs a
// channel hand-off to a worker and back.
type Offload struct{}

var _ Strategy = Offload{}

func (Offload) Name() string { return "offload" }
func (Offload) Doc() string {
	return "a goroutine per task; CPU sections on GOMAXPROCS workers, blocking ones on limit workers"
}
func (Offload) Limited() bool { return true }
func (Offload) Capacity(limit int) Capacity {
	return Capacity{Compute: gomaxprocs(), Block: limit, Workers: gomaxprocs() + limit}
}

// Start starts both executors; they end in Wait.
func (Offload) Start(ctx context.Context, limit int) Group {
	return &offloadGroup{
		tracked: tracked{ctx: ctx},
		compute: newExecutor(gomaxprocs()),
		block:   newExecutor(checkLimit("offload", limit)),
	}
}

type offloadGroup struct {
	tracked
	compute, block *executor
}

func (g *offloadGroup) Go(t Task) { g.goTask(t, g) }

func (g *offloadGroup) Wait() error {
	g.wg.Wait()
	g.compute.close()
	g.block.close()
	return g.err.get()
}

func (g *offloadGroup) Compute(fn func()) {
	g.compute.do(func() error { fn(); return nil })
}

func (g *offloadGroup) Block(fn func() error) error { return g.block.do(fn) }

func (g *offloadGroup) Spawn(children ...Task) Join { return goChildren(&g.tracked, g, children) }
