package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

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
