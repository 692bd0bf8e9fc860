package strategytest_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
	"github.com/concbench/concbench/harness/strategy/strategytest"
	"go.uber.org/goleak"
	"golang.org/x/sync/errgroup"
)

// TestMain fails the package if a test leaves a goroutine behind, except
// those of the deadlocked strategy below, which nothing can wake.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/concbench/concbench/harness/strategy/strategytest_test.(*errgroupGroup).Go"),
		goleak.IgnoreAnyFunction("github.com/concbench/concbench/harness/strategy/strategytest_test.(*errgroupGroup).Spawn"),
		goleak.IgnoreAnyFunction("github.com/concbench/concbench/harness/strategy/strategytest_test.(*errgroupJoin).Wait"),
		goleak.IgnoreAnyFunction("golang.org/x/sync/errgroup.(*Group).Wait"))
}

// TestBuiltins runs the suite on every built-in strategy.
func TestBuiltins(t *testing.T) {
	for _, s := range strategy.All() {
		t.Run(s.Name(), func(t *testing.T) { strategytest.Test(t, s) })
	}
}

// errgroupViaGo is the strategy a user might write first: errgroup with
// SetLimit, children sent through Go like roots. A parent waiting on its
// children holds its slot, so at limit 1 the first Spawn deadlocks.
type errgroupViaGo struct{}

func (errgroupViaGo) Name() string  { return "errgroup-via-go" }
func (errgroupViaGo) Doc() string   { return "test only: children through errgroup.Go" }
func (errgroupViaGo) Limited() bool { return true }
func (errgroupViaGo) Capacity(limit int) harness.Capacity {
	return harness.Capacity{Tasks: limit, Compute: limit, Block: limit}
}
func (errgroupViaGo) Start(ctx context.Context, limit int) harness.Group {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	return &errgroupGroup{Inline: strategy.Inline{}, g: g, ctx: ctx}
}

type errgroupGroup struct {
	strategy.Inline
	g   *errgroup.Group
	ctx context.Context
}

func (e *errgroupGroup) Go(t harness.Task) {
	e.g.Go(func() error { return harness.Call(e.ctx, t, e) })
}

func (e *errgroupGroup) Wait() error { return e.g.Wait() }

func (e *errgroupGroup) Spawn(children ...harness.Task) harness.Join {
	j := &errgroupJoin{}
	j.wg.Add(len(children))
	for _, c := range children {
		e.g.Go(func() error { defer j.wg.Done(); return harness.Call(e.ctx, c, e) })
	}
	return j
}

type errgroupJoin struct{ wg sync.WaitGroup }

func (j *errgroupJoin) Wait() error { j.wg.Wait(); return nil }

// TestErrgroupThroughGoFails checks that the suite catches the deadlock
// and names the rule it breaks.
func TestErrgroupThroughGoFails(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for deadlocks")
	}
	err := strategytest.Check(errgroupViaGo{})
	if err == nil || !strings.Contains(err.Error(), strategytest.RuleNoSlotWhileWaiting) {
		t.Fatalf("Check = %v, want a failure naming %q", err, strategytest.RuleNoSlotWhileWaiting)
	}
	t.Logf("the suite reports:\n%v", err)
}

// TestOverheadRunsBothSides checks that Overhead times the strategy and
// its bare side as two sub-benchmarks of each pair, every task run.
func TestOverheadRunsBothSides(t *testing.T) {
	var bareRuns int
	res := testing.Benchmark(func(b *testing.B) {
		strategytest.Overhead(b, 2, []strategytest.Pair{{Strategy: strategy.Pool{}, Bare: "calls", RunBare: func(b *testing.B) {
			bareRuns++
			for range b.N {
			}
		}}})
	})
	if bareRuns == 0 || res.N == 0 {
		t.Errorf("the bare side ran %d times, the benchmark N %d", bareRuns, res.N)
	}
}
