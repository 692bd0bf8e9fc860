package load

import (
	"context"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/httpclient"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TestAttackMixesTargets attacks a mix of three weighted requests (GET;
// POST with a body from a file; PUT with headers): each arrives as its
// target says, in its share within 2%, and the results break down by
// name: a class each, and its requests and errors counted.
func TestAttackMixesTargets(t *testing.T) {
	var mu sync.Mutex
	got := map[string]int{}
	bad := []string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		key := r.Method + " " + r.URL.Path
		got[key]++
		switch {
		case key == "POST /login" && string(b) != `{"user":"u"}`,
			key == "PUT /item" && (r.Header.Get("X-Trace") != "1" || r.Header.Get("X-All") != "yes"),
			key == "GET /" && r.Header.Get("X-All") != "yes":
			bad = append(bad, key)
		}
		if key == "PUT /item" {
			w.WriteHeader(http.StatusConflict) // counted against the item target
		}
	}))
	defer srv.Close()
	body := filepath.Join(t.TempDir(), "login.json")
	if err := os.WriteFile(body, []byte(`{"user":"u"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	file := "# name=home weight=5\nGET " + srv.URL + "/\n\n# name=login weight=3\nPOST " + srv.URL + "/login\n@" + body +
		"\n\n# name=item weight=2\nPUT " + srv.URL + "/item\nX-Trace: 1\n"
	ts, err := httpclient.ReadTargets(strings.NewReader(file), "http")
	if err != nil {
		t.Fatal(err)
	}
	a := Attack{Request: httpclient.Request{Header: http.Header{"X-All": {"yes"}}}, Targets: ts,
		Pacing:   Pacing{Kind: "constant", Rate: vegeta.Rate{Freq: 500, Per: time.Second}},
		Duration: 2 * time.Second, MaxWorkers: 64, Timeout: time.Second, LateAfter: 5 * time.Millisecond}
	var out latencies
	rep, err := a.Run(context.Background(), &out)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bad) > 0 {
		t.Errorf("%d requests arrived unlike their target, e.g. %s", len(bad), bad[0])
	}
	total := float64(rep.Completed)
	for _, w := range []struct {
		key, name string
		share     float64
	}{{"GET /", "home", 0.5}, {"POST /login", "login", 0.3}, {"PUT /item", "item", 0.2}} {
		if share := float64(got[w.key]) / total; math.Abs(share-w.share) > 0.02 {
			t.Errorf("%s: %d of %.0f, a share of %.3f: want %.1f within 0.02", w.key, got[w.key], total, share, w.share)
		}
		if _, ok := rep.Classes[w.name]; !ok || rep.Counters[w.name+"-requests"] != float64(got[w.key]) {
			t.Errorf("%s: class %v, counted %v requests, the target saw %d", w.name, ok, rep.Counters[w.name+"-requests"], got[w.key])
		}
	}
	if rep.Counters["item-errors"] != float64(got["PUT /item"]) || rep.Counters["home-errors"] != 0 || rep.Errors["http-4xx"] != got["PUT /item"] {
		t.Errorf("errors: counters %v, by kind %v; want every item request an error, none else", rep.Counters, rep.Errors)
	}
}

// TestUsersMixTargets: closed-loop users mix targets by weight too, each
// response counted under its target's name.
func TestUsersMixTargets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { time.Sleep(time.Millisecond) }))
	defer srv.Close()
	ts := []httpclient.Target{{Name: "a", Weight: 3, Method: "GET", URL: srv.URL + "/a"}, {Name: "b", Weight: 1, Method: "GET", URL: srv.URL + "/b"}}
	u := Users{Targets: ts, Stages: []Stage{{Duration: time.Second, Target: 4}}, Timeout: time.Second}
	rep, err := u.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b := rep.Counters["a-requests"], rep.Counters["b-requests"]
	if a+b != float64(rep.Completed) || rep.Completed < 100 || math.Abs(a/(a+b)-0.75) > 0.02 {
		t.Errorf("a %v, b %v of %d: want all, 3 to 1 within 2%%", a, b, rep.Completed)
	}
	if _, ok := rep.Classes["b"]; !ok {
		t.Errorf("classes %v: want a and b", rep.Classes)
	}
}
