package live

import (
	"testing"
	"time"

	"github.com/concbench/concbench/harness/results"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func types(events []Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Type)
	}
	return out
}

func drain(ch <-chan Event) []Event {
	var out []Event
	for e := range ch {
		out = append(out, e)
	}
	return out
}

func cell(workload string, complete bool, completed int) results.CellResult {
	return results.CellResult{Workload: workload, Strategy: "pool", Limit: 4, Complete: complete,
		Repetitions: []results.Repetition{{Core: results.Core{Completed: completed, Submitted: completed}}}}
}

// TestLateSubscriberGetsTheStory: one who subscribes late gets every event
// so far with the latest progress only, then each event as it comes, and
// its channel closes after the done event.
func TestLateSubscriberGetsTheStory(t *testing.T) {
	f := NewFeed(Start{Command: "run", Run: "r"})
	f.Progress(Progress{Cell: 1, Cells: 2, Rep: 1, Reps: 2})
	f.Progress(Progress{Cell: 1, Cells: 2, Rep: 2, Reps: 2})
	h := results.NewHistogram()
	h.Record(3 * time.Millisecond)
	f.Second(Labels{Workload: "http 100/s"}, 0, results.Interval{Span: results.Span{Completed: 100, Max: 3 * time.Millisecond}}, time.Now(), h)
	past, next, cancel := f.Subscribe()
	defer cancel()
	if got := types(past); len(got) != 3 || got[0] != "start" || got[1] != "second" || got[2] != "progress" {
		t.Fatalf("past events %v, want start, second, the latest progress", got)
	}
	if p := past[2].Progress; p.Rep != 2 {
		t.Errorf("progress kept is repetition %d, want the latest, 2", p.Rep)
	}
	if s := past[1].Second; s.P90 != 3*time.Millisecond || s.Completed != 100 {
		t.Errorf("second %+v: want p90 3ms from the histogram, 100 completed", s)
	}
	res := &results.Results{Cells: []results.CellResult{cell("io", true, 10)}}
	f.Cells(res, "dir")
	f.Done(res, "dir", true)
	got := drain(next)
	if ts := types(got); len(ts) != 2 || ts[0] != "cell" || ts[1] != "done" {
		t.Fatalf("then %v, want the cell and done, and the channel closed", ts)
	}
	if d := got[1].Done; !d.Report || d.Summary.Results != "dir" || len(d.Summary.Cells) != 1 {
		t.Errorf("done %+v", d)
	}
	f.Progress(Progress{Cell: 2}) // after the end: nothing
	past, next, _ = f.Subscribe()
	if ts := types(past); ts[len(ts)-1] != "done" || len(drain(next)) != 0 {
		t.Errorf("after the end, a subscriber gets %v and then more", ts)
	}
}

// TestCellsArePublishedOnce: a cell is published when it is complete (or
// failed), once, and Done publishes those left, such as one interrupted.
func TestCellsArePublishedOnce(t *testing.T) {
	f := NewFeed(Start{Command: "attack"})
	_, next, cancel := f.Subscribe()
	defer cancel()
	res := &results.Results{Cells: []results.CellResult{cell("a", true, 1), cell("b", false, 2)}}
	f.Cells(res, "")
	f.Cells(res, "")
	f.Done(res, "", false)
	var cells []string
	for _, e := range drain(next) {
		if e.Cell != nil {
			cells = append(cells, e.Cell.Workload)
			if e.Cell.Name != e.Cell.SummaryCell.Name() {
				t.Errorf("cell named %q, its summary %q", e.Cell.Name, e.Cell.SummaryCell.Name())
			}
		}
	}
	if len(cells) != 2 || cells[0] != "a" || cells[1] != "b" {
		t.Errorf("cells published %v, want a (complete) then b (at the end)", cells)
	}
}

// TestSlowSubscriberIsDropped: a subscriber that falls a buffer behind is
// dropped (its channel closes) and the feed does not block.
func TestSlowSubscriberIsDropped(t *testing.T) {
	f := NewFeed(Start{})
	_, next, cancel := f.Subscribe()
	defer cancel()
	done := make(chan struct{})
	go func() {
		for range subscriberBuffer + 10 {
			f.Second(Labels{}, 0, results.Interval{}, time.Now(), results.NewHistogram())
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the feed blocked on a subscriber that reads nothing")
	}
	if n := len(drain(next)); n != subscriberBuffer {
		t.Errorf("the slow subscriber got %d events before its channel closed, want %d", n, subscriberBuffer)
	}
}
