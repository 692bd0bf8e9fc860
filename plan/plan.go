// Package plan turns a plan written with names (flags, a scenario file, an
// isolated cell's spec, results.json) into a validated harness.Plan: it
// finds each workload family and strategy in its registry, builds the
// workloads from their parameters and calls harness.NewPlan. It is the one
// place a plan is built.
package plan

import (
	"slices"
	"strings"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/strategy"
	"github.com/concbench/concbench/workloads"
)

// Spec is a plan by name.
type Spec struct {
	// Workloads to run: Family names a registered family (Name when
	// empty); Params set its parameters (the rest keep their defaults);
	// Tasks 0 takes the family's default.
	Workloads  []results.WorkloadRecord
	Strategies []string // registered strategy names
	// StrategyParams set the parameters of strategies that take some, by
	// strategy name (the rest keep their defaults).
	StrategyParams map[string]map[string]string
	Limits         []int
	Reps           int
	Warmup         int
	// Quick makes a smoke run: each workload runs a tenth of its tasks.
	Quick bool
	// Target is the URL of http workloads that set no target parameter;
	// empty: they start an embedded target.
	Target string
	// Force accepts a plan beyond the safety bounds (see
	// harness.PlanConfig.Force).
	Force bool
	// GOMAXPROCS, when above 0, is set while the plan runs.
	GOMAXPROCS int
	// MaxStack, when above 0, bounds one goroutine's stack while the plan
	// runs (see harness.PlanConfig.MaxStack).
	MaxStack int64
	// SLO is what a recommended cell must meet; its error condition, when
	// it has one, is the error budget.
	SLO results.SLO
	// AutoLimits searches each limited strategy's limit (-limits auto)
	// instead of running Limits.
	AutoLimits bool
	// Profiles are the profiles each cell records (see
	// harness.PlanConfig.Profiles).
	Profiles []string
}

// FromRecord is the spec of a plan as results.json (or an isolated cell's
// spec) records it.
func FromRecord(r results.PlanRecord) Spec {
	return Spec{Workloads: r.Workloads, Strategies: r.Strategies, StrategyParams: r.StrategyParams, Limits: r.Limits, Reps: r.Reps, Warmup: r.Warmup, Force: r.Forced, GOMAXPROCS: r.GOMAXPROCS, MaxStack: r.MaxStack,
		Profiles: r.Profiles}
}

// Build builds and validates the plan. Every problem is an *input.Error
// named as the command's flags are: "workloads", "strategies", "param
// <workload>.<name>", "reps", ... On error the workloads built so far are
// closed.
func Build(s Spec) (*harness.Plan, error) {
	if err := checkDuplicates(s); err != nil {
		return nil, err
	}
	c := harness.PlanConfig{Limits: s.Limits, Reps: s.Reps, Warmup: s.Warmup, Force: s.Force, GOMAXPROCS: s.GOMAXPROCS, MaxStack: s.MaxStack, SLO: s.SLO, AutoLimits: s.AutoLimits,
		Profiles: s.Profiles}
	for name := range s.StrategyParams {
		if !slices.Contains(s.Strategies, name) {
			return nil, input.Errorf("param "+name, "strategy %q is not among the strategies (%s)", name, strings.Join(s.Strategies, ", "))
		}
	}
	for _, name := range s.Strategies {
		st, resolved, err := strategy.Build(name, s.StrategyParams[name])
		if err != nil {
			return nil, named("strategies", err)
		}
		c.Strategies = append(c.Strategies, st)
		if resolved != nil {
			if c.StrategyParams == nil {
				c.StrategyParams = map[string]map[string]string{}
			}
			c.StrategyParams[name] = resolved
		}
	}
	for _, rec := range s.Workloads {
		w, err := Workload(rec, s.Quick, s.Target)
		if err != nil {
			harness.CloseWorkloads(c.Workloads) //nolint:errcheck // the input error matters more
			return nil, err
		}
		c.Workloads = append(c.Workloads, w)
	}
	return harness.NewPlan(c)
}

// checkDuplicates refuses a workload, strategy or limit named twice: the
// cell would run twice and its files collide.
func checkDuplicates(s Spec) error {
	names := make([]string, len(s.Workloads))
	for i, w := range s.Workloads {
		names[i] = w.Name
	}
	if d, ok := duplicate(names); ok {
		return input.Errorf("workloads", "%q appears twice", d)
	}
	if d, ok := duplicate(s.Strategies); ok {
		return input.Errorf("strategies", "%q appears twice", d)
	}
	if d, ok := duplicate(s.Limits); ok {
		return input.Errorf("limits", "%d appears twice", d)
	}
	return nil
}

// duplicate is the first value of list seen before.
func duplicate[T comparable](list []T) (T, bool) {
	seen := make(map[T]bool, len(list))
	for _, v := range list {
		if seen[v] {
			return v, true
		}
		seen[v] = true
	}
	var zero T
	return zero, false
}

// Workload builds one workload of a spec (see Spec.Workloads, Quick and
// Target).
func Workload(rec results.WorkloadRecord, quick bool, target string) (harness.PlannedWorkload, error) {
	family := rec.Family
	if family == "" {
		family = rec.Name
	}
	spec, err := workloads.Lookup(family)
	if err != nil {
		return harness.PlannedWorkload{}, named("workloads", err)
	}
	params := map[string]string{}
	for k, v := range rec.Params {
		params[k] = v
	}
	fromFlag := family == "http" && target != "" && params["target"] == ""
	if fromFlag {
		params["target"] = target
	}
	tasks := rec.Tasks
	if quick {
		if tasks == 0 {
			tasks = spec.Tasks
		}
		tasks = max(1, tasks/10)
	}
	if tasks < 0 || tasks > harness.MaxTasks {
		return harness.PlannedWorkload{}, input.Errorf("tasks", "%d is out of range 1..%d", tasks, harness.MaxTasks)
	}
	w, err := spec.Build(rec.Name, params, tasks)
	if in, ok := input.As(err); ok && fromFlag && in.Field == "param "+rec.Name+".target" {
		return w, &input.Error{Field: "target", Problem: in.Problem} // the URL came from -target
	}
	if err != nil {
		return w, err
	}
	w.Timeout, w.GroupTimeout, w.TasksPerLimit = rec.Timeout, rec.GroupTimeout, rec.TasksPerLimit
	return w, nil
}

// named sets the field of an *input.Error that has none.
func named(field string, err error) error {
	if in, ok := input.As(err); ok && in.Field == "" {
		return &input.Error{Field: field, Path: in.Path, Line: in.Line, Problem: in.Problem}
	}
	return err
}
