package harness

import (
	"context"
	"sync"
	"testing"
	"time"
)

func noop(context.Context, Exec) error { return nil }

// goEach is a test strategy: a goroutine per task, no limit, no children.
type goEach struct{}

func (goEach) Name() string                           { return "go-each" }
func (goEach) Doc() string                            { return "test only" }
func (goEach) Limited() bool                          { return false }
func (goEach) Capacity(int) Capacity                  { return Capacity{} }
func (goEach) Start(ctx context.Context, _ int) Group { return &goEachGroup{ctx: ctx} }

type goEachGroup struct {
	ctx context.Context
	wg  sync.WaitGroup
}

func (g *goEachGroup) Go(t Task) {
	g.wg.Add(1)
	go func() { defer g.wg.Done(); _ = Call(g.ctx, t, nil) }()
}
func (g *goEachGroup) Wait() error { g.wg.Wait(); return nil }

// BenchmarkRecord measures stamping one sample (start and end) and
// summarising it into the histograms, beside one time.Now call.
func BenchmarkRecord(b *testing.B) {
	b.Run("concbench", func(b *testing.B) {
		b.ReportAllocs()
		r := NewRecorder()
		r.Reset(time.Now())
		i := 0
		for b.Loop() {
			r.End(i, r.Begin(), 0, "", nil)
			i++
		}
	})
	b.Run("bare", func(b *testing.B) { // one time.Now
		b.ReportAllocs()
		var t time.Time
		for b.Loop() {
			t = time.Now()
		}
		_ = t
	})
}

// BenchmarkRunnerTask measures the runner's whole per-task path (root
// wrapper, recorder, panic guard) under unbounded, for comparison with
// BenchmarkOverhead/unbounded.
func BenchmarkRunnerTask(b *testing.B) {
	b.ReportAllocs()
	ctx := context.Background()
	rec := NewRecorder()
	rec.Reset(time.Now())
	g := goEach{}.Start(ctx, 0)
	b.ResetTimer()
	for i := range b.N { // as the runner does: each root made as the strategy takes it
		r := &root{task: noop, i: i, rec: rec}
		g.Go(r.run)
	}
	_ = g.Wait()
}
