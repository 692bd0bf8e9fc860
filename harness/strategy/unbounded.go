package strategy

import (
	"context"

	"github.com/concbench/concbench/harness"
)

// Unbounded starts one goroutine per task and per child, with no limit.
// It is structured: Wait returns only when every goroutine it started has
// ended. It costs one goroutine start per task (about 2 KiB of stack each
// while the task runs).
type Unbounded struct{}

var _ harness.Strategy = Unbounded{}

func (Unbounded) Name() string { return "unbounded" }
func (Unbounded) Doc() string {
	return "one goroutine per task, no limit (structured: nothing outlives Wait)"
}
func (Unbounded) Limited() bool                 { return false }
func (Unbounded) Capacity(int) harness.Capacity { return harness.Capacity{} }
func (Unbounded) Start(ctx context.Context, _ int) harness.Group {
	return &unboundedGroup{Tracker: NewTracker(ctx)}
}

type unboundedGroup struct {
	Inline
	Tracker
}

func (g *unboundedGroup) Go(t harness.Task) { g.Tracker.Go(t, g) }

func (g *unboundedGroup) Spawn(children ...harness.Task) harness.Join {
	return GoChildren(&g.Tracker, g, children)
}
