package harness

import (
	"math"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/concbench/concbench/harness/results"
)

// probeInterval is how often a probe samples goroutines and heap. At 1 ms
// it costs well under 1% of one core.
const probeInterval = time.Millisecond

const (
	metricHeap   = "/memory/classes/heap/objects:bytes"
	metricStacks = "/memory/classes/heap/stacks:bytes"
	metricGC     = "/gc/cycles/total:gc-cycles"
	metricSched  = "/sched/latencies:seconds"
	metricNotGo  = "/sched/goroutines/not-in-go:goroutines"
)

// probe samples the Go runtime on a goroutine of its own between start and
// stop, every probeInterval, and measures how late each of its ticks ran:
// a stall of the scheduler that every runnable goroutine suffers. It is
// not safe for concurrent use.
type probe struct {
	before     []metrics.Sample // read at start and never again, so Read does not reuse it
	baseline   int
	user, sys  time.Duration
	stopping   chan struct{}
	done       sync.WaitGroup
	peakG      int
	peakHeap   uint64
	peakStacks uint64
	peakMemory uint64           // of heap objects + stacks, sampled together
	peakNotGo  uint64           // goroutines in a system call or cgo: each holds an OS thread
	stall      time.Duration    // the most a tick came late
	heapSample []metrics.Sample // heap objects, stacks
	// baseHeap and baseStacks are the heap and stacks at start, which the
	// peaks are measured above: what the process held before the
	// repetition (the harness, earlier results) is not the strategy's.
	baseHeap, baseStacks uint64
}

func newProbe() *probe {
	return &probe{
		before:     []metrics.Sample{{Name: metricHeap}, {Name: metricGC}, {Name: metricSched}},
		heapSample: []metrics.Sample{{Name: metricHeap}, {Name: metricStacks}, {Name: metricNotGo}},
	}
}

func (p *probe) start() {
	p.stopping = make(chan struct{})
	p.peakG, p.peakHeap, p.peakStacks, p.peakMemory, p.peakNotGo, p.stall = 0, 0, 0, 0, 0, 0
	metrics.Read(p.heapSample)
	p.baseHeap, p.baseStacks = p.heapSample[0].Value.Uint64(), p.heapSample[1].Value.Uint64()
	metrics.Read(p.before)
	p.user, p.sys = CPUTimes()
	p.done.Add(1)
	p.baseline = runtime.NumGoroutine() + 1 // the sampler below
	go p.sample()
}

func (p *probe) sample() {
	defer p.done.Done()
	tick := time.NewTicker(probeInterval)
	defer tick.Stop()
	last := time.Now()
	for {
		p.peakG = max(p.peakG, runtime.NumGoroutine())
		p.readMemory()
		select {
		case <-p.stopping:
			return
		case <-tick.C:
			// The stall probe, as Node's monitorEventLoopDelay: how much
			// later than one interval after the last tick this one ran.
			now := time.Now()
			p.stall = max(p.stall, now.Sub(last)-probeInterval)
			last = now
		}
	}
}

// readMemory samples heap objects, goroutine stacks and the goroutines
// outside Go.
func (p *probe) readMemory() {
	metrics.Read(p.heapSample)
	if s := p.heapSample[2]; s.Value.Kind() == metrics.KindUint64 {
		p.peakNotGo = max(p.peakNotGo, s.Value.Uint64())
	}
	heap, stacks := p.heapSample[0].Value.Uint64(), p.heapSample[1].Value.Uint64()
	p.peakHeap = max(p.peakHeap, heap)
	p.peakStacks = max(p.peakStacks, stacks)
	p.peakMemory = max(p.peakMemory, heap+stacks)
}

// stop ends sampling and returns what was seen. It blocks for at most one
// probe interval.
func (p *probe) stop() results.Runtime {
	user, sys := CPUTimes()
	after := []metrics.Sample{{Name: metricHeap}, {Name: metricGC}, {Name: metricSched}}
	metrics.Read(after)
	close(p.stopping)
	p.done.Wait()
	p.readMemory() // the sampler has ended
	return results.Runtime{
		PeakGoroutines: max(0, p.peakG-p.baseline),
		PeakHeap:       above(max(p.peakHeap, after[0].Value.Uint64()), p.baseHeap),
		PeakStacks:     above(p.peakStacks, p.baseStacks),
		PeakMemory:     above(p.peakMemory, p.baseHeap+p.baseStacks),
		PeakBlocked:    int(p.peakNotGo),
		GCCycles:       after[1].Value.Uint64() - p.before[1].Value.Uint64(),
		SchedLatency:   histogramQuantile(p.before[2].Value.Float64Histogram(), after[2].Value.Float64Histogram(), 0.99),
		Stall:          p.stall,
		UserCPU:        user - p.user,
		SystemCPU:      sys - p.sys,
	}
}

// above is how far peak rose above base; 0 when it did not.
func above(peak, base uint64) uint64 {
	if peak < base {
		return 0
	}
	return peak - base
}

// histogramQuantile returns the q quantile of the observations added to a
// cumulative runtime histogram between before and after, as the upper edge
// of the bucket that holds it (the lower edge for the open last bucket).
func histogramQuantile(before, after *metrics.Float64Histogram, q float64) time.Duration {
	var total uint64
	for i := range after.Counts {
		total += after.Counts[i] - before.Counts[i]
	}
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	var seen uint64
	for i := range after.Counts {
		seen += after.Counts[i] - before.Counts[i]
		if seen >= rank {
			edge := after.Buckets[i+1]
			if math.IsInf(edge, 1) {
				edge = after.Buckets[i]
			}
			return time.Duration(edge * float64(time.Second))
		}
	}
	return 0
}
