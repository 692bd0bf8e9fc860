package strategy

import (
	"context"

	"github.com/concbench/concbench/harness"
)

// Sequential runs one task at a time, on the goroutine that calls Go: the
// "await in a loop" baseline. Children run one after another when their
// parent waits. It costs one function call per task.
type Sequential struct{}

var _ harness.Strategy = Sequential{}

func (Sequential) Name() string { return "sequential" }
func (Sequential) Doc() string {
	return "one task at a time on the caller's goroutine (await in a loop)"
}
func (Sequential) Limited() bool { return false }
func (Sequential) Capacity(int) harness.Capacity {
	return harness.Capacity{Tasks: 1, Compute: 1, Block: 1}
}
func (Sequential) Start(ctx context.Context, _ int) harness.Group {
	return &sequentialGroup{Tracker: NewTracker(ctx)}
}

type sequentialGroup struct {
	Inline
	Tracker
}

// Go runs t before it returns, unless the group's context is done.
func (g *sequentialGroup) Go(t harness.Task) { g.Run(t, g) } //nolint:errcheck // kept by Run

// Spawn defers the children to Wait, so that the parent is not running
// while they do.
func (g *sequentialGroup) Spawn(children ...harness.Task) harness.Join {
	return &sequentialJoin{g: g, children: children}
}

type sequentialJoin struct {
	g        *sequentialGroup
	children []harness.Task
}

func (j *sequentialJoin) Wait() error {
	var first FirstError
	for _, c := range j.children {
		err := j.g.Run(c, j.g)
		first.Set(err)
		if j.g.ctx.Err() != nil {
			break
		}
	}
	return first.Err()
}
