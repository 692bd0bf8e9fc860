// Package remotewrite sends a run's figures to a Prometheus remote-write
// receiver while the run goes, so that an attack can be laid over the
// target's own dashboards. Each second of an attack becomes samples of
// concbench_attack_* series (responses completed, errors by kind and late
// requests as counters; the rates asked and achieved, p50, p90, p99 and
// the requests in flight as gauges); a run's cells report their progress
// (concbench_cell_progress_ratio) and, as each ends, the same figures
// bench plot -format openmetrics writes. Series carry the labels run,
// workload, strategy and limit, and shard for one shard of an attack, so
// that sum by (run) adds the shards up.
//
// It writes protocol 1.0 (prometheus.WriteRequest), which every receiver
// takes, through client_golang's remote-write client.
package remotewrite

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/concbench/concbench/harness/live"
	"github.com/prometheus/client_golang/exp/api/remote"
	"github.com/prometheus/prometheus/prompb"
)

// Every is how often a Writer sends what it has gathered.
const Every = time.Second

// requestTimeout bounds one request, retries included.
const requestTimeout = 5 * time.Second

// Writer sends a feed's events as series. Start it before the work and
// Close it after the feed's done event.
type Writer struct {
	api       *remote.API
	url       string // redacted, for messages
	warn      func(error)
	stop      chan struct{}
	finished  chan struct{}
	samples   int // sent
	requests  int
	dropped   int   // samples of failed requests
	err       error // the first failure
	lastError bool
}

// ParseURL checks a remote-write URL: http or https, with a host.
func ParseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("%s: want http:// or https:// and a host", u.Redacted())
	}
	return u, nil
}

// Start subscribes to feed and sends its events to the receiver at u
// (the whole endpoint, such as http://127.0.0.1:9090/api/v1/write) as
// series of run, labelled shard when shard is not "". A failed request is
// retried for up to requestTimeout, then its samples are dropped and warn
// is called, once for each streak of failures; the work goes on.
func Start(feed *live.Feed, u *url.URL, run, shard string, warn func(error)) (*Writer, error) {
	api, err := remote.NewAPI(u.String(), remote.WithAPIPath(""), remote.WithAPIHTTPClient(&http.Client{Timeout: requestTimeout}),
		remote.WithAPIBackoff(remote.BackoffConfig{Min: 100 * time.Millisecond, Max: time.Second, MaxRetries: 3}))
	if err != nil {
		return nil, err
	}
	w := &Writer{api: api, url: u.Redacted(), warn: warn, stop: make(chan struct{}), finished: make(chan struct{})}
	past, next, cancel := feed.Subscribe()
	go w.loop(newSeries(run, shard), past, next, cancel)
	return w, nil
}

func (w *Writer) loop(s *series, past []live.Event, next <-chan live.Event, cancel func()) {
	defer close(w.finished)
	defer cancel()
	for _, e := range past {
		s.add(e)
	}
	tick := time.NewTicker(Every)
	defer tick.Stop()
	for {
		select {
		case e, ok := <-next:
			if !ok {
				w.send(s.take())
				return
			}
			s.add(e)
		case <-tick.C:
			w.send(s.take())
		case <-w.stop: // the done event will not come
			cancel()
			for e := range next {
				s.add(e)
			}
			w.send(s.take())
			return
		}
	}
}

// send writes ts in one request.
func (w *Writer) send(ts []prompb.TimeSeries) {
	if len(ts) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	_, err := w.api.Write(ctx, remote.WriteV1MessageType, &prompb.WriteRequest{Timeseries: ts})
	if err != nil {
		w.dropped += len(ts)
		if w.err == nil {
			w.err = err
		}
		if !w.lastError && w.warn != nil {
			w.warn(fmt.Errorf("remote write to %s: %v (its samples are dropped; the run goes on)", w.url, err))
		}
		w.lastError = true
		return
	}
	w.lastError = false
	w.samples += len(ts)
	w.requests++
}

// Close sends what is left once the feed is done, waiting at most a
// request's timeout past it, and says what was sent. It returns the first
// failure, if any.
func (w *Writer) Close() (string, error) {
	select {
	case <-w.finished:
	case <-time.After(requestTimeout):
		close(w.stop)
		<-w.finished
	}
	msg := fmt.Sprintf("remote write: %d samples in %d requests to %s", w.samples, w.requests, w.url)
	if w.dropped > 0 {
		msg += fmt.Sprintf(", %d dropped", w.dropped)
	}
	return msg, w.err
}
