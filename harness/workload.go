package harness

import (
	"time"
)

// A Workload makes the tasks of each repetition. Workload families live in
// package workloads; a user adds one by implementing this interface and
// registering it there.
type Workload interface {
	// Batch returns the n root tasks of repetition rep (warm-ups included,
	// counting from 0) and the cost of running them. It is called before
	// the clock starts, so it may allocate and draw random numbers; the
	// tasks it returns must be safe to run concurrently.
	Batch(n, rep int) (Batch, error)
}

// A LimitedWorkload shapes its batch by the strategy's limit: a pipeline
// runs that many workers at each stage. The runner calls BatchFor, with
// limit 0 for a strategy that has none, in place of Batch.
type LimitedWorkload interface {
	Workload
	BatchFor(n, rep, limit int) (Batch, error)
}

// batchOf is w's batch of n tasks for repetition rep under limit.
func batchOf(w Workload, n, rep, limit int) (Batch, error) {
	if lw, ok := w.(LimitedWorkload); ok {
		return lw.BatchFor(n, rep, limit)
	}
	return w.Batch(n, rep)
}

// Batch is one repetition's tasks and their cost.
type Batch struct {
	// Tasks are the n root tasks; or, when Task is set, Task makes task i
	// as the strategy takes it, so that the batch's memory follows the
	// tasks in flight, not their count (a task holding a buffer).
	Tasks []Task
	Task  func(i int) Task
	Cost  Cost
	// Classes, when set, names the class of each task (one per task, such
	// as "hog" and "victim"), so that results report each class's
	// response times apart.
	Classes []string
	// Class, when set, names the class of task i in place of Classes,
	// for a batch that keeps its classes smaller than a string a task.
	Class func(i int) string
	// Counters, when set, is called once the repetition's tasks have all
	// ended, for what they counted (retries: "requests", "amplification").
	Counters func() map[string]float64
	// Close, when set, is called once the repetition's tasks have all
	// ended, after Counters, to stop what the batch started: an owner
	// goroutine, a pipeline's stages. The leak check runs after it, so
	// what Close stops is not a leak. A batch must start its goroutines
	// with its first task, not in Batch: a plan makes batches it never
	// runs, for their cost.
	Close func()
}

// TaskAt is task i of the batch.
func (b Batch) TaskAt(i int) Task {
	if b.Task != nil {
		return b.Task(i)
	}
	return b.Tasks[i]
}

// Cost describes the work of a batch for the ideal bound: the least wall
// time any schedule within a strategy's Capacity could take.
type Cost struct {
	// Units is how many tasks hold a strategy slot while doing work: the
	// root tasks, or the leaves of recursive trees.
	Units int
	// Wait, Block and Compute are the total time all units spend parked
	// (timers, network), in blocking sections and in CPU sections.
	Wait, Block, Compute time.Duration
	// Critical is the longest chain no parallelism can shorten, for example
	// the slowest single task.
	Critical time.Duration
	// Serial is the work that runs one at a time whatever the strategy:
	// the sections tasks hold under one shared lock, or the busiest
	// stage of a pipeline (its work over its workers). It is part of
	// Wait, Block and Compute, not added to them.
	Serial time.Duration
	// Each, when the workload knows it, is every unit's own work (wait,
	// block and compute), one per unit, so that Within can cut each unit
	// at a timeout exactly.
	Each []time.Duration
}

// Within returns the cost of the batch when every unit is cut short at
// timeout (0: none): the critical path is at most timeout, and the work at
// most Units x timeout (or, when Each is known, each unit's work up to
// timeout), shared among wait, blocking and CPU time in proportion. A task past its timeout stops working, so the ideal bound
// must not count the rest of its latency.
func (c Cost) Within(timeout time.Duration) Cost {
	if timeout <= 0 || c.Units <= 0 {
		return c
	}
	c.Critical = min(c.Critical, timeout)
	work, most := c.Wait+c.Block+c.Compute, time.Duration(c.Units)*timeout
	if len(c.Each) == c.Units { // exact: each unit cut at the timeout
		most = 0
		for _, d := range c.Each {
			most += min(d, timeout)
		}
	}
	if work > most {
		share := float64(most) / float64(work)
		c.Wait = time.Duration(float64(c.Wait) * share)
		c.Block = time.Duration(float64(c.Block) * share)
		c.Compute = time.Duration(float64(c.Compute) * share)
		c.Serial = time.Duration(float64(c.Serial) * share)
	}
	return c
}

// Ideal returns the lower bound on wall time for c under capacity k with
// gomaxprocs processors: the largest of the critical path, the serial
// work, the CPU work spread over the usable processors, the blocking work
// spread over the blocking slots, all work spread over the task slots,
// and the time a rate limit takes to start every unit.
func (c Cost) Ideal(k Capacity, gomaxprocs int) time.Duration {
	spread := func(d time.Duration, slots int) time.Duration {
		if slots <= 0 {
			return 0
		}
		return d / time.Duration(slots)
	}
	cpus := gomaxprocs
	if k.Compute > 0 {
		cpus = min(k.Compute, gomaxprocs)
	}
	var paced time.Duration
	if k.Rate > 0 && c.Units > k.Burst {
		paced = time.Duration(float64(c.Units-max(k.Burst, 1)) / k.Rate * float64(time.Second))
	}
	return max(
		paced,
		c.Critical,
		c.Serial,
		spread(c.Compute, cpus),
		spread(c.Block, k.Block),
		spread(c.Wait+c.Block+c.Compute, k.Tasks),
	)
}
