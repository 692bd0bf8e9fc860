package load

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/target"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TestTLS sends to an embedded target serving HTTPS with its own
// certificate: trusted through Roots or a -cacert file, each client
// speaks to it (net/http over HTTP/2 when asked); untrusted, every
// request fails on the certificate, unless Insecure.
func TestTLS(t *testing.T) {
	s, err := target.Start(target.Config{TLS: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.URL(), "https://") {
		t.Fatalf("URL %s: want https", s.URL())
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, s.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	send := func(client, protocol string, tlsOpts httpclient.TLS, n int) (ok int, lastErr error) {
		t.Helper()
		cfg, err := tlsOpts.Config()
		if err != nil {
			t.Fatal(err)
		}
		sender, err := httpclient.NewSender(client, httpclient.Request{Method: "GET", URL: s.URL(), Protocol: protocol, TLS: cfg}, 4, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer sender.CloseIdleConnections()
		for range n {
			code, _, err := sender.Send(context.Background())
			if err == nil && code == 200 {
				ok++
			} else {
				lastErr = err
			}
		}
		return ok, lastErr
	}
	for _, tc := range []struct {
		name, client, protocol string
		tls                    httpclient.TLS
		wantOK, wantHTTP2      int
	}{
		{"fasthttp trusting the target's pool", "fasthttp", "", httpclient.TLS{Roots: s.CertPool()}, 5, 0},
		{"net/http over HTTP/1.1, trusting a -cacert file", "net/http", "http1", httpclient.TLS{CAFile: caFile}, 5, 0},
		{"net/http over h2, by ALPN", "net/http", "h2", httpclient.TLS{CAFile: caFile}, 5, 5},
		{"untrusted: every request fails", "fasthttp", "", httpclient.TLS{}, 0, 0},
		{"untrusted but insecure", "fasthttp", "", httpclient.TLS{Insecure: true}, 5, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.Stats().HTTP2
			ok, err := send(tc.client, tc.protocol, tc.tls, 5)
			if ok != tc.wantOK || s.Stats().HTTP2-before != int64(tc.wantHTTP2) {
				t.Errorf("%d of 5 answered, %d over HTTP/2 (last error %v): want %d, %d", ok, s.Stats().HTTP2-before, err, tc.wantOK, tc.wantHTTP2)
			}
		})
	}
	a := Attack{Request: httpclient.Request{Method: "GET", URL: s.URL(), Protocol: "h2"}, Client: "net/http",
		Pacing:   Pacing{Kind: "constant", Rate: vegeta.Rate{Freq: 50, Per: time.Second}},
		Duration: time.Second, MaxWorkers: 16, Timeout: time.Second, LateAfter: 5 * time.Millisecond}
	a.TLS, _ = httpclient.TLS{Roots: s.CertPool()}.Config()
	before := s.Stats().HTTP2
	rep, err := a.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Stats().HTTP2 - before; rep.Completed != 50 || rep.ErrorCount() != 0 || got != 50 {
		t.Errorf("h2 attack: %d completed, errors %v, %d over HTTP/2: want 50, none, 50", rep.Completed, rep.Errors, got)
	}
	if err := httpclient.Probe(httpclient.NewClient(1, time.Second), s.URL(), time.Second); err == nil || !strings.Contains(err.Error(), "-cacert") {
		t.Errorf("probe without trust: %v, want a hint at -cacert", err)
	}
}
