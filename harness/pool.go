package harness

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/gammazero/deque"
)

// Pool runs tasks on limit long-lived workers fed by one queue. Roots join
// the back of the queue, children the front (depth first, which keeps the
// queue short). A parent waiting on its children runs those still queued on
// its own worker, as fork-join pools do, so a tree of any depth finishes at
// any limit and no worker idles while its own children wait. Per task it
// costs one lock round trip to queue and one to dequeue; Go never blocks.
type Pool struct{}

var _ Strategy = Pool{}

func (Pool) Name() string { return "pool" }
func (Pool) Doc() string {
	return "limit long-lived workers fed by a queue; waiting parents run their own children"
}
func (Pool) Limited() bool { return true }
func (Pool) Capacity(limit int) Capacity {
	return Capacity{Tasks: limit, Compute: limit, Block: limit}
}

// Start starts limit workers; they end in Wait.
func (Pool) Start(ctx context.Context, limit int) Group {
	g := &poolGroup{tracked: tracked{ctx: ctx}}
	g.ready.L = &g.mu
	n := checkLimit("pool", limit)
	g.workers.Add(n)
	for range n {
		go g.work()
	}
	return g
}

type poolGroup struct {
	inline
	tracked
	mu      sync.Mutex
	ready   sync.Cond // signalled when the queue grows or the group closes
	queue   deque.Deque[poolItem]
	closed  bool
	workers sync.WaitGroup
}

// poolItem is a queued root (join == nil) or the child idx of join.
type poolItem struct {
	task Task
	join *poolJoin
	idx  int
}

// Go queues t and returns at once.
func (g *poolGroup) Go(t Task) {
	if g.ctx.Err() != nil {
		return
	}
	g.wg.Add(1)
	g.mu.Lock()
	g.queue.PushBack(poolItem{task: t})
	g.mu.Unlock()
	g.ready.Signal()
}

func (g *poolGroup) Wait() error {
	g.wg.Wait()
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.ready.Broadcast()
	g.workers.Wait()
	return g.err.get()
}

func (g *poolGroup) work() {
	defer g.workers.Done()
	for {
		g.mu.Lock()
		for g.queue.Len() == 0 && !g.closed {
			g.ready.Wait()
		}
		if g.queue.Len() == 0 {
			g.mu.Unlock()
			return
		}
		it := g.queue.PopFront()
		g.mu.Unlock()
		if it.join != nil {
			it.join.claim(it.idx)
			continue
		}
		if g.ctx.Err() == nil {
			g.err.set(call(g.ctx, it.task, g))
		}
		g.wg.Done()
	}
}

// Spawn queues the children at the front of the queue; it never blocks.
func (g *poolGroup) Spawn(children ...Task) Join {
	j := &poolJoin{g: g, children: children, claimed: make([]atomic.Bool, len(children))}
	j.wg.Add(len(children))
	g.wg.Add(len(children))
	g.mu.Lock()
	for i := len(children) - 1; i >= 0; i-- {
		g.queue.PushFront(poolItem{join: j, idx: i})
	}
	g.mu.Unlock()
	for range children {
		g.ready.Signal()
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
