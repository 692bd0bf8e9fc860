package harness

import (
	"context"
	"time"
)

// instrumented wraps a strategy's Exec so that the recorder sees children
// start and end, sees a parent stop running while it waits on a Join, and
// sees how long a root's own sections wait for a slot (an executor worker)
// before they run. Wrapping costs one small allocation per child task, and
// per section of a root two clock reads and a closure.
type instrumented struct {
	Exec
	rec  *Recorder
	root int // the root's sample; -1 for a child, whose waits overlap its siblings'
}

// Compute runs fn through the strategy and records how long it waited to
// start.
func (x instrumented) Compute(fn func()) {
	if x.root < 0 {
		x.Exec.Compute(fn)
		return
	}
	asked := time.Now()
	var began time.Time
	x.Exec.Compute(func() { began = time.Now(); fn() })
	x.rec.Queue(x.root, began.Sub(asked))
}

// Block runs fn through the strategy and records how long it waited to
// start.
func (x instrumented) Block(fn func() error) error {
	if x.root < 0 {
		return x.Exec.Block(fn)
	}
	asked := time.Now()
	var began time.Time
	err := x.Exec.Block(func() error { began = time.Now(); return fn() })
	if !began.IsZero() {
		x.rec.Queue(x.root, began.Sub(asked))
	}
	return err
}

func (x instrumented) Spawn(children ...Task) Join {
	wrapped := make([]Task, len(children))
	for i, child := range children {
		wrapped[i] = func(ctx context.Context, inner Exec) error {
			x.rec.Enter()
			defer x.rec.Leave()
			return child(ctx, instrumented{Exec: inner, rec: x.rec, root: -1})
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

// root is a root task as the runner hands it to a strategy: it stamps
// sample i and returns the task's error, which is a data point: the runner
// ignores what Wait returns, but a strategy may act on it (errgroup
// cancels the rest).
type root struct {
	task    Task
	i       int
	rec     *Recorder
	timeout time.Duration   // 0: none
	stop    context.Context // once done, the task does not start
	exec    instrumented
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
	r.rec.Begin(r.i)
	r.exec = instrumented{Exec: x, rec: r.rec, root: r.i}
	err := Call(ctx, r.task, &r.exec)
	r.rec.End(r.i, err)
	return err // recorded; a strategy with TaskGroup semantics (errgroup) cancels on it
}
