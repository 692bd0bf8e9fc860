package report

import (
	"io"
	"strconv"

	"github.com/concbench/concbench/harness/results"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"google.golang.org/protobuf/proto"
)

// WriteOpenMetrics writes res's summary as OpenMetrics text, one gauge
// family a figure with a series a cell (labels run, workload, strategy,
// limit), for node exporter's textfile collector or any scraper:
// goodput, the response summary (p50, p90, p99 in seconds, with the
// tasks completed and their total time), tasks submitted, failed and not
// started, efficiency, peak memory and goroutines, goroutines leaked, and
// 1 for each recommended cell. Figures are the table's: medians over
// repetitions, tasks summed over them. prometheus/common's encoder
// writes and escapes it.
func WriteOpenMetrics(w io.Writer, res *results.Results, run string) error {
	cells := res.Cells
	gauge := func(name, help string, value func(results.CellResult) (float64, bool)) *dto.MetricFamily {
		mf := &dto.MetricFamily{Name: proto.String(name), Help: proto.String(help), Type: dto.MetricType_GAUGE.Enum()}
		for _, c := range cells {
			if v, ok := value(c); ok {
				mf.Metric = append(mf.Metric, &dto.Metric{Label: cellLabels(run, c), Gauge: &dto.Gauge{Value: proto.Float64(v)}})
			}
		}
		return mf
	}
	measured := func(c results.CellResult) bool { return len(c.Repetitions) > 0 }
	sum := func(f func(results.Repetition) int) func(results.CellResult) (float64, bool) {
		return func(c results.CellResult) (float64, bool) { return float64(c.Total(f)), measured(c) }
	}
	families := []*dto.MetricFamily{
		gauge("concbench_goodput_per_second", "Successful tasks (or requests) a second, the median over repetitions.",
			func(c results.CellResult) (float64, bool) { return c.Summary.Throughput, measured(c) }),
		responseSummary(run, cells),
		gauge("concbench_tasks_submitted", "Root tasks (or requests) submitted, summed over repetitions.", sum(func(r results.Repetition) int { return r.Submitted })),
		gauge("concbench_tasks_failed", "Tasks that ended in an error, summed over repetitions.", sum(results.Repetition.ErrorCount)),
		gauge("concbench_tasks_not_started", "Tasks that never started, summed over repetitions.", sum(func(r results.Repetition) int { return r.NotStarted })),
		gauge("concbench_efficiency_ratio", "The ideal bound over the wall time, the median over repetitions.",
			func(c results.CellResult) (float64, bool) {
				return c.Summary.Efficiency, measured(c) && c.Summary.Ideal > 0
			}),
		gauge("concbench_peak_memory_bytes", "The most heap and goroutine stacks held above the start, the median over repetitions.",
			func(c results.CellResult) (float64, bool) { return float64(c.Summary.PeakMemory), measured(c) }),
		gauge("concbench_peak_goroutines", "The most goroutines above the start, the median over repetitions.",
			func(c results.CellResult) (float64, bool) { return float64(c.Summary.PeakGoroutines), measured(c) }),
		gauge("concbench_leaked_goroutines", "Goroutines left running after a repetition's tasks ended, the most of any repetition.",
			func(c results.CellResult) (float64, bool) { return float64(c.Summary.Leaked), measured(c) }),
		recommended(run, res),
	}
	for _, mf := range families {
		if len(mf.Metric) == 0 {
			continue
		}
		if _, err := expfmt.MetricFamilyToOpenMetrics(w, mf); err != nil {
			return err
		}
	}
	_, err := expfmt.FinalizeOpenMetrics(w)
	return err
}

// responseSummary is each cell's response times as a summary: the
// median p50, p90 and p99 in seconds, and the tasks completed and their
// total response time over the repetitions.
func responseSummary(run string, cells []results.CellResult) *dto.MetricFamily {
	mf := &dto.MetricFamily{Name: proto.String("concbench_response_seconds"), Unit: proto.String("seconds"),
		Help: proto.String("Response time from each task's intended start; quantiles are medians over repetitions."),
		Type: dto.MetricType_SUMMARY.Enum()}
	for _, c := range cells {
		if len(c.Repetitions) == 0 {
			continue
		}
		var count uint64
		var total float64
		for _, r := range c.Repetitions {
			count += uint64(r.Completed)
			total += r.Response.Mean.Seconds() * float64(r.Completed)
		}
		q := c.Summary.Response
		mf.Metric = append(mf.Metric, &dto.Metric{Label: cellLabels(run, c), Summary: &dto.Summary{
			SampleCount: proto.Uint64(count), SampleSum: proto.Float64(total),
			Quantile: []*dto.Quantile{
				{Quantile: proto.Float64(0.5), Value: proto.Float64(q.P50.Seconds())},
				{Quantile: proto.Float64(0.9), Value: proto.Float64(q.P90.Seconds())},
				{Quantile: proto.Float64(0.99), Value: proto.Float64(q.P99.Seconds())},
			},
		}})
	}
	return mf
}

// recommended is 1 for each workload's recommended cell.
func recommended(run string, res *results.Results) *dto.MetricFamily {
	mf := &dto.MetricFamily{Name: proto.String("concbench_recommended"), Help: proto.String("1 for the cell recommended for its workload."),
		Type: dto.MetricType_GAUGE.Enum()}
	for _, r := range res.Recommendations {
		if r.Evidence == nil {
			continue
		}
		for _, c := range res.Cells {
			if c.Name() == r.Evidence.Cell {
				mf.Metric = append(mf.Metric, &dto.Metric{Label: cellLabels(run, c), Gauge: &dto.Gauge{Value: proto.Float64(1)}})
			}
		}
	}
	return mf
}

func cellLabels(run string, c results.CellResult) []*dto.LabelPair {
	label := func(k, v string) *dto.LabelPair { return &dto.LabelPair{Name: proto.String(k), Value: proto.String(v)} }
	return []*dto.LabelPair{label("run", run), label("workload", c.Workload), label("strategy", c.Strategy), label("limit", strconv.Itoa(c.Limit))}
}
