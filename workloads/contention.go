package workloads

import (
	"context"
	"flag"
	"math/rand/v2"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/param"
)

func init() {
	Register(Spec{
		Name:  "contention",
		Doc:   "shared state: each task works outside, then inside one shared section (a mutex, an RWMutex, an atomic, sharded locks, or an owner goroutine)",
		Tasks: 200,
		Define: func(fs *flag.FlagSet) func() (harness.Workload, error) {
			w := &contentionWorkload{}
			fs.DurationVar(&w.work, "work", 3*time.Millisecond, "each task's time outside the shared section")
			fs.DurationVar(&w.critical, "critical", time.Millisecond, "each task's time inside the shared section: a fraction critical/(work+critical) of the task, which caps the speed-up of one lock at its inverse (Amdahl)")
			w.mode = param.NewChoice(fs, "mode", []string{"wait", "cpu"}, "both times parked on a timer (so that the cores cap nothing the lock does not), or burned as calibrated CPU")
			w.lock = param.NewChoice(fs, "lock", []string{"mutex", "rwmutex", "atomic", "sharded", "owner"}, "what guards the state: one sync.Mutex; one sync.RWMutex (see reads); an atomic counter (the critical work runs unlocked, the update is a compare-and-swap); shards mutexes, task i on shard i mod shards; or one goroutine that owns the state and serves each task's section over a channel")
			fs.Float64Var(&w.reads, "reads", 0.9, "rwmutex: the fraction of tasks that only read (under RLock, side by side)")
			fs.IntVar(&w.shards, "shards", 16, "sharded: how many locks the state is split over")
			fs.Uint64Var(&w.seed, "seed", 1, "random seed of which tasks read (rwmutex); repetition r draws from stream (seed, r)")
			return w.validate
		},
	})
}

// contentionWorkload is tasks that share one piece of state. Its counters
// say how long tasks waited for it: lock-wait-ms is measured around each
// acquire (or from a request to the owner until it serves it), as the
// mean a task; critical-share is the time spent in sections over the
// time spent working (outside and in, waits left out): the serial
// fraction f as it ran, timers' lateness included; runtime-lock-wait-ms is the runtime's own figure
// (/sync/mutex/wait/total:seconds, which samples: approximate) for the
// mutex kinds; cas-retries counts the atomic's failed swaps.
type contentionWorkload struct {
	work, critical time.Duration
	mode, lock     *param.Choice
	reads          float64
	shards         int
	seed           uint64
	// In cpu mode, the calibrated burners of each part.
	workCPU, criticalCPU *burner
}

func (w *contentionWorkload) validate() (harness.Workload, error) {
	switch {
	case w.work < 0 || w.work > harness.MaxLatency:
		return nil, badParam("work", "%v is out of range [0, %v]", w.work, harness.MaxLatency)
	case w.critical <= 0 || w.critical > harness.MaxLatency:
		return nil, badParam("critical", "%v is out of range (0, %v]", w.critical, harness.MaxLatency)
	case !(w.reads >= 0 && w.reads <= 1):
		return nil, badParam("reads", "%v is out of range 0..1", w.reads)
	case w.shards < 1 || w.shards > 1<<16:
		return nil, badParam("shards", "%d is out of range 1..%d", w.shards, 1<<16)
	}
	if w.mode.Value() == "cpu" {
		w.criticalCPU = &burner{cost: w.critical, size: 1024}
		if err := w.criticalCPU.calibrate(); err != nil {
			return nil, err
		}
		w.critical = w.criticalCPU.actual
		if w.work > 0 {
			w.workCPU = &burner{cost: w.work, size: 1024}
			if err := w.workCPU.calibrate(); err != nil {
				return nil, err
			}
			w.work = w.workCPU.actual
		}
	}
	return w, nil
}

// Batch makes n tasks that share one state, new for the repetition.
func (w *contentionWorkload) Batch(n, rep int) (harness.Batch, error) {
	s := w.newState(n, rep)
	b := harness.Batch{
		Cost: w.cost(n, s),
		Task: func(i int) harness.Task {
			return func(ctx context.Context, x harness.Exec) error { return s.run(ctx, x, i) }
		},
		Counters: s.counters,
		Close:    s.close,
	}
	return b, nil
}

// cost is n tasks' work, and what of it runs one at a time: each task's
// section under one lock (the writers' under an RWMutex, the busiest
// shard's when sharded), nothing under an atomic.
func (w *contentionWorkload) cost(n int, s *sharedState) harness.Cost {
	c := harness.Cost{Units: n, Critical: w.work + w.critical}
	total := time.Duration(n) * (w.work + w.critical)
	if w.mode.Value() == "cpu" {
		c.Compute = total
	} else {
		c.Wait = total
	}
	switch w.lock.Value() {
	case "mutex", "owner":
		c.Serial = time.Duration(n) * w.critical
	case "rwmutex":
		writers := 0
		for _, r := range s.reader {
			if !r {
				writers++
			}
		}
		c.Serial = time.Duration(writers) * w.critical
	case "sharded":
		c.Serial = time.Duration((n+w.shards-1)/w.shards) * w.critical
	}
	return c
}

// sharedState is one repetition's state and what guards it.
type sharedState struct {
	w        *contentionWorkload
	n        int
	mu       sync.Mutex
	rw       sync.RWMutex
	shards   []shard
	reader   []bool // rwmutex: which tasks only read
	value    int64  // the state: a count of updates (under the lock, or atomic)
	requests chan ownerRequest
	owner    sync.Once
	ownerEnd chan struct{}

	waited     atomic.Int64 // ns tasks spent waiting for the state
	worked     atomic.Int64 // ns tasks spent on their work outside the section
	held       atomic.Int64 // ns spent in sections: the state held
	casRetries atomic.Int64
	runtimeAt  float64 // /sync/mutex/wait/total:seconds when the batch was made
}

type shard struct {
	mu    sync.Mutex
	value int64
	_     [48]byte // a cache line each, so that shards do not contend by sharing one
}

// ownerRequest asks the owner to run one task's section; it closes done
// when it has.
type ownerRequest struct {
	sent time.Time
	done chan struct{}
}

const mutexWaitMetric = "/sync/mutex/wait/total:seconds"

func (w *contentionWorkload) newState(n, rep int) *sharedState {
	s := &sharedState{w: w, n: n, runtimeAt: mutexWait()}
	switch w.lock.Value() {
	case "sharded":
		s.shards = make([]shard, w.shards)
	case "rwmutex":
		r := rand.New(rand.NewPCG(w.seed, uint64(rep)))
		s.reader = make([]bool, n)
		for i := range s.reader {
			s.reader[i] = r.Float64() < w.reads
		}
	case "owner":
		s.requests, s.ownerEnd = make(chan ownerRequest), make(chan struct{})
	}
	return s
}

// run is task i: its work, then its section of the state.
func (s *sharedState) run(ctx context.Context, x harness.Exec, i int) error {
	began := time.Now()
	if err := s.spend(ctx, x, s.w.work, s.w.workCPU); err != nil {
		return err
	}
	s.worked.Add(int64(time.Since(began)))
	switch s.w.lock.Value() {
	case "mutex":
		return s.locked(ctx, x, &s.mu, &s.value)
	case "sharded":
		sh := &s.shards[i%len(s.shards)]
		return s.locked(ctx, x, &sh.mu, &sh.value)
	case "rwmutex":
		if s.reader[i] {
			return s.read(ctx, x)
		}
		return s.locked(ctx, x, &s.rw, &s.value)
	case "atomic":
		began := time.Now()
		if err := s.spend(ctx, x, s.w.critical, s.w.criticalCPU); err != nil {
			return err
		}
		s.held.Add(int64(time.Since(began)))
		s.add()
		return nil
	default: // owner
		return s.ask(ctx)
	}
}

// spend spends d parked (wait mode), or burns b's calibrated CPU.
func (s *sharedState) spend(ctx context.Context, x harness.Exec, d time.Duration, b *burner) error {
	switch {
	case d == 0:
		return nil
	case b != nil:
		x.Compute(b.burnPooled)
		return nil
	}
	return harness.Park(ctx, d)
}

// locked runs the section holding l, and updates v.
func (s *sharedState) locked(ctx context.Context, x harness.Exec, l sync.Locker, v *int64) error {
	var err error
	section := func() {
		asked := time.Now()
		l.Lock()
		defer l.Unlock()
		s.waited.Add(int64(time.Since(asked)))
		err = s.spendHeld(ctx)
		*v++
	}
	if s.w.criticalCPU != nil {
		x.Compute(section)
	} else {
		section()
	}
	return err
}

// read runs the section holding the RWMutex's read lock: readers share it.
func (s *sharedState) read(ctx context.Context, x harness.Exec) error {
	var err error
	section := func() {
		asked := time.Now()
		s.rw.RLock()
		defer s.rw.RUnlock()
		s.waited.Add(int64(time.Since(asked)))
		err = s.spendHeld(ctx)
		_ = s.value
	}
	if s.w.criticalCPU != nil {
		x.Compute(section)
	} else {
		section()
	}
	return err
}

// spendHeld spends the critical time while the caller holds the state: a
// wait on a timer, or a burn already inside a compute section.
func (s *sharedState) spendHeld(ctx context.Context) error {
	began := time.Now()
	defer func() { s.held.Add(int64(time.Since(began))) }()
	if b := s.w.criticalCPU; b != nil {
		b.burnPooled()
		return nil
	}
	return harness.Park(ctx, s.w.critical)
}

// add updates the atomic state: a compare-and-swap, retried when another
// task swapped first.
func (s *sharedState) add() {
	for {
		v := atomic.LoadInt64(&s.value)
		if atomic.CompareAndSwapInt64(&s.value, v, v+1) {
			return
		}
		s.casRetries.Add(1)
	}
}

// ask has the owner run the section, and waits until it has.
func (s *sharedState) ask(ctx context.Context) error {
	s.owner.Do(func() { go s.serve() })
	req := ownerRequest{sent: time.Now(), done: make(chan struct{})}
	select {
	case s.requests <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	<-req.done // the owner does not stop mid-section
	return nil
}

// serve is the owner: it runs each request's section in turn, alone with
// the state, until close.
func (s *sharedState) serve() {
	for {
		select {
		case req := <-s.requests:
			began := time.Now()
			s.waited.Add(int64(began.Sub(req.sent)))
			if b := s.w.criticalCPU; b != nil {
				b.burnPooled()
			} else {
				time.Sleep(s.w.critical)
			}
			s.value++
			s.held.Add(int64(time.Since(began)))
			close(req.done)
		case <-s.ownerEnd:
			return
		}
	}
}

// close stops the owner, once the tasks have all ended.
func (s *sharedState) close() {
	if s.ownerEnd != nil {
		close(s.ownerEnd)
	}
}

func (s *sharedState) counters() map[string]float64 {
	perTask := func(seconds float64) float64 { return 1e3 * seconds / float64(max(s.n, 1)) }
	out := map[string]float64{"lock-wait-ms": perTask(time.Duration(s.waited.Load()).Seconds())}
	if all := s.worked.Load() + s.held.Load(); all > 0 {
		out["critical-share"] = float64(s.held.Load()) / float64(all)
	}
	switch s.w.lock.Value() {
	case "mutex", "rwmutex", "sharded":
		out["runtime-lock-wait-ms"] = perTask(mutexWait() - s.runtimeAt)
	case "atomic":
		out["cas-retries"] = float64(s.casRetries.Load())
	}
	return out
}

// mutexWait is the runtime's cumulative time goroutines spent blocked on
// a sync.Mutex or RWMutex, in seconds.
func mutexWait() float64 {
	sample := []metrics.Sample{{Name: mutexWaitMetric}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return sample[0].Value.Float64()
}
