package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/workloads"
)

// cellSpec is what a parent hands the child that runs one cell.
type cellSpec struct {
	Workload harness.WorkloadRecord `json:"workload"`
	Strategy string                 `json:"strategy"`
	Limit    int                    `json:"limit"`
	Reps     int                    `json:"reps"`
	Warmup   int                    `json:"warmup"`
	Force    bool                   `json:"force"`
}

// childEnv marks a process started to run one cell (the test binary reads
// it in TestMain to act as the command).
const childEnv = "CONCBENCH_CHILD"

// runCell is the hidden subcommand a child runs: a cellSpec on stdin, the
// CellResult as JSON on stdout. Interrupted, it writes what it measured.
func runCell(ctx context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) > 0 {
		return usagef("cell: takes its spec on stdin")
	}
	var spec cellSpec
	if err := json.NewDecoder(os.Stdin).Decode(&spec); err != nil {
		return usagef("cell: %v", err)
	}
	workloads.AllowUnsafe = spec.Force
	family, err := workloads.Lookup(spec.Workload.Family)
	if err != nil {
		return usagef("cell: %v", err)
	}
	params := map[string]string{}
	for k, v := range spec.Workload.Params {
		params[k] = v
	}
	w, err := family.Build(spec.Workload.Name, params, spec.Workload.Tasks)
	if err != nil {
		return inputError(err)
	}
	w.Timeout = spec.Workload.Timeout
	s, err := harness.StrategyByName(spec.Strategy)
	if err != nil {
		return usagef("cell: %v", err)
	}
	p := &harness.Plan{Workloads: []harness.PlannedWorkload{w}, Strategies: []harness.Strategy{s},
		Limits: []int{max(spec.Limit, 1)}, Reps: spec.Reps, Warmup: spec.Warmup}
	defer p.Close()
	var r harness.Runner
	res, runErr := r.Run(ctx, p)
	var cell harness.CellResult
	if res != nil && len(res.Cells) > 0 {
		cell = res.Cells[0]
	}
	if err := json.NewEncoder(stdout).Encode(cell); err != nil {
		return err
	}
	return runErr
}

// isolated runs one cell in a child process of this binary, within
// deadline. A child that dies is a failed cell with its last lines of
// stderr; one that passes the deadline is stopped and reported hung. When
// ctx is done, the child is interrupted and its partial cell kept.
func isolated(ctx context.Context, cell harness.Cell, reps, warmup int, force bool, deadline time.Duration) harness.CellResult {
	out := harness.CellResult{Workload: cell.Workload.Name, Strategy: cell.Strategy.Name(), Limit: cell.Limit, Tasks: cell.Workload.Tasks}
	spec := cellSpec{
		Workload: cell.Workload.Record(),
		Strategy: cell.Strategy.Name(), Limit: cell.Limit, Reps: reps, Warmup: warmup, Force: force,
	}
	in, _ := json.Marshal(spec)
	exe, err := os.Executable()
	if err != nil {
		out.Failed = "cannot find this program to run the cell: " + err.Error()
		return out
	}
	cellCtx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	cmd := exec.CommandContext(cellCtx, exe, "cell")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) } // let it write what it has
	cmd.WaitDelay = harness.DefaultGrace + 3*time.Second                  // then kill it
	runErr := cmd.Run()
	var got harness.CellResult
	decodeErr := json.Unmarshal(stdout.Bytes(), &got)
	hung := errors.Is(cellCtx.Err(), context.DeadlineExceeded)
	switch {
	case hung:
		out.Failed = fmt.Sprintf("hung: possible deadlock: no result within %v (strategy %s, limit %d%s)", deadline, cell.Strategy.Name(), cell.Limit, depthOf(cell))
	case decodeErr == nil && got.Workload != "":
		return got // finished, or interrupted with its partial cell
	case runErr != nil:
		out.Failed = "the cell's process failed: " + runErr.Error()
	default:
		out.Failed = "the cell's process wrote no result"
	}
	out.Stderr = excerpt(stderr.String(), 4, 8)
	return out
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

// runIsolated runs every cell of p in a child process, in order, and
// assembles the results as harness.Runner.Run does. A child costs a
// process start and the workload's set-up (CPU calibration, an embedded
// target) per cell.
func runIsolated(ctx context.Context, p *harness.Plan, args []string, force bool, deadline time.Duration, progress *progress) (*harness.Results, error) {
	res := &harness.Results{Schema: harness.Schema, Env: harness.CaptureEnvironment(args), Plan: p.Record()}
	cells := p.Cells()
	start := time.Now()
	for i, c := range cells {
		if ctx.Err() != nil {
			break
		}
		progress.note("[%d/%d] %s (isolated)  %s", i+1, len(cells), c, time.Since(start).Round(time.Second))
		cr := isolated(ctx, c, p.Reps, p.Warmup, force, deadline)
		if cr.Failed != "" || len(cr.Repetitions) > 0 {
			res.Cells = append(res.Cells, cr)
		}
	}
	res.Complete = ctx.Err() == nil
	return res, ctx.Err()
}
