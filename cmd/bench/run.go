package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/scenario"
	"github.com/concbench/concbench/workloads"
)

// runOptions are the flags of bench run.
type runOptions struct {
	workloads, strategies listValue
	limits                intsValue
	tasks, reps, warmup   int
	out, label, target    string
	quick                 bool
	params                paramsValue
	taskTimeout           time.Duration
	isolate, force        bool
	cellTimeout           time.Duration
	file                  string
	scenario              *scenario.File
	set                   map[string]bool // flags given on the command line
}

func defineRunFlags(fs *flag.FlagSet) *runOptions {
	o := &runOptions{
		workloads:  listValue{"io", "cpu", "mixed", "recursive"},
		strategies: listValue{"sequential", "unbounded", "pool", "semaphore", "offload"},
		limits:     intsValue{8},
		params:     paramsValue{},
	}
	fs.Var(&o.workloads, "workloads", "comma-separated workloads (see bench list)")
	fs.Var(&o.strategies, "strategies", "comma-separated strategies (see bench list)")
	fs.Var(&o.limits, "limits", "comma-separated limits for limited strategies; a list sweeps")
	fs.IntVar(&o.tasks, "tasks", 0, "root tasks per repetition (default: each workload's own)")
	fs.IntVar(&o.reps, "reps", 5, "measured repetitions per cell")
	fs.IntVar(&o.warmup, "warmup", 1, "discarded warm-up repetitions per cell")
	fs.StringVar(&o.out, "out", "results", "parent folder of run folders")
	fs.StringVar(&o.label, "label", "", "suffix of the run folder name")
	fs.BoolVar(&o.quick, "quick", false, "smoke run: a tenth of the tasks, 1 repetition, no warm-up")
	fs.Var(o.params, "param", "workload parameter workload.name=value (repeatable)")
	fs.StringVar(&o.target, "target", "", "URL for the http workload (same as -param http.target=URL)")
	fs.DurationVar(&o.taskTimeout, "task-timeout", 0, "per-task timeout: a task past it sees its context done (0: none)")
	fs.StringVar(&o.file, "f", "", "run the plan in this scenario file (YAML or JSON); flags given override it")
	fs.BoolVar(&o.isolate, "isolate", true, "run each cell in a child process: a crash or hang fails that cell only, and each cell gets a fresh heap")
	fs.DurationVar(&o.cellTimeout, "cell-timeout", 10*time.Minute, "an isolated cell with no result by then is stopped and reported hung")
	fs.BoolVar(&o.force, "force", false, "run plans beyond the safety bounds (a chain deep enough to overflow the stack, more goroutines or memory than the machine bears); needs -isolate")
	return o
}

// plan builds and validates the plan; every error is bad input, and on
// error the workloads built so far are closed (an embedded target stops).
func (o *runOptions) plan() (_ *harness.Plan, err error) {
	p := &harness.Plan{Limits: o.limits, Reps: o.reps, Warmup: o.warmup}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()
	if o.taskTimeout < 0 || o.taskTimeout > harness.MaxLatency {
		return nil, usagef("-task-timeout: %v is out of range [0, 1h]", o.taskTimeout)
	}
	if o.cellTimeout <= 0 || o.cellTimeout > 24*time.Hour {
		return nil, usagef("-cell-timeout: %v is out of range (0, 24h]", o.cellTimeout)
	}
	if o.force && !o.isolate {
		return nil, usagef("-force: run forced plans with -isolate, so that a crash costs one cell")
	}
	workloads.AllowUnsafe = o.force
	if o.quick {
		if !o.set["reps"] {
			p.Reps = 1
		}
		if !o.set["warmup"] {
			p.Warmup = 0
		}
	}
	if o.file != "" {
		return p, o.scenarioPlan(p)
	}
	if o.target != "" {
		if o.params["http"] == nil {
			o.params["http"] = map[string]string{}
		}
		o.params["http"]["target"] = o.target
	}
	if o.set["tasks"] && o.tasks < 1 {
		return nil, usagef("-tasks: %d is out of range 1..%d", o.tasks, harness.MaxTasks)
	}
	for family := range o.params {
		if !contains(o.workloads, family) {
			return nil, usagef("-param %s: workload %q is not in -workloads", family, family)
		}
	}
	for _, name := range o.workloads {
		spec, err := workloads.Lookup(name)
		if err != nil {
			return nil, usagef("-workloads: %v", err)
		}
		tasks := o.tasks
		if o.quick && !o.set["tasks"] {
			tasks = max(1, spec.Tasks/10)
		}
		w, err := spec.Build(name, o.params[name], tasks)
		if err != nil {
			return nil, inputError(err)
		}
		w.Timeout = o.taskTimeout
		p.Workloads = append(p.Workloads, w)
	}
	return p, o.finish(p)
}

// finish adds the strategies and validates the plan and the label.
func (o *runOptions) finish(p *harness.Plan) error {
	for _, name := range o.strategies {
		s, err := harness.StrategyByName(name)
		if err != nil {
			return usagef("-strategies: %v", err)
		}
		p.Strategies = append(p.Strategies, s)
	}
	if err := p.Validate(); err != nil {
		return inputError(err)
	}
	if !o.force {
		if err := p.CheckFootprint(harness.MemTotal()); err != nil {
			return inputError(err)
		}
	}
	if !report.ValidLabel(o.label) {
		return usagef("-label: %q: use letters, digits, '.', '_' and '-' (at most 64)", o.label)
	}
	return nil
}

// scenarioPlan fills p from the scenario file; flags given on the command
// line override its values, and -workloads picks among its workloads.
func (o *runOptions) scenarioPlan(p *harness.Plan) error {
	f, err := loadScenario(o.file)
	if err != nil {
		return err
	}
	o.scenario = f
	if len(o.params) > 0 {
		return usagef("-param: set parameters in the scenario file %s", o.file)
	}
	if o.set["workloads"] {
		var keep []scenario.Workload
		for _, name := range o.workloads {
			i := slices.IndexFunc(f.Workloads, func(w scenario.Workload) bool { return w.Name == name })
			if i < 0 {
				var names []string
				for _, w := range f.Workloads {
					names = append(names, w.Name)
				}
				return usagef("-workloads: %q is not a workload of %s (it has %s)", name, o.file, strings.Join(names, ", "))
			}
			keep = append(keep, f.Workloads[i])
		}
		f.Workloads = keep
	}
	if !o.set["strategies"] && len(f.Strategies) > 0 {
		o.strategies = f.Strategies
	}
	if !o.set["limits"] && len(f.Limits) > 0 {
		p.Limits = f.Limits
	}
	if !o.set["reps"] && f.Reps != nil {
		p.Reps = *f.Reps
	}
	if !o.set["warmup"] && f.Warmup != nil {
		p.Warmup = *f.Warmup
	}
	if o.quick {
		p.Reps, p.Warmup = pick(o.set["reps"], o.reps, 1), pick(o.set["warmup"], o.warmup, 0)
	}
	if !o.set["out"] && f.Out != "" {
		o.out = f.Out
	}
	if !o.set["label"] && f.Label != "" {
		o.label = f.Label
	}
	tasks := 0
	if o.set["tasks"] {
		if o.tasks < 1 {
			return usagef("-tasks: %d is out of range 1..%d", o.tasks, harness.MaxTasks)
		}
		tasks = o.tasks
	}
	ws, err := f.Build(tasks, o.quick, o.target)
	if err != nil {
		return usagef("%v", err)
	}
	for i := range ws {
		if o.set["task-timeout"] {
			ws[i].Timeout = o.taskTimeout
		}
	}
	p.Workloads = ws
	return o.finish(p)
}

func pick(set bool, flag, quick int) int {
	if set {
		return flag
	}
	return quick
}

// loadScenario reads and parses a scenario file; every problem is bad input.
func loadScenario(path string) (*scenario.File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("-f: %v", err)
	}
	f, err := scenario.Parse(path, data)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return f, nil
}

// thresholdError is a scenario threshold a cell did not meet: exit 1.
type thresholdError struct{ failures []scenario.Failure }

func (e *thresholdError) Error() string {
	if len(e.failures) == 1 {
		return "failed " + e.failures[0].String()
	}
	return fmt.Sprintf("%d thresholds failed; first: %s", len(e.failures), e.failures[0])
}

// inputError turns a *harness.InputError into a one-line usage error naming
// the flag.
func inputError(err error) error {
	var in *harness.InputError
	if errors.As(err, &in) {
		return usagef("-%s: %s", in.Field, in.Problem)
	}
	return err
}

// runBench runs a plan, writes the run folder and prints the table and the
// folder's path. An interrupted run still writes what it measured.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run")
	o := defineRunFlags(fs)
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return err
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	p, err := o.plan()
	if err != nil {
		return err
	}
	defer p.Close()
	dir, err := report.NewRunDir(o.out, o.label, time.Now())
	if err != nil {
		return fmt.Errorf("-out: %v", err)
	}
	progress := newProgress(stderr)
	var res *harness.Results
	var runErr error
	if o.isolate {
		res, runErr = runIsolated(ctx, p, append([]string{"bench"}, args...), o.force, o.cellTimeout, progress)
	} else {
		runner := harness.Runner{Args: append([]string{"bench"}, args...), Progress: progress.show}
		res, runErr = runner.Run(ctx, p)
	}
	progress.clear()
	if res != nil && o.scenario != nil {
		res.Scenario = o.scenario.Record()
	}
	if res == nil || len(res.Cells) == 0 && runErr != nil {
		os.Remove(dir) // nothing measured: leave no empty folder
		return runErr
	}
	if err := report.Write(dir, res); err != nil {
		return fmt.Errorf("writing %s: %v", dir, err)
	}
	if err := report.WriteTable(stdout, res); err != nil {
		return err
	}
	if !res.Complete {
		fmt.Fprintln(stdout, "\nincomplete: interrupted; the table holds the repetitions measured so far")
	}
	fmt.Fprintf(stdout, "\nresults: %s\n", dir)
	if runErr != nil {
		return runErr
	}
	var failed []string
	for _, c := range res.Cells {
		if c.Failed != "" {
			failed = append(failed, fmt.Sprintf("%s %s %d: %s", c.Workload, c.Strategy, c.Limit, c.Failed))
			fmt.Fprintf(stderr, "cell %s %s limit %d failed: %s\n%s\n", c.Workload, c.Strategy, c.Limit, c.Failed, c.Stderr)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d cells failed; first: %s", len(failed), len(res.Cells), failed[0])
	}
	if o.scenario == nil {
		return nil
	}
	failures := o.scenario.Check(res)
	for _, f := range failures {
		if o.quick {
			fmt.Fprintln(stderr, "warning: (not enforced in a -quick smoke run)", f)
		} else {
			fmt.Fprintln(stderr, f)
		}
	}
	if len(failures) > 0 && !o.quick {
		return &thresholdError{failures}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
