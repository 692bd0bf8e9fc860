package harness_test

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	. "github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
)

// holding is a test workload whose tasks each hold a buffer of size bytes
// until all of them hold theirs: a peak heap of tasks x size, known.
type holding struct{ size int }

func (w holding) Batch(n, _ int) (Batch, error) {
	var all sync.WaitGroup
	all.Add(n)
	b := Batch{Tasks: make([]Task, n), Cost: Cost{Units: n, Wait: time.Duration(n) * time.Millisecond, Critical: time.Millisecond}}
	for i := range b.Tasks {
		b.Tasks[i] = func(ctx context.Context, _ Exec) error {
			buf := make([]byte, w.size)
			for j := range buf {
				buf[j] = byte(j)
			}
			all.Done()
			all.Wait()
			if buf[len(buf)-1] != byte(len(buf)-1) { // keep buf alive until here
				return context.Canceled
			}
			return nil
		}
	}
	return b, nil
}

// retained is what an earlier cell left in the process: the heap a run
// holds before a repetition starts, which no peak may count.
var retained [][]byte

// TestPeakHeapMeasuresTheCell runs 50 tasks that each hold 256 KiB at
// once, 12.5 MiB in all: the peak heap reads that whatever the
// repetition's index (it read about 1 MB more with each repetition when
// the results kept each one's histograms live) and whatever the process
// held before (64 MiB retained here, as cells run earlier in the process
// would).
func TestPeakHeapMeasuresTheCell(t *testing.T) {
	const tasks, size = 50, 256 << 10
	want := float64(tasks * size)
	peaks := func(reps int) []float64 {
		res, err := runCell(t, context.Background(), holding{size}, tasks, strategy.Unbounded{}, 1, reps)
		if err != nil {
			t.Fatal(err)
		}
		var out []float64
		for _, r := range res.Cells[0].Repetitions {
			out = append(out, float64(r.PeakHeap))
		}
		return out
	}
	fresh := peaks(8)
	for i := range 64 {
		retained = append(retained, make([]byte, 1<<20))
		retained[i][0] = 1
	}
	defer func() { retained = nil }()
	burdened := peaks(1)
	t.Logf("peak heap of 8 repetitions %v MiB; after 64 MiB retained %v MiB", mib(fresh), mib(burdened))
	for i, p := range append(fresh, burdened...) {
		if math.Abs(p-want)/want > 0.10 {
			t.Errorf("run %d: peak heap %.2f MiB, want %.2f MiB within 10%%", i, p/(1<<20), want/(1<<20))
		}
	}
	if first, last := fresh[0], fresh[len(fresh)-1]; math.Abs(last-first)/first > 0.10 {
		t.Errorf("peak heap grew from %.2f to %.2f MiB over the repetitions", first/(1<<20), last/(1<<20))
	}
}

func mib(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Round(100*x/(1<<20)) / 100
	}
	return out
}
