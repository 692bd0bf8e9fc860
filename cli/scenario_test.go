package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concbench/concbench/harness/results"
)

const tight = `schema: concbench/scenario/v1
name: tight
workloads:
  io:
    tasks: 4
    params: {latency: 1ms}
strategies: [pool]
limits: [2]
reps: 3
warmup: 0
thresholds:
  - "pool: p99 < 1us"
  - "errors < 1%"
`

func TestThresholds(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "tight.yaml")
	os.WriteFile(f, []byte(tight), 0o644)
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "run", "-f", f, "-out", out)
	if code != 1 || !strings.Contains(stderr, "failed: threshold pool: p99 < 1us: io pool 2: p99<1us (was ") {
		t.Errorf("a failing threshold: exit %d, stderr %q", code, stderr)
	}
	// Every verdict, the met one included, in the terminal, results.json and summary.md.
	if !strings.Contains(stdout, "thresholds: 1 met, 1 failed\n  failed: threshold pool: p99 < 1us: io pool 2") ||
		!strings.Contains(stdout, "  met: threshold errors < 1%: io pool 2") {
		t.Errorf("the terminal does not show both verdicts:\n%s", stdout)
	}
	dirs, _ := filepath.Glob(filepath.Join(out, "*"))
	res, err := results.Read(dirs[0])
	if err != nil || len(res.Thresholds) != 2 || res.Thresholds[0].Met || !res.Thresholds[1].Met {
		t.Errorf("results.json verdicts %+v, %v", res.Thresholds, err)
	}
	if md, _ := os.ReadFile(filepath.Join(dirs[0], "summary.md")); !strings.Contains(string(md), "## Thresholds\n\n- failed: threshold pool") {
		t.Errorf("summary.md has no verdicts")
	}
	code, _, stderr = bench(t, context.Background(), "run", "-f", f, "-quick", "-out", dir)
	if code != 0 || !strings.Contains(stderr, "warning: thresholds are not enforced in a -quick smoke run") {
		t.Errorf("-quick: exit %d, stderr %q", code, stderr)
	}
	// Flags override the file: -reps 2 instead of 3.
	out = t.TempDir()
	bench(t, context.Background(), "run", "-f", f, "-reps", "2", "-out", out)
	dirs, _ = filepath.Glob(filepath.Join(out, "*"))
	if res, err := results.Read(dirs[0]); err != nil || res.Plan.Reps != 2 || len(res.Cells[0].Repetitions) != 2 {
		t.Errorf("-reps 2 did not override the file: %v", err)
	}
}

func TestInitAndValidate(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "scenario.yaml")
	if code, _, stderr := bench(t, context.Background(), "init", "-o", f); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	if code, stdout, stderr := bench(t, context.Background(), "validate", "-f", f); code != 0 || !strings.HasPrefix(stdout, "ok: ") {
		t.Errorf("the starter does not validate: exit %d, %s %s", code, stdout, stderr)
	}
	if code, _, stderr := bench(t, context.Background(), "init", "-o", f); code != 2 || !strings.Contains(stderr, "exists; init never overwrites") {
		t.Errorf("init over a file: exit %d, %q", code, stderr)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("schema: concbench/scenario/v1\nworkloads:\n  io:\n    params: {latncy: 1ms}\n"), 0o644)
	code, stdout, stderr := bench(t, context.Background(), "validate", "-f", bad)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "bad.yaml:4: workloads.io.params.latncy: unknown parameter") {
		t.Errorf("validate a bad file: exit %d, %q", code, stderr)
	}
	code, _, stderr = bench(t, context.Background(), "run", "-f", f, "-param", "io.latency=1ms")
	if code != 2 || !strings.Contains(stderr, "-param: set parameters in the scenario file") {
		t.Errorf("-param with -f: exit %d, %q", code, stderr)
	}
}

// TestSelectorsThatMatchNothingAreBadInput checks a typo and a strategy
// left out by -strategies, at validate and at run: exit 2, nothing written.
func TestSelectorsThatMatchNothingAreBadInput(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "typo.yaml")
	os.WriteFile(f, []byte(strings.Replace(tight, `"pool: p99 < 1us"`, `"poool: p99 < 1us"`, 1)), 0o644)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"validate", "-f", f}, `typo.yaml:12: thresholds[0]: selector "poool" matches no cell of the plan; did you mean "pool"?`},
		{[]string{"run", "-f", f}, `typo.yaml:12: thresholds[0]: selector "poool" matches no cell of the plan`},
		{[]string{"run", "-f", filepath.Join(dir, "tight.yaml"), "-strategies", "semaphore"}, `tight.yaml:12: thresholds[0]: selector "pool" matches no cell of the plan`},
	}
	os.WriteFile(filepath.Join(dir, "tight.yaml"), []byte(tight), 0o644)
	for _, tt := range tests {
		out := t.TempDir()
		code, stdout, stderr := bench(t, context.Background(), append(tt.args, "-out", out)...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr, tt.want)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("%v: bad input left a folder", tt.args)
		}
	}
}
