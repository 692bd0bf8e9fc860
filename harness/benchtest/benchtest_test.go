package benchtest

import (
	"context"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// parked is a test workload: each task parks for d.
type parked struct{ d time.Duration }

func (w parked) Batch(n, _ int) (harness.Batch, error) {
	b := harness.Batch{Tasks: make([]harness.Task, n), Cost: harness.Cost{Units: n, Wait: time.Duration(n) * w.d, Critical: w.d}}
	for i := range b.Tasks {
		b.Tasks[i] = func(context.Context, harness.Exec) error { time.Sleep(w.d); return nil }
	}
	return b, nil
}

// TestReportedMetrics benchmarks 8 tasks of 10 ms under a semaphore of 4:
// two waves, so p50 and p99 are about 10 and 20 ms, a repetition about
// 20 ms, and efficiency near 1.
func TestReportedMetrics(t *testing.T) {
	p, err := harness.NewPlan(harness.PlanConfig{Workloads: []harness.PlannedWorkload{{Name: "p", Tasks: 8, Workload: parked{10 * time.Millisecond}}},
		Strategies: []harness.Strategy{strategy.Semaphore{}}, Limits: []int{4}, Reps: 1})
	if err != nil {
		t.Fatal(err)
	}
	cell := p.Cells()[0]
	if Name(cell) != "semaphore/limit=4" {
		t.Errorf("name %q", Name(cell))
	}
	r := testing.Benchmark(benchmark(cell))
	p50, p99, eff := r.Extra["p50-ns"], r.Extra["p99-ns"], r.Extra["efficiency"]
	t.Logf("N=%d p50 %v p99 %v efficiency %.2f ns/op %v", r.N, time.Duration(p50), time.Duration(p99), eff, time.Duration(r.Extra["ns/op"]))
	ms := float64(time.Millisecond)
	if p50 < 10*ms || p50 > 20*ms || p99 < 20*ms || p99 > 40*ms {
		t.Errorf("p50 %v and p99 %v, want about 10 and 20 ms", time.Duration(p50), time.Duration(p99))
	}
	if eff <= 0.4 || eff > 1.05 {
		t.Errorf("efficiency %.2f, want near 1", eff)
	}
}

// BenchmarkStrategies shows the helper's use: go test -bench . ./harness/benchtest
func BenchmarkStrategies(b *testing.B) {
	Run(b, Config{
		Workload:   parked{time.Millisecond},
		Tasks:      32,
		Strategies: []harness.Strategy{strategy.Sequential{}, strategy.Unbounded{}, strategy.Semaphore{}},
		Limits:     []int{8},
	})
}
