package workloads

import (
	"fmt"
	"strings"
	"testing"

	"github.com/concbench/concbench/harness/strategy"
)

// TestCPUNoStrategyBeatsTheIdeal checks the calibration and the ideal bound
// together: no strategy finishes CPU work faster than GOMAXPROCS allows.
// Calibration takes the fastest of seven trials, so real work is at least
// as slow; 10% covers clock-speed drift. A machine busy while calibrating
// (other test packages run beside this one) overstates the round time:
// when a strategy beats the ideal and the round time measured again is
// more than 5% faster, the test calibrates and measures again, up to
// three times.
func TestCPUNoStrategyBeatsTheIdeal(t *testing.T) {
	const size = 1024 // the cpu family's default
	for attempt := 1; ; attempt++ {
		calibrated.Delete(size)
		var beaten []string
		for _, c := range measure(t, "cpu", map[string]string{"cost": "2ms"}, 40, 4, 2, strategy.All()...) {
			s := c.Summary
			t.Logf("%-10s wall %v ideal %v efficiency %.2f", c.Strategy, s.Wall, s.Ideal, s.Efficiency)
			if s.Efficiency > 1.1 {
				beaten = append(beaten, fmt.Sprintf("%s: wall %v beats the ideal %v", c.Strategy, s.Wall, s.Ideal))
			}
			checkClean(t, c)
		}
		if len(beaten) == 0 {
			return
		}
		then := roundTime(size)
		calibrated.Delete(size)
		now := roundTime(size)
		if attempt == 3 || float64(now) >= 0.95*float64(then) {
			t.Errorf("calibrated at %v a round, %v now:\n%s", then, now, strings.Join(beaten, "\n"))
			return
		}
		t.Logf("calibrated at %v a round while the machine was busy, %v now: measuring again", then, now)
	}
}

func TestCalibrationIsCached(t *testing.T) {
	a, b := roundTime(512), roundTime(512)
	if a != b || a <= 0 {
		t.Errorf("roundTime gave %v then %v", a, b)
	}
}
