package recommend

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/results"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// cell makes a cell of 6 repetitions of 100 tasks, goodput spread ±1%
// around goodput, p99 around p99, failed of them failing, holding mem
// bytes at peak; the strategy "unbounded" bounds no task.
func cell(strategy string, limit int, goodput float64, p99 time.Duration, failed int, mem uint64) results.CellResult {
	c := results.CellResult{Workload: "w", Strategy: strategy, Limit: limit, Tasks: 100, Complete: true, Unbounded: strategy == "unbounded"}
	for i, f := range []float64{0.99, 1.01, 1, 0.995, 1.005, 1} {
		r := results.Repetition{Core: results.Core{Submitted: 100, Completed: 100, Throughput: goodput * f, Response: results.Quantiles{P99: time.Duration(float64(p99) * (1 + float64(i%3-1)*0.01))}, Service: results.Quantiles{Mean: 20 * time.Millisecond}}}
		if failed > 0 {
			r.Errors = map[string]int{"http-503": failed}
		}
		r.PeakMemory, r.PeakGoroutines = mem, 10
		r.UserCPU = 100 * time.Millisecond // 1 ms a task, of 20 ms service: waits
		c.Repetitions = append(c.Repetitions, r)
	}
	c.Summary = results.Combine(c.Repetitions)
	return c
}

// leaking marks every repetition of c as having left 100 goroutines running.
func leaking(c results.CellResult) results.CellResult {
	for i := range c.Repetitions {
		c.Repetitions[i].Leaked = 100
	}
	c.Summary = results.Combine(c.Repetitions)
	return c
}

func TestWorkload(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		name      string
		cells     []results.CellResult
		slo       string
		what      string   // What(rec)
		tied      []string // rec.Tied
		failed    int      // cells left out
		tryLimits []int
		reasonHas string // a phrase the reason must hold
	}{
		{
			// A downstream of capacity 10: beyond it 95% fail fast, which
			// must not read as speed.
			name: "failing fast is never the answer",
			cells: []results.CellResult{
				cell("unbounded", 0, 2900, 24*ms, 95, 1<<20), cell("pool", 4, 200, 400*ms, 0, 1000),
				cell("pool", 8, 400, 210*ms, 0, 1000), cell("pool", 10, 500, 190*ms, 0, 1000), cell("pool", 64, 2800, 25*ms, 95, 1000),
			},
			what: "pool at 10", failed: 2,
		},
		{
			// CPU-bound work: every limit from GOMAXPROCS on is as fast; the
			// smallest that reaches 95% of the best is the limit.
			name: "the smallest limit within 95% of the best",
			cells: []results.CellResult{
				cell("pool", 1, 1000, 200*ms, 0, 1000), cell("pool", 2, 1990, 100*ms, 0, 1000),
				cell("pool", 8, 2000, 100*ms, 0, 1000), cell("pool", 16, 2005, 100*ms, 0, 1000),
			},
			what: "pool at 2 to 16", tied: []string{"pool 8", "pool 16"},
		},
		{
			// Tied goodput: the lower p99 wins, then the smaller heap.
			name: "ties go to the lower p99, then less memory",
			cells: []results.CellResult{
				cell("semaphore", 8, 1000, 150*ms, 0, 5000), cell("pool", 8, 1002, 100*ms, 0, 9000), cell("errgroup", 8, 1001, 100*ms, 0, 2000),
			},
			what: "errgroup at 8", tied: []string{"semaphore 8", "pool 8"}, tryLimits: []int{2, 4, 16, 32}, // one limit tried: open both ways
			reasonHas: "p99 within noise of the lowest, and the least memory of those",
		},
		{
			// The best is the largest limit tried: a larger one may do better.
			name: "an open answer says what to try",
			cells: []results.CellResult{
				cell("pool", 8, 400, 300*ms, 0, 1000), cell("pool", 32, 1600, 80*ms, 0, 1000),
			},
			what: "pool at 32", tryLimits: []int{64, 128},
		},
		{
			// Unbounded wins on waits; its cost is in the reason.
			name: "unbounded states its memory",
			cells: []results.CellResult{
				cell("unbounded", 0, 30000, 6*ms, 0, 4<<20), cell("pool", 8, 1400, 140*ms, 0, 70000),
			},
			what: "unbounded (no bound on tasks)",
		},
		{
			// The SLO leaves out a cell that meets the budget.
			name: "the SLO leaves a cell out",
			cells: []results.CellResult{
				cell("pool", 8, 400, 30*ms, 0, 1000), cell("pool", 64, 900, 80*ms, 0, 1000),
			},
			slo: "p99<=50ms", what: "pool at 8", failed: 1, tryLimits: []int{2, 4},
		},
		{
			// A cell that leaves goroutines running is fast by not waiting
			// for its work: never recommended.
			name: "a leaking cell is left out",
			cells: []results.CellResult{
				leaking(cell("pool", 8, 200000, ms/2, 0, 1000)), cell("pool", 16, 1300, 70*ms, 0, 1000),
			},
			what: "pool at 16", failed: 1, tryLimits: []int{32, 64},
		},
		{
			// Nothing qualifies: no strategy, and the reason says why.
			name:  "nothing qualifies",
			cells: []results.CellResult{cell("pool", 8, 400, 30*ms, 50, 1000)},
			what:  "nothing", failed: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var slo results.SLO
			if tc.slo != "" {
				var err error
				if slo, err = results.ParseSLO("slo", tc.slo); err != nil {
					t.Fatal(err)
				}
			}
			rec := Workload("w", tc.cells, results.DefaultErrorBudget, slo, 2)
			if got := What(rec); got != tc.what {
				t.Errorf("recommended %q, want %q (reason: %s)", got, tc.what, rec.Reason)
			}
			if !slices.Equal(rec.Tied, tc.tied) {
				t.Errorf("tied %q, want %q", rec.Tied, tc.tied)
			}
			if len(rec.Failed) != tc.failed {
				t.Errorf("left out %q, want %d cells", rec.Failed, tc.failed)
			}
			if !slices.Equal(rec.TryLimits, tc.tryLimits) {
				t.Errorf("try limits %v, want %v", rec.TryLimits, tc.tryLimits)
			}
			if !strings.Contains(rec.Reason, tc.reasonHas) {
				t.Errorf("reason %q lacks %q", rec.Reason, tc.reasonHas)
			}
			if rec.Reason == "" || strings.Count(rec.Reason, ". ") > 0 {
				t.Errorf("reason %q: want one sentence", rec.Reason)
			}
			if rec.Unbounded && !strings.Contains(rec.Reason, "goroutines") {
				t.Errorf("reason %q does not state an unbounded strategy's cost", rec.Reason)
			}
			if rec.WaitsFor != "timers or network" {
				t.Errorf("waits for %q (CPU share %v), want timers or network", rec.WaitsFor, rec.CPUShare)
			}
		})
	}
}

func TestWaitsFor(t *testing.T) {
	ms := time.Millisecond
	mk := func(cpu time.Duration, blocked int) results.CellResult {
		return results.CellResult{Summary: results.Repetition{Core: results.Core{Completed: 10, Service: results.Quantiles{Mean: 10 * ms}}, Runtime: results.Runtime{UserCPU: cpu, PeakBlocked: blocked}}}
	}
	for _, tc := range []struct {
		cell results.CellResult
		want string
	}{
		{mk(100*ms, 0), "cpu"},             // 10 ms of CPU a 10 ms task
		{mk(5*ms, 0), "timers or network"}, // 0.5 ms of 10
		{mk(5*ms, 50), "blocking calls"},   // 50 goroutines held threads in system calls
		{mk(50*ms, 0), "cpu and waiting"},  // half and half
		{mk(5*ms, 3), "timers or network"}, // a few in system calls for a moment: not blocking
	} {
		if got, _ := WaitsFor([]results.CellResult{tc.cell}, 2); got != tc.want {
			t.Errorf("CPU %v, blocked %d: %q, want %q", tc.cell.Summary.UserCPU, tc.cell.Summary.PeakBlocked, got, tc.want)
		}
	}
}
