package load

import (
	"testing"
	"time"

	"github.com/concbench/concbench/harness/input"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// planText is bench attack's defaults, with the fields given set.
func planText(given ...string) PlanText {
	set := map[string]bool{}
	for _, g := range given {
		set[g] = true
	}
	return PlanText{Rate: "500/s", MaxRate: "50000/s", Pacer: "constant", SinePeriod: 10 * time.Second, Duration: 5 * time.Second,
		Timeout: 10 * time.Second, LateAfter: 5 * time.Millisecond, MaxWorkers: 256, Reps: 1, Given: func(f string) bool { return set[f] }}
}

// TestPlanTextNamesTheField: each bad value is an *input.Error naming its
// field as the flag does, and a message about another field names it as
// the caller does.
func TestPlanTextNamesTheField(t *testing.T) {
	for _, c := range []struct {
		edit           func(*PlanText)
		field, problem string
	}{
		{func(p *PlanText) { p.Rate = "fast" }, "rate", `"fast": want a whole number of requests above 0, e.g. 2000/s`},
		{func(p *PlanText) { p.Rates = "10,20,10" }, "rates", "10 appears twice (as 10/s)"},
		{func(p *PlanText) { p.MaxRate = "0/s" }, "max-rate", `"0/s": want a whole number of requests above 0, e.g. 2000/s`},
		{func(p *PlanText) { p.Duration = 0 }, "duration", "0s is out of range (0, 1h0m0s]"},
		{func(p *PlanText) { p.MaxWorkers = 0 }, "max-workers", "0 is out of range 1..100000"},
		{func(p *PlanText) { p.Reps = 101 }, "reps", "101 is out of range 1..100"},
		{func(p *PlanText) { p.LateAfter = -1 }, "late-after", "-1ns must be >= 0"},
		{func(p *PlanText) { p.Pacer = "square" }, "pacer", `"square" is not one of constant, linear, sine, stages`},
		{func(p *PlanText) { p.Pacer, p.SineAmp = "sine", "600/s" }, "sine-amp", "600/s must be below the mean rate 500/s"},
		{func(p *PlanText) { p.Users = "1s:2.5" }, "users", "2.5 users: want a whole number up to 100000"},
		{func(p *PlanText) { p.Stages, p.Rates = "1s:100", "10,20" }, "stages", "one staged attack; leave rates and slo out"},
		{func(p *PlanText) { p.SLO = "p99<=fast" }, "slo", ""},
	} {
		p := planText()
		c.edit(&p)
		_, err := p.Plan()
		in, ok := input.As(err)
		if !ok || in.Field != c.field || c.problem != "" && in.Problem != c.problem {
			t.Errorf("got %v; want field %s: %s", err, c.field, c.problem)
		}
	}
	p := planText("duration")
	p.Stages, p.Name = "1s:100", func(f string) string { return "attack." + f }
	if _, err := p.Plan(); err == nil || err.Error() != "stages: the stages set the duration; leave attack.duration out" {
		t.Errorf("got %v, want the other field named as the caller names it", err)
	}
}

// TestPlanCounts: how many attacks and requests each kind of plan has,
// and a smoke run's shortening that keeps the stages' shape.
func TestPlanCounts(t *testing.T) {
	rates := planText()
	rates.Rates, rates.Reps = "100,200", 3
	p, err := rates.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if p.Attacks() != 6 || p.Requests() != 3*(500+1000) || p.Strategy() != "open-loop" || len(p.Cells("http")) != 2 {
		t.Errorf("rates: %d attacks, %v requests, %s, cells %v; want 6, 4500, open-loop, 2", p.Attacks(), p.Requests(), p.Strategy(), p.Cells("http"))
	}
	search := planText()
	search.Rate, search.MaxRate, search.SLO = "1000/s", "8000/s", "p99<=10ms"
	p, err = search.Plan()
	if err != nil {
		t.Fatal(err)
	}
	// 1000, 2000, 4000, 8000 (three doublings), then SearchSteps halvings.
	if !p.Search || p.Attacks() != 3+1+SearchSteps || p.Requests() != float64(p.Attacks())*8000*5 || p.Cells("http") != nil {
		t.Errorf("search: %v, %d attacks, %v requests; want a search of %d attacks at most, each at 8000/s for 5 s", p.Search, p.Attacks(), p.Requests(), 3+1+SearchSteps)
	}
	staged := planText()
	staged.Stages = "10s:100,10s:0"
	p, err = staged.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if p.Duration != 20*time.Second || p.Attacks() != 1 || p.Requests() != 1000 || p.Cells("api")[0] != "api stages" {
		t.Errorf("stages: %v, %d attacks, %v requests, %v; want 20s, 1, 1000, api stages", p.Duration, p.Attacks(), p.Requests(), p.Cells("api"))
	}
	p.Shorten()
	if p.Duration != time.Second || p.Pacing.Stages[0].Duration != 500*time.Millisecond {
		t.Errorf("shortened: %v, first stage %v; want 1s, 500ms", p.Duration, p.Pacing.Stages[0].Duration)
	}
	users := planText()
	users.Users = "1s:10,1s:0"
	p, err = users.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if p.Strategy() != "closed-loop" || p.Requests() != 0 || p.Duration != 2*time.Second || p.Cells("http")[0] != "http users" {
		t.Errorf("users: %s, %v requests, %v, %v; want closed-loop, 0, 2s, http users", p.Strategy(), p.Requests(), p.Duration, p.Cells("http"))
	}
}

// TestPlanValidate: a Plan built by a program is checked as one read from
// text.
func TestPlanValidate(t *testing.T) {
	p := Plan{Rates: nil, Duration: time.Second, MaxWorkers: 1, Timeout: time.Second, Reps: 1, Pacing: Pacing{Kind: "constant"}}
	if in, ok := input.As(p.Validate()); !ok || in.Field != "rate" {
		t.Errorf("no rate: %v, want a rate error", p.Validate())
	}
	p.Rates = []vegeta.Rate{{Freq: 10, Per: time.Second}}
	if err := p.Validate(); err != nil {
		t.Errorf("valid: %v", err)
	}
	p.Search = true
	if in, ok := input.As(p.Validate()); !ok || in.Field != "slo" {
		t.Errorf("a search without an SLO: %v, want an slo error", p.Validate())
	}
}
