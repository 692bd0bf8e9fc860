// Package benchtest runs a workload under concurrency strategies from a
// Go benchmark, so that benchstat compares strategies across commits with
// no concbench command at all:
//
//	func BenchmarkFetch(b *testing.B) {
//		benchtest.Run(b, benchtest.Config{
//			Workload:   fetch{},
//			Tasks:      100,
//			Strategies: []harness.Strategy{strategy.Sequential{}, strategy.Semaphore{}},
//			Limits:     []int{4, 16},
//		})
//	}
//
// Each strategy and limit is a sub-benchmark ("semaphore/limit=4"); each
// of its b.N iterations is one repetition of Tasks tasks. It reports the
// medians over repetitions: ns/op (the repetition's wall time), p50-ns and
// p99-ns (task response time, from the batch's start) and efficiency (the
// ideal bound over the wall time).
package benchtest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
)

// Config is what Run benchmarks.
type Config struct {
	Workload   harness.Workload
	Tasks      int                // root tasks per repetition
	Strategies []harness.Strategy // each a sub-benchmark
	Limits     []int              // for limited strategies, each a sub-benchmark
	Timeout    time.Duration      // per task; 0: none
}

// Run runs one sub-benchmark per cell of c. A cell's repetitions run as
// the runner's do (a collected heap first, the runtime probe beside); a
// workload that cannot make its batch fails the benchmark.
func Run(b *testing.B, c Config) {
	b.Helper()
	w := harness.PlannedWorkload{Name: "bench", Family: "bench", Tasks: c.Tasks, Timeout: c.Timeout, Workload: c.Workload}
	p, err := harness.NewPlan(harness.PlanConfig{Workloads: []harness.PlannedWorkload{w}, Strategies: c.Strategies, Limits: c.Limits, Reps: 1})
	if err != nil {
		b.Fatal(err)
	}
	for _, cell := range p.Cells() {
		b.Run(Name(cell), benchmark(cell))
	}
}

// benchmark runs b.N repetitions of cell and reports them.
func benchmark(cell harness.Cell) func(*testing.B) {
	return func(b *testing.B) {
		var reps []results.Repetition
		for i := 0; i < b.N; i++ {
			m, err := harness.RunRepetition(context.Background(), cell, i)
			if err != nil {
				b.Fatal(err)
			}
			reps = append(reps, m)
		}
		Report(b, reps)
	}
}

// Name is a cell's sub-benchmark name: "pool/limit=8", or "unbounded".
func Name(c harness.Cell) string {
	if c.Limit == 0 {
		return c.Strategy.Name()
	}
	return fmt.Sprintf("%s/limit=%d", c.Strategy.Name(), c.Limit)
}

// Report reports the medians of reps on b: ns/op (wall), p50-ns, p99-ns,
// efficiency, and errors/op when tasks failed.
func Report(b *testing.B, reps []results.Repetition) {
	if len(reps) == 0 {
		return
	}
	s := results.Combine(reps)
	b.ReportMetric(float64(s.Wall.Nanoseconds()), "ns/op")
	b.ReportMetric(float64(s.Response.P50.Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(s.Response.P99.Nanoseconds()), "p99-ns")
	b.ReportMetric(s.Efficiency, "efficiency")
	if errs := slices.IndexFunc(reps, func(r results.Repetition) bool { return r.ErrorCount() > 0 }); errs >= 0 {
		total := 0
		for _, r := range reps {
			total += r.ErrorCount()
		}
		b.ReportMetric(float64(total)/float64(len(reps)), "errors/op")
	}
}
