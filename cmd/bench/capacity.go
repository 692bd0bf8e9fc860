package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/capacity"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/workloads"
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
	target := fs.String("target", "", "URL for the http workload")
	isolate := fs.Bool("isolate", true, "run each concurrency in a child process (see bench run -h)")
	cellTimeout := fs.Duration("cell-timeout", 10*time.Minute, "an isolated point with no result by then is stopped and reported hung")
	out := fs.String("out", "results", "parent folder of run folders")
	label := fs.String("label", "", "suffix of the run folder name")
	params := paramsValue{}
	fs.Var(params, "param", "workload parameter workload.name=value (repeatable)")
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !report.ValidLabel(*label) {
		return usagef("-label: %q: use letters, digits, '.', '_' and '-' (at most 64)", *label)
	}
	var slo harness.SLO
	if *sloText != "" {
		var err error
		if slo, err = harness.ParseSLO("slo", *sloText); err != nil {
			return inputError(err)
		}
	}
	args = append([]string{"bench", "capacity"}, args...)
	if *fit != "" {
		return fitFile(*fit, *out, *label, args, stdout)
	}

	switch {
	case *reps < 1 || *reps > harness.MaxReps:
		return usagef("-reps: %d is out of range 1..%d", *reps, harness.MaxReps)
	case *warmup < 0 || *warmup > harness.MaxWarmup:
		return usagef("-warmup: %d is out of range 0..%d", *warmup, harness.MaxWarmup)
	case *perLimit < 1 || *perLimit > 1000:
		return usagef("-tasks-per-limit: %d is out of range 1..1000", *perLimit)
	case *cellTimeout <= 0 || *cellTimeout > 24*time.Hour:
		return usagef("-cell-timeout: %v is out of range (0, 24h]", *cellTimeout)
	}
	for _, l := range limits {
		if l < 1 || l > harness.MaxLimit {
			return usagef("-limits: %d is out of range 1..%d", l, harness.MaxLimit)
		}
	}
	s, err := harness.StrategyByName(*strategy)
	if err != nil {
		return usagef("-strategy: %v", err)
	}
	if !s.Limited() {
		return usagef("-strategy: %s has no limit to sweep (use pool, semaphore or offload)", *strategy)
	}
	spec, err := workloads.Lookup(*workload)
	if err != nil {
		return usagef("-workload: %v", err)
	}
	for family := range params {
		if family != *workload {
			return usagef("-param %s: the sweep runs only %s", family, *workload)
		}
	}
	if *target != "" {
		if params["http"] == nil {
			params["http"] = map[string]string{}
		}
		params["http"]["target"] = *target
	}
	w, err := spec.Build(*workload, params[*workload], 0)
	if err != nil {
		return inputError(err)
	}
	base := harness.Plan{Workloads: []harness.PlannedWorkload{w}}
	defer base.Close()

	dir, err := report.NewRunDir(*out, *label, time.Now())
	if err != nil {
		return fmt.Errorf("-out: %v", err)
	}
	runner := harness.Runner{Args: args}
	progress := newProgress(stderr)
	runner.Progress = progress.show
	res := &harness.Results{Schema: harness.Schema, Env: harness.CaptureEnvironment(args),
		Plan: harness.PlanRecord{Strategies: []string{s.Name()}, Limits: limits, Reps: *reps, Warmup: *warmup}}
	var runErr error
	for _, limit := range limits {
		pw := w
		pw.Tasks = max(w.Tasks, *perLimit*limit)
		p := &harness.Plan{Workloads: []harness.PlannedWorkload{pw}, Strategies: []harness.Strategy{s}, Limits: []int{limit}, Reps: *reps, Warmup: *warmup}
		if err := p.Validate(); err != nil {
			os.Remove(dir)
			return inputError(err)
		}
		if len(res.Plan.Workloads) == 0 {
			res.Plan.Workloads = p.Record().Workloads
		}
		if *isolate {
			progress.note("concurrency %d (isolated)", limit)
			if c := isolated(ctx, p.Cells()[0], *reps, *warmup, false, *cellTimeout); c.Failed != "" || len(c.Repetitions) > 0 {
				res.Cells = append(res.Cells, c)
			}
			if runErr = ctx.Err(); runErr != nil {
				break
			}
			continue
		}
		r, err := runner.Run(ctx, p)
		if r != nil {
			res.Cells = append(res.Cells, r.Cells...)
		}
		if err != nil {
			runErr = err
			break
		}
	}
	progress.clear()
	if len(res.Cells) == 0 {
		os.Remove(dir)
		return runErr
	}
	res.Complete = runErr == nil
	var measured []harness.CellResult // failed points have nothing to fit
	for _, c := range res.Cells {
		if c.Failed == "" {
			measured = append(measured, c)
		} else {
			fmt.Fprintf(stderr, "concurrency %d failed: %s\n%s\n", c.Limit, c.Failed, c.Stderr)
		}
	}
	res.Capacity = capacity.Analyze(measured, slo, *sloText)
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
func fitFile(path, out, label string, args []string, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return usagef("-fit: %v", err)
	}
	defer f.Close()
	pts, err := capacity.ReadPoints(f)
	if err != nil {
		return usagef("-fit: %s: %v", path, err)
	}
	c, err := capacity.FromPoints(pts)
	if err != nil {
		return usagef("-fit: %s: %v", path, err)
	}
	c.Workload = path
	dir, err := report.NewRunDir(out, label, time.Now())
	if err != nil {
		return fmt.Errorf("-out: %v", err)
	}
	res := &harness.Results{Schema: harness.Schema, Complete: true, Env: harness.CaptureEnvironment(args), Capacity: c}
	if err := report.Write(dir, res); err != nil {
		return fmt.Errorf("writing %s: %v", dir, err)
	}
	if err := report.WriteCapacityTable(stdout, c); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nresults: %s\n", dir)
	return nil
}
