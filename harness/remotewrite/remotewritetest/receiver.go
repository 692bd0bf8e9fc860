// Package remotewritetest is a Prometheus remote-write receiver for tests:
// it keeps every series it is sent, so that a test can read back what a
// run wrote without a Prometheus server.
package remotewritetest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/klauspost/compress/snappy"
	"github.com/prometheus/prometheus/prompb"
)

// Receiver takes protocol 1.0 writes (snappy-compressed
// prometheus.WriteRequest) on any path, or refuses every request with
// Fail when it is set. Its methods are safe for concurrent use.
type Receiver struct {
	// Fail, when not 0, is the status every request gets.
	Fail int

	mu     sync.Mutex
	series []prompb.TimeSeries
}

// Start serves r on loopback until the test ends, and returns its URL.
func (r *Receiver) Start(tb interface{ Cleanup(func()) }) string {
	srv := httptest.NewServer(r)
	tb.Cleanup(srv.Close)
	return srv.URL
}

func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if r.Fail != 0 {
		http.Error(w, "refused", r.Fail)
		return
	}
	if req.Header.Get("Content-Encoding") != "snappy" || req.Header.Get("X-Prometheus-Remote-Write-Version") != "0.1.0" {
		http.Error(w, "want protocol 1.0, snappy", http.StatusBadRequest)
		return
	}
	b, _ := io.ReadAll(req.Body)
	raw, err := snappy.Decode(nil, b)
	var wr prompb.WriteRequest
	if err == nil {
		err = wr.Unmarshal(raw)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.series = append(r.series, wr.Timeseries...)
	r.mu.Unlock()
}

// Series is every series received, in order.
func (r *Receiver) Series() []prompb.TimeSeries {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]prompb.TimeSeries(nil), r.series...)
}

// Last is the latest value of each series named name, by its other
// labels written name=value, comma-separated, in the order sent (sorted
// by name).
func (r *Receiver) Last(name string) map[string]float64 {
	out := map[string]float64{}
	for _, ts := range r.Series() {
		var key []string
		match := false
		for _, l := range ts.Labels {
			if l.Name == "__name__" {
				match = l.Value == name
				continue
			}
			key = append(key, l.Name+"="+l.Value)
		}
		if match && len(ts.Samples) > 0 {
			out[strings.Join(key, ",")] = ts.Samples[len(ts.Samples)-1].Value
		}
	}
	return out
}
