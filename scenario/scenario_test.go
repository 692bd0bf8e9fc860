package scenario

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/plan"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const good = `schema: concbench/scenario/v1
name: two-ios
workloads:
  io-fast:
    family: io
    tasks: 50
    timeout: 2s
    params: {latency: 1ms}
  io-slow:
    family: io
    params:
      latency: 3ms
strategies: [pool, unbounded]
limits: [2, 8]
reps: 3
warmup: 0
thresholds:
  - "p99 < 1s"
  - "pool: errors < 1%"
output: {dir: out, label: two}
`

func TestParseAndBuild(t *testing.T) {
	f, err := Parse("two.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "two-ios" || len(f.Workloads) != 2 || *f.Reps != 3 || *f.Warmup != 0 || f.Label != "two" || len(f.SHA256) != 64 {
		t.Fatalf("parsed %+v", f)
	}
	build := func(quick bool) []harness.PlannedWorkload {
		t.Helper()
		spec := f.Spec()
		spec.Quick = quick
		p, err := plan.Build(spec)
		if err != nil {
			t.Fatal(f.Locate(err))
		}
		p.Close()
		return p.Workloads
	}
	ws := build(false)
	if ws[0].Name != "io-fast" || ws[0].Tasks != 50 || ws[0].Timeout != 2*time.Second || ws[0].Params["latency"] != "1ms" {
		t.Errorf("io-fast built as %+v", ws[0])
	}
	if ws[1].Tasks != 200 || ws[1].Params["latency"] != "3ms" { // the family's default count
		t.Errorf("io-slow built as %+v", ws[1])
	}
	if quick := build(true); quick[0].Tasks != 5 || quick[1].Tasks != 20 {
		t.Errorf("quick counts %d and %d, want a tenth", quick[0].Tasks, quick[1].Tasks)
	}
	pool := results.CellResult{Workload: "io-fast", Strategy: "pool"}
	unb := results.CellResult{Workload: "io-fast", Strategy: "unbounded"}
	if !f.Thresholds[0].Matches(unb) || !f.Thresholds[1].Matches(pool) || f.Thresholds[1].Matches(unb) {
		t.Error("threshold selectors match the wrong cells")
	}
}

func TestJSONIsAccepted(t *testing.T) {
	_, err := Parse("s.json", []byte(`{"schema": "concbench/scenario/v1", "workloads": {"io": {"params": {"latency": "2ms"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
}

// TestJSONIsJSON refuses in a .json file what YAML would take but JSON
// does not: a trailing comma, at its line.
func TestJSONIsJSON(t *testing.T) {
	_, err := Parse("s.json", []byte("{\"schema\": \"concbench/scenario/v1\",\n \"workloads\": {\"io\": {}},\n}"))
	if err == nil || !strings.HasPrefix(err.Error(), "s.json:3: not valid JSON: invalid character '}'") {
		t.Errorf("Parse = %v; want the trailing comma refused at line 3", err)
	}
}

// TestStrictErrors checks that each mistake names the file, the line and
// the key on one line.
func TestStrictErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"an unknown top-level key", "schema: concbench/scenario/v1\nworkloads: {io: {}}\nrepz: 3\n", "s.yaml:3: repz: unknown key; did you mean reps?"},
		{"an unknown workload key", "schema: concbench/scenario/v1\nworkloads:\n  io:\n    taskz: 5\n", "s.yaml:4: workloads.io.taskz: unknown key; did you mean tasks?"},
		{"a wrong type", "schema: concbench/scenario/v1\nworkloads: {io: {}}\nreps: five\n", `s.yaml:3: reps: want a whole number, got str "five"`},
		{"a list for a number", "schema: concbench/scenario/v1\nworkloads: {io: {}}\nwarmup: [1]\n", "s.yaml:3: warmup: want a whole number, got a list"},
		{"an impossible value", "schema: concbench/scenario/v1\nworkloads: {io: {}}\nlimits: [4, 0]\n", "s.yaml:3: limits[1]: 0 is out of range 1..1048576"},
		{"a bad timeout", "schema: concbench/scenario/v1\nworkloads:\n  io:\n    timeout: soon\n", `s.yaml:4: workloads.io.timeout: "soon": want a duration`},
		{"a duplicate key", "schema: concbench/scenario/v1\nworkloads: {io: {}}\nreps: 1\nreps: 2\n", "s.yaml:4: reps: appears twice"},
		{"a bad workload name", "schema: concbench/scenario/v1\nworkloads:\n  io fast: {family: io}\n", "s.yaml:3: workloads.io fast: a workload name takes"},
		{"no schema", "workloads: {io: {}}\n", "s.yaml:1: schema: missing"},
		{"another schema", "schema: concbench/scenario/v9\nworkloads: {io: {}}\n", `s.yaml:1: schema: "concbench/scenario/v9"`},
		{"no workload", "schema: concbench/scenario/v1\n", "s.yaml:1: workloads: missing"},
		{"a bad threshold", "schema: concbench/scenario/v1\nworkloads: {io: {}}\nthresholds: [\"latency < 5ms\"]\n", `s.yaml:3: thresholds[0]: "latency<5ms": unknown metric "latency"`},
		{"broken YAML", "schema: concbench/scenario/v1\nworkloads: x\n  bad: y\n", "s.yaml:3: not valid YAML: mapping values are not allowed"},
		{"an empty file", "", "s.yaml:1: empty file"},
		{"two documents", "schema: concbench/scenario/v1\nworkloads: {io: {}}\n---\nreps: 9\n", "s.yaml:3: a second YAML document (after ---)"},
		{"an unknown profile", "schema: concbench/scenario/v1\nworkloads: {io: {}}\nprofile: [cpu, gpu]\n", `s.yaml:3: profile: "gpu": want some of cpu, heap, mutex, block, trace`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.body))
			var se *input.Error
			if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("Parse = %v, want one line starting %q", err, tt.want)
			}
		})
	}
}

// TestBuildErrorsPointAtTheLine checks that a bad parameter value, found
// when the workload is built, is reported at its own line.
func TestBuildErrorsPointAtTheLine(t *testing.T) {
	body := "schema: concbench/scenario/v1\nworkloads:\n  slow:\n    family: io\n    params:\n      dist: uniform\n      latency: -4ms\n"
	f, err := Parse("s.yaml", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	build := func() error {
		spec := f.Spec()
		spec.Strategies, spec.Reps = []string{"sequential"}, 1
		p, err := plan.Build(spec)
		if err == nil {
			p.Close()
		}
		return f.Locate(err)
	}
	err = build()
	if err == nil || err.Error() != "s.yaml:7: workloads.slow.params.latency: -4ms is out of range (0, 1h0m0s]" {
		t.Errorf("Build = %v", err)
	}
	f.Workloads[0].Family = "disk"
	if err = build(); err == nil || !strings.HasPrefix(err.Error(), `s.yaml:4: workloads.slow.family: unknown workload "disk"`) {
		t.Errorf("Build = %v", err)
	}
}

// TestShippedScenariosParse parses every file in scenarios/.
func TestShippedScenariosParse(t *testing.T) {
	files, _ := filepath.Glob("../scenarios/*.yaml")
	if len(files) < 5 {
		t.Fatalf("%d scenarios, want the 5 classic plans", len(files))
	}
	for _, path := range files {
		data, _ := os.ReadFile(path)
		if _, err := Parse(path, data); err != nil {
			t.Error(err)
		}
	}
}

// FuzzParse checks that any input parses or fails with a one-line *input.Error.
func FuzzParse(f *testing.F) {
	f.Add(good)
	f.Add("schema: concbench/scenario/v1\nworkloads: {a: {params: {x: [1]}}}\n")
	f.Add("{}")
	f.Add("- a\n- b\n")
	f.Add("schema: &a concbench/scenario/v1\nname: *a\n")
	f.Fuzz(func(t *testing.T, s string) {
		_, err := Parse("f.yaml", []byte(s))
		var se *input.Error
		if err != nil && (!errors.As(err, &se) || strings.Contains(err.Error(), "\n")) {
			t.Fatalf("Parse(%q) = %v: not a one-line *input.Error", s, err)
		}
	})
}

const attackFile = `schema: concbench/scenario/v1
name: ramp
workloads:
  api:
    family: http
    params: {latency: 2ms}
attack:
  stages:
    - {duration: 30s, target: 100}
    - 1m:1000
  max_workers: 512
  late_after: 10ms
  method: POST
  header:
    - "Accept: text/html, application/json"
    - "X-Trace: 1"
  insecure: true
thresholds:
  - "p99 < 1s"
`

// TestParseAttack reads an attack section: each key as the flag it sets,
// lists joined by commas, k6's stage mappings as duration:target.
func TestParseAttack(t *testing.T) {
	f, err := Parse("ramp.yaml", []byte(attackFile))
	if err != nil {
		t.Fatal(err)
	}
	if f.Attack == nil || len(f.Workloads) != 1 || f.Workloads[0].Params["latency"] != "2ms" {
		t.Fatalf("parsed %+v", f)
	}
	want := []Setting{{"stages", "30s:100,1m:1000", 9}, {"max_workers", "512", 11}, {"late_after", "10ms", 12}, {"method", "POST", 13},
		{"header", "Accept: text/html, application/json", 15}, {"header", "X-Trace: 1", 16}, {"insecure", "true", 17}}
	if !slices.Equal(f.Attack.Settings, want) {
		t.Errorf("settings %+v, want %+v (one setting a header, its commas kept)", f.Attack.Settings, want)
	}
	for i, flag := range map[int]string{2: "late-after", 3: "m", 4: "H", 6: "insecure"} {
		if got := f.Attack.Settings[i].Flag(); got != flag {
			t.Errorf("flag of %s: %q, want %q", f.Attack.Settings[i].Key, got, flag)
		}
	}
	for _, c := range []struct{ text, want string }{
		{"schema: concbench/scenario/v1\nattack:\n", ""},
		{"schema: concbench/scenario/v1\nattack:\n  rates: [100/s, 200/s]\n", ""},
		{"schema: concbench/scenario/v1\nattack:\n  stage: 1s:1\n", "x.yaml:3: attack.stage: unknown key; did you mean stages?"},
		{"schema: concbench/scenario/v1\nattack:\n  users: [{duration: 1s}]\n", "x.yaml:3: attack.users[0]: want both duration and target"},
		{"schema: concbench/scenario/v1\nattack:\n  rates: [{duration: 1s, target: 2}]\n", "x.yaml:3: attack.rates[0]: want a string, got a mapping"},
		{"schema: concbench/scenario/v1\nlimits: [2]\nstrategies: [pool]\nattack: {}\n", "x.yaml:2: limits: bench run's key"},
		{"schema: concbench/scenario/v1\nreps: 3\nattack: {}\n", "x.yaml:2: reps: in an attack scenario, set attack.reps"},
		{"schema: concbench/scenario/v1\nworkloads:\n  a: {family: http}\n  b: {family: http}\nattack: {}\n", "workloads: an attack scenario has one workload"},
		{"schema: concbench/scenario/v1\nworkloads:\n  a: {family: io}\nattack: {}\n", `x.yaml:3: workloads.a.family: "io": an attack sends HTTP requests`},
		{"schema: concbench/scenario/v1\nworkloads:\n  a: {family: http, tasks: 5}\nattack: {}\n", "x.yaml:3: workloads.a: an attack's duration and rate set its requests"},
	} {
		_, err := Parse("x.yaml", []byte(c.text))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q: %v", c.text, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%q: got %v, want %q", c.text, err, c.want)
		}
	}
}

// TestAttackPlan: an attack section builds its load.Plan without the
// command, over bench attack's defaults; a bad value is an error at its
// key and line, and a rule between keys names them as the file does.
func TestAttackPlan(t *testing.T) {
	f, err := Parse("ramp.yaml", []byte(attackFile))
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.AttackPlan()
	if err != nil {
		t.Fatal(err)
	}
	if p.Pacing.Kind != "stages" || p.Duration != 90*time.Second || p.MaxWorkers != 512 || p.LateAfter != 10*time.Millisecond || p.Timeout != 10*time.Second || p.Reps != 1 {
		t.Errorf("plan %+v: want stages over 90 s, 512 workers, late after 10 ms, the defaults else", p)
	}
	for _, c := range []struct{ text, want string }{
		{"schema: concbench/scenario/v1\nattack:\n  max_workers: 0\n", "x.yaml:3: attack.max_workers: 0 is out of range 1..100000"},
		{"schema: concbench/scenario/v1\nattack:\n  duration: fast\n", `x.yaml:3: attack.duration: "fast": `},
		{"schema: concbench/scenario/v1\nattack:\n  stages: 1s:100\n  duration: 3s\n", "x.yaml:3: attack.stages: the stages set the duration; leave attack.duration out"},
	} {
		f, err := Parse("x.yaml", []byte(c.text))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.AttackPlan(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.text, err, c.want)
		}
	}
}

// TestCheckCellsTakesRateNames: an attack's cells are named after their
// rate ("http 10/s"), which holds a '/', yet is a workload, not a pair.
func TestCheckCellsTakesRateNames(t *testing.T) {
	f, err := Parse("x.yaml", []byte("schema: concbench/scenario/v1\nattack: {rates: [10/s]}\nthresholds:\n  - \"http 10/s: p99 < 1s\"\n  - \"open-loop: errors < 1%\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.CheckCells([]string{"http 10/s"}, []string{"open-loop"}); err != nil {
		t.Error(err)
	}
	err = f.CheckCells([]string{"http 20/s"}, []string{"open-loop"})
	if err == nil || !strings.Contains(err.Error(), `x.yaml:4: thresholds[0]: selector "http 10/s" matches no cell of the plan; did you mean "http 20/s"?`) {
		t.Errorf("a rate not attacked: %v", err)
	}
}

// TestLimitsAuto reads limits: auto into a plan that searches limits, and
// a selector with a limit ("aimd@64") that must name a whole number.
func TestLimitsAuto(t *testing.T) {
	f, err := Parse("auto.yaml", []byte(strings.Replace(good, "limits: [2, 8]", "limits: auto", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if s := f.Spec(); !s.AutoLimits || len(s.Limits) != 0 {
		t.Errorf("spec limits %v, auto %v; want auto and no list", s.Limits, s.AutoLimits)
	}
	p, err := plan.Build(f.Spec())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if !p.Record().LimitsAuto || len(p.Cells()) != 2 { // the unbounded cells; pool's are searched
		t.Errorf("record auto %v, %d cells; want auto and the 2 unbounded cells", p.Record().LimitsAuto, len(p.Cells()))
	}
	bad, err := Parse("bad.yaml", []byte(strings.Replace(good, `"pool: errors < 1%"`, `"pool@x: errors < 1%"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.CheckCells([]string{"io-fast", "io-slow"}, []string{"pool", "unbounded"}); err == nil || !strings.Contains(err.Error(), "after @ must be a whole number") {
		t.Errorf("selector pool@x: %v", err)
	}
	at := Threshold{Selector: "pool@8"}
	if !at.Matches(results.CellResult{Workload: "io-fast", Strategy: "pool", Limit: 8}) || at.Matches(results.CellResult{Workload: "io-fast", Strategy: "pool", Limit: 2}) {
		t.Error("pool@8 does not pick pool at 8 alone")
	}
}

// TestProfileKey reads the profiles a scenario's cells record.
func TestProfileKey(t *testing.T) {
	f, err := Parse("s.yaml", []byte("schema: concbench/scenario/v1\nworkloads: {io: {}}\nprofile: [cpu, trace]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Spec().Profiles; strings.Join(got, ",") != "cpu,trace" {
		t.Errorf("profiles %q, want cpu,trace", got)
	}
}
