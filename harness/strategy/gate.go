package strategy

import (
	"context"
	"time"

	"github.com/concbench/concbench/harness"
)

// A Gate admits tasks into slots: the one thing a bounded strategy
// decides. Gated builds the rest (goroutines, children, a waiting parent
// that gives its slot back) around it, so a strategy that bounds
// concurrency in its own way is a Gate and a few lines. A Gate must be
// safe for concurrent use.
type Gate interface {
	// Acquire takes a slot, waiting until one is free or ctx is done (then
	// it returns ctx's error and holds nothing).
	Acquire(ctx context.Context) error
	// TryAcquire takes a slot if one is free now, without waiting.
	TryAcquire() bool
	// Release gives a slot back.
	Release()
}

// A Learner gate adapts to what the tasks it admitted did: Gated calls
// Learn after each task (not a parent's wait for its children) with the
// time the task ran and its error, before it releases the task's slot.
type Learner interface {
	Learn(took time.Duration, err error)
}

// Slots is a fixed gate of n slots, a buffered channel as errgroup's
// SetLimit has: waiting Acquires take slots in the order they came. It
// costs a channel send and receive per task.
type Slots chan struct{}

var _ Gate = Slots(nil)

// NewSlots returns a gate of n slots (n at least 1).
func NewSlots(n int) Slots { return make(Slots, n) }

// Acquire takes a slot, waiting for one unless ctx is done first.
func (s Slots) Acquire(ctx context.Context) error {
	select {
	case s <- struct{}{}:
		return nil
	default:
	}
	select {
	case s <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TryAcquire takes a slot if one is free.
func (s Slots) TryAcquire() bool {
	select {
	case s <- struct{}{}:
		return true
	default:
		return false
	}
}

// Release gives a slot back.
func (s Slots) Release() { <-s }

// Gated returns a group that runs each task on a goroutine of its own
// once gate admits it, under ctx. Go blocks until a slot is free (or ctx
// is done: the task is dropped). A task's children take free slots at
// once and leave the rest to their parent's Join.Wait, which gives the
// parent's slot back, starts the remaining children as slots free up, and
// takes a slot again once they are done: so a tree of any depth runs
// under any gate without deadlock. When gate is a Learner it learns from
// every task; when it counts (harness.Counting), so does the group.
// Beside the gate, a task costs one goroutine start.
func Gated(ctx context.Context, gate Gate) harness.Group {
	learner, _ := gate.(Learner)
	return &gatedGroup{Tracker: NewTracker(ctx), gate: gate, learner: learner}
}

type gatedGroup struct {
	Inline
	Tracker
	gate    Gate
	learner Learner // gate, when it learns; nil: no task is timed
}

// Go blocks until the gate admits t or the group's context is done.
func (g *gatedGroup) Go(t harness.Task) {
	if g.gate.Acquire(g.ctx) != nil {
		return
	}
	g.Add(1)
	go func() {
		g.run(t) //nolint:errcheck // kept by Run
		g.Done()
	}()
}

// run runs t in the slot its caller took, lets the gate learn, and gives
// the slot back.
func (g *gatedGroup) run(t harness.Task) error {
	if g.learner == nil {
		err := g.Run(t, g)
		g.gate.Release()
		return err
	}
	start := time.Now()
	err := g.Run(t, g)
	if g.ctx.Err() == nil {
		g.learner.Learn(time.Since(start), err)
	}
	g.gate.Release()
	return err
}

// Counters are the gate's, when it counts.
func (g *gatedGroup) Counters() map[string]float64 {
	if c, ok := g.gate.(harness.Counting); ok {
		return c.Counters()
	}
	return nil
}

// Spawn starts the children that find a free slot and leaves the rest to
// Wait; it never blocks.
func (g *gatedGroup) Spawn(children ...harness.Task) harness.Join {
	j := &gatedJoin{g: g, children: children}
	for j.started < len(children) && g.gate.TryAcquire() {
		j.startNext()
	}
	return j
}

type gatedJoin struct {
	WaitJoin
	g        *gatedGroup
	children []harness.Task
	started  int
}

// startNext starts the next child on a goroutine of its own; the caller
// has taken a slot for it.
func (j *gatedJoin) startNext() {
	g, t := j.g, j.children[j.started]
	j.Add(1)
	g.Add(1)
	go func() {
		j.Finish(g.run(t))
		g.Done()
	}()
	j.started++
}

// Wait gives the parent's slot back while the children run, and takes one
// again before it returns.
func (j *gatedJoin) Wait() error {
	g := j.g
	g.gate.Release()
	for j.started < len(j.children) {
		if err := g.gate.Acquire(g.ctx); err != nil {
			j.err.Set(err)
			break
		}
		j.startNext()
	}
	err := j.WaitJoin.Wait()
	// The parent runs again: it needs a slot. Every holder runs or waits
	// without one, so this returns, even after the context is done.
	_ = g.gate.Acquire(context.Background()) // cannot fail without a deadline
	return err
}
