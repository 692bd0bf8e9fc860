package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/target"
	"github.com/montanaflynn/stats"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"go.uber.org/goleak"
)

// fasthttp's cleaner goroutine outlives a closed Sender by up to 90 s
// (sender.go); it exits by itself.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*HostClient).connsCleaner"))
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want float64 // per second; 0: an error
	}{
		{"2000/s", 2000}, {"2000", 2000}, {"500/100ms", 5000}, {"90/1m", 1.5}, {"90/m", 1.5},
		{"0/s", 0}, {"-5/s", 0}, {"NaN/s", 0}, {"Inf", 0}, {"1.5/s", 0}, {"abc/s", 0}, {"10/0s", 0}, {"10/fortnight", 0}, {"1e400", 0},
	}
	for _, tt := range tests {
		r, err := ParseRate(tt.in)
		switch {
		case tt.want == 0 && err == nil:
			t.Errorf("ParseRate(%q) = %v, want an error", tt.in, r)
		case tt.want != 0 && (err != nil || PerSecond(r) != tt.want):
			t.Errorf("ParseRate(%q) = %v/s, %v; want %v/s", tt.in, PerSecond(r), err, tt.want)
		}
	}
}

func TestSchedule(t *testing.T) {
	rate := vegeta.Rate{Freq: 1000, Per: time.Second}
	s := newSchedule(rate, time.Second)
	first, _ := s.take(0)
	last, _ := s.take(999)
	if _, beyond := s.take(1000); beyond || first != time.Millisecond || last != time.Second || s.finish() != 1000 {
		t.Errorf("constant 1000/s over 1s: from %v to %v, %d hits; want 1000 from 1ms to 1s", first, last, s.next)
	}
	if len(s.pending) != 998 || len(s.perSecond) != 1 || s.perSecond[0] != 1000 {
		t.Errorf("%d pending (hits 1..998 not taken), per second %v", len(s.pending), s.perSecond)
	}
	// A linear ramp from 100/s adding 100/s each second sends 100 + 100/2 in the first second.
	lin, _ := Pacing{Kind: "linear", Rate: vegeta.Rate{Freq: 100, Per: time.Second}, Slope: 100}.Pacer()
	if n := newSchedule(lin, time.Second).finish(); n < 148 || n > 152 || math.Abs(Hits(lin, time.Second)-float64(n)) > 2 {
		t.Errorf("linear: %d hits in 1s, want about 150", n)
	}
	// A whole sine period averages the mean rate.
	sine, _ := Pacing{Kind: "sine", Rate: vegeta.Rate{Freq: 200, Per: time.Second}, Period: time.Second, Amp: vegeta.Rate{Freq: 100, Per: time.Second}}.Pacer()
	if n := newSchedule(sine, time.Second).finish(); n < 198 || n > 202 || math.Abs(Hits(sine, time.Second)-float64(n)) > 2 {
		t.Errorf("sine: %d hits in one period, want about 200", n)
	}
	// Taking hits in order keeps nothing pending: memory does not grow.
	s = newSchedule(rate, 10*time.Second)
	prev := time.Duration(0)
	for seq := range uint64(10_000) {
		at, ok := s.take(seq)
		if !ok || at < prev || len(s.pending) != 0 {
			t.Fatalf("hit %d: %v, %v, %d pending", seq, at, ok, len(s.pending))
		}
		prev = at
	}
}

// TestStalledTargetShowsInPercentiles attacks a target that takes 1 s per
// request with only 5 requests in flight allowed: the attack falls behind,
// and latency from the intended send time must show it, where vegeta's own
// latency (from the actual send) stays at 1 s: no coordinated omission.
func TestStalledTargetShowsInPercentiles(t *testing.T) {
	s, err := target.Start(target.Config{Latency: harness.Dist{Kind: "constant", Median: time.Second}}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := Attack{
		Request:  httpclient.Request{Method: "GET", URL: s.URL()},
		Pacing:   Pacing{Kind: "constant", Rate: vegeta.Rate{Freq: 20, Per: time.Second}},
		Duration: 2 * time.Second, MaxWorkers: 5, Timeout: 5 * time.Second, LateAfter: 5 * time.Millisecond,
	}
	var own latencies
	rep, err := a.Run(context.Background(), &own)
	if err != nil {
		t.Fatal(err)
	}
	ownP99, _ := stats.Percentile(stats.Float64Data(own), 99)
	t.Logf("sent %d of %d, late %d, dropped %d; p99 from intended %v, vegeta's own p99 %v",
		rep.Completed, rep.Submitted, rep.Late, rep.Dropped, rep.Response.P99, time.Duration(ownP99))
	if rep.Response.P99 < time.Second {
		t.Errorf("p99 %v from intended send time, want at least 1s", rep.Response.P99)
	}
	if float64(rep.Response.P99) < 1.5*ownP99 {
		t.Errorf("p99 %v is not well above vegeta's own %v: the lateness is missing", rep.Response.P99, time.Duration(ownP99))
	}
	if rep.Late == 0 || rep.Dropped == 0 || rep.Submitted != 40 {
		t.Errorf("late %d, dropped %d of %d scheduled: want some of each, 40 scheduled", rep.Late, rep.Dropped, rep.Submitted)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		code int
		err  error
		kind string
	}{
		{200, nil, ""},
		{503, nil, "http-503"},
		{500, nil, "http-5xx"},
		{404, nil, "http-4xx"},
		{0, context.DeadlineExceeded, "timeout"},
		{0, fmt.Errorf("dial: %w", syscall.ECONNREFUSED), "connection"},
		{0, io.EOF, "connection"},
		{0, &net.DNSError{Err: "no such host"}, "error"},
	}
	for _, tt := range tests {
		if got := results.ErrorKind(httpclient.Classify(tt.code, tt.err)); got != tt.kind {
			t.Errorf("httpclient.Classify(%d, %v) kind %q, want %q", tt.code, tt.err, got, tt.kind)
		}
	}
	if !errors.Is(httpclient.Classify(0, io.EOF), io.EOF) {
		t.Error("a transport error does not unwrap to its cause")
	}
}

// FuzzParseRate checks that any rate text parses to a positive rate or is
// refused, never a panic or a zero period.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"2000/s", "1/1ns", "5/0s", "9e18/s", "-1", "/", "1/-1s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err == nil && (r.Freq <= 0 || r.Per <= 0) {
			t.Errorf("ParseRate(%q) = %+v", s, r)
		}
	})
}

// latencies is an Output that keeps vegeta's own latency of each request.
type latencies stats.Float64Data

func (l *latencies) Result(r *vegeta.Result) error {
	*l = append(*l, float64(r.Latency))
	return nil
}

func (l *latencies) Interval(results.Interval, time.Time, *results.Histogram) error { return nil }

// countingOutput counts what an attack streams to it.
type countingOutput struct {
	results, intervals int
	inInterval         int64
}

func (c *countingOutput) Result(*vegeta.Result) error { c.results++; return nil }

// partialCounting is a countingOutput that also counts the partial
// repetitions it receives (a checkpoint's), and keeps the last's count.
type partialCounting struct {
	countingOutput
	partials, lastPartial int
}

func (c *partialCounting) Partial(r results.Repetition) { c.partials++; c.lastPartial = r.Completed }
func (c *countingOutput) Interval(iv results.Interval, start time.Time, h *results.Histogram) error {
	if iv.Length != IntervalLength || start.IsZero() || int64(iv.Completed) != h.Count() {
		return fmt.Errorf("interval %+v at %v, %d in its histogram", iv, start, h.Count())
	}
	c.intervals++
	c.inInterval += h.Count()
	return nil
}

// TestAttackStreams attacks at 200/s for 2 s: every result streams to the
// output, each second's histogram too, and the repetition keeps a row per
// second with what was scheduled and what completed in it.
func TestAttackStreams(t *testing.T) {
	s, err := target.Start(target.Config{Latency: harness.Dist{Kind: "constant", Median: time.Millisecond}}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := Attack{Request: httpclient.Request{Method: "GET", URL: s.URL()}, Pacing: Pacing{Kind: "constant", Rate: vegeta.Rate{Freq: 200, Per: time.Second}},
		Duration: 2 * time.Second, MaxWorkers: 16, Timeout: time.Second, LateAfter: 5 * time.Millisecond}
	var out countingOutput
	rep, err := a.Run(context.Background(), &out)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Submitted != 400 || rep.Completed != 400 || out.results != 400 || out.inInterval != 400 {
		t.Errorf("scheduled %d, completed %d, streamed %d, in intervals %d: want 400 each", rep.Submitted, rep.Completed, out.results, out.inInterval)
	}
	if len(rep.Intervals) < 2 || len(rep.Intervals) > 3 || out.intervals != len(rep.Intervals) {
		t.Fatalf("%d intervals, %d streamed: want 2 or 3 (the last responses may end after 2 s)", len(rep.Intervals), out.intervals)
	}
	first := rep.Intervals[0]
	if first.Scheduled != 200 || first.Completed < 190 || first.P99 <= 0 || first.Max < first.P99 {
		t.Errorf("first second: %+v", first)
	}
	if rep.Histograms == nil || rep.Histograms.Response.Count() != 400 {
		t.Errorf("histograms %+v", rep.Histograms)
	}
}

// TestUsersRamp ramps closed-loop users from 0 to 4 over a second, then
// holds 4 for a second, against a 10 ms target: each user sends about 100
// requests a second, so the second stage completes about twice the
// first's, nothing fails, and every result streams out.
func TestUsersRamp(t *testing.T) {
	s, err := target.Start(target.Config{Latency: harness.Dist{Kind: "constant", Median: 10 * time.Millisecond}}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u := Users{Request: httpclient.Request{Method: "GET", URL: s.URL()}, Stages: []Stage{{time.Second, 4}, {time.Second, 4}}, Timeout: time.Second}
	var out partialCounting
	rep, err := u.Run(context.Background(), &out)
	if err != nil {
		t.Fatal(err)
	}
	if out.partials < 1 || out.lastPartial > rep.Completed {
		t.Errorf("%d partial repetitions, the last of %d requests (of %d): want one a second, as an attack's", out.partials, out.lastPartial, rep.Completed)
	}
	st := rep.Stages
	t.Logf("completed %d; stages %d and %d; errors %v", rep.Completed, st[0].Completed, st[1].Completed, rep.Errors)
	if rep.ErrorCount() != 0 || rep.Completed != out.results || len(st) != 2 {
		t.Fatalf("errors %v, completed %d, streamed %d, %d stages", rep.Errors, rep.Completed, out.results, len(st))
	}
	if st[0].Completed < 100 || float64(st[1].Completed) < 1.4*float64(st[0].Completed) || st[1].Completed > 420 {
		t.Errorf("stage 1 %d, stage 2 %d: want the held stage near 4 x 100 and well above the ramp", st[0].Completed, st[1].Completed)
	}
	if rep.Response.P50 < 10*time.Millisecond || rep.Response.P50 > 30*time.Millisecond {
		t.Errorf("p50 %v against a 10 ms target", rep.Response.P50)
	}
}

// TestFirstConnections: an attack dials enough connections for its first
// rate at coldLatency a request, within fewestFirstConnections and
// maxWorkers; a ramp from nothing dials the fewest.
func TestFirstConnections(t *testing.T) {
	perSecond := func(n int) vegeta.Pacer { return vegeta.ConstantPacer{Freq: n, Per: time.Second} }
	for _, c := range []struct {
		pacer      vegeta.Pacer
		maxWorkers int
		want       int
	}{
		{perSecond(10), 256, fewestFirstConnections},
		{perSecond(10), 8, 8},
		{perSecond(10000), 256, 100},
		{perSecond(12345), 256, 124},
		{perSecond(30000), 256, 256},
		{perSecond(30000), 1000, 300},
		{StagesPacer{Stages: []Stage{{time.Second, 50000}}}, 256, fewestFirstConnections},
	} {
		s := &sending{maxWorkers: c.maxWorkers, sched: newSchedule(c.pacer, time.Second)}
		if got := s.firstConnections(); got != c.want {
			t.Errorf("%v/s at 0, max %d: %d first connections, want %d", c.pacer.Rate(0), c.maxWorkers, got, c.want)
		}
	}
}
