package strategy

import (
	"context"
	"flag"
	"sync/atomic"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/param"
)

// Full-queue policies of the queue strategy.
const (
	Block      = "block"       // Go waits for room: backpressure on the producer
	Reject     = "reject"      // Go drops the new task
	DropOldest = "drop-oldest" // the oldest queued task is dropped for the new one
)

// Queue is a producer-consumer queue: a channel buffered to Size tasks in
// front of limit worker goroutines, the pool's (Pool) with its roots
// channel sized to the queue. When the queue is full, Policy decides:
// block the producer, reject the new task, or drop the oldest queued one.
// A task rejected or dropped never starts. The group counts the peak
// queue depth ("queue-peak", sampled at each enqueue), and the tasks
// "rejected" and "dropped". Children are work already admitted: they
// bypass the queue as the pool's do, and their wake-up tokens, which share
// its channel while workers idle, are neither counted in its depth nor
// dropped as tasks. Per task it costs the pool's channel hand-off and an
// atomic compare for the peak.
type Queue struct {
	Size   int
	Policy string
}

var (
	_ harness.Strategy = Queue{}
	_ Configurable     = Queue{}
)

func (Queue) Name() string { return "queue" }
func (Queue) Doc() string {
	return "a bounded queue of size tasks in front of limit workers; when full: block, reject or drop-oldest"
}
func (Queue) Limited() bool { return true }
func (Queue) Capacity(limit int) harness.Capacity {
	return harness.Capacity{Tasks: limit, Compute: limit, Block: limit, Workers: limit}
}

// Define declares size and policy.
func (Queue) Define(fs *flag.FlagSet) func() (harness.Strategy, error) {
	q := &Queue{}
	fs.IntVar(&q.Size, "size", 16, "tasks the queue holds beside those running, at least 1")
	policy := param.NewChoice(fs, "policy", []string{Block, Reject, DropOldest}, "when the queue is full: block the producer, reject the new task, or drop the oldest queued task")
	return func() (harness.Strategy, error) {
		if q.Size < 1 || q.Size > harness.MaxTasks {
			return nil, input.Errorf("size", "%d is out of range 1..%d", q.Size, harness.MaxTasks)
		}
		q.Policy = policy.Value()
		return *q, nil
	}
}

// Start starts limit workers on an empty queue.
func (q Queue) Start(ctx context.Context, limit int) harness.Group {
	size, policy := q.Size, q.Policy
	if size < 1 {
		size = 16
	}
	if policy == "" {
		policy = Block
	}
	return &queueGroup{poolGroup: startPool(ctx, CheckLimit("queue", limit), size), blocks: policy == Block, rejects: policy == Reject}
}

type queueGroup struct {
	*poolGroup
	blocks, rejects         bool // the policy: block, reject, else drop the oldest
	peak, rejected, dropped atomic.Int64
}

// Go enqueues t, applying the policy when the queue is full. Under block
// it waits for room, as the pool's Go does: once the group's context is
// done the workers skip what they take, so room comes at once. Under the
// others, a task submitted once the context is done is not queued.
func (g *queueGroup) Go(t harness.Task) {
	if g.blocks {
		g.roots <- t
		g.notePeak()
		return
	}
	if g.ctx.Err() != nil {
		return
	}
	for {
		select {
		case g.roots <- t:
			g.notePeak()
			return
		default:
		}
		if g.rejects {
			g.rejected.Add(1)
			return
		}
		select { // DropOldest
		case old := <-g.roots: // the oldest; a worker may have taken it first
			if old == nil {
				g.tokens.Add(-1) // a wake-up: the workers find the children anyway
			} else {
				g.dropped.Add(1)
			}
		default:
		}
	}
}

// notePeak keeps the deepest queue seen, wake-up tokens left out.
func (g *queueGroup) notePeak() {
	p, d := g.peak.Load(), int64(len(g.roots))
	if d <= p {
		return // the common case: tokens would only make it shallower
	}
	for d -= g.tokens.Load(); d > p && !g.peak.CompareAndSwap(p, d); p = g.peak.Load() {
	}
}

// Counters reports the peak queue depth and the rejected and dropped tasks.
func (g *queueGroup) Counters() map[string]float64 {
	return map[string]float64{
		"queue-peak": float64(g.peak.Load()),
		"rejected":   float64(g.rejected.Load()),
		"dropped":    float64(g.dropped.Load()),
	}
}
