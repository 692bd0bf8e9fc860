// Package dist is a latency distribution: what the embedded target and
// the simulated-I/O workloads draw their latencies from. It is a leaf:
// the target needs nothing else of the engine.
package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// MaxLatency bounds every simulated latency, so that a typo cannot make a
// run last for days.
const MaxLatency = time.Hour

// Dist is a latency distribution around a median: constant, uniform
// (median ± Spread × median) or lognormal (sigma Spread).
type Dist struct {
	Kind   string // "constant", "uniform" or "lognormal"
	Median time.Duration
	Spread float64
}

// Kinds are the distributions Dist knows.
var Kinds = []string{"constant", "uniform", "lognormal"}

// Validate reports the first bad field as "field: problem", with the field
// named as in flags (latency, dist, spread).
func (d Dist) Validate() error {
	switch {
	case d.Median <= 0 || d.Median > MaxLatency:
		return fmt.Errorf("latency: %v is out of range (0, %v]", d.Median, MaxLatency)
	case d.Kind != "constant" && d.Kind != "uniform" && d.Kind != "lognormal":
		return fmt.Errorf("dist: %q is not one of constant, uniform, lognormal", d.Kind)
	case math.IsNaN(d.Spread) || d.Spread < 0:
		return fmt.Errorf("spread: %v must be >= 0", d.Spread)
	case d.Kind == "uniform" && d.Spread >= 1:
		return fmt.Errorf("spread: %v must be below 1 for a uniform distribution", d.Spread)
	case d.Kind == "lognormal" && d.Spread > 3:
		return fmt.Errorf("spread: %v is above 3, the largest lognormal sigma allowed", d.Spread)
	}
	return nil
}

// Draw returns one latency from r (nil: the global source, safe for
// concurrent use), capped at MaxLatency.
func (d Dist) Draw(r *rand.Rand) time.Duration {
	unit, normal := rand.Float64, rand.NormFloat64
	if r != nil {
		unit, normal = r.Float64, r.NormFloat64
	}
	v := float64(d.Median)
	switch d.Kind {
	case "uniform":
		v *= 1 + d.Spread*(2*unit()-1)
	case "lognormal":
		v *= math.Exp(d.Spread * normal())
	}
	return time.Duration(min(v, float64(MaxLatency)))
}
