package scenario

import (
	"errors"
	"strconv"
	"strings"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/workloads"
)

// Build makes the scenario's workloads. tasks, when above 0, replaces every
// workload's task count; quick divides the counts by ten as -quick does;
// target, when set, is the URL of http workloads that name none. A bad
// family or parameter is an *Error with the line it is on; on error, the
// workloads built so far are closed.
func (f *File) Build(tasks int, quick bool, target string) (_ []harness.PlannedWorkload, err error) {
	var out []harness.PlannedWorkload
	defer func() {
		if err != nil {
			(&harness.Plan{Workloads: out}).Close()
		}
	}()
	if target == "" {
		target = f.Target
	}
	for _, w := range f.Workloads {
		spec, err := workloads.Lookup(w.Family)
		if err != nil {
			return nil, &Error{Path: f.Path, Line: w.familyLine, Key: "workloads." + w.Name + ".family", Problem: err.Error()}
		}
		params := map[string]string{}
		for k, v := range w.Params {
			params[k] = v
		}
		if w.Family == "http" && target != "" && params["target"] == "" {
			params["target"] = target
		}
		n := w.Tasks
		switch {
		case tasks > 0:
			n = tasks
		case quick:
			if n == 0 {
				n = spec.Tasks
			}
			n = max(1, n/10)
		}
		pw, err := spec.Build(w.Name, params, n)
		if err != nil {
			return nil, f.paramError(w, err)
		}
		pw.Timeout = w.Timeout
		out = append(out, pw)
	}
	return out, nil
}

// paramError points a workload build error at its parameter's line.
func (f *File) paramError(w Workload, err error) error {
	var in *harness.InputError
	if !errors.As(err, &in) {
		return &Error{Path: f.Path, Line: w.line, Key: "workloads." + w.Name, Problem: err.Error()}
	}
	_, param, _ := strings.Cut(strings.TrimPrefix(in.Field, "param "), ".")
	line, ok := w.paramLines[param]
	if !ok {
		line = w.line
	}
	return &Error{Path: f.Path, Line: line, Key: "workloads." + w.Name + ".params." + param, Problem: in.Problem}
}

// Record is what results.json keeps of the scenario.
func (f *File) Record() *harness.ScenarioRecord {
	return &harness.ScenarioRecord{Name: f.Name, Path: f.Path, SHA256: f.SHA256, Content: string(f.Content)}
}

// Failure is a threshold a cell did not meet.
type Failure struct {
	Threshold Threshold
	Cell      harness.CellResult
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
func (f *File) Check(res *harness.Results) []Failure {
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
