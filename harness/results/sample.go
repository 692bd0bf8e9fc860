package results

import "time"

// Sample is one root task's timestamps, as offsets on the monotonic clock
// from the start of its repetition.
type Sample struct {
	Intended time.Duration // when the task was meant to start
	Start    time.Duration // when it started
	End      time.Duration // when it ended
	Err      error         // its error, nil on success
	Done     bool          // whether it ran to the end
	// Queued is the time the task, once started, waited for a slot of
	// its strategy: an executor worker for its CPU or blocking sections.
	Queued time.Duration
	// Class is the task's class when a workload mixes kinds of task (hog
	// and victim); empty otherwise.
	Class string
}

// Wait is the time the task was ready but not running its own code:
// queued before it started (Start - Intended) and for executor slots
// after (Queued). It means the same under every strategy.
func (s Sample) Wait() time.Duration { return s.Start - s.Intended + s.Queued }

// Service is the time the task ran its own code: End - Start - Queued.
// Wait + Service = Response.
func (s Sample) Service() time.Duration { return s.End - s.Start - s.Queued }

// Response is the latency the caller saw: End - Intended. It is the
// headline latency: queueing counts, so there is no coordinated omission.
func (s Sample) Response() time.Duration { return s.End - s.Intended }
