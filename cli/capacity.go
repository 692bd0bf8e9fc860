package cli

import (
	"context"
	"fmt"
	"io"
	"os"
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
	workload := fs.String("workload", "http", "workload to sweep (see bench list)")
	strategy := fs.String("strategy", "semaphore", "strategy whose limit is swept")
	limits := intsValue{1, 2, 4, 8, 16, 32, 64, 128}
	fs.Var(&limits, "limits", "concurrencies to measure (at least 6 for the fit)")
	reps := fs.Int("reps", 3, "repetitions at each concurrency")
	warmup := fs.Int("warmup", 1, "discarded repetitions at each concurrency")
	perLimit := fs.Int("tasks-per-limit", 10, "tasks per repetition are this many times the limit (at least the workload's default)")
	sloText := fs.String("slo", "", "SLO, e.g. 'p99<=50ms,errors<1%': the highest concurrency that meets it is the recommended limit")
	fit := fs.String("fit", "", "fit concurrency,throughput lines from this CSV file instead of measuring")
	weights := fs.String("fit-weights", string(capacity.OLS), "residuals the USL fit minimises: ols (least squares on throughput, as the USL literature) or relative (1/throughput)")
	target := fs.String("target", "", "URL for the http workload")
	isolated := fs.Bool("isolate", true, "run each concurrency in a child process (see bench run -h)")
	cellTimeout := fs.Duration("cell-timeout", isolate.DefaultDeadline, "an isolated point with no result by then is stopped and reported hung")
	out := fs.String("out", "results", "parent folder of run folders")
	label := fs.String("label", "", "suffix of the run folder name")
	params := paramsValue{}
	fs.Var(params, "param", "workload parameter workload.name=value (repeatable)")
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return err
	}
	if err := checkLabel("-label", *label); err != nil {
		return err
	}
	var slo results.SLO
	if *sloText != "" {
		var err error
		if slo, err = results.ParseSLO("slo", *sloText); err != nil {
			return err
		}
	}
	if !slices.Contains(capacity.Weightings(), capacity.Weighting(*weights)) {
		return usagef("-fit-weights: %q: want ols or relative", *weights)
	}
	args = append([]string{"bench", "capacity"}, args...)
	if *fit != "" {
		return fitFile(*fit, *out, *label, args, capacity.Weighting(*weights), stdout)
	}

	if *perLimit < 1 || *perLimit > 1000 {
		return usagef("-tasks-per-limit: %d is out of range 1..1000", *perLimit)
	}
	if err := checkCellTimeout(*cellTimeout); err != nil {
		return err
	}
	for family := range params {
		if family != *workload {
			return usagef("-param %s: the sweep runs only %s", family, *workload)
		}
	}
	p, err := plan.Build(plan.Spec{
		Workloads:  []results.WorkloadRecord{{Name: *workload, Params: params[*workload], TasksPerLimit: *perLimit}},
		Strategies: []string{*strategy}, Limits: limits, Reps: *reps, Warmup: *warmup, Target: *target,
	})
	err = singularFlags(err)
	if err != nil {
		return err
	}
	defer p.Close()
	if !p.Strategies[0].Limited() {
		return usagef("-strategy: %s has no limit to sweep (use pool, semaphore or offload)", *strategy)
	}
	dir, err := rundir.NewRunDir(*out, *label, time.Now())
	if err != nil {
		return usagef("-out: %v", err)
	}
	progress := newProgress(stderr)
	runner := harness.Runner{Args: args, Progress: progress.show}
	if *isolated {
		runner.Isolate = &isolate.Cells{Deadline: *cellTimeout}
	}
	res, runErr := capacity.Sweep(ctx, p.Record(), func(ctx context.Context) (*results.Results, error) { return runner.Run(ctx, p) }, slo, capacity.Weighting(*weights))
	progress.clear()
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
