package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/concbench/concbench/cli"
	"github.com/concbench/concbench/harness/results"
)

// TestShardsMergeIntoOneRun is the sharded attack end to end on loopback:
// four bench processes, shards 0 to 3 of 1000/s, attack one embedded
// target (bench serve) from one start time, and bench merge adds their folders up into
// one run. Its count is the shards' sum, its service-time p50, p99 and
// max those of one histogram of every request the shards' vegeta files
// hold, its achieved rate within 5% of 1000/s; and merging the bundles
// the shards printed gives the same run.
func TestShardsMergeIntoOneRun(t *testing.T) {
	bin := imageBench(t) // four generators at full speed: the plain build
	url := serveTarget(t, bin, "-latency", "1ms")
	out := t.TempDir()
	start := time.Now().Add(3 * time.Second).UTC().Format(time.RFC3339Nano)
	var wg sync.WaitGroup
	logs := make([]bytes.Buffer, 4)
	for i := range 4 {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "attack", "-target", url, "-rate", "1000/s", "-duration", "4s", "-timeout", "2s",
				"-shards", "4", "-start-at", start, "-out", out, "-bundle")
			cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", "JOB_COMPLETION_INDEX", i))
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &logs[i], &stderr
			if err := cmd.Run(); err != nil {
				t.Errorf("shard %d: %v: %s", i, err, stderr.String())
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	dirs, merged, stdout, stderr := mergeShards(t, out, 4)
	if strings.Contains(stderr, "warning") {
		t.Errorf("merge warned: %s", stderr)
	}
	got := readRun(t, merged, "*-merged")
	rep := got.Cells[0].Repetitions[0]

	sent, all := 0, results.NewHistogram()
	for _, d := range dirs {
		res, err := results.Read(d)
		if err != nil {
			t.Fatal(err)
		}
		sent += res.Cells[0].Repetitions[0].Completed
		f, err := os.Open(filepath.Join(d, "vegeta-1000pers-1.gob"))
		if err != nil {
			t.Fatal(err)
		}
		dec := vegeta.NewDecoder(f)
		for {
			var r vegeta.Result
			if dec.Decode(&r) != nil {
				break
			}
			all.Record(r.Latency)
		}
		f.Close()
	}
	// The counts add up whatever the machine keeps pace with: what the
	// shards sent is what was merged and what their files hold, and with
	// what they dropped it is the whole schedule.
	if rep.Completed != sent || all.Count() != int64(sent) || rep.Completed+rep.Dropped != 4_000 {
		t.Errorf("merged %d requests (and %d dropped), the shards %d, their vegeta files %d; want equal, 4,000 with the dropped", rep.Completed, rep.Dropped, sent, all.Count())
	}
	if rep.Submitted != 4_000 {
		t.Errorf("the shards scheduled %d requests together; the whole schedule is 1000/s x 4s = 4000", rep.Submitted)
	}
	want := all.Quantiles()
	if rep.Service.P50 != want.P50 || rep.Service.P99 != want.P99 || rep.Service.Max != want.Max {
		t.Errorf("merged service p50 %v p99 %v max %v; one histogram of every request: %v %v %v",
			rep.Service.P50, rep.Service.P99, rep.Service.Max, want.P50, want.P99, want.Max)
	}
	if rep.TargetRate != 1000 || math.Abs(rep.Throughput-1000) > 50 {
		t.Errorf("asked %v/s, achieved %.0f/s: want 1000 and within 5%% of it", rep.TargetRate, rep.Throughput)
	}
	if !strings.Contains(stdout, "merged 4 shards") {
		t.Errorf("stdout:\n%s", stdout)
	}
	for _, name := range []string{"hdr-1000pers-1.hlog", "spectrum-1000pers-1.txt", "vegeta-1000pers-1.gob", "over-time.png"} {
		if m, _ := filepath.Glob(filepath.Join(merged, "*-merged", name)); len(m) != 1 {
			t.Errorf("the merged run has no %s", name)
		}
	}

	// The same run, from the bundles in the shards' logs, all in one.
	log := filepath.Join(t.TempDir(), "pods.log")
	var all4 []byte
	for i := range logs {
		all4 = append(all4, logs[i].Bytes()...)
	}
	if err := os.WriteFile(log, all4, 0o644); err != nil {
		t.Fatal(err)
	}
	fromLogs := t.TempDir()
	if code, _, stderr := bench(t, context.Background(), "merge", "-out", fromLogs, "-logs", log); code != 0 {
		t.Fatalf("merge -logs: exit %d: %s", code, stderr)
	}
	again := readRun(t, fromLogs, "*-merged").Cells[0].Repetitions[0]
	if again.Completed != rep.Completed || again.Response != rep.Response || again.Throughput != rep.Throughput {
		t.Errorf("from the logs: %d requests, response %+v, %v/s; from the folders %d, %+v, %v/s",
			again.Completed, again.Response, again.Throughput, rep.Completed, rep.Response, rep.Throughput)
	}

	// A shard folder missing its interval log is bad input, and leaves nothing.
	if err := os.Remove(filepath.Join(dirs[2], "hdr-1000pers-1.hlog")); err != nil {
		t.Fatal(err)
	}
	missing := t.TempDir()
	code, _, stderr := bench(t, context.Background(), append([]string{"merge", "-out", missing}, dirs...)...)
	if entries, _ := os.ReadDir(missing); code != cli.ExitBadInput || !strings.Contains(stderr, "a shard's file is missing") || len(entries) != 0 {
		t.Errorf("a missing interval log: exit %d, %q, %d entries left; want 2 and nothing", code, stderr, len(entries))
	}
}

// mergeShards merges the n shards' run folders under out with bench merge
// and returns them, the merged run's parent folder and what merge printed.
func mergeShards(t *testing.T, out string, n int) (dirs []string, merged, stdout, stderr string) {
	t.Helper()
	dirs, _ = filepath.Glob(filepath.Join(out, fmt.Sprintf("*-shard*of%d", n)))
	if len(dirs) != n {
		t.Fatalf("shard folders %v, want %d", dirs, n)
	}
	merged = t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), append([]string{"merge", "-out", merged}, dirs...)...)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	return dirs, merged, stdout, stderr
}

// serveTarget starts bench serve on loopback for at most two minutes,
// stopped at the end of the test, and returns its URL.
func serveTarget(t *testing.T, bin string, flags ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "-for", "2m"}, flags...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "target: ")
	if err != nil || !ok {
		t.Fatalf("bench serve printed %q: %v", line, err)
	}
	return url
}

// readRun reads the results of the one run folder matching pattern in parent.
func readRun(t *testing.T, parent, pattern string) *results.Results {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(parent, pattern))
	if len(m) != 1 {
		t.Fatalf("run folders %v", m)
	}
	res, err := results.Read(m[0])
	if err != nil {
		t.Fatal(err)
	}
	return res
}
