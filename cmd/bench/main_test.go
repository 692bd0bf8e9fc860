// The end-to-end tests of the command: real runs, isolated cells, real
// processes and signals, shards, the shipped scenarios. They sit beside
// cli's own tests, in their own package, so that go test runs the two at
// once.
package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/concbench/concbench/cli"
	"github.com/concbench/concbench/harness/isolate"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/strategy/pools"
)

// TestMain runs the command when started as an isolated cell's child (the
// test binary stands in for bench), else the tests, then removes the
// command built for them.
func TestMain(m *testing.M) {
	if os.Getenv(isolate.ChildEnv) == "1" {
		os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	code := m.Run()
	if builds.dir != "" {
		os.RemoveAll(builds.dir)
	}
	if code == 0 {
		// fasthttp's cleaner goroutine outlives a closed http workload by up
		// to 90 s; it exits by itself. Package ants's default pool lives
		// as long as the process (pools.Background).
		ignore := []goleak.Option{goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*HostClient).connsCleaner")}
		for _, f := range pools.Background {
			ignore = append(ignore, goleak.IgnoreTopFunction(f))
		}
		if err := goleak.Find(ignore...); err != nil {
			os.Stderr.WriteString("goleak: " + err.Error() + "\n")
			code = 1
		}
	}
	os.Exit(code)
}

// builds is the folder of the commands built for the tests, removed at
// the end.
var builds struct {
	once sync.Once
	dir  string
	err  error
}

func builtDir() (string, error) {
	builds.once.Do(func() { builds.dir, builds.err = os.MkdirTemp("", "bench-e2e-") })
	return builds.dir, builds.err
}

// built is the command as the tests were built (with -race when they
// were), built once for the tests that need a real process.
var built struct {
	once sync.Once
	bin  string
	err  error
	out  []byte
}

// buildBench builds the command once and returns its path. Race-built
// tests get a race-built command, from the packages they were built from
// (a link, not a rebuild), which finds races across processes too.
func buildBench(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := builtDir()
		if err != nil {
			built.err = err
			return
		}
		built.bin = filepath.Join(dir, "bench")
		args := []string{"build", "-o", built.bin}
		if raceEnabled {
			args = append(args, "-race")
		}
		built.out, built.err = exec.Command("go", append(args, ".")...).CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// bench runs the command in process, as main does, and returns its exit
// status and outputs.
func bench(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Main(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// onlyRun reads the results of the one run folder under out.
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

// everyRunParses fails t, saying why, for each results.json under out
// that does not read whole, and returns how many there are.
func everyRunParses(t *testing.T, out, why string) int {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(out, "*", results.FileName))
	for _, f := range files {
		if _, err := results.Read(f); err != nil {
			t.Errorf("%s: %v", why, err)
		}
	}
	return len(files)
}
