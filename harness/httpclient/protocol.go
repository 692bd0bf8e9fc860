package httpclient

import (
	"fmt"
	"net/http"
	"strings"
)

// Protocols are the HTTP versions a request can go over: HTTP/1.1 (over
// TCP or TLS), HTTP/2 over cleartext with prior knowledge (h2c), and
// HTTP/2 over TLS (h2, negotiated by ALPN), which only net/http speaks.
// The first is the default.
var Protocols = []string{"http1", "h2c", "h2"}

// CheckProtocol refuses a protocol that is not one of Protocols, or that
// client cannot speak.
func CheckProtocol(protocol, client string) error {
	switch protocol {
	case "", "http1":
		return nil
	case "h2c", "h2":
		if client != "net/http" {
			return fmt.Errorf("%s needs the net/http client (-param http.client=net/http); fasthttp speaks HTTP/1.1 only", protocol)
		}
		return nil
	}
	return fmt.Errorf("%q: want %s", protocol, strings.Join(Protocols, ", "))
}

// protocols is what a net/http transport speaks for protocol: HTTP/1.1,
// HTTP/2 without TLS only (an http:// URL goes over h2c), or HTTP/2 over
// TLS only (a server that does not offer it by ALPN fails the request).
func protocols(protocol string) *http.Protocols {
	p := new(http.Protocols)
	switch protocol {
	case "h2c":
		p.SetUnencryptedHTTP2(true)
	case "h2":
		p.SetHTTP2(true)
	default:
		p.SetHTTP1(true)
	}
	return p
}
