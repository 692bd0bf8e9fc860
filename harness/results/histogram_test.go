package results

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/montanaflynn/stats"
)

// TestHistogramAgreesWithExact draws 200,000 latencies from 20 µs to
// minutes (lognormal, with a heavy tail) and checks every quantile the
// results report against the exact nearest-rank order statistic.
func TestHistogramAgreesWithExact(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	h := NewHistogram()
	data := make(stats.Float64Data, 0, 200_000)
	for i := range cap(data) {
		d := time.Duration(float64(2*time.Millisecond) * math.Exp(1.5*r.NormFloat64()))
		if i%1000 == 0 {
			d = time.Duration(r.Int64N(int64(10 * time.Minute)))
		}
		d = max(d, 20*time.Microsecond)
		h.Record(d)
		data = append(data, float64(d))
	}
	for _, q := range []float64{0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1} {
		exact, err := stats.PercentileNearestRank(data, 100*q)
		if err != nil {
			t.Fatal(err)
		}
		got := h.Quantile(q)
		if rel := math.Abs(float64(got)-exact) / exact; rel > 0.001 {
			t.Errorf("q %v: histogram %v, exact %v: %.4f%% apart", q, got, time.Duration(exact), 100*rel)
		}
	}
	lo, _ := stats.Min(data)
	hi, _ := stats.Max(data)
	qs := h.Quantiles()
	if math.Abs(float64(qs.Min)-lo) > 0.001*lo || math.Abs(float64(qs.Max)-hi) > 0.001*hi {
		t.Errorf("min %v max %v, exact %v %v", qs.Min, qs.Max, time.Duration(lo), time.Duration(hi))
	}
}

func TestHistogramCountsOutOfRange(t *testing.T) {
	h := NewHistogram()
	h.Record(time.Millisecond)
	h.Record(2 * time.Hour)
	h.Record(-time.Nanosecond)
	if h.Count() != 1 || h.OutOfRange != 2 {
		t.Errorf("count %d, out of range %d: want 1 and 2", h.Count(), h.OutOfRange)
	}
}

// TestHistogramsMergeAfterJSON encodes two repetitions' histograms, reads
// them back and merges them: the merged quantiles are those of all the
// values together.
func TestHistogramsMergeAfterJSON(t *testing.T) {
	a, b, all := NewHistogram(), NewHistogram(), NewHistogram()
	for i := range 1000 {
		d := time.Duration(i+1) * time.Microsecond
		if i%2 == 0 {
			a.Record(d)
		} else {
			b.Record(d * 1000)
		}
	}
	a.OutOfRange = 3
	for _, h := range []*Histogram{a, b} {
		all.Merge(h)
	}
	var back [2]*Histogram
	for i, h := range []*Histogram{a, b} {
		enc, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		if len(enc) > 8<<10 {
			t.Errorf("an encoded histogram of 500 values takes %d bytes", len(enc))
		}
		back[i] = &Histogram{}
		if err := json.Unmarshal(enc, back[i]); err != nil {
			t.Fatal(err)
		}
	}
	merged := NewHistogram()
	merged.Merge(back[0])
	merged.Merge(back[1])
	if merged.Count() != 1000 || merged.OutOfRange != 3 || merged.Quantiles() != all.Quantiles() {
		t.Errorf("merged after JSON: count %d, out of range %d, %+v; want 1000, 3, %+v", merged.Count(), merged.OutOfRange, merged.Quantiles(), all.Quantiles())
	}
}

func TestRangeWarnings(t *testing.T) {
	res := &Results{Cells: []CellResult{
		{Workload: "io", Strategy: "pool", Limit: 8, Repetitions: []Repetition{{Core: Core{OutOfRange: 2}}, {Core: Core{OutOfRange: 1}}}},
		{Workload: "io", Strategy: "unbounded", Repetitions: []Repetition{{}}},
	}}
	w := res.RangeWarnings()
	if len(w) != 1 || !strings.HasPrefix(w[0], "io pool 8: 3 latencies outside") {
		t.Errorf("warnings %q", w)
	}
}

// TestQuantilesByRankAllocateNothing: each quantile is the upper end of
// the bucket where the nearest rank falls, as a walk over every bucket
// finds it, for histograms of every size from 1 to 300 values; and
// reading them allocates only the result.
func TestQuantilesByRankAllocateNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	qs := []float64{0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999}
	for n := 1; n <= 300; n++ {
		h := NewHistogram()
		for range n {
			h.Record(time.Duration(rng.ExpFloat64() * float64(time.Millisecond)))
		}
		got := h.quantiles(qs)
		var seen int64
		k := 0
		for _, bar := range h.h.Distribution() {
			seen += bar.Count
			for k < len(qs) && seen >= rank(qs[k], int64(n)) {
				if got[k] != time.Duration(bar.To) {
					t.Fatalf("n %d, q %v: %v, want %v", n, qs[k], got[k], time.Duration(bar.To))
				}
				k++
			}
		}
	}
	h := NewHistogram()
	h.Record(time.Millisecond)
	if allocs := testing.AllocsPerRun(10, func() { h.Quantiles() }); allocs > 1 {
		t.Errorf("%v allocations to read the quantiles, want 1 (the result)", allocs)
	}
}

// TestEncodingFollowsTheCounters: a compacted histogram keeps its encoding
// while it is only read, so that a checkpoint does not encode it again;
// merging it into an empty histogram takes the encoding as it is; and any
// change to the counters drops it, without touching the histogram merged
// from.
func TestEncodingFollowsTheCounters(t *testing.T) {
	a := NewHistogram()
	for i := range 1000 {
		a.Record(time.Duration(i+1) * time.Microsecond)
	}
	a.Compact()
	packed := a.Encoded()
	if q := a.Quantiles(); q.P50 == 0 || q.Max != time.Millisecond {
		t.Fatalf("quantiles of the compacted histogram: %+v", q)
	}
	if again := a.Encoded(); &again[0] != &packed[0] {
		t.Error("reading the counters dropped their encoding")
	}
	b := NewHistogram()
	b.Merge(a)
	if enc := b.Encoded(); &enc[0] != &packed[0] || b.Count() != 1000 || b.Quantiles() != a.Quantiles() {
		t.Errorf("merged into an empty histogram: a fresh encoding or other figures (%d values)", b.Count())
	}
	b.Record(2 * time.Millisecond)
	enc := b.Encoded()
	if &enc[0] == &packed[0] || b.Count() != 1001 || b.Quantiles().Max != 2*time.Millisecond {
		t.Errorf("after a record: the old encoding, or %d values", b.Count())
	}
	var c Histogram
	if err := json.Unmarshal(mustJSON(t, b), &c); err != nil || c.Count() != 1001 {
		t.Errorf("the new encoding reads back %d values: %v", c.Count(), err)
	}
	if a.Count() != 1000 || a.Quantiles().Max != time.Millisecond {
		t.Errorf("the histogram merged from changed: %d values", a.Count())
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestResetIsNew: a histogram reset, compacted or not, records as a new one.
func TestResetIsNew(t *testing.T) {
	for _, compact := range []bool{false, true} {
		h := NewHistogram()
		for i := range 1000 {
			h.Record(time.Duration(i+1) * time.Millisecond)
		}
		h.Record(-1)
		if compact {
			h.Compact()
		}
		h.Reset()
		if h.Count() != 0 || h.OutOfRange != 0 || h.Quantiles() != (Quantiles{}) {
			t.Fatalf("compacted %v: after Reset, %d values, %d out of range", compact, h.Count(), h.OutOfRange)
		}
		fresh := NewHistogram()
		for _, d := range []time.Duration{3 * time.Microsecond, 5 * time.Millisecond} {
			h.Record(d)
			fresh.Record(d)
		}
		if h.Quantiles() != fresh.Quantiles() || !bytes.Equal(h.Encoded(), fresh.Encoded()) {
			t.Errorf("compacted %v: a reset histogram reads %+v, a new one %+v", compact, h.Quantiles(), fresh.Quantiles())
		}
	}
}

// TestCloneIsIndependent: a clone, of a live histogram or a compacted
// one, reads as the original and changes apart from it.
func TestCloneIsIndependent(t *testing.T) {
	for _, compact := range []bool{false, true} {
		h := NewHistogram()
		for i := range 1000 {
			h.Record(time.Duration(i+1) * time.Microsecond)
		}
		if compact {
			h.Compact()
		}
		c := h.Clone()
		if c.Quantiles() != h.Quantiles() || !bytes.Equal(c.Encoded(), h.Encoded()) {
			t.Fatalf("compacted %v: the clone reads %+v, the original %+v", compact, c.Quantiles(), h.Quantiles())
		}
		c.Record(time.Second)
		h.Record(2 * time.Second)
		h.Record(3 * time.Second)
		if c.Count() != 1001 || c.Quantiles().Max != time.Second || h.Count() != 1002 || h.Quantiles().Max != 3*time.Second {
			t.Errorf("compacted %v: after records apart, the clone holds %d values, the original %d", compact, c.Count(), h.Count())
		}
	}
}

// TestCombiningOneSnapshotAllocatesNoCounters: the checkpoint combines a
// running attack's snapshot once a second; a cell of that one repetition
// shares its encodings instead of clearing and dropping a megabyte of
// counters a second.
func TestCombiningOneSnapshotAllocatesNoCounters(t *testing.T) {
	z := NewSummarizer()
	for i := range 10000 {
		z.Add(Sample{Intended: 0, Start: time.Duration(i) * time.Microsecond, End: time.Duration(2*i+1) * time.Microsecond, Done: true})
	}
	reps := []Repetition{z.Snapshot(10000, time.Second)}
	var hs *Histograms
	if bytes := allocated(func() { hs = mergeHistograms(reps) }); bytes > 16<<10 {
		t.Errorf("combining one snapshot allocated %d bytes, want no counters (%d bytes each)", bytes, 270<<10)
	}
	if hs.Response.Quantiles() != reps[0].Histograms.Response.Quantiles() || hs.Response.Count() != 10000 {
		t.Errorf("the combined cell reads %+v, its repetition %+v", hs.Response.Quantiles(), reps[0].Histograms.Response.Quantiles())
	}
}

// allocated is how many bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
