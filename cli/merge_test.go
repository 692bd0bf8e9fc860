package cli

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
	"syscall"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/results"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TestShardsMergeIntoOneRun is the sharded attack end to end on loopback:
// four bench processes, shards 0 to 3 of 4000/s, attack one embedded
// target (bench serve) from one start time, and bench merge adds their folders up into
// one run. Its count is the shards' sum, its service-time p50, p99 and
// max those of one histogram of every request the shards' vegeta files
// hold, its achieved rate within 5% of 4000/s; and merging the bundles
// the shards printed gives the same run.
func TestShardsMergeIntoOneRun(t *testing.T) {
	bin := buildBench(t)
	url := serveTarget(t, bin, "-latency", "1ms")
	out := t.TempDir()
	start := time.Now().Add(3 * time.Second).UTC().Format(time.RFC3339Nano)
	var wg sync.WaitGroup
	logs := make([]bytes.Buffer, 4)
	for i := range 4 {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "attack", "-target", url, "-rate", "4000/s", "-duration", "4s", "-timeout", "2s",
				"-shards", "4", "-start-at", start, "-out", out, "-bundle")
			cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", shardIndexEnv, i))
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
	dirs, _ := filepath.Glob(filepath.Join(out, "*-shard*of4"))
	if len(dirs) != 4 {
		t.Fatalf("shard folders %v", dirs)
	}
	merged := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), append([]string{"merge", "-out", merged}, dirs...)...)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
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
		f, err := os.Open(filepath.Join(d, "vegeta-4000pers-1.gob"))
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
	if rep.Completed != sent || all.Count() != int64(sent) || sent < 15_000 {
		t.Errorf("merged %d requests, the shards %d, their vegeta files %d; want equal, about 16,000", rep.Completed, sent, all.Count())
	}
	if rep.Submitted != 16_000 {
		t.Errorf("the shards scheduled %d requests together; the whole schedule is 4000/s x 4s = 16000", rep.Submitted)
	}
	want := all.Quantiles()
	if rep.Service.P50 != want.P50 || rep.Service.P99 != want.P99 || rep.Service.Max != want.Max {
		t.Errorf("merged service p50 %v p99 %v max %v; one histogram of every request: %v %v %v",
			rep.Service.P50, rep.Service.P99, rep.Service.Max, want.P50, want.P99, want.Max)
	}
	if rep.TargetRate != 4000 || math.Abs(rep.Throughput-4000) > 200 {
		t.Errorf("asked %v/s, achieved %.0f/s: want 4000 and within 5%% of it", rep.TargetRate, rep.Throughput)
	}
	if !strings.Contains(stdout, "merged 4 shards") {
		t.Errorf("stdout:\n%s", stdout)
	}
	for _, name := range []string{"hdr-4000pers-1.hlog", "spectrum-4000pers-1.txt", "vegeta-4000pers-1.gob", "over-time.png"} {
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
	if err := os.Remove(filepath.Join(dirs[2], "hdr-4000pers-1.hlog")); err != nil {
		t.Fatal(err)
	}
	missing := t.TempDir()
	code, _, stderr = bench(t, context.Background(), append([]string{"merge", "-out", missing}, dirs...)...)
	if entries, _ := os.ReadDir(missing); code != ExitBadInput || !strings.Contains(stderr, "a shard's file is missing") || len(entries) != 0 {
		t.Errorf("a missing interval log: exit %d, %q, %d entries left; want 2 and nothing", code, stderr, len(entries))
	}
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

func TestShardFlagsRefuseBadInput(t *testing.T) {
	t.Setenv(shardIndexEnv, "")
	os.Unsetenv(shardIndexEnv)
	target := []string{"-target", "http://127.0.0.1:1/"}
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"-shards", "0"}, "", "bench: -shards: 0 is out of range 1..1000"},
		{[]string{"-shard", "1"}, "", "bench: -shard: takes -shards above 1"},
		{[]string{"-start-at", "2026-11-24T12:00:00Z"}, "", "bench: -start-at: takes -shards above 1"},
		{append([]string{"-shards", "4"}, target...), "", "bench: -shard: give this generator's shard, 0 to 3, or set JOB_COMPLETION_INDEX as an Indexed Job does"},
		{append([]string{"-shards", "4"}, target...), "4", `bench: JOB_COMPLETION_INDEX: "4": want a shard from 0 to 3`},
		{append([]string{"-shards", "4", "-shard", "-1"}, target...), "", "bench: -shard: -1 is out of range 0..3"},
		{[]string{"-shards", "4", "-shard", "1"}, "", "bench: -shards: shards attack one target: give -target (bench serve starts one on loopback)"},
		{append([]string{"-shards", "4", "-shard", "1", "-start-at", "noon"}, target...), "", `bench: -start-at: "noon": want a time in RFC 3339, such as 2026-11-24T12:00:00Z`},
		{append([]string{"-shards", "4", "-shard", "1", "-slo", "p99<=10ms"}, target...), "", "bench: -shards: an SLO search chooses its rates as it goes, so shards would part ways; give -rates"},
		{append([]string{"-shards", "2", "-shard", "1", "-users", "1s:2"}, target...), "", "bench: -shards: closed-loop users follow no schedule to split; shard an open-loop attack (-rate, -rates, -stages)"},
	} {
		if tc.env != "" {
			t.Setenv(shardIndexEnv, tc.env)
		}
		out := t.TempDir()
		code, _, stderr := bench(t, context.Background(), append([]string{"attack", "-out", out}, tc.args...)...)
		if code != ExitBadInput || strings.TrimSpace(stderr) != tc.want {
			t.Errorf("%v: exit %d, %q; want 2, %q", tc.args, code, stderr, tc.want)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("%v: wrote %d entries", tc.args, len(entries))
		}
		if tc.env != "" {
			os.Unsetenv(shardIndexEnv)
		}
	}
}

func TestMergeRefusesBadInput(t *testing.T) {
	notShard := t.TempDir()
	if err := os.WriteFile(filepath.Join(notShard, "results.json"), []byte(`{"schema":"concbench/results/v1","cells":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.log")
	if err := os.WriteFile(empty, []byte("no bundles here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "bench: merge: give the shards' run folders, or -logs FILE"},
		{[]string{"-max-skew", "-1s", notShard}, "bench: -max-skew: -1s must be >= 0"},
		{[]string{"-logs", empty, notShard}, "bench: -logs: give the shards' run folders or a log of their bundles, not both"},
		{[]string{"-logs", empty}, "bench: -logs: no bundles in " + empty + "; run the shards with bench attack -bundle"},
		{[]string{notShard}, "bench: shard " + notShard + ": not the run of a shard (it has no shard record); bench attack -shards N writes one"},
	} {
		out := t.TempDir()
		code, _, stderr := bench(t, context.Background(), append([]string{"merge", "-out", out}, tc.args...)...)
		if code != ExitBadInput || strings.TrimSpace(stderr) != tc.want {
			t.Errorf("%v: exit %d, %q; want 2, %q", tc.args, code, stderr, tc.want)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("%v: wrote %d entries", tc.args, len(entries))
		}
	}
}

// TestMergeAnswersTheFirstInterrupt waits on a log that never ends (a
// FIFO held open) and is interrupted: it returns within a second, exit
// 130, and leaves neither the unpack folder nor the -out it created. A log
// with no bundle leaves nothing either.
func TestMergeAnswersTheFirstInterrupt(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "log")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFO here:", err)
	}
	writer, err := os.OpenFile(fifo, os.O_RDWR, 0) // a writer that never writes: reads block
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	out := filepath.Join(t.TempDir(), "results")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	code, _, stderr := bench(t, ctx, "merge", "-logs", fifo, "-out", out)
	if took := time.Since(start); code != ExitInterrupted || took > 1300*time.Millisecond {
		t.Errorf("exit %d after %v (%s); want 130 within a second of the interrupt", code, took, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("-out %s left behind: %v", out, err)
	}
	empty := filepath.Join(t.TempDir(), "empty.log")
	os.WriteFile(empty, []byte("no bundles here\n"), 0o644)
	if code, _, _ := bench(t, context.Background(), "merge", "-logs", empty, "-out", out); code != ExitBadInput {
		t.Errorf("a log without bundles: exit %d", code)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed merge left -out %s: %v", out, err)
	}
}
