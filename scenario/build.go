package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/concbench/concbench/harness/secret"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/strategy"
	"github.com/concbench/concbench/plan"
	"github.com/concbench/concbench/workloads"
)

// Spec is the scenario's plan by name: its workloads, strategies, limits,
// repetitions and target. A command overrides parts of it (flags), then
// builds it with plan.Build and points errors at lines with Locate.
func (f *File) Spec() plan.Spec {
	s := plan.Spec{Strategies: f.Strategies, StrategyParams: f.StrategyParams, Limits: f.Limits, AutoLimits: f.AutoLimits, Target: f.Target, GOMAXPROCS: f.GOMAXPROCS, Profiles: f.Profile}
	if f.Reps != nil {
		s.Reps = *f.Reps
	}
	if f.Warmup != nil {
		s.Warmup = *f.Warmup
	}
	for _, w := range f.Workloads {
		s.Workloads = append(s.Workloads, results.WorkloadRecord{Name: w.Name, Family: w.Family, Params: w.Params, Tasks: w.Tasks, Timeout: w.Timeout, GroupTimeout: w.GroupTimeout})
	}
	return s
}

// Locate points an error of plan.Build at the file and line it comes
// from: a workload's unknown family, or one of its parameters. Other
// errors are returned as they are.
func (f *File) Locate(err error) error {
	in, ok := input.As(err)
	if !ok || in.Path != "" {
		return err
	}
	if in.Field == "workloads" {
		for _, w := range f.Workloads {
			if _, err := workloads.Lookup(w.Family); err != nil {
				return &input.Error{Path: f.Path, Line: w.familyLine, Field: "workloads." + w.Name + ".family", Problem: input.Problem(err)}
			}
		}
	}
	if in.Field == "strategies" {
		for _, name := range f.Strategies {
			if _, err := strategy.Lookup(name); err != nil {
				return &input.Error{Path: f.Path, Line: f.strategyLines[name], Field: "strategies", Problem: input.Problem(err)}
			}
		}
	}
	ref, isParam := strings.CutPrefix(in.Field, "param ")
	if !isParam {
		return err
	}
	for name, lines := range f.strategyParamLines {
		if key, ok := strings.CutPrefix(ref, name+"."); ok {
			return &input.Error{Path: f.Path, Line: lines[key], Field: "strategies." + name + ".params." + key, Problem: in.Problem}
		}
	}
	for _, w := range f.Workloads {
		param, ok := strings.CutPrefix(ref, w.Name+".")
		if !ok {
			continue
		}
		line, ok := w.paramLines[param]
		if !ok {
			line = w.line
		}
		return &input.Error{Path: f.Path, Line: line, Field: "workloads." + w.Name + ".params." + param, Problem: in.Problem}
	}
	return err
}

// Record is what results.json keeps of the scenario, its secrets redacted
// (its SHA256 is still the file's).
func (f *File) Record() *results.ScenarioRecord {
	return &results.ScenarioRecord{Name: f.Name, Path: f.Path, SHA256: f.SHA256, Content: secret.Redact(string(f.Content))}
}

// Verdicts checks every threshold on every cell it selects, per
// repetition: a threshold holds on a cell when at least half of its
// repetitions meet it. Failed cells (isolated cells that died) have no
// repetitions and are left to the run's own error.
func (f *File) Verdicts(res *results.Results) []results.Verdict {
	var out []results.Verdict
	for _, t := range f.Thresholds {
		for _, c := range res.Cells {
			if !t.Matches(c) || len(c.Repetitions) == 0 {
				continue
			}
			slo, err := t.SLO.Resolve(func(sel string) (results.Repetition, bool) { return reference(res, c, sel) })
			var failed []string
			if err != nil {
				failed = []string{err.Error()}
			} else {
				failed = slo.CheckReps(c.Repetitions)
			}
			out = append(out, results.Verdict{Threshold: t.Text, Workload: c.Workload, Strategy: c.Strategy, Limit: c.Limit,
				Met: len(failed) == 0, Failed: failed})
		}
	}
	return out
}

// reference finds the cell a relative threshold compares c with: sel
// is a strategy (the cell of c's workload under it), a workload (under
// c's strategy) or "workload/strategy"; with several limits, the one of
// c's limit if it has it, or else the first. It returns the cell's
// summary.
func reference(res *results.Results, c results.CellResult, sel string) (results.Repetition, bool) {
	var found *results.CellResult
	name, limit, atLimit := strings.Cut(sel, "@")
	for i, r := range res.Cells {
		picked := r.Workload+"/"+r.Strategy == name ||
			r.Strategy == name && r.Workload == c.Workload ||
			r.Workload == name && r.Strategy == c.Strategy
		if atLimit {
			picked = picked && limit == strconv.Itoa(r.Limit)
		}
		if !picked || len(r.Repetitions) == 0 {
			continue
		}
		if found == nil || r.Limit == c.Limit {
			found = &res.Cells[i]
		}
	}
	if found == nil {
		return results.Repetition{}, false
	}
	return found.Summary, true
}

// CheckSelectors refuses a threshold whose selector names no cell of p (a
// typo such as "semaphor:", or a strategy the command line left out),
// as an *input.Error at the threshold's line.
func (f *File) CheckSelectors(p *harness.Plan) error {
	var workloads, strategies []string
	for _, w := range p.Workloads {
		workloads = append(workloads, w.Name)
	}
	for _, s := range p.Strategies {
		strategies = append(strategies, s.Name())
	}
	return f.CheckCells(workloads, strategies)
}

// CheckCells is CheckSelectors for cells named by their workloads and
// strategies: an attack's cells.
func (f *File) CheckCells(workloads, strategies []string) error {
	known := append(slices.Clone(workloads), strategies...)
	for i, t := range f.Thresholds {
		for _, sel := range append([]string{t.Selector}, t.SLO.Refs()...) {
			if name, limit, ok := strings.Cut(sel, "@"); ok {
				if n, err := strconv.Atoi(limit); err != nil || n < 1 {
					return &input.Error{Path: f.Path, Line: t.line, Field: fmt.Sprintf("thresholds[%d]", i), Problem: fmt.Sprintf("selector %q: the limit after @ must be a whole number above 0", sel)}
				}
				sel = name
			}
			w, s, pair := strings.Cut(sel, "/")
			if sel == "" || slices.Contains(known, sel) || pair && slices.Contains(workloads, w) && slices.Contains(strategies, s) {
				continue
			}
			problem := fmt.Sprintf("selector %q matches no cell of the plan (workloads and strategies: %s)", sel, strings.Join(known, ", "))
			if c := input.Closest(sel, known); c != "" && !(pair && slices.Contains(workloads, w)) {
				problem = fmt.Sprintf("selector %q matches no cell of the plan; did you mean %q?", sel, c)
			}
			return &input.Error{Path: f.Path, Line: t.line, Field: fmt.Sprintf("thresholds[%d]", i), Problem: problem}
		}
	}
	return nil
}
