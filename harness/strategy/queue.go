package strategy

import (
	"context"
	"flag"
	"sync"
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

// Queue is a producer-consumer queue: a buffered channel of Size tasks in
// front of limit worker goroutines. When the queue is full, Policy
// decides: block the producer, reject the new task, or drop the oldest
// queued one. A task rejected or dropped never starts. The group counts
// the peak queue depth ("queue-peak", sampled at each enqueue), and the
// tasks "rejected" and "dropped". Children are work already admitted:
// they bypass the queue, taking idle workers or running on their waiting
// parent's goroutine. Per task it costs a channel send and receive and an
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
	n := CheckLimit("queue", limit)
	g := &queueGroup{Tracker: NewTracker(ctx), policy: policy, queue: make(chan harness.Task, size), help: make(chan func() error, n)}
	g.workers.Add(n)
	g.drained.Add(n)
	for range n {
		go g.work()
	}
	return g
}

type queueGroup struct {
	Inline
	Tracker // counts children only: Wait knows the roots have ended from drained
	policy  string
	queue   chan harness.Task
	help    chan func() error // drains of Joins with children waiting, for the next idle worker; closed once every task and child has ended
	workers sync.WaitGroup
	drained sync.WaitGroup // a worker is done with it once it finds the queue closed and empty, every root it took ended

	peak, rejected, dropped atomic.Int64
}

// work runs queued tasks, and drains children when it finds any, until
// every task and child has ended. Roots are not counted, which spares
// each two atomic adds: once Wait has closed the queue, each worker says
// so when it finds it empty, every root it took having ended.
func (g *queueGroup) work() {
	defer g.workers.Done()
	queue := g.queue
	closed := func() {
		queue = nil // closed and empty: keep helping with children
		g.drained.Done()
	}
	for {
		select { // the common case first: a queued task, one channel locked
		case t, ok := <-queue:
			if !ok {
				closed()
				continue
			}
			g.Run(t, g) //nolint:errcheck // kept by Run
			continue
		default:
		}
		select {
		case t, ok := <-queue:
			if !ok {
				closed()
				continue
			}
			g.Run(t, g) //nolint:errcheck // kept by Run
		case drain, ok := <-g.help:
			if !ok {
				return
			}
			drain() //nolint:errcheck // kept by the Join
		}
	}
}

// Go enqueues t, applying the policy when the queue is full. Under block
// it waits for room or for the group's context to be done.
func (g *queueGroup) Go(t harness.Task) {
	if g.ctx.Err() != nil {
		return
	}
	for {
		select {
		case g.queue <- t:
			g.notePeak()
			return
		default:
		}
		switch g.policy {
		case Reject:
			g.rejected.Add(1)
			return
		case DropOldest:
			select {
			case <-g.queue: // the oldest; a worker may have taken it first
				g.dropped.Add(1)
			default:
			}
		default: // Block
			select {
			case g.queue <- t:
				g.notePeak()
			case <-g.ctx.Done():
			}
			return
		}
	}
}

// notePeak keeps the deepest queue seen.
func (g *queueGroup) notePeak() {
	d := int64(len(g.queue))
	for p := g.peak.Load(); d > p && !g.peak.CompareAndSwap(p, d); p = g.peak.Load() {
	}
}

// Spawn offers the children to the workers as they become idle, one
// drain per child at most while the offers fit in a buffer of limit, and
// leaves the rest to the parent's Wait. It never blocks. A drain taken
// after the children are gone returns at once.
func (g *queueGroup) Spawn(children ...harness.Task) harness.Join {
	g.Add(len(children))
	j := NewDrainJoin(children, func(c harness.Task) error {
		defer g.Done()
		return g.Run(c, g)
	})
	for range children {
		select {
		case g.help <- j.Drain:
			continue
		default:
		}
		break
	}
	return j
}

// Wait closes the queue, waits for every root (the workers drained the
// queue) and then every child, stops the workers, and returns the first
// error. A child is counted before its parent ends, so none is missed.
func (g *queueGroup) Wait() error {
	close(g.queue)
	g.drained.Wait()
	err := g.Tracker.Wait()
	close(g.help)
	g.workers.Wait()
	return err
}

// Counters reports the peak queue depth and the rejected and dropped tasks.
func (g *queueGroup) Counters() map[string]float64 {
	return map[string]float64{
		"queue-peak": float64(g.peak.Load()),
		"rejected":   float64(g.rejected.Load()),
		"dropped":    float64(g.dropped.Load()),
	}
}
