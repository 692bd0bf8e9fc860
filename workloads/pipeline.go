package workloads

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/param"
)

func init() {
	Register(Spec{
		Name:  "pipeline",
		Doc:   "stages connected by channels: each task is an item that goes through every stage, each stage's workers taking items from the buffer before it",
		Tasks: 200,
		Define: func(fs *flag.FlagSet) func() (harness.Workload, error) {
			w := &pipelineWorkload{}
			fs.StringVar(&w.costsText, "costs", "1ms,2ms,1ms", "each stage's time an item, in order: as many stages as durations")
			w.mode = param.NewChoice(fs, "mode", []string{"wait", "cpu"}, "a stage's time parked on a timer, or burned as calibrated CPU")
			fs.IntVar(&w.buffer, "buffer", 1, "items each channel between stages holds (0: unbuffered, a hand-off)")
			fs.IntVar(&w.workers, "workers", 0, "workers at each stage (0: the strategy's limit, or 1 for a strategy without one)")
			fs.Float64Var(&w.spread, "spread", 0.5, "each item's time at a stage is drawn uniformly within ± this fraction of the stage's cost (0: exact)")
			fs.Uint64Var(&w.seed, "seed", 1, "random seed; repetition r draws from stream (seed, r)")
			return w.validate
		},
	})
}

// pipelineWorkload is a pipeline of stages joined by channels of buffer
// items. Each root task is an item: it enters the first stage's channel
// (waiting there while it is full: the pipeline pushes back on its
// source), and ends when the last stage is done with it, so that its
// response time is its latency end to end. The stages' workers are the
// batch's own goroutines, started with its first item and stopped when
// its tasks have ended.
//
// Its counters say where each stage's time went, as shares of its
// workers' time from the first item in to the last out: stageK-busy
// (working an item), stageK-blocked (sending to a full channel: the next
// stage is slower) and stageK-idle (waiting on an empty one: the stages
// before are slower); entry-wait-ms and transit-ms are an item's mean
// time waiting to enter and then going through.
type pipelineWorkload struct {
	costsText string
	costs     []time.Duration
	mode      *param.Choice
	buffer    int
	workers   int
	spread    float64
	seed      uint64
	burners   []*burner // cpu mode: one a stage, calibrated to its cost
}

// maxStages bounds the stages a pipeline may have.
const maxStages = 64

func (w *pipelineWorkload) validate() (harness.Workload, error) {
	for _, part := range strings.Split(w.costsText, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || d <= 0 || d > harness.MaxLatency {
			return nil, badParam("costs", "%q: want durations above 0 and at most %v, comma-separated, one a stage", part, harness.MaxLatency)
		}
		w.costs = append(w.costs, d)
	}
	switch {
	case len(w.costs) > maxStages:
		return nil, badParam("costs", "%d stages: at most %d", len(w.costs), maxStages)
	case w.buffer < 0 || w.buffer > 1<<20:
		return nil, badParam("buffer", "%d is out of range 0..%d", w.buffer, 1<<20)
	case w.workers < 0 || w.workers > 10000:
		return nil, badParam("workers", "%d is out of range 0..10000", w.workers)
	case !(w.spread >= 0 && w.spread < 1):
		return nil, badParam("spread", "%v is out of range [0, 1)", w.spread)
	}
	if w.mode.Value() == "cpu" {
		w.spread = 0 // a burn is calibrated once: each item takes the stage's cost
		for k, d := range w.costs {
			b := &burner{cost: d, size: 1024}
			if err := b.calibrate(); err != nil {
				return nil, badParam("costs", "stage %d: %v", k+1, err)
			}
			w.burners = append(w.burners, b)
			w.costs[k] = b.actual
		}
	}
	return w, nil
}

// Batch is BatchFor without a limit: one worker a stage, unless workers
// says.
func (w *pipelineWorkload) Batch(n, rep int) (harness.Batch, error) { return w.BatchFor(n, rep, 0) }

// BatchFor makes n items for a pipeline with limit workers at each stage
// (or the workers parameter's).
func (w *pipelineWorkload) BatchFor(n, rep, limit int) (harness.Batch, error) {
	workers := w.workers
	if workers == 0 {
		workers = max(limit, 1)
	}
	p := &pipeline{w: w, n: n, workers: workers, stages: make([]stage, len(w.costs)), times: w.draw(n, rep)}
	b := harness.Batch{Cost: p.cost(), Counters: p.counters, Close: p.close}
	b.Task = func(i int) harness.Task {
		return func(ctx context.Context, _ harness.Exec) error { return p.send(ctx, i) }
	}
	return b, nil
}

// draw is each item's time at each stage, item by item.
func (w *pipelineWorkload) draw(n, rep int) []time.Duration {
	r := rand.New(rand.NewPCG(w.seed, uint64(rep)))
	times := make([]time.Duration, n*len(w.costs))
	for i := range times {
		d := w.costs[i%len(w.costs)]
		if w.spread > 0 {
			d = time.Duration(float64(d) * (1 + w.spread*(2*r.Float64()-1)))
		}
		times[i] = d
	}
	return times
}

// pipeline is one repetition's stages.
type pipeline struct {
	w       *pipelineWorkload
	n       int
	workers int
	stages  []stage
	times   []time.Duration // item i at stage k: times[i*len(stages)+k]
	started sync.Once
	running sync.WaitGroup // every stage's workers
	first   atomic.Int64   // ns since epoch the first item entered
	last    atomic.Int64   // ns since epoch the last item left

	entryWait, transit atomic.Int64 // ns, summed over items
}

// stage is one stage: the channel it takes items from, and where its
// workers' time went (ns, summed over them). The rest of their time they
// were idle, waiting on an empty channel.
type stage struct {
	in            chan *item
	busy, blocked atomic.Int64
}

// item is one task's trip through the stages.
type item struct {
	i    int
	done chan struct{}
}

// cost is the items' work, its longest path (one item through every
// stage), and its busiest stage's work over that stage's workers: no
// pipeline goes faster than its bottleneck.
func (p *pipeline) cost() harness.Cost {
	c := harness.Cost{Units: p.n}
	k := len(p.stages)
	perStage := make([]time.Duration, k)
	for i, d := range p.times {
		perStage[i%k] += d
		if p.w.mode.Value() == "cpu" {
			c.Compute += d
		} else {
			c.Wait += d
		}
	}
	for i := range p.n {
		var path time.Duration
		for _, d := range p.times[i*k : (i+1)*k] {
			path += d
		}
		c.Critical = max(c.Critical, path)
	}
	for _, d := range perStage {
		c.Serial = max(c.Serial, d/time.Duration(p.workers))
	}
	return c
}

// start makes the channels and starts every stage's workers; each
// stage's channel is closed once the workers before it have all ended.
func (p *pipeline) start() {
	for k := range p.stages {
		p.stages[k].in = make(chan *item, p.w.buffer)
	}
	for k := range p.stages {
		var stageDone sync.WaitGroup
		for range p.workers {
			stageDone.Add(1)
			p.running.Add(1)
			go func() {
				defer p.running.Done()
				defer stageDone.Done()
				p.work(k)
			}()
		}
		if k+1 < len(p.stages) {
			next := p.stages[k+1].in
			p.running.Go(func() {
				stageDone.Wait()
				close(next)
			})
		}
	}
}

// work is one worker of stage k: it takes each item, spends the item's
// time at the stage, and hands it on (or, at the last stage, ends it).
func (p *pipeline) work(k int) {
	s := &p.stages[k]
	for {
		it, ok := <-s.in
		if !ok {
			return
		}
		began := time.Now()
		d := p.times[it.i*len(p.stages)+k]
		if p.w.burners != nil {
			p.w.burners[k].burnPooled()
		} else {
			time.Sleep(d)
		}
		handing := time.Now()
		s.busy.Add(int64(handing.Sub(began)))
		if k+1 == len(p.stages) {
			storeMax(&p.last, handing.UnixNano())
			close(it.done)
			continue
		}
		p.stages[k+1].in <- it
		s.blocked.Add(int64(time.Since(handing)))
	}
}

// send is task i: its item enters the first stage, and the task waits
// until the last stage is done with it.
func (p *pipeline) send(ctx context.Context, i int) error {
	p.started.Do(p.start)
	asked := time.Now()
	p.first.CompareAndSwap(0, asked.UnixNano()) // the first to ask: the pipeline's start
	it := &item{i: i, done: make(chan struct{})}
	select {
	case p.stages[0].in <- it:
	case <-ctx.Done():
		return ctx.Err()
	}
	entered := time.Now()
	p.entryWait.Add(int64(entered.Sub(asked)))
	select {
	case <-it.done:
		p.transit.Add(int64(time.Since(entered)))
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// storeMax raises v to x when x is larger.
func storeMax(v *atomic.Int64, x int64) {
	for {
		old := v.Load()
		if x <= old || v.CompareAndSwap(old, x) {
			return
		}
	}
}

// close stops the stages once the tasks have ended: the first channel
// closes, each stage finishes what it holds, and close returns when
// every worker has.
func (p *pipeline) close() {
	started := true
	p.started.Do(func() { started = false }) // and no task starts it now
	if !started {
		return
	}
	close(p.stages[0].in)
	p.running.Wait()
}

func (p *pipeline) counters() map[string]float64 {
	out := map[string]float64{
		"entry-wait-ms": float64(p.entryWait.Load()) / 1e6 / float64(max(p.n, 1)),
		"transit-ms":    float64(p.transit.Load()) / 1e6 / float64(max(p.n, 1)),
	}
	span := float64(p.last.Load()-p.first.Load()) * float64(p.workers)
	if span <= 0 {
		return out
	}
	for k := range p.stages {
		s := &p.stages[k]
		name := fmt.Sprintf("stage%d-", k+1)
		busy, blocked := float64(s.busy.Load())/span, float64(s.blocked.Load())/span
		out[name+"busy"], out[name+"blocked"] = busy, blocked
		out[name+"idle"] = max(0, 1-busy-blocked) // the workers are there from the first item in to the last out
	}
	return out
}
