package load

import (
	"context"
	"sync"
	"time"
)

// openLoop sends an attack's schedule through goroutine workers, where
// the event loop cannot: over TLS or HTTP/2, through net/http, off
// Linux. Each worker takes the next hit of
// the schedule when it is free, sleeps until the hit's intended time,
// sends it through the Mix on its own goroutine from request to
// response, and queues what it measured for the attack's goroutine,
// which tallies it. No goroutine hands a request to another, and the
// tally's work once a second (percentiles, the interval log, the
// checkpoint: milliseconds) delays no request: with the tally under a
// lock instead, p99 at 10,000/s read 28-41 ms against a zero-latency
// target, most of it workers waiting on the lock. Nothing is allocated
// per request on this path but fasthttp's streamed body (four small
// objects).
//
// Go's timers wake a sleeping goroutine up to a millisecond late when the
// process is otherwise idle (the poller waits in whole milliseconds), and
// within tens of microseconds when it is busy. A worker woken late sends
// at once, and the next free worker takes the next hit, so lateness does
// not add up from hit to hit. Sleeping more precisely costs a system call
// or a spinning core per hit, more CPU than a request.
type openLoop struct {
	*sending
	halt context.CancelFunc
	done chan sent // measurements, for the attack's goroutine

	mu      sync.Mutex // guards sched, over and started
	over    bool       // the schedule has ended, or the attack was halted
	started int

	workers sync.WaitGroup
}

// connect dials the first workers' connections, before the attack
// begins. Another worker starts, dialling its own connection, whenever a
// worker takes a hit already due (every other worker was busy when it
// fell due), up to maxWorkers.
func (o *openLoop) connect(ctx context.Context) {
	o.mix.Preconnect(ctx, o.firstConnections())
}

// start starts the first workers (see hitSender). Requests in flight
// when ctx is done finish: net/http's at once, fasthttp's at their
// timeout.
func (o *openLoop) start(ctx context.Context) <-chan sent {
	ctx, o.halt = context.WithCancel(ctx)
	o.done = make(chan sent, resultsQueued)
	stop := context.AfterFunc(ctx, func() {
		o.mu.Lock()
		o.over = true
		o.mu.Unlock()
	})
	o.mu.Lock()
	for range o.firstConnections() {
		o.startWorker(ctx)
	}
	o.mu.Unlock()
	go func() {
		o.workers.Wait()
		stop()
		o.halt()
		close(o.done)
	}()
	return o.done
}

// take returns the next hit of the schedule, with the request of the mix
// it sends; false when the schedule has ended or the attack was halted.
// A hit already due when taken (every worker was busy) starts another
// worker. Once the schedule's length has passed, a hit later than
// lateAfter ends it: the attack fell behind, and the rest is dropped.
func (o *openLoop) stop() { o.halt() }

// release does nothing: the connections dialled ahead are the mix's,
// which the attack closes.
func (o *openLoop) release() {}

func (o *openLoop) take(ctx context.Context) (hit, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.over {
		return hit{}, false
	}
	intended, ok := o.sched.step()
	now := time.Since(o.began)
	if !ok || now > o.du && now-intended > o.lateAfter {
		o.over = true
		return hit{}, false
	}
	if intended < now && o.started < o.maxWorkers {
		o.startWorker(ctx)
	}
	o.asked.Add(1)
	return hit{seq: o.sched.next - 1, intended: intended, target: o.mix.Next()}, true
}

// startWorker starts a worker; o.mu is held.
func (o *openLoop) startWorker(ctx context.Context) {
	o.started++
	o.workers.Add(1)
	go o.work(ctx)
}

// work sends hits until the schedule ends.
func (o *openLoop) work(ctx context.Context) {
	defer o.workers.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		h, ok := o.take(ctx)
		if !ok {
			return
		}
		if wait := h.intended - time.Since(o.began); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				o.abandoned.Add(1)
				return
			}
		}
		o.addInFlight()
		s := sent{hit: h, start: time.Since(o.began)}
		s.code, s.bytesIn, s.err = o.mix.Send(ctx, h.target)
		s.end = time.Since(o.began)
		o.inFlight.Add(-1)
		o.done <- s
	}
}
