package results

import (
	"maps"
	"math"
	"slices"
	"time"
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
		if pe, ok := find[Panicked](s.Err); ok && len(rep.PanicStacks) < keptStacks {
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

// Merge adds what o summarised to z; o is left as it was.
func (z *Summarizer) Merge(o *Summarizer) {
	z.rep.Completed += o.rep.Completed
	for k, n := range o.rep.Errors {
		if z.rep.Errors == nil {
			z.rep.Errors = map[string]int{}
		}
		z.rep.Errors[k] += n
	}
	for _, st := range o.rep.PanicStacks {
		if len(z.rep.PanicStacks) < keptStacks {
			z.rep.PanicStacks = append(z.rep.PanicStacks, st)
		}
	}
	z.hs.Merge(o.hs)
	for class, h := range o.classes {
		if z.classes == nil {
			z.classes = map[string]*Histogram{}
		}
		if z.classes[class] == nil {
			z.classes[class] = NewHistogram()
		}
		z.classes[class].Merge(h)
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

// Snapshot is Repetition with copies of the histograms, marked
// interrupted: what a checkpoint keeps of a repetition still running,
// while samples go on being added.
func (z *Summarizer) Snapshot(submitted int, wall time.Duration) Repetition {
	rep := z.Repetition(submitted, wall)
	if rep.Histograms != nil {
		rep.Histograms = rep.Histograms.Snapshot()
	}
	rep.Errors = maps.Clone(rep.Errors)
	rep.PanicStacks = slices.Clone(rep.PanicStacks)
	rep.Interrupted = true
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

// Combine summarises the repetitions of a cell, each sub-record by its
// own rule: every scalar as its rule tag says (mostly the median over
// repetitions), errors summed, and each quantile the median of the
// repetitions' (the quantiles of a typical repetition, as the spreads
// beside them are; the merged histograms, kept beside them, hold every
// task of every repetition, for percentile curves and shards).
func Combine(reps []Repetition) Repetition {
	if len(reps) == 0 {
		return Repetition{}
	}
	out := Repetition{
		Core:     combineCore(reps),
		OpenLoop: byRules(parts(reps, func(r Repetition) OpenLoop { return r.OpenLoop }), combining),
		Runtime:  byRules(parts(reps, func(r Repetition) Runtime { return r.Runtime }), combining),
		Classes:  combineClasses(reps),
		Counters: combineCounters(reps),
	}
	for _, r := range reps {
		if len(r.Leaks) > 0 {
			out.Leaks = slices.Clone(r.Leaks)
			break
		}
	}
	return out
}

// combineCore combines the core of reps: scalars by rule, errors summed,
// quantiles by median, histograms merged.
func combineCore(reps []Repetition) Core {
	c := byRules(parts(reps, func(r Repetition) Core { return r.Core }), combining)
	for _, r := range reps {
		c.Errors = addCounts(c.Errors, r.Errors)
	}
	c.Response = medianQuantiles(reps, func(r Repetition) Quantiles { return r.Response })
	c.ResponseOK = medianQuantiles(reps, func(r Repetition) Quantiles { return r.ResponseOK })
	c.Wait = medianQuantiles(reps, func(r Repetition) Quantiles { return r.Wait })
	c.Service = medianQuantiles(reps, func(r Repetition) Quantiles { return r.Service })
	c.Histograms = mergeHistograms(reps)
	return c
}

// medianQuantiles is each quantile's median over reps.
func medianQuantiles(reps []Repetition, f func(Repetition) Quantiles) Quantiles {
	var out [quantileCount]time.Duration
	values := make([]float64, len(reps))
	for k := range out {
		for i, r := range reps {
			values[i] = float64(f(r).array()[k])
		}
		out[k] = nanos(reduce("median", values))
	}
	return quantilesFrom(out)
}

// combineClasses is each class's quantiles, medians over the repetitions
// that have it (a repetition without the class counts as zero).
func combineClasses(reps []Repetition) Classes {
	var out Classes
	for _, r := range reps {
		for k := range r.Classes {
			if _, done := out[k]; done {
				continue
			}
			if out == nil {
				out = Classes{}
			}
			out[k] = medianQuantiles(reps, func(r Repetition) Quantiles { return r.Classes[k] })
		}
	}
	return out
}

// combineCounters is each counter's median over the repetitions.
func combineCounters(reps []Repetition) Counters {
	var out Counters
	values := make([]float64, len(reps))
	for _, r := range reps {
		for k := range r.Counters {
			if _, done := out[k]; done {
				continue
			}
			if out == nil {
				out = Counters{}
			}
			for i, r := range reps {
				values[i] = r.Counters[k]
			}
			out[k] = reduce("median", values)
		}
	}
	return out
}

const quantileCount = 10

func (q Quantiles) array() [quantileCount]time.Duration {
	return [...]time.Duration{q.Min, q.Mean, q.P50, q.P75, q.P90, q.P95, q.P99, q.P999, q.P9999, q.Max}
}

func quantilesFrom(a [quantileCount]time.Duration) Quantiles {
	return Quantiles{Min: a[0], Mean: a[1], P50: a[2], P75: a[3], P90: a[4], P95: a[5], P99: a[6], P999: a[7], P9999: a[8], Max: a[9]}
}
