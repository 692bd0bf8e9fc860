package workloads

import (
	"runtime"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/strategy"
)

// TestHogVictimsReportedApart runs a 100 ms hog beside victims of five
// 1 ms waits: results keep each class's response times, and with a
// processor free of the hog the victims are the fast ones.
func TestHogVictimsReportedApart(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs a processor beside the hog's")
	}
	params := map[string]string{"hogs": "1", "cost": "100ms", "steps": "5", "step": "1ms"}
	c := measure(t, "hog", params, 20, 1, 1, strategy.Unbounded{})[0]
	checkClean(t, c)
	hog, victim := c.Summary.Classes["hog"], c.Summary.Classes["victim"]
	// Wide margins: the CPU cost is calibrated, and a machine loaded by
	// other tests while it calibrates makes a hog shorter than asked.
	if hog.P50 < 50*time.Millisecond || victim.P50 < 5*time.Millisecond || victim.P50 > hog.P50/2 {
		t.Errorf("hog p50 %v, victim p50 %v: want hogs near 100ms (at least 50ms) and victims above 5ms, well below the hogs", hog.P50, victim.P50)
	}
}
