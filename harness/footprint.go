package harness

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/concbench/concbench/harness/input"
)

// Footprinter is implemented by workloads that can say, before running,
// what n root tasks hold: how many tasks in all (a recursive tree counts
// its nodes) and how many bytes each keeps while it runs (a task not
// running holds its closure alone).
type Footprinter interface {
	Footprint(n int) (tasks int64, bytesPerTask int64)
}

// Guard bounds: a plan beyond them is refused unless forced.
const (
	MaxGoroutines = 1 << 20
	stackBytes    = 8 << 10 // a goroutine's stack while it runs a task, roughly
	rootBytes     = 150     // the runner's root wrapper of a task in flight
	closureBytes  = 64      // a task's closure, made before the clock starts
)

// Footprint estimates the most goroutines and bytes any cell of p holds at
// once. Workloads that are not Footprinters count one task per root and no
// bytes of their own.
func (p *Plan) Footprint() (goroutines, bytes int64, worst Cell) {
	for _, c := range p.Cells() {
		tasks, per := int64(c.Tasks), int64(0)
		if f, ok := c.Workload.Workload.(Footprinter); ok {
			tasks, per = f.Footprint(c.Tasks)
		}
		capacity := c.Strategy.Capacity(c.Limit)
		running := tasks // unbounded and offload start every task
		if k := capacity.Tasks; k > 0 {
			running = min(tasks, int64(k))
			if tasks > int64(c.Workload.Tasks) { // recursion: waiting parents keep their goroutines
				running = min(tasks, int64(k)+tasks-int64(c.Workload.Tasks))
			}
		}
		g := max(running, int64(capacity.Workers))
		b := int64(c.Tasks)*closureBytes + running*(rootBytes+per) + g*stackBytes
		if g > goroutines || b > bytes {
			goroutines, bytes, worst = max(g, goroutines), max(b, bytes), c
		}
	}
	return goroutines, bytes, worst
}

// CheckFootprint refuses a plan that would start more than MaxGoroutines
// goroutines or hold more than half of memTotal bytes (0: the machine's
// memory), with the estimate, as an *input.Error on tasks.
func (p *Plan) CheckFootprint(memTotal int64) error {
	if memTotal <= 0 {
		memTotal = MemTotal()
	}
	g, b, worst := p.Footprint()
	if g <= MaxGoroutines && b <= memTotal/2 {
		return nil
	}
	return input.Errorf("tasks", "the plan would start about %d goroutines and hold about %s at once (%s), more than this machine can bear (%d goroutines, half of %s); lower -tasks or -limits, or pass -force",
		g, bytesText(b), worst, MaxGoroutines, bytesText(memTotal))
}

// MemTotal reads the machine's memory from /proc/meminfo; 8 GiB when
// unknown.
func MemTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err == nil {
		defer f.Close()
		for sc := bufio.NewScanner(f); sc.Scan(); {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				if kb, err := strconv.ParseInt(strings.Fields(rest)[0], 10, 64); err == nil {
					return kb << 10
				}
			}
		}
	}
	return 8 << 30
}

func bytesText(b int64) string {
	switch {
	case b >= 1<<40:
		return fmt.Sprintf("%.1f TiB", float64(b)/(1<<40))
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	default:
		return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
	}
}
