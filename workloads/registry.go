// Package workloads holds concbench's workload families and the registry
// through which the command finds them. A user adds a family by
// implementing harness.Workload in a package of their own and calling
// Register from an init function (see the example).
package workloads

import (
	"flag"
	"sync"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/param"
)

// Spec describes a workload family.
type Spec struct {
	Name  string // the family's name in flags and tables
	Doc   string // a one-line description
	Tasks int    // the default number of root tasks per repetition
	// Define declares the family's parameters on fs, with their types,
	// defaults and one-line usage, and returns the constructor that builds
	// a workload from their parsed values. The constructor reports a bad
	// value with an *input.Error whose field is the parameter's name.
	Define func(fs *flag.FlagSet) func() (harness.Workload, error)
}

// badParam is a constructor's refusal of one of its parameters; Build
// names the family in the field.
func badParam(param, format string, args ...any) error { return input.Errorf(param, format, args...) }

var (
	mu    sync.RWMutex
	specs []Spec
)

// Register adds a family. It panics if the name is empty or taken, or the
// spec has no Define, as database/sql.Register does; call it from init.
func Register(s Spec) {
	mu.Lock()
	defer mu.Unlock()
	if s.Name == "" || s.Define == nil || s.Tasks < 1 {
		panic("workloads: Register needs a Name, a Define and Tasks >= 1")
	}
	for _, t := range specs {
		if t.Name == s.Name {
			panic("workloads: Register called twice for " + s.Name)
		}
	}
	specs = append(specs, s)
}

// All returns every registered family in registration order.
func All() []Spec {
	mu.RLock()
	defer mu.RUnlock()
	return append([]Spec(nil), specs...)
}

// Names returns the registered family names.
func Names() []string {
	var names []string
	for _, s := range All() {
		names = append(names, s.Name)
	}
	return names
}

// Lookup returns the family with that name, or an *input.Error (with no
// field: the caller names it) suggesting the closest name.
func Lookup(name string) (Spec, error) {
	for _, s := range All() {
		if s.Name == name {
			return s, nil
		}
	}
	return Spec{}, input.Unknown("", "workload", name, Names())
}

// unusedParams is implemented by workloads some of whose parameters do not
// apply to the values given (the embedded target's settings, when http
// names a target of its own): Build leaves those out of the resolved
// parameters, so that results.json and the charts show only what applied.
type unusedParams interface {
	UnusedParams() []string
}

// Param documents one parameter of a family.
type Param = param.Doc

// Params lists the parameters of s, sorted by name.
func (s Spec) Params() []Param {
	fs := param.NewSet(s.Name)
	s.Define(fs)
	return param.Docs(fs)
}

// Build makes the workload name of family s from params (parameter name to
// value; unset ones keep their defaults) with tasks root tasks (0: the
// family's default). A bad parameter is an *input.Error whose field is
// "param <family>.<name>".
func (s Spec) Build(name string, params map[string]string, tasks int) (harness.PlannedWorkload, error) {
	fs := param.NewSet(s.Name)
	construct := s.Define(fs)
	resolved, err := param.Apply(fs, name, params)
	if err != nil {
		return harness.PlannedWorkload{}, err
	}
	w, err := construct()
	if err != nil {
		return harness.PlannedWorkload{}, param.Named(name, err)
	}
	if u, ok := w.(unusedParams); ok {
		for _, name := range u.UnusedParams() {
			delete(resolved, name)
		}
	}
	if tasks == 0 {
		tasks = s.Tasks
	}
	return harness.PlannedWorkload{Name: name, Family: s.Name, Params: resolved, Tasks: tasks, Workload: w}, nil
}
