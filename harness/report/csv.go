package report

import (
	"encoding/csv"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/results"
)

// csvHeader names the columns of results.csv: one row per cell and
// repetition, durations in nanoseconds.
var csvHeader = []string{
	"workload", "strategy", "limit", "tasks", "repetition",
	"wall_ns", "ideal_ns", "efficiency", "submitted", "completed", "not_started", "errors", "errors_by_kind",
	"throughput_per_s",
	"response_p50_ns", "response_p90_ns", "response_p99_ns", "response_max_ns", "response_ok_p50_ns", "response_ok_p99_ns",
	"wait_p50_ns", "wait_p99_ns", "service_p50_ns", "service_p99_ns",
	"peak_in_flight", "peak_goroutines", "peak_heap_bytes", "peak_stack_bytes", "peak_memory_bytes", "gc_cycles",
	"sched_latency_p99_ns", "stall_max_ns", "user_cpu_ns", "system_cpu_ns",
	"target_rate_per_s", "late", "dropped", "counters", "classes_p99_ns", "interrupted",
}

// WriteCSV writes results.csv.
func WriteCSV(w io.Writer, res *results.Results) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	ns := func(d time.Duration) string { return strconv.FormatInt(int64(d), 10) }
	num := func(n int) string { return strconv.Itoa(n) }
	flt := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	for _, c := range res.Cells {
		for i, r := range c.Repetitions {
			row := []string{
				c.Workload, c.Strategy, num(c.Limit), num(c.Tasks), num(i + 1),
				ns(r.Wall), ns(r.Ideal), flt(r.Efficiency), num(r.Submitted), num(r.Completed), num(r.NotStarted),
				num(r.ErrorCount()), errorsByKind(r.Errors), flt(r.Throughput),
				ns(r.Response.P50), ns(r.Response.P90), ns(r.Response.P99), ns(r.Response.Max), ns(r.ResponseOK.P50), ns(r.ResponseOK.P99),
				ns(r.Wait.P50), ns(r.Wait.P99), ns(r.Service.P50), ns(r.Service.P99),
				num(r.PeakInFlight), num(r.PeakGoroutines), strconv.FormatUint(r.PeakHeap, 10),
				strconv.FormatUint(r.PeakStacks, 10), strconv.FormatUint(r.PeakMemory, 10),
				strconv.FormatUint(r.GCCycles, 10), ns(r.SchedLatency), ns(r.Stall), ns(r.UserCPU), ns(r.SystemCPU),
				flt(r.TargetRate), num(r.Late), num(r.Dropped),
				pairs(r.Counters, flt), pairs(r.Classes, func(q results.Quantiles) string { return ns(q.P99) }), strconv.FormatBool(r.Interrupted),
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// errorsByKind renders counts as "kind=n;kind=n", sorted by kind.
func errorsByKind(m map[string]int) string { return pairs(m, strconv.Itoa) }

// pairs renders a map as "key=value;key=value", sorted by key.
func pairs[V any](m map[string]V, format func(V) string) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+"="+format(m[k]))
	}
	return strings.Join(parts, ";")
}
