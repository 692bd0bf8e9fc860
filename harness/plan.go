package harness

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// Bounds on plan values: beyond them a plan is refused before anything runs.
const (
	MaxTasks  = 10_000_000
	MaxLimit  = 1 << 20
	MaxReps   = 1000
	MaxWarmup = 100
)

// Plan is a validated set of cells and how to repeat them.
type Plan struct {
	Workloads  []PlannedWorkload
	Strategies []Strategy
	Limits     []int // the limits of limited strategies; unlimited ones run once
	Reps       int   // measured repetitions per cell
	Warmup     int   // discarded repetitions before them
}

// PlannedWorkload is a workload built from its family and parameters.
type PlannedWorkload struct {
	Name     string            // shown in tables, e.g. "io" or "io-slow"
	Family   string            // the registered family, e.g. "io"
	Params   map[string]string // every parameter, resolved
	Tasks    int               // root tasks per repetition
	Timeout  time.Duration     // per task; 0: none. A task past it sees its context done.
	Workload Workload
}

// Record is the workload as results.json keeps it.
func (w PlannedWorkload) Record() WorkloadRecord {
	return WorkloadRecord{Name: w.Name, Family: w.Family, Params: w.Params, Tasks: w.Tasks, Timeout: w.Timeout}
}

// Cell is one workload x strategy x limit combination of a plan.
type Cell struct {
	Workload *PlannedWorkload
	Strategy Strategy
	Limit    int // 0 for an unlimited strategy
}

func (c Cell) String() string {
	if c.Limit == 0 {
		return fmt.Sprintf("%s × %s", c.Workload.Name, c.Strategy.Name())
	}
	return fmt.Sprintf("%s × %s limit=%d", c.Workload.Name, c.Strategy.Name(), c.Limit)
}

// InputError is bad input, named by its field (a flag or scenario key).
type InputError struct {
	Field   string
	Problem string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Problem }

func badInput(field, format string, args ...any) error {
	return &InputError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// Validate checks the plan's counts and bounds.
func (p *Plan) Validate() error {
	switch {
	case len(p.Workloads) == 0:
		return badInput("workloads", "no workload given")
	case len(p.Strategies) == 0:
		return badInput("strategies", "no strategy given")
	case p.Reps < 1 || p.Reps > MaxReps:
		return badInput("reps", "%d is out of range 1..%d", p.Reps, MaxReps)
	case p.Warmup < 0 || p.Warmup > MaxWarmup:
		return badInput("warmup", "%d is out of range 0..%d", p.Warmup, MaxWarmup)
	}
	for _, w := range p.Workloads {
		if w.Tasks < 1 || w.Tasks > MaxTasks {
			return badInput("tasks", "%d is out of range 1..%d (workload %s)", w.Tasks, MaxTasks, w.Name)
		}
	}
	limited := slices.ContainsFunc(p.Strategies, Strategy.Limited)
	if limited && len(p.Limits) == 0 {
		return badInput("limits", "no limit given for the limited strategies")
	}
	for _, l := range p.Limits {
		if l < 1 || l > MaxLimit {
			return badInput("limits", "%d is out of range 1..%d", l, MaxLimit)
		}
	}
	return nil
}

// Cells lists the plan's cells: per workload, per strategy, per limit.
func (p *Plan) Cells() []Cell {
	var cells []Cell
	for i := range p.Workloads {
		for _, s := range p.Strategies {
			if !s.Limited() {
				cells = append(cells, Cell{Workload: &p.Workloads[i], Strategy: s})
				continue
			}
			for _, l := range p.Limits {
				cells = append(cells, Cell{Workload: &p.Workloads[i], Strategy: s, Limit: l})
			}
		}
	}
	return cells
}

// Close releases what workloads hold (an embedded target, connections):
// every Workload that is an io.Closer is closed. Call it when the run ends.
func (p *Plan) Close() error {
	var errs []error
	for _, w := range p.Workloads {
		if c, ok := w.Workload.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

// Record is the plan as results.json keeps it.
func (p *Plan) Record() PlanRecord {
	r := PlanRecord{Limits: p.Limits, Reps: p.Reps, Warmup: p.Warmup}
	for _, w := range p.Workloads {
		r.Workloads = append(r.Workloads, w.Record())
	}
	for _, s := range p.Strategies {
		r.Strategies = append(r.Strategies, s.Name())
	}
	return r
}
