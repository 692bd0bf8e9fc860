package strategy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
)

// TestConcurrencyBounds measures the peak number of tasks in flight.
func TestConcurrencyBounds(t *testing.T) {
	const n, limit = 64, 4
	tests := []struct {
		strategy harness.Strategy
		want     int // the peak in flight each strategy must reach, and never pass
	}{
		{Sequential{}, 1}, // one at a time, always
		{Unbounded{}, n},  // every task at once
		{Pool{}, limit},   // exactly limit workers
		{Semaphore{}, limit},
		{Offload{}, n}, // tasks are not bounded; only their sections are
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s peaks at %d", tt.strategy.Name(), tt.want), func(t *testing.T) {
			res, err := runCell(t, context.Background(), sleepy{20 * time.Millisecond}, n, tt.strategy, limit, 2)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res.Cells[0].Repetitions {
				if r.PeakInFlight != tt.want {
					t.Errorf("repetition %d: peak in flight %d, want %d", i, r.PeakInFlight, tt.want)
				}
				if r.Completed != n || r.ErrorCount() != 0 {
					t.Errorf("repetition %d: %d of %d completed, %d errors", i, r.Completed, n, r.ErrorCount())
				}
			}
		})
	}
}

// TestBoundsHoldInRecursion spawns a tree deeper than the limit and checks
// that bounded strategies never run more than limit tasks at once, waiting
// parents excluded, and still finish.
func TestBoundsHoldInRecursion(t *testing.T) {
	const fanout, depth = 3, 5 // 243 leaves, depth above every limit below
	var leaves atomic.Int64
	var node func(level int) harness.Task
	node = func(level int) harness.Task {
		return func(ctx context.Context, x harness.Exec) error {
			if level == depth {
				leaves.Add(1)
				time.Sleep(100 * time.Microsecond)
				return nil
			}
			children := make([]harness.Task, fanout)
			for i := range children {
				children[i] = node(level + 1)
			}
			return x.Spawn(children...).Wait()
		}
	}
	for _, s := range All() {
		for _, limit := range []int{1, 2, 4} {
			t.Run(fmt.Sprintf("%s at limit %d", s.Name(), limit), func(t *testing.T) {
				leaves.Store(0)
				res, err := runCell(t, context.Background(), tasksOf{node(0), node(0)}, 2, s, limit, 1)
				if err != nil {
					t.Fatal(err)
				}
				r := res.Cells[0].Repetitions[0]
				if got, want := leaves.Load(), int64(2*243); got != want {
					t.Errorf("ran %d leaves, want %d", got, want)
				}
				if bound := s.Capacity(limit).Tasks; bound > 0 && r.PeakInFlight > bound {
					t.Errorf("peak in flight %d passes the limit %d", r.PeakInFlight, bound)
				}
			})
		}
	}
}

// TestTaskErrorsAreCounted checks that a failing or panicking task is a data
// point: every task is accounted for and the workers survive.
func TestTaskErrorsAreCounted(t *testing.T) {
	const n = 300
	boom := errors.New("boom")
	tasks := make(tasksOf, n)
	for i := range tasks {
		tasks[i] = func(context.Context, harness.Exec) error {
			switch {
			case i%100 == 0: // 1% panic
				panic("deliberate")
			case i%10 == 0: // a further 9% fail
				return boom
			}
			return nil
		}
	}
	for _, s := range All() {
		if _, cancels := s.(Errgroup); cancels {
			continue // the first error cancels the rest: TestErrgroupCancelsOnTheFirstError
		}
		t.Run(s.Name(), func(t *testing.T) {
			res, err := runCell(t, context.Background(), tasks, n, s, 2, 1)
			if err != nil {
				t.Fatal(err)
			}
			r := res.Cells[0].Repetitions[0]
			if r.Completed != n {
				t.Errorf("completed %d, want %d", r.Completed, n)
			}
			if r.Errors["panic"] != 3 || r.Errors["error"] != 27 {
				t.Errorf("errors %v, want panic=3 error=27", r.Errors)
			}
			if len(r.PanicStacks) != 3 || !strings.HasPrefix(r.PanicStacks[0], "panic: deliberate\ngoroutine ") {
				t.Errorf("kept %d panic stacks, want 3 starting with the value and the goroutine", len(r.PanicStacks))
			}
		})
	}
}

// TestPanicInOffloadedSection checks that a panic on an executor worker is
// raised again in the task, counted, and leaves the executor whole.
func TestPanicInOffloadedSection(t *testing.T) {
	tasks := tasksOf{
		func(_ context.Context, x harness.Exec) error { x.Compute(func() { panic("in compute") }); return nil },
		func(_ context.Context, x harness.Exec) error {
			return x.Block(func() error { panic("in block") })
		},
		func(_ context.Context, x harness.Exec) error { x.Compute(func() {}); return nil },
	}
	res, err := runCell(t, context.Background(), tasks, 3, Offload{}, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Cells[0].Repetitions[0]; r.Completed != 3 || r.Errors["panic"] != 2 {
		t.Errorf("completed %d with errors %v, want 3 with 2 panics", r.Completed, r.Errors)
	}
}

// TestCancellationStopsCleanly cancels a run midway: every strategy returns
// promptly, drops the tasks not started and leaks nothing (see TestMain).
func TestCancellationStopsCleanly(t *testing.T) {
	for _, s := range All() {
		t.Run(s.Name(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			// 50 repetitions: even unbounded (about 11 ms each) is mid-run at 50 ms.
			res, err := runCell(t, ctx, sleepy{10 * time.Millisecond}, 1000, s, 2, 50)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want the context's error", err)
			}
			// Sequential alone would take 10 s; a second is a wide margin.
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v to stop", d)
			}
			if res.Complete {
				t.Error("results marked complete")
			}
		})
	}
}

// TestGroupWaitReturnsFirstError checks the Group API outside the runner.
func TestGroupWaitReturnsFirstError(t *testing.T) {
	boom := errors.New("boom")
	for _, s := range All() {
		t.Run(s.Name(), func(t *testing.T) {
			g := s.Start(context.Background(), 2)
			g.Go(func(context.Context, harness.Exec) error { return nil })
			g.Go(func(context.Context, harness.Exec) error { return boom })
			if err := g.Wait(); !errors.Is(err, boom) {
				t.Errorf("Wait() = %v, want %v", err, boom)
			}
		})
	}
}

// TestErrgroupCancelsOnTheFirstError has one of 12 tasks fail at once while
// the others park for 200 ms: errgroup cancels the rest (they end with
// their context cancelled, or never start), where a semaphore of the same
// limit runs them all.
func TestErrgroupCancelsOnTheFirstError(t *testing.T) {
	const n = 12
	boom := errors.New("boom")
	tasks := make(tasksOf, n)
	for i := range tasks {
		tasks[i] = func(ctx context.Context, _ harness.Exec) error {
			if i == 0 {
				return boom
			}
			return harness.Park(ctx, 200*time.Millisecond)
		}
	}
	wall := map[string]time.Duration{}
	for _, s := range []harness.Strategy{Errgroup{}, Semaphore{}} {
		res, err := runCell(t, context.Background(), tasks, n, s, 4, 1)
		if err != nil {
			t.Fatal(err)
		}
		r := res.Cells[0].Repetitions[0]
		wall[s.Name()] = r.Wall
		t.Logf("%s: wall %v, completed %d, errors %v, cancelled %d", s.Name(), r.Wall, r.Completed, r.Errors, r.Cancelled)
		switch s.(type) {
		case Errgroup:
			if r.Errors["error"] != 1 || r.Cancelled != n-1 {
				t.Errorf("errgroup: errors %v, cancelled %d; want the one failure and the %d others cancelled", r.Errors, r.Cancelled, n-1)
			}
		default:
			if r.Errors["error"] != 1 || r.Cancelled != 0 || r.Completed != n {
				t.Errorf("semaphore: errors %v, cancelled %d, completed %d; want every task run", r.Errors, r.Cancelled, r.Completed)
			}
		}
	}
	// A semaphore of 4 needs 3 rounds of 200 ms; errgroup stops at once.
	if wall["errgroup"]*3 > wall["semaphore"] {
		t.Errorf("errgroup took %v, semaphore %v: want errgroup far faster", wall["errgroup"], wall["semaphore"])
	}
}
