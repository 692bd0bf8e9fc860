package strategy

import (
	"context"
	"sync"
	"testing"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy/strategytest"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"
)

// The overhead benchmarks measure each strategy's cost per no-op task beside
// the bare Go construct it stands for, in the same run, so that ratios are
// comparable (scripts/overhead.sh prints them):
//
//	sequential ~ a loop of calls        unbounded, offload ~ goroutine + WaitGroup
//	pool, queue ~ channel-fed workers   semaphore, errgroup ~ errgroup.SetLimit,
//	ratelimit  ~ rate.Limiter.Wait       semaphore          ~ x/sync/semaphore + goroutine
//	             + goroutine

const benchLimit = 8

// benchRate and benchBurst let a token bucket admit every benchmark task
// without waiting, so that the pair measures the bookkeeping, not pacing.
const (
	benchRate  = 1e7
	benchBurst = 1 << 22
)

func noop(context.Context, harness.Exec) error { return nil }

// BenchmarkOverhead runs each strategy and its bare equivalent back to
// back (strategytest.Overhead).
func BenchmarkOverhead(b *testing.B) {
	strategytest.Overhead(b, benchLimit, []strategytest.Pair{
		{Strategy: Sequential{}, Bare: "loop", RunBare: bareLoop},
		{Strategy: Unbounded{}, Bare: "goroutine+waitgroup", RunBare: bareGoroutines},
		{Strategy: Offload{}, Bare: "goroutine+waitgroup", RunBare: bareGoroutines},
		{Strategy: Pool{}, Bare: "channel-pool", RunBare: bareChannelPool},
		{Strategy: Semaphore{}, Bare: "errgroup.SetLimit", RunBare: bareErrgroup},
		{Strategy: Semaphore{}, Bare: "x-sync-semaphore", RunBare: bareSemaphore},
		{Strategy: Errgroup{}, Bare: "errgroup.SetLimit", RunBare: bareErrgroup},
		{Strategy: Queue{Size: benchLimit, Policy: Block}, Bare: "channel-pool", RunBare: bareChannelPool},
		{Strategy: RateLimit{Rate: benchRate, Burst: benchBurst}, Bare: "limiter+goroutine", RunBare: bareRateLimit},
	})
}

func bareLoop(b *testing.B) {
	ctx := context.Background()
	f := noop
	for range b.N {
		_ = f(ctx, nil)
	}
}

func bareGoroutines(b *testing.B) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for range b.N {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = noop(ctx, nil)
		}()
	}
	wg.Wait()
}

func bareChannelPool(b *testing.B) {
	ctx := context.Background()
	jobs := make(chan harness.Task, benchLimit) // buffered to the workers, as Pool's roots
	var wg sync.WaitGroup
	for range benchLimit {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range jobs {
				_ = t(ctx, nil)
			}
		}()
	}
	for range b.N {
		jobs <- noop
	}
	close(jobs)
	wg.Wait()
}

func bareErrgroup(b *testing.B) {
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(benchLimit)
	for range b.N {
		g.Go(func() error { return noop(ctx, nil) })
	}
	_ = g.Wait()
}

func bareSemaphore(b *testing.B) {
	ctx := context.Background()
	sem := semaphore.NewWeighted(benchLimit)
	var wg sync.WaitGroup
	for range b.N {
		_ = sem.Acquire(ctx, 1)
		wg.Add(1)
		go func() {
			_ = noop(ctx, nil)
			sem.Release(1)
			wg.Done()
		}()
	}
	wg.Wait()
}

func bareRateLimit(b *testing.B) {
	ctx := context.Background()
	limiter := rate.NewLimiter(benchRate, benchBurst)
	var wg sync.WaitGroup
	for range b.N {
		_ = limiter.Wait(ctx)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = noop(ctx, nil)
		}()
	}
	wg.Wait()
}
