package load

import (
	"context"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/target"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TestH2C sends through every path over h2c to the embedded target, which
// counts the requests that came over HTTP/2: the net/http sender, the
// open-loop attack and closed-loop users; HTTP/1.1 sends none over it.
func TestH2C(t *testing.T) {
	s, err := target.Start(target.Config{}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h2c := httpclient.Request{Method: "GET", URL: s.URL(), Protocol: "h2c"}
	send := func(r httpclient.Request, n int) {
		t.Helper()
		sender, err := httpclient.NewSender("net/http", r, 4, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer sender.CloseIdleConnections()
		for range n {
			if code, _, err := sender.Send(context.Background()); code != 200 || err != nil {
				t.Fatalf("%s: %d, %v", r.Protocol, code, err)
			}
		}
	}
	send(httpclient.Request{Method: "GET", URL: s.URL()}, 10)
	if got := s.Stats().HTTP2; got != 0 {
		t.Fatalf("HTTP/1.1: %d requests came over HTTP/2", got)
	}
	send(h2c, 10)
	if got := s.Stats().HTTP2; got != 10 {
		t.Fatalf("h2c sender: %d of 10 requests came over HTTP/2", got)
	}
	a := Attack{Request: h2c, Client: "net/http", Pacing: Pacing{Kind: "constant", Rate: vegeta.Rate{Freq: 50, Per: time.Second}},
		Duration: time.Second, MaxWorkers: 16, Timeout: time.Second, LateAfter: 5 * time.Millisecond}
	rep, err := a.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Stats().HTTP2 - 10; rep.Completed != 50 || rep.ErrorCount() != 0 || got != 50 {
		t.Errorf("h2c attack: %d completed, errors %v, %d over HTTP/2: want 50, none, 50", rep.Completed, rep.Errors, got)
	}
}
