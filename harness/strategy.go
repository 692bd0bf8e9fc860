package harness

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

// A Strategy decides where and when tasks run.
type Strategy interface {
	// Name is the strategy's name in flags, files and tables.
	Name() string
	// Doc is a one-line description.
	Doc() string
	// Limited reports whether the strategy uses a limit; an unlimited
	// strategy runs one cell whatever limits a plan lists.
	Limited() bool
	// Capacity states how much of each kind of work the strategy can run at
	// once under limit, for the ideal bound.
	Capacity(limit int) Capacity
	// Start returns a Group that schedules tasks with the given limit
	// (ignored by unlimited strategies). Tasks not yet started when ctx is
	// done are dropped.
	Start(ctx context.Context, limit int) Group
}

// A Group schedules tasks; Go and Wait have the same shape in every strategy.
// Go and Wait are called from one goroutine; tasks may call Spawn on their
// Exec from any goroutine.
type Group interface {
	// Go submits a task. It may block until the strategy can take it
	// (sequential runs it inline; semaphore waits for a slot).
	Go(t Task)
	// Wait blocks until every submitted task and every child task has
	// finished, releases the group's goroutines, and returns the first task
	// error. Nothing the group started outlives Wait.
	Wait() error
}

// Capacity is how many units of each kind of work a strategy runs at once.
// Zero means no bound.
type Capacity struct {
	Tasks   int // tasks running at once
	Compute int // CPU sections at once (further bounded by GOMAXPROCS)
	Block   int // blocking sections at once
	Workers int // long-lived goroutines the strategy starts, busy or not
}

// Strategies returns every built-in strategy, in the order tables show them.
func Strategies() []Strategy {
	return []Strategy{Sequential{}, Unbounded{}, Pool{}, Semaphore{}, Offload{}}
}

// StrategyByName returns the built-in strategy with that name.
func StrategyByName(name string) (Strategy, error) {
	names := make([]string, 0, 5)
	for _, s := range Strategies() {
		if s.Name() == name {
			return s, nil
		}
		names = append(names, s.Name())
	}
	return nil, &UnknownNameError{Kind: "strategy", Name: name, Known: names}
}

// firstError keeps the first non-nil error set; it is safe for concurrent use.
type firstError struct {
	once sync.Once
	err  error
}

func (f *firstError) set(err error) {
	if err != nil {
		f.once.Do(func() { f.err = err })
	}
}

// get must be called after the writers are done (after a WaitGroup wait).
func (f *firstError) get() error { return f.err }

// tracked counts the running tasks of a group (children included) and keeps
// their first error. Every strategy's Group embeds one.
type tracked struct {
	ctx context.Context
	wg  sync.WaitGroup
	err firstError
}

// goTask runs t on a goroutine of its own with Exec x, unless the group's
// context is done.
func (g *tracked) goTask(t Task, x Exec) {
	if g.ctx.Err() != nil {
		return
	}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		g.err.set(call(g.ctx, t, x))
	}()
}

// waitJoin is the Join of strategies whose children run on goroutines of
// their own: Wait waits for them and holds no slot.
type waitJoin struct {
	wg  sync.WaitGroup
	err firstError
}

func (j *waitJoin) Wait() error { j.wg.Wait(); return j.err.get() }

// goChildren starts each child on a goroutine of its own, counted in g and j.
func goChildren(g *tracked, x Exec, children []Task) *waitJoin {
	j := &waitJoin{}
	j.wg.Add(len(children))
	g.wg.Add(len(children))
	for _, c := range children {
		go func() {
			defer g.wg.Done()
			defer j.wg.Done()
			j.err.set(call(g.ctx, c, x))
		}()
	}
	return j
}

// inline is the Exec part shared by the strategies that run every section
// on the task's own goroutine.
type inline struct{}

func (inline) Compute(fn func())           { fn() }
func (inline) Block(fn func() error) error { return fn() }
func gomaxprocs() int                      { return runtime.GOMAXPROCS(0) }
func checkLimit(name string, limit int) int {
	if limit < 1 {
		panic(fmt.Sprintf("harness: %s strategy started with limit %d; limits start at 1", name, limit))
	}
	return limit
}
