package harness_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	. "github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
)

// stuck is a test strategy whose Go never returns until release is
// closed: a deadlocked strategy, deaf to its context.
type stuck struct{ release chan struct{} }

func (stuck) Name() string          { return "stuck" }
func (stuck) Doc() string           { return "test only" }
func (stuck) Limited() bool         { return false }
func (stuck) Capacity(int) Capacity { return Capacity{} }
func (s stuck) Start(context.Context, int) Group {
	return stuckGroup(s)
}

type stuckGroup stuck

func (g stuckGroup) Go(Task)     { <-g.release }
func (g stuckGroup) Wait() error { return nil }

// TestRunAbandonsADeadlockedStrategy interrupts a run whose strategy never
// returns: Run still returns, soon after the grace period, with an error
// that says what happened.
func TestRunAbandonsADeadlockedStrategy(t *testing.T) {
	s := stuck{release: make(chan struct{})}
	defer close(s.release) // let the abandoned goroutine end before goleak looks
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
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
func TestPeakMemoryCountsStacks(t *testing.T) {
	const n = 5000
	res, err := runCell(t, context.Background(), sleepy{50 * time.Millisecond}, n, strategy.Unbounded{}, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Cells[0].Repetitions[0]
	if r.PeakStacks < n*2048 || r.PeakMemory < r.PeakStacks || r.PeakMemory <= r.PeakHeap {
		t.Errorf("peak stacks %d B, heap %d B, memory %d B; want stacks of at least %d B counted in memory", r.PeakStacks, r.PeakHeap, r.PeakMemory, n*2048)
	}
}
