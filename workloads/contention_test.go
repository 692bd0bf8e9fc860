package workloads

import (
	"strings"
	"sync"
	"testing"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/capacity"
	"github.com/concbench/concbench/harness/strategy"
)

// updates is how many updates s holds: each writer's one.
func (s *sharedState) updates() int64 {
	v := s.value
	for i := range s.shards {
		v += s.shards[i].value
	}
	return v
}

// direct runs Exec's sections on the caller: enough for the state's tests.
type direct struct{}

func (direct) Compute(fn func())                  { fn() }
func (direct) Block(fn func() error) error        { return fn() }
func (direct) Spawn(...harness.Task) harness.Join { return nil }

// TestContentionKeepsItsState runs every lock's tasks side by side: each
// update lands once (under -race, each guard must really guard).
func TestContentionKeepsItsState(t *testing.T) {
	for _, lock := range []string{"mutex", "rwmutex", "atomic", "sharded", "owner"} {
		for _, mode := range []string{"wait", "cpu"} {
			t.Run(lock+" "+mode, func(t *testing.T) {
				spec, _ := Lookup("contention")
				pw, err := spec.Build("contention", map[string]string{"lock": lock, "mode": mode, "work": "20us", "critical": "20us", "shards": "4"}, 64)
				if err != nil {
					t.Fatal(err)
				}
				w := pw.Workload.(*contentionWorkload)
				s := w.newState(64, 0)
				var wg sync.WaitGroup
				for i := range 64 {
					wg.Go(func() {
						if err := s.run(t.Context(), direct{}, i); err != nil {
							t.Error(err)
						}
					})
				}
				wg.Wait()
				s.close()
				want := int64(64)
				if lock == "rwmutex" {
					want = 0
					for _, r := range s.reader {
						if !r {
							want++
						}
					}
				}
				if got := s.updates(); got != want {
					t.Errorf("%d updates, want %d", got, want)
				}
			})
		}
	}
}

// TestOneLockCapsTheSpeedUp runs tasks a quarter of which is under one
// lock, at limits 1 and 16: a mutex's speed-up stays under 4x (Amdahl's
// 1/f) and its tasks wait for the lock; sharded locks pass 4x.
func TestOneLockCapsTheSpeedUp(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 2 s")
	}
	params := func(lock string) map[string]string {
		return map[string]string{"lock": lock, "work": "3ms", "critical": "1ms"}
	}
	speedUp := func(lock string) (float64, float64) {
		one := measure(t, "contention", params(lock), 48, 1, 1, strategy.Semaphore{})[0]
		many := measure(t, "contention", params(lock), 48, 16, 1, strategy.Semaphore{})[0]
		checkClean(t, one)
		checkClean(t, many)
		if e := many.Summary.Efficiency; e > 1.05 {
			t.Errorf("%s at 16: efficiency %.2f above 1: the ideal bound must count the serial sections", lock, e)
		}
		return float64(one.Summary.Wall) / float64(many.Summary.Wall), many.Summary.Counters["lock-wait-ms"]
	}
	mutex, waited := speedUp("mutex")
	sharded, _ := speedUp("sharded")
	t.Logf("speed-up at 16: mutex %.2fx (tasks waited %.2f ms for the lock), sharded %.2fx", mutex, waited, sharded)
	if mutex >= 4 {
		t.Errorf("mutex sped up %.2fx: one lock held a quarter of each task caps it under 4x", mutex)
	}
	if waited < 1 {
		t.Errorf("tasks waited %.2f ms for the lock at 16: at the cap, each waits for many sections", waited)
	}
	if sharded < 4 {
		t.Errorf("sharded sped up %.2fx, not past the one lock's 4x", sharded)
	}
}

func TestContentionRejectsBadParameters(t *testing.T) {
	spec, _ := Lookup("contention")
	for param, value := range map[string]string{"critical": "0s", "work": "-1ms", "reads": "1.5", "shards": "0", "lock": "spin", "mode": "busy"} {
		_, err := spec.Build("contention", map[string]string{param: value}, 0)
		if err == nil || !strings.HasPrefix(err.Error(), "param contention."+param+": ") {
			t.Errorf("%s=%s: %v, want an error naming param contention.%s", param, value, err, param)
		}
	}
}

// TestCapacityReadsTheSerialFraction sweeps one lock in Amdahl's setting
// (each repetition one wave of limit tasks that start together): the
// USL's contention term must read the fraction of each task spent under
// the lock, as the workload measured it (timers' lateness included).
func TestCapacityReadsTheSerialFraction(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 2 s")
	}
	spec, _ := Lookup("contention")
	w, err := spec.Build("contention", map[string]string{"work": "8ms", "critical": "2ms"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	w.TasksPerLimit = 1
	p, err := harness.NewPlan(harness.PlanConfig{Workloads: []harness.PlannedWorkload{w}, Strategies: []harness.Strategy{strategy.Semaphore{}},
		Limits: []int{1, 2, 4, 8, 16, 32}, Reps: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var r harness.Runner
	res, err := r.Run(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	var points []capacity.Point
	var share float64
	for _, c := range res.Cells {
		points = append(points, capacity.Point{N: float64(c.Limit), X: c.Summary.Throughput})
		share += c.Summary.Counters["critical-share"] / float64(len(res.Cells))
	}
	fit, err := capacity.Fit(points)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sigma %.4f, the share of each task under the lock %.4f", fit.Sigma, share)
	if fit.Sigma < 0.75*share || fit.Sigma > 1.25*share {
		t.Errorf("sigma %.4f is not within 25%% of the serial fraction %.4f", fit.Sigma, share)
	}
}
