package load

import (
	"context"
	"sync"
	"time"

	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/results"
	vegeta "github.com/tsenart/vegeta/v12/lib"
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
// goroutine per user and histograms.
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
	counts := httpclient.NewTargetCounts(m)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type done struct {
		sample results.Sample
		res    vegeta.Result
	}
	samples := make(chan done, 1024)
	var users []chan struct{} // each user's stop
	var wg sync.WaitGroup
	began := time.Now()
	var seq uint64
	var seqMu sync.Mutex
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
			d := u.send(ctx, m, counts, began)
			seqMu.Lock()
			d.res.Seq, seq = seq, seq+1
			seqMu.Unlock()
			select {
			case samples <- done{d.sample, d.res}:
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
		close(samples)
	}()

	sum := results.NewSummarizer()
	iv := &intervals{out: out, began: began, h: results.NewHistogram()}
	stages := newStageTally(Pacing{Kind: "stages", Stages: u.Stages}, Shard{})
	for i := range stages.out {
		stages.out[i].Scheduled = 0 // users, not a schedule of requests
	}
	var last time.Duration
	var outErr error
	n := 0
	for d := range samples {
		if outErr != nil {
			continue // drain; cancel was called
		}
		n++
		sum.Add(d.sample)
		stages.add(d.sample, false)
		last = max(last, d.sample.End)
		if out != nil {
			outErr = out.Result(&d.res)
		}
		if outErr == nil {
			outErr = iv.add(d.sample, false)
		}
		if outErr != nil {
			cancel()
		}
	}
	if outErr == nil {
		outErr = iv.flush()
	}
	rep := sum.Repetition(n, last)
	rep.Intervals, rep.Stages = iv.done, stages.results()
	rep.PeakInFlight, rep.Began = most, began
	rep.Counters = counts.Counters()
	if outErr != nil {
		return rep, outErr
	}
	return rep, ctx.Err()
}

// send sends one request and times it: a closed loop has no schedule, so
// the intended start is the start.
func (u *Users) send(ctx context.Context, m *httpclient.Mix, counts *httpclient.TargetCounts, began time.Time) (d struct {
	sample results.Sample
	res    vegeta.Result
}) {
	i := m.Next()
	method, url, body := m.Describe(i)
	start := time.Now()
	d.res = vegeta.Result{Attack: "concbench", Timestamp: start, Method: method, URL: url, BytesOut: uint64(body)}
	code, n, err := m.Send(ctx, i)
	d.res.BytesIn = uint64(n)
	end := time.Now()
	d.res.Code, d.res.Latency = uint16(code), end.Sub(start)
	if err != nil {
		d.res.Error = err.Error()
	}
	var transport error
	if code == 0 {
		transport = err
	}
	d.sample = results.Sample{Intended: start.Sub(began), Start: start.Sub(began), End: end.Sub(began), Done: true,
		Err: u.Expect.Classify(code, transport)}
	if code != 0 && err != nil { // the body failed to read
		d.sample.Err = u.Expect.Classify(0, err)
	}
	d.sample.Class = m.Name(i)
	counts.Add(i, d.sample.Err != nil)
	return d
}
