package strategy

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/concbench/concbench/harness"
	"github.com/gammazero/deque"
)

// Pool runs tasks on limit long-lived workers. Go hands each root task to
// the workers over a channel buffered to limit, blocking while limit roots
// already wait. Children go
// to a separate queue that workers drain first (depth first, which keeps it
// short), and a parent waiting on its children runs those still queued on
// its own worker, as fork-join pools do, so a tree of any depth finishes at
// any limit and no worker idles while its own children wait. A root costs
// one channel hand-off; a child one lock round trip to queue and one to
// dequeue, and a wake-up token (a nil task on the same channel).
type Pool struct{}

var _ harness.Strategy = Pool{}

func (Pool) Name() string { return "pool" }
func (Pool) Doc() string {
	return "limit long-lived workers fed by a channel; waiting parents run their own children"
}
func (Pool) Limited() bool { return true }
func (Pool) Capacity(limit int) harness.Capacity {
	return harness.Capacity{Tasks: limit, Compute: limit, Block: limit, Workers: limit}
}

// Start starts limit workers; they end in Wait.
func (Pool) Start(ctx context.Context, limit int) harness.Group {
	n := CheckLimit("pool", limit)
	return startPool(ctx, n, n)
}

// startPool starts n workers fed by a roots channel buffered to size.
func startPool(ctx context.Context, n, size int) *poolGroup {
	g := &poolGroup{Tracker: NewTracker(ctx), roots: make(chan harness.Task, size)}
	g.workers.Add(n)
	for range n {
		go g.work()
	}
	return g
}

type poolGroup struct {
	Inline
	Tracker                    // counts children only: a root is done when its worker takes the next
	roots    chan harness.Task // buffered to the worker count; nil is a wake-up: children are queued
	closing  sync.RWMutex      // Spawn's wake-ups read-hold it; Wait closes roots under it
	closed   bool
	mu       sync.Mutex
	children deque.Deque[poolChild]
	queued   atomic.Int64 // len(children), read without the lock
	tokens   atomic.Int64 // wake-up tokens in roots, not yet taken
	workers  sync.WaitGroup
}

// poolChild is child idx of join, waiting in the queue.
type poolChild struct {
	join *poolJoin
	idx  int
}

// Go queues t for the workers, blocking while limit roots already wait.
// A root is not counted: the workers end once Wait closes roots and they
// have run every root and drained the child queue, which costs a root
// two atomic adds fewer (a fifth of its overhead on a no-op task).
func (g *poolGroup) Go(t harness.Task) {
	g.roots <- t // workers run until Wait closes roots, skipping tasks once ctx is done
}

// Wait closes roots, waits for the workers to run every root and every
// queued child and end, then for any child still running under a parent,
// and returns the first error.
func (g *poolGroup) Wait() error {
	g.closing.Lock()
	g.closed = true
	close(g.roots)
	g.closing.Unlock()
	g.workers.Wait()
	return g.Tracker.Wait()
}

// work drains the child queue, then takes the next root or wake-up token.
// A token sent while the worker was busy stays in the buffer, so a worker
// cannot miss children queued just before it parks; and when the buffer
// is full no worker is parked at all. Once Wait has closed roots, a
// worker drains the child queue a last time and ends: a child queued
// later comes from a task still running on another worker, which drains
// it in turn.
func (g *poolGroup) work() {
	defer g.workers.Done()
	for !g.runRoots() {
	}
}

// runRoots runs roots until Wait closes roots, and reports true then. A
// root that panics ends the call: its panic is kept as its error, as
// harness.Call keeps it, and work calls again. One deferred recover so
// serves every root a worker runs, where harness.Call's, one a root, cost
// about 7 of a no-op root's 75 ns on one processor. Children keep Call: a
// parent waits on each one's error.
func (g *poolGroup) runRoots() (closed bool) {
	defer func() {
		if v := recover(); v != nil {
			g.err.Set(harness.AsPanicError(v))
		}
	}()
	for {
		g.runChildren()
		t, ok := <-g.roots
		switch {
		case !ok:
			g.runChildren()
			return true
		case t == nil:
			g.tokens.Add(-1)
		case g.ctx.Err() == nil: // once ctx is done, roots are skipped
			g.err.Set(t(g.ctx, g))
		}
	}
}

// runChildren runs the queued children until the queue is empty.
func (g *poolGroup) runChildren() {
	for c, ok := g.popChild(); ok; c, ok = g.popChild() {
		c.join.claim(c.idx)
	}
}

func (g *poolGroup) popChild() (poolChild, bool) {
	if g.queued.Load() == 0 {
		return poolChild{}, false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.children.Len() == 0 {
		return poolChild{}, false
	}
	g.queued.Add(-1)
	return g.children.PopFront(), true
}

// Spawn queues the children at the front of the child queue and leaves a
// wake-up token for each while the buffer has room; it never blocks.
func (g *poolGroup) Spawn(children ...harness.Task) harness.Join {
	j := &poolJoin{g: g, children: children, claimed: make([]atomic.Bool, len(children))}
	j.Add(len(children))
	g.Add(len(children))
	g.mu.Lock()
	for i := len(children) - 1; i >= 0; i-- {
		g.children.PushFront(poolChild{join: j, idx: i})
	}
	g.queued.Add(int64(len(children)))
	g.mu.Unlock()
	g.closing.RLock()
	defer g.closing.RUnlock()
	if g.closed {
		return j // the workers drain the queue before they end
	}
	for range children {
		g.tokens.Add(1)
		select {
		case g.roots <- nil:
		default: // the buffer is full: no worker is parked
			g.tokens.Add(-1)
			return j
		}
	}
	return j
}

type poolJoin struct {
	WaitJoin
	g        *poolGroup
	children []harness.Task
	claimed  []atomic.Bool // set by whoever runs child i: a worker or the parent
}

// claim runs child i unless someone already has.
func (j *poolJoin) claim(i int) {
	if !j.claimed[i].CompareAndSwap(false, true) {
		return
	}
	defer j.g.Done()
	j.Finish(j.g.Run(j.children[i], j.g))
}

// Wait runs the children no worker has taken yet on the parent's worker,
// then waits for the others. Each worker's stack holds only a task and its
// own descendants, so waits point down the tree and cannot form a cycle.
func (j *poolJoin) Wait() error {
	for i := range j.children {
		j.claim(i)
	}
	return j.WaitJoin.Wait()
}
