package workloads

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/concbench/concbench/harness/input"
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
		{map[string]string{"target": "http://127.0.0.1:1/"}, "param http.target: http://127.0.0.1:1/ is not reachable"},
		{map[string]string{"method": "get"}, `param http.method: "get" is not an HTTP method`},
		{map[string]string{"header": "nocolon"}, `param http.header: "nocolon": want 'Name: value'`},
		{map[string]string{"capacity": "-3"}, "param http.capacity: -3 must be >= 0"},
		{map[string]string{"dist": "pareto"}, `param http.dist: "pareto" is not one of constant, uniform, lognormal`},
	}
	for _, tt := range tests {
		_, err := spec.Build("http", tt.params, 1)
		var in *input.Error
		if !errors.As(err, &in) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Build(%v) = %v, want %q", tt.params, err, tt.want)
		}
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
