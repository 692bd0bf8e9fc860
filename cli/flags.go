package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/rundir"
	"github.com/concbench/concbench/harness/secret"
	"golang.org/x/net/http/httpguts"
)

// newFlagSet returns a flag set that reports errors instead of printing
// them, so that each becomes one line and exit status 2.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args; -h prints the defaults to stdout. Positional
// arguments are refused unless operands names them for the usage line;
// then flags may come before, between or after them, and the positional
// arguments are returned.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer, operands ...string) (help bool, err error) {
	_, help, err = parseWithOperands(fs, args, stdout, operands...)
	return help, err
}

func parseWithOperands(fs *flag.FlagSet, args []string, stdout io.Writer, operands ...string) (positional []string, help bool, err error) {
	for {
		err = fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fmt.Fprintf(stdout, "usage: bench %s [flags] %s\n", fs.Name(), strings.Join(operands, " "))
			fs.PrintDefaults()
			return nil, true, nil
		}
		if err != nil {
			return nil, false, usagef("%v", err)
		}
		if fs.NArg() == 0 {
			return positional, false, nil
		}
		if len(operands) == 0 {
			return nil, false, usagef("unexpected argument %q", fs.Arg(0))
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// listValue is a comma-separated list flag.
type listValue []string

func (l *listValue) String() string { return strings.Join(*l, ",") }

func (l *listValue) Set(s string) error {
	*l = nil
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			return errors.New("empty element")
		}
		*l = append(*l, p)
	}
	return nil
}

// intsValue is a comma-separated list of whole numbers.
type intsValue []int

func (l *intsValue) String() string {
	parts := make([]string, len(*l))
	for i, n := range *l {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

func (l *intsValue) Set(s string) error {
	*l = nil
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return fmt.Errorf("%q is not a whole number", p)
		}
		*l = append(*l, n)
	}
	return nil
}

// limitsValue is -limits: a comma-separated list of limits, or "auto"
// (search each limited strategy's limit).
type limitsValue struct {
	list intsValue
	auto bool
}

func (l *limitsValue) String() string {
	if l.auto {
		return "auto"
	}
	return l.list.String()
}

func (l *limitsValue) Set(s string) error {
	if strings.TrimSpace(s) == "auto" {
		l.list, l.auto = nil, true
		return nil
	}
	l.auto = false
	if err := l.list.Set(s); err != nil {
		return fmt.Errorf("%w, or auto", err)
	}
	return nil
}

// paramsValue collects repeated -param family.name=value flags.
type paramsValue map[string]map[string]string

func (p paramsValue) String() string { return "" }

func (p paramsValue) Set(s string) error {
	key, value, ok := strings.Cut(s, "=")
	family, name, dotted := strings.Cut(key, ".")
	if !ok || !dotted || family == "" || name == "" {
		return fmt.Errorf("%q: want name.key=value, e.g. io.latency=10ms", s)
	}
	if p[family] == nil {
		p[family] = map[string]string{}
	}
	p[family][name] = value
	return nil
}

// checkLabel refuses a run folder label that is not a safe file name
// part; field names where it came from ("-label", "FILE: output.label").
func checkLabel(field, label string) error {
	if rundir.ValidLabel(label) {
		return nil
	}
	return usagef("%s: %q: use letters, digits, '.', '_' and '-' (at most 64)", field, label)
}

// checkCellTimeout refuses a -cell-timeout outside (0, 24h].
func checkCellTimeout(d time.Duration) error {
	if d <= 0 || d > 24*time.Hour {
		return usagef("-cell-timeout: %v is out of range (0, 24h]", d)
	}
	return nil
}

// setFlags names the flags given on the command line, as opposed to left
// at their defaults.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// defineSecretHeader adds -secret-header: one more header name whose value
// is recorded as <redacted> (package secret), repeatable.
func defineSecretHeader(fs *flag.FlagSet) {
	fs.Func("secret-header", "a header whose value is a secret, recorded as <redacted> like Authorization, Cookie and X-Api-Key (repeatable)", func(name string) error {
		if !httpguts.ValidHeaderFieldName(name) {
			return fmt.Errorf("%q is not a header name", name)
		}
		secret.AddHeader(name)
		return nil
	})
}

// singularFlags renames the plan's fields in an input error after the
// flags of the commands that take one workload and one strategy
// (-workload, -strategy).
func singularFlags(err error) error {
	in, ok := input.As(err)
	if !ok || in.Path != "" {
		return err
	}
	switch in.Field {
	case "workloads":
		return usagef("-workload: %s", in.Problem)
	case "strategies":
		return usagef("-strategy: %s", in.Problem)
	}
	return err
}
