// Command bench runs concbench: workloads under concurrency strategies,
// measured, tabulated and written to a results folder.
//
//	go run ./cmd/bench            # the default matrix, about a minute
//	go run ./cmd/bench -quick     # a smoke run of the same matrix
//	go run ./cmd/bench list       # workloads, strategies and parameters
//	go run ./cmd/bench plot DIR   # redraw a run folder's charts from results.json
//	go run ./cmd/bench compare A B  # compare two runs for a pull request
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal now ends the process at once
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1 // a gate or the run itself failed
	exitBadInput    = 2
	exitInterrupted = 130
)

// usageError is bad input: a one-line message and exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// exitCode prints err (if any) as one line and maps it to an exit status.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "bench:", err)
	var u *usageError
	var g *gateError
	var t *thresholdError
	switch {
	case errors.As(err, &u):
		return exitBadInput
	case errors.As(err, &g), errors.As(err, &t):
		return exitFailed
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	default:
		return exitFailed
	}
}

// subcommands maps a name to its entry point.
var subcommands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error{
	"run":      runBench,
	"list":     list,
	"plot":     plotRun,
	"compare":  compareRuns,
	"serve":    serve,
	"attack":   attackRun,
	"capacity": capacityRun,
	"validate": validate,
	"init":     initScenario,
	"cell":     runCell, // hidden: runs one isolated cell
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
	return usagef("unknown command %q (commands: run, list, plot, compare, serve, attack, capacity, validate, init, help)", args[0])
}

const usage = `usage: bench [run] [flags]    run a plan of workloads x strategies x limits
       bench list                 list workloads, strategies and parameters
       bench plot RUN             redraw a run folder's charts and reports from its results.json
       bench compare BASE HEAD    what changed between two runs, and what is noise
       bench serve [flags]        run the embedded HTTP target on loopback
       bench attack [flags]       open-loop HTTP load at a rate, a sweep of rates, or an SLO search
       bench capacity [flags]     sweep concurrency and fit the Universal Scalability Law (or -fit FILE)
       bench run -f FILE          run a scenario file (bench validate -f FILE checks one; bench init writes one)
       bench run -h               describe the flags
`
