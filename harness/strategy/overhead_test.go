package strategy

import (
	"context"
	"sync"
	"testing"

	"github.com/concbench/concbench/harness"

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
// back, so that -count interleaves them: pair/concbench, pair/bare, ...
func BenchmarkOverhead(b *testing.B) {
	pairs := []struct {
		strategy harness.Strategy
		bare     string
		run      func(b *testing.B)
	}{
		{Sequential{}, "loop", bareLoop},
		{Unbounded{}, "goroutine+waitgroup", bareGoroutines},
		{Offload{}, "goroutine+waitgroup", bareGoroutines},
		{Pool{}, "channel-pool", bareChannelPool},
		{Semaphore{}, "errgroup.SetLimit", bareErrgroup},
		{Semaphore{}, "x-sync-semaphore", bareSemaphore},
		{Errgroup{}, "errgroup.SetLimit", bareErrgroup},
		{Queue{Size: benchLimit, Policy: Block}, "channel-pool", bareChannelPool},
		{RateLimit{Rate: benchRate, Burst: benchBurst}, "limiter+goroutine", bareRateLimit},
	}
	for _, p := range pairs {
		b.Run(p.strategy.Name()+"-vs-"+p.bare, func(b *testing.B) {
			b.Run("concbench", func(b *testing.B) {
				b.ReportAllocs()
				g := p.strategy.Start(context.Background(), benchLimit)
				for b.Loop() {
					g.Go(noop)
				}
				_ = g.Wait()
			})
			b.Run("bare", func(b *testing.B) {
				b.ReportAllocs()
				p.run(b)
			})
		})
	}
}

func bareLoop(b *testing.B) {
	ctx := context.Background()
	f := noop
	for b.Loop() {
		_ = f(ctx, nil)
	}
}

func bareGoroutines(b *testing.B) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for b.Loop() {
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
	for b.Loop() {
		jobs <- noop
	}
	close(jobs)
	wg.Wait()
}

func bareErrgroup(b *testing.B) {
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(benchLimit)
	for b.Loop() {
		g.Go(func() error { return noop(ctx, nil) })
	}
	_ = g.Wait()
}

func bareSemaphore(b *testing.B) {
	ctx := context.Background()
	sem := semaphore.NewWeighted(benchLimit)
	var wg sync.WaitGroup
	for b.Loop() {
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
	for b.Loop() {
		_ = limiter.Wait(ctx)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = noop(ctx, nil)
		}()
	}
	wg.Wait()
}
