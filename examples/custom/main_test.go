package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/cli"
	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/benchtest"
	"github.com/concbench/concbench/harness/isolate"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/strategy"

	"example.com/custom/fib"
	"example.com/custom/lifo"
)

// TestMain runs the command when started as an isolated cell's child (the
// test binary stands in for this program), else the tests.
func TestMain(m *testing.M) {
	if os.Getenv(isolate.ChildEnv) == "1" {
		os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func bench(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Main(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestListShowsOwnBesideBuiltins(t *testing.T) {
	code, out, _ := bench(t, "list")
	for _, want := range []string{"fib.n", "fib.latency", "lifo", "semaphore", "recursive"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d; list does not show %s", code, want)
		}
	}
}

// TestScenarioRunsIsolated runs fib.yaml with every cell in a child
// process of this test binary: the children know fib and lifo, and
// lifo comes within 15% of its ideal bound.
func TestScenarioRunsIsolated(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 10 s")
	}
	out := t.TempDir()
	code, stdout, stderr := bench(t, "run", "-f", "fib.yaml", "-reps", "3", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	dirs, _ := filepath.Glob(filepath.Join(out, "*-fib"))
	if len(dirs) != 1 {
		t.Fatalf("run folders %v", dirs)
	}
	res, err := results.Read(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	walls := map[string]time.Duration{}
	for _, c := range res.Cells {
		walls[c.Strategy] = c.Summary.Wall
		if c.Strategy == "lifo" && c.Summary.Efficiency < 0.85 {
			t.Errorf("lifo: efficiency %.2f (wall %v, ideal %v), want within 15%% of the ideal", c.Summary.Efficiency, c.Summary.Wall, c.Summary.Ideal)
		}
	}
	t.Logf("walls: %v", walls)
	if len(res.Cells) != 4 || walls["sequential"] < 800*time.Millisecond || walls["unbounded"] > 150*time.Millisecond {
		t.Errorf("%d cells, walls %v; want sequential about 0.8 s and unbounded about 0.1 s", len(res.Cells), walls)
	}
}

// BenchmarkFib compares strategies on fib(5) with benchstat:
//
//	go test -run '^$' -bench Fib -count 6 . | tee new.txt; benchstat new.txt
func BenchmarkFib(b *testing.B) {
	w, err := fib.New(5, 10*time.Millisecond)
	if err != nil {
		b.Fatal(err)
	}
	benchtest.Run(b, benchtest.Config{
		Workload:   w,
		Tasks:      1,
		Strategies: []harness.Strategy{strategy.Sequential{}, strategy.Semaphore{}, lifo.Strategy{}},
		Limits:     []int{2},
	})
}
