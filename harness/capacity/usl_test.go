package capacity

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/goleak"
	"gonum.org/v1/gonum/stat/distuv"
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
			pts = append(pts, Point{N: n, X: X(u, n) * (1 + noise*(2*r.Float64()-1))})
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

// The R package usl's example data sets (Gunther, Guerrilla Capacity
// Planning), as its data/ folder holds them.
var (
	specsdm91 = []Point{{1, 64.9}, {18, 995.9}, {36, 1652.4}, {72, 1853.2}, {108, 1828.9}, {144, 1775.0}, {216, 1702.2}}
	raytracer = []Point{{1, 20}, {4, 78}, {8, 130}, {12, 170}, {16, 190}, {20, 200}, {24, 210}, {28, 230}, {32, 260}, {48, 280}, {64, 310}}
)

// TestFitReproducesTheRPackage fits the data sets the R package usl
// publishes results for, by ordinary least squares, and compares with its
// coefficients and standard errors to 0.1% (tests/summary.Rout.save,
// README.md and tests/confint.Rout.save of the package).
func TestFitReproducesTheRPackage(t *testing.T) {
	tests := []struct {
		name                  string
		points                []Point
		sigma, kappa, lambda  float64 // alpha, beta, gamma in usl's names
		sigmaSE, kappaSE, lSE float64 // 0: not published
	}{
		{"specsdm91 (summary)", specsdm91, 0.0277285, 0.0001044, 89.9952330, 0.0091217, 0.0000199, 14.2134894},
		{"raytracer[1:6] (confint)", raytracer[:6], 0.02444, 0.00163, 20.85605, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Fit(tt.points)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("σ %.7g ± %.4g, κ %.7g ± %.4g, λ %.7g ± %.4g, RSE %.4g on %d df", f.Sigma, f.SigmaSE, f.Kappa, f.KappaSE, f.Lambda, f.LambdaSE, f.RSE, f.DF)
			// Published to 3 to 4 significant digits: 0.1%, or half a unit of the last digit shown.
			check := func(name string, got, want float64) {
				if want != 0 && !within(got, want, 0.001) && math.Abs(got-want) > halfUnit(want) {
					t.Errorf("%s = %.7g, want %.7g (usl)", name, got, want)
				}
			}
			check("sigma", f.Sigma, tt.sigma)
			check("kappa", f.Kappa, tt.kappa)
			check("lambda", f.Lambda, tt.lambda)
			check("sigma SE", f.SigmaSE, tt.sigmaSE)
			check("kappa SE", f.KappaSE, tt.kappaSE)
			check("lambda SE", f.LambdaSE, tt.lSE)
			if f.Weighting != "ols" || f.SigmaCI[0] >= f.Sigma || f.SigmaCI[1] <= f.Sigma {
				t.Errorf("weighting %q, σ interval %v", f.Weighting, f.SigmaCI)
			}
			if tt.sigmaSE == 0 {
				// usl's confint() is estimate ± SE × qt(0.95, n-1): its published
				// intervals check our standard errors.
				q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(tt.points) - 1)}.Quantile(0.95)
				check("sigma interval low", f.Sigma-q*f.SigmaSE, 0.00754)
				check("sigma interval high", f.Sigma+q*f.SigmaSE, 0.04135)
				check("kappa interval low", f.Kappa-q*f.KappaSE, 0.00110)
				check("kappa interval high", f.Kappa+q*f.KappaSE, 0.00215)
				check("lambda interval low", f.Lambda-q*f.LambdaSE, 19.26717)
				check("lambda interval high", f.Lambda+q*f.LambdaSE, 22.44492)
			}
		})
	}
}

// halfUnit is half a unit in the last of the digits a published value
// shows (0.02444 -> 0.000005).
func halfUnit(v float64) float64 {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return 0.5 * math.Pow(10, -float64(len(s)-i-1))
	}
	return 0.5
}

// TestRelativeWeightingIsKept checks the option: on the same data, relative
// residuals give other coefficients than least squares.
func TestRelativeWeightingIsKept(t *testing.T) {
	ols, _ := FitWith(specsdm91, OLS)
	rel, err := FitWith(specsdm91, Relative)
	if err != nil || rel.Weighting != "relative" || within(rel.Sigma, ols.Sigma, 0.01) {
		t.Errorf("relative: σ %.4g (OLS %.4g), %v", rel.Sigma, ols.Sigma, err)
	}
	if _, err := FitWith(specsdm91, "huber"); err == nil {
		t.Error("an unknown weighting was accepted")
	}
}

// TestWidePeakIntervalWarns fits noisy points that stop at half the peak:
// the peak is an extrapolation with a wide interval, and the fit says so;
// specsdm91's peak, inside its data, does not warn.
func TestWidePeakIntervalWarns(t *testing.T) {
	u := USL{Lambda: 100, Sigma: 0.02, Kappa: 0.0003} // peak near 57
	var short []Point
	for i, n := range []float64{1, 2, 4, 8, 12, 16, 24, 32} {
		noise := 1 + 0.05*float64(1-2*(i%2)) // ±5%, alternating
		short = append(short, Point{N: n, X: X(u, n) * noise})
	}
	f, err := Fit(short)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("peak %.0f, interval %.0f to %.0f, warnings %q", f.PeakN, f.PeakCI[0], f.PeakCI[1], f.Warnings)
	if f.PeakN == 0 || len(f.Warnings) != 1 || !strings.HasPrefix(f.Warnings[0], "the peak is uncertain: its 95% interval runs from ") {
		t.Errorf("peak %.0f with interval %v: warnings %q", f.PeakN, f.PeakCI, f.Warnings)
	}
	spec, _ := Fit(specsdm91)
	if len(spec.Warnings) != 0 || spec.PeakCI[0] < 60 || spec.PeakCI[1] > 130 {
		t.Errorf("specsdm91: peak interval %v, warnings %q", spec.PeakCI, spec.Warnings)
	}
}
