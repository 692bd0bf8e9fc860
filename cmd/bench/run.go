package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/report"
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
	if o.quick {
		if !o.set["reps"] {
			p.Reps = 1
		}
		if !o.set["warmup"] {
			p.Warmup = 0
		}
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
		p.Workloads = append(p.Workloads, w)
	}
	for _, name := range o.strategies {
		s, err := harness.StrategyByName(name)
		if err != nil {
			return nil, usagef("-strategies: %v", err)
		}
		p.Strategies = append(p.Strategies, s)
	}
	if err := p.Validate(); err != nil {
		return nil, inputError(err)
	}
	if !report.ValidLabel(o.label) {
		return nil, usagef("-label: %q: use letters, digits, '.', '_' and '-' (at most 64)", o.label)
	}
	return p, nil
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
	runner := harness.Runner{Args: append([]string{"bench"}, args...)}
	progress := newProgress(stderr)
	runner.Progress = progress.show
	res, runErr := runner.Run(ctx, p)
	progress.clear()
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
	return runErr
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
