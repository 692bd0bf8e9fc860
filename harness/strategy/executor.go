package strategy

import (
	"sync"

	"github.com/concbench/concbench/harness"
)

// executor runs functions on a fixed set of workers. It is safe for
// concurrent use; close must be called once, after the last do returns.
type executor struct {
	jobs    chan job
	workers sync.WaitGroup
}

type job struct {
	fn    func() error
	reply chan<- result
}

type result struct {
	err   error
	panic *harness.PanicError
}

func newExecutor(workers int) *executor {
	e := &executor{jobs: make(chan job)}
	e.workers.Add(workers)
	for range workers {
		go func() {
			defer e.workers.Done()
			for j := range e.jobs {
				j.reply <- run(j.fn)
			}
		}()
	}
	return e
}

// run calls fn, keeping a panic so that do can raise it again on the
// caller's goroutine, where the task's own recovery counts it.
func run(fn func() error) (r result) {
	defer func() {
		if v := recover(); v != nil {
			r.panic = harness.AsPanicError(v)
		}
	}()
	return result{err: fn()}
}

// do blocks until a worker has run fn, and returns its error. A panic in fn
// is raised again in the caller.
func (e *executor) do(fn func() error) error {
	reply := make(chan result, 1)
	e.jobs <- job{fn: fn, reply: reply}
	r := <-reply
	if r.panic != nil {
		panic(r.panic)
	}
	return r.err
}

func (e *executor) close() {
	close(e.jobs)
	e.workers.Wait()
}
