package capacity

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var sweep = []float64{1, 2, 4, 8, 16, 32, 64, 128, 256}

// synthetic samples the USL at the sweep's concurrencies, three points
// each, with multiplicative noise of ±noise.
func synthetic(u USL, noise float64, seed uint64) []Point {
	r := rand.New(rand.NewPCG(seed, 3))
	var pts []Point
	for _, n := range sweep {
		for range 3 {
			pts = append(pts, Point{N: n, X: u.X(n) * (1 + noise*(2*r.Float64()-1))})
		}
	}
	return pts
}

func within(got, want, tol float64) bool { return math.Abs(got-want) <= tol*math.Abs(want) }

// TestFitRecoversKnownCoefficients fits data made from known σ, κ and λ
// with 2% noise and expects each back within 5%.
func TestFitRecoversKnownCoefficients(t *testing.T) {
	models := []USL{
		{Lambda: 1000, Sigma: 0.05, Kappa: 0.0002}, // peak near 69
		{Lambda: 200, Sigma: 0.2, Kappa: 0.001},    // peak near 28
		{Lambda: 5000, Sigma: 0.02, Kappa: 0.00005},
	}
	for i, want := range models {
		for seed := range uint64(3) {
			got, err := Fit(synthetic(want, 0.02, seed+uint64(10*i)))
			if err != nil {
				t.Fatal(err)
			}
			if !within(got.Lambda, want.Lambda, 0.05) || !within(got.Sigma, want.Sigma, 0.05) || !within(got.Kappa, want.Kappa, 0.05) {
				t.Errorf("model %+v seed %d: fitted λ=%.4g σ=%.4g κ=%.4g, want each within 5%%", want, seed, got.Lambda, got.Sigma, got.Kappa)
			}
			peak := math.Sqrt((1 - want.Sigma) / want.Kappa)
			if !within(got.PeakN, peak, 0.05) || got.R2 < 0.99 {
				t.Errorf("model %+v: peak %.1f (want %.1f), R² %.4f", want, got.PeakN, peak, got.R2)
			}
		}
	}
}

func TestLinearSystemHasNoPeak(t *testing.T) {
	got, err := Fit(synthetic(USL{Lambda: 100, Sigma: 0, Kappa: 0}, 0.01, 1))
	if err != nil {
		t.Fatal(err)
	}
	if got.PeakN != 0 || got.PeakX != 0 || !strings.Contains(got.Note, "no retrograde point within range") {
		t.Errorf("linear system: peak %v at %v, note %q; want no peak", got.PeakX, got.PeakN, got.Note)
	}
	if !strings.HasPrefix(got.Dominant, "neither") {
		t.Errorf("dominant %q, want near-linear", got.Dominant)
	}
}

func TestFitNeedsSixConcurrencies(t *testing.T) {
	pts := synthetic(USL{Lambda: 100, Sigma: 0.1, Kappa: 0.001}, 0, 1)[:15] // 5 distinct concurrencies, 3 points each
	if _, err := Fit(pts); err == nil || err.Error() != "5 distinct concurrencies; the fit needs at least 6" {
		t.Errorf("err = %v", err)
	}
	if _, err := Fit([]Point{{N: 0, X: 1}}); err == nil {
		t.Error("a concurrency of 0 was accepted")
	}
}
