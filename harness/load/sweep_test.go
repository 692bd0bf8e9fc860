package load

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/results"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// fakeTarget answers within 10 ms up to capacity requests per second and
// in 200 ms above it; it records the rates attacked.
type fakeTarget struct {
	capacity float64
	tried    []float64
	failAt   float64 // a rate whose attack fails; 0: none
}

func (f *fakeTarget) attack(ctx context.Context, a Attack, _ Output) (results.Repetition, error) {
	rate := PerSecond(a.Pacing.Rate)
	f.tried = append(f.tried, rate)
	if rate == f.failAt {
		return results.Repetition{}, context.Canceled
	}
	p99 := 10 * time.Millisecond
	if rate > f.capacity {
		p99 = 200 * time.Millisecond
	}
	n := int(rate * a.Duration.Seconds())
	rep := results.Repetition{Core: results.Core{Submitted: n, Completed: n, Throughput: rate, Response: results.Quantiles{P99: p99}}, OpenLoop: results.OpenLoop{TargetRate: rate}}
	return rep, nil
}

func newSweep(t *testing.T, f *fakeTarget, slo string) *Sweep {
	t.Helper()
	s := &Sweep{Attack: Attack{Pacing: Pacing{Kind: "constant"}, Duration: time.Second, MaxWorkers: 64}, Reps: 2,
		Workload: results.WorkloadRecord{Params: map[string]string{"latency": "1ms"}}, attack: f.attack}
	if slo != "" {
		var err error
		if s.SLO, err = results.ParseSLO("slo", slo); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func rate(perSec int) vegeta.Rate { return vegeta.Rate{Freq: perSec, Per: time.Second} }

func TestSearchDoublesThenBisects(t *testing.T) {
	f := &fakeTarget{capacity: 700}
	res, verdict, err := newSweep(t, f, "p99<=50ms").Search(context.Background(), rate(100), rate(50000))
	if err != nil {
		t.Fatal(err)
	}
	// Doubling until 800 fails, then four halvings of the gap.
	if want := []float64{100, 100, 200, 200, 400, 400, 800, 800, 600, 600, 700, 700, 750, 750, 725, 725}; !reflect.DeepEqual(f.tried, want) {
		t.Errorf("rates tried %v, want %v", f.tried, want)
	}
	if want := "maximum sustainable rate: 700/s meets p99<=50ms (725/s does not)"; verdict != want {
		t.Errorf("verdict %q, want %q", verdict, want)
	}
	if len(res.Cells) != 8 || !res.Complete || res.Cells[0].Workload != "http 100/s" || len(res.Plan.Workloads) != 8 {
		t.Errorf("%d cells (complete %v), first %q, %d workloads recorded", len(res.Cells), res.Complete, res.Cells[0].Workload, len(res.Plan.Workloads))
	}
	if p := res.Plan.Workloads[0].Params; p["rate"] != "100/s" || p["latency"] != "1ms" || p["max-workers"] != "64" {
		t.Errorf("recorded params %v", p)
	}
}

func TestSearchEnds(t *testing.T) {
	tests := []struct {
		name     string
		capacity float64
		want     string
	}{
		{"the first rate already fails", 50, "maximum sustainable rate: none; 100/s already fails p99<=50ms"},
		{"the limit still meets it", 1e9, "maximum sustainable rate: at least 800/s (the -max-rate) meets p99<=50ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, verdict, err := newSweep(t, &fakeTarget{capacity: tt.capacity}, "p99<=50ms").Search(context.Background(), rate(100), rate(800))
			if err != nil || verdict != tt.want {
				t.Errorf("verdict %q, %v; want %q", verdict, err, tt.want)
			}
		})
	}
	if _, _, err := newSweep(t, &fakeTarget{}, "").Search(context.Background(), rate(1), rate(2)); err == nil {
		t.Error("a search without an SLO was accepted")
	}
}

func TestRatesNamesTheHighestMeeting(t *testing.T) {
	f := &fakeTarget{capacity: 300}
	res, verdict, err := newSweep(t, f, "p99<=50ms").Rates(context.Background(), []vegeta.Rate{rate(100), rate(400), rate(200)})
	if err != nil || verdict != "highest rate swept that meets the SLO: 200/s" || len(res.Cells) != 3 {
		t.Errorf("verdict %q, %d cells, %v", verdict, len(res.Cells), err)
	}
	if _, verdict, _ := newSweep(t, f, "").Rates(context.Background(), []vegeta.Rate{rate(100)}); verdict != "" {
		t.Errorf("a verdict without an SLO: %q", verdict)
	}
}

func TestSweepKeepsWhatItMeasuredOnError(t *testing.T) {
	f := &fakeTarget{capacity: 1000, failAt: 400}
	res, _, err := newSweep(t, f, "").Rates(context.Background(), []vegeta.Rate{rate(100), rate(200), rate(400), rate(800)})
	if !errors.Is(err, context.Canceled) || res.Complete || len(res.Cells) != 2 {
		t.Errorf("err %v, complete %v, %d cells; want the two rates measured, incomplete", err, res.Complete, len(res.Cells))
	}
	s := newSweep(t, &fakeTarget{capacity: 1000}, "")
	var sinks []*fakeSink
	s.Open = func(vegeta.Rate, int) (Sink, error) {
		k := &fakeSink{}
		if sinks = append(sinks, k); len(sinks) == 3 {
			k.fail = errors.New("disk full")
		}
		return k, nil
	}
	if _, _, err := s.Rates(context.Background(), []vegeta.Rate{rate(100), rate(200)}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("a failing output: %v", err)
	}
	if len(sinks) != 3 || !sinks[0].closed || !sinks[0].kept || !sinks[2].closed {
		t.Errorf("outputs %+v: want three opened, each closed, the measured ones kept", sinks)
	}
}

// fakeSink is an output that fails on Close when told to.
type fakeSink struct {
	fail         error
	closed, kept bool
}

func (k *fakeSink) Result(*vegeta.Result) error                                    { return nil }
func (k *fakeSink) Interval(results.Interval, time.Time, *results.Histogram) error { return nil }
func (k *fakeSink) Close(_ results.Repetition, kept bool) error {
	k.closed, k.kept = true, kept
	return k.fail
}

// TestInterruptedAttackKeepsWhatItMeasured interrupts the second attack
// of a sweep after it measured some requests: the results keep them,
// marked interrupted, and its files are published.
func TestInterruptedAttackKeepsWhatItMeasured(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newSweep(t, &fakeTarget{capacity: 1000}, "")
	s.Reps = 3
	n := 0
	s.attack = func(ctx context.Context, a Attack, _ Output) (results.Repetition, error) {
		if n++; n == 2 {
			cancel()
			return results.Repetition{Core: results.Core{Submitted: 100, Completed: 40}}, ctx.Err()
		}
		return results.Repetition{Core: results.Core{Submitted: 100, Completed: 100}}, nil
	}
	var sinks []*fakeSink
	s.Open = func(vegeta.Rate, int) (Sink, error) {
		k := &fakeSink{}
		sinks = append(sinks, k)
		return k, nil
	}
	res, _, err := s.Rates(ctx, []vegeta.Rate{rate(100)})
	if !errors.Is(err, context.Canceled) || res.Complete || len(res.Cells) != 1 {
		t.Fatalf("err %v, complete %v, %d cells", err, res.Complete, len(res.Cells))
	}
	reps := res.Cells[0].Repetitions
	if len(reps) != 2 || reps[0].Interrupted || !reps[1].Interrupted || reps[1].Completed != 40 || res.Cells[0].Complete {
		t.Errorf("repetitions %+v: want the whole one, then the interrupted one with its 40", reps)
	}
	if len(sinks) != 2 || !sinks[1].kept {
		t.Errorf("outputs %+v: the interrupted attack's files must be kept", sinks)
	}
}

// TestSweepCheckpointsEachSecond attacks a real target at two rates, two
// repetitions each, 1.5 s apiece, handing each checkpoint to a goroutine
// that encodes it while the attack goes on (as the run folder's
// checkpointer does): every checkpoint encodes, each holds the attack in
// progress as an interrupted repetition, and they grow to every cell.
func TestSweepCheckpointsEachSecond(t *testing.T) {
	if testing.Short() {
		t.Skip("attacks for 6 s")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	saved := make(chan *results.Results, 100)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var cells, encoded int
	wg.Go(func() {
		for r := range saved {
			js, err := results.Encode(r)
			back := &results.Results{}
			if err == nil {
				err = json.Unmarshal(js, back)
			}
			mu.Lock()
			if err != nil {
				t.Errorf("checkpoint %d: %v", encoded, err)
			}
			last := back.Cells[len(back.Cells)-1]
			if reps := last.Repetitions; len(reps) == 0 || !reps[len(reps)-1].Interrupted || reps[len(reps)-1].Completed == 0 {
				t.Errorf("checkpoint %d: the attack in progress is not its last repetition, interrupted: %+v", encoded, reps)
			}
			encoded, cells = encoded+1, max(cells, len(back.Cells))
			mu.Unlock()
		}
	})
	s := &Sweep{Attack: Attack{Request: httpclient.Request{Method: "GET", URL: srv.URL}, Pacing: Pacing{Kind: "constant"}, Duration: 1500 * time.Millisecond,
		MaxWorkers: 16, Timeout: time.Second, LateAfter: time.Second}, Reps: 2, Checkpoint: func(r *results.Results) { saved <- r }}
	res, _, err := s.Rates(context.Background(), []vegeta.Rate{rate(50), rate(100)})
	close(saved)
	wg.Wait()
	if err != nil || len(res.Cells) != 2 {
		t.Fatalf("sweep: %v, %d cells", err, len(res.Cells))
	}
	if encoded < 4 || cells != 2 {
		t.Errorf("%d checkpoints reaching %d cells; want one a second of each of 4 attacks, and both cells", encoded, cells)
	}
}
