package workloads

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/strategy"
	"github.com/concbench/concbench/harness/target"
)

// TestLimitedDownstream is the classic: a downstream of capacity 4 taking
// 50 ms breaks under 32 unbounded callers (503s) and serves every request
// of a semaphore or pool bounded to 4.
func TestLimitedDownstream(t *testing.T) {
	params := map[string]string{"capacity": "4", "latency": "50ms"}
	cells := measure(t, "http", params, 32, 4, 1, strategy.Unbounded{}, strategy.Semaphore{}, strategy.Pool{})
	if n := cells[0].Summary.Errors["http-503"]; n == 0 {
		t.Errorf("unbounded: no 503 from a downstream of capacity 4 at 32 in flight (errors %v)", cells[0].Summary.Errors)
	}
	for _, c := range cells[1:] {
		checkClean(t, c)
	}
}

func TestHTTPRejectsBadTargets(t *testing.T) {
	spec, _ := Lookup("http")
	tests := []struct {
		params map[string]string
		want   string
	}{
		{map[string]string{"target": "ftp://127.0.0.1/"}, `param http.target: "ftp://127.0.0.1/" is not an http or https URL`},
		{map[string]string{"target": "http://127.0.0.1:1/"}, "param http.target: http://127.0.0.1:1/ refused the connection: nothing listens there"},
		{map[string]string{"method": "get"}, `param http.method: "get" is not an HTTP method`},
		{map[string]string{"header": "nocolon"}, `param http.header: "nocolon": want 'Name: value'`},
		{map[string]string{"header": "X-A: 1\r\nX-Injected: 2"}, "param http.header: X-A: the value holds a control character"},
		{map[string]string{"header": "X A: 1"}, `param http.header: "X A" is not a valid header name`},
		{map[string]string{"header": "@env:CONCBENCH_TEST_UNSET"}, "param http.header: environment variable CONCBENCH_TEST_UNSET is not set"},
		{map[string]string{"body": "@/nonexistent/body.json"}, "param http.body: open /nonexistent/body.json"},
		{map[string]string{"target": "http://127.0.0.1:1/\r\nX: y"}, "param http.target: parse"},
		{map[string]string{"capacity": "-3"}, "param http.capacity: -3 must be >= 0"},
		{map[string]string{"dist": "pareto"}, `param http.dist: "pareto" is not one of constant, uniform, lognormal`},
		{map[string]string{"protocol": "h2", "client": "net/http"}, "param http.protocol: h2 is HTTP/2 over TLS: give an https:// target"},
		{map[string]string{"tls": "true", "cacert": "/nonexistent/ca.pem"}, "param http.cacert: /nonexistent/ca.pem: no such file"},
		{map[string]string{"tls": "true", "cert": "/nonexistent/c.pem"}, "param http.key: a client certificate (cert) needs its key"},
	}
	for _, tt := range tests {
		_, err := spec.Build("http", tt.params, 1)
		var in *input.Error
		if !errors.As(err, &in) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Build(%v) = %v, want %q", tt.params, err, tt.want)
		}
	}
}

// TestProbeWaitsAsLongAsARequest points http at a target that answers in
// 1.5 s: with a 5 s request timeout it is reachable, with 500 ms it is
// slow, which the error says apart from refused.
func TestProbeWaitsAsLongAsARequest(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(1500 * time.Millisecond):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	spec, _ := Lookup("http")
	w, err := spec.Build("http", map[string]string{"target": slow.URL, "timeout": "5s"}, 1)
	if err != nil {
		t.Fatalf("a target answering in 1.5 s with a 5 s timeout: %v", err)
	}
	w.Workload.(io.Closer).Close()
	_, err = spec.Build("http", map[string]string{"target": slow.URL, "timeout": "500ms"}, 1)
	if err == nil || !strings.Contains(err.Error(), "did not answer within 500ms") {
		t.Errorf("a target slower than the timeout: %v; want 'did not answer within 500ms'", err)
	}
}

// TestHTTPHeadersAndBodyFromSources reads headers from a file (one a
// line) and the body from the environment: neither sits in the recorded
// parameters, which hold only the references.
func TestHTTPHeadersAndBodyFromSources(t *testing.T) {
	file := filepath.Join(t.TempDir(), "headers")
	if err := os.WriteFile(file, []byte("Authorization: Bearer s3cr3t\r\nX-Trace: 7; 8\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CONCBENCH_TEST_BODY", `{"token":"b0dy"}`)
	spec, _ := Lookup("http")
	w, err := spec.Build("http", map[string]string{"header": "@" + file, "body": "@env:CONCBENCH_TEST_BODY", "method": "POST"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Workload.(io.Closer).Close()
	if w.Params["body"] != "@env:CONCBENCH_TEST_BODY" || w.Params["header"] != "@"+file {
		t.Errorf("recorded params %v: want the references, not what they hold", w.Params)
	}
	r := w.Workload.(interface{ Request() httpclient.Request }).Request()
	if got := r.Header.Get("Authorization"); got != "Bearer s3cr3t" {
		t.Errorf("Authorization = %q, want the file's", got)
	}
	if got := r.Header.Get("X-Trace"); got != "7; 8" {
		t.Errorf("X-Trace = %q: a file holds one header a line, ';' included", got)
	}
	if string(r.Body) != `{"token":"b0dy"}` {
		t.Errorf("body = %q, want the environment variable's", r.Body)
	}
}

// TestExternalTargetRecordsOnlyWhatApplies points http at a target of the
// user's (an embedded one, started apart): the embedded target's settings
// do not apply and are left out of the recorded parameters, and so out of
// chart titles.
func TestExternalTargetRecordsOnlyWhatApplies(t *testing.T) {
	s, err := target.Start(target.Config{}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	spec, _ := Lookup("http")
	w, err := spec.Build("http", map[string]string{"target": s.URL()}, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Workload.(io.Closer).Close()
	for _, name := range target.FlagNames() {
		if _, ok := w.Params[name]; ok {
			t.Errorf("parameter %s of the embedded target is recorded for an external one", name)
		}
	}
	if w.Params["target"] != s.URL() || w.Params["method"] != "GET" {
		t.Errorf("params %v", w.Params)
	}
	own, _ := spec.Build("http", nil, 1)
	defer own.Workload.(io.Closer).Close()
	if own.Params["latency"] == "" {
		t.Errorf("the embedded target's settings are missing: %v", own.Params)
	}
}

// TestRetryStorm retries against a downstream of capacity 4: 32 unbounded
// callers get 503s and retry them, sending well over one request per
// task (a storm); a semaphore of 4 gets no 503 and sends exactly one.
func TestRetryStorm(t *testing.T) {
	params := map[string]string{"capacity": "4", "latency": "20ms", "retry-attempts": "8", "retry-base": "5ms", "retry-cap": "100ms"}
	cells := measure(t, "http", params, 32, 4, 1, strategy.Unbounded{}, strategy.Semaphore{})
	storm, calm := cells[0].Summary.Counters, cells[1].Summary.Counters
	if storm["amplification"] < 1.5 || storm["attempts-max"] < 3 || storm["requests"] != 32*storm["amplification"] {
		t.Errorf("unbounded with retries: counters %v, want amplification >= 1.5 and a task retried at least twice", storm)
	}
	if calm["amplification"] != 1 || calm["attempts-max"] != 1 {
		t.Errorf("semaphore 4 with retries: counters %v, want one request a task", calm)
	}
	checkClean(t, cells[1])
}

// TestHTTPClientsAgree sends through each client the same request and the
// same failures: both deliver the method, headers and body, and both name
// a 5xx, a timeout, a task's deadline and a closed target alike.
func TestHTTPClientsAgree(t *testing.T) {
	var got atomic.Value
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Slow") != "" { // the probe sends no header
			time.Sleep(300 * time.Millisecond)
		}
		body, _ := io.ReadAll(r.Body)
		got.Store(fmt.Sprintf("%s %s %s %s", r.Method, r.URL.RequestURI(), r.Header.Get("X-Run"), body))
	}))
	defer echo.Close()
	spec, _ := Lookup("http")
	send := func(t *testing.T, params map[string]string, ctx context.Context) string {
		t.Helper()
		w, err := spec.Build("http", params, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Workload.(io.Closer).Close()
		b, err := w.Workload.Batch(1, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.TaskAt(0)(ctx, nil); err != nil {
			return results.ErrorKind(err)
		}
		return "ok"
	}
	for _, client := range httpclient.Clients {
		t.Run(client, func(t *testing.T) {
			bg := context.Background()
			params := map[string]string{"client": client, "target": echo.URL + "/a/../b?q=1", "method": "POST", "header": "X-Run: 7", "body": "hello"}
			if kind := send(t, params, bg); kind != "ok" || got.Load() != "POST /a/../b?q=1 7 hello" {
				t.Errorf("sent %v (%s), want POST /a/../b?q=1 7 hello", got.Load(), kind)
			}
			if kind := send(t, map[string]string{"client": client, "latency": "0s", "error-rate": "1"}, bg); kind != "http-5xx" {
				t.Errorf("a 500: %s", kind)
			}
			slow := map[string]string{"client": client, "target": echo.URL, "header": "X-Slow: 1"}
			if kind := send(t, map[string]string{"client": client, "target": echo.URL, "header": "X-Slow: 1", "timeout": "30ms"}, bg); kind != "timeout" {
				t.Errorf("past http.timeout: %s", kind)
			}
			ctx, cancel := context.WithTimeout(bg, 30*time.Millisecond)
			defer cancel()
			if kind := send(t, slow, ctx); kind != "timeout" {
				t.Errorf("past the task's deadline: %s", kind)
			}
			gone := httptest.NewServer(http.NotFoundHandler())
			w, err := spec.Build("http", map[string]string{"client": client, "target": gone.URL}, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Workload.(io.Closer).Close()
			gone.Close() // after the probe: the requests find no one
			b, _ := w.Workload.Batch(1, 1)
			if kind := results.ErrorKind(b.TaskAt(0)(bg, nil)); kind != "connection" {
				t.Errorf("a closed target: %s", kind)
			}
		})
	}
	if _, err := spec.Build("http", map[string]string{"client": "curl"}, 1); err == nil || !strings.Contains(err.Error(), `param http.client: "curl": want fasthttp or net/http`) {
		t.Errorf("client curl: %v", err)
	}
}

// TestExpectedStatusesDecideSuccess: against a downstream of capacity 1
// under 8 callers, the 503s are errors by default, and successes when
// the run expects them; expecting only 201 makes the 200s errors.
func TestExpectedStatusesDecideSuccess(t *testing.T) {
	params := map[string]string{"capacity": "1", "latency": "20ms"}
	byDefault := measure(t, "http", params, 8, 8, 1, strategy.Unbounded{})[0]
	params["expect-status"] = "2xx,503"
	with503 := measure(t, "http", params, 8, 8, 1, strategy.Unbounded{})[0]
	params["expect-status"] = "201"
	only201 := measure(t, "http", params, 8, 8, 1, strategy.Unbounded{})[0]
	if byDefault.Summary.Errors["http-503"] == 0 {
		t.Fatalf("capacity 1 under 8 callers gave no 503 (errors %v)", byDefault.Summary.Errors)
	}
	checkClean(t, with503)
	if s := only201.Summary; s.ErrorCount() != s.Completed || s.Errors["http-200"] == 0 {
		t.Errorf("expecting 201: errors %v of %d, want every response an error, the 200s as http-200", s.Errors, s.Completed)
	}
	spec, _ := Lookup("http")
	if _, err := spec.Build("http", map[string]string{"expect-status": "20x"}, 1); err == nil || !strings.Contains(err.Error(), "expect-status") {
		t.Errorf("expect-status=20x: %v, want an error naming the parameter", err)
	}
}

// TestHTTPOverTLS runs tasks against the embedded target serving HTTPS
// with its own certificate, which the client trusts: over HTTP/1.1
// through fasthttp, and over HTTP/2 (h2, by ALPN) through net/http.
func TestHTTPOverTLS(t *testing.T) {
	for _, params := range []map[string]string{
		{"tls": "true", "latency": "1ms"},
		{"tls": "true", "latency": "1ms", "protocol": "h2", "client": "net/http"},
	} {
		checkClean(t, measure(t, "http", params, 20, 4, 1, strategy.Pool{})[0])
	}
}

// TestHTTPTargetsMix runs tasks that mix two named targets, 3 to 1 (the
// second answers 404): each task goes to its target in that share, the
// results break down by name (a class each, and its requests and
// errors counted), and the retries' counters stay beside them.
func TestHTTPTargetsMix(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "targets.json")
	mix := `{"method":"GET","url":"` + srv.URL + `/","name":"home","weight":3}
{"method":"GET","url":"` + srv.URL + `/missing","name":"missing"}
`
	if err := os.WriteFile(file, []byte(mix), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, params := range []map[string]string{
		{"targets": file},
		{"targets": file, "retry-attempts": "2"}, // a 404 is not retried: the same counts
	} {
		c := measure(t, "http", params, 40, 4, 1, strategy.Pool{})[0]
		s := c.Summary
		if s.Counters["home-requests"] != 30 || s.Counters["missing-requests"] != 10 || s.Counters["missing-errors"] != 10 || s.Counters["home-errors"] != 0 {
			t.Errorf("%v: counters %v, want 30 home and 10 missing, the missing all errors", params, s.Counters)
		}
		if _, ok := s.Classes["home"]; !ok || len(s.Classes) != 2 || s.Errors["http-4xx"] != 10 {
			t.Errorf("%v: classes %v, errors %v", params, s.Classes, s.Errors)
		}
		if _, ok := s.Counters["requests"]; params["retry-attempts"] != "" && !ok {
			t.Errorf("%v: the retries' counters are gone: %v", params, s.Counters)
		}
	}
	spec, _ := Lookup("http")
	if _, err := spec.Build("http", map[string]string{"targets": filepath.Join(t.TempDir(), "none")}, 1); err == nil || !strings.Contains(err.Error(), "param http.targets") {
		t.Errorf("a missing targets file: %v", err)
	}
}
