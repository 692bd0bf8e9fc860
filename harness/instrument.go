package harness

import (
	"context"
	"sync/atomic"
	"time"
)

// instrumented wraps a strategy's Exec so that the recorder sees children
// start and end, sees a parent stop running while it waits on a Join, and
// sees how long a root's own sections wait for a slot (an executor worker)
// before they run. Wrapping costs one small allocation per child task, and
// per section of a root two clock reads and a closure.
type instrumented struct {
	Exec
	rec    *Recorder
	queued *atomic.Int64 // the root's time queued, in nanoseconds; nil for a child, whose waits overlap its siblings'
}

// Compute runs fn through the strategy and records how long it waited to
// start.
func (x instrumented) Compute(fn func()) {
	if x.queued == nil {
		x.Exec.Compute(fn)
		return
	}
	asked := time.Now()
	var began time.Time
	x.Exec.Compute(func() { began = time.Now(); fn() })
	x.queued.Add(int64(began.Sub(asked)))
}

// Block runs fn through the strategy and records how long it waited to
// start.
func (x instrumented) Block(fn func() error) error {
	if x.queued == nil {
		return x.Exec.Block(fn)
	}
	asked := time.Now()
	var began time.Time
	err := x.Exec.Block(func() error { began = time.Now(); return fn() })
	if !began.IsZero() {
		x.queued.Add(int64(began.Sub(asked)))
	}
	return err
}

func (x instrumented) Spawn(children ...Task) Join {
	wrapped := make([]Task, len(children))
	for i, child := range children {
		wrapped[i] = func(ctx context.Context, inner Exec) error {
			x.rec.Enter()
			defer x.rec.Leave()
			return child(ctx, instrumented{Exec: inner, rec: x.rec})
		}
	}
	return instrumentedJoin{Join: x.Exec.Spawn(wrapped...), rec: x.rec}
}

type instrumentedJoin struct {
	Join
	rec *Recorder
}

func (j instrumentedJoin) Wait() error {
	j.rec.Leave()
	defer j.rec.Enter()
	return j.Join.Wait()
}

// root is a root task as the runner hands it to a strategy, made as the
// strategy takes it and kept only while it runs: it stamps task i's
// sample and returns the task's error, which is a data point: the runner
// ignores what Wait returns, but a strategy may act on it (errgroup
// cancels the rest).
type root struct {
	task    Task
	i       int
	class   string // the task's class; "": none
	rec     *Recorder
	timeout time.Duration   // 0: none
	stop    context.Context // once done, the task does not start
	exec    instrumented
	queued  atomic.Int64 // nanoseconds its sections waited for a slot
}

func (r *root) run(ctx context.Context, x Exec) error {
	if r.stop != nil && r.stop.Err() != nil || ctx.Err() != nil {
		return nil // interrupted or past the group's deadline before it started: no sample
	}
	if r.timeout > 0 { // costs a timer per task, only when asked for
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.timeout)
		defer cancel()
	}
	start := r.rec.Begin()
	r.exec = instrumented{Exec: x, rec: r.rec, queued: &r.queued}
	err := Call(ctx, r.task, &r.exec)
	r.rec.End(r.i, start, time.Duration(r.queued.Load()), r.class, err)
	return err // recorded; a strategy with TaskGroup semantics (errgroup) cancels on it
}
