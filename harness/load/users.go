package load

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/results"
)

// Users is closed-loop load that ramps: virtual users, each sending its
// next request as soon as the previous one returns, their number moving
// linearly through stages (Stage.Target is users), as k6's ramping-vus.
// Its results stream to an Output as an Attack's do, and its repetition
// has the same intervals and stages.
type Users struct {
	httpclient.Request
	// Targets, when given, are the requests each user mixes by weight,
	// as an Attack's Targets.
	Targets []httpclient.Target
	Client  string // one of httpclient.Clients; "": the first
	Stages  []Stage
	Timeout time.Duration // per request
}

// UsersRamp is how often Users adjusts the number of users to its stage.
const UsersRamp = 100 * time.Millisecond

// MaxUsers bounds the users of any stage.
const MaxUsers = 100_000

// Run runs the ramp, blocking for the stages' duration plus the slowest
// response; it stops early when ctx is done or out fails. Its memory is a
// goroutine per user and histograms. Its measurements are tallied as an
// attack's are, and an output that keeps partial repetitions gets them
// once a second as it does.
func (u *Users) Run(ctx context.Context, out Output) (results.Repetition, error) {
	ramp := StagesPacer{Stages: u.Stages}
	du := StagesDuration(u.Stages)
	most := 1
	for _, s := range u.Stages {
		most = max(most, int(s.Target))
	}
	m, err := httpclient.NewMix(u.Client, u.Request, u.Targets, most, u.Timeout)
	if err != nil {
		return results.Repetition{}, err
	}
	defer m.CloseIdleConnections()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	measured := make(chan sent, resultsQueued)
	var users []chan struct{} // each user's stop
	var wg sync.WaitGroup
	began := time.Now()
	var seq atomic.Uint64
	user := func(stop chan struct{}) {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			default:
			}
			select {
			case measured <- sendTimed(ctx, m, began, seq.Add(1)-1):
			case <-ctx.Done():
				return
			}
		}
	}
	// The controller adds and stops users as the ramp moves, then lets
	// the last requests finish and closes the stream.
	go func() {
		tick := time.NewTicker(UsersRamp)
		defer tick.Stop()
		for {
			elapsed := time.Since(began)
			want := 0
			if elapsed < du {
				want = int(ramp.Rate(elapsed) + 0.5)
			}
			for len(users) < want {
				stop := make(chan struct{})
				users = append(users, stop)
				wg.Add(1)
				go user(stop)
			}
			for len(users) > want {
				close(users[len(users)-1])
				users = users[:len(users)-1]
			}
			if elapsed >= du {
				break
			}
			select {
			case <-ctx.Done():
			case <-tick.C:
				continue
			}
			break
		}
		for _, stop := range users {
			close(stop)
		}
		wg.Wait()
		close(measured)
	}()

	stages := newStageTally(Pacing{Kind: "stages", Stages: u.Stages}, Shard{})
	for i := range stages.out {
		stages.out[i].Scheduled = 0 // users, not a schedule of requests
	}
	t := newTally(m, u.Expect, out, stages)
	t.begin(began)
	drain(measured, func(s sent) {
		if t.err == nil && t.add(s) != nil {
			cancel() // the output failed: stop, and drain what is in flight
		}
	})
	if t.err == nil {
		t.err = t.iv.flush()
	}
	rep := t.sum.Repetition(t.sent, t.last)
	rep.Intervals, rep.Stages = t.iv.done, t.stages.results()
	rep.PeakInFlight, rep.Began = most, began
	rep.Counters = t.counts.Counters()
	if t.err != nil {
		return rep, t.err
	}
	return rep, ctx.Err()
}

// sendTimed sends one request of m and times it: a closed loop has no
// schedule, so the intended start is the start.
func sendTimed(ctx context.Context, m *httpclient.Mix, began time.Time, seq uint64) sent {
	i := m.Next()
	start := time.Since(began)
	code, n, err := m.Send(ctx, i)
	return sent{hit: hit{seq: seq, intended: start, target: i}, start: start, end: time.Since(began), code: code, bytesIn: n, err: err}
}
