package harness

import "context"

// Sequential runs one task at a time, on the goroutine that calls Go: the
// "await in a loop" baseline. Children run one after another when their
// parent waits. It costs one function call per task.
type Sequential struct{}

var _ Strategy = Sequential{}

func (Sequential) Name() string { return "sequential" }
func (Sequential) Doc() string {
	return "one task at a time on the caller's goroutine (await in a loop)"
}
func (Sequential) Limited() bool                          { return false }
func (Sequential) Capacity(int) Capacity                  { return Capacity{Tasks: 1, Compute: 1, Block: 1} }
func (Sequential) Start(ctx context.Context, _ int) Group { return &sequentialGroup{ctx: ctx} }

type sequentialGroup struct {
	inline
	ctx context.Context
	err firstError
}

// Go runs t before it returns, unless the group's context is done.
func (g *sequentialGroup) Go(t Task) {
	if g.ctx.Err() == nil {
		g.err.set(call(g.ctx, t, g))
	}
}

func (g *sequentialGroup) Wait() error { return g.err.get() }

// Spawn defers the children to Wait, so that the parent is not running
// while they do.
func (g *sequentialGroup) Spawn(children ...Task) Join {
	return &sequentialJoin{g: g, children: children}
}

type sequentialJoin struct {
	g        *sequentialGroup
	children []Task
}

func (j *sequentialJoin) Wait() error {
	var first firstError
	for _, c := range j.children {
		if j.g.ctx.Err() != nil {
			first.set(j.g.ctx.Err())
			break
		}
		first.set(call(j.g.ctx, c, j.g))
	}
	return first.get()
}
