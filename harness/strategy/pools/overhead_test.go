package pools

import (
	"context"
	"sync"
	"testing"

	"github.com/alitto/pond/v2"
	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy/strategytest"
	"github.com/gammazero/workerpool"
	"github.com/panjf2000/ants/v2"
	"github.com/sourcegraph/conc/pool"
)

// benchLimit is the pools' size in the overhead benchmarks, as in
// package strategy's.
const benchLimit = 8

func noop(context.Context, harness.Exec) error { return nil }

// BenchmarkOverhead runs each adapter and its library used directly back
// to back (strategytest.Overhead). The bare side submits what a user of
// the library writes to run the same no-op task, a closure over its
// context, and waits for all with the library's own wait, or a WaitGroup
// where it has none (ants).
func BenchmarkOverhead(b *testing.B) {
	strategytest.Overhead(b, benchLimit, []strategytest.Pair{
		{Strategy: Ants{}, Bare: "ants.Submit", RunBare: bareAnts},
		{Strategy: Pond{}, Bare: "pond.Go", RunBare: barePond},
		{Strategy: Conc{}, Bare: "conc.Go", RunBare: bareConc},
		{Strategy: WorkerPool{}, Bare: "workerpool.Submit", RunBare: bareWorkerPool},
	})
}

func bareAnts(b *testing.B) {
	ctx := context.Background()
	p, _ := ants.NewPool(benchLimit)
	var wg sync.WaitGroup
	for range b.N {
		wg.Add(1)
		_ = p.Submit(func() {
			_ = noop(ctx, nil)
			wg.Done()
		})
	}
	wg.Wait()
	_ = p.ReleaseTimeout(0)
}

func barePond(b *testing.B) {
	ctx := context.Background()
	p := pond.NewPool(benchLimit)
	for range b.N {
		_ = p.Go(func() { _ = noop(ctx, nil) })
	}
	p.StopAndWait()
}

func bareConc(b *testing.B) {
	ctx := context.Background()
	p := pool.New().WithMaxGoroutines(benchLimit)
	for range b.N {
		p.Go(func() { _ = noop(ctx, nil) })
	}
	p.Wait()
}

func bareWorkerPool(b *testing.B) {
	ctx := context.Background()
	p := workerpool.New(benchLimit)
	for range b.N {
		p.Submit(func() { _ = noop(ctx, nil) })
	}
	p.StopWait()
}
