package harness

import (
	"errors"
	"testing"
)

func TestPlanValidate(t *testing.T) {
	good := func() *Plan {
		return &Plan{
			Workloads:  []PlannedWorkload{{Name: "w", Tasks: 10, Workload: tasksOf{}}},
			Strategies: []Strategy{Pool{}},
			Limits:     []int{4},
			Reps:       5,
		}
	}
	tests := []struct {
		name  string
		edit  func(*Plan)
		field string // "" when valid
	}{
		{"a good plan is valid", func(*Plan) {}, ""},
		{"zero repetitions", func(p *Plan) { p.Reps = 0 }, "reps"},
		{"negative warm-up", func(p *Plan) { p.Warmup = -1 }, "warmup"},
		{"zero tasks", func(p *Plan) { p.Workloads[0].Tasks = 0 }, "tasks"},
		{"too many tasks", func(p *Plan) { p.Workloads[0].Tasks = MaxTasks + 1 }, "tasks"},
		{"a zero limit", func(p *Plan) { p.Limits = []int{4, 0} }, "limits"},
		{"a huge limit", func(p *Plan) { p.Limits = []int{MaxLimit + 1} }, "limits"},
		{"no limit for a limited strategy", func(p *Plan) { p.Limits = nil }, "limits"},
		{"no limit is fine when no strategy uses one", func(p *Plan) { p.Limits = nil; p.Strategies = []Strategy{Sequential{}} }, ""},
		{"no strategy", func(p *Plan) { p.Strategies = nil }, "strategies"},
		{"no workload", func(p *Plan) { p.Workloads = nil }, "workloads"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good()
			tt.edit(p)
			err := p.Validate()
			var in *InputError
			switch {
			case tt.field == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.field != "" && (!errors.As(err, &in) || in.Field != tt.field):
				t.Errorf("Validate() = %v, want an InputError on %q", err, tt.field)
			}
		})
	}
}

func TestCellsRunUnlimitedStrategiesOnce(t *testing.T) {
	p := &Plan{
		Workloads:  []PlannedWorkload{{Name: "a"}, {Name: "b"}},
		Strategies: Strategies(),
		Limits:     []int{1, 8, 64},
	}
	// Per workload: sequential and unbounded once, pool, semaphore and offload thrice.
	if got := len(p.Cells()); got != 2*(2+3*3) {
		t.Errorf("%d cells, want 22", got)
	}
}

func TestStrategyByNameSuggests(t *testing.T) {
	_, err := StrategyByName("semaphor")
	if err == nil || err.Error() != `unknown strategy "semaphor"; did you mean "semaphore"?` {
		t.Errorf("err = %v", err)
	}
	if _, err := StrategyByName("zzz"); err == nil || err.Error() != `unknown strategy "zzz" (known: sequential, unbounded, pool, semaphore, offload)` {
		t.Errorf("err = %v", err)
	}
}
