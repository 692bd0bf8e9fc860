// Package param parses the parameters of registered workloads and
// strategies: -param <name>.<key>=value on the command line, params: in a
// scenario file. Each declares its parameters on a flag.FlagSet, with
// types, defaults and one-line usage; Apply sets them from strings and
// names a bad one as an *input.Error on "param <name>.<key>".
package param

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/concbench/concbench/harness/input"
)

// Doc documents one parameter.
type Doc struct {
	Name, Default, Usage string
}

// NewSet returns a flag set for owner's parameters that reports errors
// instead of printing them.
func NewSet(owner string) *flag.FlagSet {
	fs := flag.NewFlagSet(owner, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// Docs lists the parameters declared on fs, sorted by name.
func Docs(fs *flag.FlagSet) []Doc {
	var ds []Doc
	fs.VisitAll(func(f *flag.Flag) { ds = append(ds, Doc{f.Name, f.DefValue, f.Usage}) })
	return ds
}

// Apply sets params (key to value; keys not given keep their defaults) on
// fs, in key order, and returns every parameter's value. An unknown key or
// a bad value is an *input.Error on "param <owner>.<key>", suggesting the
// closest key.
func Apply(fs *flag.FlagSet, owner string, params map[string]string) (map[string]string, error) {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field := "param " + owner + "." + k
		if fs.Lookup(k) == nil {
			var known []string
			fs.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) })
			if len(known) == 0 {
				return nil, input.Errorf(field, "%s takes no parameters", owner)
			}
			if c := input.Closest(k, known); c != "" {
				return nil, input.Errorf(field, "unknown parameter; did you mean %s.%s?", owner, c)
			}
			return nil, input.Errorf(field, "unknown parameter (known: %s)", strings.Join(known, ", "))
		}
		if err := fs.Set(k, params[k]); err != nil {
			return nil, input.Errorf(field, "invalid value %q: %v", params[k], explainSetError(fs.Lookup(k), err))
		}
	}
	resolved := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) { resolved[f.Name] = f.Value.String() })
	return resolved, nil
}

// Named turns a constructor's refusal into bad input on owner's
// parameters: an *input.Error on a key becomes one on "param
// <owner>.<key>", any other error one on "param <owner>".
func Named(owner string, err error) error {
	if err == nil {
		return nil
	}
	if in, ok := input.As(err); ok && in.Field != "" {
		return input.Errorf("param "+owner+"."+in.Field, "%s", in.Problem)
	}
	return input.Errorf("param "+owner, "%v", err)
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

// Choice is a string parameter limited to a set of values; its default is
// the first.
type Choice struct {
	value   string
	allowed []string
}

// NewChoice declares a Choice parameter on fs.
func NewChoice(fs *flag.FlagSet, name string, allowed []string, usage string) *Choice {
	c := &Choice{value: allowed[0], allowed: allowed}
	fs.Var(c, name, fmt.Sprintf("%s (%s)", usage, strings.Join(allowed, "|")))
	return c
}

// Value is the chosen value.
func (c *Choice) Value() string { return c.value }

func (c *Choice) String() string {
	if c == nil {
		return ""
	}
	return c.value
}

// Set chooses s, one of the allowed values.
func (c *Choice) Set(s string) error {
	for _, a := range c.allowed {
		if s == a {
			c.value = s
			return nil
		}
	}
	return fmt.Errorf("want one of %s", strings.Join(c.allowed, ", "))
}
