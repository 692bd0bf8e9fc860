package harness

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"time"
)

// Runner runs plans. The zero value is ready to use.
type Runner struct {
	// Progress, when set, is called before each repetition (warm-ups
	// included) on the runner's goroutine.
	Progress func(Progress)
	// Args is the command line recorded in the results' environment.
	Args []string
	// Grace is how long tasks in flight may finish once the run's context
	// is done; zero means DefaultGrace.
	Grace time.Duration
}

// DefaultGrace is how long an interrupted run lets tasks in flight finish.
const DefaultGrace = 2 * time.Second

// Progress says where a run is.
type Progress struct {
	Cell, Cells int  // 1-based index of the running cell, and the count
	Rep, Reps   int  // 1-based index of the repetition in the cell, warm-ups included
	Warmup      bool // whether this repetition is a discarded warm-up
	Name        string
	Elapsed     time.Duration // since the run started
}

// Run runs every cell of p: warm-ups, then measured repetitions. It blocks
// until the plan is done or ctx is. When ctx is done, no task starts any
// more; tasks in flight get the grace period to finish (then their own
// context is done too); the repetition cut short is kept, marked
// interrupted, and Run returns what was measured, marked incomplete, with
// ctx.Err(). A task's error is a data point, not an error of Run. Run is
// not safe for concurrent use: cells share the process.
func (r *Runner) Run(ctx context.Context, p *Plan) (*Results, error) {
	res := &Results{Schema: Schema, Env: CaptureEnvironment(r.Args), Plan: p.Record()}
	cells := p.Cells()
	start := time.Now()
	taskCtx, cancelTasks := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelTasks()
	grace := r.Grace
	if grace == 0 {
		grace = DefaultGrace
	}
	stopAfter := context.AfterFunc(ctx, func() { time.AfterFunc(grace, cancelTasks) })
	defer stopAfter()
	for ci, cell := range cells {
		cr := CellResult{
			Workload: cell.Workload.Name, Strategy: cell.Strategy.Name(),
			Limit: cell.Limit, Tasks: cell.Workload.Tasks, Complete: true,
		}
		total := p.Warmup + p.Reps
		for rep := range total {
			if ctx.Err() != nil {
				break
			}
			if r.Progress != nil {
				r.Progress(Progress{Cell: ci + 1, Cells: len(cells), Rep: rep + 1, Reps: total,
					Warmup: rep < p.Warmup, Name: cell.String(), Elapsed: time.Since(start)})
			}
			m, err := runRepetition(ctx, taskCtx, cell, rep)
			if err != nil {
				return res, fmt.Errorf("%s: %w", cell, err)
			}
			if ctx.Err() != nil {
				if m.Completed > 0 && rep >= p.Warmup {
					m.Interrupted = true
					cr.Repetitions = append(cr.Repetitions, m)
				}
				break
			}
			if rep >= p.Warmup {
				cr.Repetitions = append(cr.Repetitions, m)
			}
		}
		cr.Complete = len(cr.Repetitions) == p.Reps && !slices.ContainsFunc(cr.Repetitions, func(r Repetition) bool { return r.Interrupted })
		if len(cr.Repetitions) > 0 {
			cr.Summary = Combine(whole(cr.Repetitions))
			res.Cells = append(res.Cells, cr)
		}
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	res.Complete = true
	return res, nil
}

// whole drops interrupted repetitions unless there is nothing else.
func whole(reps []Repetition) []Repetition {
	var out []Repetition
	for _, r := range reps {
		if !r.Interrupted {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return reps
	}
	return out
}

// runRepetition runs one repetition of cell: no task starts once stop is
// done; tasks run under taskCtx. Only a workload that cannot make its
// batch is an error.
func runRepetition(stop, taskCtx context.Context, cell Cell, rep int) (Repetition, error) {
	n := cell.Workload.Tasks
	batch, err := cell.Workload.Workload.Batch(n, rep)
	if err != nil {
		return Repetition{}, err
	}
	if len(batch.Tasks) != n {
		return Repetition{}, fmt.Errorf("workload made %d tasks, want %d", len(batch.Tasks), n)
	}
	rec := NewRecorder(n)
	roots := make([]root, n)
	fns := make([]Task, n)
	for i := range roots {
		roots[i] = root{task: batch.Tasks[i], i: i, rec: rec, timeout: cell.Workload.Timeout, stop: stop}
		fns[i] = roots[i].run
	}
	runtime.GC() // start every repetition from a collected heap
	pr := newProbe()
	pr.start()
	g := cell.Strategy.Start(taskCtx, max(cell.Limit, 1))
	t0 := time.Now()
	rec.Reset(t0)
	for _, fn := range fns {
		if stop.Err() != nil {
			break
		}
		g.Go(fn)
	}
	_ = g.Wait() // root tasks return nil; their errors are in the samples
	wall := time.Since(t0)
	rt := pr.stop()

	m := Summarize(rec.Samples(), wall)
	m.Ideal = batch.Cost.Ideal(cell.Strategy.Capacity(cell.Limit), runtime.GOMAXPROCS(0))
	if wall > 0 {
		m.Efficiency = float64(m.Ideal) / float64(wall)
	}
	m.PeakInFlight = rec.PeakInFlight()
	m.Runtime = rt
	return m, nil
}
