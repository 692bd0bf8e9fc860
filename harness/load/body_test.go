package load

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/results"
)

// hugeBodies serves /size/<n>, a body of n bytes with a Content-Length,
// and /endless, a chunked body that never ends (until the client leaves).
func hugeBodies(t *testing.T) *httptest.Server {
	chunk := make([]byte, 64<<10)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/endless" {
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			return
		}
		n, _ := strconv.Atoi(r.URL.Path[len("/size/"):])
		w.Header().Set("Content-Length", strconv.Itoa(n))
		for ; n > 0; n -= len(chunk) {
			if _, err := w.Write(chunk[:min(n, len(chunk))]); err != nil {
				return
			}
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// peakHeap samples the heap in use every 10 ms while f runs.
func peakHeap(f func()) uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	return peak.Load()
}

// TestBodiesCostNoMemory sends a 256 MiB body and an endless one through
// both clients and the attack: the heap stays under 64 MiB, the bytes of
// the sized body are counted, and the endless body ends in a timeout.
func TestBodiesCostNoMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 256 MiB a client")
	}
	s := hugeBodies(t)
	const size = 256 << 20
	for _, client := range httpclient.Clients {
		t.Run(client, func(t *testing.T) {
			sized, err := httpclient.NewSender(client, httpclient.Request{Method: "GET", URL: s.URL + "/size/" + strconv.Itoa(size)}, 1, 30*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer sized.CloseIdleConnections()
			var n int64
			peak := peakHeap(func() { _, n, err = sized.Send(context.Background()) })
			if err != nil || n != size || peak > 64<<20 {
				t.Errorf("sized body: %d bytes, %v; peak heap %d MiB; want %d bytes and under 64 MiB", n, err, peak>>20, size)
			}
			endless, _ := httpclient.NewSender(client, httpclient.Request{Method: "GET", URL: s.URL + "/endless"}, 1, time.Second)
			defer endless.CloseIdleConnections()
			peak = peakHeap(func() { _, n, err = endless.Send(context.Background()) })
			if kind := results.ErrorKind(httpclient.Classify(0, err)); kind != "timeout" || peak > 64<<20 {
				t.Errorf("endless body: %v (%s) after %d bytes; peak heap %d MiB; want a timeout, under 64 MiB", err, kind, n, peak>>20)
			}
		})
	}
	t.Run("attack", func(t *testing.T) {
		a := Attack{Request: httpclient.Request{Method: "GET", URL: s.URL + "/size/" + strconv.Itoa(size)}, Pacing: Pacing{Kind: "constant"}.At(perSecond(2)),
			Duration: time.Second, MaxWorkers: 4, Timeout: 30 * time.Second, LateAfter: time.Second}
		var rep results.Repetition
		var err error
		peak := peakHeap(func() { rep, err = a.Run(context.Background(), nil) })
		if err != nil || rep.Completed != 2 || rep.ErrorCount() != 0 || peak > 64<<20 {
			t.Errorf("attack: %d sent, errors %v, %v; peak heap %d MiB; want 2 whole bodies under 64 MiB", rep.Completed, rep.Errors, err, peak>>20)
		}
	})
}
