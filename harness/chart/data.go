package chart

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// strategyColors gives every built-in strategy its colour (Okabe-Ito, safe
// for colour-blind readers); other strategies take the spares in order of
// appearance.
var strategyColors = map[string]color.RGBA{
	"sequential": {0x59, 0x59, 0x59, 0xff},
	"unbounded":  {0xe6, 0x9f, 0x00, 0xff},
	"pool":       {0x00, 0x72, 0xb2, 0xff},
	"semaphore":  {0x00, 0x9e, 0x73, 0xff},
	"offload":    {0xd5, 0x5e, 0x00, 0xff},
}

var spareColors = []color.RGBA{{0xcc, 0x79, 0xa7, 0xff}, {0x56, 0xb4, 0xe9, 0xff}, {0xf0, 0xe4, 0x42, 0xff}}

var grey = color.RGBA{0x70, 0x70, 0x70, 0xff}

// palette assigns colours and dashes for one run.
type palette struct {
	spare  map[string]color.RGBA
	limits []int
}

func newPalette(res *results.Results) *palette {
	p := &palette{spare: map[string]color.RGBA{}, limits: res.Plan.Limits}
	for _, c := range res.Cells {
		if _, ok := strategyColors[c.Strategy]; !ok {
			if _, ok := p.spare[c.Strategy]; !ok {
				p.spare[c.Strategy] = spareColors[len(p.spare)%len(spareColors)]
			}
		}
	}
	return p
}

func (p *palette) color(strategy string) color.RGBA {
	if c, ok := strategyColors[strategy]; ok {
		return c
	}
	return p.spare[strategy]
}

// tint mixes c with white: f = 0 is c, 1 is white.
func tint(c color.RGBA, f float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(float64(v) + f*(255-float64(v))) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 0xff}
}

// dashes tells apart the limits of one strategy in line charts.
func (p *palette) dashes(limit int) []vg.Length {
	patterns := [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}}
	for i, l := range p.limits {
		if l == limit {
			return patterns[i%len(patterns)]
		}
	}
	return nil
}

func (p *palette) line(c results.CellResult) draw.LineStyle {
	return draw.LineStyle{Color: p.color(c.Strategy), Width: vg.Points(1.5), Dashes: p.dashes(c.Limit)}
}

// group is one workload's cells, in run order, with what every chart of
// it marks: the cells over the error budget and the recommended one.
type group struct {
	workload results.WorkloadRecord
	cells    []results.CellResult
	// distinct are the one or two parameters that tell this workload from
	// another of its family in the run, as "latency=50ms".
	distinct []string
	failed   []bool // over the run's error budget: failing is not speed
	// recommended is the index of the recommended cell; -1 when none.
	recommended int
}

// groups splits the cells by workload, in plan order.
func groups(res *results.Results) []group {
	var gs []group
	index := map[string]int{}
	for _, w := range res.Plan.Workloads {
		index[w.Name] = len(gs)
		gs = append(gs, group{workload: w})
	}
	for _, c := range res.Cells {
		i, ok := index[c.Workload]
		if !ok {
			index[c.Workload] = len(gs)
			gs = append(gs, group{workload: results.WorkloadRecord{Name: c.Workload, Tasks: c.Tasks}})
			i = len(gs) - 1
		}
		if len(c.Repetitions) > 0 { // a failed cell has nothing to draw
			gs[i].cells = append(gs[i].cells, c)
		}
	}
	out := gs[:0]
	for _, g := range gs {
		if len(g.cells) > 0 {
			out = append(out, g)
		}
	}
	budget := res.Plan.Budget()
	for i := range out {
		g := &out[i]
		g.distinct = distinctParams(g.workload, res.Plan.Workloads)
		g.recommended = -1
		for j, c := range g.cells {
			g.failed = append(g.failed, c.OverBudget(budget))
			if isRecommended(c, res.Recommendations) {
				g.recommended = j
			}
		}
	}
	return out
}

// isRecommended reports whether c is the cell its workload's answer names.
func isRecommended(c results.CellResult, recs []results.Recommendation) bool {
	for _, r := range recs {
		if r.Workload == c.Workload && r.Strategy == c.Strategy && r.Limit == c.Limit {
			return true
		}
	}
	return false
}

// distinctParams are the first two parameters, by name, whose value in w
// differs from another workload of w's family.
func distinctParams(w results.WorkloadRecord, all []results.WorkloadRecord) []string {
	var out []string
	for _, k := range sortedKeys(w.Params) {
		for _, o := range all {
			if o.Name != w.Name && o.Family == w.Family && o.Params[k] != w.Params[k] {
				out = append(out, k+"="+w.Params[k])
				break
			}
		}
		if len(out) == 2 {
			break
		}
	}
	return out
}

// title names a panel: what it shows, the workload and what tells the
// workload apart, on one line ("Goodput: io-slow latency=50ms"). The
// full parameters are in the figure's notes.
func (g group) title(what string) string {
	return strings.Join(append([]string{what + ": " + g.workload.Name}, g.distinct...), " ")
}

// label names a cell on an axis: "pool 8", or "sequential".
func label(c results.CellResult) string {
	if c.Limit == 0 {
		return c.Strategy
	}
	return fmt.Sprintf("%s %d", c.Strategy, c.Limit)
}

// recommendedMark prefixes the recommended cell's labels on an axis.
const recommendedMark = "► "

// labels names the cells of g on an axis, the recommended one marked.
func (g group) labels() []string {
	out := make([]string, len(g.cells))
	for i, c := range g.cells {
		out[i] = label(c)
		if i == g.recommended {
			out[i] = recommendedMark + out[i]
		}
	}
	return out
}

// paramsCaption lists each workload's tasks and parameters, for the line
// under a figure: "io: 200 tasks dist=constant latency=5ms".
func paramsCaption(gs []group) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		line := fmt.Sprintf("%s: %d tasks", g.workload.Name, g.workload.Tasks)
		for _, k := range sortedKeys(g.workload.Params) {
			if v := g.workload.Params[k]; v != "" { // unset (an empty body, no headers): nothing to tell
				line += " " + k + "=" + v
			}
		}
		out[i] = line
	}
	return out
}

// caption describes where the run measured.
func caption(res *results.Results) string {
	e := res.Env
	cpu := e.CPUModel
	if cpu == "" {
		cpu = "unknown CPU"
	}
	return fmt.Sprintf("%s %s/%s · GOMAXPROCS %d · %s · %d reps after %d warm-up · run %s",
		e.GoVersion, e.GOOS, e.GOARCH, e.GOMAXPROCS, cpu, res.Plan.Reps, res.Plan.Warmup, e.Start.Format("2006-01-02 15:04 UTC"))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
