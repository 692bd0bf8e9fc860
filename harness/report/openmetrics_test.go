package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/concbench/concbench/harness/recommend"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestOpenMetricsReadsBack writes a run's summary as OpenMetrics and
// parses it as node exporter's textfile collector does (prometheus/common's
// text parser): every cell's goodput, p99 and task counts read back equal
// to the run's, and the recommended cell is marked.
func TestOpenMetricsReadsBack(t *testing.T) {
	res := fixture()
	res.Recommendations = recommend.For(res)
	var b bytes.Buffer
	if err := WriteOpenMetrics(&b, res, `run "1"`); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(b.String(), "# EOF\n") {
		t.Errorf("no # EOF at the end:\n%s", b.String())
	}
	p := expfmt.NewTextParser(model.LegacyValidation) // node exporter's textfile collector takes the classic names
	families, err := p.TextToMetricFamilies(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("the textfile collector's parser refuses it: %v\n%s", err, b.String())
	}
	goodput := families["concbench_goodput_per_second"]
	if goodput == nil || len(goodput.Metric) != len(res.Cells) {
		t.Fatalf("goodput: %v, want a series a cell", goodput)
	}
	for i, m := range goodput.Metric {
		c := res.Cells[i]
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["run"] != `run "1"` || labels["workload"] != c.Workload || labels["strategy"] != c.Strategy || m.GetGauge().GetValue() != c.Summary.Throughput {
			t.Errorf("series %d: %v = %v, want %s's goodput %v", i, labels, m.GetGauge().GetValue(), c.Name(), c.Summary.Throughput)
		}
		q := families["concbench_response_seconds"].Metric[i].GetSummary().GetQuantile()
		if len(q) != 3 || q[2].GetValue() != c.Summary.Response.P99.Seconds() {
			t.Errorf("%s: quantiles %v, want p99 %v", c.Name(), q, c.Summary.Response.P99.Seconds())
		}
		submitted := 0
		for _, r := range c.Repetitions {
			submitted += r.Submitted
		}
		if got := families["concbench_tasks_submitted"].Metric[i].GetGauge().GetValue(); got != float64(submitted) {
			t.Errorf("%s: %v submitted, want %d", c.Name(), got, submitted)
		}
	}
	if rec := families["concbench_recommended"]; rec == nil || len(rec.Metric) != len(res.Recommendations) {
		t.Errorf("recommended: %v, want one a workload", rec)
	}
}
