package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/escape"
	"github.com/concbench/concbench/harness/isolate"
	"github.com/concbench/concbench/harness/recommend"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
	"github.com/concbench/concbench/plan"
	"github.com/concbench/concbench/scenario"
)

// runOptions are the flags of bench run.
type runOptions struct {
	workloads, strategies listValue
	limits                limitsValue
	tasks, reps, warmup   int
	out, label, target    string
	quick                 bool
	params                paramsValue
	taskTimeout           time.Duration
	groupTimeout          time.Duration
	gomaxprocs            int
	isolate, force, wide  bool
	slo                   string
	cellTimeout           time.Duration
	file                  string
	scenario              *scenario.File
	set                   map[string]bool // flags given on the command line
	format                *outputFormat
	profile               listValue
	live                  *liveFlags
}

func defineRunFlags(fs *flag.FlagSet) *runOptions {
	o := &runOptions{
		workloads:  listValue{"io", "cpu", "mixed", "recursive"},
		strategies: listValue{"sequential", "unbounded", "pool", "semaphore", "offload"},
		limits:     limitsValue{list: intsValue{8}},
		params:     paramsValue{},
	}
	fs.Var(&o.workloads, "workloads", "comma-separated workloads (see bench list)")
	fs.Var(&o.strategies, "strategies", "comma-separated strategies (see bench list)")
	fs.Var(&o.limits, "limits", "comma-separated limits for limited strategies (a list sweeps), or auto: search each for the smallest limit that reaches 95% of its peak goodput")
	fs.IntVar(&o.tasks, "tasks", 0, "root tasks per repetition (default: each workload's own)")
	fs.IntVar(&o.reps, "reps", 6, "measured repetitions per cell (6 give a 95% interval of the median)")
	fs.IntVar(&o.warmup, "warmup", 1, "discarded warm-up repetitions per cell")
	fs.StringVar(&o.out, "out", "results", "parent folder of run folders")
	fs.StringVar(&o.label, "label", "", "suffix of the run folder name")
	fs.BoolVar(&o.quick, "quick", false, "smoke run: a tenth of the tasks, 1 repetition, no warm-up")
	fs.Var(o.params, "param", "workload or strategy parameter name.key=value (repeatable)")
	fs.StringVar(&o.target, "target", "", "URL for the http workload (same as -param http.target=URL)")
	fs.DurationVar(&o.taskTimeout, "task-timeout", 0, "per-task timeout: a task past it sees its context done (0: none)")
	fs.DurationVar(&o.groupTimeout, "group-timeout", 0, "one deadline for all of a repetition's tasks, from its start: tasks running then are cut, tasks not started never start (0: none)")
	fs.IntVar(&o.gomaxprocs, "gomaxprocs", 0, "processors Go may use while the cells run (runtime.GOMAXPROCS; 0: as it is)")
	fs.StringVar(&o.file, "f", "", "run the plan in this scenario file (YAML or JSON); flags given override it")
	fs.BoolVar(&o.isolate, "isolate", true, "run each cell in a child process: a crash or hang fails that cell only, and each cell gets a fresh heap")
	fs.DurationVar(&o.cellTimeout, "cell-timeout", isolate.DefaultDeadline, "an isolated cell with no result by then is stopped and reported hung")
	fs.BoolVar(&o.wide, "wide", false, "show every column of the table (the default fits 120 columns)")
	o.format = defineFormat(fs)
	fs.Var(&o.profile, "profile", "profiles each cell records over its measured repetitions, comma-separated: cpu, heap (allocations), mutex, block, trace (runtime/trace's flight recorder, kept for the slowest repetition); written to profiles/ in the run folder, their figures including the profilers' cost")
	fs.StringVar(&o.slo, "slo", "", "SLO a recommended cell must meet, e.g. 'p99<=50ms,errors<1%' (its error condition is the error budget; default budget 1%)")
	defineSecretHeader(fs)
	o.live = defineLiveFlags(fs)
	fs.BoolVar(&o.force, "force", false, "run plans beyond the safety bounds (a chain deep enough to overflow the stack, more goroutines or memory than the machine bears); needs -isolate")
	return o
}

// spec turns the flags (and the scenario file, when -f names one) into a
// plan by name. Every error is bad input.
func (o *runOptions) spec() (plan.Spec, error) {
	if err := checkCellTimeout(o.cellTimeout); err != nil {
		return plan.Spec{}, err
	}
	if err := checkLabel("-label", o.label); err != nil {
		return plan.Spec{}, err
	}
	switch {
	case o.force && !o.isolate:
		return plan.Spec{}, usagef("-force: run forced plans with -isolate, so that a crash costs one cell")
	case o.set["tasks"] && o.tasks < 1:
		return plan.Spec{}, usagef("-tasks: %d is out of range 1..%d", o.tasks, harness.MaxTasks)
	}
	s := plan.Spec{Strategies: o.strategies, Limits: o.limits.list, AutoLimits: o.limits.auto, Reps: o.reps, Warmup: o.warmup, Quick: o.quick && !o.set["tasks"],
		Target: o.target, Force: o.force, GOMAXPROCS: o.gomaxprocs, Profiles: o.profile}
	if o.slo != "" {
		slo, err := results.ParseSLO("slo", o.slo)
		if err != nil {
			return s, err
		}
		s.SLO = slo
	}
	if o.file != "" {
		if err := o.fromScenario(&s); err != nil {
			return s, err
		}
	} else if err := o.fromFlags(&s); err != nil {
		return s, err
	}
	for i := range s.Workloads {
		if o.set["tasks"] {
			s.Workloads[i].Tasks = o.tasks
		}
		if o.set["task-timeout"] || o.file == "" {
			s.Workloads[i].Timeout = o.taskTimeout
		}
		if o.set["group-timeout"] || o.file == "" {
			s.Workloads[i].GroupTimeout = o.groupTimeout
		}
	}
	if o.set["target"] && !slices.ContainsFunc(s.Workloads, func(w results.WorkloadRecord) bool { return w.Family == "http" || w.Family == "" && w.Name == "http" }) {
		return s, usagef("-target: no http workload runs; add http to -workloads, or leave -target out")
	}
	if o.quick {
		s.Reps, s.Warmup = pick(o.set["reps"], s.Reps, 1), pick(o.set["warmup"], s.Warmup, 0)
	}
	return s, nil
}

// fromScenario fills s from the scenario file: flags given on the command
// line override its values, and -workloads picks among its workloads.
func (o *runOptions) fromScenario(s *plan.Spec) error {
	f, err := loadScenario(o.file)
	if err != nil {
		return err
	}
	if f.Attack != nil {
		return usagef("-f: %s is an attack scenario (it has an attack section); run it with bench attack -f %s", o.file, o.file)
	}
	o.scenario = f
	if len(o.params) > 0 {
		return usagef("-param: set parameters in the scenario file %s", o.file)
	}
	fs := f.Spec()
	if o.set["workloads"] {
		var keep []results.WorkloadRecord
		for _, name := range o.workloads {
			i := slices.IndexFunc(fs.Workloads, func(w results.WorkloadRecord) bool { return w.Name == name })
			if i < 0 {
				var names []string
				for _, w := range fs.Workloads {
					names = append(names, w.Name)
				}
				return usagef("-workloads: %q is not a workload of %s (it has %s)", name, o.file, strings.Join(names, ", "))
			}
			keep = append(keep, fs.Workloads[i])
		}
		fs.Workloads = keep
	}
	s.Workloads = fs.Workloads
	if err := overlay(o.set, append(planSettings(f, fs, s), outputSettings(f, &o.out, &o.label)...)); err != nil {
		return err
	}
	for name, params := range fs.StrategyParams {
		if slices.Contains(s.Strategies, name) { // -strategies may leave some out
			if s.StrategyParams == nil {
				s.StrategyParams = map[string]map[string]string{}
			}
			s.StrategyParams[name] = params
		}
	}
	return nil
}

// planSettings are the options of the plan the scenario file f set, fs
// being its spec, each applied to s unless its flag was given.
func planSettings(f *scenario.File, fs plan.Spec, s *plan.Spec) []fileSetting {
	file := []fileSetting{{"target", func() error { s.Target = fs.Target; return nil }}}
	if len(fs.Strategies) > 0 {
		file = append(file, fileSetting{"strategies", func() error { s.Strategies = fs.Strategies; return nil }})
	}
	if len(fs.Limits) > 0 || fs.AutoLimits {
		file = append(file, fileSetting{"limits", func() error { s.Limits, s.AutoLimits = fs.Limits, fs.AutoLimits; return nil }})
	}
	if f.Reps != nil {
		file = append(file, fileSetting{"reps", func() error { s.Reps = fs.Reps; return nil }})
	}
	if f.Warmup != nil {
		file = append(file, fileSetting{"warmup", func() error { s.Warmup = fs.Warmup; return nil }})
	}
	if f.GOMAXPROCS > 0 {
		file = append(file, fileSetting{"gomaxprocs", func() error { s.GOMAXPROCS = fs.GOMAXPROCS; return nil }})
	}
	if len(f.Profile) > 0 {
		file = append(file, fileSetting{"profile", func() error { s.Profiles = fs.Profiles; return nil }})
	}
	return file
}

// fromFlags sets the workloads and the strategies' parameters from
// -workloads and -param.
func (o *runOptions) fromFlags(s *plan.Spec) error {
	for name, params := range o.params {
		switch {
		case slices.Contains(o.workloads, name):
		case slices.Contains(o.strategies, name):
			if s.StrategyParams == nil {
				s.StrategyParams = map[string]map[string]string{}
			}
			s.StrategyParams[name] = params
		default:
			return usagef("-param %s: %q is neither a workload in -workloads nor a strategy in -strategies", name, name)
		}
	}
	for _, name := range o.workloads {
		s.Workloads = append(s.Workloads, results.WorkloadRecord{Name: name, Params: o.params[name]})
	}
	return nil
}

// plan builds and validates the plan; every error is bad input.
func (o *runOptions) plan() (*harness.Plan, error) {
	s, err := o.spec()
	if err != nil {
		return nil, err
	}
	p, err := plan.Build(s)
	if err != nil && o.scenario != nil {
		return nil, o.scenario.Locate(err)
	}
	if err == nil && o.scenario != nil {
		if err := o.scenario.CheckSelectors(p); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, err
}

func pick(set bool, flag, quick int) int {
	if set {
		return flag
	}
	return quick
}

// loadScenario reads and parses a scenario file of at most
// scenario.MaxSize bytes; every problem is bad input.
func loadScenario(path string) (*scenario.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("-f: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, scenario.MaxSize+1))
	if err != nil {
		return nil, usagef("-f: %v", err)
	}
	if len(data) > scenario.MaxSize {
		return nil, usagef("-f: %s is larger than %d KiB, the most a scenario file may be (results.json keeps it whole)", path, scenario.MaxSize>>10)
	}
	return scenario.Parse(path, data)
}

// thresholdError is a scenario threshold a cell did not meet: exit 1.
type thresholdError struct{ failures []results.Verdict }

func (e *thresholdError) Error() string {
	if len(e.failures) == 1 {
		return e.failures[0].String()
	}
	return fmt.Sprintf("%d thresholds failed; first: %s", len(e.failures), e.failures[0])
}

// runBench runs a plan, writes the run folder and prints the table and the
// folder's path. An interrupted run still writes what it measured.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run")
	o := defineRunFlags(fs)
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return err
	}
	o.set = setFlags(fs)
	p, err := o.plan()
	if err != nil {
		return err
	}
	defer p.Close()
	dir, err := rundir.NewRunDir(o.out, o.label, time.Now())
	if err != nil {
		return usagef("-out: %v", err)
	}
	timeout := time.Duration(0)
	if o.isolate {
		timeout = o.cellTimeout
	}
	for _, w := range p.Warnings(timeout) {
		fmt.Fprintln(stderr, "warning:", w)
	}
	watch, err := o.live.start("run", filepath.Base(dir), "", stderr)
	if err != nil {
		rundir.RemoveUnused(dir)
		return err
	}
	progress := newProgress(stderr)
	runner := o.runner(args, dir, progress, watch, stderr)
	res, runErr := runner.Run(ctx, p)
	progress.clear()
	if res == nil || len(res.Cells) == 0 && runErr != nil {
		watch.done(res, dir)
		rundir.RemoveUnused(dir) // nothing measured: leave no empty folder
		return runErr
	}
	err = o.report(res, dir, runErr, stdout, stderr)
	watch.done(res, dir)
	return err
}

// runner runs the plan's cells, isolated unless -isolate=false, showing
// its progress on the progress line and to watch, and checkpointing each
// cell's results into dir.
func (o *runOptions) runner(args []string, dir string, progress *progress, watch *watch, stderr io.Writer) *harness.Runner {
	runner := &harness.Runner{Args: append([]string{"bench"}, args...), ProfileDir: filepath.Join(dir, "profiles"),
		Progress: func(p harness.Progress) { progress.show(p); watch.progress(p) }}
	if o.isolate {
		runner.Isolate = &isolate.Cells{Deadline: o.cellTimeout, ProfileDir: runner.ProfileDir}
	}
	warned := false
	runner.Checkpoint = func(r *results.Results) {
		if o.scenario != nil {
			r.Scenario = o.scenario.Record()
		}
		watch.cells(r, dir)
		if err := rundir.Checkpoint(dir, r); err != nil && !warned {
			warned = true
			fmt.Fprintf(stderr, "warning: cannot checkpoint %s: %v\n", dir, err)
		}
	}
	return runner
}

// report prints the run's table and recommendations, saves its folder,
// and judges it.
func (o *runOptions) report(res *results.Results, dir string, runErr error, stdout, stderr io.Writer) error {
	if o.scenario != nil {
		res.Scenario = o.scenario.Record()
		res.Thresholds = o.scenario.Verdicts(res)
	}
	res.Recommendations = recommend.For(res)
	human := o.format.human(stdout, stderr)
	if !o.format.json() {
		if err := report.WriteTable(stdout, res, o.wide); err != nil {
			return err
		}
		report.WriteRecommendations(stdout, res)
	}
	if !res.Complete {
		fmt.Fprintln(human, "\nincomplete: interrupted; the table holds the repetitions measured so far")
	}
	if warm := warmupCells(res); len(warm) > 0 {
		fmt.Fprintf(human, "warm-up only: interrupted before a measured repetition, %s show their warm-up (a cold process; read with care)\n", strings.Join(warm, ", "))
	}
	if err := saveRun(dir, res); err != nil {
		return err
	}
	if err := writeOutcome(o.format, res, dir, stdout); err != nil {
		return err
	}
	if runErr != nil {
		return runErr
	}
	var failed []string
	for _, c := range res.Cells {
		if c.Failed != "" {
			failed = append(failed, fmt.Sprintf("%s: %s", c.Name(), c.Failed))
			fmt.Fprintf(stderr, "cell %s failed: %s\n%s\n", c.Name(), c.Failed, c.Stderr)
		}
	}
	verdict := judge(res, o.quick, human, stderr)
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d cells failed; first: %s", len(failed), len(res.Cells), failed[0])
	}
	return verdict
}

// judge ends bench run and bench attack alike: it prints the run's
// warnings and its thresholds' verdicts, and returns the exit status's
// error: a cell with no success, else a failed threshold.
func judge(res *results.Results, quick bool, stdout, stderr io.Writer) error {
	for _, w := range slices.Concat(res.ErrorWarnings(), res.RangeWarnings(), res.LeakWarnings()) {
		fmt.Fprintln(stderr, "warning:", w)
	}
	var verdictErr error
	if len(res.Thresholds) > 0 {
		verdictErr = reportThresholds(res.Thresholds, quick, stdout, stderr)
	}
	if none := res.NoSuccess(); len(none) > 0 {
		return &noSuccessError{none}
	}
	return verdictErr
}

// warmupCells names the cells whose only repetition is an interrupted
// warm-up.
func warmupCells(res *results.Results) []string {
	var out []string
	for _, c := range res.Cells {
		if len(c.Repetitions) > 0 && c.Repetitions[0].Warmup {
			out = append(out, escape.Terminal(c.Name()))
		}
	}
	return out
}

// noSuccessError is a run in which some cell completed no task
// successfully: exit 1, since its figures describe failures only.
type noSuccessError struct{ cells []string }

func (e *noSuccessError) Error() string {
	return fmt.Sprintf("no task succeeded in %d cells: %s", len(e.cells), strings.Join(e.cells, ", "))
}

// reportThresholds prints every verdict and returns a *thresholdError when
// one failed, unless the run is a -quick smoke run.
func reportThresholds(verdicts []results.Verdict, quick bool, stdout, stderr io.Writer) error {
	var failures []results.Verdict
	for _, v := range verdicts {
		if !v.Met {
			failures = append(failures, v)
		}
	}
	fmt.Fprintf(stdout, "\nthresholds: %d met, %d failed\n", len(verdicts)-len(failures), len(failures))
	for _, v := range verdicts {
		fmt.Fprintln(stdout, "  "+v.String())
	}
	if len(failures) == 0 {
		return nil
	}
	if quick {
		fmt.Fprintln(stderr, "warning: thresholds are not enforced in a -quick smoke run")
		return nil
	}
	return &thresholdError{failures}
}
