package strategy

import (
	"context"
	"fmt"
	"sync"

	"github.com/concbench/concbench/harness"
)

// FirstError keeps the first non-nil error set. It is safe for concurrent
// use; its zero value is ready.
type FirstError struct {
	once sync.Once
	err  error
}

// Set keeps err if it is the first non-nil error.
func (f *FirstError) Set(err error) {
	if err != nil {
		f.once.Do(func() { f.err = err })
	}
}

// Err returns the first error. Call it once the writers are done (after a
// WaitGroup wait), or it may miss one still being set.
func (f *FirstError) Err() error { return f.err }

// Tracker is the bookkeeping of a group: it counts the tasks running,
// children included, and keeps their first error. Built-in groups embed
// one. Use NewTracker.
type Tracker struct {
	ctx context.Context
	wg  sync.WaitGroup
	err FirstError
}

// NewTracker returns a tracker for a group whose tasks run under ctx.
func NewTracker(ctx context.Context) Tracker { return Tracker{ctx: ctx} }

// Context is the group's context.
func (g *Tracker) Context() context.Context { return g.ctx }

// Add counts n more tasks; each must be matched by Done.
func (g *Tracker) Add(n int) { g.wg.Add(n) }

// Done counts one task ended.
func (g *Tracker) Done() { g.wg.Done() }

// Run runs t with x through harness.Call and keeps its error, unless the
// group's context is done: then t does not start and Run returns the
// context's error without keeping it. Run does not count t: see Add.
func (g *Tracker) Run(t harness.Task, x harness.Exec) error {
	if err := g.ctx.Err(); err != nil {
		return err
	}
	err := harness.Call(g.ctx, t, x)
	g.err.Set(err)
	return err
}

// Go runs t on a goroutine of its own, counted, unless the group's context
// is done. It costs one goroutine start.
func (g *Tracker) Go(t harness.Task, x harness.Exec) {
	if g.ctx.Err() != nil {
		return
	}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		g.Run(t, x) //nolint:errcheck // kept by Run
	}()
}

// Wait blocks until every counted task has ended and returns the first
// error a task returned.
func (g *Tracker) Wait() error { g.wg.Wait(); return g.err.Err() }

// WaitJoin is a Join whose Wait waits for children running elsewhere and
// holds no slot. Count each child with Add and end it with Finish.
type WaitJoin struct {
	wg  sync.WaitGroup
	err FirstError
}

var _ harness.Join = (*WaitJoin)(nil)

// Add counts n more children.
func (j *WaitJoin) Add(n int) { j.wg.Add(n) }

// Finish ends one child with its error.
func (j *WaitJoin) Finish(err error) { j.err.Set(err); j.wg.Done() }

// Wait blocks until every child has finished and returns the first error.
func (j *WaitJoin) Wait() error { j.wg.Wait(); return j.err.Err() }

// GoChildren starts each child on a goroutine of its own, counted in g and
// in the returned Join; a child whose group's context is already done does
// not start and reports the context's error. It costs a goroutine start
// per child.
func GoChildren(g *Tracker, x harness.Exec, children []harness.Task) *WaitJoin {
	j := &WaitJoin{}
	j.Add(len(children))
	g.Add(len(children))
	for _, c := range children {
		go func() {
			defer g.Done()
			j.Finish(g.Run(c, x))
		}()
	}
	return j
}

// Inline is the Exec part of strategies that run every section on the
// task's own goroutine.
type Inline struct{}

// Compute runs fn on the caller's goroutine.
func (Inline) Compute(fn func()) { fn() }

// Block runs fn on the caller's goroutine.
func (Inline) Block(fn func() error) error { return fn() }

// CheckLimit panics unless limit is at least 1: a plan validates limits
// before any strategy starts, so a smaller one is a programming error.
func CheckLimit(name string, limit int) int {
	if limit < 1 {
		panic(fmt.Sprintf("strategy: %s started with limit %d; limits start at 1", name, limit))
	}
	return limit
}
