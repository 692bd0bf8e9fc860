package load

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestParseStages(t *testing.T) {
	st, err := ParseStages("30s:100, 1m:1000,30s:0,0s:50/100ms")
	if err != nil {
		t.Fatal(err)
	}
	want := []Stage{{30 * time.Second, 100}, {time.Minute, 1000}, {30 * time.Second, 0}, {0, 500}}
	for i := range want {
		if st[i] != want[i] {
			t.Errorf("stage %d: %+v, want %+v", i, st[i], want[i])
		}
	}
	if StagesDuration(st) != 2*time.Minute {
		t.Errorf("duration %v", StagesDuration(st))
	}
	for _, bad := range []string{"30s", "x:100", "-1s:100", "30s:-5", "30s:fast", "0s:100", "2h:10"} {
		if _, err := ParseStages(bad); err == nil {
			t.Errorf("ParseStages(%q) accepted", bad)
		} else if !strings.Contains(err.Error(), "") {
			t.Error(err)
		}
	}
}

// TestStagesPacerFollowsTheRamp walks the pacer as an attacker would: the
// hits per stage are the ramp's area, and the schedule never goes back.
func TestStagesPacerFollowsTheRamp(t *testing.T) {
	p := StagesPacer{Stages: []Stage{{2 * time.Second, 100}, {time.Second, 100}, {2 * time.Second, 0}}}
	s := newSchedule(p, StagesDuration(p.Stages))
	var perStage [3]int
	prev := time.Duration(-1)
	for seq := uint64(0); ; seq++ {
		at, ok := s.take(seq)
		if !ok {
			break
		}
		if at < prev {
			t.Fatalf("hit %d at %v goes back from %v", seq, at, prev)
		}
		prev = at
		switch {
		case at <= 2*time.Second:
			perStage[0]++
		case at <= 3*time.Second:
			perStage[1]++
		default:
			perStage[2]++
		}
	}
	// Ramp 0 -> 100 over 2 s: 100 hits; flat 100 for 1 s: 100; down to 0 over 2 s: 100.
	for i, n := range perStage {
		if n < 98 || n > 102 {
			t.Errorf("stage %d: %d hits, want about 100 (all %v)", i, n, perStage)
		}
	}
	if r := p.Rate(time.Second); math.Abs(r-50) > 0.01 {
		t.Errorf("rate at 1s: %v, want 50", r)
	}
	if r := p.Rate(4 * time.Second); math.Abs(r-50) > 0.01 {
		t.Errorf("rate at 4s: %v, want 50", r)
	}
	if n := Hits(p, StagesDuration(p.Stages)); math.Abs(n-300) > 1 {
		t.Errorf("Hits: %v, want 300", n)
	}
}
