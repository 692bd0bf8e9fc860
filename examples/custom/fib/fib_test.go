package fib

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestNewRefusesBadParameters(t *testing.T) {
	for _, tt := range []struct {
		n       int
		latency time.Duration
		want    string
	}{
		{-1, time.Millisecond, "n: -1 is out of range 0..25"},
		{26, time.Millisecond, "n: 26 is out of range 0..25"},
		{5, 0, "latency: 0s is out of range"},
	} {
		if _, err := New(tt.n, tt.latency); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("New(%d, %v) = %v, want %q", tt.n, tt.latency, err, tt.want)
		}
	}
}

// TestWallsFollowTheShape runs fib(5) (8 base cases) with 20 ms of I/O
// each: one after another, all at once, or two at a time.
func TestWallsFollowTheShape(t *testing.T) {
	w, err := New(5, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	p, err := harness.NewPlan(harness.PlanConfig{
		Workloads:  []harness.PlannedWorkload{{Name: "fib", Family: "fib", Tasks: 1, Workload: w}},
		Strategies: []harness.Strategy{strategy.Sequential{}, strategy.Unbounded{}, strategy.Semaphore{}},
		Limits:     []int{2}, Reps: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	var r harness.Runner
	res, err := r.Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{"sequential": 160 * time.Millisecond, "unbounded": 20 * time.Millisecond, "semaphore": 80 * time.Millisecond}
	for _, c := range res.Cells {
		s := c.Summary
		if s.ErrorCount() != 0 || s.Ideal != want[c.Strategy] {
			t.Errorf("%s: errors %v, ideal %v; want none and %v", c.Strategy, s.Errors, s.Ideal, want[c.Strategy])
		}
		if s.Wall < want[c.Strategy] || float64(s.Wall) > 1.5*float64(want[c.Strategy]) {
			t.Errorf("%s: wall %v, want about %v", c.Strategy, s.Wall, want[c.Strategy])
		}
	}
}

func TestFib(t *testing.T) {
	for n, want := range []int64{0, 1, 1, 2, 3, 5, 8, 13} {
		if got := fib(n); got != want {
			t.Errorf("fib(%d) = %d, want %d", n, got, want)
		}
	}
}
