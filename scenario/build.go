package scenario

import (
	"strconv"
	"strings"

	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/plan"
	"github.com/concbench/concbench/workloads"
)

// Spec is the scenario's plan by name: its workloads, strategies, limits,
// repetitions and target. A command overrides parts of it (flags), then
// builds it with plan.Build and points errors at lines with Locate.
func (f *File) Spec() plan.Spec {
	s := plan.Spec{Strategies: f.Strategies, Limits: f.Limits, Target: f.Target}
	if f.Reps != nil {
		s.Reps = *f.Reps
	}
	if f.Warmup != nil {
		s.Warmup = *f.Warmup
	}
	for _, w := range f.Workloads {
		s.Workloads = append(s.Workloads, results.WorkloadRecord{Name: w.Name, Family: w.Family, Params: w.Params, Tasks: w.Tasks, Timeout: w.Timeout})
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
	ref, isParam := strings.CutPrefix(in.Field, "param ")
	if !isParam {
		return err
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

// Record is what results.json keeps of the scenario.
func (f *File) Record() *results.ScenarioRecord {
	return &results.ScenarioRecord{Name: f.Name, Path: f.Path, SHA256: f.SHA256, Content: string(f.Content)}
}

// Failure is a threshold a cell did not meet.
type Failure struct {
	Threshold Threshold
	Cell      results.CellResult
	Failed    []string // the conditions, with measured values
}

func (x Failure) String() string {
	cell := x.Cell.Workload + " " + x.Cell.Strategy
	if x.Cell.Limit > 0 {
		cell += " " + strconv.Itoa(x.Cell.Limit)
	}
	return "threshold " + x.Threshold.Text + ": " + cell + ": " + strings.Join(x.Failed, ", ")
}

// Check returns every threshold a cell of res does not meet (checked per
// repetition: a threshold holds when at least half of them meet it).
func (f *File) Check(res *results.Results) []Failure {
	var out []Failure
	for _, t := range f.Thresholds {
		for _, c := range res.Cells {
			if !t.Matches(c) {
				continue
			}
			if failed := t.SLO.CheckReps(c.Repetitions); len(failed) > 0 {
				out = append(out, Failure{Threshold: t, Cell: c, Failed: failed})
			}
		}
	}
	return out
}
