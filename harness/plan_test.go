package harness_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/strategy"
)

// closer is a test workload that records being closed.
type closer struct {
	tasksOf
	closed *bool
}

func (c closer) Close() error { *c.closed = true; return nil }

// risky is a test workload whose parameters pass a safety bound.
type risky struct{ tasksOf }

func (risky) Hazard() error { return input.Errorf("depth", "50000000 is beyond 100000") }

func TestNewPlan(t *testing.T) {
	good := func() PlanConfig {
		return PlanConfig{
			Workloads:  []PlannedWorkload{{Name: "w", Family: "w", Tasks: 10, Workload: tasksOf{}}},
			Strategies: []Strategy{strategy.Pool{}},
			Limits:     []int{4},
			Reps:       5,
		}
	}
	tests := []struct {
		name  string
		edit  func(*PlanConfig)
		field string // "" when valid
	}{
		{"a good plan is valid", func(*PlanConfig) {}, ""},
		{"zero repetitions", func(p *PlanConfig) { p.Reps = 0 }, "reps"},
		{"negative warm-up", func(p *PlanConfig) { p.Warmup = -1 }, "warmup"},
		{"zero tasks", func(p *PlanConfig) { p.Workloads[0].Tasks = 0 }, "tasks"},
		{"too many tasks", func(p *PlanConfig) { p.Workloads[0].Tasks = MaxTasks + 1 }, "tasks"},
		{"a negative task timeout", func(p *PlanConfig) { p.Workloads[0].Timeout = -1 }, "task-timeout"},
		{"a zero limit", func(p *PlanConfig) { p.Limits = []int{4, 0} }, "limits"},
		{"a huge limit", func(p *PlanConfig) { p.Limits = []int{MaxLimit + 1} }, "limits"},
		{"no limit for a limited strategy", func(p *PlanConfig) { p.Limits = nil }, "limits"},
		{"no limit is fine when no strategy uses one", func(p *PlanConfig) { p.Limits = nil; p.Strategies = []Strategy{strategy.Sequential{}} }, ""},
		{"no strategy", func(p *PlanConfig) { p.Strategies = nil }, "strategies"},
		{"no workload", func(p *PlanConfig) { p.Workloads = nil }, "workloads"},
		{"a workload not built", func(p *PlanConfig) { p.Workloads[0].Workload = nil }, "workloads"},
		{"tasks per limit past the task bound", func(p *PlanConfig) { p.Workloads[0].TasksPerLimit = 1000; p.Limits = []int{MaxLimit} }, "tasks-per-limit"},
		{"a hazard names its parameter", func(p *PlanConfig) { p.Workloads[0].Workload = risky{} }, "param w.depth"},
		{"a forced hazard is accepted", func(p *PlanConfig) { p.Workloads[0].Workload = risky{}; p.Force = true }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.edit(&c)
			p, err := NewPlan(c)
			in, isInput := input.As(err)
			switch {
			case tt.field == "" && (err != nil || p == nil):
				t.Errorf("NewPlan() = %v, want a plan", err)
			case tt.field != "" && (!isInput || in.Field != tt.field):
				t.Errorf("NewPlan() = %v, want an input error on %q", err, tt.field)
			}
		})
	}
}

func TestNewPlanClosesWorkloadsWhenItRefuses(t *testing.T) {
	var closed bool
	_, err := NewPlan(PlanConfig{Workloads: []PlannedWorkload{{Name: "w", Tasks: 1, Workload: closer{closed: &closed}}}})
	if err == nil || !closed {
		t.Errorf("err %v, closed %v; want a refusal and the workload closed", err, closed)
	}
}

func TestRunRefusesAPlanNotMadeByNewPlan(t *testing.T) {
	p := &Plan{PlanConfig: PlanConfig{Workloads: []PlannedWorkload{{Name: "w", Tasks: 1, Workload: tasksOf{}}},
		Strategies: []Strategy{strategy.Sequential{}}, Reps: 1}}
	var r Runner
	if _, err := r.Run(context.Background(), p); !errors.Is(err, ErrNotValidated) {
		t.Errorf("Run() = %v, want ErrNotValidated", err)
	}
}

func TestCells(t *testing.T) {
	p, err := NewPlan(PlanConfig{
		Workloads:  []PlannedWorkload{{Name: "a", Tasks: 10, Workload: tasksOf{}}, {Name: "b", Tasks: 10, TasksPerLimit: 5, Workload: tasksOf{}}},
		Strategies: strategy.All()[:5],
		Limits:     []int{1, 8, 64},
		Reps:       1,
	})
	if err != nil {
		t.Fatal(err)
	}
	cells := p.Cells()
	// Per workload: sequential and unbounded once, pool, semaphore and offload thrice.
	if len(cells) != 2*(2+3*3) {
		t.Fatalf("%d cells, want 22", len(cells))
	}
	var tasks []string
	for _, c := range cells[11:16] { // b: sequential, unbounded, pool 1, 8, 64
		tasks = append(tasks, c.String()+"="+strconv.Itoa(c.Tasks))
	}
	want := "b × sequential=10 b × unbounded=10 b × pool limit=1=10 b × pool limit=8=40 b × pool limit=64=320"
	if got := strings.Join(tasks, " "); got != want {
		t.Errorf("tasks per cell: %s\nwant %s", got, want)
	}
}

func TestWarnings(t *testing.T) {
	p, err := NewPlan(PlanConfig{Workloads: []PlannedWorkload{{Name: "tiny", Tasks: 10, Workload: sleepy{time.Nanosecond}},
		{Name: "slow", Tasks: 10, Workload: sleepy{100 * time.Millisecond}}},
		Strategies: []Strategy{strategy.Sequential{}}, Reps: 2, Warmup: 1})
	if err != nil {
		t.Fatal(err)
	}
	ws := p.Warnings(time.Second)
	if TimerResolution() > 0 && (len(ws) == 0 || !strings.HasPrefix(ws[0], "tiny: tasks wait about 0s on timers, below this machine's timer resolution")) {
		t.Errorf("no timer warning for 1 ns waits: %q", ws)
	}
	if last := ws[len(ws)-1]; !strings.HasPrefix(last, "slow × sequential: needs at least 3s (3 repetitions of an ideal 1s), more than the cell timeout 1s") {
		t.Errorf("no cell-timeout warning: %q", ws)
	}
	if n := len(p.Warnings(0)); n != len(ws)-1 {
		t.Errorf("without a cell timeout: %d warnings, want %d", n, len(ws)-1)
	}
}
