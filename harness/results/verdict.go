package results

import (
	"math"

	"github.com/montanaflynn/stats"
	"golang.org/x/perf/benchmath"
)

// DefaultErrorBudget is the share of a cell's tasks that may fail (or
// never run) before the cell counts as failed, when no SLO sets one.
const DefaultErrorBudget = 0.01

// SpreadConfidence is the confidence of a spread's interval: 95%, as
// benchstat prints.
const SpreadConfidence = 0.95

// Budget is the run's error budget: the SLO's when the plan has one that
// sets errors or success, else DefaultErrorBudget.
func (p PlanRecord) Budget() float64 {
	if p.SLO != "" {
		if slo, err := ParseSLO("slo", p.SLO); err == nil {
			if b, ok := slo.ErrorBudget(); ok {
				return b
			}
		}
	}
	return DefaultErrorBudget
}

// FailedFraction is the share of the cell's submitted tasks that did not
// succeed (they failed, or never ran), over the repetitions its summary
// combines: what a caller of the work lost.
func (c CellResult) FailedFraction() float64 {
	submitted, ok := 0, 0
	for _, r := range Summarized(c.Repetitions) {
		submitted, ok = submitted+r.Submitted, ok+r.Succeeded()
	}
	if submitted == 0 {
		return 0
	}
	return float64(submitted-ok) / float64(submitted)
}

// OverBudget reports whether the cell failed: it produced nothing (an
// isolated cell that died), or more of its tasks failed than budget. A
// failed cell has no efficiency and is never recommended.
func (c CellResult) OverBudget(budget float64) bool {
	return c.Failed != "" || len(c.Repetitions) == 0 || c.FailedFraction() > budget
}

// Spread is the noise of one figure over a cell's repetitions: the median
// and an interval around it. With enough repetitions (6 for 95%) it is a
// distribution-free confidence interval of the median, as benchstat
// prints; with fewer it is the range, min to max, and Confidence is 0.
type Spread struct {
	Median     float64 `json:"median"`
	Lo         float64 `json:"lo"`
	Hi         float64 `json:"hi"`
	Confidence float64 `json:"confidence,omitempty"` // 0: Lo and Hi are min and max
}

// SpreadOf is the spread of values (one per repetition).
func SpreadOf(values []float64) Spread {
	if len(values) == 0 {
		return Spread{}
	}
	sum := benchmath.AssumeNothing.Summary(benchmath.NewSample(values, &benchmath.DefaultThresholds), SpreadConfidence)
	if math.IsInf(sum.Lo, 0) || math.IsInf(sum.Hi, 0) || math.IsNaN(sum.Lo) {
		lo, _ := stats.Min(values)
		hi, _ := stats.Max(values)
		return Spread{Median: sum.Center, Lo: lo, Hi: hi}
	}
	return Spread{Median: sum.Center, Lo: sum.Lo, Hi: sum.Hi, Confidence: sum.Confidence}
}

// Spread is the spread of f over the repetitions the cell's summary
// combines.
func (c CellResult) Spread(f func(Repetition) float64) Spread {
	reps := Summarized(c.Repetitions)
	values := make([]float64, len(reps))
	for i, r := range reps {
		values[i] = f(r)
	}
	return SpreadOf(values)
}

// Overlaps reports whether the two intervals share a value: within noise
// of each other.
func (s Spread) Overlaps(o Spread) bool { return s.Lo <= o.Hi && o.Lo <= s.Hi }

// Pct is the interval's larger distance from the median, as a share of the
// median (benchstat's "± 3%"); 0 for a zero median.
func (s Spread) Pct() float64 {
	if s.Median == 0 {
		return 0
	}
	return max(s.Hi-s.Median, s.Median-s.Lo) / math.Abs(s.Median)
}

// Goodput is the successful tasks a second of one repetition.
func Goodput(r Repetition) float64 { return r.Throughput }

// ResponseP99 is a repetition's response-time p99, in nanoseconds.
func ResponseP99(r Repetition) float64 { return float64(r.Response.P99) }
