package load

import (
	"fmt"
	"net/http"
	"strings"
)

// Protocols are the HTTP versions a request can go over: HTTP/1.1, and
// HTTP/2 over cleartext with prior knowledge (h2c), which only net/http
// speaks. The first is the default.
var Protocols = []string{"http1", "h2c"}

// CheckProtocol refuses a protocol that is not one of Protocols, or that
// client cannot speak.
func CheckProtocol(protocol, client string) error {
	switch protocol {
	case "", "http1":
		return nil
	case "h2c":
		if client != "net/http" {
			return fmt.Errorf("h2c needs the net/http client (-param http.client=net/http); fasthttp speaks HTTP/1.1 only")
		}
		return nil
	}
	return fmt.Errorf("%q: want %s", protocol, strings.Join(Protocols, " or "))
}

// protocols is what a net/http transport speaks for protocol: HTTP/1.1,
// or HTTP/2 without TLS only (an http:// URL goes over h2c).
func protocols(protocol string) *http.Protocols {
	p := new(http.Protocols)
	if protocol == "h2c" {
		p.SetUnencryptedHTTP2(true)
	} else {
		p.SetHTTP1(true)
	}
	return p
}
