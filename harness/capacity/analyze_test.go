package capacity

import (
	"slices"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/results"
)

// cellAt is a sweep point: limit, goodput per second and failed share, over
// three repetitions of one second.
func cellAt(limit int, goodput, failed float64) results.CellResult {
	rep := results.Repetition{Core: results.Core{Wall: time.Second, Submitted: 1000, Completed: 1000, Throughput: goodput, Service: results.Quantiles{Mean: time.Duration(float64(limit) / goodput * float64(time.Second))}}}
	if failed > 0 {
		rep.Errors = map[string]int{"http-503": int(failed * 1000)}
	}
	c := results.CellResult{Workload: "http", Strategy: "semaphore", Limit: limit, Repetitions: []results.Repetition{rep, rep, rep}}
	c.Summary = results.Combine(c.Repetitions)
	return c
}

// TestFitLeavesOutFailingPoints sweeps a system that rejects most requests
// past 32: those points are left out of the fit with a note, at the
// default budget and at the SLO's.
func TestFitLeavesOutFailingPoints(t *testing.T) {
	u := USL{Lambda: 100, Sigma: 0.05, Kappa: 0.0005}
	var cells []results.CellResult
	for _, n := range []int{1, 2, 4, 8, 16, 32} {
		cells = append(cells, cellAt(n, X(u, float64(n)), 0))
	}
	cells = append(cells, cellAt(64, 300, 0.7), cellAt(128, 150, 0.88)) // fast 503s
	r := Analyze(cells, nil, OLS)
	if r.ErrorBudget != DefaultErrorBudget || !slices.Equal(r.FitExcluded, []float64{64, 128}) || r.Fit == nil {
		t.Fatalf("budget %v, excluded %v, fit %v (%s)", r.ErrorBudget, r.FitExcluded, r.Fit, r.FitError)
	}
	if !within(r.Fit.Sigma, u.Sigma, 0.01) || !within(r.Fit.Kappa, u.Kappa, 0.01) {
		t.Errorf("fitted σ=%.4g κ=%.4g from the healthy points, want %.4g and %.4g", r.Fit.Sigma, r.Fit.Kappa, u.Sigma, u.Kappa)
	}
	slo, _ := results.ParseSLO("slo", "errors<75%")
	if r := Analyze(cells, slo, OLS); r.ErrorBudget != 0.75 || !slices.Equal(r.FitExcluded, []float64{128}) {
		t.Errorf("with errors<75%%: budget %v, excluded %v", r.ErrorBudget, r.FitExcluded)
	}
}

// TestRecommendedLimitStopsAtTheBudget is the sweep of a downstream of
// capacity 16 that answers 503 beyond it: the points beyond fail fast
// within the latency bound, so the SLO alone would recommend 64. They
// fail the SLO on errors, stay out of the knee, and the limit is 16, set
// by the error budget.
func TestRecommendedLimitStopsAtTheBudget(t *testing.T) {
	var cells []results.CellResult
	for _, p := range []struct {
		n          int
		goodput    float64
		p99        time.Duration
		errPerHund int
	}{{1, 47, 25e6, 0}, {2, 94, 25e6, 0}, {4, 188, 27e6, 0}, {8, 373, 25e6, 0}, {16, 714, 24e6, 0}, {24, 667, 23e6, 93}, {32, 723, 22e6, 95}, {64, 623, 29e6, 95}} {
		c := results.CellResult{Workload: "http", Strategy: "pool", Limit: p.n}
		for range 3 {
			r := results.Repetition{Core: results.Core{Submitted: 100, Completed: 100, Throughput: p.goodput, Wall: time.Second, Service: results.Quantiles{Mean: 21e6, P99: p.p99}}}
			if p.errPerHund > 0 {
				r.Errors = map[string]int{"http-503": p.errPerHund}
			}
			c.Repetitions = append(c.Repetitions, r)
		}
		c.Summary = results.Combine(c.Repetitions)
		cells = append(cells, c)
	}
	slo, err := results.ParseSLO("slo", "p99<=100ms")
	if err != nil {
		t.Fatal(err)
	}
	r := Analyze(cells, slo, "")
	if r.SLOLimit != 16 || r.Bound != "error budget" {
		t.Errorf("recommended %d, bound %q; want 16, set by the error budget", r.SLOLimit, r.Bound)
	}
	if r.Knee != 16 {
		t.Errorf("knee %v, want 16: failing points are not throughput", r.Knee)
	}
	for _, p := range r.Points {
		if met := *p.SLOMet; met != (p.Concurrency <= 16) {
			t.Errorf("concurrency %g: SLO met %v (%v)", p.Concurrency, met, p.SLOFails)
		}
	}
}

// TestRecommendedLimitStopsAtThePeak: past the measured peak, goodput
// falls, and the SLO still holds; the limit stops at the peak.
func TestRecommendedLimitStopsAtThePeak(t *testing.T) {
	var cells []results.CellResult
	for n, x := range map[int]float64{1: 100, 2: 190, 4: 340, 8: 420, 16: 230, 32: 120} {
		c := results.CellResult{Workload: "fsync", Strategy: "pool", Limit: n}
		for range 3 {
			c.Repetitions = append(c.Repetitions, results.Repetition{Core: results.Core{Submitted: 100, Completed: 100, Throughput: x, Wall: time.Second, Service: results.Quantiles{Mean: 5e6, P99: 10e6}}})
		}
		c.Summary = results.Combine(c.Repetitions)
		cells = append(cells, c)
	}
	slo, _ := results.ParseSLO("slo", "p99<=20ms")
	if r := Analyze(cells, slo, ""); r.SLOLimit > 8 || r.Bound != "peak" {
		t.Errorf("recommended %d, bound %q; want at most the peak, 8, set by the peak", r.SLOLimit, r.Bound)
	}
}
