package loopback

import "testing"

func TestAddr(t *testing.T) {
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:0", true},       // the default
		{"127.1.2.3:8080", true},    // all of 127.0.0.0/8
		{"[::1]:0", true},           // IPv6 loopback
		{"localhost:9000", true},    // the name
		{"0.0.0.0:0", false},        // every interface
		{":0", false},               // every interface, implied
		{"192.0.2.1:80", false},     // another machine
		{"example.com:80", false},   // a name that may resolve anywhere
		{"127.0.0.1", false},        // no port
		{"localhost.evil:1", false}, // a name that only looks local
	} {
		if err := Addr(tc.addr); (err == nil) != tc.ok {
			t.Errorf("%q: %v, want ok %v", tc.addr, err, tc.ok)
		}
	}
}
