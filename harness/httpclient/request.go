package httpclient

import (
	"crypto/tls"
	"net/http"
)

// Request is the request a load sends.
type Request struct {
	Method, URL string
	Header      http.Header
	Body        []byte
	// Expect are the statuses that count as a success; the zero value
	// expects any 2xx.
	Expect Statuses
	// Protocol is one of Protocols; empty is HTTP/1.1.
	Protocol string
	// TLS checks and authenticates https connections; nil: the defaults
	// (the system's roots, no client certificate). See TLS.Config.
	TLS *tls.Config
}

// A RequestSource is a workload that says what an attack or users send:
// the http workload, whose parameters set the request or a mix of
// targets.
type RequestSource interface {
	Request() Request
	Targets() []Target // nil: Request alone
}
