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

// DrainJoin is a Join whose children wait in a list until someone drains
// it: helpers in free slots of the group, and in Wait the waiting parent
// itself, on its own goroutine and in the slot it already holds, so a
// bounded group never deadlocks on a tree deeper than its limit. Use
// NewDrainJoin. It costs a mutex lock per child.
type DrainJoin struct {
	run   func(harness.Task) error
	wg    sync.WaitGroup // one per child
	err   FirstError
	mu    sync.Mutex
	queue []harness.Task // children not started yet
}

// NewDrainJoin returns the Join of children, each run by run (which
// should be the group's Tracker.Run).
func NewDrainJoin(children []harness.Task, run func(harness.Task) error) *DrainJoin {
	j := &DrainJoin{run: run, queue: children}
	j.wg.Add(len(children))
	return j
}

// Drain runs queued children one after another until none is left, and
// returns the first of their errors.
func (j *DrainJoin) Drain() error {
	var first FirstError
	for {
		j.mu.Lock()
		if len(j.queue) == 0 {
			j.mu.Unlock()
			return first.Err()
		}
		c := j.queue[0]
		j.queue = j.queue[1:]
		j.mu.Unlock()
		err := j.run(c)
		first.Set(err)
		j.err.Set(err)
		j.wg.Done()
	}
}

// Wait drains the queue on the parent's goroutine, beside the helpers,
// then waits for the children they run, and returns the first error.
func (j *DrainJoin) Wait() error {
	j.Drain() //nolint:errcheck // kept in j.err
	j.wg.Wait()
	return j.err.Err()
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
