package chart

import "github.com/concbench/concbench/harness"

// Figures returns every chart of a run: latency, percentiles, wait vs
// service, throughput and efficiency, runtime cost, and scaling when the run
// swept limits. It reads nothing but res.
func Figures(res *harness.Results) []*Figure {
	figs := []*Figure{Latency(res), Percentiles(res), WaitService(res), Throughput(res), Runtime(res)}
	if f := Scaling(res); f != nil {
		figs = append(figs, f)
	}
	return figs
}
