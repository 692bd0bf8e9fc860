// Package lifo is an example of a user's own strategy: limit workers take
// the newest queued task first, a stack rather than a queue. A parent
// waiting on its children keeps its worker busy with queued tasks (its own
// children, being the newest, come first), so a tree of any depth finishes
// at any limit. Blank-import it to register "lifo" with concbench.
package lifo

import (
	"context"
	"sync"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
)

func init() { strategy.Register(Strategy{}) }

// Strategy is the LIFO worker pool. Per task it costs a lock round trip to
// push and one to pop, and wakes every idle worker.
type Strategy struct{}

var _ harness.Strategy = Strategy{}

func (Strategy) Name() string { return "lifo" }
func (Strategy) Doc() string {
	return "limit workers; the newest queued task runs first; waiting parents run queued tasks"
}
func (Strategy) Limited() bool { return true }
func (Strategy) Capacity(limit int) harness.Capacity {
	return harness.Capacity{Tasks: limit, Compute: limit, Block: limit, Workers: limit}
}

// Start starts limit workers; they end in Wait.
func (Strategy) Start(ctx context.Context, limit int) harness.Group {
	g := &group{Tracker: strategy.NewTracker(ctx)}
	g.ready = sync.NewCond(&g.mu)
	n := strategy.CheckLimit("lifo", limit)
	g.workers.Add(n)
	for range n {
		go g.work()
	}
	return g
}

type group struct {
	strategy.Inline
	strategy.Tracker
	mu      sync.Mutex
	ready   *sync.Cond // a task was pushed, a join finished, or the group closed
	stack   []item
	closed  bool
	workers sync.WaitGroup
}

// item is a queued task; join is nil for a root.
type item struct {
	task harness.Task
	join *join
}

// Go queues t on top of the stack; it never blocks.
func (g *group) Go(t harness.Task) {
	g.Add(1)
	g.push(item{task: t})
}

// Wait waits for every task, then ends the workers.
func (g *group) Wait() error {
	err := g.Tracker.Wait()
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.ready.Broadcast()
	g.workers.Wait()
	return err
}

func (g *group) push(items ...item) {
	g.mu.Lock()
	g.stack = append(g.stack, items...)
	g.mu.Unlock()
	g.ready.Broadcast()
}

// pop blocks until a task is queued and returns the newest, or returns
// false once the group is closed or, for a waiting parent, once its join
// j has finished.
func (g *group) pop(j *join) (item, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for {
		switch {
		case j != nil && j.pending == 0:
			return item{}, false
		case len(g.stack) > 0:
			it := g.stack[len(g.stack)-1]
			g.stack = g.stack[:len(g.stack)-1]
			return it, true
		case g.closed:
			return item{}, false
		}
		g.ready.Wait()
	}
}

func (g *group) work() {
	defer g.workers.Done()
	for it, ok := g.pop(nil); ok; it, ok = g.pop(nil) {
		g.run(it)
	}
}

// run runs a queued task and reports it to its join.
func (g *group) run(it item) {
	err := g.Run(it.task, g)
	if it.join != nil {
		it.join.finish(err)
	}
	g.Done()
}

// Spawn pushes the children so that the first is on top; it never blocks.
func (g *group) Spawn(children ...harness.Task) harness.Join {
	j := &join{g: g, pending: len(children)}
	g.Add(len(children))
	items := make([]item, len(children))
	for i, c := range children {
		items[len(children)-1-i] = item{task: c, join: j}
	}
	g.push(items...)
	return j
}

type join struct {
	g       *group
	pending int // children not finished, guarded by g.mu
	err     strategy.FirstError
}

func (j *join) finish(err error) {
	j.err.Set(err)
	j.g.mu.Lock()
	j.pending--
	j.g.mu.Unlock()
	j.g.ready.Broadcast()
}

// Wait runs queued tasks on the parent's worker until its children have
// finished: the parent holds no slot of its own while it waits.
func (j *join) Wait() error {
	for it, ok := j.g.pop(j); ok; it, ok = j.g.pop(j) {
		j.g.run(it)
	}
	return j.err.Err()
}
