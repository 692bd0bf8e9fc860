package target

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/dist"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func start(t *testing.T, cfg Config) (*Server, *http.Client) {
	t.Helper()
	s, err := Start(cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(func() {
		c.CloseIdleConnections()
		s.Close()
	})
	return s, c
}

func TestAnswersAsConfigured(t *testing.T) {
	s, c := start(t, Config{Size: 10, Latency: dist.Dist{Kind: "constant", Median: 20 * time.Millisecond}})
	begin := time.Now()
	code, body := get(t, c, s.URL())
	if took := time.Since(begin); code != 200 || body != "xxxxxxxxxx" || took < 20*time.Millisecond {
		t.Errorf("got %d %q after %v, want 200, 10 bytes, after at least 20ms", code, body, took)
	}
	code, body = get(t, c, s.URL()+"?latency=0s&size=3&error=0")
	if code != 200 || len(body) != 3 {
		t.Errorf("query override: got %d %q", code, body)
	}
	if code, _ = get(t, c, s.URL()+"?error=1"); code != 500 {
		t.Errorf("error=1 answered %d, want 500", code)
	}
	if code, _ = get(t, c, s.URL()+"?latency=soon"); code != 400 {
		t.Errorf("a bad override answered %d, want 400", code)
	}
	if st := s.Stats(); st.Served != 2 || st.Failed != 1 {
		t.Errorf("stats %+v, want 2 served, 1 failed", st)
	}
}

// TestCapacity sends 12 requests at once to a target of capacity 4 whose
// answers take 100 ms: 4 are served, 8 are rejected at once.
func TestCapacity(t *testing.T) {
	s, c := start(t, Config{Capacity: 4, Latency: dist.Dist{Kind: "constant", Median: 100 * time.Millisecond}})
	var wg sync.WaitGroup
	codes := make([]int, 12)
	fast := make([]bool, 12)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			begin := time.Now()
			resp, err := c.Get(s.URL())
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes[i], fast[i] = resp.StatusCode, time.Since(begin) < 50*time.Millisecond
		}()
	}
	wg.Wait()
	ok, rejected := 0, 0
	for i, code := range codes {
		switch {
		case code == 200:
			ok++
		case code == 503 && fast[i]:
			rejected++
		default:
			t.Errorf("request %d: %d (fast %v)", i, code, fast[i])
		}
	}
	if ok != 4 || rejected != 8 || s.Stats().PeakInFlight < 5 {
		t.Errorf("%d served, %d rejected at once, peak %d; want 4, 8, above 4", ok, rejected, s.Stats().PeakInFlight)
	}
}

func TestStartRefuses(t *testing.T) {
	tests := []struct {
		cfg  Config
		addr string
		want string
	}{
		{Config{}, "10.0.0.1:80", "not a loopback address"},
		{Config{}, "example.com:80", "not a loopback address"},
		{Config{Capacity: -1}, "", "capacity: -1 must be >= 0"},
		{Config{ErrorRate: 2}, "", "error-rate: 2 is out of range [0, 1]"},
		{Config{Latency: dist.Dist{Kind: "uniform", Median: time.Millisecond, Spread: 2}}, "", "spread: 2 must be below 1"},
	}
	for _, tt := range tests {
		s, err := Start(tt.cfg, tt.addr)
		if err == nil {
			s.Close()
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Start(%+v, %q) = %v, want %q", tt.cfg, tt.addr, err, tt.want)
		}
	}
}
