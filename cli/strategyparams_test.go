package cli

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/strategy"
)

// gapped is a test strategy with a parameter: sequential, sleeping gap
// before each root task, so that the gap shows in the wall time.
type gapped struct{ gap time.Duration }

func (gapped) Name() string                  { return "gapped" }
func (gapped) Doc() string                   { return "test only: sequential, a gap before each task" }
func (gapped) Limited() bool                 { return false }
func (gapped) Capacity(int) harness.Capacity { return harness.Capacity{Tasks: 1, Compute: 1, Block: 1} }
func (g gapped) Start(ctx context.Context, limit int) harness.Group {
	return gappedGroup{Group: strategy.Sequential{}.Start(ctx, limit), gap: g.gap}
}
func (gapped) Define(fs *flag.FlagSet) func() (harness.Strategy, error) {
	gap := fs.Duration("gap", 0, "sleep before each task")
	return func() (harness.Strategy, error) { return gapped{gap: *gap}, nil }
}

type gappedGroup struct {
	harness.Group
	gap time.Duration
}

func (g gappedGroup) Go(t harness.Task) { time.Sleep(g.gap); g.Group.Go(t) }

func init() { strategy.Register(gapped{}) }

// TestStrategyParametersReachIsolatedCells sets a strategy parameter by
// flag and in a scenario file's mapping form: the isolated child applies it
// (the wall grows by the gaps) and results.json records it.
func TestStrategyParametersReachIsolatedCells(t *testing.T) {
	check := func(t *testing.T, out string) {
		t.Helper()
		dirs, _ := filepath.Glob(filepath.Join(out, "*"))
		res, err := results.Read(dirs[0])
		if err != nil {
			t.Fatal(err)
		}
		if res.Plan.StrategyParams["gapped"]["gap"] != "20ms" || res.Cells[0].Summary.Wall < 100*time.Millisecond {
			t.Errorf("params %v, wall %v: want gap 20ms applied to 5 tasks (>= 100ms)", res.Plan.StrategyParams, res.Cells[0].Summary.Wall)
		}
	}
	t.Run("by flag", func(t *testing.T) {
		out := t.TempDir()
		code, _, stderr := bench(t, context.Background(), "-workloads", "io", "-param", "io.latency=1ms", "-strategies", "gapped",
			"-param", "gapped.gap=20ms", "-tasks", "5", "-reps", "1", "-warmup", "0", "-out", out)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		check(t, out)
	})
	t.Run("in a scenario file", func(t *testing.T) {
		dir := t.TempDir()
		f := filepath.Join(dir, "s.yaml")
		os.WriteFile(f, []byte("schema: concbench/scenario/v1\nworkloads:\n  io: {tasks: 5, params: {latency: 1ms}}\n"+
			"strategies:\n  gapped:\n    params: {gap: 20ms}\nreps: 1\nwarmup: 0\n"), 0o644)
		code, _, stderr := bench(t, context.Background(), "run", "-f", f, "-out", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		check(t, dir)
		os.WriteFile(f, []byte("schema: concbench/scenario/v1\nworkloads: {io: {}}\nstrategies:\n  gapped:\n    params:\n      gp: 20ms\n"), 0o644)
		code, _, stderr = bench(t, context.Background(), "validate", "-f", f)
		if code != 2 || !strings.Contains(stderr, "s.yaml:6: strategies.gapped.params.gp: unknown parameter; did you mean gapped.gap?") {
			t.Errorf("a bad strategy parameter: exit %d, %q", code, stderr)
		}
	})
	if code, stdout, _ := bench(t, context.Background(), "list"); code != 0 || !strings.Contains(stdout, "gapped.gap") {
		t.Error("list does not show the strategy's parameter")
	}
}
