package harness

import (
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness/results"
)

// Recorder stamps the samples of one repetition and counts the tasks in
// flight. Its memory is fixed when it is made (one results.Sample per task); Begin
// and End do not allocate and cost two monotonic clock reads per task plus
// an atomic add each. Begin and End are safe for concurrent use on
// different indices.
type Recorder struct {
	base     time.Time
	samples  []results.Sample
	queued   []atomic.Int64 // per task, nanoseconds; folded into samples by Samples
	inflight atomic.Int64
	peak     atomic.Int64
}

// NewRecorder returns a recorder for n tasks.
func NewRecorder(n int) *Recorder {
	return &Recorder{samples: make([]results.Sample, n), queued: make([]atomic.Int64, n)}
}

// Reset clears the samples and sets the clock's zero to base; every task is
// meant to start at base (a closed-loop batch).
func (r *Recorder) Reset(base time.Time) {
	clear(r.samples)
	for i := range r.queued {
		r.queued[i].Store(0)
	}
	r.base = base
	r.inflight.Store(0)
	r.peak.Store(0)
}

// Begin stamps the start of task i and counts it in flight.
func (r *Recorder) Begin(i int) {
	r.Enter()
	r.samples[i].Start = time.Since(r.base)
}

// End stamps the end of task i with its error.
func (r *Recorder) End(i int, err error) {
	s := &r.samples[i]
	s.End = time.Since(r.base)
	s.Err = err
	s.Done = true
	r.Leave()
}

// Enter counts one more task running (a child, or a parent back from Wait).
func (r *Recorder) Enter() {
	n := r.inflight.Add(1)
	for p := r.peak.Load(); n > p && !r.peak.CompareAndSwap(p, n); p = r.peak.Load() {
	}
}

// Leave counts one task fewer running.
func (r *Recorder) Leave() { r.inflight.Add(-1) }

// Queue adds d to the time task i, once started, waited for a slot (an
// executor worker). It is safe for concurrent use.
func (r *Recorder) Queue(i int, d time.Duration) { r.queued[i].Add(int64(d)) }

// Samples returns the samples; call it only after the repetition ended.
func (r *Recorder) Samples() []results.Sample {
	for i := range r.samples {
		r.samples[i].Queued = time.Duration(r.queued[i].Load())
	}
	return r.samples
}

// PeakInFlight is the most tasks that ran at once since Reset.
func (r *Recorder) PeakInFlight() int { return int(r.peak.Load()) }
