package capacity

import (
	"math"
	"sort"

	"github.com/concbench/concbench/harness/results"
)

// LittleTolerance is how far throughput x mean service time may stray from
// the concurrency before a point is flagged.
const LittleTolerance = 0.10

// DefaultErrorBudget is the share of failed tasks above which a point is
// left out of the USL fit when the SLO sets no error condition.
const DefaultErrorBudget = 0.01

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
			met := len(fails) == 0
			p.SLOMet, p.SLOFails = &met, fails
			if met && c.Limit > r.SLOLimit {
				r.SLOLimit = c.Limit
			}
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
	best := 0.0
	for _, p := range r.Points {
		best = max(best, p.Throughput)
	}
	for _, p := range r.Points {
		if p.Throughput >= KneeShare*best {
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
	return r
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
