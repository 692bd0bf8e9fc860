package depth

import (
	"context"
	"errors"
	"testing"

	"github.com/concbench/concbench/harness/results"
)

// limit is a fake probe that survives up to its depth.
func limit(deepest int, tried *[]int) Probe {
	return func(_ context.Context, d int) (results.DepthProbe, error) {
		*tried = append(*tried, d)
		if d > deepest {
			return results.DepthProbe{Why: "stack overflow"}, nil
		}
		return results.DepthProbe{OK: true}, nil
	}
}

func TestSearchDoublesThenBisects(t *testing.T) {
	var tried []int
	r, err := Search{From: 1000, Max: 1 << 30, Precision: 0.05}.Run(context.Background(), "direct", limit(70_000, &tried))
	if err != nil {
		t.Fatal(err)
	}
	if r.Deepest > 70_000 || r.Failed <= 70_000 || float64(r.Failed-r.Deepest) > 0.05*float64(r.Deepest) {
		t.Errorf("deepest %d, failed %d: want 70000 bracketed within 5%%", r.Deepest, r.Failed)
	}
	if r.Why != "stack overflow" || len(r.Probes) != len(tried) {
		t.Errorf("why %q, %d probes recorded of %d tried", r.Why, len(r.Probes), len(tried))
	}
	want := []int{1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000}
	for i, d := range want {
		if tried[i] != d {
			t.Fatalf("tried %v, want it to start by doubling %v", tried, want)
		}
	}
	if len(tried) > len(want)+5 {
		t.Errorf("%d probes: bisecting 64000..128000 to 5%% takes at most 5", len(tried))
	}
}

func TestSearchStopsAtMax(t *testing.T) {
	var tried []int
	r, err := Search{From: 3, Max: 20, Precision: 0.1}.Run(context.Background(), "trampoline", limit(1<<40, &tried))
	if err != nil || r.Deepest != 20 || r.Failed != 0 {
		t.Errorf("deepest %d, failed %d, err %v: want 20 survived and no failure", r.Deepest, r.Failed, err)
	}
	if len(tried) != 4 || tried[3] != 20 { // 3, 6, 12, 20
		t.Errorf("tried %v", tried)
	}
}

func TestSearchKeepsProbesOnError(t *testing.T) {
	stop := errors.New("interrupted")
	n := 0
	probe := func(_ context.Context, d int) (results.DepthProbe, error) {
		if n++; n == 3 {
			return results.DepthProbe{}, stop
		}
		return results.DepthProbe{OK: true}, nil
	}
	r, err := Search{From: 1, Max: 100, Precision: 0.1}.Run(context.Background(), "spawn", probe)
	if !errors.Is(err, stop) || len(r.Probes) != 2 || r.Deepest != 2 {
		t.Errorf("err %v, probes %v, deepest %d", err, r.Probes, r.Deepest)
	}
}

func TestSearchFailsAtOnce(t *testing.T) {
	var tried []int
	r, err := Search{From: 10, Max: 100, Precision: 0.1}.Run(context.Background(), "direct", limit(5, &tried))
	if err != nil || r.Deepest != 0 || r.Failed != 10 || len(tried) != 1 {
		t.Errorf("deepest %d, failed %d, tried %v, err %v", r.Deepest, r.Failed, tried, err)
	}
}
