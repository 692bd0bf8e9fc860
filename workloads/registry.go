// Package workloads holds concbench's workload families and the registry
// through which the command finds them. A user adds a family by
// implementing harness.Workload in a package of their own and calling
// Register from an init function (see the example).
package workloads

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
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
type Param struct {
	Name, Default, Usage string
}

// Params lists the parameters of s, sorted by name.
func (s Spec) Params() []Param {
	fs := newFlagSet(s.Name)
	s.Define(fs)
	var ps []Param
	fs.VisitAll(func(f *flag.Flag) { ps = append(ps, Param{f.Name, f.DefValue, f.Usage}) })
	return ps
}

// Build makes the workload name of family s from params (parameter name to
// value; unset ones keep their defaults) with tasks root tasks (0: the
// family's default). A bad parameter is an *input.Error whose field is
// "param <family>.<name>".
func (s Spec) Build(name string, params map[string]string, tasks int) (harness.PlannedWorkload, error) {
	fs := newFlagSet(s.Name)
	construct := s.Define(fs)
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if fs.Lookup(k) == nil {
			var known []string
			fs.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) })
			problem := fmt.Sprintf("unknown parameter (known: %s)", strings.Join(known, ", "))
			if c := input.Closest(k, known); c != "" {
				problem = fmt.Sprintf("unknown parameter; did you mean %s.%s?", name, c)
			}
			return harness.PlannedWorkload{}, &input.Error{Field: "param " + name + "." + k, Problem: problem}
		}
		if err := fs.Set(k, params[k]); err != nil {
			return harness.PlannedWorkload{}, &input.Error{Field: "param " + name + "." + k,
				Problem: fmt.Sprintf("invalid value %q: %v", params[k], explainSetError(fs.Lookup(k), err))}
		}
	}
	w, err := construct()
	if err != nil {
		if in, ok := input.As(err); ok && in.Field != "" {
			return harness.PlannedWorkload{}, &input.Error{Field: "param " + name + "." + in.Field, Problem: in.Problem}
		}
		return harness.PlannedWorkload{}, &input.Error{Field: "param " + name, Problem: err.Error()}
	}
	resolved := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) { resolved[f.Name] = f.Value.String() })
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

func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// explainSetError replaces the flag package's bare "parse error" and
// "value out of range" with the type the parameter wants.
func explainSetError(f *flag.Flag, err error) string {
	kind, _ := flag.UnquoteUsage(f)
	want := map[string]string{
		"duration": "a duration such as 10ms or 1.5s",
		"int":      "a whole number",
		"uint":     "a whole number >= 0",
		"float":    "a number",
	}[kind]
	switch {
	case want == "":
		return err.Error()
	case err.Error() == "value out of range":
		return "out of range for " + want
	default:
		return "want " + want
	}
}

// oneOf is a string parameter limited to a set of values.
type oneOf struct {
	value   string
	allowed []string
}

func newOneOf(fs *flag.FlagSet, name string, allowed []string, usage string) *oneOf {
	v := &oneOf{value: allowed[0], allowed: allowed}
	fs.Var(v, name, fmt.Sprintf("%s (%s)", usage, strings.Join(allowed, "|")))
	return v
}

func (o *oneOf) String() string {
	if o == nil {
		return ""
	}
	return o.value
}

func (o *oneOf) Set(s string) error {
	for _, a := range o.allowed {
		if s == a {
			o.value = s
			return nil
		}
	}
	return fmt.Errorf("want one of %s", strings.Join(o.allowed, ", "))
}
