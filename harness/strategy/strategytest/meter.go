package strategytest

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness"
)

// meter counts the tasks running their own code, as the runner's recorder
// does: a parent waiting on its children is not running.
type meter struct {
	running, peak  atomic.Int64
	started, ended atomic.Int64
}

func (m *meter) enter() {
	n := m.running.Add(1)
	for p := m.peak.Load(); n > p && !m.peak.CompareAndSwap(p, n); p = m.peak.Load() {
	}
}

func (m *meter) leave() { m.running.Add(-1) }

// task wraps body so that m counts it.
func (m *meter) task(body harness.Task) harness.Task {
	return func(ctx context.Context, x harness.Exec) error {
		m.started.Add(1)
		m.enter()
		defer func() {
			m.leave()
			m.ended.Add(1)
		}()
		return body(ctx, x)
	}
}

// wait waits on j as a parent that is not running.
func (m *meter) wait(j harness.Join) error {
	m.leave()
	defer m.enter()
	return j.Wait()
}

// tree is a task whose node spawns fanout children down to depth, and
// whose leaves run leaf.
func (m *meter) tree(fanout, depth int, leaf harness.Task) harness.Task {
	if depth == 0 {
		return m.task(leaf)
	}
	return m.task(func(ctx context.Context, x harness.Exec) error {
		children := make([]harness.Task, fanout)
		for i := range children {
			children[i] = m.tree(fanout, depth-1, leaf)
		}
		return m.wait(x.Spawn(children...))
	})
}

// sleep is a leaf that parks for d, or until ctx is done.
func sleep(d time.Duration) harness.Task {
	return func(ctx context.Context, _ harness.Exec) error {
		return harness.Park(ctx, d)
	}
}
