package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/concbench/concbench/harness/results"
)

// TestRemoteWriteReadsBackInPrometheus sends a sharded attack's series to
// a real Prometheus (Debian's, which scripts/test.sh installs) through its
// remote-write receiver, and reads them back through its query API: both
// shards appear under one run label, each shard's responses, errors by
// kind and submitted requests equal its results.json, and summed by run
// they equal the merged run's.
func TestRemoteWriteReadsBackInPrometheus(t *testing.T) {
	prom := startPrometheus(t)
	bin := buildBench(t)
	target := serveTarget(t, bin, "-latency", "2ms", "-error-rate", "0.05")
	out := t.TempDir()
	start := time.Now().Add(3 * time.Second).UTC().Format(time.RFC3339Nano)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "attack", "-target", target, "-rate", "300/s", "-duration", "3s", "-timeout", "2s",
				"-shards", "2", "-start-at", start, "-label", "rw-test", "-out", out, "-remote-write", prom+"/api/v1/write")
			cmd.Env = append(os.Environ(), fmt.Sprintf("JOB_COMPLETION_INDEX=%d", i))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil && cmd.ProcessState.ExitCode() != 1 { // 1: the 5% errors fail no threshold, but may warn
				t.Errorf("shard %d: %v: %s", i, err, stderr.String())
			}
			if !bytes.Contains(stderr.Bytes(), []byte("remote write: ")) || bytes.Contains(stderr.Bytes(), []byte("dropped")) {
				t.Errorf("shard %d did not say it sent everything: %s", i, stderr.String())
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	dirs, merged, _, _ := mergeShards(t, out, 2)
	whole := readRun(t, merged, "*-merged").Cells[0]

	client, err := api.NewClient(api.Config{Address: prom})
	if err != nil {
		t.Fatal(err)
	}
	query := promv1.NewAPI(client)
	byShard := func(q string) map[string]float64 {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		v, _, _, err := query.Query(ctx, q, time.Now())
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		got := map[string]float64{}
		for _, s := range v.(model.Vector) {
			got[string(s.Metric["shard"])] = float64(s.Value)
		}
		return got
	}
	completed := byShard(`sum by (shard) (concbench_attack_completed_total{run="rw-test"})`)
	errors := byShard(`sum by (shard) (concbench_attack_errors_total{run="rw-test", kind="http-5xx"})`)
	submitted := byShard(`concbench_tasks_submitted{run="rw-test"}`)
	if len(completed) != 2 {
		t.Fatalf("completed by shard: %v, want shards 0 and 1 under run rw-test", completed)
	}
	for _, d := range dirs {
		res, err := results.Read(d)
		if err != nil {
			t.Fatal(err)
		}
		shard, c := strconv.Itoa(res.Shard.Index), res.Cells[0]
		want := c.Total(func(r results.Repetition) int { return r.Completed })
		if completed[shard] != float64(want) || errors[shard] != float64(c.Summary.ErrorCount()) ||
			submitted[shard] != float64(c.Total(func(r results.Repetition) int { return r.Submitted })) {
			t.Errorf("shard %s in Prometheus: %v completed, %v errors, %v submitted; results.json: %d, %d, %d", shard,
				completed[shard], errors[shard], submitted[shard], want, c.Summary.ErrorCount(), c.Total(func(r results.Repetition) int { return r.Submitted }))
		}
	}
	total := byShard(`sum by (run) (concbench_attack_completed_total{run="rw-test"})`)[""]
	if want := whole.Total(func(r results.Repetition) int { return r.Completed }); total != float64(want) || want == 0 {
		t.Errorf("summed by run: %v completed, the merged run %d", total, want)
	}
	t.Logf("Prometheus holds %v completed by shard (%v errors), %v in all, as the merged run", completed, errors, total)
}

// startPrometheus starts the Prometheus that CONCBENCH_PROMETHEUS names on
// a free loopback port, with its remote-write receiver on and nothing to
// scrape, and returns its address; it is stopped when the test ends.
func startPrometheus(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("CONCBENCH_PROMETHEUS")
	if bin == "" {
		t.Skip("needs Prometheus: scripts/test.sh installs it and sets CONCBENCH_PROMETHEUS")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	config := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(config, []byte("global: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	log, err := os.Create(filepath.Join(dir, "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd := exec.Command(bin, "--config.file="+config, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--web.enable-remote-write-receiver")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("CONCBENCH_PROMETHEUS: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	url := "http://" + addr
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(url + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(log.Name())
			t.Fatalf("Prometheus not ready on %s after 30 s:\n%s", addr, b)
		}
	}
}
