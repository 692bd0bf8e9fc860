package remotewrite

import (
	"sort"
	"strconv"
	"time"

	"github.com/concbench/concbench/harness/live"
	"github.com/concbench/concbench/harness/report"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/prometheus/prompb"
)

// series turns a feed's events into samples: it keeps each attack cell's
// counters (cumulative over its repetitions, as results.json sums them)
// and each series' last timestamp, so that every series' samples go
// forward in time as the receiver requires.
type series struct {
	run, shard string
	counters   map[string]float64 // by series key
	last       map[string]int64   // by series key: the last timestamp, in ms
	out        []prompb.TimeSeries
}

func newSeries(run, shard string) *series {
	return &series{run: run, shard: shard, counters: map[string]float64{}, last: map[string]int64{}}
}

// add turns e into samples; take hands them over.
func (s *series) add(e live.Event) {
	switch {
	case e.Second != nil:
		s.second(e.Second)
	case e.Progress != nil:
		p := e.Progress
		if p.Reps > 0 {
			s.sample("concbench_cell_progress_ratio", p.Labels, nil, float64(p.Rep-1)/float64(p.Reps), e.Time)
		}
	case e.Cell != nil:
		s.sample("concbench_cell_progress_ratio", e.Cell.Labels(), nil, 1, e.Time)
		s.families(report.MetricFamilies(report.Summary{Cells: []report.SummaryCell{e.Cell.SummaryCell}}, s.run), e.Time)
	case e.Done != nil:
		s.families(report.MetricFamilies(e.Done.Summary, s.run), e.Time)
	}
}

// second is one second of an attack: its counters, cumulative, and its
// rates, percentiles and requests in flight.
func (s *series) second(sec *live.Second) {
	at, l := sec.End, sec.Labels
	length := sec.Length.Seconds()
	s.counter("concbench_attack_completed_total", l, nil, float64(sec.Completed), at)
	s.counter("concbench_attack_late_total", l, nil, float64(sec.Late), at)
	for kind, n := range sec.ErrorKinds {
		s.counter("concbench_attack_errors_total", l, []prompb.Label{{Name: "kind", Value: kind}}, float64(n), at)
	}
	if l.Strategy != "closed-loop" {
		s.sample("concbench_attack_asked_per_second", l, nil, float64(sec.Scheduled)/length, at)
	}
	s.sample("concbench_attack_achieved_per_second", l, nil, float64(sec.Completed)/length, at)
	for _, q := range []struct {
		q string
		d time.Duration
	}{{"0.5", sec.P50}, {"0.9", sec.P90}, {"0.99", sec.P99}} {
		s.sample("concbench_attack_response_seconds", l, []prompb.Label{{Name: "quantile", Value: q.q}}, q.d.Seconds(), at)
	}
	s.sample("concbench_attack_in_flight", l, nil, float64(sec.InFlight), at)
}

// counter adds v to a cumulative series and samples it.
func (s *series) counter(name string, l live.Labels, extra []prompb.Label, v float64, at time.Time) {
	labels := s.labels(name, l, extra)
	key := keyOf(labels)
	s.counters[key] += v
	s.append(labels, key, s.counters[key], at)
}

// sample samples a gauge.
func (s *series) sample(name string, l live.Labels, extra []prompb.Label, v float64, at time.Time) {
	labels := s.labels(name, l, extra)
	s.append(labels, keyOf(labels), v, at)
}

// families samples metric families as Prometheus would scrape them: a
// gauge or counter its value, a summary a series a quantile, with _count
// and _sum.
func (s *series) families(mfs []*dto.MetricFamily, at time.Time) {
	for _, mf := range mfs {
		for _, m := range mf.Metric {
			var extra []prompb.Label
			for _, lp := range m.Label {
				extra = append(extra, prompb.Label{Name: lp.GetName(), Value: lp.GetValue()})
			}
			add := func(name string, v float64, more ...prompb.Label) {
				labels := s.labels(name, live.Labels{}, append(append([]prompb.Label{}, extra...), more...))
				s.append(labels, keyOf(labels), v, at)
			}
			switch {
			case m.Gauge != nil:
				add(mf.GetName(), m.Gauge.GetValue())
			case m.Counter != nil:
				add(mf.GetName(), m.Counter.GetValue())
			case m.Summary != nil:
				for _, q := range m.Summary.Quantile {
					add(mf.GetName(), q.GetValue(), prompb.Label{Name: "quantile", Value: strconv.FormatFloat(q.GetQuantile(), 'g', -1, 64)})
				}
				add(mf.GetName()+"_count", float64(m.Summary.GetSampleCount()))
				add(mf.GetName()+"_sum", m.Summary.GetSampleSum())
			}
		}
	}
}

// labels are a series' labels, sorted by name: its name, the run's, the
// cell's (when l names one), extra, and the shard's.
func (s *series) labels(name string, l live.Labels, extra []prompb.Label) []prompb.Label {
	labels := append([]prompb.Label{{Name: "__name__", Value: name}}, extra...)
	if l.Workload != "" {
		labels = append(labels, prompb.Label{Name: "run", Value: s.run}, prompb.Label{Name: "workload", Value: l.Workload},
			prompb.Label{Name: "strategy", Value: l.Strategy}, prompb.Label{Name: "limit", Value: strconv.Itoa(l.Limit)})
	}
	if s.shard != "" {
		labels = append(labels, prompb.Label{Name: "shard", Value: s.shard})
	}
	sort.Slice(labels, func(i, j int) bool { return labels[i].Name < labels[j].Name })
	return labels
}

// append adds one sample at, or just after, the series' last one.
func (s *series) append(labels []prompb.Label, key string, v float64, at time.Time) {
	ts := at.UnixMilli()
	if last, ok := s.last[key]; ok && ts <= last {
		ts = last + 1
	}
	s.last[key] = ts
	s.out = append(s.out, prompb.TimeSeries{Labels: labels, Samples: []prompb.Sample{{Value: v, Timestamp: ts}}})
}

// take returns the samples added since the last take.
func (s *series) take() []prompb.TimeSeries {
	out := s.out
	s.out = nil
	return out
}

func keyOf(labels []prompb.Label) string {
	var b []byte
	for _, l := range labels {
		b = append(append(append(append(b, l.Name...), 0), l.Value...), 0)
	}
	return string(b)
}
