package isolate

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/strategy"
	"go.uber.org/goleak"
)

// TestMain answers as a child when started with Arg, as a program calling
// Serve does; otherwise it runs the tests.
func TestMain(m *testing.M) {
	if os.Getenv(ChildEnv) == "1" && len(os.Args) > 1 && os.Args[1] == Arg {
		if err := Serve(context.Background(), os.Stdin, os.Stdout, build); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// behaviour is a test workload: its family says what each task does.
type behaviour string

func (b behaviour) Batch(n, _ int) (harness.Batch, error) {
	batch := harness.Batch{Tasks: make([]harness.Task, n), Cost: harness.Cost{Units: n}}
	if b == "slow" {
		batch.Cost.Wait, batch.Cost.Critical = time.Duration(n)*3*time.Second, 3*time.Second
	}
	for i := range batch.Tasks {
		batch.Tasks[i] = func(context.Context, harness.Exec) error {
			switch b {
			case "crash":
				fmt.Fprintln(os.Stderr, "fatal error: deliberate")
				os.Exit(3)
			case "hang":
				select {}
			case "slow":
				time.Sleep(3 * time.Second)
			}
			return nil
		}
	}
	return batch, nil
}

// build makes the plan a test child runs.
func build(r results.PlanRecord) (*harness.Plan, error) {
	w := r.Workloads[0]
	s, err := strategy.Lookup(r.Strategies[0])
	if err != nil {
		return nil, err
	}
	return harness.NewPlan(harness.PlanConfig{
		Workloads:  []harness.PlannedWorkload{{Name: w.Name, Family: w.Family, Tasks: w.Tasks, Workload: behaviour(w.Family)}},
		Strategies: []harness.Strategy{s}, Limits: r.Limits, Reps: r.Reps, Warmup: r.Warmup,
	})
}

// runIsolated runs one cell of family under pool at limit 2 in a child.
func runIsolated(t *testing.T, family string, deadline time.Duration) results.CellResult {
	t.Helper()
	p, err := build(results.PlanRecord{Workloads: []results.WorkloadRecord{{Name: family, Family: family, Tasks: 3}},
		Strategies: []string{"pool"}, Limits: []int{2}, Reps: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := Cells{Deadline: deadline}
	return c.RunCell(context.Background(), p, p.Cells()[0])
}

func TestACellRunsInAChild(t *testing.T) {
	c := runIsolated(t, "ok", time.Minute)
	if c.Failed != "" || len(c.Repetitions) != 2 || c.Summary.Completed != 3 || !c.Complete {
		t.Errorf("cell %+v: want 2 repetitions of 3 tasks", c)
	}
}

func TestACrashCostsTheCell(t *testing.T) {
	c := runIsolated(t, "crash", time.Minute)
	if c.Failed != "the cell's process failed: exit status 3" || !strings.Contains(c.Stderr, "fatal error: deliberate") {
		t.Errorf("failed %q, stderr %q", c.Failed, c.Stderr)
	}
}

func TestAHangIsStoppedAtTheDeadline(t *testing.T) {
	start := time.Now()
	c := runIsolated(t, "hang", time.Second)
	if !strings.HasPrefix(c.Failed, "hung: possible deadlock: no result within 1s (strategy pool, limit 2)") {
		t.Errorf("failed %q", c.Failed)
	}
	// Interrupted at 1 s, killed after the grace period and the wait delay.
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestServeRefusesABadSpec(t *testing.T) {
	var out bytes.Buffer
	if err := Serve(context.Background(), strings.NewReader("{"), &out, build); err == nil || out.Len() != 0 {
		t.Errorf("Serve = %v, wrote %q", err, out.String())
	}
}

func TestExcerptKeepsHeadAndTail(t *testing.T) {
	var lines []string
	for i := range 20 {
		lines = append(lines, fmt.Sprint(i))
	}
	if got := excerpt(strings.Join(lines, "\n"), 2, 3); got != "0\n1\n...\n17\n18\n19" {
		t.Errorf("excerpt = %q", got)
	}
}

// TestASlowCellIsNotCalledHung gives a cell that needs seconds one second:
// the verdict says it is too slow, predicted from its ideal bound, not a
// deadlock.
func TestASlowCellIsNotCalledHung(t *testing.T) {
	c := runIsolated(t, "slow", time.Second)
	if !strings.HasPrefix(c.Failed, "too slow: no result within 1s, and the cell needs at least") {
		t.Errorf("failed %q", c.Failed)
	}
}

func TestChildGODEBUG(t *testing.T) {
	for _, tc := range []struct{ parent, want string }{
		{"", "GODEBUG=adaptivestackstart=0"},
		{"gctrace=1", "GODEBUG=gctrace=1,adaptivestackstart=0"},
		{"adaptivestackstart=1", "GODEBUG=adaptivestackstart=1"}, // the user's choice stands
	} {
		t.Setenv("GODEBUG", tc.parent)
		if got := childGODEBUG(); got != tc.want {
			t.Errorf("parent GODEBUG %q: child %q, want %q", tc.parent, got, tc.want)
		}
	}
}

// TestATestBinaryWithoutTestMainIsNamed stands in a program that runs
// tests when started as a child: the cell fails with the TestMain recipe.
func TestATestBinaryWithoutTestMainIsNamed(t *testing.T) {
	script := filepath.Join(t.TempDir(), "pkg.test")
	os.WriteFile(script, []byte("#!/bin/sh\necho '=== RUN   TestSomething'\necho '--- PASS: TestSomething (0.00s)'\necho PASS\n"), 0o755)
	p, err := build(results.PlanRecord{Workloads: []results.WorkloadRecord{{Name: "ok", Family: "ok", Tasks: 3}}, Strategies: []string{"pool"}, Limits: []int{2}, Reps: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := Cells{Program: script}
	got := c.RunCell(context.Background(), p, p.Cells()[0])
	if !strings.Contains(got.Failed, "ran tests instead of the cell") || !strings.Contains(got.Failed, Recipe) {
		t.Errorf("failed %q; want the recipe", got.Failed)
	}
}

// TestAChildStartsNoChildren runs a cell from inside a child: it is
// refused at once, with the recipe, so that a test binary that runs its
// tests again as the child cannot start children without end.
func TestAChildStartsNoChildren(t *testing.T) {
	t.Setenv(ChildEnv, "1")
	start := time.Now()
	c := runIsolated(t, "ok", time.Minute)
	if !strings.Contains(c.Failed, "started cells itself") || !strings.Contains(c.Failed, Recipe) || time.Since(start) > time.Second {
		t.Errorf("failed %q after %v; want the recipe at once", c.Failed, time.Since(start))
	}
}
