package compare

import (
	"bufio"
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func load(t *testing.T, path string) *Side {
	t.Helper()
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fixtureComparison(t *testing.T) *Comparison {
	return Compare(load(t, "testdata/base.json"), load(t, "testdata/head.json"))
}

func row(t *testing.T, c *Comparison, k Key, metric string) Row {
	t.Helper()
	r := c.Row(k, metric)
	if r.Metric != metric {
		t.Fatalf("no row for %s %s", k, metric)
	}
	return r
}

// TestVerdictsAgreeWithBenchstat checks every verdict, p-value and change
// against benchstat's output on the same samples (testdata/benchstat.txt,
// made by testdata/benchstat.sh from the Go benchmark format of the same
// runs).
func TestVerdictsAgreeWithBenchstat(t *testing.T) {
	c := fixtureComparison(t)
	units := map[string]string{"sec/op": "wall", "p50-sec": "p50", "p99-sec": "p99", "tasks/s": "throughput", "peak-heap-B": "heap"}
	header := regexp.MustCompile(`│\s+(\S+)\s+│\s+\S+\s+vs base`)
	line := regexp.MustCompile(`^(\w+)/(\w+)/limit=(\d+)-\d+\s.*\s(~|[+-][\d.]+%)\s+\(p=([\d.]+) n=(\d+)\)`)
	f, err := os.Open("testdata/benchstat.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	metric, checked := "", 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if m := header.FindStringSubmatch(sc.Text()); m != nil {
			metric = units[m[1]]
			continue
		}
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		limit, _ := strconv.Atoi(m[3])
		k := Key{strings.ToLower(m[1][:1]) + m[1][1:], m[2], limit}
		r := row(t, c, k, metric)
		p, _ := strconv.ParseFloat(m[5], 64)
		if math.Abs(r.P-p) > 0.0005 {
			t.Errorf("%s %s: p=%.4f, benchstat p=%s", k, metric, r.P, m[5])
		}
		if (m[4] == "~") == r.Significant {
			t.Errorf("%s %s: verdict %s, benchstat %s", k, metric, r.Verdict(), m[4])
		}
		if m[4] != "~" {
			want, _ := strconv.ParseFloat(strings.TrimSuffix(m[4], "%"), 64)
			if math.Abs(r.DeltaPct-want) > 0.01 {
				t.Errorf("%s %s: change %+.2f%%, benchstat %s", k, metric, r.DeltaPct, m[4])
			}
		}
		checked++
	}
	if checked != 20 {
		t.Errorf("checked %d rows of benchstat's output, want 20 (4 cells x 5 metrics)", checked)
	}
}

func TestRegressionAndNoise(t *testing.T) {
	c := fixtureComparison(t)
	if r := row(t, c, Key{"io", "pool", 8}, "p99"); !r.Significant || r.Better || r.DeltaPct < 25 {
		t.Errorf("io pool 8 p99: %s %s, want a significant ~30%% regression", r.Verdict(), r.Stat())
	}
	if r := row(t, c, Key{"io", "unbounded", 0}, "p99"); r.Verdict() != "~" {
		t.Errorf("io unbounded p99 (same distribution): %s %s, want ~", r.Verdict(), r.Stat())
	}
	if r := row(t, c, Key{"cpu", "offload", 4}, "throughput"); !r.Better {
		t.Errorf("cpu offload 4 throughput: %s, want a significant improvement", r.Verdict())
	}
}

func TestGates(t *testing.T) {
	c := fixtureComparison(t)
	tests := []struct {
		gates string
		fails int // rows that cross a gate
	}{
		{"p99>+10%", 1},                // io pool 8 is 30% worse
		{"p99>+40%", 0},                // but not 40%
		{"throughput<-5%", 0},          // no significant fall
		{"p99>+10%,throughput<-5%", 1}, // the example
		{"p99<-10%", 1},                // cpu offload's p99 fell 20%: a gate can also catch improvements
		{"p50>+1%", 0},                 // p50 did not change significantly anywhere
		{"wall>+10%, heap>+50%", 1},    // io pool 8 wall rose with p99
	}
	for _, tt := range tests {
		t.Run(tt.gates, func(t *testing.T) {
			gates, err := ParseGates(tt.gates)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Check(gates); len(got) != tt.fails {
				t.Errorf("%d failures %v, want %d", len(got), got, tt.fails)
			}
		})
	}
}

func TestParseGatesRejects(t *testing.T) {
	for _, bad := range []string{"p99", "p99>10", "p99>+ten%", "latency>+10%", ">+10%", "p99>NaN%", "p99>+Inf%", ""} {
		_, err := ParseGates(bad)
		var in *input.Error
		if !errors.As(err, &in) || in.Field != "fail-on" {
			t.Errorf("ParseGates(%q) = %v, want an InputError on fail-on", bad, err)
		}
	}
}

func TestCellsOnOneSideAreListed(t *testing.T) {
	base := load(t, "testdata/base.json")
	head := load(t, "testdata/head.json")
	k := Key{"io", "unbounded", 0}
	delete(head.Cells, k)
	head.Order = head.Order[1:]
	c := Compare(base, head)
	if len(c.OnlyBase) != 1 || c.OnlyBase[0] != k || len(c.OnlyHead) != 0 {
		t.Errorf("only base %v, only head %v; want [%v] and none", c.OnlyBase, c.OnlyHead, k)
	}
	if len(c.Rows) != 3*len(Metrics) {
		t.Errorf("%d rows, want 3 cells x %d metrics", len(c.Rows), len(Metrics))
	}
}

func TestTooFewRepetitionsWarn(t *testing.T) {
	base := load(t, "testdata/base.json")
	head := load(t, "testdata/head.json")
	for _, s := range []*Side{base, head} {
		for _, c := range s.Cells {
			c.Repetitions = c.Repetitions[:3]
		}
	}
	c := Compare(base, head)
	want := []string{ // benchstat's own warnings, with the repetitions that answer them
		"too few repetitions: need >= 4 samples to detect a difference at alpha level 0.05 (run with -reps 4 or more)",
		"too few repetitions: need >= 6 samples for confidence interval at level 0.95 (run with -reps 6 or more)",
	}
	if !slices.Equal(c.Warnings, want) {
		t.Errorf("warnings %q, want %q", c.Warnings, want)
	}
}

// TestPooledSides loads a folder of runs as one side: repetitions add up
// and the summary is recomputed over all of them.
func TestPooledSides(t *testing.T) {
	dir := t.TempDir()
	base := load(t, "testdata/base.json").Runs[0]
	for i := range 2 {
		run := filepath.Join(dir, "run"+strconv.Itoa(i))
		os.Mkdir(run, 0o755)
		js, _ := results.Encode(base)
		if err := rundir.WriteFile(filepath.Join(run, results.FileName), js); err != nil {
			t.Fatal(err)
		}
	}
	s := load(t, dir)
	c := s.Cells[Key{"io", "pool", 8}]
	if len(s.Runs) != 2 || len(c.Repetitions) != 10 {
		t.Errorf("%d runs, %d repetitions; want 2 and 10", len(s.Runs), len(c.Repetitions))
	}
	if c.Summary.Response.P99 != results.Combine(c.Repetitions).Response.P99 {
		t.Error("pooled summary not recomputed")
	}
}

func TestPlanDifferencesWarn(t *testing.T) {
	base := load(t, "testdata/base.json")
	head := load(t, "testdata/head.json")
	head.Runs[0].Plan.Workloads[0].Params = map[string]string{"latency": "10ms"}
	base.Runs[0].Plan.Workloads[0].Params = map[string]string{"latency": "5ms"}
	c := Compare(base, head)
	want := "workload io: parameters differ (latency=5ms vs 10ms): base and head ran different work"
	if len(c.Warnings) == 0 || c.Warnings[0] != want {
		t.Errorf("warnings %q, want %q first", c.Warnings, want)
	}
}

func TestPooledResultsCountPooledRepetitions(t *testing.T) {
	s := load(t, "testdata/base.json")
	s.Runs = append(s.Runs, s.Runs[0])
	for _, c := range s.Cells {
		c.Repetitions = append(c.Repetitions, c.Repetitions...)
	}
	if got := s.Results().Plan.Reps; got != 10 {
		t.Errorf("plan reps %d, want the 10 pooled", got)
	}
}

func TestDifferentScenariosWarn(t *testing.T) {
	base := load(t, "testdata/base.json")
	head := load(t, "testdata/head.json")
	base.Runs[0].Scenario = &results.ScenarioRecord{Path: "a.yaml", SHA256: strings.Repeat("a", 64)}
	head.Runs[0].Scenario = &results.ScenarioRecord{Path: "a.yaml", SHA256: strings.Repeat("b", 64)}
	c := Compare(base, head)
	if len(c.Warnings) == 0 || !strings.HasPrefix(c.Warnings[0], "base and head ran different scenario files") {
		t.Errorf("warnings %q", c.Warnings)
	}
}

// TestInterruptedRepetitionsAreLeftOut marks a repetition of the base
// interrupted: the side's n no longer counts it.
func TestInterruptedRepetitionsAreLeftOut(t *testing.T) {
	dir := t.TempDir()
	res := load(t, "testdata/base.json").Runs[0]
	n := len(res.Cells[0].Repetitions)
	res.Cells[0].Repetitions[0].Interrupted = true
	js, err := results.Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, results.FileName)
	if err := rundir.WriteFile(path, js); err != nil {
		t.Fatal(err)
	}
	side := load(t, path)
	if got := len(side.Cells[Key{res.Cells[0].Workload, res.Cells[0].Strategy, res.Cells[0].Limit}].Repetitions); got != n-1 {
		t.Errorf("%d repetitions loaded, want %d", got, n-1)
	}
}

// sideOf makes a side of one run.
func sideOf(res *results.Results) *Side {
	s := &Side{Cells: map[Key]*results.CellResult{}, Runs: []*results.Results{res}}
	for i := range res.Cells {
		c := &res.Cells[i]
		k := Key{c.Workload, c.Strategy, c.Limit}
		s.Cells[k], s.Order = c, append(s.Order, k)
	}
	return s
}

// TestIdenticalCodeRarelyFailsAGate compares 40 pairs of runs drawn from
// the same distributions (A/A), 10 cells x 5 metrics each: uncorrected, a
// comparison of 50 rows at α = 0.05 calls rows "changed" in most pairs;
// with the Benjamini-Hochberg correction and the noise threshold, a gate
// fails in at most 2 of 40 (the goal: at most 1 in 20).
func TestIdenticalCodeRarelyFailsAGate(t *testing.T) {
	gates, _ := ParseGates("p99>+10%,throughput<-5%")
	var uncorrected, changed, failed int
	for seed := range uint64(40) {
		base, head := aaRun(2*seed), aaRun(2*seed+1)
		c := Compare(sideOf(base), sideOf(head))
		if slices.ContainsFunc(c.Rows, func(r Row) bool { return r.Significant }) {
			uncorrected++
		}
		if slices.ContainsFunc(c.Rows, func(r Row) bool { return r.Changed }) {
			changed++
		}
		if len(c.Check(gates)) > 0 {
			failed++
		}
	}
	t.Logf("of 40 A/A comparisons: %d with an uncorrected 'significant' row, %d with a changed row, %d failing the gate", uncorrected, changed, failed)
	if failed > 2 || changed > 2 {
		t.Errorf("%d A/A comparisons failed the gate and %d called a row changed, want at most 2 of 40", failed, changed)
	}
	if uncorrected < 10 {
		t.Errorf("only %d A/A comparisons had an uncorrected significant row: the test does not exercise the correction", uncorrected)
	}
}

// aaRun is a run of 10 cells, 5 repetitions each, every figure with 10%
// noise around the same values.
func aaRun(seed uint64) *results.Results {
	r := rand.New(rand.NewPCG(seed, 11))
	res := &results.Results{Schema: results.Schema, Complete: true, Plan: results.PlanRecord{Reps: 5}}
	for cell := range 10 {
		c := results.CellResult{Workload: "io", Strategy: "pool", Limit: cell + 1, Tasks: 100, Complete: true}
		for range 5 {
			n := func() float64 { return 1 + 0.1*(2*r.Float64()-1) }
			c.Repetitions = append(c.Repetitions, results.Repetition{Core: results.Core{Wall: time.Duration(100e6 * n()), Submitted: 100, Completed: 100, Throughput: 1000 * n(), Response: results.Quantiles{P50: time.Duration(50e6 * n()), P99: time.Duration(90e6 * n())}}, Runtime: results.Runtime{PeakHeap: uint64(1 << 20 * n())}})
		}
		res.Cells = append(res.Cells, c)
	}
	return res
}

// TestGitHubOutput checks the Mermaid output against a golden file
// (testdata/github.golden.md; -update rewrites it, and
// TestMermaidChartsAreLegible renders it in a browser).
func TestGitHubOutput(t *testing.T) {
	c := fixtureComparison(t)
	c.Base, c.Head = []string{"base.json"}, []string{"head.json"}
	var b bytes.Buffer
	c.WriteGitHub(&b)
	path := filepath.Join("testdata", "github.golden.md")
	if *update {
		os.WriteFile(path, b.Bytes(), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("the GitHub output differs from %s (go test -update, then check it):\n%s", path, b.String())
	}
	// For each of 2 workloads the change in goodput and in p99, and each
	// side's goodput and p99; io's goodput did not change: a sentence.
	if n := strings.Count(b.String(), "\nxychart-beta\n"); n != 7 {
		t.Errorf("%d Mermaid charts, want 7", n)
	}
	if !strings.Contains(b.String(), "### io\n") || !strings.Contains(b.String(), "goodput: no significant change in any cell (~).") {
		t.Error("io's section does not say its goodput did not change")
	}
}

// TestRecommendationChangeIsSaid compares two runs of a downstream of
// capacity 10: in base, pool 10 serves best; in head, pool 10 fails (a
// change made the downstream slower to refuse), so pool 8 is the answer.
func TestRecommendationChangeIsSaid(t *testing.T) {
	run := func(fail10 bool) *results.Results {
		res := &results.Results{Schema: results.Schema, Complete: true, Plan: results.PlanRecord{Reps: 6}}
		for _, p := range []struct {
			limit   int
			goodput float64
		}{{8, 400}, {10, 500}} {
			c := results.CellResult{Workload: "downstream", Strategy: "pool", Limit: p.limit, Tasks: 100, Complete: true}
			for i := range 6 {
				r := results.Repetition{Core: results.Core{Submitted: 100, Completed: 100, Throughput: p.goodput * (1 + 0.01*float64(i%3)), Response: results.Quantiles{P99: 200e6}}}
				if fail10 && p.limit == 10 {
					r.Errors = map[string]int{"http-503": 30}
				}
				c.Repetitions = append(c.Repetitions, r)
			}
			c.Summary = results.Combine(c.Repetitions)
			res.Cells = append(res.Cells, c)
		}
		return res
	}
	same := Compare(sideOf(run(false)), sideOf(run(false)))
	if len(same.Answers) != 1 || same.Answers[0].Differs || same.Answers[0].String() != "downstream: pool at 10 (both)" {
		t.Errorf("same runs: answers %+v", same.Answers)
	}
	changed := Compare(sideOf(run(false)), sideOf(run(true)))
	var text bytes.Buffer
	if err := changed.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if want := "recommendation changed: downstream: base pool at 10, head pool at 8"; !strings.Contains(text.String(), want) {
		t.Errorf("the comparison does not say %q:\n%s", want, text.String())
	}
}

// TestTiedAnswersAreNoChange compares two runs whose answers differ only
// between cells tied within noise (pool 8 and semaphore 8 serve alike;
// the lower p99 picks one, and the runs disagree on which): the answer is
// tied, not changed.
func TestTiedAnswersAreNoChange(t *testing.T) {
	run := func(poolFirst bool) *results.Results {
		res := &results.Results{Schema: results.Schema, Complete: true, Plan: results.PlanRecord{Reps: 6}}
		for _, strategy := range []string{"pool", "semaphore"} {
			c := results.CellResult{Workload: "io", Strategy: strategy, Limit: 8, Tasks: 100, Complete: true}
			p99 := 100 * time.Millisecond
			if (strategy == "pool") != poolFirst {
				p99 = 110 * time.Millisecond
			}
			for i := range 6 {
				c.Repetitions = append(c.Repetitions, results.Repetition{Core: results.Core{Submitted: 100, Completed: 100,
					Throughput: 500 * (1 + 0.02*float64(i%3-1)), Response: results.Quantiles{P99: p99}}})
			}
			c.Summary = results.Combine(c.Repetitions)
			res.Cells = append(res.Cells, c)
		}
		return res
	}
	c := Compare(sideOf(run(true)), sideOf(run(false)))
	if len(c.Answers) != 1 || c.Answers[0].Differs || !c.Answers[0].Tied {
		t.Fatalf("answers %+v: want pool 8 against semaphore 8 tied, not changed", c.Answers)
	}
	var text, gh bytes.Buffer
	if err := c.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	c.WriteGitHub(&gh)
	if strings.Contains(text.String(), "recommendation changed") || !strings.Contains(text.String(), "(tied within noise: not a change)") {
		t.Errorf("the text calls a tie a change:\n%s", text.String())
	}
	if !strings.Contains(gh.String(), "Recommendation: base pool at 8, head semaphore at 8, each tied within noise with the other on both sides") {
		t.Errorf("the GitHub output does not say the answers are tied:\n%s", gh.String())
	}
}
