package harness

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/profiles"
	"github.com/concbench/concbench/harness/results"
)

// Bounds on plan values: beyond them a plan is refused before anything runs.
const (
	MaxTasks  = 10_000_000
	MaxLimit  = 1 << 20
	MaxReps   = 1000
	MaxWarmup = 100
)

// PlanConfig is what a plan is made of, before NewPlan checks it.
type PlanConfig struct {
	Workloads  []PlannedWorkload
	Strategies []Strategy
	// StrategyParams records the parameters of configured strategies, by
	// name, for results.json and isolated cells.
	StrategyParams map[string]map[string]string
	Limits         []int // the limits of limited strategies; unlimited ones run once
	Reps           int   // measured repetitions per cell
	Warmup         int   // discarded repetitions before them
	// Force accepts a plan beyond the safety bounds: a workload's Hazard
	// (a chain deep enough to overflow the goroutine stack, which aborts
	// the process) and a footprint beyond the machine. Run forced plans
	// isolated, so that a crash costs one cell.
	Force bool
	// MemTotal is the memory the footprint guard allows half of; 0 reads
	// the machine's.
	MemTotal int64
	// GOMAXPROCS, when above 0, is the processors Go may use while the
	// plan runs (runtime.GOMAXPROCS); 0 leaves it as it is.
	GOMAXPROCS int
	// MaxStack, when above 0, is the most bytes one goroutine's stack may
	// grow to while the plan runs (debug.SetMaxStack; Go's default is
	// 1 GB): past it the process aborts, so run such plans isolated.
	MaxStack int64
	// SLO is what a recommended cell must meet; with AutoLimits, what a
	// searched limit must meet too.
	SLO results.SLO
	// AutoLimits searches each limited strategy's limit instead of running
	// Limits (see Runner.Run): from 1, doubling, up to MaxAutoLimit
	// (DefaultMaxAutoLimit when 0).
	AutoLimits   bool
	MaxAutoLimit int
	// Profiles are the profiles each cell's measured repetitions record
	// (package profiles: cpu, heap, mutex, block, trace), written into the
	// Runner's ProfileDir.
	Profiles []string
}

// DefaultMaxAutoLimit is the highest limit an automatic search tries.
const DefaultMaxAutoLimit = 4096

// MaxGOMAXPROCS bounds PlanConfig.GOMAXPROCS.
const MaxGOMAXPROCS = 1024

// Plan is a validated set of cells and how to repeat them. Only NewPlan
// makes one that Runner.Run accepts; do not change its fields afterwards.
type Plan struct {
	PlanConfig
	validated bool
}

// PlannedWorkload is a workload built from its family and parameters.
type PlannedWorkload struct {
	Name    string            // shown in tables, e.g. "io" or "io-slow"
	Family  string            // the registered family, e.g. "io"
	Params  map[string]string // every parameter, resolved
	Tasks   int               // root tasks per repetition
	Timeout time.Duration     // per task; 0: none. A task past it sees its context done.
	// GroupTimeout is one deadline for every task of a repetition, from
	// its start: tasks running then see their context done, and tasks not
	// yet started never start. 0: none.
	GroupTimeout time.Duration
	// TasksPerLimit, when above 0, raises a cell's tasks to this many times
	// its limit (a concurrency sweep keeps every limit busy).
	TasksPerLimit int
	Workload      Workload
}

// Record is the workload as results.json keeps it, and as an isolated
// cell's child rebuilds it.
func (w PlannedWorkload) Record() results.WorkloadRecord {
	return results.WorkloadRecord{Name: w.Name, Family: w.Family, Params: w.Params, Tasks: w.Tasks,
		TasksPerLimit: w.TasksPerLimit, Timeout: w.Timeout, GroupTimeout: w.GroupTimeout}
}

// A Hazardous workload can be built with parameters beyond a safety
// bound. Hazard returns an *input.Error naming the parameter (without
// the family) when it is; NewPlan refuses the plan unless forced.
type Hazardous interface {
	Hazard() error
}

// Cell is one workload x strategy x limit combination of a plan.
type Cell struct {
	Workload *PlannedWorkload
	Strategy Strategy
	Limit    int // 0 for an unlimited strategy
	Tasks    int // root tasks per repetition
}

func (c Cell) String() string {
	if c.Limit == 0 {
		return fmt.Sprintf("%s × %s", c.Workload.Name, c.Strategy.Name())
	}
	return fmt.Sprintf("%s × %s limit=%d", c.Workload.Name, c.Strategy.Name(), c.Limit)
}

// NewPlan checks c's counts, bounds and safety guards and returns the plan.
// The plan owns the workloads: on error NewPlan closes them (an embedded
// target stops), and otherwise Plan.Close does. Every problem is an
// *input.Error named as the command's flags are (tasks, limits, param
// io.latency, ...).
func NewPlan(c PlanConfig) (_ *Plan, err error) {
	p := &Plan{PlanConfig: c}
	defer func() {
		if err != nil {
			p.Close() //nolint:errcheck // the input error matters more
		}
	}()
	switch {
	case len(c.Workloads) == 0:
		return nil, input.Errorf("workloads", "no workload given")
	case len(c.Strategies) == 0:
		return nil, input.Errorf("strategies", "no strategy given")
	case c.Reps < 1 || c.Reps > MaxReps:
		return nil, input.Errorf("reps", "%d is out of range 1..%d", c.Reps, MaxReps)
	case c.Warmup < 0 || c.Warmup > MaxWarmup:
		return nil, input.Errorf("warmup", "%d is out of range 0..%d", c.Warmup, MaxWarmup)
	case c.MaxStack < 0 || c.MaxStack > 1<<40:
		return nil, input.Errorf("max-stack", "%d bytes is out of range 0..%d (0: Go's default)", c.MaxStack, int64(1)<<40)
	case c.GOMAXPROCS < 0 || c.GOMAXPROCS > MaxGOMAXPROCS:
		return nil, input.Errorf("gomaxprocs", "%d is out of range 0..%d (0: as it is)", c.GOMAXPROCS, MaxGOMAXPROCS)
	}
	if err := profiles.Validate("profile", c.Profiles); err != nil {
		return nil, err
	}
	for _, w := range c.Workloads {
		if w.Workload == nil {
			return nil, input.Errorf("workloads", "workload %s was not built", w.Name)
		}
		if w.Tasks < 1 || w.Tasks > MaxTasks {
			return nil, input.Errorf("tasks", "%d is out of range 1..%d (workload %s)", w.Tasks, MaxTasks, w.Name)
		}
		if w.TasksPerLimit < 0 || w.TasksPerLimit > 1000 {
			return nil, input.Errorf("tasks-per-limit", "%d is out of range 0..1000", w.TasksPerLimit)
		}
		if w.Timeout < 0 || w.Timeout > MaxLatency {
			return nil, input.Errorf("task-timeout", "%v is out of range [0, %v]", w.Timeout, MaxLatency)
		}
		if w.GroupTimeout < 0 || w.GroupTimeout > MaxLatency {
			return nil, input.Errorf("group-timeout", "%v is out of range [0, %v]", w.GroupTimeout, MaxLatency)
		}
		if h, ok := w.Workload.(Hazardous); ok && !c.Force {
			if err := h.Hazard(); err != nil {
				if in, ok := input.As(err); ok {
					return nil, &input.Error{Field: "param " + w.Family + "." + in.Field, Problem: in.Problem + "; -force runs it anyway"}
				}
				return nil, input.Errorf("param "+w.Family, "%v", err)
			}
		}
	}
	if c.MaxAutoLimit < 0 || c.MaxAutoLimit > MaxLimit {
		return nil, input.Errorf("limits", "the most an automatic search tries, %d, is out of range 1..%d", c.MaxAutoLimit, MaxLimit)
	}
	if slices.ContainsFunc(c.Strategies, Strategy.Limited) && len(c.Limits) == 0 && !c.AutoLimits {
		return nil, input.Errorf("limits", "no limit given for the limited strategies")
	}
	for _, l := range c.Limits {
		if l < 1 || l > MaxLimit {
			return nil, input.Errorf("limits", "%d is out of range 1..%d", l, MaxLimit)
		}
	}
	for _, cell := range p.Cells() {
		if cell.Tasks > MaxTasks {
			return nil, input.Errorf("tasks-per-limit", "%d tasks at limit %d is more than %d", cell.Tasks, cell.Limit, MaxTasks)
		}
	}
	if !c.Force {
		if err := p.CheckFootprint(c.MemTotal); err != nil {
			return nil, err
		}
	}
	p.validated = true
	return p, nil
}

// Cells lists the plan's cells: per workload, per strategy, per limit.
// With AutoLimits, the limited strategies' cells are the search's, made
// as it goes (Cell), and not listed.
func (p *Plan) Cells() []Cell {
	var cells []Cell
	for i := range p.Workloads {
		w := &p.Workloads[i]
		for _, s := range p.Strategies {
			if !s.Limited() {
				cells = append(cells, Cell{Workload: w, Strategy: s, Tasks: w.Tasks})
				continue
			}
			if p.AutoLimits {
				continue
			}
			for _, l := range p.Limits {
				cells = append(cells, p.Cell(w, s, l))
			}
		}
	}
	return cells
}

// Cell is the cell of workload w under limited strategy s at limit.
func (p *Plan) Cell(w *PlannedWorkload, s Strategy, limit int) Cell {
	return Cell{Workload: w, Strategy: s, Limit: limit, Tasks: max(w.Tasks, w.TasksPerLimit*limit)}
}

// maxAutoLimit is the highest limit an automatic search tries.
func (p *Plan) maxAutoLimit() int {
	if p.MaxAutoLimit > 0 {
		return p.MaxAutoLimit
	}
	return DefaultMaxAutoLimit
}

// Close releases what workloads hold (an embedded target, connections):
// every Workload that is an io.Closer is closed. Call it when the run ends.
func (p *Plan) Close() error { return CloseWorkloads(p.Workloads) }

// CloseWorkloads closes every workload of ws that is an io.Closer.
func CloseWorkloads(ws []PlannedWorkload) error {
	var errs []error
	for _, w := range ws {
		if c, ok := w.Workload.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

// Record is the plan as results.json keeps it.
func (p *Plan) Record() results.PlanRecord {
	r := results.PlanRecord{Limits: p.Limits, Reps: p.Reps, Warmup: p.Warmup, Forced: p.Force, StrategyParams: p.StrategyParams, GOMAXPROCS: p.GOMAXPROCS, MaxStack: p.MaxStack, SLO: p.SLO.String(), LimitsAuto: p.AutoLimits,
		Profiles: p.Profiles}
	for _, w := range p.Workloads {
		r.Workloads = append(r.Workloads, w.Record())
	}
	for _, s := range p.Strategies {
		r.Strategies = append(r.Strategies, s.Name())
	}
	return r
}
