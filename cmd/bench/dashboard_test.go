package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/concbench/concbench/harness/results"
)

// dashboardRow is a row of the dashboard's cells table as the page holds
// it: the final figures and what the page counted from the seconds.
type dashboardRow struct {
	Cell          string `json:"cell"`
	Completed     string `json:"completed"`
	Errors        string `json:"errors"`
	P99           string `json:"p99"`
	LiveCompleted string `json:"liveCompleted"`
	LiveErrors    string `json:"liveErrors"`
}

// dashboardPage is what the test reads off the page at the end.
type dashboardPage struct {
	State           string         `json:"state"`
	Rows            []dashboardRow `json:"rows"`
	Recommendations int            `json:"recommendations"`
	ReportTitle     string         `json:"reportTitle"`
	Points          int            `json:"points"` // points of the achieved rate's lines
}

const readDashboard = `(() => {
  const rows = [...document.querySelectorAll("#cell-table tbody tr")].map((tr) => ({
    cell: tr.dataset.cell, completed: tr.dataset.completed || "", errors: tr.dataset.errors || "", p99: tr.dataset.p99 || "",
    liveCompleted: tr.dataset.liveCompleted, liveErrors: tr.dataset.liveErrors }));
  const doc = document.getElementById("report").contentDocument;
  const lines = [...document.querySelectorAll("#rate-chart polyline.achieved")];
  return { state: document.getElementById("status").dataset.state, rows,
    recommendations: document.querySelectorAll("#recommendations li").length,
    reportTitle: doc && doc.querySelector("h1") ? doc.querySelector("h1").textContent : "",
    points: lines.reduce((n, l) => n + l.getAttribute("points").trim().split(" ").length, 0) };
})()`

// TestDashboardInABrowser follows an attack and a run on the live page in
// headless Chromium (Debian's, which scripts/test.sh installs): the page
// ends done, every cell's row holds results.json's responses, errors and
// p99, an attack's rows count from its seconds exactly what results.json
// counts, the chart has a point a second, and the run's own report loads
// in the page. A screenshot of each page is kept in the artifacts folder.
func TestDashboardInABrowser(t *testing.T) {
	browser := os.Getenv("CONCBENCH_CHROMIUM")
	if browser == "" {
		t.Skip("needs chromium: scripts/test.sh installs it and sets CONCBENCH_CHROMIUM")
	}
	bin := buildBench(t)
	for _, tc := range []struct {
		name   string
		args   []string
		attack bool
	}{
		// two rates, one attack each, with errors: per-second counts add up
		{"attack", []string{"attack", "-rates", "200,400", "-duration", "2s", "-param", "http.error-rate=0.05", "-param", "http.latency=2ms"}, true},
		// two strategies in this process, a few repetitions each
		{"run", []string{"run", "-workloads", "io", "-strategies", "pool,semaphore", "-limits", "4", "-tasks", "80", "-reps", "3",
			"-param", "io.latency=20ms", "-isolate=false"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := startChromium(t, browser)
			out := t.TempDir()
			cmd := exec.Command(bin, append(tc.args, "-dashboard", "127.0.0.1:0", "-out", out)...)
			url, logs := dashboardURL(t, cmd)
			page := followDashboard(t, ctx, url, tc.name)
			waitExit(t, cmd, logs)
			res := readRun(t, out, "*")
			checkDashboard(t, page, res, tc.attack)
		})
	}
}

// dashboardURL starts cmd and returns the URL it prints, and its stderr as
// it goes on.
func dashboardURL(t *testing.T, cmd *exec.Cmd) (string, *bytes.Buffer) {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	r := bufio.NewReader(stderr)
	line, err := r.ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "dashboard: ")
	if err != nil || !ok {
		t.Fatalf("the command printed %q first: %v", line, err)
	}
	logs := &bytes.Buffer{}
	done := make(chan struct{})
	go func() { io.Copy(logs, r); close(done) }()
	t.Cleanup(func() { <-done })
	return url, logs
}

// followDashboard opens url, waits for the end and the report, keeps a
// screenshot, and reads the page.
func followDashboard(t *testing.T, ctx context.Context, url, name string) dashboardPage {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	wait, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := chromedp.Run(wait, chromedp.Poll[bool](`document.getElementById("status").dataset.state === "done" &&
		!!document.getElementById("report").contentDocument?.querySelector("h1")`, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		state, _ := chromedp.Run(ctx, chromedp.Text("#status"))
		t.Fatalf("the page did not end done with the report (status %q): %v", state, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: a PNG
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("CONCBENCH_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "dashboard-"+name+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
	page, err := chromedp.Run(ctx, chromedp.Evaluate[dashboardPage](readDashboard))
	if err != nil {
		t.Fatal(err)
	}
	return page
}

// waitExit waits for cmd, which ends once the page has its report.
func waitExit(t *testing.T, cmd *exec.Cmd, logs *bytes.Buffer) {
	t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if code := cmd.ProcessState.ExitCode(); code > 1 { // 1: a cell's errors may fail its verdict
			t.Fatalf("exit %d (%v): %s", code, err, logs)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("still running 30 s after the page had its report: %s", logs)
	}
}

// checkDashboard compares the page with the run's results.json.
func checkDashboard(t *testing.T, page dashboardPage, res *results.Results, attack bool) {
	t.Helper()
	if page.State != "done" || len(page.Rows) != len(res.Cells) || !strings.HasPrefix(page.ReportTitle, "concbench run") {
		t.Fatalf("page %+v, want done, a row for each of %d cells, and the report", page, len(res.Cells))
	}
	rows := map[string]dashboardRow{}
	for _, r := range page.Rows {
		rows[r.Cell] = r
	}
	seconds := 0
	for _, c := range res.Cells {
		r, ok := rows[c.Name()]
		completed := strconv.Itoa(c.Total(func(r results.Repetition) int { return r.Completed }))
		errors := strconv.Itoa(c.Summary.ErrorCount())
		p99 := strconv.FormatInt(int64(c.Summary.Response.P99), 10)
		if !ok || r.Completed != completed || r.Errors != errors || r.P99 != p99 {
			t.Errorf("%s: page %+v, results.json %s completed, %s errors, p99 %s ns", c.Name(), r, completed, errors, p99)
		}
		if attack && (r.LiveCompleted != completed || r.LiveErrors != errors) {
			t.Errorf("%s: the page's seconds add up to %s completed and %s errors; results.json %s and %s",
				c.Name(), r.LiveCompleted, r.LiveErrors, completed, errors)
		}
		for _, rep := range c.Repetitions {
			seconds += len(rep.Intervals)
		}
	}
	if attack && page.Points != seconds {
		t.Errorf("the rate chart has %d points, results.json %d seconds", page.Points, seconds)
	}
	if page.Recommendations == 0 && !attack {
		t.Errorf("no recommendation on the page")
	}
}

// startChromium starts headless Chromium for one test.
func startChromium(t *testing.T, browser string) context.Context {
	t.Helper()
	if _, err := exec.LookPath(browser); err != nil {
		t.Fatalf("CONCBENCH_CHROMIUM: %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1100, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}
