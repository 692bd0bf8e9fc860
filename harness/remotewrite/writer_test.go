package remotewrite

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/live"
	"github.com/concbench/concbench/harness/remotewrite/remotewritetest"
	"github.com/concbench/concbench/harness/results"
	"github.com/prometheus/prometheus/prompb"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func second(completed, errors int, at time.Time) results.Interval {
	iv := results.Interval{Length: time.Second, Span: results.Span{Scheduled: completed, Completed: completed, Errors: errors,
		P50: time.Millisecond, P99: 5 * time.Millisecond, Max: 9 * time.Millisecond}, InFlight: 3}
	if errors > 0 {
		iv.ErrorKinds = map[string]int{"timeout": errors}
	}
	return iv
}

// TestWriterSendsCountersAndFigures: an attack's seconds over two
// repetitions become counters that add up over both, gauges of each
// second, labelled with the run, the cell and the shard; the cell's
// figures follow at its end.
func TestWriterSendsCountersAndFigures(t *testing.T) {
	rec := &remotewritetest.Receiver{}
	u, _ := url.Parse(rec.Start(t) + "/api/v1/write")
	feed := live.NewFeed(live.Start{Command: "attack", Run: "r1", Shard: "1"})
	w, err := Start(feed, u, "r1", "1", func(err error) { t.Errorf("warned: %v", err) })
	if err != nil {
		t.Fatal(err)
	}
	l := live.Labels{Workload: "http 100/s", Strategy: "open-loop", Limit: 8}
	h := results.NewHistogram()
	now := time.Now()
	for rep, counts := range [][2]int{{100, 0}, {90, 4}} {
		for s := range 2 {
			feed.Second(l, rep, second(counts[0], counts[1], now), now.Add(time.Duration(rep*2+s)*time.Second), h)
		}
	}
	res := &results.Results{Complete: true, Cells: []results.CellResult{{Workload: l.Workload, Strategy: l.Strategy, Limit: l.Limit, Complete: true,
		Repetitions: []results.Repetition{{Core: results.Core{Completed: 380, Submitted: 380}}}}}}
	feed.Done(res, "dir", false)
	msg, err := w.Close()
	if err != nil || !strings.Contains(msg, "samples in") {
		t.Fatalf("Close: %q, %v", msg, err)
	}
	cell := "limit=8,run=r1,shard=1,strategy=open-loop,workload=http 100/s"
	if got := rec.Last("concbench_attack_completed_total"); got[cell] != 380 {
		t.Errorf("completed: %v, want 380 for %s (2x100 + 2x90)", got, cell)
	}
	if got := rec.Last("concbench_attack_errors_total"); got["kind=timeout,"+cell] != 8 {
		t.Errorf("errors: %v, want 8 timeouts", got)
	}
	if got := rec.Last("concbench_attack_response_seconds"); got["limit=8,quantile=0.99,run=r1,shard=1,strategy=open-loop,workload=http 100/s"] != 0.005 {
		t.Errorf("p99: %v, want 0.005", got)
	}
	if got := rec.Last("concbench_tasks_submitted"); got[cell] != 380 {
		t.Errorf("the cell's figures at its end: %v, want 380 submitted", got)
	}
	if got := rec.Last("concbench_attack_in_flight"); got[cell] != 3 {
		t.Errorf("in flight: %v", got)
	}
	checkOrdered(t, rec.Series())
}

// checkOrdered fails t unless every series' labels are sorted by name and
// its samples go forward in time, as a receiver requires.
func checkOrdered(t *testing.T, series []prompb.TimeSeries) {
	t.Helper()
	last := map[string]int64{}
	for _, ts := range series {
		if !sort.SliceIsSorted(ts.Labels, func(i, j int) bool { return ts.Labels[i].Name < ts.Labels[j].Name }) {
			t.Errorf("labels not sorted: %v", ts.Labels)
		}
		k := keyOf(ts.Labels)
		for _, s := range ts.Samples {
			if prev, ok := last[k]; ok && s.Timestamp <= prev {
				t.Errorf("%v: sample at %d after one at %d", ts.Labels, s.Timestamp, prev)
			}
			last[k] = s.Timestamp
		}
	}
}

// TestFailingReceiverWarnsOnce: a receiver that refuses every request
// costs the run a warning, not an error of the work, and Close says how
// many samples were dropped.
func TestFailingReceiverWarnsOnce(t *testing.T) {
	u, _ := url.Parse((&remotewritetest.Receiver{Fail: http.StatusBadRequest}).Start(t))
	feed := live.NewFeed(live.Start{Command: "run", Run: "r"})
	var mu sync.Mutex
	var warnings []string
	w, err := Start(feed, u, "r", "", func(err error) { mu.Lock(); warnings = append(warnings, err.Error()); mu.Unlock() })
	if err != nil {
		t.Fatal(err)
	}
	feed.Progress(live.Progress{Labels: live.Labels{Workload: "io", Strategy: "pool", Limit: 2}, Rep: 1, Reps: 2})
	time.Sleep(1500 * time.Millisecond) // one tick's request fails
	feed.Progress(live.Progress{Labels: live.Labels{Workload: "io", Strategy: "pool", Limit: 2}, Rep: 2, Reps: 2})
	feed.Done(&results.Results{}, "", false)
	msg, err := w.Close()
	if err == nil || !strings.Contains(msg, "dropped") {
		t.Errorf("Close: %q, %v; want an error and the samples dropped", msg, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(warnings) != 1 || !strings.Contains(warnings[0], "400") {
		t.Errorf("warnings %q, want one naming the status", warnings)
	}
}

// TestParseURL: the flag's value is an http or https URL with a host;
// credentials never appear in its messages.
func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		raw string
		ok  bool
	}{
		{"http://127.0.0.1:9090/api/v1/write", true},        // Prometheus's receiver
		{"https://user:secret@127.0.0.1/api/v1/push", true}, // basic auth in the URL
		{"127.0.0.1:9090", false},                           // no scheme
		{"ftp://127.0.0.1/", false},                         // not HTTP
		{"http:///api/v1/write", false},                     // no host
		{"https://user:secret@/api/v1/write", false},        // no host, with credentials
		{"http://127.0.0.1:9090/%zz", false},                // not a URL
	} {
		_, err := ParseURL(tc.raw)
		if (err == nil) != tc.ok {
			t.Errorf("%q: %v, want ok %v", tc.raw, err, tc.ok)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: the error shows the password: %v", tc.raw, err)
		}
	}
}
