package workloads

import (
	"testing"
	"time"

	"github.com/concbench/concbench/harness/strategy"
)

// TestIOConcurrencyPaysOff runs 200 tasks of 20 ms: unbounded must come
// close to the ideal 20 ms and beat sequential (4 s) by far.
func TestIOConcurrencyPaysOff(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 4 s")
	}
	params := map[string]string{"latency": "20ms"}
	// Sequential cannot be fast by accident: one repetition. Unbounded is
	// the median of five, so a stall on a busy machine does not decide.
	cells := append(measure(t, "io", params, 200, 1, 1, strategy.Sequential{}), measure(t, "io", params, 200, 1, 5, strategy.Unbounded{})...)
	seq, unb := cells[0].Summary.Wall, cells[1].Summary.Wall
	t.Logf("sequential %v, unbounded %v (%.0fx)", seq, unb, float64(seq)/float64(unb))
	if unb > 3*20*time.Millisecond {
		t.Errorf("unbounded took %v, more than 3x the ideal 20ms", unb)
	}
	if seq < 20*unb {
		t.Errorf("unbounded (%v) is less than 20x faster than sequential (%v)", unb, seq)
	}
	for _, c := range cells {
		checkClean(t, c)
	}
}

// TestIODistributions checks that draws follow the distribution asked for
// and repeat for the same seed and repetition.
func TestIODistributions(t *testing.T) {
	const ms = time.Millisecond
	tests := []struct {
		dist, spread string
		lo, hi       time.Duration // every draw must fall inside
	}{
		{"constant", "0.5", 5 * ms, 5 * ms},              // always the latency
		{"uniform", "0.2", 4 * ms, 6 * ms},               // latency ± 20%
		{"lognormal", "0.5", 5 * ms / 100, 5 * ms * 100}, // median 5 ms, no absurd tails at sigma 0.5
	}
	for _, tt := range tests {
		t.Run(tt.dist, func(t *testing.T) {
			spec, _ := Lookup("io")
			w, err := spec.Build("io", map[string]string{"dist": tt.dist, "spread": tt.spread}, 1000)
			if err != nil {
				t.Fatal(err)
			}
			s := w.Workload.(ioWorkload).io
			r1, r2 := s.rng(3), s.rng(3)
			below := 0
			for range 1000 {
				d := s.draw(r1)
				if d != s.draw(r2) {
					t.Fatal("the same seed and repetition drew different latencies")
				}
				if d < tt.lo || d > tt.hi {
					t.Fatalf("drew %v, outside [%v, %v]", d, tt.lo, tt.hi)
				}
				if d < 5*ms {
					below++
				}
			}
			if tt.dist != "constant" && (below < 400 || below > 600) {
				t.Errorf("%d of 1000 draws below the 5ms median, want about 500", below)
			}
		})
	}
}

// TestBlockingIOIsBounded runs io in block mode. Offload bounds the
// blocking sections to its limit, so 8 calls of 10 ms over 2 slots cannot
// take less than 40 ms. (How much faster unbounded is depends on how soon
// the runtime hands a blocked thread's P to another thread, which varies:
// that is what the measurement is for, not what this test asserts.)
func TestBlockingIOIsBounded(t *testing.T) {
	cells := measure(t, "io", map[string]string{"mode": "block", "latency": "10ms"}, 8, 2, 1, strategy.Offload{}, strategy.Unbounded{})
	off, unb := cells[0].Summary, cells[1].Summary
	t.Logf("offload limit 2: %v (ideal %v); unbounded: %v (ideal %v)", off.Wall, off.Ideal, unb.Wall, unb.Ideal)
	if off.Ideal != 40*time.Millisecond || unb.Ideal != 10*time.Millisecond {
		t.Errorf("ideal bounds %v and %v, want 40ms and 10ms", off.Ideal, unb.Ideal)
	}
	if off.Wall < off.Ideal {
		t.Errorf("offload limit 2 took %v, less than its bound %v: the blocking executor did not bound", off.Wall, off.Ideal)
	}
	for _, c := range cells {
		checkClean(t, c)
	}
}
