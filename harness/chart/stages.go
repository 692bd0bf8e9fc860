package chart

import (
	"fmt"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
)

// Stages shows, for each pipeline workload, where each stage's workers
// spent their time (the stageK-busy, -blocked and -idle counters): busy
// working an item (dark), blocked sending to a full buffer (the next
// stage is slower: lighter), idle on an empty one (the stages before are
// slower: lightest). The bottleneck is the stage busy nearly all the
// time. Nil when no workload of the run counts its stages.
func Stages(res *results.Results) *Figure {
	pal := newPalette(res)
	gs := groups(res)
	f := newFigure("stages", "Where each pipeline stage's time went: busy (dark), blocked sending (lighter), idle waiting (lightest)", res, gs)
	for _, g := range gs {
		stages := 0
		for _, c := range g.cells {
			for stages < maxStagesDrawn && c.Summary.Counters[stageCounter(stages+1, "busy")] > 0 {
				stages++
			}
		}
		var row []*plot.Plot
		for k := 1; k <= stages; k++ {
			share := func(what string) func(results.CellResult) float64 {
				return func(c results.CellResult) float64 { return c.Summary.Counters[stageCounter(k, what)] }
			}
			p := cellPanel(g.title(fmt.Sprintf("Stage %d", k)), "share of its workers' time", g, stages)
			busy := pal.bars(p, g, stages, share("busy"), 0)
			blocked := pal.bars(p, g, stages, share("blocked"), 0.45, busy...)
			pal.bars(p, g, stages, share("idle"), 0.8, blocked...)
			p.Y.Max = 1.05
			row = append(row, p)
		}
		if row != nil {
			f.Panels = append(f.Panels, row)
		}
	}
	if f.Panels == nil {
		return nil
	}
	legend := []LegendEntry{shadeEntry("busy", 0), shadeEntry("blocked sending", 0.45), shadeEntry("idle waiting", 0.8)}
	f.Legend = append(legend, pal.strategyLegend(res, gs)...)
	return f
}

// maxStagesDrawn is the most stages the chart draws side by side.
const maxStagesDrawn = 8

// stageCounter names a pipeline stage's counter: "stage2-busy".
func stageCounter(stage int, what string) string { return fmt.Sprintf("stage%d-%s", stage, what) }
