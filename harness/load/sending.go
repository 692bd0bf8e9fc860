package load

import (
	"context"
	"math"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness/httpclient"
)

// sending is what an attack's sender shares with the attack: the
// schedule, its bounds, and the counts the attack reads as it goes.
type sending struct {
	mix        *httpclient.Mix
	began      time.Time // the schedule's time 0, set before start
	du         time.Duration
	lateAfter  time.Duration // past du, a hit this late is dropped, with all after it
	maxWorkers int           // requests in flight at most
	timeout    time.Duration // each request's
	sched      *schedule

	asked atomic.Uint64 // hits taken by the sender so far
	// abandoned counts the hits taken, not yet due, when the attack was
	// halted: walked in the schedule, never meant to be sent by then.
	abandoned atomic.Int64
	inFlight  atomic.Int64
	peak      atomic.Int64 // most requests in flight at once
}

// A hitSender sends an attack's schedule, hit by hit, and measures each:
// an event loop where it can (eventloop_linux.go), else goroutine
// workers (openLoop).
type hitSender interface {
	shared() *sending
	// connect dials the first connections, before the attack begins.
	connect(ctx context.Context)
	// start starts sending and returns the measurements as they come.
	// The channel closes once the schedule has ended (or ctx is done,
	// or stop was called) and every hit sent has its response or
	// error. The caller must drain it, with drain.
	start(ctx context.Context) <-chan sent
	// stop ends the schedule early: no more hits are sent.
	stop()
	// release frees what connect took, when start is not called.
	release()
}

// fewestFirstConnections is the fewest connections dialled before an
// attack begins, each with a worker where workers send: enough for
// 10,000 requests a second at 6 ms each.
const fewestFirstConnections = 64

// coldLatency is the latency a request is allowed when an attack dials
// its first connections: a target's first answers, on connections it has
// just accepted, are slow. At 30,000/s against a zero-latency target, 64
// first connections grew to 253 in flight within 50 ms while the sender
// fell 42 ms behind; with 256 dialled first, 3 s attacks that sent 110 to
// 5,802 requests late in their first 300 ms sent 0 to 10 (6 alternating
// runs each).
const coldLatency = 10 * time.Millisecond

// firstConnections is how many connections to dial before the attack
// begins: enough for the schedule's first rate at coldLatency a request,
// at least fewestFirstConnections, at most maxWorkers.
func (s *sending) firstConnections() int {
	want := s.sched.pacer.Rate(0) * coldLatency.Seconds()
	if !(want < float64(s.maxWorkers)) { // NaN too
		return s.maxWorkers
	}
	return min(s.maxWorkers, max(fewestFirstConnections, int(math.Ceil(want))))
}

// newHitSender returns the event loop for s where the platform and the
// requests allow it (plain HTTP/1.1 through the default client), else
// workers.
func newHitSender(s *sending) hitSender {
	if l, ok := newEventLoop(s); ok {
		return l
	}
	return &openLoop{sending: s}
}

// hit is one request of the schedule: its sequence number in the
// shard's schedule, its intended send time since the attack began, and
// the request of the mix it sends.
type hit struct {
	seq      uint64
	intended time.Duration
	target   int
}

// sent is what a sender measured of one hit.
type sent struct {
	hit
	start, end time.Duration // since the attack began
	code       int
	bytesIn    int64
	err        error // the transport's, or reading the body's
}

// resultsQueued is how many measurements wait for the attack's
// goroutine before a sender blocks: a tenth of a second at 40,000/s.
const resultsQueued = 4096

// drainEvery is how often drain looks for measurements: every 5 ms spent
// 50.1 µs of CPU a request at 5,000/s where every 1 ms spent 54.2 (medians
// of 4 alternating runs), and the queue holds 5 ms up to 800,000/s.
const drainEvery = 5 * time.Millisecond

// drain passes each measurement of ch to f until ch closes. It looks for
// them every drainEvery rather than waiting on the channel, so that no
// send wakes it: at 5,000 requests a second, a wake-up for each cost
// about a fifth of the attack's CPU. Each measurement carries its own
// times, so the delay changes no figure.
func drain(ch <-chan sent, f func(sent)) {
	tick := time.NewTicker(drainEvery)
	defer tick.Stop()
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				return
			}
			f(m)
			continue
		default:
		}
		<-tick.C
	}
}

func (s *sending) shared() *sending { return s }

// addInFlight counts a request put in flight.
func (s *sending) addInFlight() {
	n := s.inFlight.Add(1)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			return
		}
	}
}
