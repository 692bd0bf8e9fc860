package chart

import (
	"fmt"
	"image/color"
	"sort"
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

// group is one workload's cells, in run order.
type group struct {
	workload results.WorkloadRecord
	cells    []results.CellResult
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
	return out
}

// label names a cell on an axis: "pool 8", or "sequential".
func label(c results.CellResult) string {
	if c.Limit == 0 {
		return c.Strategy
	}
	return fmt.Sprintf("%s %d", c.Strategy, c.Limit)
}

func labels(cells []results.CellResult) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = label(c)
	}
	return out
}

// panelTitle names the chart, the workload and its parameters, wrapped to
// fit a panel.
func panelTitle(what string, g group, width int) string {
	keys := make([]string, 0, len(g.workload.Params))
	for k := range g.workload.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	head := fmt.Sprintf("%s: %s, %d tasks", what, g.workload.Name, g.workload.Tasks)
	lines := []string{head}
	line := ""
	for _, k := range keys {
		if g.workload.Params[k] == "" {
			continue // unset (an empty body, no headers): nothing to tell
		}
		kv := k + "=" + g.workload.Params[k]
		if line != "" && len(line)+1+len(kv) > width {
			lines, line = append(lines, line), ""
		}
		if line != "" {
			line += " "
		}
		line += kv
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
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
