package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/target"
	"github.com/montanaflynn/stats"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

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
	at, err := Schedule(rate, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(at) != 1000 || at[0] != time.Millisecond || at[999] != time.Second {
		t.Errorf("constant 1000/s over 1s: %d hits from %v to %v, want 1000 from 1ms to 1s", len(at), at[0], at[len(at)-1])
	}
	// A linear ramp from 100/s adding 100/s each second sends 100 + 100/2 in the first second.
	lin, _ := Pacing{Kind: "linear", Rate: vegeta.Rate{Freq: 100, Per: time.Second}, Slope: 100}.Pacer()
	if at, _ := Schedule(lin, time.Second); len(at) < 148 || len(at) > 152 {
		t.Errorf("linear: %d hits in 1s, want about 150", len(at))
	}
	// A whole sine period averages the mean rate.
	sine, _ := Pacing{Kind: "sine", Rate: vegeta.Rate{Freq: 200, Per: time.Second}, Period: time.Second, Amp: vegeta.Rate{Freq: 100, Per: time.Second}}.Pacer()
	if at, _ := Schedule(sine, time.Second); len(at) < 198 || len(at) > 202 {
		t.Errorf("sine: %d hits in one period, want about 200", len(at))
	}
	for i := 1; i < len(at); i++ {
		if at[i] < at[i-1] {
			t.Fatalf("schedule goes back in time at %d", i)
		}
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
		Request:  Request{Method: "GET", URL: s.URL()},
		Pacing:   Pacing{Kind: "constant", Rate: vegeta.Rate{Freq: 20, Per: time.Second}},
		Duration: 2 * time.Second, MaxWorkers: 5, Timeout: 5 * time.Second, LateAfter: 5 * time.Millisecond,
	}
	r, err := a.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep := r.Repetition
	var own stats.Float64Data
	for _, v := range r.Vegeta {
		own = append(own, float64(v.Latency))
	}
	ownP99, _ := stats.Percentile(own, 99)
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
		if got := results.ErrorKind(Classify(tt.code, tt.err)); got != tt.kind {
			t.Errorf("Classify(%d, %v) kind %q, want %q", tt.code, tt.err, got, tt.kind)
		}
	}
	if !errors.Is(Classify(0, io.EOF), io.EOF) {
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
