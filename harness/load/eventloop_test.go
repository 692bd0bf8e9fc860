package load

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/results"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// clients are the HTTP clients open-loop tests run through: the default
// sends from the event loop on Linux, net/http from workers.
var clients = []string{"fasthttp", "net/http"}

// TestAttackReadsEveryFraming attacks a server that answers in each of
// HTTP/1.1's framings (a length, chunks, to the connection's end, no
// body, an interim 100 first) and one that ends each connection: every
// request counts as answered, with its body's bytes, through either
// sender.
func TestAttackReadsEveryFraming(t *testing.T) {
	body := strings.Repeat("x", 100_000)
	framings := map[string]http.HandlerFunc{
		"length": func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) },
		"chunked": func(w http.ResponseWriter, r *http.Request) {
			for range 10 {
				fmt.Fprint(w, body[:10_000])
				w.(http.Flusher).Flush()
			}
		},
		"until close": func(w http.ResponseWriter, r *http.Request) {
			conn, rw, _ := w.(http.Hijacker).Hijack()
			defer conn.Close()
			fmt.Fprintf(rw, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n%s", body)
			rw.Flush()
		},
		"no content": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) },
		"interim": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusContinue)
			fmt.Fprint(w, body)
		},
		"connection close": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Connection", "close")
			fmt.Fprint(w, body)
		},
	}
	for name, h := range framings {
		srv := httptest.NewServer(h)
		for _, client := range clients {
			a := constantAttack(srv.URL, 100, 200*time.Millisecond, 64)
			a.Client, a.LateAfter = client, 50*time.Millisecond
			var in bytesIn
			rep, err := a.Run(context.Background(), &in)
			if err != nil {
				t.Fatal(err)
			}
			want := uint64(len(body))
			if name == "no content" {
				want = 0
			}
			if rep.Completed != 20 || rep.ErrorCount() != 0 || in.n != want*20 {
				t.Errorf("%s through %s: completed %d, errors %v, %d bytes in; want 20, none, %d", name, client, rep.Completed, rep.Errors, in.n, want*20)
			}
		}
		srv.Close()
	}
}

// bytesIn is an Output that counts the bytes of the bodies received.
type bytesIn struct{ n uint64 }

func (b *bytesIn) Result(r *vegeta.Result) error { b.n += r.BytesIn; return nil }
func (b *bytesIn) Interval(results.Interval, time.Time, *results.Histogram) error {
	return nil
}

// TestAttackSendsAgainOnAClosedKeptAliveConnection: a server that
// answers the first request of each connection and closes the connection
// on the second, unanswered (as a server closing an idle connection just
// as a request arrives does), makes every second request meet a closed
// connection. An idempotent request is sent again on a new one, and none
// fails, through either sender.
func TestAttackSendsAgainOnAClosedKeptAliveConnection(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]bool{} // connections that were answered once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		again := seen[r.RemoteAddr]
		seen[r.RemoteAddr] = true
		mu.Unlock()
		if again {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	for _, client := range clients {
		a := constantAttack(srv.URL, 50, 500*time.Millisecond, 1) // one connection at a time
		a.Client, a.LateAfter = client, 100*time.Millisecond
		rep, err := a.Run(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Completed != 25 || rep.ErrorCount() != 0 {
			t.Errorf("%s: completed %d, errors %v; want 25, none", client, rep.Completed, rep.Errors)
		}
	}
	if len(seen) < 40 {
		t.Errorf("%d connections, want about 50: the server did not close them", len(seen))
	}
}

// TestAttackTimesOut: requests to a target slower than their timeout fail
// as timeouts, at about the timeout, through either sender.
func TestAttackTimesOut(t *testing.T) {
	s := slowTarget(t, time.Second)
	for _, client := range clients {
		a := constantAttack(s.URL(), 20, 500*time.Millisecond, 64)
		a.Client, a.Timeout = client, 100*time.Millisecond
		began := time.Now()
		rep, err := a.Run(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Completed != 10 || rep.Errors["timeout"] != 10 {
			t.Errorf("%s: completed %d, errors %v; want 10 timeouts", client, rep.Completed, rep.Errors)
		}
		if took := time.Since(began); took > 900*time.Millisecond {
			t.Errorf("%s: took %v, want about 600 ms (the schedule, then the timeout)", client, took)
		}
	}
}

// TestAttackOnAClosedPort: every request to a port where nothing listens
// fails as a refused connection, and the attack ends on time.
func TestAttackOnAClosedPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String() + "/"
	l.Close()
	for _, client := range clients {
		a := constantAttack(url, 100, 300*time.Millisecond, 64)
		a.Client = client
		rep, err := a.Run(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Completed != 30 || rep.Errors["connection"] != 30 {
			t.Errorf("%s: completed %d, errors %v; want 30 refused connections", client, rep.Completed, rep.Errors)
		}
	}
}

// TestEventLoopIsLean: at 2,000 requests a second to a zero-latency
// target, the event loop allocates next to nothing a request (the
// attack's tally, histograms and a second's intervals included).
func TestEventLoopIsLean(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the event loop is Linux's")
	}
	s := slowTarget(t, 0)
	a := Attack{Request: httpclient.Request{Method: "GET", URL: s.URL()}, Pacing: Pacing{Kind: "constant", Rate: vegeta.Rate{Freq: 2000, Per: time.Second}},
		Duration: time.Second, MaxWorkers: 64, Timeout: 5 * time.Second, LateAfter: 50 * time.Millisecond}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rep, err := a.Run(context.Background(), nil)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	// The embedded target in this process allocates for each request it serves too (net/http's server: about 20).
	perRequest := float64(after.Mallocs-before.Mallocs) / float64(rep.Completed)
	t.Logf("%.1f allocations a request, the target's included", perRequest)
	if rep.Completed != 2000 || perRequest > 40 {
		t.Errorf("completed %d, %.1f allocations a request: want 2000, under 40", rep.Completed, perRequest)
	}
}
