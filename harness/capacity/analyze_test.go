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
	rep := results.Repetition{Wall: time.Second, Submitted: 1000, Completed: 1000, Throughput: goodput,
		Service: results.Quantiles{Mean: time.Duration(float64(limit) / goodput * float64(time.Second))}}
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
		cells = append(cells, cellAt(n, u.X(float64(n)), 0))
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
