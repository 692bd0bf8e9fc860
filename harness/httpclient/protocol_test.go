package httpclient

import (
	"strings"
	"testing"
	"time"
)

func TestCheckProtocol(t *testing.T) {
	for _, tc := range []struct{ protocol, client, want string }{
		{"", "fasthttp", ""}, {"http1", "fasthttp", ""}, {"h2c", "net/http", ""},
		{"h2c", "fasthttp", "h2c needs the net/http client"},
		{"h2", "net/http", ""}, {"h2", "fasthttp", "h2 needs the net/http client"},
		{"h3", "net/http", `"h3": want http1, h2c, h2`},
	} {
		err := CheckProtocol(tc.protocol, tc.client)
		if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckProtocol(%q, %q) = %v, want %q", tc.protocol, tc.client, err, tc.want)
		}
	}
	if _, err := NewSender("fasthttp", Request{Method: "GET", URL: "http://127.0.0.1:1/", Protocol: "h2c"}, 1, time.Second); err == nil {
		t.Error("a fasthttp sender over h2c was made")
	}
}
