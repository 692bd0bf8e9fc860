package workloads

import (
	"errors"
	"testing"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/strategy"
)

func TestBuildRejectsBadParameters(t *testing.T) {
	tests := []struct {
		family string
		params map[string]string
		field  string // the field the error must name
		text   string // the error text
	}{
		{"io", map[string]string{"latncy": "1ms"}, "param io.latncy", "param io.latncy: unknown parameter; did you mean io.latency?"},
		{"io", map[string]string{"latency": "fast"}, "param io.latency", `param io.latency: invalid value "fast": want a duration such as 10ms or 1.5s`},
		{"io", map[string]string{"latency": "-1ms"}, "param io.latency", "param io.latency: -1ms is out of range (0, 1h0m0s]"},
		{"io", map[string]string{"latency": "1e400s"}, "param io.latency", `param io.latency: invalid value "1e400s": want a duration such as 10ms or 1.5s`},
		{"io", map[string]string{"dist": "pareto"}, "param io.dist", `param io.dist: invalid value "pareto": want one of constant, uniform, lognormal`},
		{"io", map[string]string{"dist": "uniform", "spread": "1.5"}, "param io.spread", "param io.spread: 1.5 must be below 1 for a uniform distribution"},
		{"io", map[string]string{"spread": "NaN"}, "param io.spread", "param io.spread: NaN must be >= 0"},
		{"cpu", map[string]string{"cost": "0s"}, "param cpu.cost", "param cpu.cost: 0s is out of range (0, 1h0m0s]"},
		{"recursive", map[string]string{"shape": "list", "list": "[1,[2"}, "param recursive.list", `param recursive.list: "[1,[2" is not JSON: unexpected EOF`},
		{"recursive", map[string]string{"shape": "list", "list": "[1,[2.5]]"}, "param recursive.list", "param recursive.list: 2.5 is not an integer"},
		{"recursive", map[string]string{"shape": "list", "list": "[[],[[]]]"}, "param recursive.list", `param recursive.list: "[[],[[]]]" has no number`},
		{"recursive", map[string]string{"shape": "list", "list": "{}"}, "param recursive.list", `param recursive.list: "{}" is not a list`},
		{"hog", map[string]string{"hogs": "-1"}, "param hog.hogs", "param hog.hogs: -1 is out of range 0..10000000"},
		{"http", map[string]string{"retry-attempts": "0"}, "param http.retry-attempts", "param http.retry-attempts: 0 is out of range 1..100"},
		{"http", map[string]string{"retry-base": "1s", "retry-cap": "10ms"}, "param http.retry-cap", "param http.retry-cap: 10ms is out of range [retry-base 1s, 1h0m0s]"},
		{"mixed", map[string]string{"sections": "0"}, "param mixed.sections", "param mixed.sections: 0 is out of range 1..1000"},
		{"recursive", map[string]string{"fanout": "4", "depth": "11"}, "param recursive.depth", "param recursive.depth: fanout 4 to depth 11 makes more than 1048576 leaves"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			spec, err := Lookup(tt.family)
			if err != nil {
				t.Fatal(err)
			}
			_, err = spec.Build(tt.family, tt.params, 0)
			var in *input.Error
			if !errors.As(err, &in) || in.Field != tt.field || err.Error() != tt.text {
				t.Errorf("Build error = %v, want %q on field %q", err, tt.text, tt.field)
			}
		})
	}
}

// TestDeepChainIsAHazard checks that a chain past MaxChainDepth builds, but
// that a plan refuses it, naming the parameter, unless forced.
func TestDeepChainIsAHazard(t *testing.T) {
	spec, _ := Lookup("recursive")
	plan := func(force bool) error {
		w, err := spec.Build("recursive", map[string]string{"shape": "chain", "depth": "1000000"}, 1)
		if err != nil {
			return err
		}
		p, err := harness.NewPlan(harness.PlanConfig{Workloads: []harness.PlannedWorkload{w},
			Strategies: []harness.Strategy{strategy.Sequential{}}, Reps: 1, Force: force})
		if err == nil {
			p.Close()
		}
		return err
	}
	want := "param recursive.depth: 1000000 is out of range 1..100000 for a chain (deeper may overflow the goroutine stack, which aborts the process); -force runs it anyway"
	if err := plan(false); err == nil || err.Error() != want {
		t.Errorf("unforced: %v, want %q", err, want)
	}
	if err := plan(true); err != nil {
		t.Errorf("forced: %v", err)
	}
}

func TestBuildResolvesDefaults(t *testing.T) {
	spec, _ := Lookup("io")
	w, err := spec.Build("io-slow", map[string]string{"latency": "20ms"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"latency": "20ms", "dist": "constant", "spread": "0.5", "seed": "1", "mode": "park"}
	for k, v := range want {
		if w.Params[k] != v {
			t.Errorf("param %s = %q, want %q", k, w.Params[k], v)
		}
	}
	if w.Name != "io-slow" || w.Family != "io" || w.Tasks != 200 {
		t.Errorf("got name %q family %q tasks %d", w.Name, w.Family, w.Tasks)
	}
}

func TestLookupSuggests(t *testing.T) {
	_, err := Lookup("recursve")
	if err == nil || err.Error() != `unknown workload "recursve"; did you mean "recursive"?` {
		t.Errorf("err = %v", err)
	}
}

func TestEveryFamilyIsRegisteredAndDocumented(t *testing.T) {
	for _, name := range []string{"io", "cpu", "mixed", "recursive"} {
		spec, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		if spec.Doc == "" {
			t.Errorf("%s has no Doc", name)
		}
		for _, p := range spec.Params() {
			if p.Usage == "" {
				t.Errorf("%s.%s has no usage", name, p.Name)
			}
		}
	}
}

func TestBuildExplainsNumbers(t *testing.T) {
	spec, _ := Lookup("recursive")
	_, err := spec.Build("recursive", map[string]string{"fanout": "many"}, 0)
	if err == nil || err.Error() != `param recursive.fanout: invalid value "many": want a whole number` {
		t.Errorf("err = %v", err)
	}
}
