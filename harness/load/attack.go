package load

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness/results"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Attack is one open-loop attack: requests sent on a schedule whatever the
// target does, with latency measured from each request's intended send
// time, so a stalled target shows in the percentiles (no coordinated
// omission).
type Attack struct {
	Request
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
}

// Request is the request an attack sends.
type Request struct {
	Method, URL string
	Header      http.Header
	Body        []byte
	// Expect are the statuses that count as a success; the zero value
	// expects any 2xx.
	Expect Statuses
	// Protocol is one of Protocols; empty is HTTP/1.1.
	Protocol string
}

// IntervalLength is the span of each of an attack's intervals.
const IntervalLength = time.Second

// Output receives an attack's results as they arrive, so that nothing of
// them need stay in memory: a vegeta encoder, an HdrHistogram interval
// log. Its methods are called on the attack's goroutine, in order; an
// error stops the attack.
type Output interface {
	// Result receives each response as it completes; r is reused after
	// the call returns.
	Result(r *vegeta.Result) error
	// Interval receives each interval once it is over: its figures, its
	// wall-clock start, and its response times.
	Interval(iv results.Interval, start time.Time, h *results.Histogram) error
}

// Run runs the attack, passing each result to out as it arrives (out may
// be nil). It blocks for about the duration plus the slowest response,
// and stops early when ctx is done or out fails. Its memory does not grow
// with the requests: histograms, the requests in flight, and a few
// numbers per second.
func (a *Attack) Run(ctx context.Context, out Output) (results.Repetition, error) {
	whole, err := a.Pacing.Pacer()
	if err != nil {
		return results.Repetition{}, err
	}
	pacer := within{a.Shard.Pacer(whole), a.Duration}
	name := "concbench"
	if a.Shard.Sharded() {
		name = fmt.Sprintf("concbench shard %d of %d", a.Shard.Index, a.Shard.Count)
	}
	atk := vegeta.NewAttacker(
		vegeta.Workers(min(a.MaxWorkers, 10)),
		vegeta.MaxWorkers(a.MaxWorkers),
		vegeta.Connections(int(a.MaxWorkers)),
		vegeta.Timeout(a.Timeout),
		vegeta.KeepAlive(true),
		vegeta.H2C(a.Protocol == "h2c"),
		vegeta.MaxBody(0), // read each body to its end, keeping none: bodies of any size cost no memory
	)
	targeter := vegeta.NewStaticTargeter(vegeta.Target{Method: a.Method, URL: a.URL, Header: a.Header, Body: a.Body})
	began := time.Now()
	var stoppedAt atomic.Int64 // since began; 0: not stopped early
	halt := func() {
		stoppedAt.CompareAndSwap(0, int64(max(time.Since(began), 1)))
		atk.Stop()
	}
	stop := context.AfterFunc(ctx, halt)
	defer stop()

	sched := newSchedule(a.Shard.Pacer(whole), a.Duration) // its own walk of the shard's schedule
	sum := results.NewSummarizer()
	stages := newStageTally(a.Pacing, a.Shard)
	iv := &intervals{out: out, began: began, h: results.NewHistogram()}
	var last time.Duration
	late, sent := 0, 0
	partial, _ := out.(PartialOutput)
	var outErr error
	for res := range atk.Attack(targeter, pacer, a.Duration, name) {
		if outErr != nil {
			continue // drain after a failed output; Stop was called
		}
		s := results.Sample{Start: res.Timestamp.Sub(began), End: res.End().Sub(began), Done: true}
		s.Intended = s.Start // beyond the schedule (clock skew at the end): on time
		if t, ok := sched.take(res.Seq); ok {
			s.Intended = min(t, s.Start) // the attacker can't send early; guard clock rounding
		}
		if s.Wait() > a.LateAfter {
			late++
		}
		var transport error
		if res.Error != "" && res.Code == 0 {
			transport = fmt.Errorf("%s", res.Error)
		}
		s.Err = a.Expect.Classify(int(res.Code), transport)
		last = max(last, s.End)
		sent++
		sum.Add(s)
		stages.add(s, s.Wait() > a.LateAfter)
		res.Body = nil                              // the encoders need no body
		if res.BytesIn == 0 && res.Headers != nil { // the body was read and kept nowhere: its length, when the response gave it
			res.BytesIn, _ = strconv.ParseUint(res.Headers.Get("Content-Length"), 10, 64)
		}
		if out != nil {
			outErr = out.Result(res)
		}
		if outErr == nil {
			second := iv.cur
			outErr = iv.add(s, s.Wait() > a.LateAfter)
			if partial != nil && iv.cur != second {
				r := sum.Snapshot(sent, last)
				r.Began, r.Late, r.Intervals = began, late, slices.Clone(iv.done)
				if last > 0 {
					r.TargetRate = float64(sched.next) / last.Seconds() // asked so far
				}
				partial.Partial(r)
			}
		}
		if outErr != nil {
			halt()
		}
	}
	if outErr == nil {
		outErr = iv.flush()
	}
	due := -1
	if at := time.Duration(stoppedAt.Load()); at > 0 {
		due = int(sched.dueBy(at))
	}
	scheduled := int(sched.finish())
	rep := sum.Repetition(scheduled, last)
	rep.TargetRate = float64(scheduled) / a.Duration.Seconds()
	rep.Began = began
	rep.Late = late
	rep.Dropped = max(0, scheduled-sent)
	if due >= 0 { // stopped early: what was not yet due was never meant to be sent by then
		rep.Dropped, rep.NotSent = max(0, due-sent), scheduled-max(due, sent)
	}
	rep.PeakInFlight = int(min(a.MaxWorkers, uint64(scheduled)))
	rep.Intervals = iv.done
	rep.Stages = stages.results()
	for i := range rep.Intervals {
		if i < len(sched.perSecond) {
			rep.Intervals[i].Scheduled = sched.perSecond[i]
		}
	}
	if outErr != nil {
		return rep, outErr
	}
	return rep, ctx.Err()
}

// A PartialOutput is an Output that also keeps what the attack measured
// so far: Partial receives, once a second, the repetition up to then
// (interrupted, its histograms copies), on the attack's goroutine; it
// should hand the work on rather than block.
type PartialOutput interface {
	Output
	Partial(rep results.Repetition)
}

// within stops a pacer at its first hit due after du, which vegeta's
// attacker would still send, late for its duration: so the attack sends
// the schedule's hits exactly, and shards' extra hits do not add up.
type within struct {
	vegeta.Pacer
	du time.Duration
}

func (w within) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	wait, stop := w.Pacer.Pace(elapsed, hits)
	return wait, stop || elapsed+wait > w.du
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
	iv.n.Count(s.Err != nil, late)
	return nil
}

// flush closes the span in progress and starts the next.
func (iv *intervals) flush() error {
	start := time.Duration(iv.cur) * IntervalLength
	n := iv.n
	n.Start, n.Length = start, IntervalLength
	n.Times(iv.h)
	iv.done = append(iv.done, n)
	var err error
	if iv.out != nil {
		err = iv.out.Interval(n, iv.began.Add(start), iv.h)
	}
	iv.cur++
	iv.n = results.Interval{}
	iv.h = results.NewHistogram()
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
