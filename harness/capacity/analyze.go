package capacity

import (
	"fmt"
	"math"
	"sort"

	"github.com/concbench/concbench/harness/results"
)

// LittleTolerance is how far throughput x mean service time may stray from
// the concurrency before a point is flagged.
const LittleTolerance = 0.10

// DefaultErrorBudget is the share of failed tasks above which a point is
// left out of the USL fit, and fails the SLO, when the SLO sets no error
// condition.
const DefaultErrorBudget = results.DefaultErrorBudget

// KneeShare defines the knee: the first concurrency whose throughput
// reaches this share of the best measured.
const KneeShare = 0.9

// Analyze builds the capacity report of a concurrency sweep: one cell per
// limit of one workload and strategy. For each limit it takes the medians
// over repetitions, checks Little's law (tasks in service = throughput x
// mean service time), checks slo when given, finds the knee, and fits the
// USL to goodput (the throughput of successful tasks), leaving out points
// whose failed share passes the error budget (the SLO's, else 1%).
//
// Latency here is service time, the time a task spends in the system: in a
// closed-loop batch, the time spent queued for the strategy is the
// harness's batch, not the service's queue, and would grow with the batch.
func Analyze(cells []results.CellResult, slo results.SLO, w Weighting) *results.CapacityReport {
	r := &results.CapacityReport{SLO: slo.String(), ErrorBudget: DefaultErrorBudget}
	if b, ok := slo.ErrorBudget(); ok {
		r.ErrorBudget = b
	}
	var pts []Point
	sorted := append([]results.CellResult(nil), cells...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Limit < sorted[j].Limit })
	for _, c := range sorted {
		s := c.Summary
		r.Workload, r.Strategy = c.Workload, c.Strategy
		p := results.CapacityPoint{
			Concurrency:  float64(c.Limit),
			Throughput:   s.Throughput,
			MeanResponse: s.Service.Mean,
			P99:          s.Service.P99,
		}
		var errs, done int
		inService := make([]results.Repetition, len(c.Repetitions))
		for i, rep := range c.Repetitions {
			errs, done = errs+rep.ErrorCount(), done+rep.Completed
			rep.Response = rep.Service
			inService[i] = rep
		}
		if done > 0 {
			p.ErrorRatio = float64(errs) / float64(done)
		}
		if c.Limit > 0 && s.Wall > 0 {
			completions := float64(s.Completed) / s.Wall.Seconds()
			p.Little = completions * s.Service.Mean.Seconds() / float64(c.Limit)
			p.LittleOK = math.Abs(p.Little-1) <= LittleTolerance
		}
		if slo != nil {
			fails := slo.CheckReps(inService)
			if p.ErrorRatio > r.ErrorBudget {
				// Failing fast can meet a latency bound; it never meets an SLO.
				fails = append(fails, fmt.Sprintf("errors %.0f%% over the %g%% budget", 100*p.ErrorRatio, 100*r.ErrorBudget))
			}
			met := len(fails) == 0
			p.SLOMet, p.SLOFails = &met, fails
		}
		r.Points = append(r.Points, p)
		if p.ErrorRatio > r.ErrorBudget {
			r.FitExcluded = append(r.FitExcluded, p.Concurrency)
			continue
		}
		for _, rep := range c.Repetitions {
			if rep.Throughput > 0 && c.Limit > 0 {
				pts = append(pts, Point{N: float64(c.Limit), X: rep.Throughput})
			}
		}
	}
	best := 0.0 // of the points within the error budget: failing fast is not throughput
	for _, p := range r.Points {
		if p.ErrorRatio <= r.ErrorBudget {
			best = max(best, p.Throughput)
		}
	}
	for _, p := range r.Points {
		if p.ErrorRatio <= r.ErrorBudget && p.Throughput >= KneeShare*best {
			r.Knee = p.Concurrency
			break
		}
	}
	fit, err := FitWith(pts, w)
	if err != nil {
		r.FitError = err.Error()
	} else {
		r.Fit = &fit
	}
	if slo != nil {
		r.SLOLimit, r.Bound = recommendLimit(r)
	}
	return r
}

// recommendLimit is the highest concurrency measured that meets the SLO
// within the error budget, capped at the measured peak of goodput (among
// points within the budget) and at the USL's peak (the top of its 95%
// interval, or the peak itself): past a peak, more concurrency serves
// less. It returns 0 when no point qualifies, and the bound that set the
// answer: what the next concurrency measured above it failed.
func recommendLimit(r *results.CapacityReport) (int, string) {
	peakN, best := 0.0, 0.0
	for _, p := range r.Points {
		if p.ErrorRatio <= r.ErrorBudget && p.Throughput > best {
			peakN, best = p.Concurrency, p.Throughput
		}
	}
	ceiling := peakN
	if f := r.Fit; f != nil && f.PeakN > 0 {
		ceiling = min(ceiling, max(f.PeakN, f.PeakCI[1]))
	}
	limit := 0.0
	for _, p := range r.Points {
		if p.SLOMet != nil && *p.SLOMet && p.Concurrency <= ceiling {
			limit = max(limit, p.Concurrency)
		}
	}
	if limit == 0 {
		return 0, "slo"
	}
	for _, p := range r.Points {
		if p.Concurrency <= limit {
			continue
		}
		switch {
		case p.ErrorRatio > r.ErrorBudget:
			return int(limit), "error budget"
		case p.SLOMet != nil && !*p.SLOMet:
			return int(limit), "slo"
		}
		return int(limit), "peak"
	}
	return int(limit), "sweep"
}

// FromPoints builds the capacity report of measurements taken elsewhere.
func FromPoints(pts []Point, w Weighting) (*results.CapacityReport, error) {
	fit, err := FitWith(pts, w)
	if err != nil {
		return nil, err
	}
	r := &results.CapacityReport{Workload: "measurements", Fit: &fit}
	for _, p := range pts {
		r.Points = append(r.Points, results.CapacityPoint{Concurrency: p.N, Throughput: p.X, LittleOK: true})
	}
	return r, nil
}
