package scenario

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/load"
	"gopkg.in/yaml.v3"
)

// AttackKeys are the keys of a scenario's attack section. Each is a flag of
// bench attack, written with '_' for '-' (max_workers is -max-workers), but
// header (-H, a list: one header an item) and method (-m).
var AttackKeys = []string{"rate", "rates", "duration", "stages", "users", "pacer", "slope", "sine_period", "sine_amp",
	"max_workers", "timeout", "late_after", "max_lateness", "header", "method", "body", "expect_status",
	"cacert", "cert", "key", "insecure", "targets", "targets_format", "reps", "slo", "max_rate", "encode", "shards"}

// shortFlags are the keys whose flag is not the key itself.
var shortFlags = map[string]string{"header": "H", "method": "m"}

// Attack is the HTTP load of a scenario that bench attack runs: open loop
// at rates or through rate stages, or closed loop through stages of users,
// as the flags of bench attack say it. bench attack reads each setting as
// it reads its flag, so that a file and a command line mean the same.
//
//	attack:
//	  stages:               # or "30s:100,1m:1000,30s:0"
//	    - {duration: 30s, target: 100}
//	    - 1m:1000
//	  max_workers: 512
type Attack struct {
	Settings []Setting // in the file's order
}

// Setting is one key of an attack section: its value as the flag takes it
// (a list joined by commas) and its line.
type Setting struct {
	Key, Value string
	Line       int
}

// Flag is the bench attack flag the setting sets: "max-workers".
func (s Setting) Flag() string {
	if f, ok := shortFlags[s.Key]; ok {
		return f
	}
	return strings.ReplaceAll(s.Key, "_", "-")
}

func (p *parser) attack(n *yaml.Node) *Attack {
	a := &Attack{}
	if n.Tag == "!!null" {
		return a // "attack:" alone: every default
	}
	p.mapping(n, "attack", AttackKeys, func(k string, v *yaml.Node) {
		key := "attack." + k
		value := ""
		switch k {
		case "rates", "stages", "users":
			value = p.list(v, key)
		case "header": // one setting a header: a value may hold a comma
			if v.Kind != yaml.SequenceNode {
				a.Settings = append(a.Settings, Setting{Key: k, Value: p.str(v, key), Line: v.Line})
				return
			}
			for i, item := range p.seq(v, key) {
				a.Settings = append(a.Settings, Setting{Key: k, Value: p.str(item, fmt.Sprintf("%s[%d]", key, i)), Line: item.Line})
			}
			return
		case "insecure":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				p.fail(v, key, "want true or false, got %s", kind(v))
			}
			value = v.Value
		default:
			value = p.str(v, key)
		}
		a.Settings = append(a.Settings, Setting{Key: k, Value: value, Line: v.Line})
	})
	return a
}

// list reads a string, or a list of strings joined by commas. The items of
// stages and users may also be k6's mappings {duration: 30s, target: 100}.
func (p *parser) list(n *yaml.Node, key string) string {
	if n.Kind == yaml.ScalarNode {
		return p.str(n, key)
	}
	var items []string
	for i, item := range p.seq(n, key) {
		at := fmt.Sprintf("%s[%d]", key, i)
		if item.Kind != yaml.MappingNode || key == "attack.rates" {
			items = append(items, p.str(item, at))
			continue
		}
		var duration, target string
		p.mapping(item, at, []string{"duration", "target"}, func(k string, v *yaml.Node) {
			if k == "duration" {
				duration = p.str(v, at+".duration")
			} else {
				target = p.str(v, at+".target")
			}
		})
		if p.err == nil && (duration == "" || target == "") {
			p.fail(item, at, "want both duration and target, e.g. {duration: 30s, target: 100}")
		}
		items = append(items, duration+":"+target)
	}
	return strings.Join(items, ",")
}

// attackFile checks what an attack scenario may hold besides its attack:
// one workload, of family http, whose parameters are the requests' and
// the embedded target's; none of bench run's keys.
func (p *parser) attackFile(n *yaml.Node, f *File, runOnly map[string]int) {
	if p.err != nil {
		return
	}
	keys := make([]string, 0, len(runOnly))
	for k := range runOnly {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return runOnly[a] - runOnly[b] })
	if len(keys) > 0 {
		k := keys[0]
		msg := "bench run's key; an attack scenario has no use for it"
		if k == "reps" {
			msg = "in an attack scenario, set attack.reps"
		}
		p.err = errorAt(f.Path, runOnly[k], k, msg)
		return
	}
	switch {
	case len(f.Workloads) > 1:
		p.fail(n, "workloads", "an attack scenario has one workload, of family http; this one has %d", len(f.Workloads))
	case len(f.Workloads) == 1 && f.Workloads[0].Family != "http":
		w := f.Workloads[0]
		p.err = errorAt(f.Path, w.familyLine, "workloads."+w.Name+".family", fmt.Sprintf("%q: an attack sends HTTP requests; want family http", w.Family))
	case len(f.Workloads) == 1 && (f.Workloads[0].Tasks != 0 || f.Workloads[0].Timeout != 0 || f.Workloads[0].GroupTimeout != 0):
		w := f.Workloads[0]
		p.err = errorAt(f.Path, w.line, "workloads."+w.Name, "an attack's duration and rate set its requests; use attack.timeout and leave tasks, timeout and group_timeout out")
	}
}

func errorAt(path string, line int, field, problem string) error {
	return &input.Error{Path: path, Line: line, Field: field, Problem: problem}
}

// AttackPlan is the load.Plan the file's attack section describes, over
// bench attack's defaults, as bench attack -f reads it when no flag is
// given: a program may run an attack scenario through package load
// alone. The section's request keys (header, method, body, TLS,
// targets) are the http workload's parameters, not the plan's. An error
// names the key and its line.
func (f *File) AttackPlan() (load.Plan, error) {
	if f.Attack == nil {
		return load.Plan{}, &input.Error{Path: f.Path, Field: "attack", Problem: "the file has no attack section"}
	}
	var t load.PlanText
	fs := flag.NewFlagSet("attack", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	t.Define(fs)
	set := map[string]Setting{}
	for _, s := range f.Attack.Settings {
		if fs.Lookup(s.Flag()) == nil {
			continue
		}
		if err := fs.Set(s.Flag(), s.Value); err != nil {
			return load.Plan{}, &input.Error{Path: f.Path, Line: s.Line, Field: "attack." + s.Key, Problem: fmt.Sprintf("%q: %v", s.Value, err)}
		}
		set[s.Flag()] = s
	}
	t.Given = func(flag string) bool { _, ok := set[flag]; return ok }
	t.Name = func(flag string) string { return "attack." + strings.ReplaceAll(flag, "-", "_") }
	p, err := t.Plan()
	if in, ok := input.As(err); ok {
		located := &input.Error{Path: f.Path, Field: "attack." + strings.ReplaceAll(in.Field, "-", "_"), Problem: in.Problem}
		if s, ok := set[in.Field]; ok {
			located.Line = s.Line
		}
		return p, located
	}
	return p, err
}
