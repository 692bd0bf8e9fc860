// Package capacity turns a concurrency sweep into a capacity model: the
// Universal Scalability Law fitted to throughput, Little's-law checks of
// every point, and the highest concurrency that meets an SLO.
package capacity

import (
	"fmt"
	"math"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/gonum/optimize"
)

// MinPoints is the fewest distinct concurrencies a fit accepts: three
// coefficients need more points than that to be told apart from noise.
const MinPoints = 6

// Point is one measured concurrency and its throughput.
type Point struct {
	N float64 // concurrency
	X float64 // throughput, per second
}

// USL is the Universal Scalability Law; results.USL holds its one formula.
type USL = results.USL

// Fit fits the USL to points by least squares on relative residuals, so
// that every point weighs the same whatever its throughput. For given σ and
// κ the best λ has a closed form; σ in [0, 1] and κ >= 0 are searched by
// Nelder-Mead from nine starts. It needs MinPoints distinct concurrencies.
// It costs a few thousand model evaluations: milliseconds.
func Fit(points []Point) (results.USLFit, error) {
	distinct := map[float64]bool{}
	for _, p := range points {
		if !(p.N >= 1) || !(p.X > 0) || math.IsInf(p.N, 0) || math.IsInf(p.X, 0) {
			return results.USLFit{}, fmt.Errorf("point (%v, %v): concurrency must be >= 1 and throughput > 0", p.N, p.X)
		}
		distinct[p.N] = true
	}
	if len(distinct) < MinPoints {
		return results.USLFit{}, fmt.Errorf("%d distinct concurrencies; the fit needs at least %d", len(distinct), MinPoints)
	}
	model := func(x []float64) USL {
		sigma := 1 / (1 + math.Exp(-x[0]))
		kappa := math.Exp(x[1])
		u := USL{Sigma: sigma, Kappa: kappa, Lambda: 1}
		var num, den float64 // λ = Σ w X g / Σ w g², w = 1/X²
		for _, p := range points {
			g := u.X(p.N)
			num += g / p.X
			den += g * g / (p.X * p.X)
		}
		u.Lambda = num / den
		return u
	}
	cost := func(x []float64) float64 {
		u := model(x)
		var ss float64
		for _, p := range points {
			r := (p.X - u.X(p.N)) / p.X
			ss += r * r
		}
		return ss
	}
	var best *optimize.Result
	for _, s0 := range []float64{0.001, 0.05, 0.5} {
		for _, k0 := range []float64{1e-7, 1e-4, 1e-2} {
			start := []float64{math.Log(s0 / (1 - s0)), math.Log(k0)}
			r, err := optimize.Minimize(optimize.Problem{Func: cost}, start, nil, &optimize.NelderMead{})
			if err != nil && r == nil {
				continue
			}
			if best == nil || r.F < best.F {
				best = r
			}
		}
	}
	if best == nil {
		return results.USLFit{}, fmt.Errorf("the fit did not converge")
	}
	u := model(best.X)
	return describe(u, points), nil
}

// describe computes what a fit tells: R², the peak, the dominant term.
func describe(u USL, points []Point) results.USLFit {
	f := results.USLFit{USL: u}
	var mean, maxN float64
	for _, p := range points {
		mean += p.X / float64(len(points))
		maxN = max(maxN, p.N)
	}
	var res, tot float64
	for _, p := range points {
		res += (p.X - u.X(p.N)) * (p.X - u.X(p.N))
		tot += (p.X - mean) * (p.X - mean)
	}
	if tot > 0 {
		f.R2 = 1 - res/tot
	}
	// κ near 0 puts the peak far beyond the data: a number that large is an
	// extrapolation nobody should plan with.
	if u.Kappa > 0 {
		if n := math.Sqrt((1 - u.Sigma) / u.Kappa); n <= 4*maxN {
			f.PeakN, f.PeakX = n, u.X(n)
		}
	}
	if f.PeakN == 0 {
		f.Note = fmt.Sprintf("no retrograde point within range (up to %g, 4x the largest concurrency measured): throughput keeps rising, ever more slowly", 4*maxN)
	} else if f.PeakN > maxN {
		f.Note = fmt.Sprintf("the peak at %.0f lies beyond the largest concurrency measured (%g): an extrapolation", f.PeakN, maxN)
	}
	contention, coherency := u.Sigma*(maxN-1), u.Kappa*maxN*(maxN-1)
	switch {
	case contention < 0.05 && coherency < 0.05:
		f.Dominant = "neither: near-linear scaling over the range measured"
	case coherency > contention:
		f.Dominant = "coherency (kappa): throughput falls past the peak"
	default:
		f.Dominant = "contention (sigma): throughput levels off"
	}
	return f
}
