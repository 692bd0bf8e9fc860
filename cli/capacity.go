package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/capacity"
	"github.com/concbench/concbench/harness/isolate"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
	"github.com/concbench/concbench/plan"
)

// capacityRun sweeps concurrency for one workload and strategy and fits a
// capacity model, or (-fit FILE) fits measurements taken elsewhere.
func capacityRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("capacity")
	o := defineCapacityFlags(fs)
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return err
	}
	if err := checkLabel("-label", o.label); err != nil {
		return err
	}
	var slo results.SLO
	if o.slo != "" {
		var err error
		if slo, err = results.ParseSLO("slo", o.slo); err != nil {
			return err
		}
	}
	if !slices.Contains(capacity.Weightings(), capacity.Weighting(o.weights)) {
		return usagef("-fit-weights: %q: want ols or relative", o.weights)
	}
	args = append([]string{"bench", "capacity"}, args...)
	if o.fit != "" {
		return fitFile(o.fit, o.out, o.label, args, capacity.Weighting(o.weights), stdout)
	}
	p, err := o.plan()
	if err != nil {
		return err
	}
	defer p.Close()
	return o.sweep(ctx, p, slo, args, stdout, stderr)
}

// capacityOptions are the flags of bench capacity.
type capacityOptions struct {
	workload, strategy, slo, fit, weights, target, out, label string
	limits                                                    intsValue
	reps, warmup, perLimit, tasks                             int
	isolated                                                  bool
	cellTimeout                                               time.Duration
	params                                                    paramsValue
	live                                                      *liveFlags
}

func defineCapacityFlags(fs *flag.FlagSet) *capacityOptions {
	o := &capacityOptions{limits: intsValue{1, 2, 4, 8, 16, 32, 64, 128}, params: paramsValue{}}
	fs.StringVar(&o.workload, "workload", "http", "workload to sweep (see bench list)")
	fs.StringVar(&o.strategy, "strategy", "semaphore", "strategy whose limit is swept")
	fs.Var(&o.limits, "limits", "concurrencies to measure (at least 6 for the fit)")
	fs.IntVar(&o.reps, "reps", 3, "repetitions at each concurrency")
	fs.IntVar(&o.warmup, "warmup", 1, "discarded repetitions at each concurrency")
	fs.IntVar(&o.perLimit, "tasks-per-limit", 10, "tasks per repetition are this many times the limit (at least -tasks)")
	fs.IntVar(&o.tasks, "tasks", 0, "the fewest tasks per repetition (0: the workload's default). -tasks 1 -tasks-per-limit 1 makes each repetition one wave of limit tasks that start together: Amdahl's setting, in which the fitted sigma is a serial fraction")
	fs.StringVar(&o.slo, "slo", "", "SLO, e.g. 'p99<=50ms,errors<1%': the highest concurrency that meets it is the recommended limit")
	fs.StringVar(&o.fit, "fit", "", "fit concurrency,throughput lines from this CSV file instead of measuring")
	fs.StringVar(&o.weights, "fit-weights", string(capacity.OLS), "residuals the USL fit minimises: ols (least squares on throughput, as the USL literature) or relative (1/throughput)")
	fs.StringVar(&o.target, "target", "", "URL for the http workload")
	fs.BoolVar(&o.isolated, "isolate", true, "run each concurrency in a child process (see bench run -h)")
	fs.DurationVar(&o.cellTimeout, "cell-timeout", isolate.DefaultDeadline, "an isolated point with no result by then is stopped and reported hung")
	fs.StringVar(&o.out, "out", "results", "parent folder of run folders")
	fs.StringVar(&o.label, "label", "", "suffix of the run folder name")
	fs.Var(o.params, "param", "workload parameter workload.name=value (repeatable)")
	o.live = defineLiveFlags(fs)
	return o
}

// plan builds the sweep's plan: one workload and strategy at each limit.
func (o *capacityOptions) plan() (*harness.Plan, error) {
	if o.perLimit < 1 || o.perLimit > 1000 {
		return nil, usagef("-tasks-per-limit: %d is out of range 1..1000", o.perLimit)
	}
	if err := checkCellTimeout(o.cellTimeout); err != nil {
		return nil, err
	}
	if o.tasks < 0 || o.tasks > 10_000_000 {
		return nil, usagef("-tasks: %d is out of range 0..10000000", o.tasks)
	}
	for family := range o.params {
		if family != o.workload {
			return nil, usagef("-param %s: the sweep runs only %s", family, o.workload)
		}
	}
	p, err := plan.Build(plan.Spec{
		Workloads:  []results.WorkloadRecord{{Name: o.workload, Params: o.params[o.workload], Tasks: o.tasks, TasksPerLimit: o.perLimit}},
		Strategies: []string{o.strategy}, Limits: o.limits, Reps: o.reps, Warmup: o.warmup, Target: o.target,
	})
	if err = singularFlags(err); err != nil {
		return nil, err
	}
	if !p.Strategies[0].Limited() {
		p.Close()
		return nil, usagef("-strategy: %s has no limit to sweep (use pool, semaphore or offload)", o.strategy)
	}
	return p, nil
}

// sweep measures p at each limit, fits the models and writes the run
// folder and the table.
func (o *capacityOptions) sweep(ctx context.Context, p *harness.Plan, slo results.SLO, args []string, stdout, stderr io.Writer) error {
	dir, err := rundir.NewRunDir(o.out, o.label, time.Now())
	if err != nil {
		return usagef("-out: %v", err)
	}
	watch, err := o.live.start("capacity", filepath.Base(dir), "", stderr)
	if err != nil {
		os.Remove(dir)
		return err
	}
	progress := newProgress(stderr)
	runner := harness.Runner{Args: args, Progress: func(p harness.Progress) { progress.show(p); watch.progress(p) },
		Checkpoint: func(r *results.Results) { watch.cells(r, dir) }}
	if o.isolated {
		runner.Isolate = &isolate.Cells{Deadline: o.cellTimeout}
	}
	res, runErr := capacity.Sweep(ctx, p.Record(), func(ctx context.Context) (*results.Results, error) { return runner.Run(ctx, p) }, slo, capacity.Weighting(o.weights))
	progress.clear()
	defer func() { watch.done(res, dir) }()
	if res == nil || len(res.Cells) == 0 {
		os.Remove(dir)
		return runErr
	}
	for _, c := range res.Cells {
		if c.Failed != "" {
			fmt.Fprintf(stderr, "concurrency %d failed: %s\n%s\n", c.Limit, c.Failed, c.Stderr)
		}
	}
	if err := report.Write(dir, res); err != nil {
		return fmt.Errorf("writing %s: %v", dir, err)
	}
	if err := report.WriteCapacityTable(stdout, res.Capacity); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nresults: %s\n", dir)
	return runErr
}

// fitFile fits measurements from a CSV file and writes a run folder with
// the model, capacity.csv and the chart.
func fitFile(path, out, label string, args []string, w capacity.Weighting, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return usagef("-fit: %v", err)
	}
	defer f.Close()
	res, err := capacity.FitReader(f, path, args, w)
	if err != nil {
		return usagef("-fit: %s: %v", path, err)
	}
	dir, err := rundir.NewRunDir(out, label, time.Now())
	if err != nil {
		return usagef("-out: %v", err)
	}
	if err := report.Write(dir, res); err != nil {
		os.RemoveAll(dir) // the file's points are still there: nothing measured is lost
		return fmt.Errorf("writing %s: %v", dir, err)
	}
	if err := report.WriteCapacityTable(stdout, res.Capacity); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nresults: %s\n", dir)
	return nil
}
