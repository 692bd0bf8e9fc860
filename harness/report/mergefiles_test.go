package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/concbench/concbench/harness/results"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// writeShard writes the files of attack "4000pers-1" into a new folder as
// shard i of an attack would: two seconds, each with its interval, and a
// vegeta result every millisecond sent from each shard's offset.
func writeShard(t *testing.T, parent string, i int, began time.Time) (string, results.Repetition) {
	t.Helper()
	dir := filepath.Join(parent, fmt.Sprintf("shard%d", i))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := CreateAttackFiles(dir, "4000pers-1", "gob", began)
	if err != nil {
		t.Fatal(err)
	}
	z := results.NewSummarizer()
	var rep results.Repetition
	for sec := range 2 {
		h := results.NewHistogram()
		var iv results.Interval
		for k := range 100 {
			sent := began.Add(time.Duration(sec)*time.Second + time.Duration(k*4+i)*time.Millisecond)
			latency := time.Duration(1+k+10*i+50*sec) * time.Millisecond
			if err := files.Result(&vegeta.Result{Timestamp: sent, Latency: latency, Code: 200, Attack: fmt.Sprint("shard ", i)}); err != nil {
				t.Fatal(err)
			}
			h.Record(latency)
			z.Add(results.Sample{End: latency, Done: true})
			iv.Count(false, false)
		}
		iv.Start, iv.Length = time.Duration(sec)*time.Second, time.Second
		iv.Times(h)
		if err := files.Interval(iv, began.Add(iv.Start), h); err != nil {
			t.Fatal(err)
		}
		rep.Intervals = append(rep.Intervals, iv)
	}
	r := z.Repetition(200, 2*time.Second)
	r.Intervals, r.Began = rep.Intervals, began
	if err := files.Close(r, true); err != nil {
		t.Fatal(err)
	}
	return dir, r
}

// TestMergeAttackFiles merges two shards' files: each merged second holds
// both shards' responses, its p50 and p99 those of them all, and the
// vegeta results come in the order they were sent.
func TestMergeAttackFiles(t *testing.T) {
	parent := t.TempDir()
	began := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	a, ra := writeShard(t, parent, 0, began)
	b, rb := writeShard(t, parent, 1, began.Add(time.Millisecond))
	res, _, err := results.MergeShards([]results.ShardRun{
		{Path: a, Results: &results.Results{Shard: &results.ShardRecord{Index: 0, Count: 2}, Cells: []results.CellResult{{Workload: "http 4000/s", Repetitions: []results.Repetition{ra}}}}},
		{Path: b, Results: &results.Results{Shard: &results.ShardRecord{Index: 1, Count: 2}, Cells: []results.CellResult{{Workload: "http 4000/s", Repetitions: []results.Repetition{rb}}}}},
	}, results.DefaultMaxSkew, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := &res.Cells[0].Repetitions[0]
	out := filepath.Join(parent, "merged")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := MergeAttackFiles(out, AttackName("http 4000/s", 0), []string{a, b}, rep); err != nil {
		t.Fatal(err)
	}
	for sec, iv := range rep.Intervals {
		// Shard 0 sent 1..100 ms (+50 in the second second), shard 1 11..110 ms.
		one := results.NewHistogram()
		for k := range 100 {
			one.Record(time.Duration(1+k+50*sec) * time.Millisecond)
			one.Record(time.Duration(11+k+50*sec) * time.Millisecond)
		}
		if iv.Completed != 200 || iv.P50 != one.Quantile(0.5) || iv.P99 != one.Quantile(0.99) || iv.Max != one.Quantiles().Max {
			t.Errorf("second %d: %d responses, p50 %v p99 %v max %v; want 200, %v %v %v", sec, iv.Completed, iv.P50, iv.P99, iv.Max,
				one.Quantile(0.5), one.Quantile(0.99), one.Quantiles().Max)
		}
	}
	f, err := os.Open(filepath.Join(out, "hdr-4000pers-1.hlog"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	log := hdr.NewHistogramLogReader(f)
	for sec := range 2 {
		h, err := log.NextIntervalHistogram()
		if err != nil || h == nil || h.TotalCount() != 200 {
			t.Fatalf("merged log second %d: %v, %v", sec, h, err)
		}
		// The log's seconds are stamped from the earliest shard's start.
		if start := began.Add(time.Duration(sec) * time.Second).UnixMilli(); h.StartTimeMs() != start || h.EndTimeMs() != start+1000 {
			t.Errorf("merged second %d from %d to %d ms, want %d to %d", sec, h.StartTimeMs(), h.EndTimeMs(), start, start+1000)
		}
	}
	vf, err := os.Open(filepath.Join(out, "vegeta-4000pers-1.gob"))
	if err != nil {
		t.Fatal(err)
	}
	defer vf.Close()
	dec := vegeta.NewDecoder(vf)
	var last time.Time
	n := 0
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err != nil {
			break
		}
		if r.Timestamp.Before(last) || r.Seq != uint64(n) {
			t.Fatalf("result %d: seq %d sent %v, after one sent %v", n, r.Seq, r.Timestamp, last)
		}
		last = r.Timestamp
		n++
	}
	if n != 400 {
		t.Errorf("%d vegeta results merged, want 400", n)
	}
	if _, err := os.Stat(filepath.Join(out, "spectrum-4000pers-1.txt")); err != nil {
		t.Error(err)
	}
}

func TestAttackName(t *testing.T) {
	for cell, want := range map[string]string{"http 2000/s": "2000pers-1", "http stages": "stages-1", "api users": "users-1", "api 0.5/s": "0.5pers-1"} {
		if got := AttackName(cell, 0); got != want {
			t.Errorf("AttackName(%q) = %q, want %q", cell, got, want)
		}
	}
}

// TestBundlesSurviveALog writes two run folders as bundles into one log,
// interleaved and prefixed as kubectl logs --prefix does, and reads them
// back; a bundle cut short or altered is refused and not written.

// TestStartTimeHeader writes the interval log's StartTime as the format
// has it: seconds with milliseconds, and the same instant in words.
func TestStartTimeHeader(t *testing.T) {
	var b strings.Builder
	start := time.Date(2026, 11, 30, 3, 50, 55, 495e6, time.UTC)
	if err := startTime(&b, start); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("#[StartTime: %d.495 (seconds since epoch), 2026-11-30T03:50:55.495Z]\n", start.Unix())
	if b.String() != want {
		t.Errorf("header %q, want %q", b.String(), want)
	}
}
