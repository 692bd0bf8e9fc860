package harness

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness/results"
)

// Recorder stamps the tasks of one repetition and summarises each as it
// ends, into HdrHistograms: its memory is fixed when it is made (a few
// summarisers of about 1 MiB each), whatever the task count, and what a
// task in flight needs lives in its root. Begin and End do not allocate;
// they cost two monotonic clock reads, an atomic add each, and in End one
// uncontended lock and four histogram records (about 60 ns). Begin and
// End are safe for concurrent use.
type Recorder struct {
	base     time.Time
	shards   []recorderShard
	inflight atomic.Int64
	peak     atomic.Int64
}

// recorderShard is one summariser behind its lock; task i ends into
// shard i mod len(shards), so that tasks ending at once rarely wait on
// each other.
type recorderShard struct {
	mu  sync.Mutex
	sum *results.Summarizer
	_   [48]byte // a cache line of its own
}

// NewRecorder returns a recorder with a shard for each processor, up to 8.
func NewRecorder() *Recorder {
	r := &Recorder{shards: make([]recorderShard, min(runtime.GOMAXPROCS(0), 8))}
	for i := range r.shards {
		r.shards[i].sum = results.NewSummarizer()
	}
	return r
}

// Reset sets the clock's zero to base, every task being meant to start at
// base (a closed-loop batch), and clears the count in flight. Call it
// before any task begins.
func (r *Recorder) Reset(base time.Time) {
	r.base = base
	r.inflight.Store(0)
	r.peak.Store(0)
}

// Begin counts a root task in flight and returns its start, since base.
func (r *Recorder) Begin() time.Duration {
	r.Enter()
	return time.Since(r.base)
}

// End stamps the end of root task i, which began at start, waited queued
// for slots once started, and ended with err; class names its class ("":
// none).
func (r *Recorder) End(i int, start, queued time.Duration, class string, err error) {
	s := results.Sample{Start: start, End: time.Since(r.base), Queued: queued, Err: err, Class: class, Done: true}
	r.Leave()
	sh := &r.shards[i%len(r.shards)]
	sh.mu.Lock()
	sh.sum.Add(s)
	sh.mu.Unlock()
}

// Enter counts one more task running (a child, or a parent back from Wait).
func (r *Recorder) Enter() {
	n := r.inflight.Add(1)
	for p := r.peak.Load(); n > p && !r.peak.CompareAndSwap(p, n); p = r.peak.Load() {
	}
}

// Leave counts one task fewer running.
func (r *Recorder) Leave() { r.inflight.Add(-1) }

// Repetition returns what the tasks that ended measured, with submitted
// root tasks handed out over wall; call it only after the repetition
// ended.
func (r *Recorder) Repetition(submitted int, wall time.Duration) results.Repetition {
	sum := r.shards[0].sum
	for i := 1; i < len(r.shards); i++ {
		sum.Merge(r.shards[i].sum)
	}
	return sum.Repetition(submitted, wall)
}

// PeakInFlight is the most tasks that ran at once since Reset.
func (r *Recorder) PeakInFlight() int { return int(r.peak.Load()) }
