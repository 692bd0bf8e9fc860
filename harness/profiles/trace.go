package profiles

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"io"
	"runtime/trace"
	"time"

	"github.com/concbench/concbench/harness/results"
	xtrace "golang.org/x/exp/trace"
)

// repetitionMark is the trace's user log that marks where a measured
// repetition begins: the summary reads from the last one in the window.
const repetitionMark = "concbench repetition"

// markRepetition logs the start of a repetition in the execution trace.
func markRepetition() { trace.Log(context.Background(), repetitionMark, "begin") }

// idle are the waits of the runtime's own goroutines, idle by design:
// left out of the blocking by cause.
var idle = map[string]bool{"system goroutine wait": true, "GC background sweeper wait": true}

// SummarizeTrace reads an execution trace (runtime/trace's format, as
// golang.org/x/exp/trace parses it) from the last repetition mark on and
// sums, over goroutines, the time they spent runnable but not running
// (the scheduler's wait) and blocked, by the cause the runtime gives
// ("chan receive", "select", "sync", "sleep", "network", "syscall"...).
func SummarizeTrace(r io.Reader) (*results.TraceSummary, error) {
	tr, err := xtrace.NewReader(r)
	if err != nil {
		return nil, err
	}
	type state struct {
		st     xtrace.GoState
		since  xtrace.Time
		reason string
	}
	goroutines := map[xtrace.GoID]*state{}
	sum := &results.TraceSummary{Blocked: map[string]time.Duration{}}
	add := func(s *state, until xtrace.Time) {
		d := time.Duration(until - s.since)
		switch {
		case d <= 0:
		case s.st == xtrace.GoRunnable:
			sum.SchedWait += d
		case s.st == xtrace.GoSyscall:
			sum.Blocked["syscall"] += d
		case s.st == xtrace.GoWaiting && !idle[s.reason]:
			sum.Blocked[cmp.Or(s.reason, "other")] += d
		}
	}
	for {
		ev, err := tr.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch ev.Kind() {
		case xtrace.EventLog:
			if ev.Log().Category == repetitionMark { // a new repetition: count from here
				sum = &results.TraceSummary{Blocked: map[string]time.Duration{}}
				for _, s := range goroutines {
					s.since = ev.Time()
				}
			}
		case xtrace.EventStateTransition:
			st := ev.StateTransition()
			if st.Resource.Kind != xtrace.ResourceGoroutine {
				continue
			}
			_, to := st.Goroutine()
			id := st.Resource.Goroutine()
			s := goroutines[id]
			if s == nil {
				s = &state{}
				goroutines[id] = s
			} else {
				add(s, ev.Time())
			}
			s.st, s.since, s.reason = to, ev.Time(), st.Reason
		}
	}
	if len(sum.Blocked) == 0 {
		sum.Blocked = nil
	}
	return sum, nil
}

// summarize is the kept trace's summary, or nil when it cannot be read.
func (s *Session) summarize() *results.TraceSummary {
	sum, err := SummarizeTrace(bytes.NewReader(s.trace.Bytes()))
	if err != nil {
		s.fail(err)
		return nil
	}
	return sum
}
