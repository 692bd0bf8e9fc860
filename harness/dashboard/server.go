// Package dashboard serves a live page of a run or an attack on
// loopback: progress per cell, each second of an attack (the rate asked
// against achieved, p50, p99, errors), each cell's figures as it ends,
// and at the end the run's own report.html. The page streams a
// live.Feed over server-sent events and draws its charts itself from the
// same numbers; it is embedded in the binary and loads nothing from
// outside (its Content-Security-Policy forbids it).
package dashboard

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/concbench/concbench/harness/live"
	"github.com/concbench/concbench/harness/loopback"
)

//go:embed page
var page embed.FS

// Linger is how long Close waits at most for the pages open at the end to
// fetch the report.
const Linger = 10 * time.Second

// Server serves one feed's page. Its methods are safe for concurrent use.
type Server struct {
	feed *live.Feed
	ln   net.Listener
	srv  *http.Server

	mu       sync.Mutex
	report   string        // report.html's path, once the run is saved
	streams  int           // pages following the events now
	atDone   int           // pages that got the done event
	fetched  int           // report fetches since
	progress chan struct{} // a stream ended or a report was fetched
}

// Start serves feed's page on addr, which must be a loopback address
// ("127.0.0.1:0" for a free port). It does not block.
func Start(addr string, feed *live.Feed) (*Server, error) {
	if err := loopback.Addr(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{feed: feed, ln: ln, progress: make(chan struct{}, 1)}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", s.static("page/index.html", "text/html; charset=utf-8"))
	mux.Handle("GET /dashboard.js", s.static("page/dashboard.js", "text/javascript; charset=utf-8"))
	mux.Handle("GET /dashboard.css", s.static("page/dashboard.css", "text/css; charset=utf-8"))
	mux.HandleFunc("GET /events", s.events)
	mux.HandleFunc("GET /report", s.serveReport)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	s.srv = &http.Server{Handler: loopbackHost(mux), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go s.srv.Serve(ln) //nolint:errcheck // Serve returns ErrServerClosed after Close
	return s, nil
}

// URL is the page's address.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() + "/" }

// SetReport makes the page's report the file at path (the saved run's
// report.html); call it before the feed's done event.
func (s *Server) SetReport(path string) {
	s.mu.Lock()
	s.report = path
	s.mu.Unlock()
}

// AwaitPage waits until a page follows the events, or d has passed.
func (s *Server) AwaitPage(d time.Duration) {
	deadline := time.After(d)
	for {
		s.mu.Lock()
		open := s.streams > 0
		s.mu.Unlock()
		if open {
			return
		}
		select {
		case <-s.progress:
		case <-deadline:
			return
		}
	}
}

// Close stops serving once every page open at the end has had the done
// event and fetched the report, or after Linger; with no page open, at
// once. Call it after the feed's done event.
func (s *Server) Close() error {
	deadline := time.After(Linger)
	for {
		s.mu.Lock()
		waiting := s.streams > 0 || s.fetched < s.atDone
		s.mu.Unlock()
		if !waiting {
			break
		}
		select {
		case <-s.progress:
		case <-deadline:
			return s.stop()
		}
	}
	return s.stop()
}

// stop lets the responses under way end (the report a page just asked
// for), for a second at most, then closes every connection.
func (s *Server) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	s.srv.Shutdown(ctx) //nolint:errcheck // Close ends what is left
	return s.srv.Close()
}

func (s *Server) static(name, contentType string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := page.ReadFile(name)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-src 'self'; base-uri 'none'; form-action 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(b) //nolint:errcheck // the page went away
	})
}

// events streams the feed: the events so far, then each as it comes, as
// server-sent events named by their type, until the done event.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	past, next, cancel := s.feed.Subscribe()
	defer cancel()
	s.mu.Lock()
	s.streams++
	s.mu.Unlock()
	s.signal()
	defer func() {
		s.mu.Lock()
		s.streams--
		s.mu.Unlock()
		s.signal()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	send := func(e live.Event) bool {
		b, err := json.Marshal(e)
		if err != nil {
			return false
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, b); err != nil {
			return false
		}
		if e.Type == "done" {
			s.mu.Lock()
			s.atDone++
			s.mu.Unlock()
		}
		return true
	}
	for _, e := range past {
		if !send(e) {
			return
		}
	}
	flusher.Flush()
	for {
		select {
		case e, ok := <-next:
			if !ok {
				return // done, or this page fell behind: it reconnects and starts anew
			}
			if !send(e) {
				return
			}
			flusher.Flush()
		case <-r.Context().Done():
			return
		}
	}
}

// serveReport serves the saved run's report.html, once there is one.
func (s *Server) serveReport(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	path := s.report
	s.mu.Unlock()
	if path == "" {
		http.Error(w, "the run has not ended", http.StatusNotFound)
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		http.Error(w, "no report: "+err.Error(), http.StatusNotFound)
		return
	}
	// The report is self-contained: inline styles and SVG, no script.
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b) //nolint:errcheck // the page went away
	s.mu.Lock()
	s.fetched++
	s.mu.Unlock()
	s.signal()
}

// signal wakes Close.
func (s *Server) signal() {
	select {
	case s.progress <- struct{}{}:
	default:
	}
}

// loopbackHost refuses requests whose Host header is not a loopback
// address, so that a web page elsewhere cannot reach the dashboard by
// rebinding a name of its own to 127.0.0.1.
func loopbackHost(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		if !loopback.Host(host) {
			http.Error(w, "the dashboard answers loopback names only", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}
