package report

import (
	"io"
	"strconv"

	"github.com/concbench/concbench/harness/results"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"google.golang.org/protobuf/proto"
)

// WriteOpenMetrics writes res's summary as OpenMetrics text (the
// families of MetricFamilies), for node exporter's textfile collector or
// any scraper. prometheus/common's encoder writes and escapes it.
func WriteOpenMetrics(w io.Writer, res *results.Results, run string) error {
	for _, mf := range MetricFamilies(NewSummary(res, ""), run) {
		if _, err := expfmt.MetricFamilyToOpenMetrics(w, mf); err != nil {
			return err
		}
	}
	_, err := expfmt.FinalizeOpenMetrics(w)
	return err
}

// MetricFamilies are s's figures as Prometheus metric families, one
// gauge family a figure with a series a measured cell (labels run,
// workload, strategy, limit): goodput, the response summary (p50, p90,
// p99 in seconds, with the tasks completed and their total time), tasks
// submitted, failed and not started, efficiency, peak memory and
// goroutines, goroutines leaked, and 1 for each recommended cell. Figures
// are the table's: medians over repetitions, tasks summed over them.
// Families with no series are left out. Remote write sends the same.
func MetricFamilies(s Summary, run string) []*dto.MetricFamily {
	gauge := func(name, help string, value func(SummaryCell) (float64, bool)) *dto.MetricFamily {
		mf := &dto.MetricFamily{Name: proto.String(name), Help: proto.String(help), Type: dto.MetricType_GAUGE.Enum()}
		for _, c := range s.Cells {
			if v, ok := value(c); ok && c.Repetitions > 0 {
				mf.Metric = append(mf.Metric, &dto.Metric{Label: cellLabels(run, c), Gauge: &dto.Gauge{Value: proto.Float64(v)}})
			}
		}
		return mf
	}
	always := func(f func(SummaryCell) float64) func(SummaryCell) (float64, bool) {
		return func(c SummaryCell) (float64, bool) { return f(c), true }
	}
	families := []*dto.MetricFamily{
		gauge("concbench_goodput_per_second", "Successful tasks (or requests) a second, the median over repetitions.",
			always(func(c SummaryCell) float64 { return c.Goodput })),
		responseSummary(run, s.Cells),
		gauge("concbench_tasks_submitted", "Root tasks (or requests) submitted, summed over repetitions.",
			always(func(c SummaryCell) float64 { return float64(c.Submitted) })),
		gauge("concbench_tasks_failed", "Tasks that ended in an error, summed over repetitions.",
			always(func(c SummaryCell) float64 { return float64(c.Errors) })),
		gauge("concbench_tasks_not_started", "Tasks that never started, summed over repetitions.",
			always(func(c SummaryCell) float64 { return float64(c.NotStarted) })),
		gauge("concbench_efficiency_ratio", "The ideal bound over the wall time, the median over repetitions.",
			func(c SummaryCell) (float64, bool) { return c.Efficiency, c.Efficiency > 0 }),
		gauge("concbench_peak_memory_bytes", "The most heap and goroutine stacks held above the start, the median over repetitions.",
			always(func(c SummaryCell) float64 { return float64(c.PeakMemory) })),
		gauge("concbench_peak_goroutines", "The most goroutines above the start, the median over repetitions.",
			always(func(c SummaryCell) float64 { return float64(c.PeakGoroutines) })),
		gauge("concbench_leaked_goroutines", "Goroutines left running after a repetition's tasks ended, the most of any repetition.",
			always(func(c SummaryCell) float64 { return float64(c.Leaked) })),
		recommended(run, s),
	}
	out := families[:0]
	for _, mf := range families {
		if len(mf.Metric) > 0 {
			out = append(out, mf)
		}
	}
	return out
}

// responseSummary is each cell's response times as a summary: the
// median p50, p90 and p99 in seconds, and the tasks completed and their
// total response time over the repetitions.
func responseSummary(run string, cells []SummaryCell) *dto.MetricFamily {
	mf := &dto.MetricFamily{Name: proto.String("concbench_response_seconds"), Unit: proto.String("seconds"),
		Help: proto.String("Response time from each task's intended start; quantiles are medians over repetitions."),
		Type: dto.MetricType_SUMMARY.Enum()}
	for _, c := range cells {
		if c.Repetitions == 0 {
			continue
		}
		mf.Metric = append(mf.Metric, &dto.Metric{Label: cellLabels(run, c), Summary: &dto.Summary{
			SampleCount: proto.Uint64(uint64(c.Completed)), SampleSum: proto.Float64(c.ResponseTotal.Seconds()),
			Quantile: []*dto.Quantile{
				{Quantile: proto.Float64(0.5), Value: proto.Float64(c.P50.Seconds())},
				{Quantile: proto.Float64(0.9), Value: proto.Float64(c.P90.Seconds())},
				{Quantile: proto.Float64(0.99), Value: proto.Float64(c.P99.Seconds())},
			},
		}})
	}
	return mf
}

// recommended is 1 for each workload's recommended cell.
func recommended(run string, s Summary) *dto.MetricFamily {
	mf := &dto.MetricFamily{Name: proto.String("concbench_recommended"), Help: proto.String("1 for the cell recommended for its workload."),
		Type: dto.MetricType_GAUGE.Enum()}
	for _, r := range s.Recommendations {
		if r.Evidence == nil {
			continue
		}
		for _, c := range s.Cells {
			if c.Name() == r.Evidence.Cell {
				mf.Metric = append(mf.Metric, &dto.Metric{Label: cellLabels(run, c), Gauge: &dto.Gauge{Value: proto.Float64(1)}})
			}
		}
	}
	return mf
}

func cellLabels(run string, c SummaryCell) []*dto.LabelPair {
	label := func(k, v string) *dto.LabelPair { return &dto.LabelPair{Name: proto.String(k), Value: proto.String(v)} }
	return []*dto.LabelPair{label("run", run), label("workload", c.Workload), label("strategy", c.Strategy), label("limit", strconv.Itoa(c.Limit))}
}
