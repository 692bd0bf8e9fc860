package plan

import (
	"testing"
	"time"

	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/results"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestBuild(t *testing.T) {
	good := func() Spec {
		return Spec{
			Workloads:  []results.WorkloadRecord{{Name: "io", Params: map[string]string{"latency": "1ms"}}, {Name: "slow", Family: "io", Tasks: 30}},
			Strategies: []string{"sequential", "pool"},
			Limits:     []int{4},
			Reps:       2,
		}
	}
	p, err := Build(good())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if len(p.Cells()) != 4 || p.Workloads[0].Tasks != 200 || p.Workloads[1].Tasks != 30 || p.Workloads[1].Family != "io" || p.Workloads[0].Params["latency"] != "1ms" {
		t.Errorf("built %d cells, workloads %+v", len(p.Cells()), p.Workloads)
	}

	tests := []struct {
		name  string
		edit  func(*Spec)
		field string // the field the error names
	}{
		{"an unknown family", func(s *Spec) { s.Workloads[0].Name = "iox" }, "workloads"},
		{"an unknown strategy", func(s *Spec) { s.Strategies = []string{"pools"} }, "strategies"},
		{"an unknown parameter, named by workload", func(s *Spec) { s.Workloads[1].Params = map[string]string{"latncy": "1ms"} }, "param slow.latncy"},
		{"a bad parameter value", func(s *Spec) { s.Workloads[0].Params["latency"] = "-1ms" }, "param io.latency"},
		{"no repetition", func(s *Spec) { s.Reps = 0 }, "reps"},
		{"a hazard, unforced", func(s *Spec) {
			s.Workloads = []results.WorkloadRecord{{Name: "recursive", Params: map[string]string{"shape": "chain", "depth": "200000"}}}
		}, "param recursive.depth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good()
			tt.edit(&s)
			_, err := Build(s)
			if in, ok := input.As(err); !ok || in.Field != tt.field {
				t.Errorf("Build = %v, want an input error on %q", err, tt.field)
			}
		})
	}
}

func TestQuickTakesATenth(t *testing.T) {
	w, err := Workload(results.WorkloadRecord{Name: "io"}, true, "")
	if err != nil || w.Tasks != 20 {
		t.Errorf("quick io: %d tasks, %v; want 20", w.Tasks, err)
	}
	w, _ = Workload(results.WorkloadRecord{Name: "io", Tasks: 5}, true, "")
	if w.Tasks != 1 {
		t.Errorf("quick of 5 tasks: %d, want at least 1", w.Tasks)
	}
}

// TestRecordRoundTrips checks that a plan rebuilt from its record (as an
// isolated cell's child does) is the same plan.
func TestRecordRoundTrips(t *testing.T) {
	p, err := Build(Spec{Workloads: []results.WorkloadRecord{{Name: "cpu", Tasks: 7, Timeout: time.Second, TasksPerLimit: 3}},
		Strategies: []string{"semaphore"}, Limits: []int{2, 5}, Reps: 3, Warmup: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	q, err := Build(FromRecord(p.Record()))
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	a, b := p.Record(), q.Record()
	if a.Workloads[0].Params["cost"] != b.Workloads[0].Params["cost"] || a.Reps != b.Reps || a.Warmup != b.Warmup ||
		len(p.Cells()) != len(q.Cells()) || q.Cells()[1].Tasks != 15 || q.Workloads[0].Timeout != time.Second {
		t.Errorf("rebuilt %+v from %+v", b, a)
	}
}
