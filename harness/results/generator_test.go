package results

import (
	"strings"
	"testing"
	"time"
)

func TestGeneratorCheck(t *testing.T) {
	open := func(p99 time.Duration, late int, cpu float64) Repetition {
		var r Repetition
		r.Completed, r.Wait.P99, r.Late, r.CPUShare, r.LatenessLimit = 1000, p99, late, cpu, 2*time.Millisecond
		return r
	}
	for _, tc := range []struct {
		name string
		rep  Repetition
		want []string // a fragment of each reason, in order
	}{
		{"on time, few late, CPU to spare: clean", open(time.Millisecond, 10, 0.5), nil},
		{"p99 lateness past the limit", open(3*time.Millisecond, 0, 0.5), []string{"p99 lateness 3ms, over 2ms"}},
		{"more than 1% late", open(time.Millisecond, 11, 0.5), []string{"1.1% of requests late"}},
		{"CPU-bound", open(time.Millisecond, 0, 0.95), []string{"CPU-bound (95% of the cores)"}},
		{"all three", open(5*time.Millisecond, 500, 1), []string{"p99 lateness", "50.0% of requests late", "CPU-bound"}},
		{"not an attack: no limit recorded", Repetition{Core: Core{Completed: 10}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.rep.GeneratorCheck()
			if len(got) != len(tc.want) {
				t.Fatalf("%q, want %d reasons", got, len(tc.want))
			}
			for i := range got {
				if !strings.Contains(got[i], tc.want[i]) {
					t.Errorf("reason %d: %q, want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
	res := &Results{Cells: []CellResult{
		{Workload: "http 100/s", Strategy: "open-loop", Limit: 256, Summary: open(time.Millisecond, 0, 0.1)},
		{Workload: "http 40000/s", Strategy: "open-loop", Limit: 256, Summary: open(9*time.Millisecond, 0, 0.1)},
	}}
	w := res.GeneratorWarnings()
	if len(w) != 1 || !strings.HasPrefix(w[0], "http 40000/s open-loop 256: the generator fell behind") || !strings.Contains(w[0], "-shards") {
		t.Errorf("warnings %q: want one, for the 40000/s cell, saying what to do", w)
	}
}
