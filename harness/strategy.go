package harness

import "context"

// A Strategy decides where and when tasks run. Package strategy registers
// the built-ins; a user's own strategy implements this interface, passes
// the conformance suite (strategy/strategytest) and registers itself with
// strategy.Register.
//
// The contract every strategy keeps, which the suite checks:
//   - A task runs through [Call], so that its panic becomes a *PanicError
//     and the goroutine that ran it survives: the strategy keeps its
//     worker count.
//   - At most Capacity(limit).Tasks tasks run their own code at once
//     (0: no bound). A parent waiting in [Join.Wait] is not running: it
//     must not hold a slot while it waits, or a tree deeper than the limit
//     deadlocks. It gives its slot back, or runs its own queued children
//     on its goroutine, as fork-join pools do.
//   - Children may be spawned from any task's goroutine at once.
//   - Once the group's context is done, no task or child starts; a child
//     that does not start reports the context's error to its Join.
//   - Nothing the group started outlives [Group.Wait]: no goroutine, no
//     task still running.
type Strategy interface {
	// Name is the strategy's name in flags, files and tables.
	Name() string
	// Doc is a one-line description.
	Doc() string
	// Limited reports whether the strategy uses a limit; an unlimited
	// strategy runs one cell whatever limits a plan lists.
	Limited() bool
	// Capacity states how much of each kind of work the strategy can run at
	// once under limit, for the ideal bound and for the conformance suite.
	Capacity(limit int) Capacity
	// Start returns a Group that schedules tasks with the given limit
	// (ignored by unlimited strategies; at least 1 for limited ones).
	// Tasks not yet started when ctx is done are dropped.
	Start(ctx context.Context, limit int) Group
}

// A Group schedules tasks; Go and Wait have the same shape in every strategy.
// Go and Wait are called from one goroutine; tasks may call Spawn on their
// Exec from any goroutine.
type Group interface {
	// Go submits a task. It may block until the strategy can take it
	// (sequential runs it inline; semaphore waits for a slot).
	Go(t Task)
	// Wait blocks until every submitted task and every child task has
	// finished, releases the group's goroutines, and returns the first task
	// error. Nothing the group started outlives Wait.
	Wait() error
}

// Capacity is how many units of each kind of work a strategy runs at once.
// Zero means no bound.
type Capacity struct {
	Tasks   int // tasks running their own code at once
	Compute int // CPU sections at once (further bounded by GOMAXPROCS)
	Block   int // blocking sections at once
	Workers int // long-lived goroutines the strategy starts, busy or not
	// Rate is how many tasks a second the strategy starts at most, after
	// a first Burst at once (a token bucket); 0: no bound.
	Rate  float64
	Burst int
	// Adaptive marks a strategy whose limit is a ceiling: it runs fewer
	// tasks at once after errors or slow tasks (aimd, gradient), and
	// reaches Tasks only while tasks succeed. The conformance suite holds
	// it to the ceiling, not to reaching it.
	Adaptive bool
}

// A Counting group reports what its strategy counted during a repetition,
// by name (a queue: "queue-peak", "rejected", "dropped"). The runner calls
// Counters once, after Wait, and keeps them in the results.
type Counting interface {
	Counters() map[string]float64
}
