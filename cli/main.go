// Package cli is the whole bench command as a library: Main parses the
// arguments, runs the subcommand and returns the exit status. A user's own
// program runs the tool with their own workloads and strategies by
// registering them (blank imports) and calling Main:
//
//	package main
//
//	import (
//		"context"
//		"os"
//
//		"github.com/concbench/concbench/cli"
//		_ "example.com/mybench/myworkload"
//	)
//
//	func main() { os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }
//
// Isolated cells start the same program again (see package isolate), so
// the registrations hold in every cell. A test binary that runs isolated
// cells is such a program too: it needs a TestMain that hands a child to
// Main, or each child runs the tests again (a child that would start
// children refuses, and the cell fails with this recipe):
//
//	func TestMain(m *testing.M) {
//		if os.Getenv(isolate.ChildEnv) == "1" {
//			os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
//		}
//		os.Exit(m.Run())
//	}
//
// The package only parses flags and prints; library packages produce every
// result.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/isolate"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/secret"
	"github.com/concbench/concbench/plan"
)

// Exit statuses.
const (
	ExitOK          = 0
	ExitFailed      = 1 // a threshold or gate failed, or the run itself did
	ExitBadInput    = 2
	ExitInterrupted = 130
)

// Main runs bench with args (without the program name) and returns the exit
// status. It must also be what the program runs when started as an
// isolated cell's child (environment isolate.ChildEnv=1, argument
// isolate.Arg): call it from main with os.Args[1:], and from TestMain in a
// test binary (see the package doc). SIGINT and SIGTERM interrupt the run,
// which says so at once and keeps what it measured; a second signal ends
// the process at once. Errors are printed on stderr as one line.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
		case <-done:
			return
		}
		stop() // a second signal now ends the process at once
		if cause := context.Cause(ctx); cause != context.Canceled && cause != context.DeadlineExceeded && (len(args) == 0 || args[0] != isolate.Arg) {
			fmt.Fprintf(stderr, "\nbench: %v: stopping, keeping what was measured (tasks in flight get %v); again to stop at once\n", cause, harness.DefaultGrace)
		}
	}()
	return exitCode(run(ctx, args, stdout, stderr), stderr)
}

// usagef is bad input whose message names its flag itself.
func usagef(format string, args ...any) error {
	return &input.Error{Problem: fmt.Sprintf(format, args...)}
}

// exitCode prints err (if any) as one line, a URL's password or a secret
// header's value in it redacted (a flag's error quotes the value given),
// and maps it to an exit status.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return ExitOK
	}
	fmt.Fprintln(stderr, "bench:", secret.Redact(message(err)))
	var g *gateError
	var t *thresholdError
	var n *noSuccessError
	switch _, bad := input.As(err); {
	case bad:
		return ExitBadInput
	case errors.As(err, &g), errors.As(err, &t), errors.As(err, &n):
		return ExitFailed
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	default:
		return ExitFailed
	}
}

// message writes err as the command shows it: an input error on a field
// names the flag ("-tasks: ...").
func message(err error) string {
	if in, ok := err.(*input.Error); ok && in.Path == "" && in.Field != "" {
		return "-" + in.Error()
	}
	if errors.Is(err, context.Canceled) { // a signal: say so, not "context canceled"
		return strings.ReplaceAll(err.Error(), context.Canceled.Error(), "interrupted")
	}
	return err.Error()
}

// subcommands maps a name to its entry point; k8s adds itself unless the
// build leaves it out (-tags nok8s).
var subcommands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error{
	"run":       runBench,
	"list":      list,
	"plot":      plotRun,
	"compare":   compareRuns,
	"serve":     serve,
	"attack":    attackRun,
	"merge":     mergeRuns,
	"capacity":  capacityRun,
	"depth":     depthRun,
	"validate":  validate,
	"init":      initScenario,
	isolate.Arg: runCell, // hidden: runs one isolated cell
}

// run dispatches to a subcommand; without one, or with flags first, it runs
// the benchmark.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || len(args[0]) > 0 && args[0][0] == '-' {
		return runBench(ctx, args, stdout, stderr)
	}
	if cmd, ok := subcommands[args[0]]; ok {
		return cmd(ctx, args[1:], stdout, stderr)
	}
	if args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usagef("unknown command %q (commands: run, list, plot, compare, serve, attack, merge, k8s, capacity, depth, validate, init, help)", args[0])
}

// runCell is the hidden subcommand an isolated cell's child runs: the
// cell's plan on stdin, its result on stdout.
func runCell(ctx context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) > 0 {
		return usagef("cell: takes its spec on stdin")
	}
	return isolate.Serve(ctx, os.Stdin, stdout, func(r results.PlanRecord) (*harness.Plan, error) {
		return plan.Build(plan.FromRecord(r))
	})
}

const usage = `usage: bench [run] [flags]    run a plan of workloads x strategies x limits
       bench list                 list workloads, strategies and parameters
       bench plot RUN             redraw a run folder's charts and reports from its results.json
       bench compare BASE HEAD    what changed between two runs, and what is noise
       bench serve [flags]        run the embedded HTTP target on loopback
       bench attack [flags]       open-loop HTTP load at a rate, a sweep of rates, or an SLO search
       bench merge SHARD-DIR...   merge the run folders of an attack's shards (bench attack -shards) into one run
       bench k8s [flags] -- ATTACK-FLAGS
                                  print a Kubernetes Indexed Job that runs an attack in shards (docs/distributed.md)
       bench capacity [flags]     sweep concurrency and fit the Universal Scalability Law (or -fit FILE)
       bench depth [flags]        search the deepest chain of mutual recursion each call mode survives (direct, spawn, trampoline)
       bench run -f FILE          run a scenario file (bench validate -f FILE checks one; bench init writes one)
       bench run -h               describe the flags
`
