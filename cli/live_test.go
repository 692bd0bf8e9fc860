package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concbench/concbench/harness/remotewrite/remotewritetest"
	"github.com/concbench/concbench/harness/target"
)

// TestRemoteWriteFromEveryCommand: run, capacity and merge write their
// series too (attack has its own test against Prometheus, in cmd/bench):
// each cell's progress reaches 1, and its figures at its end are the
// run's, labelled by the run folder's name.
func TestRemoteWriteFromEveryCommand(t *testing.T) {
	srv, err := target.Start(target.Config{}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, tc := range []struct {
		name      string
		before    [][]string // commands that make the input, without remote write
		args      []string
		submitted map[string]float64 // concbench_tasks_submitted by workload, strategy and limit
	}{
		{name: "run", args: []string{"run", "-workloads", "io", "-strategies", "pool,semaphore", "-limits", "2", "-tasks", "20", "-reps", "2",
			"-warmup", "0", "-param", "io.latency=1ms", "-isolate=false"},
			submitted: map[string]float64{"io pool 2": 40, "io semaphore 2": 40}},
		{name: "capacity", args: []string{"capacity", "-workload", "io", "-strategy", "semaphore", "-limits", "1,2,3,4,5,6", "-reps", "1",
			"-warmup", "0", "-tasks", "10", "-tasks-per-limit", "2", "-param", "io.latency=1ms", "-isolate=false"},
			submitted: map[string]float64{"io semaphore 1": 10, "io semaphore 6": 12}},
		{name: "merge", before: [][]string{
			{"attack", "-target", srv.URL(), "-rate", "100/s", "-duration", "1s", "-shards", "2", "-shard", "0"},
			{"attack", "-target", srv.URL(), "-rate", "100/s", "-duration", "1s", "-shards", "2", "-shard", "1"},
		}, args: []string{"merge"}, submitted: map[string]float64{"http 100/s open-loop 256": 100}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := tc.args
			for _, b := range tc.before {
				if code, _, stderr := bench(t, context.Background(), append(b, "-out", filepath.Join(out, "in"))...); code != ExitOK {
					t.Fatalf("%v: exit %d: %s", b, code, stderr)
				}
			}
			if tc.before != nil {
				shards, _ := filepath.Glob(filepath.Join(out, "in", "*"))
				args = append(args, shards...)
			}
			rec := &remotewritetest.Receiver{}
			code, _, stderr := bench(t, context.Background(), append(args, "-out", out, "-remote-write", rec.Start(t)+"/api/v1/write")...)
			if code != ExitOK || !strings.Contains(stderr, "remote write: ") || strings.Contains(stderr, "dropped") {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got := map[string]float64{}
			for labels, v := range rec.Last("concbench_tasks_submitted") {
				got[cellOf(labels)] = v
			}
			for cell, want := range tc.submitted {
				if got[cell] != want {
					t.Errorf("%s: %v submitted, want %v (all: %v)", cell, got[cell], want, got)
				}
			}
			if tc.name != "merge" {
				for labels, v := range rec.Last("concbench_cell_progress_ratio") {
					if v != 1 {
						t.Errorf("%s: progress %v at the end", labels, v)
					}
				}
			}
		})
	}
}

// cellOf names a series' cell from its labels (limit=2,run=...,strategy=pool,workload=io).
func cellOf(labels string) string {
	l := map[string]string{}
	for _, kv := range strings.Split(labels, ",") {
		k, v, _ := strings.Cut(kv, "=")
		l[k] = v
	}
	return l["workload"] + " " + l["strategy"] + " " + l["limit"]
}
