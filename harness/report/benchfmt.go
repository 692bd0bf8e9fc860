package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/concbench/concbench/harness/results"
)

// BenchTxt is the run's results in the Go benchmark format, which benchstat
// reads.
const BenchTxt = "bench.txt"

// WriteBenchfmt writes one Go benchmark line per cell and repetition:
//
//	BenchmarkIo/pool/limit=8-2  200  675000 ns/op  70200000 p50-ns  135000000 p99-ns  1481 tasks/s  393216 peak-heap-B
//
// The iteration count is the cell's tasks and ns/op is wall time per task,
// so `benchstat base/bench.txt head/bench.txt` compares two runs.
func WriteBenchfmt(w io.Writer, res *results.Results) error {
	e := res.Env
	fmt.Fprintf(w, "goos: %s\ngoarch: %s\npkg: github.com/concbench/concbench\n", e.GOOS, e.GOARCH)
	if e.CPUModel != "" {
		fmt.Fprintf(w, "cpu: %s\n", e.CPUModel)
	}
	if e.Commit != "" {
		fmt.Fprintf(w, "commit: %s\n", e.Commit)
	}
	for _, c := range res.Cells {
		name := fmt.Sprintf("Benchmark%s/%s/limit=%d-%d", benchName(c.Workload), c.Strategy, c.Limit, e.GOMAXPROCS)
		for _, r := range c.Whole() { // an interrupted repetition is not comparable
			perTask := float64(r.Wall) / float64(max(c.Tasks, 1))
			if _, err := fmt.Fprintf(w, "%s\t%d\t%.0f ns/op\t%d p50-ns\t%d p99-ns\t%g tasks/s\t%d peak-heap-B\n",
				name, c.Tasks, perTask, int64(r.Response.P50), int64(r.Response.P99), r.Throughput, r.PeakHeap); err != nil {
				return err
			}
		}
	}
	return nil
}

// benchName makes a workload name a benchmark name: an upper-case first
// letter, no spaces.
func benchName(workload string) string {
	w := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return '_'
		}
		return r
	}, workload)
	if w == "" {
		return "Workload"
	}
	return strings.ToUpper(w[:1]) + w[1:]
}
