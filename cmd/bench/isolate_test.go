package main

import (
	"context"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/workloads"
)

// never is closed by nobody: the deadlock workload's tasks wait on it
// forever, deaf to their context, as a real deadlock is.
var never = make(chan struct{})

func init() {
	workloads.Register(workloads.Spec{
		Name: "deadlock", Doc: "test only: every task waits forever", Tasks: 2,
		Define: func(*flag.FlagSet) func() (harness.Workload, error) {
			return func() (harness.Workload, error) { return deadlock{}, nil }
		},
	})
}

type deadlock struct{}

func (deadlock) Batch(n, _ int) (harness.Batch, error) {
	b := harness.Batch{Tasks: make([]harness.Task, n), Cost: harness.Cost{Units: n}}
	for i := range b.Tasks {
		b.Tasks[i] = func(context.Context, harness.Exec) error { <-never; return nil }
	}
	return b, nil
}

// TestHungCellIsReported runs a deadlocking cell isolated: it is stopped
// at its deadline and reported hung with its strategy and limit, and the
// next cell still runs.
func TestHungCellIsReported(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a deadline")
	}
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "-workloads", "deadlock,io", "-strategies", "pool", "-limits", "2",
		"-tasks", "4", "-reps", "1", "-warmup", "0", "-cell-timeout", "2s", "-out", out)
	if code != 1 || !strings.Contains(stderr, "hung: possible deadlock: no result within 2s (strategy pool, limit 2)") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if !regexp.MustCompile(`deadlock +pool +2 .* FAILED hung`).MatchString(stdout) || !strings.Contains(stdout, "pool 2: the cell failed (hung)") {
		t.Errorf("the table does not show the hung cell:\n%s", stdout)
	}
	res := onlyRun(t, out)
	if len(res.Cells) != 2 || res.Cells[0].Failed == "" || res.Cells[1].Failed != "" || len(res.Cells[1].Repetitions) != 1 {
		t.Errorf("cells %+v: want the hung one failed and the io one measured", res.Cells)
	}
}

// TestStackOverflowCostsOneCell forces a chain of direct recursion deep
// enough to overflow Go's 1 GB goroutine stack: validation refuses it, and
// forced in an isolated cell, the cell fails with Go's fatal error while
// the next cell runs.
func TestStackOverflowCostsOneCell(t *testing.T) {
	if testing.Short() {
		t.Skip("overflows a stack")
	}
	deep := []string{"-workloads", "recursive,io", "-param", "recursive.shape=chain", "-param", "recursive.call=direct",
		"-param", "recursive.depth=50000000", "-strategies", "sequential", "-tasks", "1", "-reps", "1", "-warmup", "0"}
	out := t.TempDir()
	code, _, stderr := bench(t, context.Background(), append(deep, "-out", out)...)
	if code != 2 || !strings.Contains(stderr, "-param recursive.depth: 50000000 is out of range 1..100000 for a chain") {
		t.Fatalf("unforced: exit %d, %q", code, stderr)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Error("a refused plan left a folder")
	}
	code, _, stderr = bench(t, context.Background(), append(deep, "-force", "-out", out)...)
	if code != 1 || !strings.Contains(stderr, "stack overflow") {
		t.Fatalf("forced: exit %d, stderr:\n%s", code, stderr)
	}
	res := onlyRun(t, out)
	if len(res.Cells) != 2 || !strings.Contains(res.Cells[0].Stderr, "fatal error: stack overflow") || res.Cells[1].Failed != "" || res.Cells[1].Summary.Completed != 1 {
		t.Errorf("cells: %q / %q; want the chain failed with Go's stack error and io measured", res.Cells[0].Failed, res.Cells[1].Failed)
	}
	code, _, stderr = bench(t, context.Background(), append(deep, "-force", "-isolate=false", "-out", out)...)
	if code != 2 || !strings.Contains(stderr, "-force: run forced plans with -isolate") {
		t.Errorf("forced in process: exit %d, %q", code, stderr)
	}
}
