// Package isolate runs each cell of a plan in a child process, so that a
// crash (a stack overflow aborts the whole process) or a hang costs one
// cell, and each cell starts from a fresh heap. The child is the running
// program itself, started again with the argument "cell": its init
// functions register the same workloads and strategies, so a user's own
// binary isolates its own cells. The program must answer that argument by
// calling Serve (concbench's cli.Main does).
package isolate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
)

// Arg is the argument that starts a child to run one cell.
const Arg = "cell"

// ChildEnv is set to "1" in a child's environment (a test binary standing
// in for the command reads it in TestMain).
const ChildEnv = "CONCBENCH_CHILD"

// Recipe is what a test binary that runs isolated cells needs: a TestMain
// that answers a child's start by serving the cell (cli.Main does), so
// that the child runs the cell, not the tests again.
const Recipe = `func TestMain(m *testing.M) {
	if os.Getenv(isolate.ChildEnv) == "1" {
		os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}`

// DefaultDeadline is how long a cell may run before it is reported hung.
const DefaultDeadline = 10 * time.Minute

// Cells runs cells in child processes; it is a harness.CellRunner. The
// zero value uses DefaultDeadline. Per cell it costs a process start and
// the workload's set-up (CPU calibration, an embedded target).
type Cells struct {
	// Deadline bounds each cell: a child with no result by then is
	// interrupted, then killed, and the cell reported hung.
	Deadline time.Duration
	// Program is the executable to start; empty: this one (os.Executable).
	Program string
	// ProfileDir is where a child writes the profiles the plan asks for
	// (the Runner's ProfileDir).
	ProfileDir string
}

var _ harness.CellRunner = (*Cells)(nil)

// RunCell runs cell of p in a child. A child that dies is a failed cell
// with the first and last lines of its stderr; one that passes the
// deadline is stopped and reported hung. When ctx is done, the child is
// interrupted and its partial cell kept.
func (c *Cells) RunCell(ctx context.Context, p *harness.Plan, cell harness.Cell) results.CellResult {
	out := results.CellResult{Workload: cell.Workload.Name, Strategy: cell.Strategy.Name(), Limit: cell.Limit, Tasks: cell.Tasks,
		Unbounded: cell.Strategy.Capacity(max(cell.Limit, 1)).Tasks == 0}
	if os.Getenv(ChildEnv) == "1" {
		// A child that starts children is a program that did not serve its
		// cell (a test binary without TestMain runs its tests again): stop
		// here, or every level starts another.
		out.Failed = "a cell's child started cells itself: the program did not serve its cell; a test binary needs this TestMain:\n" + Recipe
		return out
	}
	deadline := c.Deadline
	if deadline <= 0 {
		deadline = DefaultDeadline
	}
	spec := p.Record() // the cell alone, with the plan's settings
	spec.Workloads, spec.Strategies, spec.Limits = []results.WorkloadRecord{cell.Workload.Record()}, []string{cell.Strategy.Name()}, []int{max(cell.Limit, 1)}
	spec.StrategyParams, spec.ProfileDir = nil, c.ProfileDir
	if params, ok := p.StrategyParams[cell.Strategy.Name()]; ok {
		spec.StrategyParams = map[string]map[string]string{cell.Strategy.Name(): params}
	}
	in, err := json.Marshal(spec)
	if err != nil {
		out.Failed = "cannot encode the cell: " + err.Error()
		return out
	}
	program := c.Program
	if program == "" {
		if program, err = os.Executable(); err != nil {
			out.Failed = "cannot find this program to run the cell: " + err.Error()
			return out
		}
	}
	cellCtx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	cmd := exec.CommandContext(cellCtx, program, Arg)
	cmd.Env = append(os.Environ(), ChildEnv+"=1", childGODEBUG())
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) } // let it write what it has
	cmd.WaitDelay = harness.DefaultGrace + 3*time.Second                  // then kill it
	detach(cmd)
	runtime.LockOSThread() // Pdeathsig follows the thread that starts the child
	runErr := cmd.Start()
	runtime.UnlockOSThread()
	if runErr == nil {
		runErr = cmd.Wait()
	}
	var got results.CellResult
	decodeErr := json.Unmarshal(stdout.Bytes(), &got)
	switch {
	case errors.Is(cellCtx.Err(), context.DeadlineExceeded) && p.Least(cell) > deadline/2:
		out.Failed = fmt.Sprintf("too slow: no result within %v, and the cell needs at least %v at its ideal bound; raise the cell timeout", deadline, p.Least(cell).Round(time.Millisecond))
	case errors.Is(cellCtx.Err(), context.DeadlineExceeded):
		out.Failed = fmt.Sprintf("hung: possible deadlock: no result within %v (strategy %s, limit %d%s)", deadline, cell.Strategy.Name(), cell.Limit, depthOf(cell))
	case decodeErr == nil && got.Workload != "":
		return got // finished, or interrupted with its partial cell
	case ctx.Err() != nil:
		return out // interrupted before a repetition ended: nothing measured, nothing failed
	case ranTests(stdout.Bytes()):
		out.Failed = "the cell's process ran tests instead of the cell: a test binary needs this TestMain:\n" + Recipe
	case runErr != nil:
		out.Failed = "the cell's process failed: " + runErr.Error()
	default:
		out.Failed = "the cell's process wrote no result"
	}
	out.Stderr = excerpt(stderr.String(), 4, 8)
	return out
}

// ranTests reports whether a child's output is a test binary's, not a
// cell's result.
func ranTests(stdout []byte) bool {
	for _, mark := range []string{"=== RUN", "--- FAIL", "--- PASS", "testing: ", "\nPASS\n", "\nFAIL\n"} {
		if bytes.Contains(append([]byte("\n"), stdout...), []byte(mark)) {
			return true
		}
	}
	return false
}

func depthOf(c harness.Cell) string {
	if d, ok := c.Workload.Params["depth"]; ok {
		return ", depth " + d
	}
	return ""
}

// excerpt keeps the first head and last tail lines of a child's stderr: a
// dying Go process says why first ("fatal error: stack overflow") and
// ends with the stack of the goroutine that died.
func excerpt(s string, head, tail int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) <= head+tail {
		return strings.Join(lines, "\n")
	}
	kept := append(append(lines[:head:head], "..."), lines[len(lines)-tail:]...)
	return strings.Join(kept, "\n")
}

// Serve is the child's side: it reads one cell's plan (JSON) from in,
// builds it with build, runs it in this process and writes the
// CellResult as JSON to out. Interrupted (ctx done), it writes what it
// measured and returns ctx's error. A plan that does not build is
// returned as build's error.
func Serve(ctx context.Context, in io.Reader, out io.Writer, build func(results.PlanRecord) (*harness.Plan, error)) error {
	var spec results.PlanRecord
	if err := json.NewDecoder(in).Decode(&spec); err != nil {
		return fmt.Errorf("isolate: reading the cell's plan: %w", err)
	}
	p, err := build(spec)
	if err != nil {
		return err
	}
	defer p.Close()
	r := harness.Runner{ProfileDir: spec.ProfileDir}
	res, runErr := r.Run(ctx, p)
	var cell results.CellResult
	if res != nil && len(res.Cells) > 0 {
		cell = res.Cells[0]
	}
	if err := json.NewEncoder(out).Encode(cell); err != nil {
		return err
	}
	return runErr
}

// FixedStackStart is the GODEBUG setting a cell's child runs with: every
// goroutine starts with the same small stack, as before Go 1.19, instead
// of one sized at each GC from the average stack scanned, which depends on
// what the process ran before (the warm-up, earlier repetitions). With it,
// a repetition's peak memory depends less on its index: in 13 and 14 of
// the default run's 20 cells (two runs) -reps 1 and -reps 8 agree within
// 10%, against 6 without it, and the rest within 64 KiB but one
// (scripts/mem-reps.sh). A process cannot change it once started, so
// cells run with -isolate=false keep Go's default.
const FixedStackStart = "adaptivestackstart=0"

// childGODEBUG is the child's GODEBUG: the parent's, with
// FixedStackStart unless the parent's sets adaptivestackstart itself.
func childGODEBUG() string {
	g := os.Getenv("GODEBUG")
	switch {
	case strings.Contains(g, "adaptivestackstart="):
		return "GODEBUG=" + g
	case g == "":
		return "GODEBUG=" + FixedStackStart
	}
	return "GODEBUG=" + g + "," + FixedStackStart
}
