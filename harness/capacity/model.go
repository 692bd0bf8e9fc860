package capacity

import (
	"math"

	"github.com/concbench/concbench/harness/results"
)

// X is the USL's throughput at concurrency n,
//
//	X(N) = λN / (1 + σ(N−1) + κN(N−1)).
func X(u results.USL, n float64) float64 {
	return u.Lambda * n / (1 + u.Sigma*(n-1) + u.Kappa*n*(n-1))
}

// Gradient is ∂X/∂(λ, σ, κ) at concurrency n.
func Gradient(u results.USL, n float64) [3]float64 {
	d := 1 + u.Sigma*(n-1) + u.Kappa*n*(n-1)
	return [3]float64{n / d, -u.Lambda * n * (n - 1) / (d * d), -u.Lambda * n * n * (n - 1) / (d * d)}
}

// Band is the fitted throughput at n with the half-width of its 95%
// confidence band (delta method on the covariance; t is the Student
// quantile for the fit's degrees of freedom). It is 0 wide when the fit
// has no covariance.
func Band(f results.USLFit, n, t float64) (x, halfWidth float64) {
	g := Gradient(f.USL, n)
	var v float64
	for a := range 3 {
		for b := range 3 {
			v += g[a] * f.Covariance[a][b] * g[b]
		}
	}
	return X(f.USL, n), t * math.Sqrt(max(v, 0))
}
