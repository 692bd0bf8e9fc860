// Package live follows a run or an attack while it goes: where the run
// is, each second of an attack, each cell's figures as it ends, and the
// end. A Feed keeps what it is told and passes each event on to its
// subscribers (the dashboard's pages, remote write); one that joins late
// gets the story so far first.
package live

import (
	"sync"
	"time"

	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
)

// An Event is one thing that happened; exactly one of its fields other
// than Type and Time is set, the one Type names.
type Event struct {
	Type     string    `json:"type"` // "start", "progress", "second", "cell" or "done"
	Time     time.Time `json:"time"`
	Start    *Start    `json:"start,omitempty"`
	Progress *Progress `json:"progress,omitempty"`
	Second   *Second   `json:"second,omitempty"`
	Cell     *Cell     `json:"cell,omitempty"`
	Done     *Done     `json:"done,omitempty"`
}

// Start names the work: the command, the run (the label its series carry)
// and, for one shard of an attack, the shard.
type Start struct {
	Command string `json:"command"` // run, attack, capacity or merge
	Run     string `json:"run"`
	Shard   string `json:"shard,omitempty"` // "" unless sharded
}

// Progress is where the work is: the cell running (1-based, of Cells),
// and its repetition (1-based, of Reps; 0 when the cell runs elsewhere).
type Progress struct {
	Labels
	Cell    int           `json:"cell"`
	Cells   int           `json:"cells"`
	Name    string        `json:"name"`
	Rep     int           `json:"rep"`
	Reps    int           `json:"reps"`
	Warmup  bool          `json:"warmup,omitempty"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// Labels name a cell as results.json does.
type Labels struct {
	Workload string `json:"workload"`
	Strategy string `json:"strategy"`
	Limit    int    `json:"limit"`
}

// Second is one second of an attack's repetition (Rep, from 0) as it
// ended at End: its interval, and its p90, which the interval leaves out.
type Second struct {
	Labels
	Rep int       `json:"rep"`
	End time.Time `json:"end"`
	results.Interval
	P90 time.Duration `json:"p90_ns"`
}

// Cell is a cell's figures once it has ended, as the JSON summary gives
// them.
type Cell struct {
	Name string `json:"name"`
	report.SummaryCell
}

// Labels are the cell's labels.
func (c Cell) Labels() Labels {
	return Labels{Workload: c.Workload, Strategy: c.Strategy, Limit: c.Limit}
}

// Done is the end: the run's summary, with its folder; Report says whether
// the folder holds report.html.
type Done struct {
	Summary report.Summary `json:"summary"`
	Answer  []string       `json:"answer"` // the recommendations as the report words them
	Report  bool           `json:"report"`
}

// subscriberBuffer is how many events a subscriber may fall behind by
// before the feed drops it.
const subscriberBuffer = 4096

// Feed keeps a run's events and passes them on. Its methods are safe for
// concurrent use and never block on a subscriber. The zero value is not
// usable: call NewFeed. It holds every event but the progress ones (it
// keeps the last), a few hundred bytes a second of attack.
type Feed struct {
	mu       sync.Mutex
	events   []Event
	progress *Event // the latest, kept apart so that history does not grow with it
	cells    map[string]bool
	subs     map[*subscription]struct{}
	done     bool
}

type subscription struct {
	ch chan Event
}

// NewFeed returns a feed that has begun: start is its first event.
func NewFeed(start Start) *Feed {
	f := &Feed{cells: map[string]bool{}, subs: map[*subscription]struct{}{}}
	f.publish(Event{Type: "start", Start: &start})
	return f
}

// Subscribe returns the events so far and a channel of those to come,
// which is closed after the done event, by cancel, or when the subscriber
// falls subscriberBuffer events behind (it may subscribe again and get the
// story anew).
func (f *Feed) Subscribe() (past []Event, next <-chan Event, cancel func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	past = f.history()
	s := &subscription{ch: make(chan Event, subscriberBuffer)}
	if f.done {
		close(s.ch)
		return past, s.ch, func() {}
	}
	f.subs[s] = struct{}{}
	return past, s.ch, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if _, ok := f.subs[s]; ok {
			delete(f.subs, s)
			close(s.ch)
		}
	}
}

// history is every event kept, the latest progress in its place.
func (f *Feed) history() []Event {
	past := make([]Event, 0, len(f.events)+1)
	past = append(past, f.events...)
	if f.progress != nil && !f.done {
		past = append(past, *f.progress)
	}
	return past
}

// Progress publishes where a run is.
func (f *Feed) Progress(p Progress) { f.publish(Event{Type: "progress", Progress: &p}) }

// Second publishes one second of an attack: iv, which ended at end (or
// now, for the last, cut short), with h its response times.
func (f *Feed) Second(labels Labels, rep int, iv results.Interval, end time.Time, h *results.Histogram) {
	if now := time.Now(); end.After(now) {
		end = now
	}
	s := &Second{Labels: labels, Rep: rep, End: end, Interval: iv, P90: min(h.Quantile(0.9), iv.Max)}
	f.publish(Event{Type: "second", Second: s})
}

// Cells publishes each complete cell of res not yet published, as a run
// or an attack checkpoints its results.
func (f *Feed) Cells(res *results.Results, dir string) {
	f.cellEvents(res, dir, false)
}

// Done publishes the cells of res not yet published, complete or not, and
// then the end: res saved in dir, with report.html when withReport is set.
// Subscribers' channels close after it.
func (f *Feed) Done(res *results.Results, dir string, withReport bool) {
	sum := f.cellEvents(res, dir, true)
	f.publish(Event{Type: "done", Done: &Done{Summary: sum, Answer: report.RecommendationLines(res), Report: withReport}})
}

// cellEvents publishes the cells of res that have ended (all of them with
// all) and were not published yet, and returns res's summary; it
// summarises res only when it has something to publish or all is set (a
// checkpoint comes once a second, a cell's end far less often).
func (f *Feed) cellEvents(res *results.Results, dir string, all bool) report.Summary {
	var ended []int
	f.mu.Lock()
	for i, c := range res.Cells {
		if !f.cells[c.Name()] && (c.Complete || c.Failed != "" || all) {
			f.cells[c.Name()] = true
			ended = append(ended, i)
		}
	}
	f.mu.Unlock()
	if len(ended) == 0 && !all {
		return report.Summary{}
	}
	sum := report.NewSummary(res, dir)
	for _, i := range ended {
		f.publish(Event{Type: "cell", Cell: &Cell{Name: res.Cells[i].Name(), SummaryCell: sum.Cells[i]}})
	}
	return sum
}

// publish stamps e, keeps it and passes it to every subscriber, dropping
// those whose buffer is full.
func (f *Feed) publish(e Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done {
		return
	}
	e.Time = time.Now()
	if e.Type == "progress" {
		f.progress = &e
	} else {
		f.events = append(f.events, e)
	}
	for s := range f.subs {
		select {
		case s.ch <- e:
		default:
			delete(f.subs, s)
			close(s.ch)
		}
	}
	if e.Type == "done" {
		f.done = true
		for s := range f.subs {
			delete(f.subs, s)
			close(s.ch)
		}
	}
}
