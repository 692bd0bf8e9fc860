package load

import (
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// schedule walks a pacer as an attacker that is never late would: the
// intended send time of each hit, as an offset from the attack's start.
// It keeps only the hits generated but not yet taken (those in flight),
// so its memory does not grow with the attack.
type schedule struct {
	pacer   vegeta.Pacer
	du      time.Duration
	t       time.Duration
	next    uint64 // hits generated
	done    bool   // the pacer stopped or passed du
	pending map[uint64]time.Duration
	// perSecond counts the hits meant for each second of the attack.
	perSecond []int
}

func newSchedule(p vegeta.Pacer, du time.Duration) *schedule {
	return &schedule{pacer: p, du: du, pending: map[uint64]time.Duration{}}
}

// step generates the next hit; false once the schedule has ended.
func (s *schedule) step() (time.Duration, bool) {
	if s.done {
		return 0, false
	}
	wait, stop := s.pacer.Pace(s.t, s.next)
	if stop || s.t+wait > s.du {
		s.done = true
		return 0, false
	}
	s.t += wait
	s.next++
	sec := int(s.t / time.Second)
	if s.t > 0 && s.t%time.Second == 0 {
		sec-- // a hit at exactly 1 s belongs to the first second
	}
	for len(s.perSecond) <= sec {
		s.perSecond = append(s.perSecond, 0)
	}
	s.perSecond[sec]++
	return s.t, true
}

// take returns the intended time of hit seq and forgets it; false when
// seq is beyond the schedule.
func (s *schedule) take(seq uint64) (time.Duration, bool) {
	for s.next <= seq {
		t, ok := s.step()
		if !ok {
			return 0, false
		}
		s.pending[s.next-1] = t
	}
	t, ok := s.pending[seq]
	delete(s.pending, seq)
	return t, ok
}

// dueBy walks the schedule up to t and returns how many of its hits are
// due by then: where an interrupted attack stopped.
func (s *schedule) dueBy(t time.Duration) uint64 {
	for !s.done && s.next < walkLimit {
		wait, stop := s.pacer.Pace(s.t, s.next)
		if stop || s.t+wait > min(t, s.du) {
			break
		}
		s.step()
	}
	return s.next
}

// walkLimit is how many hits finish walks one by one; beyond it, the rest
// is estimated (an attack that far behind has dropped them anyway).
const walkLimit = 10_000_000

// finish walks the rest of the schedule and returns how many hits it has:
// exact, unless more than walkLimit remain, which it estimates.
func (s *schedule) finish() uint64 {
	if s.done {
		return s.next
	}
	if rest := integrate(s.pacer, s.t, s.du); rest > walkLimit {
		s.done = true
		s.next += uint64(rest)
		return s.next
	}
	for {
		if _, ok := s.step(); !ok {
			return s.next
		}
	}
}

// Hits estimates how many requests pacing p schedules in du, from its
// instantaneous rate, in constant time: for checks before an attack.
func Hits(p vegeta.Pacer, du time.Duration) float64 { return integrate(p, 0, du) }

// integrate is the pacer's rate integrated from a to b (Simpson's rule
// on 1,000 steps): the hits it schedules in between.
func integrate(p vegeta.Pacer, a, b time.Duration) float64 {
	if b <= a {
		return 0
	}
	const steps = 1000
	h := float64(b-a) / steps
	sum := 0.0
	for i := 0; i <= steps; i++ {
		w := 2.0
		switch {
		case i == 0 || i == steps:
			w = 1
		case i%2 == 1:
			w = 4
		}
		sum += w * p.Rate(a+time.Duration(float64(i)*h))
	}
	return sum * h / 3 / float64(time.Second)
}
