package workloads

import (
	"testing"

	"github.com/concbench/concbench/harness/strategy"
)

// TestCPUNoStrategyBeatsTheIdeal checks the calibration and the ideal bound
// together: no strategy finishes CPU work faster than GOMAXPROCS allows.
func TestCPUNoStrategyBeatsTheIdeal(t *testing.T) {
	for _, c := range measure(t, "cpu", map[string]string{"cost": "2ms"}, 40, 4, 2, strategy.All()...) {
		s := c.Summary
		t.Logf("%-10s wall %v ideal %v efficiency %.2f", c.Strategy, s.Wall, s.Ideal, s.Efficiency)
		// Calibration takes the fastest of three runs, so real work is at
		// least as slow; 10% covers clock-speed drift.
		if s.Efficiency > 1.1 {
			t.Errorf("%s: wall %v beats the ideal %v", c.Strategy, s.Wall, s.Ideal)
		}
		checkClean(t, c)
	}
}

func TestCalibrationIsCached(t *testing.T) {
	a, b := roundTime(512), roundTime(512)
	if a != b || a <= 0 {
		t.Errorf("roundTime gave %v then %v", a, b)
	}
}
