package load

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/results"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Attack is one open-loop attack: requests sent on a schedule whatever the
// target does, with latency measured from each request's intended send
// time, so a stalled target shows in the percentiles (no coordinated
// omission).
type Attack struct {
	httpclient.Request
	Pacing   Pacing
	Duration time.Duration
	// MaxWorkers bounds the requests in flight: past it the attack falls
	// behind (late, then dropped requests) instead of collapsing.
	MaxWorkers uint64
	Timeout    time.Duration
	// LateAfter is how far past its intended time a request counts as late.
	LateAfter time.Duration
	// Shard is the part of the schedule this generator sends; the zero
	// value sends all of it.
	Shard Shard
	// Client is the HTTP client it sends through, one of Clients; empty
	// is the first.
	Client string
	// BeginAt is when the schedule's time 0 is: the attack prepares (its
	// connections) first, then waits for it. Zero, or a time past, is at
	// once. Shards of one attack begin together so.
	BeginAt time.Time
	// Targets, when given, are the requests the attack mixes by weight,
	// instead of Request's method, URL, header and body; the rest of
	// Request applies to each. Each target's name is a task class of the
	// results, and counts "<name>-requests" and "<name>-errors".
	Targets []httpclient.Target
	// MaxLateness is how much later than this machine's timer resolution
	// the attack may send its requests at p99 before its latencies count
	// as including its own delay; zero is results.GeneratorLateness.
	MaxLateness time.Duration
}

// IntervalLength is the span of each of an attack's intervals.
const IntervalLength = time.Second

// Output receives an attack's results as they arrive, so that nothing of
// them need stay in memory: a vegeta encoder, an HdrHistogram interval
// log. Its methods are called on the attack's goroutine, about in the
// order the responses complete; an error stops the attack.
type Output interface {
	// Result receives each response as it completes; r is reused after
	// the call returns.
	Result(r *vegeta.Result) error
	// Interval receives each interval once it is over: its figures, its
	// wall-clock start, and its response times, which the attack reuses
	// for the next interval once the call returns.
	Interval(iv results.Interval, start time.Time, h *results.Histogram) error
}

// Run runs the attack, passing each result to out as it arrives (out may
// be nil). It blocks for about the duration plus the slowest response,
// and stops early when ctx is done or out fails. Its memory does not grow
// with the requests: histograms, the requests in flight, and a few
// numbers per second. The attack's own goroutines are gone when it
// returns.
func (a *Attack) Run(ctx context.Context, out Output) (results.Repetition, error) {
	whole, err := a.Pacing.Pacer()
	if err != nil {
		return results.Repetition{}, err
	}
	m, err := httpclient.NewMix(a.Client, a.Request, a.Targets, int(a.MaxWorkers), a.Timeout)
	if err != nil {
		return results.Repetition{}, err
	}
	defer m.CloseIdleConnections()
	t := newTally(m, a.Expect, out, newStageTally(a.Pacing, a.Shard))
	t.lateAfter = a.LateAfter
	if a.Shard.Sharded() {
		t.res.Attack = fmt.Sprintf("concbench shard %d of %d", a.Shard.Index, a.Shard.Count)
	}
	sched := newSchedule(a.Shard.Pacer(whole), a.Duration)
	loop := newHitSender(&sending{mix: m, du: a.Duration, lateAfter: a.LateAfter, maxWorkers: int(a.MaxWorkers), timeout: a.Timeout, sched: sched})
	shared := loop.shared()
	t.asked = &shared.asked
	loop.connect(ctx)
	limit := harness.TimerResolution() + cmp.Or(a.MaxLateness, results.GeneratorLateness)
	if d := time.Until(a.BeginAt); d > 0 {
		if err := harness.Park(ctx, d); err != nil {
			loop.release()
			return results.Repetition{}, err
		}
	}
	user, system := harness.CPUTimes()
	began := time.Now()
	shared.began = began
	t.begin(began)
	t.iv.asked, t.iv.inFlight = &shared.asked, &shared.inFlight
	var stoppedAt atomic.Int64 // since began; 0: not stopped early
	stop := context.AfterFunc(ctx, func() { stoppedAt.CompareAndSwap(0, int64(max(time.Since(began), 1))) })
	defer stop()
	drain(loop.start(ctx), func(m sent) {
		if t.err == nil && t.add(m) != nil {
			stoppedAt.CompareAndSwap(0, int64(max(time.Since(began), 1)))
			loop.stop()
		}
	})
	wall := time.Since(began)
	user2, system2 := harness.CPUTimes()
	if t.err == nil {
		t.err = t.iv.flush()
	}
	due := -1
	if at := time.Duration(stoppedAt.Load()); at > 0 {
		due = int(sched.dueBy(at)) - int(shared.abandoned.Load())
	}
	scheduled := int(sched.finish())
	rep := t.sum.Repetition(scheduled, t.last)
	rep.TargetRate = float64(scheduled) / a.Duration.Seconds()
	rep.Began = began
	rep.Late = t.late
	rep.Dropped = max(0, scheduled-t.sent)
	if due >= 0 { // stopped early: what was not yet due was never meant to be sent by then
		rep.Dropped, rep.NotSent = max(0, due-t.sent), scheduled-max(due, t.sent)
	}
	rep.PeakInFlight = int(shared.peak.Load())
	rep.Counters = t.counts.Counters()
	rep.UserCPU, rep.SystemCPU = user2-user, system2-system
	rep.CPUShare = (rep.UserCPU + rep.SystemCPU).Seconds() / wall.Seconds() / float64(runtime.GOMAXPROCS(0))
	rep.LatenessLimit = limit
	rep.Intervals = t.iv.done
	rep.Stages = t.stages.results()
	for i := range rep.Intervals {
		if i < len(sched.perSecond) {
			rep.Intervals[i].Scheduled = sched.perSecond[i]
		}
	}
	if t.err != nil {
		return rep, t.err
	}
	return rep, ctx.Err()
}

// tally keeps an attack's figures, or ramping users', as its responses
// arrive, on the attack's goroutine, and passes them on to the output.
type tally struct {
	expect    httpclient.Statuses
	lateAfter time.Duration  // a request this late counts as late (users are never late)
	began     time.Time      // time 0 of the measurements
	asked     *atomic.Uint64 // the hits asked so far; nil for users
	out       Output         // may be nil
	partial   PartialOutput
	res       vegeta.Result // reused for each result
	sum       *results.Summarizer
	stages    *stageTally
	iv        *intervals
	last      time.Duration // the latest response's end
	late      int
	sent      int
	err       error // out's
	mix       *httpclient.Mix
	counts    *httpclient.TargetCounts
}

// newTally returns a tally of m's measurements for out (nil: none),
// expecting statuses expect, by stages.
func newTally(m *httpclient.Mix, expect httpclient.Statuses, out Output, stages *stageTally) *tally {
	t := &tally{expect: expect, out: out, sum: results.NewSummarizer(), stages: stages, mix: m, counts: httpclient.NewTargetCounts(m)}
	t.partial, _ = out.(PartialOutput)
	t.res = vegeta.Result{Attack: "concbench"} // each result's method and URL from the mix
	return t
}

// begin sets time 0 of the measurements, and starts the first interval.
func (t *tally) begin(began time.Time) {
	t.began = began
	t.iv = &intervals{out: t.out, began: began, h: results.NewHistogram()}
}

// add counts one measurement and passes it on to the output.
func (t *tally) add(m sent) error {
	s := results.Sample{Intended: m.intended, Start: max(m.start, m.intended), End: m.end, Done: true}
	s.Class = t.mix.Name(m.target)
	isLate := s.Wait() > t.lateAfter
	if isLate {
		t.late++
	}
	s.Err = t.expect.Classify(m.code, m.err)
	t.last = max(t.last, s.End)
	t.sent++
	t.sum.Add(s)
	t.stages.add(s, isLate)
	t.counts.Add(m.target, s.Err != nil)
	if t.out != nil {
		r := &t.res
		method, url, bodyBytes := t.mix.Describe(m.target)
		r.Seq, r.Code, r.BytesIn, r.BytesOut, r.Method, r.URL = m.seq, uint16(m.code), uint64(m.bytesIn), uint64(bodyBytes), method, url
		r.Timestamp, r.Latency, r.Error = t.began.Add(s.Start), s.Service(), ""
		if s.Err != nil {
			r.Error = s.Err.Error()
		}
		t.err = t.out.Result(r)
	}
	if t.err == nil {
		second := t.iv.cur
		t.err = t.iv.add(s, isLate)
		if t.partial != nil && t.iv.cur != second {
			r := t.sum.Snapshot(t.sent, t.last)
			r.Began, r.Late, r.Intervals = t.began, t.late, slices.Clone(t.iv.done)
			if t.last > 0 && t.asked != nil {
				r.TargetRate = float64(t.asked.Load()) / t.last.Seconds() // asked so far
			}
			t.partial.Partial(r)
		}
	}
	return t.err
}

// A PartialOutput is an Output that also keeps what the attack measured
// so far: Partial receives, once a second, the repetition up to then
// (interrupted, its histograms copies), on the attack's goroutine; it
// should hand the work on rather than block.
type PartialOutput interface {
	Output
	Partial(rep results.Repetition)
}

// intervals cuts an attack's responses into IntervalLength spans by when
// they completed, keeping a histogram for the span in progress only.
type intervals struct {
	out   Output
	began time.Time
	cur   int // index of the span in progress
	h     *results.Histogram
	n     results.Interval
	done  []results.Interval
	// asked and inFlight, when set, count the requests the schedule has
	// released and those in flight: a span's Scheduled, until the attack
	// ends and sets it by schedule, is what was released while it went.
	asked       *atomic.Uint64
	askedBefore uint64
	inFlight    *atomic.Int64
}

// add counts s in the span of its completion, closing the spans before it.
// A response that completes in a span already closed (they arrive nearly
// in completion order) counts in the current one.
func (iv *intervals) add(s results.Sample, late bool) error {
	for int(s.End/IntervalLength) > iv.cur {
		if err := iv.flush(); err != nil {
			return err
		}
	}
	iv.h.Record(s.Response())
	iv.n.Add(s.Err, late)
	return nil
}

// flush closes the span in progress and starts the next.
func (iv *intervals) flush() error {
	start := time.Duration(iv.cur) * IntervalLength
	n := iv.n
	n.Start, n.Length = start, IntervalLength
	n.Times(iv.h)
	if iv.asked != nil {
		asked := iv.asked.Load()
		n.Scheduled, iv.askedBefore = int(asked-iv.askedBefore), asked
	}
	if iv.inFlight != nil {
		n.InFlight = int(iv.inFlight.Load())
	}
	iv.done = append(iv.done, n)
	var err error
	if iv.out != nil {
		err = iv.out.Interval(n, iv.began.Add(start), iv.h)
	}
	iv.cur++
	iv.n = results.Interval{}
	iv.h.Reset()
	return err
}

// stageTally keeps a staged attack's figures per stage, by when each
// response completed (after the last stage: in the last).
type stageTally struct {
	pacer StagesPacer
	ends  []time.Duration
	out   []results.StageResult
	hs    []*results.Histogram
}

func newStageTally(p Pacing, shard Shard) *stageTally {
	t := &stageTally{pacer: StagesPacer{Stages: p.Stages}}
	if p.Kind != "stages" {
		return t
	}
	var start time.Duration
	from := 0.0
	for _, st := range p.Stages {
		end := start + st.Duration
		t.ends = append(t.ends, end)
		stage := results.StageResult{Start: start, End: end, From: from, To: st.Target}
		stage.Scheduled = shard.share(int(math.Round(t.pacer.hits(end)))) - shard.share(int(math.Round(t.pacer.hits(start))))
		t.out = append(t.out, stage)
		t.hs = append(t.hs, results.NewHistogram())
		start, from = end, st.Target
	}
	return t
}

func (t *stageTally) add(s results.Sample, late bool) {
	if len(t.ends) == 0 {
		return
	}
	i, _ := slices.BinarySearch(t.ends, s.End)
	i = min(i, len(t.ends)-1)
	t.hs[i].Record(s.Response())
	t.out[i].Count(s.Err != nil, late)
}

func (t *stageTally) results() []results.StageResult {
	for i, h := range t.hs {
		t.out[i].Times(h)
		t.out[i].Histogram = h
	}
	return t.out
}
