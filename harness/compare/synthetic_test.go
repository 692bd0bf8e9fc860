package compare

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
)

var update = flag.Bool("update", false, "rewrite testdata/{base,head}.{json,txt}; then run testdata/benchstat.sh")

// change is how head differs from base in one cell: factors on p99 and
// throughput, and the relative noise of every figure.
type change struct {
	p99, throughput, noise float64
}

// synthetic cells: what each comparison test expects is written beside it.
var cells = map[Key]change{
	{"io", "pool", 8}:       {p99: 1.30, throughput: 1, noise: 0.01},    // p99 30% worse, low noise: a significant regression
	{"io", "unbounded", 0}:  {p99: 1, throughput: 1, noise: 0.05},       // the same distribution: ~
	{"cpu", "semaphore", 4}: {p99: 1, throughput: 1.02, noise: 0.10},    // 2% in 10% noise: ~
	{"cpu", "offload", 4}:   {p99: 0.80, throughput: 1.25, noise: 0.02}, // better on both
}

// synthetic makes a run of 5 repetitions per cell; head applies the changes.
func synthetic(head bool, seed uint64) *results.Results {
	r := rand.New(rand.NewPCG(seed, 7))
	res := &results.Results{
		Schema: results.Schema, Complete: true,
		Env: results.Environment{GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", GOMAXPROCS: 2, NumCPU: 2, CPUModel: "Test CPU",
			Start: time.Date(2026, 11, 22, 4, 0, 0, 0, time.UTC)},
		Plan: results.PlanRecord{Workloads: []results.WorkloadRecord{{Name: "io", Family: "io", Tasks: 200}, {Name: "cpu", Family: "cpu", Tasks: 200}},
			Strategies: []string{"unbounded", "pool", "semaphore", "offload"}, Limits: []int{4, 8}, Reps: 5},
	}
	for _, k := range []Key{{"io", "unbounded", 0}, {"io", "pool", 8}, {"cpu", "semaphore", 4}, {"cpu", "offload", 4}} {
		ch := cells[k]
		p99f, tpf := 1.0, 1.0
		if head {
			p99f, tpf = ch.p99, ch.throughput
		}
		c := results.CellResult{Workload: k.Workload, Strategy: k.Strategy, Limit: k.Limit, Tasks: 200, Complete: true}
		for range 5 {
			n := func() float64 { return 1 + ch.noise*(2*r.Float64()-1) }
			p99 := time.Duration(100e6 * p99f * n())
			c.Repetitions = append(c.Repetitions, results.Repetition{Core: results.Core{Wall: time.Duration(110e6 * p99f * n()), Submitted: 200, Completed: 200, Throughput: 2000 * tpf * n(), Response: results.Quantiles{P50: time.Duration(50e6 * n()), P99: p99, Max: p99 + 5e6}}, Runtime: results.Runtime{PeakHeap: uint64(1 << 20 * n())}})
		}
		c.Summary = results.Combine(c.Repetitions)
		res.Cells = append(res.Cells, c)
	}
	return res
}

// TestWriteFixtures rewrites the synthetic runs and their Go benchmark
// format under -update; benchstat's verdicts on them are then stored by
// testdata/benchstat.sh.
func TestWriteFixtures(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite the fixtures")
	}
	for name, res := range map[string]*results.Results{"base": synthetic(false, 1), "head": synthetic(true, 2)} {
		js, _ := json.MarshalIndent(res, "", "  ")
		var txt bytes.Buffer
		if err := report.WriteBenchfmt(&txt, res); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join("testdata", name+".json"), js, 0o644)
		os.WriteFile(filepath.Join("testdata", name+".txt"), txt.Bytes(), 0o644)
	}
}
