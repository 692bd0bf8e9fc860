package workloads

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/isolate"

	"github.com/concbench/concbench/harness/secret"
	"golang.org/x/net/http/httpguts"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/target"
)

func init() {
	Register(Spec{
		Name:  "http",
		Doc:   "each task is one HTTP request, to -param http.target or to an embedded target started for the run",
		Tasks: 200,
		Define: func(fs *flag.FlagSet) func() (harness.Workload, error) {
			w := &httpWorkload{}
			fs.StringVar(&w.url, "target", "", "URL to request; empty: an embedded target on 127.0.0.1 (configured below)")
			fs.StringVar(&w.method, "method", http.MethodGet, "request method")
			fs.StringVar(&w.headers, "header", "", "request headers, 'Name: value; Name2: value2', or @file (one per line) or @env:NAME; the values of secret headers (Authorization, Cookie, X-Api-Key, -secret-header) are recorded as <redacted>")
			fs.StringVar(&w.body, "body", "", "request body, or @file or @env:NAME (kept out of the records)")
			fs.StringVar(&w.targetsFile, "targets", "", "a mix of requests from this file, in vegeta's http or json target format: '# name=login weight=3' before a target (json: \"name\", \"weight\") names it for a breakdown by name (a task class; login-requests and login-errors counters) and weighs it; header and body apply to each")
			fs.StringVar(&w.targetsFormat, "targets-format", "", "the targets file's format: http or json (default: json when it begins with '{')")
			fs.StringVar(&w.expectStatus, "expect-status", "2xx", "statuses that count as a success, codes and classes: 200,201 or 2xx,404; any other is an error named by its status (http-200, http-4xx)")
			fs.DurationVar(&w.timeout, "timeout", 10*time.Second, "per-request timeout")
			fs.IntVar(&w.conns, "conns", 256, "net/http client: idle connections kept per host (at least the limit you run)")
			fs.StringVar(&w.protocol, "protocol", "http1", "HTTP version: http1 (over TCP or TLS), h2c (HTTP/2 without TLS, with prior knowledge) or h2 (HTTP/2 over TLS, by ALPN); h2c and h2 need the net/http client, and the embedded target serves both (h2 with http.tls=true) (http1|h2c|h2)")
			fs.StringVar(&w.tls.CAFile, "cacert", "", "https: PEM certificates to trust instead of the system's roots")
			fs.StringVar(&w.tls.CertFile, "cert", "", "https: a client certificate, PEM (with http.key)")
			fs.StringVar(&w.tls.KeyFile, "key", "", "https: the client certificate's key, PEM")
			fs.BoolVar(&w.tls.Insecure, "insecure", false, "https: accept any server certificate (a test service's; never a real one)")
			fs.StringVar(&w.clientKind, "client", "fasthttp", "HTTP client: fasthttp (valyala/fasthttp, about 1.2x net/http's requests a second; a task cancelled without a deadline lets its request in flight run on to the timeout) or net/http (a cancelled task's request stops at once) (fasthttp|net/http)")
			w.retry = defineRetry(fs)
			embedded := target.Flags(fs, 5*time.Millisecond)
			return func() (harness.Workload, error) {
				cfg, err := embedded()
				if err != nil && w.url == "" {
					param, problem, _ := strings.Cut(err.Error(), ": ")
					return nil, badParam(param, "%s", problem)
				}
				w.cfg = cfg
				return w, w.start()
			}
		},
	})
}

// httpWorkload requests one URL per task through one shared client.
type httpWorkload struct {
	url, method, headers, body string
	expectStatus, protocol     string
	expect                     httpclient.Statuses // parsed from expectStatus
	clientKind                 string
	tls                        httpclient.TLS
	tlsConfig                  *tls.Config // from tls, with the embedded target's certificate trusted
	timeout                    time.Duration
	conns                      int
	cfg                        target.Config
	retry                      *retryPolicy
	header                     http.Header // parsed from headers, read from its source
	payload                    string      // the body, read from its source
	targetsFile, targetsFormat string
	targets                    []httpclient.Target // read from targetsFile
	mix                        *httpclient.Mix     // the request, or the targets

	server *target.Server // the embedded target, if any
}

var _ io.Closer = (*httpWorkload)(nil)

// start validates the parameters, starts the embedded target when no URL
// is given, and checks that the target answers.
func (w *httpWorkload) start() error {
	switch {
	case w.timeout <= 0 || w.timeout > harness.MaxLatency:
		return badParam("timeout", "%v is out of range (0, %v]", w.timeout, harness.MaxLatency)
	case w.conns < 1 || w.conns > 65536:
		return badParam("conns", "%d is out of range 1..65536", w.conns)
	case !validMethod(w.method):
		return badParam("method", "%q is not an HTTP method", w.method)
	}
	if err := w.retry.validate(); err != nil {
		return err
	}
	headers, err := fromSource(w.headers)
	if err != nil {
		return badParam("header", "%v", err)
	}
	h, err := parseHeaders(headers, strings.HasPrefix(w.headers, "@") && !strings.HasPrefix(w.headers, "@env:"))
	if err != nil {
		return badParam("header", "%v", err)
	}
	w.header = h
	if w.expect, err = httpclient.ParseStatuses(w.expectStatus); err != nil {
		return badParam("expect-status", "%v", err)
	}
	if err := httpclient.CheckProtocol(w.protocol, w.clientKind); err != nil {
		return badParam("protocol", "%v", err)
	}
	if w.payload, err = fromSource(w.body); err != nil {
		return badParam("body", "%v", err)
	}
	if err := w.readTargets(); err != nil {
		return err
	}
	if w.url == "" {
		if w.server, err = target.Start(w.cfg, ""); err != nil {
			return fmt.Errorf("starting the embedded target: %v", err)
		}
		w.url = w.server.URL()
	} else if _, err := httpclient.CheckURL(w.url); err != nil {
		return badParam("target", "%v", err)
	}
	if err := w.startTLS(); err != nil {
		w.Close()
		return err
	}
	if w.mix, err = httpclient.NewMix(w.clientKind, w.Request(), w.targets, w.conns, w.timeout); err != nil {
		w.Close()
		return badParam("client", "%v", err)
	}
	if os.Getenv(isolate.ChildEnv) == "1" {
		return nil // an isolated cell: the run probed the target once, before its cells
	}
	probe := httpclient.NewClientFor(w.Request(), 1, w.timeout)
	defer probe.CloseIdleConnections()
	if err := httpclient.Probe(probe, w.url, w.timeout); err != nil {
		w.Close()
		return badParam("target", "%v", err)
	}
	return nil
}

// readTargets reads the targets file, if any; without a target URL, the
// requests go to the file's (the first is probed), not to an embedded
// target.
func (w *httpWorkload) readTargets() error {
	if w.targetsFile == "" {
		if w.targetsFormat != "" {
			return badParam("targets-format", "give it with targets")
		}
		return nil
	}
	f, err := os.Open(w.targetsFile)
	if err != nil {
		return badParam("targets", "%v", err)
	}
	defer f.Close()
	if w.targets, err = httpclient.ReadTargets(f, w.targetsFormat); err != nil {
		return badParam("targets", "%s: %v", w.targetsFile, err)
	}
	if w.url == "" {
		w.url = w.targets[0].URL
	}
	return nil
}

// Targets are the requests the workload mixes; nil for one request.
func (w *httpWorkload) Targets() []httpclient.Target { return w.targets }

// startTLS reads the TLS parameters, trusting the embedded target's own
// certificate beside them, and refuses h2 to a target without TLS.
func (w *httpWorkload) startTLS() error {
	https := strings.HasPrefix(w.url, "https://")
	if w.protocol == "h2" && !https {
		return badParam("protocol", "h2 is HTTP/2 over TLS: give an https:// target, or http.tls=true for the embedded target (h2c is HTTP/2 without TLS)")
	}
	if !https {
		return nil
	}
	t := w.tls
	if w.server != nil {
		t.Roots = w.server.CertPool()
	}
	var err error
	w.tlsConfig, err = t.Config()
	return err // names its parameter: cacert, cert or key
}

// Close stops the embedded target, if any, and the client's idle connections.
func (w *httpWorkload) Close() error {
	if w.mix != nil {
		w.mix.CloseIdleConnections()
	}
	if w.server != nil {
		return w.server.Close()
	}
	return nil
}

func (w *httpWorkload) Batch(n, _ int) (harness.Batch, error) {
	b := harness.Batch{Cost: harness.Cost{Units: n}}
	if w.server != nil { // only the embedded target's cost is known
		b.Cost.Wait = time.Duration(n) * w.cfg.Latency.Median
		b.Cost.Compute = time.Duration(n) * w.cfg.CPU
		b.Cost.Critical = w.cfg.Latency.Median + w.cfg.CPU
	}
	one := w.request // every task the same: made once
	send := func(int) harness.Task { return one }
	if len(w.targets) > 1 { // each task sends the next target of the mix, a class of its own
		counts, mix := httpclient.NewTargetCounts(w.mix), w.mix.Fresh()
		targetOf := make([]uint16, n) // 2 bytes a task (targetIndex)
		for i := range targetOf {
			targetOf[i] = uint16(mix.Next())
		}
		b.Class = func(i int) string { return w.mix.Name(int(targetOf[i])) }
		send = func(i int) harness.Task {
			return func(ctx context.Context, _ harness.Exec) error {
				code, _, err := w.mix.Send(ctx, int(targetOf[i]))
				err = w.expect.Classify(code, err)
				counts.Add(int(targetOf[i]), err != nil)
				return err
			}
		}
		b.Counters = func() map[string]float64 { return counts.Counters() }
	}
	if w.retry.attempts == 1 {
		b.Task = send
		return b, nil
	}
	counts := &retryCounts{}
	b.Task = func(i int) harness.Task {
		task := send(i)
		return func(ctx context.Context, x harness.Exec) error {
			return w.retry.do(ctx, counts, func() error { return task(ctx, x) })
		}
	}
	targets := b.Counters
	b.Counters = func() map[string]float64 {
		out := counts.counters(n)
		if targets != nil {
			maps.Copy(out, targets())
		}
		return out
	}
	return b, nil
}

// Request is what each task sends, for open-loop attacks on the same target.
func (w *httpWorkload) Request() httpclient.Request {
	return httpclient.Request{Method: w.method, URL: w.url, Header: w.header, Body: []byte(w.payload), Expect: w.expect, Protocol: w.protocol, TLS: w.tlsConfig}
}

// request sends the one request and reads the whole response.
func (w *httpWorkload) request(ctx context.Context, _ harness.Exec) error {
	code, _, err := w.mix.Send(ctx, 0)
	return w.expect.Classify(code, err)
}

func validMethod(m string) bool {
	return m != "" && strings.IndexFunc(m, func(r rune) bool { return r < 'A' || r > 'Z' }) < 0
}

// parseHeaders reads "Name: value; Name2: value2", or one header a line
// (a file's). A header that is not a valid field name and value (a CR or
// LF inside, which would smuggle in another header) is refused; the
// problem shows the name, never a secret's value.
func parseHeaders(s string, lines bool) (http.Header, error) {
	h := http.Header{}
	sep := ";"
	if lines {
		sep = "\n"
	}
	for _, part := range strings.Split(s, sep) {
		if part = strings.Trim(part, " \t\r"); part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok || k == "":
			return nil, fmt.Errorf("%q: want 'Name: value'", secret.Redact(part))
		case !httpguts.ValidHeaderFieldName(k):
			return nil, fmt.Errorf("%q is not a valid header name", k)
		case !httpguts.ValidHeaderFieldValue(v):
			return nil, fmt.Errorf("%s: the value holds a control character (CR, LF), which would smuggle in another header", k)
		}
		h.Add(k, v)
	}
	return h, nil
}

// fromSource reads a parameter given as @file or @env:NAME, so that a
// credential need not sit in a command line or a scenario; any other value
// is itself.
func fromSource(v string) (string, error) {
	ref, ok := strings.CutPrefix(v, "@")
	if !ok {
		return v, nil
	}
	if name, ok := strings.CutPrefix(ref, "env:"); ok {
		val, set := os.LookupEnv(name)
		if !set {
			return "", fmt.Errorf("environment variable %s is not set", name)
		}
		return val, nil
	}
	f, err := os.Open(ref)
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSourceSize+1))
	if err != nil {
		return "", err
	}
	if len(data) > maxSourceSize {
		return "", fmt.Errorf("%s is larger than %d MiB", ref, maxSourceSize>>20)
	}
	return string(data), nil
}

// maxSourceSize bounds a header or body file: each request carries it.
const maxSourceSize = 16 << 20

// UnusedParams are the embedded target's settings when the requests go to
// a target of the user's, and conns under fasthttp.
func (w *httpWorkload) UnusedParams() []string {
	var unused []string
	if w.clientKind != "net/http" {
		unused = append(unused, "conns")
	}
	if !strings.HasPrefix(w.url, "https://") {
		unused = append(unused, "cacert", "cert", "key", "insecure")
	}
	if w.server != nil {
		return unused
	}
	return append(unused, target.FlagNames()...)
}

// Footprint is a request, a response and their buffers per task.
func (w *httpWorkload) Footprint(n int) (int64, int64) { return int64(n), 8 << 10 }

// targetIndex is as wide as a task's target index in a batch: every
// target of a file (at most httpclient.MaxTargets) fits.
const targetIndex uint16 = httpclient.MaxTargets
