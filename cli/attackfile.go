package cli

import (
	"flag"
	"fmt"
	"time"

	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/scenario"
)

// fromScenario sets every option of the file's attack section that no flag
// gave, as if it were given as a flag, and takes the file's target,
// workload parameters and output.
func (o *attackOptions) fromScenario(fs *flag.FlagSet) error {
	f, err := loadScenario(o.file)
	if err != nil {
		return err
	}
	if f.Attack == nil {
		return usagef("-f: %s has no attack section; run it with bench run -f %s", o.file, o.file)
	}
	o.scenario = f
	if len(o.params) > 0 {
		return usagef("-param: set parameters in the scenario file %s", o.file)
	}
	if len(f.Workloads) == 1 {
		o.workload, o.params["http"] = f.Workloads[0].Name, f.Workloads[0].Params
	}
	o.from = map[string]scenario.Setting{}
	file := append(flagSettings(f, fs, o.from), fileSetting{"target", func() error { o.target = f.Target; return nil }})
	return overlay(o.set, append(file, outputSettings(f, &o.out, &o.label)...))
}

// kindOf says what a flag takes, for an error about a value it refused.
func kindOf(f *flag.Flag) string {
	switch f.Value.(flag.Getter).Get().(type) {
	case time.Duration:
		return "a duration, such as 2s"
	case float64:
		return "a number"
	case int, uint64:
		return "a whole number"
	}
	return "a value like " + f.DefValue
}

// given reports whether the option was given, by a flag or the scenario.
func (o *attackOptions) given(flag string) bool {
	_, fromFile := o.from[flag]
	return o.set[flag] || fromFile
}

// name is how an error names an option: its flag, or the scenario key that
// set it.
func (o *attackOptions) name(flag string) string {
	if s, ok := o.from[flag]; ok {
		return "attack." + s.Key
	}
	return "-" + flag
}

// locate says where bad input in an option came from: the scenario line
// that set it, or else its flag (as err names it).
func (o *attackOptions) locate(err error) error {
	if in, ok := input.As(err); ok {
		if s, ok := o.from[in.Field]; ok {
			return &input.Error{Path: o.file, Line: s.Line, Field: "attack." + s.Key, Problem: in.Problem}
		}
	}
	return err
}

// bad is bad input in the option, located.
func (o *attackOptions) bad(flag, format string, args ...any) error {
	return o.locate(input.Errorf(flag, format, args...))
}

// flagSettings are an attack section's settings, each set as its flag
// would be; from records the flags they set.
func flagSettings(f *scenario.File, fs *flag.FlagSet, from map[string]scenario.Setting) []fileSetting {
	var file []fileSetting
	for _, s := range f.Attack.Settings {
		file = append(file, fileSetting{s.Flag(), func() error {
			if err := fs.Set(s.Flag(), s.Value); err != nil {
				return &input.Error{Path: f.Path, Line: s.Line, Field: "attack." + s.Key, Problem: fmt.Sprintf("%q: want %s", s.Value, kindOf(fs.Lookup(s.Flag())))}
			}
			from[s.Flag()] = s
			return nil
		}})
	}
	return file
}
