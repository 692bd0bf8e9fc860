package results

import (
	"fmt"
	"strings"
	"time"
)

// A load generator checks itself: an open-loop attack records how late
// it sent its requests (Core.Wait: send time against intended) and the
// CPU its process used (OpenLoop.CPUShare), and its latencies include
// the generator's own delay when
//   - its p99 lateness passes OpenLoop.LatenessLimit,
//   - more than GeneratorLateShare of its requests were late (sent past
//     the attack's -late-after), or
//   - its process used more than GeneratorCPUShare of the machine's
//     cores: the generator was CPU-bound, and on a shared machine the
//     target starved beside it.
const (
	GeneratorLateShare = 0.01
	GeneratorCPUShare  = 0.9
)

// GeneratorLateness is the default allowance of an attack's p99
// lateness beyond the timer resolution of the machine it runs on:
// a sleeping generator wakes up to that resolution late by construction
// (a millisecond on Linux, where Go's poller, as wrk2's event loop,
// sleeps in whole milliseconds).
const GeneratorLateness = time.Millisecond

// GeneratorCheck says why r's latencies include its generator's own
// delay, one reason a finding, or nothing when they do not (or r is not
// an open-loop attack).
func (r Repetition) GeneratorCheck() []string {
	if r.LatenessLimit == 0 || r.Completed == 0 {
		return nil
	}
	var out []string
	if r.Wait.P99 > r.LatenessLimit {
		out = append(out, fmt.Sprintf("p99 lateness %v, over %v", roundDuration(r.Wait.P99), roundDuration(r.LatenessLimit)))
	}
	if share := float64(r.Late) / float64(r.Completed); share > GeneratorLateShare {
		out = append(out, fmt.Sprintf("%.1f%% of requests late", 100*share))
	}
	if r.CPUShare > GeneratorCPUShare {
		out = append(out, fmt.Sprintf("CPU-bound (%.0f%% of the cores)", 100*r.CPUShare))
	}
	return out
}

// GeneratorWarnings says, for each open-loop cell whose latencies
// include its generator's own delay, why and what to do.
func (r *Results) GeneratorWarnings() []string {
	var out []string
	for _, c := range r.Cells {
		reasons := c.Summary.GeneratorCheck()
		if len(reasons) == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("%s: the generator fell behind its schedule (%s): its latencies include the generator's own delay; send fewer requests a second from each process, or split the attack over more generators (-shards)",
			c.Name(), strings.Join(reasons, ", ")))
	}
	return out
}

// roundDuration rounds d to three significant figures or so, for text.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= 100*time.Millisecond:
		return d.Round(time.Millisecond)
	case d >= 100*time.Microsecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
