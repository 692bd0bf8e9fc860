package harness

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/concbench/concbench/harness/leak"
	"github.com/concbench/concbench/harness/profiles"
	"github.com/concbench/concbench/harness/results"
)

// Runner runs plans. The zero value runs every cell in this process.
type Runner struct {
	// Progress, when set, is called before each repetition (warm-ups
	// included) on the runner's goroutine, or before each isolated cell.
	Progress func(Progress)
	// Args is the command line recorded in the results' environment.
	Args []string
	// Grace is how long tasks in flight may finish once the run's context
	// is done; zero means DefaultGrace.
	Grace time.Duration
	// Isolate, when set, runs each cell through it (package isolate runs
	// a cell in a child process, so that a crash or a hang costs one cell).
	Isolate CellRunner
	// Checkpoint, when set, is called on the runner's goroutine after each
	// cell with the results so far (marked incomplete), for example to
	// write them so that a killed run loses at most the running cell.
	Checkpoint func(*results.Results)
	// ProfileDir is where cells write the profiles the plan asks for
	// (PlanConfig.Profiles); a plan with profiles needs it. An Isolate
	// that runs cells elsewhere is told it separately.
	ProfileDir string
}

// A CellRunner runs all the repetitions of one cell of a plan somewhere
// else than the calling goroutine's process. It reports a cell that
// failed in the result (CellResult.Failed), never as an error; when ctx is
// done it returns what was measured.
type CellRunner interface {
	RunCell(ctx context.Context, p *Plan, c Cell) results.CellResult
}

// DefaultGrace is how long an interrupted run lets tasks in flight finish.
const DefaultGrace = 2 * time.Second

// abandonAfter is how long past the grace period the runner waits for a
// strategy's Wait before it gives up on the repetition.
const abandonAfter = 3 * time.Second

// ErrNotValidated is returned by Run for a plan not made by NewPlan.
var ErrNotValidated = errors.New("harness: the plan was not made by NewPlan")

// Progress says where a run is.
type Progress struct {
	Cell, Cells int  // 1-based index of the running cell, and the count
	Rep, Reps   int  // 1-based index of the repetition in the cell, warm-ups included; 0 for an isolated cell
	Warmup      bool // whether this repetition is a discarded warm-up
	Isolated    bool // whether the cell runs in a child process
	Name        string
	// Workload, Strategy and Limit are the cell's, as its result names them.
	Workload, Strategy string
	Limit              int
	Elapsed            time.Duration // since the run started
}

// Run runs every cell of p: warm-ups, then measured repetitions. It blocks
// until the plan is done or ctx is. When ctx is done, no task starts any
// more; tasks in flight get the grace period to finish (then their own
// context is done too); the repetition cut short is kept, marked
// interrupted, and Run returns what was measured, marked incomplete, with
// ctx.Err(). A strategy whose Wait has not returned a few seconds after
// that is abandoned with an error (its goroutines are left behind). A
// task's error is a data point, not an error of Run. With p.AutoLimits,
// the limit of each limited strategy is searched after the other cells
// (see AutoLimit), each probe a cell of the results. Run is not safe for
// concurrent use: cells share the process.
func (r *Runner) Run(ctx context.Context, p *Plan) (*results.Results, error) {
	if p == nil || !p.validated {
		return nil, ErrNotValidated
	}
	if len(p.Profiles) > 0 && r.ProfileDir == "" {
		return nil, errors.New("harness: the plan records profiles: set Runner.ProfileDir")
	}
	if p.GOMAXPROCS > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(p.GOMAXPROCS))
	}
	if p.MaxStack > 0 {
		defer debug.SetMaxStack(debug.SetMaxStack(int(p.MaxStack)))
	}
	res := results.New(r.Args, p.Record())
	cells := p.Cells()
	start := time.Now()
	measured := 0
	measure := func(cell Cell) (results.CellResult, error) {
		measured++
		cr, err := r.cell(ctx, p, cell, measured, max(len(cells), measured), start)
		if cr.Failed != "" || len(cr.Repetitions) > 0 {
			res.Cells = append(res.Cells, cr)
			if r.Checkpoint != nil && (measured < len(cells) || p.AutoLimits) && ctx.Err() == nil {
				r.Checkpoint(res)
			}
		}
		return cr, err
	}
	for _, cell := range cells {
		if ctx.Err() != nil {
			break
		}
		if _, err := measure(cell); err != nil {
			return res, err
		}
	}
	if p.AutoLimits && ctx.Err() == nil {
		if err := r.searchLimits(ctx, p, measure); err != nil {
			return res, err
		}
		orderCells(res.Cells, p)
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	res.Complete = true
	return res, nil
}

// cell measures one cell, isolated or in this process, reporting progress
// as cell i of n.
func (r *Runner) cell(ctx context.Context, p *Plan, cell Cell, i, n int, start time.Time) (results.CellResult, error) {
	if r.Isolate != nil {
		if r.Progress != nil {
			r.Progress(Progress{Cell: i, Cells: n, Isolated: true, Name: cell.String(), Elapsed: time.Since(start),
				Workload: cell.Workload.Name, Strategy: cell.Strategy.Name(), Limit: cell.Limit})
		}
		return r.Isolate.RunCell(ctx, p, cell), nil
	}
	report := func(rep int) {
		if r.Progress != nil {
			r.Progress(Progress{Cell: i, Cells: n, Rep: rep + 1, Reps: p.Warmup + p.Reps,
				Warmup: rep < p.Warmup, Name: cell.String(), Elapsed: time.Since(start),
				Workload: cell.Workload.Name, Strategy: cell.Strategy.Name(), Limit: cell.Limit})
		}
	}
	return r.runCell(ctx, p, cell, report)
}

// runCell runs the warm-ups and repetitions of one cell in this process.
func (r *Runner) runCell(ctx context.Context, p *Plan, cell Cell, progress func(rep int)) (results.CellResult, error) {
	cr := results.CellResult{
		Workload: cell.Workload.Name, Strategy: cell.Strategy.Name(),
		Limit: cell.Limit, Tasks: cell.Tasks, Unbounded: cell.Strategy.Capacity(max(cell.Limit, 1)).Tasks == 0,
	}
	grace := r.Grace
	if grace == 0 {
		grace = DefaultGrace
	}
	taskCtx, cancelTasks := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelTasks()
	stopAfter := context.AfterFunc(ctx, func() { time.AfterFunc(grace, cancelTasks) })
	defer stopAfter()
	var profiled *profiles.Session
	reps, complete, err := Repeat(ctx, p.Warmup, p.Reps, func(rep int, _ []results.Repetition) (results.Repetition, error) {
		progress(rep)
		if rep == p.Warmup && len(p.Profiles) > 0 {
			profiled = profiles.Start(p.Profiles, r.ProfileDir, cellFileName(cell))
		}
		if profiled != nil {
			profiled.Begin()
		}
		r, err := runRepetition(ctx, taskCtx, cell, rep, grace+abandonAfter)
		if profiled != nil {
			profiled.Repetition(r.Wall)
		}
		return r, err
	})
	if profiled != nil {
		got, perr := profiled.Stop()
		cr.Profiles, cr.CPUTop, cr.Trace = got.Files, got.Top, got.Trace
		if perr != nil {
			cr.Stderr = "profiling: " + perr.Error() // the measurement stands
		}
	}
	var runErr error
	if err != nil {
		runErr = fmt.Errorf("%s: %w", cell, err)
	}
	cr.Repetitions, cr.Complete = reps, complete
	if len(cr.Repetitions) > 0 {
		cr.Summary = results.Combine(results.Summarized(cr.Repetitions))
		cr.Summary.Histograms.Compact()
	}
	return cr, runErr
}

// RunRepetition runs repetition rep (from 0) of cell once in this process
// and returns what it measured: the runner's own step, for callers that
// drive repetitions themselves (package benchtest). ctx stops it as Run's
// does, with DefaultGrace.
func RunRepetition(ctx context.Context, c Cell, rep int) (results.Repetition, error) {
	taskCtx, cancelTasks := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelTasks()
	stopAfter := context.AfterFunc(ctx, func() { time.AfterFunc(DefaultGrace, cancelTasks) })
	defer stopAfter()
	return runRepetition(ctx, taskCtx, c, rep, DefaultGrace+abandonAfter)
}

// runRepetition runs one repetition of cell: no task starts once stop is
// done; tasks run under taskCtx. A workload that cannot make its batch is
// an error, and so is a strategy whose Wait is still blocked abandon after
// stop is done.
func runRepetition(stop, taskCtx context.Context, cell Cell, rep int, abandon time.Duration) (results.Repetition, error) {
	n := cell.Tasks
	batch, err := batchOf(cell.Workload.Workload, n, rep, cell.Limit)
	if err != nil {
		return results.Repetition{}, err
	}
	if batch.Task == nil && len(batch.Tasks) != n {
		return results.Repetition{}, fmt.Errorf("workload made %d tasks, want %d", len(batch.Tasks), n)
	}
	if batch.Classes != nil && len(batch.Classes) != n {
		return results.Repetition{}, fmt.Errorf("workload named the class of %d tasks, want %d", len(batch.Classes), n)
	}
	rec := NewRecorder()
	runtime.GC() // start every repetition from a collected heap
	alive := leak.Take()
	pr := newProbe()
	pr.start()
	t0 := time.Now()
	groupCtx := taskCtx
	if gt := cell.Workload.GroupTimeout; gt > 0 {
		var cancel context.CancelFunc
		groupCtx, cancel = context.WithDeadline(taskCtx, t0.Add(gt))
		defer cancel()
	}
	g := cell.Strategy.Start(groupCtx, max(cell.Limit, 1))
	rec.Reset(t0)
	waited, abandoned := make(chan struct{}), make(chan struct{})
	stopAbandon := context.AfterFunc(stop, func() { time.AfterFunc(abandon, func() { close(abandoned) }) })
	defer stopAbandon()
	go func() {
		defer close(waited)
		for i := range n { // each root made as the strategy takes it: memory follows the tasks in flight
			if stop.Err() != nil {
				break
			}
			r := &root{task: batch.TaskAt(i), i: i, rec: rec, timeout: cell.Workload.Timeout, stop: stop}
			switch {
			case batch.Class != nil:
				r.class = batch.Class(i)
			case batch.Classes != nil:
				r.class = batch.Classes[i]
			}
			g.Go(r.run)
		}
		_ = g.Wait() // task errors are in the samples
	}()
	select {
	case <-waited:
	case <-abandoned:
		pr.stop()
		return results.Repetition{}, fmt.Errorf("strategy %s did not return from Wait %v after the interruption: a task ignores its context, or a deadlock (does a waiting parent hold a slot?)", cell.Strategy.Name(), abandon)
	}
	wall := time.Since(t0)
	rt := pr.stop()

	m := rec.Repetition(n, wall)
	m.Histograms.Compact() // kept for the run: small, so later repetitions' heaps do not carry them
	// The ideal is every task's: a task that failed fast did not do its
	// work, so failing is never efficient (a cell over its error budget
	// shows no efficiency at all). A timeout caps each task's cost.
	m.Ideal = batch.Cost.Within(cell.Workload.Timeout).Ideal(cell.Strategy.Capacity(cell.Limit), runtime.GOMAXPROCS(0))
	if gt := cell.Workload.GroupTimeout; gt > 0 {
		m.Ideal = min(m.Ideal, gt) // nothing works past the group's deadline
	}
	if wall > 0 {
		m.Efficiency = float64(m.Ideal) / float64(wall)
	}
	m.PeakInFlight = rec.PeakInFlight()
	m.Runtime = rt
	m.Counters = counters(g, batch)
	if batch.Close != nil {
		batch.Close()
	}
	m.Leaked, m.Leaks = leaked(alive)
	return m, nil
}

// cellFileName is the cell as its files name it: "io pool 8".
func cellFileName(c Cell) string {
	return results.CellResult{Workload: c.Workload.Name, Strategy: c.Strategy.Name(), Limit: c.Limit}.Name()
}

// leakSettle is how long the leak check lets goroutines on their way out
// end: it returns at once when none is left.
const leakSettle = 100 * time.Millisecond

// pooled are the functions of goroutines that outlive tasks by design:
// connection pools' (net/http's kept-alive connections on both sides,
// fasthttp's workers and cleaners). The leak check leaves them out.
var pooled = []string{
	"net/http.(*persistConn).",
	"net/http.(*conn).serve",
	"net/http.(*http2ClientConn).",
	"net/http.(*http2serverConn).",
	"github.com/valyala/fasthttp.",
}

// keptLeaks is how many kinds of leaked goroutine a repetition keeps a
// stack of.
const keptLeaks = 3

// leaked counts the goroutines started since alive and still running,
// and keeps a stack of the commonest kinds.
func leaked(alive leak.Snapshot) (int, []results.Leak) {
	kinds := alive.Since(leakSettle, pooled...)
	var kept []results.Leak
	for _, k := range kinds[:min(len(kinds), keptLeaks)] {
		kept = append(kept, results.Leak{Count: k.Count, Stack: k.Stack[:min(len(k.Stack), 4096)]})
	}
	return leak.Count(kinds), kept
}

// counters gathers what the strategy's group and the workload's batch
// counted; nil when neither counts.
func counters(g Group, b Batch) map[string]float64 {
	var out map[string]float64
	add := func(m map[string]float64) {
		for k, v := range m {
			if out == nil {
				out = map[string]float64{}
			}
			out[k] = v
		}
	}
	if c, ok := g.(Counting); ok {
		add(c.Counters())
	}
	if b.Counters != nil {
		add(b.Counters())
	}
	return out
}
