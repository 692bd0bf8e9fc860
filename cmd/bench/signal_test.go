package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/results"
)

// TestSIGINTKeepsWhatWasMeasured interrupts a real bench process in the
// middle of a repetition: it exits 130 and leaves a parseable results.json,
// marked incomplete, with the tasks completed so far.
func TestSIGINTKeepsWhatWasMeasured(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildBench(t)
	out := t.TempDir()
	cmd := exec.Command(bin, "-workloads", "io", "-strategies", "sequential", "-param", "io.latency=20ms",
		"-tasks", "500", "-reps", "5", "-warmup", "0", "-isolate=false", "-out", out)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // inside the first repetition (10 s)
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\n%s", err, stdout.String())
	}
	if !strings.Contains(stderr.String(), "bench: interrupt signal received: stopping, keeping what was measured") {
		t.Errorf("the interrupt was not answered:\n%s", stderr.String())
	}
	dirs, _ := filepath.Glob(filepath.Join(out, "*"))
	if len(dirs) != 1 {
		t.Fatalf("run folders %v", dirs)
	}
	res, err := results.Read(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	if res.Complete || len(res.Cells) != 1 || len(res.Cells[0].Repetitions) != 1 {
		t.Fatalf("complete %v, %d cells", res.Complete, len(res.Cells))
	}
	r := res.Cells[0].Repetitions[0]
	t.Logf("interrupted repetition: %d of %d tasks completed, errors %v", r.Completed, r.Submitted, r.Errors)
	if !r.Interrupted || r.Completed < 20 || r.Completed > 100 || r.ErrorCount() != 0 {
		t.Errorf("repetition %+v: want interrupted, with the 20 to 100 tasks done in 1.5 s, and no error (in-flight tasks finish)", r)
	}
}

// TestSecondSignalExitsAtOnce sends two interrupts: the process ends at
// once, and whatever it wrote parses.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildBench(t)
	out := t.TempDir()
	// One task of 30 s: the first signal waits for it (grace 2 s); the second must not.
	cmd := exec.Command(bin, "-workloads", "io", "-strategies", "unbounded", "-param", "io.latency=30s", "-param", "io.mode=block",
		"-tasks", "1", "-reps", "1", "-warmup", "0", "-isolate=false", "-out", out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	time.Sleep(100 * time.Millisecond)
	begin := time.Now()
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || time.Since(begin) > time.Second {
		t.Fatalf("after the second signal: %v after %v", err, time.Since(begin))
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); ok && !ws.Signaled() && exit.ExitCode() != 130 {
		t.Errorf("exit %v", exit)
	}
	everyRunParses(t, out, "a file written before the second signal is corrupt")
}

// TestSIGKILLLeavesNoTruncatedFile kills real runs at moments spread over
// their writing: every results.json left behind must parse whole.
func TestSIGKILLLeavesNoTruncatedFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildBench(t)
	out := t.TempDir()
	for i := range 8 {
		cmd := exec.Command(bin, "-quick", "-workloads", "io,cpu", "-isolate=false", "-out", out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(300+100*i) * time.Millisecond) // the run takes about 0.7 s, then writes
		cmd.Process.Kill()
		cmd.Wait()
	}
	n := everyRunParses(t, out, "a killed run left a bad file")
	t.Logf("%d of 8 killed runs had written results.json; all parse", n)
}

// TestSIGKILLKeepsFinishedCells kills a run in its second cell: the
// checkpoint written after the first cell is a whole results.json, marked
// incomplete, with that cell.
func TestSIGKILLKeepsFinishedCells(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildBench(t)
	out := t.TempDir()
	cmd := exec.Command(bin, "-workloads", "io", "-strategies", "unbounded,sequential", "-param", "io.latency=20ms",
		"-tasks", "100", "-reps", "2", "-warmup", "0", "-isolate=false", "-out", out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // unbounded takes about 50 ms, sequential 4 s
	cmd.Process.Kill()
	cmd.Wait()
	res := onlyRun(t, out) // the checkpoint
	if res.Complete || len(res.Cells) != 1 || res.Cells[0].Strategy != "unbounded" || len(res.Cells[0].Repetitions) != 2 {
		t.Fatalf("checkpoint: %+v", res)
	}
}

// TestGroupSIGINTKeepsIsolatedCells sends SIGINT to the whole process
// group, as a terminal's Ctrl-C does, at moments spread over isolated
// cells: the child no longer gets the signal twice, so no cell is lost to
// "signal: interrupt".
func TestGroupSIGINTKeepsIsolatedCells(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildBench(t)
	for i := range 5 {
		out := t.TempDir()
		cmd := exec.Command(bin, "-workloads", "io,cpu", "-strategies", "sequential", "-param", "io.latency=2ms", "-tasks", "100", "-out", out)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(600+250*i) * time.Millisecond)
		syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
		err := cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 130 {
			t.Errorf("trial %d: exit %v, want 130", i, err)
		}
		files, _ := filepath.Glob(filepath.Join(out, "*", "results.json"))
		if len(files) != 1 {
			continue // interrupted before the first repetition ended: nothing to keep
		}
		res, err := results.Read(files[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Cells {
			if c.Failed != "" {
				t.Errorf("trial %d: cell %s lost: %s", i, c.Name(), c.Failed)
			}
		}
	}
}

// TestChildrenDieWithTheirParent kills a run while an isolated cell runs:
// the kernel kills the cell's process too.
func TestChildrenDieWithTheirParent(t *testing.T) {
	if testing.Short() || runtime.GOOS != "linux" {
		t.Skip("Linux: builds and runs the command")
	}
	bin := buildBench(t)
	cmd := exec.Command(bin, "-workloads", "io", "-strategies", "sequential", "-param", "io.latency=20s", "-tasks", "1",
		"-reps", "1", "-warmup", "0", "-out", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var child int
	for deadline := time.Now().Add(5 * time.Second); child == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		child = childOf(cmd.Process.Pid)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if child == 0 {
		t.Fatal("the isolated cell's process never started")
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if !alive(child) {
			return
		}
	}
	syscall.Kill(child, syscall.SIGKILL)
	t.Errorf("the cell's process %d outlived its killed parent", child)
}

// childOf returns a child process of pid, from /proc, or 0.
func childOf(pid int) int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut at the last ')'.
		rest := string(data[bytes.LastIndexByte(data, ')')+1:])
		var state string
		var ppid int
		if _, err := fmt.Sscan(rest, &state, &ppid); err == nil && ppid == pid {
			var p int
			fmt.Sscan(string(data), &p)
			return p
		}
	}
	return 0
}

// alive reports whether pid is a process that has not exited (a zombie
// counts as gone).
func alive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	rest := string(data[bytes.LastIndexByte(data, ')')+1:])
	var state string
	fmt.Sscan(rest, &state)
	return state != "Z"
}

// TestSIGKILLAttackKeepsWhatWasSent kills an attack 2.5 s into 10 s: its
// once-a-second checkpoint is a whole results.json holding the seconds
// sent, as one interrupted repetition.
func TestSIGKILLAttackKeepsWhatWasSent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildBench(t)
	out := t.TempDir()
	cmd := exec.Command(bin, "attack", "-rate", "100/s", "-duration", "10s", "-param", "http.latency=1ms", "-out", out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond)
	cmd.Process.Kill()
	cmd.Wait()
	res := onlyRun(t, out) // the checkpoint
	if res.Complete || len(res.Cells) != 1 || len(res.Cells[0].Repetitions) != 1 {
		t.Fatalf("checkpoint: %+v", res)
	}
	r := res.Cells[0].Repetitions[0]
	t.Logf("checkpoint: %d sent, %d intervals, p99 %v", r.Completed, len(r.Intervals), r.Response.P99)
	if !r.Interrupted || r.Completed < 80 || r.Completed > 250 || r.Histograms == nil || r.Histograms.Response.Count() != int64(r.Completed) {
		t.Errorf("repetition kept: interrupted %v, %d sent, histograms %v; want 80 to 250 sent in 1 to 2.5 s, in its histogram", r.Interrupted, r.Completed, r.Histograms != nil)
	}
}

// TestSIGINTAttackCountsNotSent interrupts an attack of 100/s for 6 s
// after 1.5 s: the requests due after the interrupt are not sent, apart
// from dropped (which means the generator fell behind: here none).
func TestSIGINTAttackCountsNotSent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildBench(t)
	out := t.TempDir()
	cmd := exec.Command(bin, "attack", "-rate", "100/s", "-duration", "6s", "-param", "http.latency=1ms", "-out", out)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	res := onlyRun(t, out)
	if len(res.Cells) != 1 {
		t.Fatalf("%+v\n%s", res, stdout.String())
	}
	r := res.Cells[0].Repetitions[0]
	t.Logf("sent %d, dropped %d, not sent %d of %d", r.Completed, r.Dropped, r.NotSent, r.Submitted)
	if r.Completed+r.Dropped+r.NotSent != 600 || r.NotSent < 350 || r.Dropped > 20 || !bytes.Contains(stdout.Bytes(), []byte("not-sent")) {
		t.Errorf("sent %d + dropped %d + not sent %d: want 600, most not sent, few dropped, and a not-sent column\n%s", r.Completed, r.Dropped, r.NotSent, stdout.String())
	}
}
