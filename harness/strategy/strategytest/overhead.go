package strategytest

import (
	"context"
	"testing"

	"github.com/concbench/concbench/harness"
)

// Pair is a strategy and the bare Go construct (or library) it stands
// for, for Overhead.
type Pair struct {
	Strategy harness.Strategy
	Bare     string             // the bare construct's name in the benchmark's
	RunBare  func(b *testing.B) // runs b.N no-op tasks the bare way, and waits for them
}

// Overhead benchmarks each pair back to back, as strategy-vs-bare/concbench
// and strategy-vs-bare/bare, so that -count interleaves them: the strategy
// runs b.N no-op tasks at limit and waits for them in its Wait, timed
// with them, as the bare side's wait must be (a pool that queues without
// bound would otherwise be timed at enqueueing). scripts/overhead.sh reads
// the pairs' medians and prints their ratios.
func Overhead(b *testing.B, limit int, pairs []Pair) {
	noop := func(context.Context, harness.Exec) error { return nil }
	for _, p := range pairs {
		b.Run(p.Strategy.Name()+"-vs-"+p.Bare, func(b *testing.B) {
			b.Run("concbench", func(b *testing.B) {
				b.ReportAllocs()
				g := p.Strategy.Start(context.Background(), limit)
				for range b.N {
					g.Go(noop)
				}
				_ = g.Wait()
			})
			b.Run("bare", func(b *testing.B) {
				b.ReportAllocs()
				p.RunBare(b)
			})
		})
	}
}
