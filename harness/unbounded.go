package harness

import "context"

// Unbounded starts one goroutine per task and per child, with no limit.
// It is structured: Wait returns only when every goroutine it started has
// ended. It costs one goroutine start per task (about 2 KiB of stack each
// while the task runs).
type Unbounded struct{}

var _ Strategy = Unbounded{}

func (Unbounded) Name() string { return "unbounded" }
func (Unbounded) Doc() string {
	return "one goroutine per task, no limit (structured: nothing outlives Wait)"
}
func (Unbounded) Limited() bool         { return false }
func (Unbounded) Capacity(int) Capacity { return Capacity{} }
func (Unbounded) Start(ctx context.Context, _ int) Group {
	return &unboundedGroup{tracked: tracked{ctx: ctx}}
}

type unboundedGroup struct {
	inline
	tracked
}

func (g *unboundedGroup) Go(t Task) { g.goTask(t, g) }

func (g *unboundedGroup) Wait() error { g.wg.Wait(); return g.err.get() }

func (g *unboundedGroup) Spawn(children ...Task) Join { return goChildren(&g.tracked, g, children) }
