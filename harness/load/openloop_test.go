package load

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/target"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// slowTarget starts an embedded target answering after latency.
func slowTarget(t *testing.T, latency time.Duration) *target.Server {
	t.Helper()
	s, err := target.Start(target.Config{Latency: harness.Dist{Kind: "constant", Median: latency}}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func constantAttack(url string, perSecond int, du time.Duration, maxWorkers uint64) Attack {
	return Attack{Request: httpclient.Request{Method: "GET", URL: url}, Pacing: Pacing{Kind: "constant", Rate: vegeta.Rate{Freq: perSecond, Per: time.Second}},
		Duration: du, MaxWorkers: maxWorkers, Timeout: 5 * time.Second, LateAfter: 5 * time.Millisecond}
}

// TestOpenLoopAddsWorkers sends 400 requests a second for a second to a
// 250 ms target: about 100 are in flight at once, more than the workers
// (or connections) that start, so more start, and every request is sent
// (allowing 100 ms of lateness, for a loaded machine under the race
// detector), through either sender.
func TestOpenLoopAddsWorkers(t *testing.T) {
	s := slowTarget(t, 250*time.Millisecond)
	for _, client := range clients {
		a := constantAttack(s.URL(), 400, time.Second, 256)
		a.Client, a.LateAfter = client, 100*time.Millisecond
		rep, err := a.Run(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Completed != 400 || rep.Dropped != 0 || rep.ErrorCount() != 0 {
			t.Errorf("%s: completed %d, dropped %d, errors %v: want 400, 0, none", client, rep.Completed, rep.Dropped, rep.Errors)
		}
		if rep.PeakInFlight <= fewestFirstConnections || rep.PeakInFlight > 256 {
			t.Errorf("%s: peak in flight %d: want above the %d first workers (about 100), at most 256", client, rep.PeakInFlight, fewestFirstConnections)
		}
	}
}

// TestOpenLoopBoundsWorkers sends 200 requests a second for a second to a
// 100 ms target with at most 8 in flight, where about 20 would be: the
// attack falls behind, late, instead of sending more at once, and what
// it could not send by the end is dropped.
func TestOpenLoopBoundsWorkers(t *testing.T) {
	s := slowTarget(t, 100*time.Millisecond)
	for _, client := range clients {
		a := constantAttack(s.URL(), 200, time.Second, 8)
		a.Client = client
		rep, err := a.Run(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.PeakInFlight != 8 {
			t.Errorf("%s: peak in flight %d, want 8", client, rep.PeakInFlight)
		}
		// 8 at a time, 100 ms each: about 80 in a second, the rest dropped.
		if rep.Completed < 60 || rep.Completed > 100 || rep.Dropped != 200-rep.Completed || rep.Late < rep.Completed/2 {
			t.Errorf("%s: completed %d, dropped %d, late %d: want about 80, the rest, most late", client, rep.Completed, rep.Dropped, rep.Late)
		}
	}
}

// TestOpenLoopStopsWithContext cancels a 10 s attack after 300 ms: it
// returns at once with what it measured, the rest of the schedule not
// sent (not dropped: the workers waiting with hits taken ahead of time
// were not behind).
func TestOpenLoopStopsWithContext(t *testing.T) {
	s := slowTarget(t, 0)
	for _, client := range clients {
		a := constantAttack(s.URL(), 100, 10*time.Second, 16)
		a.Client = client
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		began := time.Now()
		rep, err := a.Run(ctx, nil)
		cancel()
		if err != context.DeadlineExceeded {
			t.Fatalf("%s: err %v, want the context's", client, err)
		}
		if took := time.Since(began); took > 3*time.Second {
			t.Errorf("%s: took %v to stop", client, took)
		}
		if rep.Completed < 10 || rep.Completed > 40 || rep.NotSent < 900 || rep.Dropped > 2 {
			t.Errorf("%s: completed %d, dropped %d, not sent %d: want about 30, none, and the rest of 1000 not sent", client, rep.Completed, rep.Dropped, rep.NotSent)
		}
	}
}

// BenchmarkOpenLoop measures the CPU and allocations an open-loop attack
// spends on each request, against an embedded zero-latency target in
// the same process (whose own costs are in the figures too): b.N
// requests at 20,000 a second.
func BenchmarkOpenLoop(b *testing.B) {
	s, err := target.Start(target.Config{}, "")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	du := time.Duration(b.N) * time.Second / 20000
	a := constantAttack(s.URL(), 20000, max(du, time.Millisecond), 256)
	b.ReportAllocs()
	b.ResetTimer()
	rep, err := a.Run(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(rep.Late)/float64(max(rep.Completed, 1))*100, "%late")
}

// TestGeneratorChecksItself: an attack well within what the generator
// can send (100/s to a zero-latency target) passes its own check, and
// one asked beyond it (200/s to a 50 ms target through 4 workers, where
// 10 are needed: by the end, requests are hundreds of milliseconds
// late) is flagged for lateness, with the CPU it used recorded. Both
// allow 25 ms of lateness, so that a loaded CI machine's hiccups pass.
func TestGeneratorChecksItself(t *testing.T) {
	fast, slow := slowTarget(t, 0), slowTarget(t, 50*time.Millisecond)
	within := constantAttack(fast.URL(), 100, time.Second, 256)
	within.MaxLateness, within.LateAfter = 25*time.Millisecond, 25*time.Millisecond
	rep, err := within.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.GeneratorCheck(); len(got) != 0 || rep.LatenessLimit <= within.MaxLateness || rep.UserCPU+rep.SystemCPU <= 0 {
		t.Errorf("within: check %q, limit %v, CPU %v: want clean, a limit above %v, some CPU", got, rep.LatenessLimit, rep.UserCPU+rep.SystemCPU, within.MaxLateness)
	}
	beyond := constantAttack(slow.URL(), 200, time.Second, 4)
	beyond.MaxLateness, beyond.LateAfter = 25*time.Millisecond, 25*time.Millisecond
	rep, err = beyond.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := rep.GeneratorCheck()
	if len(got) < 2 || !strings.Contains(got[0], "p99 lateness") || !strings.Contains(got[1], "of requests late") {
		t.Errorf("beyond: check %q, want lateness and late requests flagged", got)
	}
}
