package load

import (
	"context"
	"fmt"
	"net/http"
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
}

// Request is the request an attack sends.
type Request struct {
	Method, URL string
	Header      http.Header
	Body        []byte
}

// Result is what one attack measured.
type Result struct {
	Repetition results.Repetition
	Samples    []results.Sample
	Vegeta     []vegeta.Result // vegeta's own results, for its encoders
}

// Run runs the attack. It blocks for about the duration plus the slowest
// response, and stops early when ctx is done. Its memory is one sample and
// one vegeta result per request.
func (a *Attack) Run(ctx context.Context) (*Result, error) {
	pacer, err := a.Pacing.Pacer()
	if err != nil {
		return nil, err
	}
	intended, err := Schedule(pacer, a.Duration)
	if err != nil {
		return nil, err
	}
	atk := vegeta.NewAttacker(
		vegeta.Workers(min(a.MaxWorkers, 10)),
		vegeta.MaxWorkers(a.MaxWorkers),
		vegeta.Connections(int(a.MaxWorkers)),
		vegeta.Timeout(a.Timeout),
		vegeta.KeepAlive(true),
	)
	targeter := vegeta.NewStaticTargeter(vegeta.Target{Method: a.Method, URL: a.URL, Header: a.Header, Body: a.Body})
	stop := context.AfterFunc(ctx, func() { atk.Stop() })
	defer stop()

	out := &Result{Samples: make([]results.Sample, 0, len(intended)), Vegeta: make([]vegeta.Result, 0, len(intended))}
	began := time.Now()
	var last time.Duration
	late := 0
	for res := range atk.Attack(targeter, pacer, a.Duration, "concbench") {
		s := results.Sample{Start: res.Timestamp.Sub(began), End: res.End().Sub(began), Done: true}
		if res.Seq < uint64(len(intended)) {
			s.Intended = intended[res.Seq]
		} else {
			s.Intended = s.Start // beyond the schedule (clock skew at the end): on time
		}
		s.Intended = min(s.Intended, s.Start) // the attacker can't send early; guard clock rounding
		if s.Wait() > a.LateAfter {
			late++
		}
		var transport error
		if res.Error != "" && res.Code == 0 {
			transport = fmt.Errorf("%s", res.Error)
		}
		s.Err = Classify(int(res.Code), transport)
		last = max(last, s.End)
		out.Samples = append(out.Samples, s)
		res.Body = nil // keep memory per request small
		out.Vegeta = append(out.Vegeta, *res)
	}
	rep := results.Summarize(out.Samples, last)
	rep.Submitted = len(intended)
	rep.TargetRate = float64(len(intended)) / a.Duration.Seconds()
	rep.Late = late
	rep.Dropped = max(0, len(intended)-len(out.Samples))
	rep.PeakInFlight = int(min(a.MaxWorkers, uint64(len(intended))))
	out.Repetition = rep
	return out, ctx.Err()
}
