package report

import (
	"bytes"
	"fmt"
	"path/filepath"

	"github.com/concbench/concbench/harness/rundir"

	"github.com/concbench/concbench/harness/chart"
	"github.com/concbench/concbench/harness/results"
)

// Chart is a drawn figure: its name, title and one rendering per format.
type Chart struct {
	Name, Title string
	Files       map[string][]byte // format -> bytes
}

// DrawCharts renders every figure of res in every chart format. It costs
// about a second per run on a 2-core machine (PNG rasterising dominates).
func DrawCharts(res *results.Results) ([]Chart, error) {
	var out []Chart
	for _, f := range chart.Figures(res) {
		c := Chart{Name: f.Name, Title: f.Title, Files: map[string][]byte{}}
		for _, format := range chart.Formats {
			data, err := f.Render(format)
			if err != nil {
				return nil, fmt.Errorf("chart %s.%s: %v", f.Name, format, err)
			}
			c.Files[format] = data
		}
		out = append(out, c)
	}
	return out, nil
}

// WriteDerived (re)writes everything that derives from results.json: the
// charts, summary.md with the charts embedded, report.html with the SVGs
// inline, and bench.txt in the Go benchmark format. Each file is replaced
// atomically.
func WriteDerived(dir string, res *results.Results) error {
	charts, err := DrawCharts(res)
	if err != nil {
		return err
	}
	for _, c := range charts {
		for format, data := range c.Files {
			if err := rundir.ReplaceFile(filepath.Join(dir, c.Name+"."+format), data); err != nil {
				return err
			}
		}
	}
	var md, html, bench bytes.Buffer
	WriteMarkdown(&md, res, charts)
	if err := WriteHTML(&html, res, charts); err != nil {
		return err
	}
	if err := WriteBenchfmt(&bench, res); err != nil {
		return err
	}
	files := map[string][]byte{SummaryMD: md.Bytes(), ReportHTML: html.Bytes(), BenchTxt: bench.Bytes()}
	if res.Capacity != nil {
		var c bytes.Buffer
		if err := WriteCapacityCSV(&c, res.Capacity); err != nil {
			return err
		}
		files[CapacityCSV] = c.Bytes()
	}
	for name, data := range files {
		if err := rundir.ReplaceFile(filepath.Join(dir, name), data); err != nil {
			return err
		}
	}
	return nil
}
