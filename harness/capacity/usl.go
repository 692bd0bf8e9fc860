// Package capacity turns a concurrency sweep into a capacity model: the
// Universal Scalability Law fitted to throughput, Little's-law checks of
// every point, and the highest concurrency that meets an SLO.
package capacity

import (
	"fmt"
	"math"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat/distuv"
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

// Weighting chooses the residuals a fit minimises.
type Weighting string

const (
	// OLS is ordinary least squares on throughput, as the R package usl,
	// codahale/usl and Guerrilla Capacity Planning fit: the default.
	OLS Weighting = "ols"
	// Relative weighs each residual by 1/X, so that every point counts the
	// same whatever its throughput (low-concurrency points weigh more).
	Relative Weighting = "relative"
)

// Weightings are the weightings a fit takes.
func Weightings() []Weighting { return []Weighting{OLS, Relative} }

// Fit fits the USL to points by ordinary least squares (see FitWith).
func Fit(points []Point) (results.USLFit, error) { return FitWith(points, OLS) }

// FitWith fits the USL to points with weighting w, within the bounds the
// R package usl uses (σ and κ in [0, 1], λ >= 0). For given σ and κ the
// best λ has a closed form; σ and κ are searched by Nelder-Mead from nine
// starts, then polished by Gauss-Newton steps. It reports the standard
// errors of λ, σ and κ from the Jacobian (as R's nls and usl's summary()
// do), their 95% confidence intervals (Student t, n-3 degrees of
// freedom), and the peak's interval by the delta method. It needs
// MinPoints distinct concurrencies. It costs a few thousand model
// evaluations: milliseconds.
func FitWith(points []Point, w Weighting) (results.USLFit, error) {
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
	if w != OLS && w != Relative {
		return results.USLFit{}, fmt.Errorf("weighting %q: want ols or relative", w)
	}
	weight := func(p Point) float64 {
		if w == Relative {
			return 1 / (p.X * p.X)
		}
		return 1
	}
	// withLambda completes σ and κ with the λ that minimises the cost.
	withLambda := func(sigma, kappa float64) USL {
		u := USL{Sigma: sigma, Kappa: kappa, Lambda: 1}
		var num, den float64 // λ = Σ w X g / Σ w g²
		for _, p := range points {
			g := X(u, p.N)
			num += weight(p) * p.X * g
			den += weight(p) * g * g
		}
		u.Lambda = num / den
		return u
	}
	cost := func(u USL) float64 {
		var ss float64
		for _, p := range points {
			r := p.X - X(u, p.N)
			ss += weight(p) * r * r
		}
		return ss
	}
	// Nelder-Mead on σ = logistic(x0), κ = exp(x1): the bounds hold by
	// construction (κ's upper bound of 1 is far beyond any fit's).
	unbound := func(x []float64) USL { return withLambda(1/(1+math.Exp(-x[0])), math.Exp(x[1])) }
	var best *optimize.Result
	for _, s0 := range []float64{0.001, 0.05, 0.5} {
		for _, k0 := range []float64{1e-7, 1e-4, 1e-2} {
			start := []float64{math.Log(s0 / (1 - s0)), math.Log(k0)}
			r, err := optimize.Minimize(optimize.Problem{Func: func(x []float64) float64 { return cost(unbound(x)) }}, start, nil, &optimize.NelderMead{})
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
	u := polish(unbound(best.X), points, weight, cost)
	if u.Sigma < 1e-12 { // at its bound: 0, not floating-point dust
		u.Sigma = 0
	}
	if u.Kappa < 1e-15 {
		u.Kappa = 0
	}
	f := describe(u, points)
	f.Weighting = string(w)
	uncertainty(&f, points, weight, cost(u))
	return f, nil
}

// polish refines a fit by projected Gauss-Newton steps on λ, σ and κ, each
// kept only when it lowers the cost: Nelder-Mead stops near the minimum,
// and published coefficients are compared to four significant digits.
func polish(u USL, points []Point, weight func(Point) float64, cost func(USL) float64) USL {
	c := cost(u)
	for range 50 {
		var jtj mat.SymDense
		jtj.Reset()
		j := mat.NewDense(len(points), 3, nil)
		res := mat.NewVecDense(len(points), nil)
		for i, p := range points {
			sw := math.Sqrt(weight(p))
			g := Gradient(u, p.N)
			for k := range 3 {
				j.Set(i, k, sw*g[k])
			}
			res.SetVec(i, sw*(p.X-X(u, p.N)))
		}
		var step mat.VecDense
		if err := step.SolveVec(j, res); err != nil {
			break
		}
		next := USL{Lambda: max(u.Lambda+step.AtVec(0), 0), Sigma: min(max(u.Sigma+step.AtVec(1), 0), 1), Kappa: min(max(u.Kappa+step.AtVec(2), 0), 1)}
		nc := cost(next)
		if !(nc < c) {
			break
		}
		done := (c - nc) <= 1e-15*c
		u, c = next, nc
		if done {
			break
		}
	}
	return u
}

// uncertainty adds the standard errors, 95% intervals and covariance of λ,
// σ and κ, as nls computes them (residual variance times (JᵀJ)⁻¹), and
// the peak's interval by the delta method; a wide one becomes a note.
func uncertainty(f *results.USLFit, points []Point, weight func(Point) float64, rss float64) {
	df := len(points) - 3
	if df <= 0 {
		return
	}
	j := mat.NewDense(len(points), 3, nil)
	for i, p := range points {
		g := Gradient(f.USL, p.N)
		for k := range 3 {
			j.Set(i, k, math.Sqrt(weight(p))*g[k])
		}
	}
	var jtj, cov mat.Dense
	jtj.Mul(j.T(), j)
	if err := cov.Inverse(&jtj); err != nil {
		return // the points do not determine all three coefficients
	}
	rv := rss / float64(df)
	cov.Scale(rv, &cov)
	f.DF, f.RSE = df, math.Sqrt(rv)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
	for a := range 3 {
		for b := range 3 {
			f.Covariance[a][b] = cov.At(a, b)
		}
	}
	se := func(k int) float64 { return math.Sqrt(max(cov.At(k, k), 0)) }
	f.LambdaSE, f.SigmaSE, f.KappaSE = se(0), se(1), se(2)
	interval := func(v, s float64) [2]float64 { return [2]float64{v - t*s, v + t*s} }
	f.LambdaCI, f.SigmaCI, f.KappaCI = interval(f.Lambda, f.LambdaSE), interval(f.Sigma, f.SigmaSE), interval(f.Kappa, f.KappaSE)
	if f.PeakN > 0 {
		// N* = sqrt((1-σ)/κ): ∂N*/∂σ = -1/(2κN*), ∂N*/∂κ = -N*/(2κ).
		g := [3]float64{0, -1 / (2 * f.Kappa * f.PeakN), -f.PeakN / (2 * f.Kappa)}
		var v float64
		for a := range 3 {
			for b := range 3 {
				v += g[a] * f.Covariance[a][b] * g[b]
			}
		}
		f.PeakCI = interval(f.PeakN, math.Sqrt(max(v, 0)))
		if lo, hi := f.PeakCI[0], f.PeakCI[1]; lo <= 0 || hi > 2*lo {
			f.Warnings = append(f.Warnings, fmt.Sprintf("the peak is uncertain: its 95%% interval runs from %.0f to %.0f; measure more points around it before planning with it", max(lo, 0), hi))
		}
	}
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
		res += (p.X - X(u, p.N)) * (p.X - X(u, p.N))
		tot += (p.X - mean) * (p.X - mean)
	}
	if tot > 0 {
		f.R2 = 1 - res/tot
	}
	// κ near 0 puts the peak far beyond the data: a number that large is an
	// extrapolation nobody should plan with.
	if u.Kappa > 0 {
		if n := math.Sqrt((1 - u.Sigma) / u.Kappa); n <= 4*maxN {
			f.PeakN, f.PeakX = n, X(u, n)
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
