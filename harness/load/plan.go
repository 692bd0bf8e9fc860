package load

import (
	"flag"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/results"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Plan is what an attack run sends, checked: open loop at rates (or a
// search for the highest rate that meets an SLO), each shaped by a
// pacing, or closed-loop users ramped through stages; and the bounds
// every attack shares. bench attack builds one from its flags and its
// scenario file (PlanText); a program may build one itself and call
// Validate.
type Plan struct {
	// Rates are attacked in turn, each Reps times; with Search, the one
	// rate the search starts from.
	Rates   []vegeta.Rate
	Search  bool        // look for the highest rate, up to MaxRate, that meets SLO
	MaxRate vegeta.Rate // the highest rate a search tries
	SLO     results.SLO // empty: none
	// Pacing shapes each attack, its Rate set per attack; Kind "stages"
	// is one staged attack, whose stages set its length.
	Pacing Pacing
	// Users, when given, ramp closed-loop users instead of sending at a
	// rate, and set the length.
	Users       []Stage
	Duration    time.Duration // each attack's length
	MaxWorkers  uint64        // requests in flight at most
	Timeout     time.Duration // each request's
	LateAfter   time.Duration // a request this late counts as late
	MaxLateness time.Duration // see Attack.MaxLateness
	Reps        int           // attacks at each rate
}

// Limits of a Plan's fields.
const (
	MaxDuration   = time.Hour
	MaxWorkerCap  = 100_000
	MaxReps       = 100
	searchDoubles = 64 // a search doubles from its start at most this often
)

// Validate checks p: the error is an *input.Error naming the bad field
// as bench attack's flag does ("max-workers").
func (p *Plan) Validate() error {
	switch {
	case len(p.Rates) == 0 && p.Users == nil && p.Pacing.Kind != "stages":
		return &input.Error{Field: "rate", Problem: "no rate given"}
	case p.Search && (len(p.Rates) != 1 || len(p.SLO) == 0):
		return &input.Error{Field: "slo", Problem: "a search starts from one rate and needs an SLO"}
	case p.Duration <= 0 || p.Duration > MaxDuration:
		return input.Errorf("duration", "%v is out of range (0, %v]", p.Duration, MaxDuration)
	case p.MaxWorkers < 1 || p.MaxWorkers > MaxWorkerCap:
		return input.Errorf("max-workers", "%d is out of range 1..%d", p.MaxWorkers, MaxWorkerCap)
	case p.Timeout <= 0 || p.Timeout > MaxDuration:
		return input.Errorf("timeout", "%v is out of range (0, %v]", p.Timeout, MaxDuration)
	case p.LateAfter < 0:
		return input.Errorf("late-after", "%v must be >= 0", p.LateAfter)
	case p.MaxLateness < 0:
		return input.Errorf("max-lateness", "%v must be >= 0", p.MaxLateness)
	case p.Reps < 1 || p.Reps > MaxReps:
		return input.Errorf("reps", "%d is out of range 1..%d", p.Reps, MaxReps)
	}
	for _, s := range p.Users {
		if s.Target != math.Trunc(s.Target) || s.Target > MaxUsers {
			return input.Errorf("users", "%v users: want a whole number up to %d", s.Target, MaxUsers)
		}
	}
	for _, r := range p.rates() {
		if _, err := p.Pacing.At(r).Pacer(); err != nil {
			return err
		}
	}
	return nil
}

// rates are the rates the plan's attacks run at: a staged attack's one
// (its stages set it), a search's highest.
func (p *Plan) rates() []vegeta.Rate {
	switch {
	case p.Users != nil:
		return nil
	case p.Pacing.Kind == "stages":
		return []vegeta.Rate{{}}
	case p.Search:
		return []vegeta.Rate{p.MaxRate}
	}
	return p.Rates
}

// Shorten makes p a smoke run: each attack at most a second long, its
// stages (of rate or users) scaled alike so that the shape stays.
func (p *Plan) Shorten() {
	if p.Duration <= time.Second {
		return
	}
	scale := float64(time.Second) / float64(p.Duration)
	for _, stages := range [][]Stage{p.Users, p.Pacing.Stages} {
		for i := range stages {
			stages[i].Duration = time.Duration(float64(stages[i].Duration) * scale)
		}
	}
	p.Duration = time.Second
	if s := p.Stages(); s != nil {
		p.Duration = StagesDuration(s)
	}
}

// Attacks is how many attacks the plan runs: for a search, the most it
// may (doubling from its start to MaxRate, then SearchSteps halvings).
func (p *Plan) Attacks() int {
	if !p.Search {
		return max(1, len(p.rates())) * p.Reps
	}
	doubles := 0
	for r := PerSecond(p.Rates[0]); r < PerSecond(p.MaxRate) && doubles < searchDoubles; r *= 2 {
		doubles++
	}
	return (doubles + 1 + SearchSteps) * p.Reps
}

// Requests is about how many requests the plan's attacks schedule, at
// most (a search's every attack counted at MaxRate); 0 for users, whose
// count the target's speed sets.
func (p *Plan) Requests() float64 {
	if p.Users != nil {
		return 0
	}
	var hits float64
	for _, r := range p.rates() {
		pacer, err := p.Pacing.At(r).Pacer()
		if err != nil {
			return 0 // Validate says why
		}
		hits += Hits(pacer, p.Duration)
	}
	if p.Search {
		return hits * float64(p.Attacks())
	}
	return hits * float64(p.Reps)
}

// Stages are the plan's stages, of rate or of users; nil: none.
func (p *Plan) Stages() []Stage {
	if p.Users != nil {
		return p.Users
	}
	return p.Pacing.Stages
}

// Strategy is what the results record the plan's cells under.
func (p *Plan) Strategy() string {
	if p.Users != nil {
		return "closed-loop"
	}
	return "open-loop"
}

// Limit is the limit the plan's cells record: the most users of any
// stage for closed-loop users, else the most requests in flight.
func (p *Plan) Limit() int {
	if p.Users != nil {
		return MostUsers(p.Users)
	}
	return int(p.MaxWorkers)
}

// MostUsers is the most users any of stages asks for.
func MostUsers(stages []Stage) int {
	most := 0
	for _, st := range stages {
		most = max(most, int(st.Target))
	}
	return most
}

// CellName is how results name the cell of an attack at rate: "http
// 2000/s", "http stages" or "http users".
func (p *Plan) CellName(workload string, rate vegeta.Rate) string {
	switch {
	case p.Users != nil:
		return workload + " users"
	case p.Pacing.Kind == "stages":
		return workload + " stages"
	}
	return workload + " " + FormatRate(rate)
}

// Cells names the plan's cells ahead of it; a search's are unknown (nil).
func (p *Plan) Cells(workload string) []string {
	if p.Search {
		return nil
	}
	if p.Users != nil || p.Pacing.Kind == "stages" {
		return []string{p.CellName(workload, vegeta.Rate{})}
	}
	var names []string
	for _, r := range p.Rates {
		names = append(names, p.CellName(workload, r))
	}
	return names
}

// PlanText is a Plan as bench attack's flags and a scenario's attack
// section give it: rates, stages and the SLO as text. Given says which
// fields were given (by their flag names, "max-rate"), for the rules
// between them: a rate, stages and users exclude one another. Name, when
// set, is how a message names a field other than the bad one ("-rate",
// or a scenario's "attack.rate"); its errors name the bad field itself
// by its flag name, for the caller to locate.
type PlanText struct {
	Rate, Rates, MaxRate, Stages, Users, SLO string
	Pacer, SineAmp                           string
	Slope                                    float64
	SinePeriod                               time.Duration
	Duration, Timeout, LateAfter             time.Duration
	MaxLateness                              time.Duration
	MaxWorkers                               uint64
	Reps                                     int
	Given                                    func(field string) bool
	Name                                     func(field string) string
}

// Define defines t's fields on fs as bench attack's flags, named as
// PlanText's errors name them, with their defaults: the one place a
// plan's text is read, for a command line and a scenario file alike.
// Given and Name are left to the caller.
func (t *PlanText) Define(fs *flag.FlagSet) {
	fs.StringVar(&t.Rate, "rate", "500/s", "request rate: 2000/s, 500/100ms; with -slo and no -rates, where the search starts")
	fs.StringVar(&t.Rates, "rates", "", "comma-separated rates to sweep, e.g. 500,1000,2000")
	fs.DurationVar(&t.Duration, "duration", 5*time.Second, "length of each attack")
	fs.StringVar(&t.Users, "users", "", "closed loop instead: virtual users, each sending its next request when the last returns, ramped through stages of duration:users, e.g. 30s:10,1m:50,30s:0 (as k6's ramping-vus); sets the duration")
	fs.StringVar(&t.Pacer, "pacer", "constant", "rate shape: constant, linear (add -slope per second) or sine")
	fs.StringVar(&t.Stages, "stages", "", "ramp through stages of duration:rate, e.g. 30s:100,1m:1000,30s:0 (each moves linearly from the previous rate, the first from 0, as k6's ramping-arrival-rate); sets the duration")
	fs.Float64Var(&t.Slope, "slope", 0, "linear pacer: requests per second added each second")
	fs.DurationVar(&t.SinePeriod, "sine-period", 10*time.Second, "sine pacer: period")
	fs.StringVar(&t.SineAmp, "sine-amp", "", "sine pacer: amplitude (default: half the rate)")
	fs.Uint64Var(&t.MaxWorkers, "max-workers", 256, "most requests in flight; beyond it requests are late, then dropped")
	fs.DurationVar(&t.Timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.DurationVar(&t.LateAfter, "late-after", 5*time.Millisecond, "a request sent this long after its intended time counts as late")
	fs.DurationVar(&t.MaxLateness, "max-lateness", results.GeneratorLateness, "the generator checks itself: a p99 lateness past this machine's timer resolution plus this, more than 1% of requests late, or a CPU-bound process mark the attack's latencies as including the generator's own delay")
	fs.IntVar(&t.Reps, "reps", 1, "attacks per rate")
	fs.StringVar(&t.SLO, "slo", "", "SLO, e.g. 'p99<=50ms,success>=99.9%': report the highest rate that meets it")
	fs.StringVar(&t.MaxRate, "max-rate", "50000/s", "highest rate an SLO search tries")
}

// Plan reads t into a validated Plan; its error is an *input.Error
// naming the field.
func (t PlanText) Plan() (Plan, error) {
	p := Plan{Pacing: Pacing{Kind: t.Pacer, Slope: t.Slope, Period: t.SinePeriod}, Duration: t.Duration, MaxWorkers: t.MaxWorkers,
		Timeout: t.Timeout, LateAfter: t.LateAfter, MaxLateness: t.MaxLateness, Reps: t.Reps}
	var err error
	if p.Rates, err = t.rates(); err != nil {
		return p, err
	}
	if p.MaxRate, err = parseRate("max-rate", t.MaxRate); err != nil {
		return p, err
	}
	if t.SineAmp != "" {
		if p.Pacing.Amp, err = parseRate("sine-amp", t.SineAmp); err != nil {
			return p, err
		}
	}
	if err := t.ramps(&p); err != nil {
		return p, err
	}
	if t.SLO != "" {
		if p.SLO, err = results.ParseSLO("slo", t.SLO); err != nil {
			return p, err
		}
		p.Search = t.Rates == ""
	}
	return p, p.Validate()
}

// rates reads Rate, or Rates when given.
func (t PlanText) rates() ([]vegeta.Rate, error) {
	if t.Rates == "" {
		r, err := parseRate("rate", t.Rate)
		return []vegeta.Rate{r}, err
	}
	var rates []vegeta.Rate
	for _, s := range strings.Split(t.Rates, ",") {
		r, err := parseRate("rates", strings.TrimSpace(s))
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(rates, func(q vegeta.Rate) bool { return PerSecond(q) == PerSecond(r) }) {
			return nil, input.Errorf("rates", "%s appears twice (as %s)", strings.TrimSpace(s), FormatRate(r))
		}
		rates = append(rates, r)
	}
	return rates, nil
}

// ramps reads Users or Stages, which set the length, and checks that
// nothing they exclude was given.
func (t PlanText) ramps(p *Plan) error {
	given := func(f string) bool { return t.Given != nil && t.Given(f) }
	name := func(f string) string {
		if t.Name == nil {
			return f
		}
		return t.Name(f)
	}
	if t.Users != "" {
		users, err := ParseStages(t.Users)
		switch {
		case err != nil:
			return input.Errorf("users", "%v", err)
		case given("duration"):
			return input.Errorf("users", "the stages set the duration; leave %s out", name("duration"))
		case t.Stages != "" || t.Rates != "" || t.SLO != "" || given("rate") || given("pacer"):
			return input.Errorf("users", "closed-loop users have no rate; leave rate, rates, stages, pacer and slo out")
		}
		p.Users, p.Rates, p.Duration = users, nil, StagesDuration(users)
	}
	if t.Stages == "" {
		return nil
	}
	stages, err := ParseStages(t.Stages)
	switch {
	case err != nil:
		return input.Errorf("stages", "%v", err)
	case given("duration"):
		return input.Errorf("stages", "the stages set the duration; leave %s out", name("duration"))
	case t.Rates != "" || t.SLO != "":
		return input.Errorf("stages", "one staged attack; leave rates and slo out")
	case given("rate"):
		return input.Errorf("stages", "the stages set the rate; leave %s out", name("rate"))
	case given("pacer") && t.Pacer != "stages":
		return input.Errorf("stages", "the stages are the pacer; leave %s out", name("pacer"))
	}
	p.Pacing, p.Duration = Pacing{Kind: "stages", Stages: stages}, StagesDuration(stages)
	return nil
}

func parseRate(field, s string) (vegeta.Rate, error) {
	r, err := ParseRate(s)
	if err != nil {
		return r, input.Errorf(field, "%v", err)
	}
	return r, nil
}
