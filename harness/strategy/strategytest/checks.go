package strategytest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness"
	"go.uber.org/goleak"
)

// run starts s at limit under ctx, submits roots, waits, and returns
// Wait's error; Deadline bounds it.
func run(ctx context.Context, s harness.Strategy, limit int, roots ...harness.Task) error {
	return within(describe(s, limit), func() error {
		g := s.Start(ctx, limit)
		for _, r := range roots {
			g.Go(r)
		}
		return g.Wait()
	})
}

// checkDeepTree runs trees five levels deep at limits 1 and 2: a parent
// holding its slot while it waits deadlocks there.
func checkDeepTree(s harness.Strategy) error {
	for _, limit := range limitsOf(s, 1, 2) {
		var m meter
		ctx, cancel := context.WithCancel(context.Background())
		err := run(ctx, s, limit, m.tree(2, 5, sleep(100*time.Microsecond)), m.tree(2, 5, sleep(100*time.Microsecond)))
		cancel()
		var re *ruleError
		if errors.As(err, &re) {
			return err
		}
		if err != nil {
			return broke(RuleNoSlotWhileWaiting, "%s: a tree of depth 5 failed: %v", describe(s, limit), err)
		}
		if got, want := m.ended.Load(), int64(2*63); got != want {
			return broke(RuleNoSlotWhileWaiting, "%s: %d of %d tasks of two trees of depth 5 ran", describe(s, limit), got, want)
		}
	}
	return nil
}

// checkLimit runs many small trees and compares the peak of tasks running
// their own code with the strategy's stated capacity.
func checkLimit(s harness.Strategy) error {
	for _, limit := range limitsOf(s, 1, 2, 3) {
		bound := s.Capacity(limit).Tasks
		if bound == 0 {
			continue // no bound stated
		}
		var m meter
		roots := make([]harness.Task, 4*bound+2)
		for i := range roots {
			roots[i] = m.tree(2, 2, sleep(2*time.Millisecond))
		}
		if err := run(context.Background(), s, limit, roots...); err != nil {
			return err
		}
		if peak := m.peak.Load(); peak > int64(bound) {
			return broke(RuleLimit, "%s ran %d tasks at once, above its capacity of %d", describe(s, limit), peak, bound)
		}
	}
	return nil
}

// checkPanic has a root panic alone, then children and a root, and asks
// the strategy to run as many tasks at once as its capacity: a worker lost
// to a panic shows.
func checkPanic(s harness.Strategy) error {
	for _, limit := range limitsOf(s, 1, 2) {
		var pe *harness.PanicError
		alone := func(context.Context, harness.Exec) error { panic("strategytest: alone") }
		err := run(context.Background(), s, limit, alone)
		if !errors.As(err, &pe) || pe.Value != "strategytest: alone" || !bytes.Contains(pe.Stack, []byte("strategytest.checkPanic.func1")) {
			return broke(RulePanic, "%s: a root's panic gave %v, not a PanicError with the panicking stack", describe(s, limit), err)
		}
		var m meter
		var childErr atomic.Value
		boom := func(context.Context, harness.Exec) error { panic("strategytest: deliberate") }
		parent := m.task(func(ctx context.Context, x harness.Exec) error {
			childErr.Store(errBox{m.wait(x.Spawn(m.task(boom), m.task(boom), m.task(boom)))})
			return nil
		})
		width := s.Capacity(limit).Tasks
		if width == 0 {
			width = 4
		}
		if s.Capacity(limit).Adaptive {
			width = 1 // panics are errors: an adaptive limit rightly cuts itself
		}
		var arrived, most, started atomic.Int64
		var reached atomic.Bool // once width tasks ran at once, none waits more
		barrier := func(ctx context.Context, _ harness.Exec) error {
			started.Add(1)
			n := arrived.Add(1)
			defer arrived.Add(-1)
			for deadline := time.Now().Add(time.Second); n < int64(width) && !reached.Load() && time.Now().Before(deadline); n = arrived.Load() {
				time.Sleep(100 * time.Microsecond)
			}
			if n >= int64(width) {
				reached.Store(true)
			}
			for p := most.Load(); n > p && !most.CompareAndSwap(p, n); p = most.Load() {
			}
			return nil
		}
		roots := []harness.Task{parent, m.task(boom)}
		for range width {
			roots = append(roots, barrier)
		}
		err = run(context.Background(), s, limit, roots...)
		var re *ruleError
		if errors.As(err, &re) {
			return err
		}
		if !errors.As(err, &pe) {
			return broke(RulePanic, "%s: Wait returned %v after a root panicked", describe(s, limit), err)
		}
		// The parent may not have run at all when the root's panic
		// cancelled the group first (errgroup): then there is no join. Or
		// it ran and spawned, but the cancellation came before any child
		// started: then each child reports the context's error, as the
		// contract says.
		box, ran := childErr.Load().(errBox)
		if ran && !errors.As(box.err, &pe) && !errors.Is(box.err, context.Canceled) {
			return broke(RulePanic, "%s: Join.Wait returned %v after children panicked", describe(s, limit), box.err)
		}
		// A strategy that cancels the rest on the first error (errgroup)
		// starts none or some of them: nothing to count. Once all have
		// started, they must have run width at once.
		if got := most.Load(); started.Load() >= int64(width) && got < int64(width) {
			return broke(RulePanic, "%s: after the panics, at most %d of %d tasks ran at once", describe(s, limit), got, width)
		}
	}
	return nil
}

// errBox lets an atomic.Value hold a nil error.
type errBox struct{ err error }

// checkNothingOutlives runs trees, then looks for tasks still running and
// goroutines the group started.
func checkNothingOutlives(s harness.Strategy) error {
	for _, limit := range limitsOf(s, 1, 3) {
		var m meter
		err := run(context.Background(), s, limit, func() []harness.Task {
			roots := make([]harness.Task, 8)
			for i := range roots {
				roots[i] = m.tree(3, 2, sleep(time.Millisecond))
			}
			return roots
		}()...)
		if err != nil {
			return err
		}
		if started, ended := m.started.Load(), m.ended.Load(); started != ended {
			return broke(RuleNothingOutlives, "%s: %d of %d tasks were still running when Wait returned", describe(s, limit), started-ended, started)
		}
	}
	// Goroutines: snapshot, run, and look for new ones once Wait is back.
	for _, limit := range limitsOf(s, 1, 3) {
		var m meter
		before := goleak.IgnoreCurrent()
		g := s.Start(context.Background(), limit)
		for range 8 {
			g.Go(m.tree(3, 2, sleep(time.Millisecond)))
		}
		if err := within(describe(s, limit), g.Wait); err != nil {
			return err
		}
		if err := goleak.Find(before); err != nil {
			return broke(RuleNothingOutlives, "%s: goroutines outlived Wait: %v", describe(s, limit), err)
		}
	}
	return nil
}

// checkNoStartAfterDone submits roots to a group whose context is done,
// and has a root spawn children after cancelling the context.
func checkNoStartAfterDone(s harness.Strategy) error {
	for _, limit := range limitsOf(s, 2) {
		var m meter
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := run(ctx, s, limit, m.task(sleep(0)), m.task(sleep(0)), m.task(sleep(0))); err != nil {
			var re *ruleError
			if errors.As(err, &re) {
				return err
			}
		}
		if m.started.Load() > 0 {
			return broke(RuleNoStartAfterDone, "%s: %d of 3 tasks started in a group whose context was done", describe(s, limit), m.started.Load())
		}

		var c meter
		var joinErr atomic.Value
		ctx, cancel = context.WithCancel(context.Background())
		parent := func(_ context.Context, x harness.Exec) error {
			cancel()
			joinErr.Store(errBox{x.Spawn(c.task(sleep(0)), c.task(sleep(0))).Wait()})
			return nil
		}
		err := run(ctx, s, limit, parent)
		cancel()
		var re *ruleError
		if errors.As(err, &re) {
			return err
		}
		if c.started.Load() > 0 {
			return broke(RuleNoStartAfterDone, "%s: %d of 2 children spawned after the context was done started", describe(s, limit), c.started.Load())
		}
		if box, _ := joinErr.Load().(errBox); !errors.Is(box.err, context.Canceled) {
			return broke(RuleNoStartAfterDone, "%s: Join.Wait of children that never started returned %v, want the context's error", describe(s, limit), box.err)
		}
	}
	return nil
}

// checkConcurrentSpawn has many roots spawn children at once and counts
// how often each child ran (run it under -race to catch data races).
func checkConcurrentSpawn(s harness.Strategy) error {
	const roots, children = 32, 8
	for _, limit := range limitsOf(s, 1, 4) {
		var runs [roots][children]atomic.Int32
		var failed atomic.Int32
		tasks := make([]harness.Task, roots)
		for r := range tasks {
			tasks[r] = func(_ context.Context, x harness.Exec) error {
				kids := make([]harness.Task, children)
				for c := range kids {
					kids[c] = func(context.Context, harness.Exec) error { runs[r][c].Add(1); return nil }
				}
				if x.Spawn(kids...).Wait() != nil {
					failed.Add(1)
				}
				return nil
			}
		}
		if err := run(context.Background(), s, limit, tasks...); err != nil {
			return err
		}
		for r := range runs {
			for c := range runs[r] {
				if n := runs[r][c].Load(); n != 1 {
					return broke(RuleConcurrentSpawn, "%s: child %d of root %d ran %d times", describe(s, limit), c, r, n)
				}
			}
		}
		if failed.Load() > 0 {
			return broke(RuleConcurrentSpawn, "%s: %d joins returned an error", describe(s, limit), failed.Load())
		}
	}
	return nil
}

// checkParallelChildren has one root spawn six leaves of 30 ms and
// compares the median wall time of five trials with the ideal bound:
// ceil(6 / Capacity.Tasks) x 30 ms, or 30 ms without a bound.
func checkParallelChildren(s harness.Strategy) error {
	const leaves, leaf, trials = 6, 30 * time.Millisecond, 5
	for _, limit := range limitsOf(s, 2, 3) {
		ideal := leaf
		if k := s.Capacity(limit).Tasks; k > 0 {
			ideal = time.Duration((leaves+k-1)/k) * leaf
		}
		if s.Capacity(limit).Adaptive {
			ideal = leaves * leaf // it may start at one at a time: no slower than that
		}
		walls := make([]time.Duration, trials)
		for i := range walls {
			var m meter
			start := time.Now()
			root := m.tree(leaves, 1, sleep(leaf))
			if err := run(context.Background(), s, limit, root); err != nil {
				return err
			}
			walls[i] = time.Since(start)
		}
		slices.Sort(walls)
		if median := walls[trials/2]; float64(median) > IdealFactor*float64(ideal) {
			return broke(RuleParallelChildren, "%s: six children of 30ms took %v (median of %d; walls %v), %.1fx the ideal %v",
				describe(s, limit), median.Round(time.Millisecond), trials, walls, float64(median)/float64(ideal), ideal)
		}
	}
	return nil
}
