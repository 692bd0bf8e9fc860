// Package target is an HTTP server to load: a stand-in for a downstream
// service whose latency, CPU cost, response size, error rate and capacity
// are set when it starts and may be overridden per request.
//
// Beyond its capacity (requests in flight) it answers 503 at once, like a
// service that breaks when too many callers arrive. It listens on loopback
// only.
package target

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"github.com/concbench/concbench/harness/loopback"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness/dist"
)

// Config is how the target behaves. The zero value answers at once with an
// empty 200 and no capacity limit.
type Config struct {
	Latency   dist.Dist     // time to wait before answering; zero Median: none
	CPU       time.Duration // CPU time burned per request
	Size      int           // response body bytes
	ErrorRate float64       // fraction of requests answered 500
	Capacity  int           // requests in flight beyond which it answers 503; 0: no limit
	// TLS serves HTTPS (HTTP/1.1 and HTTP/2 by ALPN) with a certificate
	// made at start, signed by its own key: see Server.CertPool.
	TLS bool
}

// Validate reports the first bad field, named as the flags name it.
func (c Config) Validate() error {
	switch {
	case c.Latency.Median < 0 || c.Latency.Median > dist.MaxLatency:
		return fmt.Errorf("latency: %v is out of range [0, %v]", c.Latency.Median, dist.MaxLatency)
	case c.CPU < 0 || c.CPU > time.Minute:
		return fmt.Errorf("cpu: %v is out of range [0, 1m]", c.CPU)
	case c.Size < 0 || c.Size > 64<<20:
		return fmt.Errorf("size: %d is out of range 0..%d", c.Size, 64<<20)
	case math.IsNaN(c.ErrorRate) || c.ErrorRate < 0 || c.ErrorRate > 1:
		return fmt.Errorf("error-rate: %v is out of range [0, 1]", c.ErrorRate)
	case c.Capacity < 0:
		return fmt.Errorf("capacity: %d must be >= 0", c.Capacity)
	}
	shape := c.Latency
	if shape.Median == 0 { // answers at once: a shape given must still be one
		shape.Median = time.Millisecond
		if shape.Kind == "" {
			shape.Kind = "constant" // the zero Config
		}
	}
	return shape.Validate()
}

// Stats counts what the target answered.
type Stats struct {
	Served, Rejected, Failed int64 // 2xx, 503 over capacity, 500 by error rate
	PeakInFlight             int64
	HTTP2                    int64 // requests that came over HTTP/2 (h2c, or h2 over TLS)
}

// Server is a running target. It is safe for concurrent use.
type Server struct {
	cfg      Config
	srv      *http.Server
	ln       net.Listener
	body     []byte
	inflight atomic.Int64
	peak     atomic.Int64
	served   atomic.Int64
	rejected atomic.Int64
	failed   atomic.Int64
	http2    atomic.Int64
	closing  chan struct{}
	cert     *x509.Certificate // with Config.TLS
}

// Start validates cfg and serves it on addr ("" for a free port on
// 127.0.0.1). Only loopback addresses are accepted.
func Start(cfg Config, addr string) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := loopback.Addr(addr); err != nil {
		return nil, fmt.Errorf("addr: %v", err)
	}
	host, _, _ := net.SplitHostPort(addr)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("addr: %v", err) // named by its flag, not by the system call ("listen tcp ...")
	}
	s := &Server{cfg: cfg, ln: ln, body: make([]byte, cfg.Size), closing: make(chan struct{})}
	for i := range s.body {
		s.body[i] = 'x'
	}
	// ErrorLog: a load target logs nothing per connection (a client that
	// closes a connection it dialled ahead, unused, is no error).
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, Protocols: new(http.Protocols), ErrorLog: log.New(io.Discard, "", 0)}
	s.srv.Protocols.SetHTTP1(true)
	if !cfg.TLS {
		s.srv.Protocols.SetUnencryptedHTTP2(true) // h2c with prior knowledge, beside HTTP/1.1
		go s.srv.Serve(ln)                        //nolint:errcheck // Serve returns ErrServerClosed after Close
		return s, nil
	}
	pair, cert, err := selfSigned(host)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("tls: making a certificate: %v", err)
	}
	s.cert = cert
	s.srv.Protocols.SetHTTP2(true) // offered by ALPN beside HTTP/1.1
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	go s.srv.ServeTLS(ln, "", "") //nolint:errcheck // ServeTLS returns ErrServerClosed after Close
	return s, nil
}

// URL is the target's base URL, e.g. http://127.0.0.1:41234/, or
// https:// when it serves TLS.
func (s *Server) URL() string {
	scheme := "http"
	if s.cert != nil {
		scheme = "https"
	}
	return scheme + "://" + s.ln.Addr().String() + "/"
}

// Stats returns the counts so far.
func (s *Server) Stats() Stats {
	return Stats{Served: s.served.Load(), Rejected: s.rejected.Load(), Failed: s.failed.Load(), PeakInFlight: s.peak.Load(), HTTP2: s.http2.Load()}
}

// Close stops the target at once; requests waiting out their latency end.
func (s *Server) Close() error {
	close(s.closing)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return s.srv.Close()
}

// ServeHTTP answers one request: 503 at once over capacity, otherwise after
// its latency and CPU cost, 500 at the error rate, else 200 with the body.
// Query parameters latency, cpu, size and error override the config.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ProtoMajor == 2 {
		s.http2.Add(1)
	}
	n := s.inflight.Add(1)
	defer s.inflight.Add(-1)
	for p := s.peak.Load(); n > p && !s.peak.CompareAndSwap(p, n); p = s.peak.Load() {
	}
	if s.cfg.Capacity > 0 && n > int64(s.cfg.Capacity) {
		s.rejected.Add(1)
		http.Error(w, "over capacity", http.StatusServiceUnavailable)
		return
	}
	cfg, err := s.cfg.override(r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if cfg.Latency.Median > 0 {
		t := time.NewTimer(cfg.Latency.Draw(nil))
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.closing:
			t.Stop()
			return
		}
	}
	burn(cfg.CPU)
	if cfg.ErrorRate > 0 && rand.Float64() < cfg.ErrorRate {
		s.failed.Add(1)
		http.Error(w, "injected error", http.StatusInternalServerError)
		return
	}
	s.served.Add(1)
	w.Header().Set("Content-Length", strconv.Itoa(cfg.Size))
	w.Write(s.body[:min(cfg.Size, len(s.body))]) //nolint:errcheck // the client may be gone
	if cfg.Size > len(s.body) {
		w.Write(make([]byte, cfg.Size-len(s.body))) //nolint:errcheck
	}
}

// override applies query parameters to a copy of c.
func (c Config) override(q url.Values) (Config, error) {
	if v := q.Get("latency"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, fmt.Errorf("latency: %v", err)
		}
		c.Latency.Median = d
		if c.Latency.Kind == "" {
			c.Latency.Kind = "constant"
		}
	}
	if v := q.Get("cpu"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, fmt.Errorf("cpu: %v", err)
		}
		c.CPU = d
	}
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return c, fmt.Errorf("size: %v", err)
		}
		c.Size = n
	}
	if v := q.Get("error"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return c, fmt.Errorf("error: %v", err)
		}
		c.ErrorRate = f
	}
	c.Capacity = 0 // capacity is the server's, not the request's
	return c, c.Validate()
}

// burn spends d of CPU time hashing, checking the clock every 64 rounds.
func burn(d time.Duration) {
	if d <= 0 {
		return
	}
	var buf [64]byte
	for start := time.Now(); time.Since(start) < d; {
		for range 64 {
			sum := sha256.Sum256(buf[:])
			copy(buf[:], sum[:])
		}
	}
}
