// Package httpclient sends the requests of a load: what a request is
// (method, URL, headers, body, the statuses that count as success, its
// protocol and TLS), a targets file's mix of them, and the tuned clients
// that send them and count their errors by kind. The closed-loop http
// workload and the attacks of package load both send through it; it
// knows nothing of schedules or strategies.
package httpclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// NewClient returns an HTTP/1.1 client tuned for load: keep-alives, up to
// conns idle connections per host (set it to the concurrency you will use),
// no compression, and timeout per request.
func NewClient(conns int, timeout time.Duration) *http.Client {
	return newClient("http1", nil, conns, timeout)
}

// NewClientFor is NewClient speaking r's protocol, with r's TLS.
func NewClientFor(r Request, conns int, timeout time.Duration) *http.Client {
	return newClient(r.Protocol, r.TLS, conns, timeout)
}

// newClient is NewClient over protocol, one of Protocols, with tlsConfig
// (nil: the defaults).
func newClient(protocol string, tlsConfig *tls.Config, conns int, timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: min(timeout, 5*time.Second), KeepAlive: 30 * time.Second}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			DialContext:         dialer.DialContext,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
			Protocols:           protocols(protocol),
			TLSClientConfig:     tlsConfig,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// CheckURL refuses a target URL that is not absolute http(s) with a host.
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q is not an http or https URL", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q has no host", raw)
	}
	return u, nil
}

// Probe checks that url answers (any status counts) within timeout, the
// one its requests get. Its error tells a target that refuses
// connections (nothing listens there) from one that is slow to answer.
func Probe(client *http.Client, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		switch err = Unwrap(err); transportKind(err) {
		case "timeout":
			return fmt.Errorf("%s did not answer within %v (the request timeout; raise it if the target is slow)", url, timeout)
		case "connection":
			if errors.Is(err, syscall.ECONNREFUSED) {
				return fmt.Errorf("%s refused the connection: nothing listens there", url)
			}
		}
		var unknown x509.UnknownAuthorityError
		if errors.As(err, &unknown) {
			return fmt.Errorf("%s is not trusted: %v; trust its CA with -cacert (http.cacert), or skip the check with -insecure (http.insecure) for a test service", url, err)
		}
		return fmt.Errorf("%s is not reachable: %v", url, err)
	}
	return resp.Body.Close() // the headers answer; the body may be endless
}

// StatusError is an HTTP response whose status is not 2xx.
type StatusError struct{ Code int }

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// Kind counts 503s apart ("http-503"), then other 5xx and 4xx by class.
func (e *StatusError) Kind() string {
	switch {
	case e.Code == http.StatusServiceUnavailable:
		return "http-503"
	case e.Code >= 500:
		return "http-5xx"
	case e.Code >= 400:
		return "http-4xx"
	default:
		return fmt.Sprintf("http-%d", e.Code)
	}
}

// TransportError is a request that got no response.
type TransportError struct {
	Err  error
	kind string
}

func (e *TransportError) Error() string { return e.Err.Error() }
func (e *TransportError) Unwrap() error { return e.Err }

// Kind is "timeout", "connection" (refused, reset, closed) or "error".
func (e *TransportError) Kind() string { return e.kind }

// Classify wraps a request's outcome so that results.ErrorKind counts it
// by kind; nil for a 2xx.
func Classify(code int, err error) error { return Statuses{}.Classify(code, err) }

func transportKind(err error) string {
	var te interface{ Timeout() bool } // net.Error, and fasthttp's ErrTimeout, which lacks Temporary
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &te) && te.Timeout(), timeoutText(err.Error()):
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF),
		errors.Is(err, syscall.EPIPE), strings.Contains(err.Error(), "connection"):
		return "connection"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "error"
}

// timeoutText recognises a timeout in an error that reaches us as text
// only (vegeta's results carry their error as a string).
func timeoutText(msg string) bool {
	return strings.Contains(msg, "Client.Timeout exceeded") || strings.Contains(msg, "i/o timeout") ||
		strings.Contains(msg, "context deadline exceeded")
}

// Unwrap drops net/http's "Get \"url\": " prefix from a client error.
func Unwrap(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
