package results

import (
	"errors"
	"math"
	"time"

	"github.com/montanaflynn/stats"
)

// Summarize computes a repetition's statistics from its samples (see
// Summarizer): every sample counts as submitted.
func Summarize(samples []Sample, wall time.Duration) Repetition {
	s := NewSummarizer()
	for _, x := range samples {
		s.Add(x)
	}
	return s.Repetition(len(samples), wall)
}

// Summarizer computes a repetition's statistics from samples as they
// come, in memory that does not grow with them: through HdrHistograms
// (see Histogram), so percentiles are nearest-rank values within 0.1% of
// the exact ones. Latencies cover every completed task, failed ones
// included, and ResponseOK the successful ones alone; throughput counts
// only successes. It is not safe for concurrent use.
type Summarizer struct {
	rep     Repetition
	hs      *Histograms
	classes map[string]*Histogram
}

// NewSummarizer returns an empty summarizer: four histograms, about 1 MiB.
func NewSummarizer() *Summarizer {
	return &Summarizer{hs: NewHistograms()}
}

// Add counts one sample; one that did not run to the end (Done false)
// adds nothing.
func (z *Summarizer) Add(s Sample) {
	if !s.Done {
		return
	}
	rep := &z.rep
	rep.Completed++
	if s.Err != nil {
		if rep.Errors == nil {
			rep.Errors = map[string]int{}
		}
		rep.Errors[ErrorKind(s.Err)]++
		var pe Panicked
		if len(rep.PanicStacks) < keptStacks && errors.As(s.Err, &pe) {
			trace := pe.PanicTrace()
			rep.PanicStacks = append(rep.PanicStacks, trace[:min(len(trace), 4096)])
		}
	}
	z.hs.Response.Record(s.Response())
	if s.Err == nil {
		z.hs.OK.Record(s.Response())
	}
	z.hs.Wait.Record(s.Wait())
	z.hs.Service.Record(s.Service())
	if s.Class != "" {
		if z.classes == nil {
			z.classes = map[string]*Histogram{}
		}
		if z.classes[s.Class] == nil {
			z.classes[s.Class] = NewHistogram()
		}
		z.classes[s.Class].Record(s.Response())
	}
}

// Response is the response-time histogram so far.
func (z *Summarizer) Response() *Histogram { return z.hs.Response }

// Repetition returns the statistics of what was added, with submitted
// tasks handed out (those not added never started) over wall.
func (z *Summarizer) Repetition(submitted int, wall time.Duration) Repetition {
	rep := z.rep
	rep.Wall, rep.Submitted = wall, submitted
	for class, h := range z.classes {
		if rep.Classes == nil {
			rep.Classes = map[string]Quantiles{}
		}
		rep.Classes[class] = h.Quantiles()
	}
	if wall > 0 {
		rep.Throughput = float64(rep.Completed-rep.ErrorCount()) / wall.Seconds()
	}
	rep.NotStarted = rep.Submitted - rep.Completed
	rep.Cancelled = rep.NotStarted + rep.Errors["canceled"]
	rep.Response, rep.Wait, rep.Service = z.hs.Response.Quantiles(), z.hs.Wait.Quantiles(), z.hs.Service.Quantiles()
	rep.ResponseOK = z.hs.OK.Quantiles()
	if rep.Completed > 0 {
		rep.Histograms = z.hs
	}
	rep.OutOfRange = z.hs.OutOfRange()
	return rep
}

// keptStacks is how many panic stacks a repetition keeps.
const keptStacks = 3

// nanos rounds a float count of nanoseconds to a Duration.
func nanos(v float64) time.Duration { return time.Duration(math.Round(v)) }

// Summarized returns the repetitions a cell's summary combines: the whole
// ones, or the interrupted ones when there is nothing else.
func Summarized(reps []Repetition) []Repetition {
	var out []Repetition
	for _, r := range reps {
		if !r.Interrupted {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return reps
	}
	return out
}

// Combine summarises the repetitions of a cell: every figure is the median
// over repetitions, except errors, which are summed.
func Combine(reps []Repetition) Repetition {
	if len(reps) == 0 {
		return Repetition{}
	}
	med := func(f func(Repetition) float64) float64 {
		d := make(stats.Float64Data, len(reps))
		for i, r := range reps {
			d[i] = f(r)
		}
		m, _ := stats.Median(d)
		return m
	}
	dur := func(f func(Repetition) time.Duration) time.Duration {
		return nanos(med(func(r Repetition) float64 { return float64(f(r)) }))
	}
	num := func(f func(Repetition) int) int {
		return int(med(func(r Repetition) float64 { return float64(f(r)) }))
	}
	lat := func(f func(Repetition) Quantiles) Quantiles {
		var out [quantileCount]time.Duration
		for k := range out {
			out[k] = dur(func(r Repetition) time.Duration { return f(r).array()[k] })
		}
		return quantilesFrom(out)
	}
	var errs map[string]int
	classes, counters := map[string]bool{}, map[string]bool{}
	for _, r := range reps {
		for k := range r.Classes {
			classes[k] = true
		}
		for k := range r.Counters {
			counters[k] = true
		}
		for k, n := range r.Errors {
			if errs == nil {
				errs = map[string]int{}
			}
			errs[k] += n
		}
	}
	var byClass map[string]Quantiles
	for k := range classes {
		if byClass == nil {
			byClass = map[string]Quantiles{}
		}
		byClass[k] = lat(func(r Repetition) Quantiles { return r.Classes[k] })
	}
	var counted map[string]float64
	for k := range counters {
		if counted == nil {
			counted = map[string]float64{}
		}
		counted[k] = med(func(r Repetition) float64 { return r.Counters[k] })
	}
	return Repetition{
		Wall:         dur(func(r Repetition) time.Duration { return r.Wall }),
		Ideal:        dur(func(r Repetition) time.Duration { return r.Ideal }),
		Efficiency:   med(func(r Repetition) float64 { return r.Efficiency }),
		Submitted:    num(func(r Repetition) int { return r.Submitted }),
		Completed:    num(func(r Repetition) int { return r.Completed }),
		Cancelled:    num(func(r Repetition) int { return r.Cancelled }),
		NotStarted:   num(func(r Repetition) int { return r.NotStarted }),
		Classes:      byClass,
		Counters:     counted,
		Errors:       errs,
		Throughput:   med(func(r Repetition) float64 { return r.Throughput }),
		Response:     lat(func(r Repetition) Quantiles { return r.Response }),
		ResponseOK:   lat(func(r Repetition) Quantiles { return r.ResponseOK }),
		Wait:         lat(func(r Repetition) Quantiles { return r.Wait }),
		Service:      lat(func(r Repetition) Quantiles { return r.Service }),
		PeakInFlight: num(func(r Repetition) int { return r.PeakInFlight }),
		TargetRate:   med(func(r Repetition) float64 { return r.TargetRate }),
		Late:         num(func(r Repetition) int { return r.Late }),
		Dropped:      num(func(r Repetition) int { return r.Dropped }),
		Histograms:   mergeHistograms(reps),
		OutOfRange:   sumInts(reps, func(r Repetition) int64 { return r.OutOfRange }),
		Runtime: Runtime{
			PeakGoroutines: num(func(r Repetition) int { return r.PeakGoroutines }),
			PeakHeap:       uint64(med(func(r Repetition) float64 { return float64(r.PeakHeap) })),
			PeakStacks:     uint64(med(func(r Repetition) float64 { return float64(r.PeakStacks) })),
			PeakMemory:     uint64(med(func(r Repetition) float64 { return float64(r.PeakMemory) })),
			PeakBlocked:    num(func(r Repetition) int { return r.PeakBlocked }),
			GCCycles:       uint64(med(func(r Repetition) float64 { return float64(r.GCCycles) })),
			SchedLatency:   dur(func(r Repetition) time.Duration { return r.SchedLatency }),
			Stall:          dur(func(r Repetition) time.Duration { return r.Stall }),
			UserCPU:        dur(func(r Repetition) time.Duration { return r.UserCPU }),
			SystemCPU:      dur(func(r Repetition) time.Duration { return r.SystemCPU }),
		},
	}
}

const quantileCount = 10

func (q Quantiles) array() [quantileCount]time.Duration {
	return [...]time.Duration{q.Min, q.Mean, q.P50, q.P75, q.P90, q.P95, q.P99, q.P999, q.P9999, q.Max}
}

func quantilesFrom(a [quantileCount]time.Duration) Quantiles {
	return Quantiles{Min: a[0], Mean: a[1], P50: a[2], P75: a[3], P90: a[4], P95: a[5], P99: a[6], P999: a[7], P9999: a[8], Max: a[9]}
}

func sumInts(reps []Repetition, f func(Repetition) int64) int64 {
	var n int64
	for _, r := range reps {
		n += f(r)
	}
	return n
}
