package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/concbench/concbench/harness/recommend"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
	"go.uber.org/goleak"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fixture is a small, fixed run: two cells, two repetitions each.
func fixture() *results.Results {
	const ms = time.Millisecond
	rep := func(wall time.Duration, p99 time.Duration, errs map[string]int) results.Repetition {
		return results.Repetition{Core: results.Core{Wall: wall, Ideal: 5 * ms, Efficiency: float64(5*ms) / float64(wall), Submitted: 200, Completed: 200, Errors: errs, Throughput: 200 / wall.Seconds(), Response: results.Quantiles{Min: 5 * ms, Mean: 5500 * time.Microsecond, P50: 5 * ms, P90: 6 * ms, P99: p99, Max: p99 + ms}, Wait: results.Quantiles{P50: 10 * time.Microsecond, P99: 90 * time.Microsecond}, Service: results.Quantiles{P50: 5 * ms, P99: p99}, PeakInFlight: 200}, Runtime: results.Runtime{PeakGoroutines: 201, PeakHeap: 1 << 20, GCCycles: 1, SchedLatency: 50 * time.Microsecond, UserCPU: 3 * ms, SystemCPU: ms}}
	}
	cell := func(strategy string, limit int, reps ...results.Repetition) results.CellResult {
		return results.CellResult{Workload: "io", Strategy: strategy, Limit: limit, Tasks: 200, Complete: true,
			Summary: reps[0], Repetitions: reps}
	}
	return &results.Results{
		Schema:   results.Schema,
		Complete: true,
		Env: results.Environment{GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", GOMAXPROCS: 2, NumCPU: 2,
			CPUModel: "Test CPU", ClockSource: "tsc", Commit: "0123456789abcdef", CommandLine: []string{"bench", "-quick"},
			Start: time.Date(2026, 11, 22, 3, 48, 8, 0, time.UTC)},
		Plan: results.PlanRecord{
			Workloads:  []results.WorkloadRecord{{Name: "io", Family: "io", Tasks: 200, Params: map[string]string{"latency": "5ms", "mode": "park"}}},
			Strategies: []string{"unbounded", "pool"}, Limits: []int{8}, Reps: 2, Warmup: 1,
		},
		Cells: []results.CellResult{
			cell("unbounded", 0, rep(6*ms, 6*ms, nil), rep(7*ms, 7*ms, nil)),
			cell("pool", 8, rep(130*ms, 129*ms, map[string]int{"timeout": 2, "error": 1}), rep(131*ms, 130*ms, nil)),
		},
	}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update to accept):\n%s", name, got)
	}
}

func TestRenderings(t *testing.T) {
	res := fixture()
	var table, md, csv bytes.Buffer
	if err := WriteTable(&table, res, false); err != nil {
		t.Fatal(err)
	}
	WriteMarkdown(&md, res, []Chart{{Name: "latency", Title: "Response time by strategy"}})
	if err := WriteCSV(&csv, res); err != nil {
		t.Fatal(err)
	}
	golden(t, "table.golden.txt", table.Bytes())
	golden(t, "summary.golden.md", md.Bytes())
	golden(t, "results.golden.csv", csv.Bytes())
}

// TestWriteAndReadAgree writes a run folder and reads results.json back:
// the files must describe the same cells, and derived files must be
// redrawable while data files are never overwritten.
func TestWriteAndReadAgree(t *testing.T) {
	dir := t.TempDir()
	res := fixture()
	if err := Write(dir, res); err != nil {
		t.Fatal(err)
	}
	back, err := results.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	charts, err := DrawCharts(back)
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	WriteMarkdown(&md, back, charts)
	onDisk, _ := os.ReadFile(filepath.Join(dir, SummaryMD))
	if !bytes.Equal(onDisk, md.Bytes()) {
		t.Error("summary.md on disk differs from the rendering of the read-back results.json")
	}
	csvData, _ := os.ReadFile(filepath.Join(dir, ResultsCSV))
	if rows := strings.Count(string(csvData), "\n"); rows != 1+4 {
		t.Errorf("results.csv has %d lines, want a header and 4 rows (2 cells x 2 repetitions)", rows)
	}
	var files []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		files = append(files, e.Name())
	}
	// One limit: no scaling chart.
	want := "bench.txt lag.png lag.svg latency.png latency.svg percentiles.png percentiles.svg report.html results.csv results.json " +
		"runtime.png runtime.svg summary.md throughput.png throughput.svg wait-service.png wait-service.svg"
	if got := strings.Join(files, " "); got != want {
		t.Errorf("files\n got %s\nwant %s", got, want)
	}
	for _, c := range charts {
		if !bytes.Contains(md.Bytes(), []byte("]("+c.Name+".png)")) {
			t.Errorf("summary.md does not embed %s.png", c.Name)
		}
	}
	html, _ := os.ReadFile(filepath.Join(dir, ReportHTML))
	if n := bytes.Count(html, []byte("<svg")); n != len(charts) || bytes.Contains(html, []byte("<?xml")) {
		t.Errorf("report.html inlines %d SVGs (want %d) or keeps an XML prologue", n, len(charts))
	}
	if !bytes.Contains(html, []byte("<td>semaphore</td>")) && !bytes.Contains(html, []byte("<td>pool</td>")) {
		t.Error("report.html has no table rows")
	}
	if err := WriteDerived(dir, back); err != nil {
		t.Errorf("redrawing derived files: %v", err)
	}
	if err := Write(dir, res); err == nil || !strings.Contains(err.Error(), "never overwritten") {
		t.Errorf("second Write = %v, want a refusal to overwrite results.json", err)
	}
}

// TestInterruptedRepetitionsAreMarked checks that a repetition cut short is
// marked in results.csv and left out of bench.txt, the comparable output.
func TestInterruptedRepetitionsAreMarked(t *testing.T) {
	res := fixture()
	res.Cells[1].Repetitions[1].Interrupted = true
	var csv, bench bytes.Buffer
	if err := WriteCSV(&csv, res); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if !strings.HasSuffix(lines[0], ",interrupted") || !strings.HasSuffix(lines[4], ",true") || !strings.HasSuffix(lines[3], ",false") {
		t.Errorf("results.csv does not mark the interrupted repetition:\n%s", csv.String())
	}
	if err := WriteBenchfmt(&bench, res); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(bench.String(), "BenchmarkIo/pool/limit=8-2\t"); n != 1 {
		t.Errorf("bench.txt has %d lines for the pool cell, want 1 (the interrupted repetition left out):\n%s", n, bench.String())
	}
}

// TestCheckpointsReplaceOnlyTheirOwnRun writes checkpoints, then the final
// results, and checks what may replace what.
func TestCheckpointsReplaceOnlyTheirOwnRun(t *testing.T) {
	dir := t.TempDir()
	res := fixture()
	first := *res
	first.Cells = res.Cells[:1]
	if err := rundir.Checkpoint(dir, &first); err != nil {
		t.Fatal(err)
	}
	if back, err := results.Read(dir); err != nil || back.Complete || len(back.Cells) != 1 {
		t.Fatalf("checkpoint read back: %v, complete %v", err, back != nil && back.Complete)
	}
	other := *res
	other.Env.Start = res.Env.Start.Add(time.Hour)
	if err := rundir.Checkpoint(dir, &other); err == nil {
		t.Error("another run's checkpoint replaced this one")
	}
	if err := rundir.Checkpoint(dir, res); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, res); err != nil {
		t.Fatalf("the final write over the run's own checkpoint: %v", err)
	}
	if back, _ := results.Read(dir); !back.Complete || len(back.Cells) != 2 {
		t.Errorf("final results: complete %v, %d cells", back.Complete, len(back.Cells))
	}
	if err := rundir.Checkpoint(dir, res); err == nil || !strings.Contains(err.Error(), "never overwritten") {
		t.Errorf("a checkpoint over complete results = %v, want a refusal", err)
	}
}

// TestTableFitsIn120Columns renders the widest figures a default run
// shows (long names, seconds, a FAILED verdict, MiB) and checks every line
// of the table, its legend and the recommendation against a 120-column
// terminal.
func TestTableFitsIn120Columns(t *testing.T) {
	res := fixture()
	wide := res.Cells[0]
	wide.Repetitions = slices.Clone(wide.Repetitions)
	wide.Workload, wide.Strategy, wide.Limit = "recursive", "sequential", 0
	for i := range wide.Repetitions {
		r := &wide.Repetitions[i]
		r.Throughput, r.Response.P50, r.Response.P99, r.Service.P99 = 123456, 1234*time.Millisecond, 12345*time.Millisecond, 999*time.Millisecond
		r.Errors, r.PeakMemory = map[string]int{"http-503": 199}, 1023<<20
	}
	wide.Summary = results.Combine(wide.Repetitions)
	limited := wide
	limited.Strategy, limited.Limit = "semaphore", 1048576
	res.Cells = append(res.Cells, wide, limited)
	res.Recommendations = append(recommend.For(res), results.Recommendation{Workload: "recursive", // the longest lines a reason makes
		Reason: strings.Repeat("goodput within noise of the best ", 12), Tied: []string{strings.Repeat("semaphore 1048576 ", 12)},
		Failed: []string{strings.Repeat("pool 64: 95% failed (budget 1%) ", 12)}})
	var b bytes.Buffer
	if err := WriteTable(&b, res, false); err != nil {
		t.Fatal(err)
	}
	table, _, _ := strings.Cut(b.String(), "\n\n")
	WriteRecommendations(&b, res)
	for _, line := range strings.Split(b.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > 120 {
			t.Errorf("a line of %d columns:\n%s", n, line)
		}
	}
	if !strings.Contains(table, "FAILED 100% err") {
		t.Errorf("the failed cell is not marked:\n%s", table)
	}
}

// TestReportHTMLReadsTopDown checks report.html's order: the answer
// first, then the tables as the terminal shows them, then each chart
// once, titled only by the chart itself.
func TestReportHTMLReadsTopDown(t *testing.T) {
	data, err := os.ReadFile("../chart/testdata/default.json")
	if err != nil {
		t.Fatal(err)
	}
	var res results.Results
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	charts, err := DrawCharts(&res)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, &res, charts); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	answer, table := strings.Index(page, "<h2>Recommendation</h2>"), strings.Index(page, "<table>")
	if answer < 0 || table < 0 || answer > table {
		t.Errorf("the recommendation (at %d) is not above the table (at %d)", answer, table)
	}
	for _, c := range charts {
		if n := strings.Count(page, html.EscapeString(c.Title)); n != 1 {
			t.Errorf("chart %q: its title appears %d times, want once (inside the chart)", c.Name, n)
		}
	}
	var term bytes.Buffer
	if err := WriteTable(&term, &res, false); err != nil {
		t.Fatal(err)
	}
	for _, row := range Rows(&res)[1:] {
		if !strings.Contains(page, "<td>"+html.EscapeString(row[3])+"</td>") || !strings.Contains(term.String(), row[3]) {
			t.Errorf("goodput %q is not in both the terminal and the HTML table", row[3])
		}
	}
}

// TestLeakingCellIsMarked checks that a cell that left goroutines running
// says so in its verdict.
func TestLeakingCellIsMarked(t *testing.T) {
	res := fixture()
	c := &res.Cells[0]
	c.Repetitions = slices.Clone(c.Repetitions)
	for i := range c.Repetitions {
		c.Repetitions[i].Leaked = 100
	}
	c.Summary = results.Combine(c.Repetitions)
	if v := Verdicts(res)[c.Name()]; v != "LEAKED 100" {
		t.Errorf("verdict %q, want LEAKED 100", v)
	}
}

// TestTraceRows lists a traced cell's scheduler wait, then its blocking
// causes, most first.
func TestTraceRows(t *testing.T) {
	res := fixture()
	if TraceRows(res) != nil {
		t.Fatal("rows for a run without traces")
	}
	res.Cells[0].Trace = &results.TraceSummary{SchedWait: 5 * time.Millisecond, Blocked: map[string]time.Duration{"sync": 300 * time.Millisecond, "select": time.Second}}
	rows := TraceRows(res)
	if len(rows) != 4 || rows[1][3] != "runnable, not running (scheduler wait)" || rows[2][3] != "blocked: select" || rows[3][3] != "blocked: sync" || rows[3][4] != "300ms" {
		t.Errorf("rows %q", rows)
	}
}
