package results

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	const ms = time.Millisecond
	// 100 tasks: task i queued i ms, ran 1 ms; every tenth failed; one never ran.
	samples := make([]Sample, 101)
	for i := range 100 {
		samples[i] = Sample{Start: time.Duration(i) * ms, End: time.Duration(i+1) * ms, Done: true}
		if i%10 == 0 {
			samples[i].Err = errors.New("boom")
		}
	}
	r := Summarize(samples, 100*ms)
	if r.Submitted != 101 || r.Completed != 100 || r.Errors["error"] != 10 {
		t.Errorf("submitted %d completed %d errors %v, want 101, 100, error=10", r.Submitted, r.Completed, r.Errors)
	}
	// Successful tasks alone: the failures (1, 11, 21 ... 91 ms) are left out.
	if r.ResponseOK.Min != 2*ms || r.ResponseOK.Max != 100*ms || r.ResponseOK.Mean <= r.Response.Mean {
		t.Errorf("response of successes: min %v max %v mean %v (all: %v)", r.ResponseOK.Min, r.ResponseOK.Max, r.ResponseOK.Mean, r.Response.Mean)
	}
	if r.Throughput != 900 { // 90 successes in 0.1 s
		t.Errorf("throughput %v, want 900/s", r.Throughput)
	}
	// Responses are 1..100 ms: nearest-rank percentiles, read from the
	// histogram within 0.1%.
	want := Quantiles{Min: 1 * ms, Mean: 50*ms + 500*time.Microsecond, P50: 50 * ms, P75: 75 * ms, P90: 90 * ms,
		P95: 95 * ms, P99: 99 * ms, P999: 100 * ms, P9999: 100 * ms, Max: 100 * ms}
	if !within(r.Response, want, 0.001) {
		t.Errorf("response quantiles\n got %+v\nwant %+v (within 0.1%%)", r.Response, want)
	}
	if r.Histograms == nil || r.Histograms.Response.Count() != 100 || r.OutOfRange != 0 {
		t.Errorf("histograms %+v, out of range %d: want 100 responses recorded", r.Histograms, r.OutOfRange)
	}
	if r.Service.Min != ms || r.Service.Max != ms {
		t.Errorf("service min/max %v/%v, want 1ms/1ms", r.Service.Min, r.Service.Max)
	}
}

func TestCombineTakesMedians(t *testing.T) {
	reps := []Repetition{
		{Core: Core{Wall: 3, Throughput: 30, Errors: map[string]int{"error": 1}, Response: Quantiles{P99: 300}}},
		{Core: Core{Wall: 1, Throughput: 10, Response: Quantiles{P99: 100}}},
		{Core: Core{Wall: 2, Throughput: 20, Errors: map[string]int{"error": 2, "panic": 1}, Response: Quantiles{P99: 900}}}}
	s := Combine(reps)
	if s.Wall != 2 || s.Throughput != 20 || s.Response.P99 != 300 {
		t.Errorf("wall %v throughput %v p99 %v, want medians 2, 20, 300", s.Wall, s.Throughput, s.Response.P99)
	}
	if s.Errors["error"] != 3 || s.Errors["panic"] != 1 {
		t.Errorf("errors %v, want summed error=3 panic=1", s.Errors)
	}
}

func TestErrorKind(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{errors.New("x"), "error"},
		{context.DeadlineExceeded, "timeout"},
		{fmt.Errorf("wrapped: %w", context.Canceled), "canceled"},
		{kindError("panic"), "panic"},
		{fmt.Errorf("wrapped: %w", kindError("http-503")), "http-503"}, // a Kind method anywhere in the chain wins
	}
	for _, tt := range tests {
		if got := ErrorKind(tt.err); got != tt.want {
			t.Errorf("ErrorKind(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// kindError is an error with a Kind method, as harness.PanicError has.
type kindError string

func (k kindError) Error() string { return string(k) }
func (k kindError) Kind() string  { return string(k) }

// within reports whether every quantile of got is within rel of want's.
func within(got, want Quantiles, rel float64) bool {
	g, w := got.array(), want.array()
	for i := range g {
		if math.Abs(float64(g[i]-w[i])) > rel*float64(w[i]) {
			return false
		}
	}
	return true
}
