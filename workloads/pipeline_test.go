package workloads

import (
	"strings"
	"testing"

	"github.com/concbench/concbench/harness/strategy"
)

// TestPipelineBottleneckSetsThePace sends items through a stage three
// times slower than its neighbours: the slow stage is busy nearly all
// the time and the one after it waits; no buffer lets the pipeline pass
// the slow stage's rate. Unbuffered, the stage before it is held back
// sending; with a deep buffer it runs ahead, and items wait in the
// buffer instead: longer in transit.
func TestPipelineBottleneckSetsThePace(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 1 s")
	}
	transit := map[string]float64{}
	for _, buffer := range []string{"0", "64"} {
		params := map[string]string{"costs": "1ms,3ms,1ms", "buffer": buffer, "spread": "0", "workers": "2"}
		c := measure(t, "pipeline", params, 60, 1, 1, strategy.Unbounded{})[0]
		checkClean(t, c)
		k := c.Summary.Counters
		t.Logf("buffer %s: goodput %.0f/s; stage 1 blocked %.2f, stage 2 busy %.2f, stage 3 idle %.2f; transit %.1f ms",
			buffer, c.Summary.Throughput, k["stage1-blocked"], k["stage2-busy"], k["stage3-idle"], k["transit-ms"])
		if bound := 2 / 0.003; c.Summary.Throughput > 1.02*bound {
			t.Errorf("buffer %s: goodput %.0f/s passed the slow stage's %.0f/s", buffer, c.Summary.Throughput, bound)
		}
		if k["stage2-busy"] < 0.85 || k["stage3-idle"] < 0.3 {
			t.Errorf("buffer %s: the stages' shares do not show the bottleneck: %v", buffer, k)
		}
		if e := c.Summary.Efficiency; e > 1.02 {
			t.Errorf("buffer %s: efficiency %.2f above 1: the ideal must count the slow stage", buffer, e)
		}
		if buffer == "0" && k["stage1-blocked"] < 0.2 {
			t.Errorf("unbuffered, stage 1 was blocked %.2f of its time: the slow stage must push back", k["stage1-blocked"])
		}
		transit[buffer] = k["transit-ms"]
	}
	if transit["64"] < 3*transit["0"] {
		t.Errorf("transit %.1f ms with a 64-item buffer, %.1f ms without: items must wait in the buffer", transit["64"], transit["0"])
	}
}

// TestPipelineWorkersFollowTheLimit checks that a strategy's limit sets
// the workers at each stage, and that cpu mode runs.
func TestPipelineWorkersFollowTheLimit(t *testing.T) {
	spec, _ := Lookup("pipeline")
	pw, err := spec.Build("pipeline", map[string]string{"mode": "cpu", "costs": "50us,50us"}, 8)
	if err != nil {
		t.Fatal(err)
	}
	w := pw.Workload.(*pipelineWorkload)
	b, err := w.BatchFor(8, 0, 4)
	if err != nil {
		t.Fatal(err)
	}
	if b.Cost.Serial != 8*w.costs[0]/4 {
		t.Errorf("serial %v, want 8 items' 50us over 4 workers", b.Cost.Serial)
	}
	c := measure(t, "pipeline", map[string]string{"mode": "cpu", "costs": "50us,50us"}, 40, 4, 1, strategy.Pool{})[0]
	checkClean(t, c)
}

func TestPipelineRejectsBadParameters(t *testing.T) {
	spec, _ := Lookup("pipeline")
	for param, value := range map[string]string{"costs": "1ms,fast", "buffer": "-1", "workers": "-2", "spread": "1", "mode": "spin"} {
		_, err := spec.Build("pipeline", map[string]string{param: value}, 0)
		if err == nil || !strings.HasPrefix(err.Error(), "param pipeline."+param+": ") {
			t.Errorf("%s=%s: %v, want an error naming param pipeline.%s", param, value, err, param)
		}
	}
}
