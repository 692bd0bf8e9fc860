package harness

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/gammazero/deque"
)

// Pool runs tasks on limit long-lived workers. Go hands each root task to
// an idle worker over a channel, blocking while all are busy. Children go
// to a separate queue that workers drain first (depth first, which keeps it
// short), and a parent waiting on its children runs those still queued on
// its own worker, as fork-join pools do, so a tree of any depth finishes at
// any limit and no worker idles while its own children wait. A root costs
// one channel hand-off; a child one lock round trip to queue and one to
// dequeue.
type Pool struct{}

var _ Strategy = Pool{}

func (Pool) Name() string { return "pool" }
func (Pool) Doc() string {
	return "limit long-lived workers fed by a channel; waiting parents run their own children"
}
func (Pool) Limited() bool { return true }
func (Pool) Capacity(limit int) Capacity {
	return Capacity{Tasks: limit, Compute: limit, Block: limit, Workers: limit}
}

// Start starts limit workers; they end in Wait.
func (Pool) Start(ctx context.Context, limit int) Group {
	n := checkLimit("pool", limit)
	g := &poolGroup{tracked: tracked{ctx: ctx}, roots: make(chan Task)}
	g.workers.Add(n)
	for range n {
		go g.work()
	}
	return g
}

type poolGroup struct {
	inline
	tracked
	roots    chan Task // unbuffered: Go meets an idle worker; nil means "children queued"
	mu       sync.Mutex
	children deque.Deque[poolChild]
	queued   atomic.Int64 // len(children), read without the lock
	workers  sync.WaitGroup
}

// poolChild is child idx of join, waiting in the queue.
type poolChild struct {
	join *poolJoin
	idx  int
}

// Go blocks until a worker takes t.
func (g *poolGroup) Go(t Task) {
	g.wg.Add(1)
	g.roots <- t // workers run until Wait closes roots, skipping tasks once ctx is done
}

func (g *poolGroup) Wait() error {
	g.wg.Wait()
	close(g.roots)
	g.workers.Wait()
	return g.err.get()
}

// work runs roots as they come and drains the child queue after each.
// Wait closes roots once every task, children included, has ended.
func (g *poolGroup) work() {
	defer g.workers.Done()
	for t := range g.roots {
		if t != nil {
			if g.ctx.Err() == nil {
				g.err.set(call(g.ctx, t, g))
			}
			g.wg.Done()
		}
		for c, ok := g.popChild(); ok; c, ok = g.popChild() {
			c.join.claim(c.idx)
		}
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

// Spawn queues the children at the front of the child queue; it never
// blocks.
func (g *poolGroup) Spawn(children ...Task) Join {
	j := &poolJoin{g: g, children: children, claimed: make([]atomic.Bool, len(children))}
	j.wg.Add(len(children))
	g.wg.Add(len(children))
	g.mu.Lock()
	for i := len(children) - 1; i >= 0; i-- {
		g.children.PushFront(poolChild{join: j, idx: i})
	}
	g.queued.Add(int64(len(children)))
	g.mu.Unlock()
	// Wake idle workers. A worker that is busy, or just about to idle,
	// misses the call; it drains the queue after its task, and the parent
	// runs whatever is left itself in Wait.
	for range children {
		select {
		case g.roots <- nil:
		default:
			return j
		}
	}
	return j
}

type poolJoin struct {
	waitJoin
	g        *poolGroup
	children []Task
	claimed  []atomic.Bool // set by whoever runs child i: a worker or the parent
}

// claim runs child i unless someone already has.
func (j *poolJoin) claim(i int) {
	if !j.claimed[i].CompareAndSwap(false, true) {
		return
	}
	defer j.g.wg.Done()
	defer j.wg.Done()
	if err := j.g.ctx.Err(); err != nil {
		j.err.set(err)
		return
	}
	j.err.set(call(j.g.ctx, j.children[i], j.g))
}

// Wait runs the children no worker has taken yet on the parent's worker,
// then waits for the others. Each worker's stack holds only a task and its
// own descendants, so waits point down the tree and cannot form a cycle.
func (j *poolJoin) Wait() error {
	for i := range j.children {
		j.claim(i)
	}
	return j.waitJoin.Wait()
}
