package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/chart/legible"

	"github.com/concbench/concbench/harness/isolate"
	"github.com/concbench/concbench/harness/results"
	"go.uber.org/goleak"
)

// TestMain runs the command when started as an isolated cell's child (the
// test binary stands in for bench), else the tests.
func TestMain(m *testing.M) {
	if os.Getenv(isolate.ChildEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		code := exitCode(run(ctx, os.Args[1:], os.Stdout, os.Stderr), os.Stderr)
		stop()
		os.Exit(code)
	}
	// fasthttp's cleaner goroutine outlives a closed http workload by up
	// to 90 s (workloads/httpclient.go); it exits by itself.
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*HostClient).connsCleaner"))
}

// bench runs the command in process, as main would, and returns its exit
// status and outputs.
func bench(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = exitCode(run(ctx, args, &out, &errOut), &errOut)
	return code, out.String(), errOut.String()
}

func TestBadInputExitsTwoAndWritesNothing(t *testing.T) {
	tests := []struct {
		args []string
		want string // the one-line error
	}{
		{[]string{"-tasks", "0"}, "bench: -tasks: 0 is out of range 1..10000000"},
		{[]string{"-tasks", "-5"}, "bench: -tasks: -5 is out of range 1..10000000"},
		{[]string{"-reps", "0"}, "bench: -reps: 0 is out of range 1..1000"},
		{[]string{"-warmup", "-1"}, "bench: -warmup: -1 is out of range 0..100"},
		{[]string{"-limits", "4,0"}, "bench: -limits: 0 is out of range 1..1048576"},
		{[]string{"-limits", "four"}, `bench: invalid value "four" for flag -limits: "four" is not a whole number, or auto`},
		{[]string{"-workloads", "io,"}, `bench: invalid value "io," for flag -workloads: empty element`},
		{[]string{"-workloads", "cpux"}, `bench: -workloads: unknown workload "cpux"; did you mean "cpu"?`},
		{[]string{"-strategies", "pools"}, `bench: -strategies: unknown strategy "pools"; did you mean "pool"?`},
		{[]string{"-param", "io.latency=soon"}, `bench: -param io.latency: invalid value "soon": want a duration such as 10ms or 1.5s`},
		{[]string{"-param", "io.latency=1e400s"}, `bench: -param io.latency: invalid value "1e400s": want a duration such as 10ms or 1.5s`},
		{[]string{"-param", "latency=1ms"}, `bench: invalid value "latency=1ms" for flag -param: "latency=1ms": want name.key=value, e.g. io.latency=10ms`},
		{[]string{"-param", "cpu.cost=1ms", "-workloads", "io"}, `bench: -param cpu: "cpu" is neither a workload in -workloads nor a strategy in -strategies`},
		{[]string{"-label", "a/b"}, `bench: -label: "a/b": use letters, digits, '.', '_' and '-' (at most 64)`},
		{[]string{"-nope"}, "bench: flag provided but not defined: -nope"},
		{[]string{"-workloads", "io,cpu,io"}, `bench: -workloads: "io" appears twice`},
		{[]string{"-strategies", "pool,pool"}, `bench: -strategies: "pool" appears twice`},
		{[]string{"-limits", "2,2"}, "bench: -limits: 2 appears twice"},
		{[]string{"-workloads", "io", "-target", "http://127.0.0.1:1/"}, "bench: -target: no http workload runs; add http to -workloads, or leave -target out"},
		{[]string{"-workloads", "http", "-param", "http.header=X-A: 1\r\nX-B: 2"}, "bench: -param http.header: X-A: the value holds a control character (CR, LF), which would smuggle in another header"},
		{[]string{"stray"}, `bench: unknown command "stray" (commands: run, list, plot, compare, serve, attack, merge, k8s, capacity, depth, validate, init, help)`},
		{[]string{"run", "stray"}, `bench: unexpected argument "stray"`},
		{[]string{"-workloads", "http", "-target", "ftp://127.0.0.1/"}, `bench: -target: "ftp://127.0.0.1/" is not an http or https URL`},
		{[]string{"-dashboard", "0.0.0.0:0"}, `bench: invalid value "0.0.0.0:0" for flag -dashboard: 0.0.0.0 is not a loopback address (the dashboard serves this machine only)`},
		{[]string{"attack", "-dashboard", "8080"}, `bench: invalid value "8080" for flag -dashboard: want host:port, such as 127.0.0.1:0 (the dashboard serves this machine only)`},
		{[]string{"capacity", "-remote-write", "127.0.0.1:9090"}, `bench: invalid value "127.0.0.1:9090" for flag -remote-write: not a URL`},
		// the flag package quotes the value given: its password is redacted
		{[]string{"-remote-write", "https://u:pw@/api/v1/write"}, `bench: invalid value "https://u:<redacted>@/api/v1/write" for flag -remote-write: https://u:<redacted>@/api/v1/write: want http:// or https:// and a host`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out := t.TempDir()
			code, stdout, stderr := bench(t, context.Background(), append(tt.args, "-out", out)...)
			if code != 2 || strings.TrimSpace(stderr) != tt.want || stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 and %q", code, stderr, stdout, tt.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Errorf("bad input left %d entries in -out", len(entries))
			}
		})
	}
}

// TestQuickRunWritesAgreeingFiles runs a small plan end to end.
func TestQuickRunWritesAgreeingFiles(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "-quick", "-workloads", "io,recursive",
		"-limits", "2,4", "-label", "smoke", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dirs, _ := filepath.Glob(filepath.Join(out, "*-smoke"))
	if len(dirs) != 1 || !strings.HasSuffix(strings.TrimSpace(stdout), "results: "+dirs[0]) {
		t.Fatalf("run folders %v; stdout does not end with the folder:\n%s", dirs, stdout)
	}
	res, err := results.Read(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	// 2 workloads x (sequential, unbounded, 3 limited strategies x 2 limits)
	if len(res.Cells) != 2*8 || !res.Complete {
		t.Fatalf("%d cells, complete %v; want 16, true", len(res.Cells), res.Complete)
	}
	table, _, _ := strings.Cut(stdout, "\nmedians of ") // the legend follows the table
	tableRows := strings.Count(table, "\n")             // the header is the first line
	if tableRows != len(res.Cells) {
		t.Errorf("table has %d rows for %d cells", tableRows, len(res.Cells))
	}
	for _, c := range res.Cells {
		if c.Summary.ErrorCount() != 0 || c.Summary.Completed != c.Tasks {
			t.Errorf("%s/%s/%d: %d of %d completed, errors %v", c.Workload, c.Strategy, c.Limit, c.Summary.Completed, c.Tasks, c.Summary.Errors)
		}
	}
	for _, f := range []string{"results.csv", "summary.md"} {
		if fi, err := os.Stat(filepath.Join(dirs[0], f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
	legibleCharts(t, dirs[0])
}

// legibleCharts fails t for every problem package legible finds in the
// SVG charts of a run or comparison folder, and when it has none.
func legibleCharts(t *testing.T, dir string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.svg"))
	if len(files) == 0 {
		t.Errorf("no SVG chart in %s", dir)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		problems, err := legible.Check(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", filepath.Base(f), p)
		}
	}
}

// TestInterruptedRunKeepsWhatItMeasured cancels a run that would take
// minutes: the folder holds results marked incomplete, and the exit status
// is 130.
func TestInterruptedRunKeepsWhatItMeasured(t *testing.T) {
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(700*time.Millisecond, cancel)
	// In process: an isolated cell's start can take longer than 700 ms on
	// a loaded machine, and then nothing is measured yet.
	code, stdout, stderr := bench(t, ctx, "-workloads", "io", "-strategies", "unbounded,sequential",
		"-param", "io.latency=20ms", "-tasks", "100", "-reps", "50", "-isolate=false", "-out", out)
	if code != ExitInterrupted {
		t.Fatalf("exit %d, want %d; stderr %s", code, ExitInterrupted, stderr)
	}
	if !strings.Contains(stdout, "incomplete") {
		t.Errorf("stdout does not say the run is incomplete:\n%s", stdout)
	}
	res := onlyRun(t, out)
	if res.Complete || len(res.Cells) != 1 || res.Cells[0].Complete || len(res.Cells[0].Repetitions) == 0 {
		t.Errorf("complete %v, %d cells; want an incomplete run with the repetitions of unbounded measured so far", res.Complete, len(res.Cells))
	}
}

// TestInterruptDuringWarmupKeepsIt interrupts a cell's warm-up: the
// partial warm-up repetition is kept, marked interrupted and warm-up, the
// output says so in one line, and the error says "interrupted", not
// "context canceled".
func TestInterruptDuringWarmupKeepsIt(t *testing.T) {
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(time.Second, cancel)
	code, stdout, stderr := bench(t, ctx, "-workloads", "io", "-strategies", "sequential", "-param", "io.latency=20ms",
		"-tasks", "500", "-reps", "2", "-warmup", "1", "-isolate=false", "-out", out)
	if code != ExitInterrupted || !strings.Contains(stdout, "warm-up only: interrupted before a measured repetition, io sequential") ||
		strings.Contains(stderr, "context canceled") || !strings.Contains(stderr, "interrupted") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	res := onlyRun(t, out)
	if len(res.Cells) != 1 || len(res.Cells[0].Repetitions) != 1 {
		t.Fatalf("%d cells: want the warm-up's", len(res.Cells))
	}
	r := res.Cells[0].Repetitions[0]
	if !r.Warmup || !r.Interrupted || r.Completed < 10 || r.Completed > 60 {
		t.Errorf("kept repetition: warm-up %v, interrupted %v, %d tasks; want both marks and the 10 to 60 tasks of 1 s", r.Warmup, r.Interrupted, r.Completed)
	}
}

func TestListShowsEverything(t *testing.T) {
	code, stdout, _ := bench(t, context.Background(), "list")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"io", "cpu", "mixed", "recursive", "io.latency", "io.mode", "cpu.cost",
		"mixed.sections", "recursive.fanout", "recursive.shape", "sequential", "unbounded", "pool", "semaphore", "offload"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("list does not mention %s", want)
		}
	}
}

func TestHelpExitsZero(t *testing.T) {
	code, stdout, _ := bench(t, context.Background(), "-h")
	if code != 0 || !strings.Contains(stdout, "-workloads") {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
}

func TestExitCodes(t *testing.T) {
	var sink bytes.Buffer
	for err, want := range map[error]int{
		nil:                  0,
		usagef("bad"):        2,
		context.Canceled:     130,
		errors.New("failed"): 1,
	} {
		if got := exitCode(err, &sink); got != want {
			t.Errorf("exitCode(%v) = %d, want %d", err, got, want)
		}
	}
}

func TestResourceGuard(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := bench(t, context.Background(), "-workloads", "cpu", "-param", "cpu.size=1048576", "-tasks", "10000000",
		"-strategies", "unbounded", "-out", out)
	if code != 2 || !strings.Contains(stderr, "-tasks: the plan would start about 10000000 goroutines and hold about 9.6 TiB") ||
		!strings.Contains(stderr, "pass -force") {
		t.Errorf("exit %d, %q", code, stderr)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Error("a refused plan left a folder")
	}
}

// TestErrorsAreNotSpeed checks what a run with failing tasks reports: io
// tasks of 100 ms cut at 1 ms by -task-timeout keep their efficiency at or
// below 100% (the ideal counts only the time before the timeout), each
// failing cell is a warning naming it, and a run in which a cell completed
// no task successfully exits 1.
func TestErrorsAreNotSpeed(t *testing.T) {
	out := t.TempDir()
	// 100 ms tasks cut at 1 ms: far apart, so that even a loaded machine
	// does not let a task finish first.
	code, stdout, stderr := bench(t, context.Background(), "-workloads", "io", "-param", "io.latency=100ms", "-task-timeout", "1ms",
		"-strategies", "sequential,pool", "-limits", "4", "-tasks", "40", "-reps", "3", "-warmup", "0", "-isolate=false", "-out", out)
	if code != 1 || !strings.Contains(stderr, "warning: io sequential: 120 of 120 tasks failed (timeout 120)") ||
		!strings.Contains(stderr, "no task succeeded in 2 cells: io sequential, io pool 4") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	dirs, _ := filepath.Glob(filepath.Join(out, "*"))
	res, err := results.Read(dirs[0])
	if err != nil {
		t.Fatalf("the results were not written: %v\n%s", err, stdout)
	}
	for _, c := range res.Cells {
		for i, r := range c.Repetitions {
			if r.Efficiency > 1.05 {
				t.Errorf("%s repetition %d: efficiency %.2f (ideal %v, wall %v), above 100%%", c.Name(), i, r.Efficiency, r.Ideal, r.Wall)
			}
		}
	}
	// Every request answered 500 by the embedded target.
	code, _, stderr = bench(t, context.Background(), "-workloads", "http", "-param", "http.error-rate=1", "-param", "http.latency=1ms",
		"-strategies", "pool", "-limits", "4", "-tasks", "20", "-reps", "1", "-warmup", "0", "-isolate=false", "-out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "warning: http pool 4: 20 of 20 tasks failed (http-5xx 20)") || !strings.Contains(stderr, "no task succeeded in 1 cells: http pool 4") {
		t.Errorf("all requests failing: exit %d, stderr:\n%s", code, stderr)
	}
}

// TestOutputFolderProblemsAreBadInput checks an empty -out and one that
// cannot be written: exit 2, one line naming -out.
func TestOutputFolderProblemsAreBadInput(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o644)
	for _, out := range []string{"", filepath.Join(file, "under-a-file")} {
		code, stdout, stderr := bench(t, context.Background(), "-quick", "-workloads", "io", "-strategies", "sequential", "-isolate=false", "-out", out)
		if code != 2 || stdout != "" || !strings.HasPrefix(stderr, "bench: -out: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("-out %q: exit %d, stderr %q", out, code, stderr)
		}
	}
}

// TestHugeScenarioFileIsRefused checks the size cap: results.json keeps
// the scenario whole, so a 2 MiB file is bad input.
func TestHugeScenarioFileIsRefused(t *testing.T) {
	f := filepath.Join(t.TempDir(), "huge.yaml")
	os.WriteFile(f, []byte("schema: concbench/scenario/v1\n# "+strings.Repeat("x", 2<<20)+"\nworkloads: {io: {}}\n"), 0o644)
	code, _, stderr := bench(t, context.Background(), "validate", "-f", f)
	if code != 2 || !strings.Contains(stderr, "is larger than 1024 KiB") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

// onlyRun reads the results of the one run folder under out; the test
// stops unless there is exactly one.
func onlyRun(t *testing.T, out string) *results.Results {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(out, "*", results.FileName))
	if len(files) != 1 {
		t.Fatalf("%d run folders with results under %s, want 1: %v", len(files), out, files)
	}
	res, err := results.Read(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestSecretsStayInTheProcess sends a secret header, one named by
// -secret-header and a password in the target URL: no file of the run
// folder holds any of them.
func TestSecretsStayInTheProcess(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "-workloads", "http", "-strategies", "pool", "-tasks", "20", "-reps", "1", "-warmup", "0",
		"-isolate=false", "-param", "http.latency=1ms", "-secret-header", "X-Private",
		"-param", "http.header=Authorization: Bearer s3cr3t-token; X-Private: p4ssw0rd; Accept: text/plain", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	found := 0
	filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(path)
		for _, s := range []string{"s3cr3t", "p4ssw0rd"} {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds the secret %q", filepath.Base(path), s)
			}
		}
		if bytes.Contains(data, []byte("Authorization: <redacted>")) {
			found++
		}
		return nil
	})
	if found == 0 || strings.Contains(stdout+stderr, "s3cr3t") {
		t.Errorf("no file records the redacted header (%d), or the terminal shows the secret", found)
	}
}

// TestFailedWriteKeepsTheMeasurement makes the run folder's write fail as
// a full disk does: the table is still printed, every cell is kept in the
// rescue folder, the error says where, and the exit status is 1.
func TestFailedWriteKeepsTheMeasurement(t *testing.T) {
	rescue := t.TempDir()
	t.Setenv("TMPDIR", rescue)
	defer func(w func(string, *results.Results) error) { writeRun = w }(writeRun)
	writeRun = func(dir string, _ *results.Results) error {
		return &os.PathError{Op: "write", Path: filepath.Join(dir, "results.json"), Err: syscall.ENOSPC}
	}
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "-workloads", "io", "-strategies", "sequential,pool", "-param", "io.latency=1ms",
		"-tasks", "10", "-reps", "1", "-warmup", "0", "-isolate=false", "-out", out)
	if code != 1 || !strings.Contains(stdout, "sequential") || !strings.Contains(stdout, "pool") || strings.Contains(stdout, "results: ") {
		t.Fatalf("exit %d; want 1 and the table without a results folder\n%s\n%s", code, stdout, stderr)
	}
	kept, _ := filepath.Glob(filepath.Join(rescue, "concbench-rescued", "*", "results.json"))
	if len(kept) != 1 || !strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, "every cell measured is kept in "+kept[0]) {
		t.Fatalf("rescued %v; stderr %q", kept, stderr)
	}
	res, err := results.Read(kept[0])
	if err != nil || !res.Complete || len(res.Cells) != 2 {
		t.Errorf("rescued results: %v, %+v", err, res)
	}
}
