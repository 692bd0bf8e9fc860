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
}

// Wait is the time the task spent queued: Start - Intended.
func (s Sample) Wait() time.Duration { return s.Start - s.Intended }

// Service is the time the task ran: End - Start.
func (s Sample) Service() time.Duration { return s.End - s.Start }

// Response is the latency the caller saw: End - Intended. It is the
// headline latency: queueing counts, so there is no coordinated omission.
func (s Sample) Response() time.Duration { return s.End - s.Intended }
