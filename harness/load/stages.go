package load

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Stage is one step of a ramping attack: over Duration the rate moves in a
// straight line from the previous stage's target (0 for the first) to
// Target requests a second, as k6's ramping-arrival-rate does. A stage of
// zero duration jumps.
type Stage struct {
	Duration time.Duration
	Target   float64 // requests per second
}

// ParseStages reads "30s:100,1m:1000,30s:0": comma-separated
// duration:rate stages, rates in requests per second (or 500/100ms).
func ParseStages(s string) ([]Stage, error) {
	var out []Stage
	var total time.Duration
	for _, part := range strings.Split(s, ",") {
		du, rate, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, fmt.Errorf("%q: want duration:rate, e.g. 30s:100", part)
		}
		d, err := time.ParseDuration(du)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("%q: %q is not a duration >= 0", part, du)
		}
		target, err := strconv.ParseFloat(rate, 64)
		if err != nil {
			r, perr := ParseRate(rate)
			if perr != nil {
				return nil, fmt.Errorf("%q: %q is not a rate >= 0", part, rate)
			}
			target = PerSecond(r)
		}
		if math.IsNaN(target) || target < 0 || target > 1e7 {
			return nil, fmt.Errorf("%q: %v is out of range 0..1e7 a second", part, target)
		}
		total += d
		out = append(out, Stage{Duration: d, Target: target})
	}
	if total <= 0 || total > time.Hour {
		return nil, fmt.Errorf("%q: the stages last %v, out of range (0, 1h]", s, total)
	}
	return out, nil
}

// StagesDuration is how long the stages last in all.
func StagesDuration(stages []Stage) time.Duration {
	var d time.Duration
	for _, s := range stages {
		d += s.Duration
	}
	return d
}

// StagesPacer is a vegeta pacer that ramps through stages; it stops once
// the last stage has ended or no request is left to send.
type StagesPacer struct{ Stages []Stage }

// segment finds the stage at t: its start time, start rate and end rate,
// and the hits scheduled before it. ok is false past the last stage.
func (p StagesPacer) segment(t time.Duration) (start time.Duration, from, to, before float64, ok bool) {
	for _, s := range p.Stages {
		if t < start+s.Duration {
			return start, from, s.Target, before, true
		}
		before += (from + s.Target) / 2 * s.Duration.Seconds()
		start += s.Duration
		from = s.Target
	}
	return start, from, from, before, false
}

// Rate is the rate at elapsed, per second.
func (p StagesPacer) Rate(elapsed time.Duration) float64 {
	start, from, to, _, ok := p.segment(elapsed)
	if !ok {
		return 0
	}
	d := p.stageAt(start).Seconds()
	return from + (to-from)*(elapsed-start).Seconds()/d
}

// stageAt is the duration of the stage that starts at start.
func (p StagesPacer) stageAt(start time.Duration) time.Duration {
	var t time.Duration
	for _, s := range p.Stages {
		if t == start && s.Duration > 0 {
			return s.Duration
		}
		t += s.Duration
	}
	return 0
}

// hits is how many requests are scheduled by elapsed.
func (p StagesPacer) hits(elapsed time.Duration) float64 {
	start, from, to, before, ok := p.segment(elapsed)
	if !ok {
		return before
	}
	d, x := p.stageAt(start).Seconds(), (elapsed - start).Seconds()
	return before + from*x + (to-from)*x*x/(2*d)
}

// Pace says how long to wait before hit number hits+1: at once when
// behind, else until the schedule reaches it.
func (p StagesPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	want := float64(hits + 1)
	if p.hits(elapsed) >= want {
		return 0, false
	}
	var start time.Duration
	from, before := 0.0, 0.0
	for _, s := range p.Stages {
		d := s.Duration.Seconds()
		after := before + (from+s.Target)/2*d
		if after >= want && d > 0 {
			// Solve before + from*x + (to-from)*x²/(2d) = want for x in [0, d].
			a, b, c := (s.Target-from)/(2*d), from, before-want
			var x float64
			if math.Abs(a) < 1e-12 {
				x = -c / b
			} else {
				x = (-b + math.Sqrt(max(b*b-4*a*c, 0))) / (2 * a)
			}
			at := start + time.Duration(x*float64(time.Second))
			return max(at-elapsed, 0), false
		}
		before, from = after, s.Target
		start += s.Duration
	}
	return 0, true // the stages end before hit hits+1 is due
}

// FormatStages writes stages as ParseStages reads them: "30s:100,1m:1000".
func FormatStages(stages []Stage) string {
	parts := make([]string, len(stages))
	for i, s := range stages {
		parts[i] = s.Duration.String() + ":" + strconv.FormatFloat(s.Target, 'f', -1, 64)
	}
	return strings.Join(parts, ",")
}
