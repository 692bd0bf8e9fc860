package harness_test

import (
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	. "github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/strategy"
)

// stuck is a test strategy whose Go never returns until release is
// closed: a deadlocked strategy, deaf to its context.
type stuck struct{ release, entered chan struct{} }

func (stuck) Name() string          { return "stuck" }
func (stuck) Doc() string           { return "test only" }
func (stuck) Limited() bool         { return false }
func (stuck) Capacity(int) Capacity { return Capacity{} }
func (s stuck) Start(context.Context, int) Group {
	return stuckGroup(s)
}

type stuckGroup stuck

func (g stuckGroup) Go(Task) {
	select {
	case g.entered <- struct{}{}:
	default:
	}
	<-g.release
}
func (g stuckGroup) Wait() error { return nil }

// TestRunAbandonsADeadlockedStrategy interrupts a run whose strategy never
// returns: Run still returns, soon after the grace period, with an error
// that says what happened.
func TestRunAbandonsADeadlockedStrategy(t *testing.T) {
	s := stuck{release: make(chan struct{}), entered: make(chan struct{}, 1)}
	defer close(s.release) // let the abandoned goroutine end before goleak looks
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-s.entered; cancel() }() // interrupt once the strategy is stuck, however slow the machine
	p, err := NewPlan(PlanConfig{Workloads: []PlannedWorkload{{Name: "w", Tasks: 2, Workload: sleepy{time.Millisecond}}},
		Strategies: []Strategy{s}, Reps: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := Runner{Grace: 10 * time.Millisecond}
	start := time.Now()
	_, err = r.Run(ctx, p)
	if err == nil || !strings.Contains(err.Error(), "did not return from Wait") || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run() = %v, want the abandoned strategy named", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v to give up", d)
	}
}

// TestPeakMemoryCountsStacks runs 5000 parked tasks at once: each holds a
// goroutine stack of at least 2 KiB, which the heap alone does not show.
// Peaks are measured above what the process held at the start, which
// counts stack memory the runtime keeps free for reuse after earlier
// tests; so at least half of the 10 MB must show.
func TestPeakMemoryCountsStacks(t *testing.T) {
	const n = 5000
	res, err := runCell(t, context.Background(), sleepy{50 * time.Millisecond}, n, strategy.Unbounded{}, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Cells[0].Repetitions[0]
	if r.PeakStacks < n*1024 || r.PeakMemory < r.PeakStacks || r.PeakMemory <= r.PeakHeap {
		t.Errorf("peak stacks %d B, heap %d B, memory %d B; want stacks of at least %d B counted in memory", r.PeakStacks, r.PeakHeap, r.PeakMemory, n*1024)
	}
}

// burner is a test workload: each task runs one CPU section of d.
type burner struct{ d time.Duration }

func (w burner) Batch(n, _ int) (Batch, error) {
	b := Batch{Tasks: make([]Task, n), Cost: Cost{Units: n, Compute: time.Duration(n) * w.d, Critical: w.d}}
	for i := range b.Tasks {
		b.Tasks[i] = func(_ context.Context, x Exec) error {
			x.Compute(func() {
				for start := time.Now(); time.Since(start) < w.d; {
				}
			})
			return nil
		}
	}
	return b, nil
}

// TestWaitForAnExecutorIsWait runs four CPU sections per processor under
// offload: they queue for the GOMAXPROCS compute workers inside tasks that
// have started. That queueing is wait, not service, and the means add up
// to the mean response.
func TestWaitForAnExecutorIsWait(t *testing.T) {
	n := 4 * runtime.GOMAXPROCS(0)
	res, err := runCell(t, context.Background(), burner{5 * time.Millisecond}, n, strategy.Offload{}, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Cells[0].Repetitions[0]
	t.Logf("response p50 %v, wait p50 %v, service p50 %v", r.Response.P50, r.Wait.P50, r.Service.P50)
	// Responses spread over four rounds of 5 ms; service stays one section.
	if float64(r.Service.P50) > 0.8*float64(r.Response.P50) { // was about 0.95 when the queue counted as service
		t.Errorf("service p50 %v is most of response p50 %v: the executor's queue counts as service", r.Service.P50, r.Response.P50)
	}
	if d := r.Wait.Mean + r.Service.Mean - r.Response.Mean; d < -2 || d > 2 {
		t.Errorf("mean wait %v + mean service %v != mean response %v", r.Wait.Mean, r.Service.Mean, r.Response.Mean)
	}
}

// halfFail is a test workload: even tasks park for d, odd ones fail at once.
type halfFail struct{ d time.Duration }

func (w halfFail) Batch(n, _ int) (Batch, error) {
	b := Batch{Tasks: make([]Task, n), Cost: Cost{Units: n, Wait: time.Duration(n) * w.d, Critical: w.d}}
	for i := range b.Tasks {
		b.Tasks[i] = func(ctx context.Context, _ Exec) error {
			if i%2 == 1 {
				return errors.New("refused")
			}
			return Park(ctx, w.d)
		}
	}
	return b, nil
}

// TestFastFailuresAreNotEfficiency runs half of the tasks failing at
// once: the ideal still counts every task (so failing fast reads as
// finishing early, not as work done), goodput counts only the successes,
// and the cell is over its error budget, so no table shows its efficiency
// and no recommendation takes it.
func TestFastFailuresAreNotEfficiency(t *testing.T) {
	res, err := runCell(t, context.Background(), halfFail{5 * time.Millisecond}, 20, strategy.Sequential{}, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Cells[0]
	for i, r := range c.Repetitions {
		if r.Ideal != 100*time.Millisecond {
			t.Errorf("repetition %d: ideal %v, want 100ms: every task's work, failed ones included", i, r.Ideal)
		}
		if want := 10 / r.Wall.Seconds(); math.Abs(r.Throughput-want) > 0.01*want {
			t.Errorf("repetition %d: throughput %.1f/s, want the 10 successes over the wall, %.1f/s", i, r.Throughput, want)
		}
	}
	if got := c.FailedFraction(); got != 0.5 {
		t.Errorf("failed fraction %v, want 0.5", got)
	}
	if !c.OverBudget(results.DefaultErrorBudget) {
		t.Error("a cell half of whose tasks failed is within the default error budget")
	}
}
