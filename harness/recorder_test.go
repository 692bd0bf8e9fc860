package harness

import (
	"errors"
	"testing"
	"time"
)

func TestRecorderDoesNotAllocate(t *testing.T) {
	r := NewRecorder(16)
	r.Reset(time.Now())
	boom := errors.New("boom")
	allocs := testing.AllocsPerRun(1000, func() {
		r.Begin(3)
		r.End(3, boom)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per sample, want 0", allocs)
	}
}

func TestRecorderStampsInOrder(t *testing.T) {
	r := NewRecorder(2)
	r.Reset(time.Now())
	r.Begin(0)
	r.Begin(1)
	time.Sleep(time.Millisecond)
	r.End(1, nil)
	r.End(0, nil)
	s := r.Samples()
	if !(s[0].Intended == 0 && s[0].Start > 0 && s[0].End >= s[0].Start+time.Millisecond) {
		t.Errorf("sample 0 = %+v, want 0 < start and end >= start + 1ms", s[0])
	}
	if s[0].Response() != s[0].Wait()+s[0].Service() {
		t.Errorf("response %v != wait %v + service %v", s[0].Response(), s[0].Wait(), s[0].Service())
	}
	if r.PeakInFlight() != 2 {
		t.Errorf("peak in flight %d, want 2", r.PeakInFlight())
	}
}
