package dashboard

import (
	"bufio"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/live"
	"github.com/concbench/concbench/harness/results"
	"go.uber.org/goleak"
)

// TestMain checks for leaks once the client's idle connections are closed.
func TestMain(m *testing.M) {
	code := m.Run()
	http.DefaultClient.CloseIdleConnections()
	if err := goleak.Find(); code == 0 && err != nil {
		os.Stderr.WriteString("goleak: " + err.Error() + "\n")
		code = 1
	}
	os.Exit(code)
}

func start(t *testing.T) (*Server, *live.Feed) {
	t.Helper()
	feed := live.NewFeed(live.Start{Command: "run", Run: "r"})
	s, err := Start("127.0.0.1:0", feed)
	if err != nil {
		t.Fatal(err)
	}
	return s, feed
}

// TestServesLoopbackOnly: an address off loopback is refused, and so is a
// request whose Host is not a loopback name (a rebound DNS name).
func TestServesLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", ":0"} {
		if s, err := Start(addr, live.NewFeed(live.Start{})); err == nil {
			s.Close()
			t.Errorf("%s: served", addr)
		}
	}
	s, _ := start(t)
	defer s.Close()
	req, _ := http.NewRequest("GET", s.URL(), nil)
	req.Host = "attacker.example:80"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("Host attacker.example: %s, want 403", resp.Status)
	}
}

// TestPageLoadsNothingFromOutside: the embedded page names no other
// origin, and its policy forbids loading from one.
func TestPageLoadsNothingFromOutside(t *testing.T) {
	s, _ := start(t)
	defer s.Close()
	resp, err := http.Get(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("policy %q", csp)
	}
	outside := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|EventSource\(\s*["']https?:`)
	fs.WalkDir(page, "page", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := page.ReadFile(path)
		if m := outside.Find(b); m != nil {
			t.Errorf("%s loads from elsewhere: %s", path, m)
		}
		return nil
	})
}

// TestEventsThenReport: a page gets the story as server-sent events,
// named by type, the stream ends after done, and Close waits for the page
// to fetch the report.
func TestEventsThenReport(t *testing.T) {
	s, feed := start(t)
	report := filepath.Join(t.TempDir(), "report.html")
	os.WriteFile(report, []byte("<h1>concbench run</h1>"), 0o644)
	feed.Progress(live.Progress{Cell: 1, Cells: 1, Name: "io pool 4"})
	resp, err := http.Get(s.URL() + "events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	events := make(chan string, 16)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- name
			}
		}
	}()
	for _, want := range []string{"start", "progress"} {
		if got := <-events; got != want {
			t.Fatalf("event %q, want %q", got, want)
		}
	}
	if r, err := http.Get(s.URL() + "report"); err != nil || r.StatusCode != http.StatusNotFound {
		t.Errorf("report before the end: %v %v", r, err)
	} else {
		r.Body.Close()
	}
	s.SetReport(report)
	feed.Done(&results.Results{Complete: true}, "dir", true)
	if got := <-events; got != "done" {
		t.Fatalf("event %q, want done", got)
	}
	if _, more := <-events; more {
		t.Error("the stream goes on after done")
	}
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	select {
	case <-closed:
		t.Fatal("Close returned before the page fetched the report")
	case <-time.After(200 * time.Millisecond):
	}
	r, err := http.Get(s.URL() + "report")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if !strings.Contains(string(b), "concbench run") || !strings.Contains(r.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("report %q, policy %q", b, r.Header.Get("Content-Security-Policy"))
	}
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close still waiting after the report was fetched")
	}
}

// TestCloseWithNoPage: with no page open, Close returns at once.
func TestCloseWithNoPage(t *testing.T) {
	s, feed := start(t)
	feed.Done(&results.Results{}, "", false)
	began := time.Now()
	s.Close()
	if d := time.Since(began); d > time.Second {
		t.Errorf("Close took %v with no page open", d)
	}
}
