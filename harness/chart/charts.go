package chart

import "github.com/concbench/concbench/harness/results"

// Figures returns every chart of a run: latency, percentiles, wait vs
// service, throughput and efficiency, runtime cost, scheduler lag, task
// classes when a workload mixes them, pipeline stages when a workload
// counts them, each second of an attack, scaling when the run
// swept limits, and capacity for a capacity sweep. It reads nothing but res.
// A run of measurements taken elsewhere has only the capacity chart, and
// a chart of figures nobody measured (an attack's runtime) is left out.
func Figures(res *results.Results) []*Figure {
	var figs []*Figure
	if len(res.Cells) > 0 {
		figs = []*Figure{Latency(res), Percentiles(res), WaitService(res), Throughput(res)}
	}
	for _, draw := range []func(*results.Results) *Figure{Runtime, Lag, Classes, Stages, Scaling, OverTime, Capacity} {
		if f := draw(res); f != nil {
			figs = append(figs, f)
		}
	}
	return figs
}
