package harness

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"
)

// TimerResolution is how late this machine's timers fire for a short wait:
// the median of a few 100 µs waits, less 100 µs. It is measured once, on
// first use, in about 10 ms; on a VM with a 1 ms tick it is about 1 ms.
var TimerResolution = sync.OnceValue(func() time.Duration {
	const asked = 100 * time.Microsecond
	late := make([]time.Duration, 9)
	for i := range late {
		start := time.Now()
		t := time.NewTimer(asked)
		<-t.C
		late[i] = time.Since(start) - asked
	}
	slices.Sort(late)
	return max(late[len(late)/2], 0)
})

// Least is the least time a cell's warm-ups and repetitions can take: the
// ideal bound of its first batch, times the repetitions. A workload that
// cannot make a batch gives 0.
func (p *Plan) Least(c Cell) time.Duration {
	b, err := batchOf(c.Workload.Workload, c.Tasks, 0, c.Limit)
	if err != nil {
		return 0
	}
	ideal := b.Cost.Within(c.Workload.Timeout).Ideal(c.Strategy.Capacity(c.Limit), runtime.GOMAXPROCS(0))
	return ideal * time.Duration(p.Reps+p.Warmup)
}

// Warnings notes what will make the plan's figures mislead, before it
// runs: workloads whose tasks wait less than the timer resolution on
// timers (they take the resolution instead, and their efficiency reads
// low), and, when cellTimeout is above 0, cells whose least time passes it
// (they will be stopped and reported hung, though nothing is wrong).
func (p *Plan) Warnings(cellTimeout time.Duration) []string {
	var out []string
	res := TimerResolution()
	for _, w := range p.Workloads {
		b, err := w.Workload.Batch(1, 0)
		if err != nil || b.Cost.Units == 0 || b.Cost.Wait == 0 {
			continue
		}
		if per := b.Cost.Wait / time.Duration(b.Cost.Units); per < res {
			out = append(out, fmt.Sprintf("%s: tasks wait about %v on timers, below this machine's timer resolution (about %v): each will take about %v, and efficiency will read low",
				w.Name, per.Round(time.Microsecond), res.Round(time.Microsecond), (per+res).Round(time.Microsecond)))
		}
	}
	if cellTimeout > 0 {
		for _, c := range p.Cells() {
			if least := p.Least(c); least > cellTimeout {
				out = append(out, fmt.Sprintf("%s: needs at least %v (%d repetitions of an ideal %v), more than the cell timeout %v: it will be stopped; raise -cell-timeout",
					c, least.Round(time.Millisecond), p.Reps+p.Warmup, (least/time.Duration(p.Reps+p.Warmup)).Round(time.Millisecond), cellTimeout))
			}
		}
	}
	return out
}
