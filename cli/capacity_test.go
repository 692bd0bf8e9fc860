package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCapacitySweepFindsTheKnee sweeps the http workload against an
// embedded target of capacity 16: throughput must level off near 16, the
// SLO limit must sit at or below it, and the points past it, where most
// requests are rejected, are left out of the fit.
func TestCapacitySweepFindsTheKnee(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "capacity", "-param", "http.capacity=16", "-param", "http.latency=10ms",
		"-limits", "1,2,3,4,6,8,12,16,32,64", "-reps", "1", "-warmup", "0", "-tasks-per-limit", "6", "-slo", "p99<=50ms,errors<1%", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	res := onlyRun(t, out)
	c := res.Capacity
	if c == nil || c.Fit == nil || len(c.Points) != 10 || !slices.Equal(c.FitExcluded, []float64{32, 64}) {
		t.Fatalf("capacity report %+v", c)
	}
	if !strings.Contains(stdout, "left out of the fit, their errors above the budget of 1%: 32 (") {
		t.Errorf("no note of the points left out:\n%s", stdout)
	}
	t.Logf("knee %v, SLO limit %d, USL N* %.1f, λ %.1f σ %.3g κ %.3g", c.Knee, c.SLOLimit, c.Fit.PeakN, c.Fit.Lambda, c.Fit.Sigma, c.Fit.Kappa)
	if c.Knee < 8 || c.Knee > 32 {
		t.Errorf("knee at %v, want near 16", c.Knee)
	}
	if c.SLOLimit < 1 || c.SLOLimit > 16 {
		t.Errorf("SLO limit %d, want at or below 16", c.SLOLimit)
	}
	for _, f := range []string{"capacity.csv", "capacity.png", "capacity.svg"} {
		if files, _ := filepath.Glob(filepath.Join(out, "*", f)); len(files) != 1 {
			t.Errorf("%s: %v", f, files)
		}
	}
	dirs, _ := filepath.Glob(filepath.Join(out, "*"))
	legibleCharts(t, dirs[0])
	if !strings.Contains(stdout, "recommended limit for a pool or semaphore: ") {
		t.Errorf("no recommendation:\n%s", stdout)
	}
}

func TestCapacityFitsAFile(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "wrk.csv")
	os.WriteFile(csv, []byte("concurrency,throughput\n1,1000\n2,1950\n4,3700\n8,6400\n16,9300\n32,10100\n64,8500\n"), 0o644)
	code, stdout, stderr := bench(t, context.Background(), "capacity", "-fit", csv, "-out", dir)
	if code != 0 || !strings.Contains(stdout, "USL fit (ols): lambda") || !strings.Contains(stdout, "peak: ") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*", "capacity.png")); len(files) != 1 {
		t.Errorf("capacity charts %v", files)
	}
	// The file has no latency, errors or Little's-law figures: none is shown as 0.
	if !regexp.MustCompile(`\n\s+1\s+1000\s+-\s+-\s+-\s+-\s+-\n`).MatchString(stdout) {
		t.Errorf("columns the input lacks are not marked unknown:\n%s", stdout)
	}
}

func TestCapacityRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	few := filepath.Join(dir, "few.csv")
	os.WriteFile(few, []byte("1,10\n2,19\n4,35\n8,60\n16,80\n"), 0o644)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("1,10\n2,x\n"), 0o644)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-fit", few}, "5 distinct concurrencies; the fit needs at least 6"},
		{[]string{"-fit", bad}, `line 2: throughput "x" must be a number above 0`},
		{[]string{"-fit", filepath.Join(dir, "none.csv")}, "-fit: open"},
		{[]string{"-strategy", "unbounded"}, "-strategy: unbounded has no limit to sweep"},
		{[]string{"-strategy", "semaphor"}, `did you mean "semaphore"?`},
		{[]string{"-limits", "1,0"}, "-limits: 0 is out of range"},
		{[]string{"-slo", "p99"}, `-slo: "p99"`},
		{[]string{"-workload", "io", "-param", "http.latency=1ms"}, "-param http: the sweep runs only io"},
	}
	for _, tt := range tests {
		out := t.TempDir()
		code, _, stderr := bench(t, context.Background(), append(append([]string{"capacity"}, tt.args...), "-out", out)...)
		if code != 2 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr, tt.want)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("%v: bad input left a folder", tt.args)
		}
	}
}
