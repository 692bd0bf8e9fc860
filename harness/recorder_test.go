package harness

import (
	"errors"
	"testing"
	"time"
)

func TestRecorderDoesNotAllocate(t *testing.T) {
	r := NewRecorder()
	r.Reset(time.Now())
	boom := errors.New("boom")
	r.End(3, r.Begin(), 0, "", boom) // the first error makes the count's map
	allocs := testing.AllocsPerRun(1000, func() {
		r.End(3, r.Begin(), 0, "", boom)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per sample, want 0", allocs)
	}
}

func TestRecorderStampsInOrder(t *testing.T) {
	r := NewRecorder()
	r.Reset(time.Now())
	s0, s1 := r.Begin(), r.Begin()
	time.Sleep(2 * time.Millisecond) // task 0's service is this less its 200 µs queued: at least 1.8 ms
	r.End(1, s1, 0, "", nil)
	r.End(0, s0, 200*time.Microsecond, "victim", errors.New("boom"))
	rep := r.Repetition(3, time.Second)
	if rep.Completed != 2 || rep.NotStarted != 1 || rep.ErrorCount() != 1 || rep.PeakInFlight != 0 {
		t.Errorf("completed %d, not started %d, errors %v: want 2 of 3, one an error", rep.Completed, rep.NotStarted, rep.Errors)
	}
	if rep.Wait.Max <= 0 || rep.Service.Min < time.Millisecond || rep.Response.Max < rep.Service.Max {
		t.Errorf("wait %v, service %v, response %v: want a start after 0, a service of at least 1 ms, response >= service", rep.Wait, rep.Service, rep.Response)
	}
	if _, ok := rep.Classes["victim"]; !ok || len(rep.Classes) != 1 {
		t.Errorf("classes %v, want victim alone", rep.Classes)
	}
	if r.PeakInFlight() != 2 {
		t.Errorf("peak in flight %d, want 2", r.PeakInFlight())
	}
}

// TestRecorderMergesItsShards ends tasks into every shard: the
// repetition counts each once.
func TestRecorderMergesItsShards(t *testing.T) {
	r := NewRecorder()
	r.Reset(time.Now())
	for i := range 1000 {
		r.End(i, r.Begin(), 0, "", nil)
	}
	if rep := r.Repetition(1000, time.Second); rep.Completed != 1000 || rep.Histograms.Response.Count() != 1000 {
		t.Errorf("completed %d, %d in the histogram: want 1000", rep.Completed, rep.Histograms.Response.Count())
	}
}
