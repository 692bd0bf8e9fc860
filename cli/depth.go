package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/depth"
	"github.com/concbench/concbench/harness/isolate"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
	"github.com/concbench/concbench/plan"
)

// calls are the ways a recursive chain recurses (recursive.call).
var calls = []string{"direct", "spawn", "trampoline"}

// depthRun searches, for each way of recursing, the deepest chain of
// mutual recursion that runs clean, every probe in a child process.
func depthRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("depth")
	which := listValue(calls)
	fs.Var(&which, "calls", "ways of recursing to search: direct (a plain call, the stack grows), spawn (each level a child task), trampoline (constant stack)")
	strategy := fs.String("strategy", "unbounded", "strategy that runs the chain (spawn: each level a child task under it)")
	from := fs.Int("from", 1000, "the first depth tried; the search doubles it until a chain fails, then bisects")
	most := fs.Int("max", 10_000_000, "the deepest depth tried")
	precision := fs.Float64("precision", 0.05, "bisect until the failing depth is within this fraction of the deepest that passed")
	maxStack := fs.Int("max-stack-mib", 0, "a goroutine's stack limit in MiB for the probes (debug.SetMaxStack; 0: Go's default, 1 GB)")
	cellTimeout := fs.Duration("cell-timeout", isolate.DefaultDeadline, "a probe with no result by then is stopped and counts as failed (hung)")
	out := fs.String("out", "results", "parent folder of run folders")
	label := fs.String("label", "", "suffix of the run folder name")
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return err
	}
	if err := checkLabel("-label", *label); err != nil {
		return err
	}
	if err := checkCellTimeout(*cellTimeout); err != nil {
		return err
	}
	for _, c := range which {
		if !slices.Contains(calls, c) {
			return usagef("-calls: %q is not a way of recursing (%s)", c, strings.Join(calls, ", "))
		}
	}
	if *maxStack < 0 || *maxStack > 1<<20 {
		return usagef("-max-stack-mib: %d is out of range 0..%d", *maxStack, 1<<20)
	}
	search := depth.Search{From: *from, Max: *most, Precision: *precision}
	if err := search.Validate(); err != nil {
		return usagef("%v", err)
	}
	// Check the plan once, at the shallowest depth, before anything runs.
	if _, err := depthPlan(calls[0], *from, *strategy, *maxStack); err != nil {
		return singularFlags(err)
	}
	dir, err := rundir.NewRunDir(*out, *label, time.Now())
	if err != nil {
		return usagef("-out: %v", err)
	}
	res := results.New(append([]string{"bench", "depth"}, args...), results.PlanRecord{Strategies: []string{*strategy}, MaxStack: int64(*maxStack) << 20})
	runErr := searchDepths(ctx, res, search, which, *strategy, *maxStack, &isolate.Cells{Deadline: *cellTimeout}, stderr)
	if len(res.Depth) == 0 || len(res.Depth[0].Probes) == 0 {
		os.Remove(dir)
		return runErr
	}
	res.Complete = runErr == nil
	if err := report.Write(dir, res); err != nil {
		return fmt.Errorf("writing %s: %v", dir, err)
	}
	if err := report.WriteDepthTable(stdout, res.Depth); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nresults: %s\n", dir)
	return runErr
}

// searchDepths searches the deepest chain of each way of recursing in
// turn, adding each search's result to res, until one fails.
func searchDepths(ctx context.Context, res *results.Results, search depth.Search, which []string, strategy string, maxStack int, cells *isolate.Cells, stderr io.Writer) error {
	for _, call := range which {
		search.Progress = func(p results.DepthProbe) {
			fmt.Fprintf(stderr, "depth %s %d: %s\n", call, p.Depth, probeText(p))
		}
		r, err := search.Run(ctx, call, func(ctx context.Context, d int) (results.DepthProbe, error) {
			return probeDepth(ctx, cells, call, d, strategy, maxStack)
		})
		res.Depth = append(res.Depth, r)
		if err != nil {
			return err
		}
	}
	return nil
}

// depthPlan is the plan of one probe: one chain of depth d by call, run
// once, forced past the chain's safety bound (the probe is isolated).
func depthPlan(call string, d int, strategy string, maxStackMiB int) (plan.Spec, error) {
	s := plan.Spec{
		Workloads: []results.WorkloadRecord{{Name: "chain-" + call, Family: "recursive", Tasks: 1,
			Params: map[string]string{"shape": "chain", "call": call, "depth": strconv.Itoa(d), "latency": "1ms"}}},
		Strategies: []string{strategy}, Reps: 1, Force: true, MaxStack: int64(maxStackMiB) << 20,
	}
	p, err := plan.Build(s)
	if err != nil {
		return s, err
	}
	return s, p.Close()
}

// probeDepth runs one chain in a child process. A refusal by the
// footprint guard, a crash, a hang or a task error fails the probe.
func probeDepth(ctx context.Context, cells *isolate.Cells, call string, d int, strategy string, maxStackMiB int) (results.DepthProbe, error) {
	s, err := depthPlan(call, d, strategy, maxStackMiB)
	if err != nil {
		return results.DepthProbe{}, err
	}
	p, err := plan.Build(s)
	if err != nil {
		return results.DepthProbe{}, err
	}
	defer p.Close()
	if p.CheckFootprint(0) != nil { // forced past the stack bound, not past memory
		g, b, _ := p.Footprint()
		return results.DepthProbe{Why: fmt.Sprintf("refused by the footprint guard: about %d goroutines and %s at once", g, report.Bytes(uint64(b)))}, nil
	}
	cr := cells.RunCell(ctx, p, p.Cells()[0])
	if ctx.Err() != nil {
		return results.DepthProbe{}, ctx.Err()
	}
	probe := results.DepthProbe{OK: cr.Failed == "" && len(cr.Repetitions) > 0}
	switch {
	case cr.Failed != "":
		probe.Why = cr.Failed + stackReason(cr.Stderr)
	case len(cr.Repetitions) == 0:
		probe.Why = "no result"
	default:
		m := cr.Summary
		probe.Wall, probe.PeakMemory = m.Wall, m.PeakMemory
		if m.ErrorCount() > 0 || m.Completed == 0 {
			probe.OK, probe.Why = false, "errors "+fmt.Sprint(m.Errors)
		}
	}
	return probe, nil
}

// stackReason picks the runtime's reason out of a crashed child's
// stderr: "goroutine stack exceeds 1000000000-byte limit".
func stackReason(stderr string) string {
	for _, line := range strings.Split(stderr, "\n") {
		if i := strings.Index(line, "stack exceeds"); i >= 0 {
			return ": goroutine " + strings.TrimSpace(line[i:])
		}
		if strings.Contains(line, "out of memory") {
			return ": " + strings.TrimSpace(line)
		}
	}
	return ""
}

func probeText(p results.DepthProbe) string {
	if p.OK {
		return fmt.Sprintf("ok in %s, peak memory %s", report.Duration(p.Wall), report.Bytes(p.PeakMemory))
	}
	return "failed: " + p.Why
}
