package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
)

// TestFormatJSONPrintsOnlyTheSummary runs a small plan with -format
// json: stdout is one JSON summary that agrees with results.json, and
// holds nothing else.
func TestFormatJSONPrintsOnlyTheSummary(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "-format", "json", "-workloads", "io", "-param", "io.latency=1ms",
		"-strategies", "sequential,pool", "-limits", "4", "-tasks", "20", "-reps", "2", "-warmup", "0", "-isolate=false",
		"-slo", "p99<=10s", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s report.Summary
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil || dec.More() {
		t.Fatalf("stdout is not one summary (%v):\n%s", err, stdout)
	}
	res, err := results.Read(s.Results)
	if err != nil {
		t.Fatalf("the summary's folder %q: %v", s.Results, err)
	}
	if s.Schema != report.SummarySchema || !s.Complete || len(s.Cells) != len(res.Cells) || len(s.Recommendations) != 1 {
		t.Fatalf("summary %+v against %d cells", s, len(res.Cells))
	}
	for i, c := range s.Cells {
		r := res.Cells[i]
		if c.Workload != r.Workload || c.Strategy != r.Strategy || c.Goodput != r.Summary.Throughput ||
			c.P99 != r.Summary.Response.P99 || c.Submitted != 40 || c.Errors != 0 || c.Repetitions != 2 {
			t.Errorf("cell %d: %+v against results.json's %s (goodput %v, p99 %v)", i, c, r.Name(), r.Summary.Throughput, r.Summary.Response.P99)
		}
	}
	if strings.Contains(stdout, "goodput/s") || strings.Contains(stdout, "results: ") {
		t.Errorf("stdout has the text output beside the JSON:\n%s", stdout)
	}
}

// TestAttackFormatJSON attacks the embedded target briefly with -format
// json: stdout is the summary of its one cell, the rate asked included.
func TestAttackFormatJSON(t *testing.T) {
	code, stdout, stderr := bench(t, context.Background(), "attack", "-format", "json", "-rate", "50/s", "-duration", "1s",
		"-encode", "none", "-out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s report.Summary
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("stdout is not a summary (%v):\n%s", err, stdout)
	}
	if len(s.Cells) != 1 || s.Cells[0].TargetRate != 50 || s.Cells[0].Submitted != 50 || s.Cells[0].Errors != 0 {
		t.Errorf("summary cells %+v: want one attack of 50 requests at 50/s", s.Cells)
	}
}

func TestFormatIsCheckedAndExclusiveWithBundle(t *testing.T) {
	if code, _, stderr := bench(t, context.Background(), "-format", "yaml"); code != 2 || !strings.Contains(stderr, `-format: "yaml": want text or json`) {
		t.Errorf("run -format yaml: exit %d, %q", code, stderr)
	}
	code, _, stderr := bench(t, context.Background(), "attack", "-format", "json", "-bundle", "-rate", "10/s", "-duration", "1s", "-out", t.TempDir())
	if code != 2 || !strings.Contains(stderr, "-format json: not with -bundle") {
		t.Errorf("attack -format json -bundle: exit %d, %q", code, stderr)
	}
}

// TestPlotOpenMetrics prints a run's summary as OpenMetrics and writes
// nothing into its folder; a bad format is bad input.
func TestPlotOpenMetrics(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := bench(t, context.Background(), "-quick", "-workloads", "io", "-strategies", "pool", "-isolate=false", "-out", out); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	dirs, _ := filepath.Glob(filepath.Join(out, "*"))
	before, _ := os.ReadDir(dirs[0])
	code, stdout, stderr := bench(t, context.Background(), "plot", "-format", "openmetrics", dirs[0])
	if code != 0 || !strings.Contains(stdout, `concbench_goodput_per_second{run="`+filepath.Base(dirs[0])+`",workload="io",strategy="pool",limit="8"}`) || !strings.HasSuffix(stdout, "# EOF\n") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr: %s", code, stdout, stderr)
	}
	if after, _ := os.ReadDir(dirs[0]); len(after) != len(before) {
		t.Errorf("the folder went from %d files to %d", len(before), len(after))
	}
	if code, _, stderr := bench(t, context.Background(), "plot", "-format", "csv", dirs[0]); code != 2 || !strings.Contains(stderr, `-format: "csv": want files or openmetrics`) {
		t.Errorf("plot -format csv: exit %d, %q", code, stderr)
	}
}

// TestProfileWritesFilesAndNamesTopFunctions profiles a quick in-process
// run: each cell writes its files under profiles/, results.json lists
// them, and the table names each profiled cell's top functions.
func TestProfileWritesFilesAndNamesTopFunctions(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "-quick", "-workloads", "cpu", "-strategies", "pool,semaphore", "-isolate=false",
		"-profile", "cpu,heap,trace", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dirs, _ := filepath.Glob(filepath.Join(out, "*"))
	res, err := results.Read(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Cells {
		if len(c.Profiles) != 3 || len(c.CPUTop) == 0 {
			t.Errorf("%s: profiles %v, CPU top %v", c.Name(), c.Profiles, c.CPUTop)
		}
		for _, rel := range c.Profiles {
			if fi, err := os.Stat(filepath.Join(dirs[0], rel)); err != nil || fi.Size() == 0 {
				t.Errorf("%s: %s: %v", c.Name(), rel, err)
			}
		}
	}
	if !strings.Contains(stdout, "Profiled cells") || !strings.Contains(stdout, "profiles/cpu-pool-8.cpu.pprof") {
		t.Errorf("the table does not show the profiled cells:\n%s", stdout)
	}
	if code, _, stderr := bench(t, context.Background(), "-profile", "cpu,gpu"); code != 2 || !strings.Contains(stderr, `-profile: "gpu": want some of cpu, heap, mutex, block, trace`) {
		t.Errorf("-profile cpu,gpu: exit %d, %q", code, stderr)
	}
}
