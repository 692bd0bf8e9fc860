package plan

import (
	"context"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/strategy"
)

// paced is a test strategy with a parameter: sequential, with a gap
// before each task.
type paced struct {
	strategy.Sequential
	gap time.Duration
}

func (paced) Name() string { return "paced" }
func (paced) Doc() string  { return "test only: sequential with a gap" }
func (p paced) Define(fs *flag.FlagSet) func() (harness.Strategy, error) {
	gap := fs.Duration("gap", time.Millisecond, "pause before each task")
	return func() (harness.Strategy, error) {
		if *gap < 0 {
			return nil, input.Errorf("gap", "%v must be >= 0", *gap)
		}
		return paced{gap: *gap}, nil
	}
}
func (p paced) Start(ctx context.Context, limit int) harness.Group {
	return p.Sequential.Start(ctx, limit) // the gap only shows the parameter arrives
}

func init() { strategy.Register(paced{}) }

func TestStrategyParameters(t *testing.T) {
	spec := func(params map[string]map[string]string) Spec {
		return Spec{Workloads: []results.WorkloadRecord{{Name: "io", Tasks: 1}}, Strategies: []string{"paced", "pool"}, Limits: []int{2}, Reps: 1,
			StrategyParams: params}
	}
	p, err := Build(spec(map[string]map[string]string{"paced": {"gap": "3ms"}}))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if got := p.Strategies[0].(paced).gap; got != 3*time.Millisecond {
		t.Errorf("gap %v, want 3ms", got)
	}
	rec := p.Record()
	if rec.StrategyParams["paced"]["gap"] != "3ms" || rec.StrategyParams["pool"] != nil {
		t.Errorf("recorded %v", rec.StrategyParams)
	}
	q, err := Build(FromRecord(rec)) // as an isolated child rebuilds it
	if err != nil || q.Strategies[0].(paced).gap != 3*time.Millisecond {
		t.Fatalf("rebuilt from the record: %v", err)
	}
	q.Close()
	for params, want := range map[string]string{
		"paced.gp=1ms":   "param paced.gp: unknown parameter; did you mean paced.gap?",
		"paced.gap=-1ms": "param paced.gap: -1ms must be >= 0",
		"pool.size=3":    "param pool.size: pool takes no parameters",
		"queue.size=3":   `param queue: strategy "queue" is not among the strategies (paced, pool)`,
	} {
		name, kv, _ := strings.Cut(params, ".")
		k, v, _ := strings.Cut(kv, "=")
		if _, err := Build(spec(map[string]map[string]string{name: {k: v}})); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", params, err, want)
		}
	}
}
