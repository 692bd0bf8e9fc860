package load

import (
	"testing"
	"time"

	"github.com/concbench/concbench/harness/httpclient"
)

// TestSenderOfAttack: a plain HTTP/1.1 attack through the
// default client sends from the event loop; net/http, and TLS, from
// workers.
func TestSenderOfAttack(t *testing.T) {
	for _, c := range []struct {
		client, url string
		loop        bool
	}{
		{"fasthttp", "http://127.0.0.1:1/", true},
		{"net/http", "http://127.0.0.1:1/", false},
		{"fasthttp", "https://127.0.0.1:1/", false},
	} {
		m, err := httpclient.NewMix(c.client, httpclient.Request{Method: "GET", URL: c.url}, nil, 8, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		_, loop := newHitSender(&sending{mix: m}).(*eventLoop)
		m.CloseIdleConnections()
		if loop != c.loop {
			t.Errorf("%s to %s: event loop %v, want %v", c.client, c.url, loop, c.loop)
		}
	}
}
