// Package harness is the engine of concbench: it schedules the tasks of a
// workload under a concurrency strategy, stamps a sample for every task and
// summarises the repetitions of each cell.
//
// Workloads say what a task does (see [Task] and [Exec]); strategies decide
// where each part of it runs (see [Strategy]); the [Runner] times and records.
// A strategy never measures.
package harness

import (
	"context"
	"fmt"
	"runtime/debug"
)

// A Task is one unit of work. It runs its sections through x, so that the
// strategy decides where each section runs. A Task must be safe to run on any
// goroutine; it should return promptly once ctx is done.
type Task func(ctx context.Context, x Exec) error

// Exec is what a strategy offers the task it runs.
type Exec interface {
	// Compute runs a CPU-bound section and returns when it is done. The
	// offload strategy runs it on an executor of GOMAXPROCS workers; the
	// others run it on the task's own goroutine.
	Compute(fn func())
	// Block runs a blocking section (a blocking system call, cgo) and
	// returns its error. The offload strategy runs it on a separate bounded
	// executor; the others run it on the task's own goroutine.
	Block(fn func() error) error
	// Spawn schedules children under the same strategy and returns at once.
	// The caller must call Wait on the returned Join.
	Spawn(children ...Task) Join
}

// Join waits for the children of one Spawn call.
type Join interface {
	// Wait blocks until every child has finished and returns the first
	// child error. A bounded strategy does not count the waiting parent
	// against its limit: it releases the parent's slot, or runs the parent's
	// own queued children on the parent's goroutine while it waits.
	Wait() error
}

// PanicError is the error a task's panic becomes. The goroutine that ran the
// task survives, so a strategy keeps its full worker count.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the panicking goroutine's stack
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Kind reports "panic"; see [ErrorKind].
func (e *PanicError) Kind() string { return "panic" }

// PanicTrace is the panic's value and stack, as results keep it.
func (e *PanicError) PanicTrace() string {
	return fmt.Sprintf("panic: %v\n%s", e.Value, e.Stack)
}

// Call runs t with x and turns a panic into a *PanicError, so that the
// goroutine running it survives. Every strategy runs each task through it.
// Its cost, without a panic, is one deferred call.
func Call(ctx context.Context, t Task, x Exec) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = AsPanicError(v)
		}
	}()
	return t(ctx, x)
}

// AsPanicError wraps a value recovered on the goroutine that panicked,
// keeping a *PanicError that was re-raised from another goroutine (an
// executor) as it is. Call it in the deferred function that recovers, so
// that the stack is the panicking one.
func AsPanicError(v any) *PanicError {
	if pe, ok := v.(*PanicError); ok {
		return pe
	}
	return &PanicError{Value: v, Stack: debug.Stack()}
}
