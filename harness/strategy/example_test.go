package strategy_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
)

// A strategy that bounds concurrency its own way is a Gate and Gated: here
// a fixed gate of 2 slots runs 6 tasks, and no more than 2 run at once.
func ExampleGated() {
	var running, most atomic.Int32
	task := func(ctx context.Context, x harness.Exec) error {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		x.Compute(func() {}) // a CPU section: a gated group runs it inline
		running.Add(-1)
		return nil
	}
	g := strategy.Gated(context.Background(), strategy.NewSlots(2))
	for range 6 {
		g.Go(task)
	}
	fmt.Println(g.Wait(), most.Load() <= 2)
	// Output: <nil> true
}

// countingGate wraps a gate and counts the tasks it admitted: a Gate's
// three methods are all a strategy author writes; Counters show in the
// results.
type countingGate struct {
	strategy.Gate
	mu       sync.Mutex
	admitted int
}

func (c *countingGate) Acquire(ctx context.Context) error {
	err := c.Gate.Acquire(ctx)
	if err == nil {
		c.mu.Lock()
		c.admitted++
		c.mu.Unlock()
	}
	return err
}

func (c *countingGate) TryAcquire() bool {
	ok := c.Gate.TryAcquire()
	if ok {
		c.mu.Lock()
		c.admitted++
		c.mu.Unlock()
	}
	return ok
}

func (c *countingGate) Counters() map[string]float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return map[string]float64{"admitted": float64(c.admitted)}
}

// A parent that waits for its children gives its slot back, so a tree
// deeper than the gate runs: one slot, a parent and two children. The
// parent takes a slot twice (to start, and again after its wait), each
// child once.
func ExampleGate() {
	gate := &countingGate{Gate: strategy.NewSlots(1)}
	g := strategy.Gated(context.Background(), gate)
	leaf := func(context.Context, harness.Exec) error { return nil }
	g.Go(func(ctx context.Context, x harness.Exec) error { return x.Spawn(leaf, leaf).Wait() })
	err := g.Wait()
	fmt.Println(err, g.(harness.Counting).Counters()["admitted"])
	// Output: <nil> 4
}
