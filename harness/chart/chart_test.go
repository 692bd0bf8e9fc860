package chart

import (
	"bytes"
	"encoding/json"
	"html"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/chart/legible"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/units"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fixture is a real run, kept fixed: io (lognormal) and cpu, 20 tasks,
// under sequential, unbounded, and pool and semaphore at limits 2 and 8,
// 3 repetitions each.
func fixture(t *testing.T) *results.Results {
	t.Helper()
	return load(t, "results.json")
}

var svgText = regexp.MustCompile(`(?s)<text[^>]*>([^<]*)</text>`)

// texts returns every text an SVG draws.
func texts(t *testing.T, f *Figure) []string {
	t.Helper()
	svg, err := f.Render("svg")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range svgText.FindAllStringSubmatch(string(svg), -1) {
		out = append(out, html.UnescapeString(strings.TrimSpace(m[1])))
	}
	return out
}

func contains(texts []string, want string) bool {
	return slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, want) })
}

// TestEveryFigureIsLabelled checks what every chart must show: its title,
// a panel per workload naming it and its parameters, axis labels with
// units, a legend, and the environment.
func TestEveryFigureIsLabelled(t *testing.T) {
	res := fixture(t)
	figs := Figures(res)
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	if got, want := strings.Join(names, " "), "latency percentiles wait-service throughput runtime lag scaling"; got != want {
		t.Fatalf("figures %q, want %q", got, want)
	}
	for _, f := range figs {
		t.Run(f.Name, func(t *testing.T) {
			got := texts(t, f)
			want := []string{
				f.Title,
				": io", ": cpu", // panels name the workload
				"io: 20 tasks dist=lognormal", "cpu: 20 tasks cost=1ms", // the notes, its parameters
				"go1.26", "GOMAXPROCS 2", res.Env.CPUModel, // the caption
				"pool", "semaphore", // the legend
			}
			for _, w := range want {
				if !contains(got, w) {
					t.Errorf("no text contains %q", w)
				}
			}
			units := []string{"(ms", "per second", "goroutines", "MiB", "GC cycles", "limit"}
			if !slices.ContainsFunc(units, func(u string) bool { return contains(got, u) }) {
				t.Errorf("no axis label with a unit among %q", got)
			}
			if len(f.Panels) != 2 {
				t.Errorf("%d rows of panels, want one per workload (2)", len(f.Panels))
			}
		})
	}
}

// TestStrategyColoursAreStable checks that each strategy is drawn in its
// own colour in every chart.
func TestStrategyColoursAreStable(t *testing.T) {
	for _, f := range Figures(fixture(t)) {
		svg, err := f.Render("svg")
		if err != nil {
			t.Fatal(err)
		}
		for name, hex := range map[string]string{"pool": "#0072B2", "semaphore": "#009E73", "unbounded": "#E69F00"} {
			if !strings.Contains(string(svg), hex) {
				t.Errorf("%s: no %s in %s's colour %s", f.Name, name, f.Name, hex)
			}
		}
	}
}

// TestLatencyPanel checks the latency chart's axis and whiskers: the log
// axis holds every quantile of every cell with room to spare, and each
// whisker spans the cell's p99 over its repetitions.
func TestLatencyPanel(t *testing.T) {
	res := fixture(t)
	p := Latency(res).Panels[0][0]
	cells := res.Cells[:6] // the io cells: sequential, unbounded, pool 2, pool 8, semaphore 2, semaphore 8
	for _, c := range cells {
		for _, m := range quantileMarks {
			if v := ms(m.get(c.Summary.Response)); v <= p.Y.Min || v >= p.Y.Max {
				t.Errorf("%s %s = %v ms, outside the axis (%v, %v)", label(c), m.name, v, p.Y.Min, p.Y.Max)
			}
		}
	}
	w := p99Whiskers(cells)
	for i, c := range cells {
		lo, hi := c.Repetitions[0].Response.P99, c.Repetitions[0].Response.P99
		for _, r := range c.Repetitions {
			lo, hi = min(lo, r.Response.P99), max(hi, r.Response.P99)
		}
		y, e := w.XYs[i].Y, w.YErrors[i]
		if !near(y-e.Low, ms(lo)) || !near(y+e.High, ms(hi)) || !near(y, ms(c.Summary.Response.P99)) {
			t.Errorf("%s: whisker %v..%v around %v ms, want %v..%v around %v", label(c),
				y-e.Low, y+e.High, y, ms(lo), ms(hi), ms(c.Summary.Response.P99))
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// TestScalingOnlyForSweeps checks that a sweep's scaling chart has a tick
// per limit, a line per limited strategy and the dashed ideal, and that a
// run with one limit has no scaling chart.
func TestScalingOnlyForSweeps(t *testing.T) {
	res := fixture(t)
	f := Scaling(res)
	got := texts(t, f)
	for _, w := range []string{"2", "8", "limit", "p99 response (ms, log)"} {
		if !slices.Contains(got, w) {
			t.Errorf("no text %q", w)
		}
	}
	svg, _ := f.Render("svg")
	for _, style := range []string{"stroke:#0072B2;stroke-width:1.5\"", "stroke:#009E73;stroke-width:1.5\"", "stroke-dasharray:5,3"} {
		if !strings.Contains(string(svg), style) {
			t.Errorf("no line styled %s", style)
		}
	}
	res.Plan.Limits = []int{8}
	if Scaling(res) != nil {
		t.Error("a run with one limit has a scaling chart")
	}
}

// TestScalingLegendListsOnlyWhatIsDrawn fails every semaphore cell and
// drops the strategies without a limit: the legend names neither.
func TestScalingLegendListsOnlyWhatIsDrawn(t *testing.T) {
	res := fixture(t)
	var kept []results.CellResult
	for _, c := range res.Cells {
		switch {
		case c.Limit == 0:
			continue
		case c.Strategy == "semaphore":
			c.Failed, c.Repetitions = "hung: possible deadlock", nil
		}
		kept = append(kept, c)
	}
	res.Cells = kept
	var labels []string
	for _, e := range Scaling(res).Legend {
		labels = append(labels, e.Label)
	}
	if slices.Contains(labels, "semaphore") || slices.ContainsFunc(labels, func(l string) bool { return strings.Contains(l, "without a limit") }) ||
		!slices.Contains(labels, "pool") {
		t.Errorf("legend %q: want pool, and neither semaphore (failed) nor strategies without a limit (none)", labels)
	}
}

// TestPNGSize checks the raster rendering's size: 10 in at 96 dpi.
func TestPNGSize(t *testing.T) {
	data, err := Runtime(fixture(t)).Render("png")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 960 || cfg.Height < 2*int(RowHeight.Dots(96)) {
		t.Errorf("PNG %dx%d, want 960 wide and room for two rows", cfg.Width, cfg.Height)
	}
}

func TestRenderRejectsUnknownFormat(t *testing.T) {
	if _, err := Latency(fixture(t)).Render("bmp"); err == nil {
		t.Error("Render(bmp) succeeded")
	}
}

// TestCapacityFigure checks the capacity chart of measurements taken
// elsewhere: it is the only figure, and it shows the fit, its peak, the
// knee and the axes.
func TestCapacityFigure(t *testing.T) {
	met := true
	res := &results.Results{Env: fixture(t).Env, Capacity: &results.CapacityReport{
		Workload: "wrk.csv", Knee: 16, SLOLimit: 8, SLO: "p99<=50ms",
		Points: []results.CapacityPoint{{Concurrency: 1, Throughput: 100, LittleOK: true, SLOMet: &met}, {Concurrency: 16, Throughput: 1200, LittleOK: false}},
		Fit:    &results.USLFit{USL: results.USL{Lambda: 100, Sigma: 0.02, Kappa: 0.001}, R2: 0.99, PeakN: 31, PeakX: 1300},
	}}
	figs := Figures(res)
	if len(figs) != 1 || figs[0].Name != "capacity" {
		t.Fatalf("figures %v, want capacity alone", figs)
	}
	got := texts(t, figs[0])
	for _, w := range []string{"Capacity: Universal Scalability Law fit of wrk.csv", "λ=100/s σ=0.02 κ=0.001 R²=0.990", "USL fit",
		"peak concurrency N* = 31", "knee (90% of the best throughput)", "highest concurrency meeting p99<=50ms", "concurrency (log scale)", "16"} {
		if !contains(got, w) {
			t.Errorf("no text contains %q", w)
		}
	}
	if contains(got, "confidence band") {
		t.Error("a band is listed for a fit without covariance")
	}
	// With a covariance, the 95% band is drawn and listed.
	res.Capacity.Fit.DF = 4
	res.Capacity.Fit.Covariance = [3][3]float64{{25, 0, 0}, {0, 1e-5, 0}, {0, 0, 1e-8}}
	if got := texts(t, Figures(res)[0]); !contains(got, "95% confidence band of the fit") {
		t.Error("no confidence band in the legend")
	}
}

// TestStackedBarsFitTheAxis checks that the wait-service axis holds wait
// stacked on service, not service alone.
func TestStackedBarsFitTheAxis(t *testing.T) {
	res := fixture(t)
	p := WaitService(res).Panels[0][0]
	for _, c := range res.Cells[:6] {
		if top := ms(c.Summary.Service.P50) + ms(c.Summary.Wait.P50); top > p.Y.Max {
			t.Errorf("%s: wait on service reaches %v ms, above the axis' %v", label(c), top, p.Y.Max)
		}
	}
}

// TestErrorsAreMarked gives one cell 70% failed tasks: the latency and
// scaling charts label that point "70% err" and explain the mark.
func TestErrorsAreMarked(t *testing.T) {
	res := fixture(t)
	for i := range res.Cells {
		if res.Cells[i].Strategy == "pool" && res.Cells[i].Limit == 8 {
			for r := range res.Cells[i].Repetitions {
				rep := &res.Cells[i].Repetitions[r]
				rep.Errors = map[string]int{"http-503": rep.Completed * 7 / 10}
			}
		}
	}
	for _, f := range []*Figure{Latency(res), Scaling(res)} {
		got := texts(t, f)
		if !contains(got, "70% err") || !contains(got, "share of the point's tasks that failed") {
			t.Errorf("%s: no error mark or legend", f.Name)
		}
		if n := len(slices.DeleteFunc(slices.Clone(got), func(s string) bool { return !strings.HasSuffix(s, "% err") })); n != 2 && f.Name == "latency" {
			t.Errorf("%s: %d error marks, want one per workload's pool 8 cell (2)", f.Name, n)
		}
	}
	if got := texts(t, Latency(fixture(t))); contains(got, "% err") {
		t.Error("a run without errors has error marks")
	}
}

// TestClassesChart draws a panel per class of task only when a workload
// mixes classes.
func TestClassesChart(t *testing.T) {
	res := fixture(t)
	if f := Classes(res); f != nil {
		t.Fatalf("a run without classes drew %q", f.Name)
	}
	for i := range res.Cells {
		res.Cells[i].Summary.Classes = map[string]results.Quantiles{
			"victim": {P50: time.Millisecond, P99: 3 * time.Millisecond},
			"hog":    {P50: 100 * time.Millisecond, P99: 120 * time.Millisecond},
		}
	}
	f := Classes(res)
	if f == nil || len(f.Panels) == 0 || len(f.Panels[0]) != 2 {
		t.Fatalf("classes chart: %+v, want a row of two panels per workload", f)
	}
	got := texts(t, f)
	for _, w := range []string{"victim tasks", "hog tasks", "response time (ms)"} {
		if !contains(got, w) {
			t.Errorf("no text contains %q", w)
		}
	}
}

// TestStagesChart draws a pipeline's stages only when cells count them,
// one panel a stage, each stage's shares stacked.
func TestStagesChart(t *testing.T) {
	res := fixture(t)
	if f := Stages(res); f != nil {
		t.Fatalf("a run without stages drew %q", f.Name)
	}
	for i := range res.Cells {
		res.Cells[i].Summary.Counters = results.Counters{
			"stage1-busy": 0.4, "stage1-blocked": 0.5, "stage1-idle": 0.1,
			"stage2-busy": 0.98, "stage2-blocked": 0, "stage2-idle": 0.02,
			"stage3-busy": 0.4, "stage3-blocked": 0, "stage3-idle": 0.6,
		}
	}
	f := Stages(res)
	if f == nil || len(f.Panels) == 0 || len(f.Panels[0]) != 3 {
		t.Fatalf("stages chart: %+v, want a row of three panels per workload", f)
	}
	got := texts(t, f)
	for _, w := range []string{"Stage 1", "Stage 3", "blocked sending", "idle waiting", "share of its workers' time"} {
		if !contains(got, w) {
			t.Errorf("no text contains %q", w)
		}
	}
}

// TestOverTimeChart draws an attack's seconds only when a cell has them.
func TestOverTimeChart(t *testing.T) {
	res := fixture(t)
	if f := OverTime(res); f != nil {
		t.Fatalf("a closed-loop run drew %q", f.Name)
	}
	c := &res.Cells[0]
	c.Repetitions[0].Wall = 3 * time.Second
	for i := range 3 {
		c.Repetitions[0].Intervals = append(c.Repetitions[0].Intervals, results.Interval{Start: time.Duration(i) * time.Second, Length: time.Second,
			Span: results.Span{Scheduled: 100, Completed: 90 + i, Errors: i, P50: time.Millisecond, P99: 5 * time.Millisecond, Max: 9 * time.Millisecond}})
	}
	f := OverTime(res)
	if f == nil || len(f.Panels) != 1 || len(f.Panels[0]) != 2 {
		t.Fatalf("over-time: %+v, want one row of two panels", f)
	}
	got := texts(t, f)
	for _, w := range []string{"Response time: io, sequential", "Rate: io, sequential", "requests per second", "p99", "target rate", "successes/s", "errors/s"} {
		if !contains(got, w) {
			t.Errorf("no text contains %q", w)
		}
	}
}

// load reads a run's results from testdata.
func load(t *testing.T, name string) *results.Results {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var res results.Results
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	return &res
}

// legibleSVG fails t for every problem legible finds in f's SVG.
func legibleSVG(t *testing.T, f *Figure) {
	t.Helper()
	svg, err := f.Render("svg")
	if err != nil {
		t.Fatal(err)
	}
	problems, err := legible.Check(svg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", f.Name, p)
	}
}

// TestChartsAreLegible checks every chart of real runs on this machine
// (bench run; bench attack -stages 5s:500,5s:1000; bench capacity -param
// http.capacity=16 -limits 1,2,4,8,16,32,64, whose 32 and 64 fail) and of
// a comparison: no label overlaps another or leaves the canvas, and
// every panel draws something.
func TestChartsAreLegible(t *testing.T) {
	want := map[string]string{
		"results.json":  "latency percentiles wait-service throughput runtime lag scaling",
		"default.json":  "latency percentiles wait-service throughput runtime lag",
		"attack.json":   "latency percentiles wait-service throughput over-time",
		"capacity.json": "latency percentiles wait-service throughput runtime lag scaling capacity",
	}
	for name, figures := range want {
		t.Run(name, func(t *testing.T) {
			res := load(t, name)
			var names []string
			for _, f := range Figures(res) {
				names = append(names, f.Name)
				legibleSVG(t, f)
			}
			if got := strings.Join(names, " "); got != figures {
				t.Errorf("figures %q, want %q", got, figures)
			}
		})
	}
	t.Run("compare", func(t *testing.T) {
		base, head := load(t, "default.json"), load(t, "default.json")
		verdicts := []string{"~", "+12.50%", "-3.10%", "~ (noise)"}
		i := 0
		for _, f := range CompareFigures(base, head, func(results.CellResult, string) string { i++; return verdicts[i%len(verdicts)] }) {
			legibleSVG(t, f)
		}
	})
}

// TestCapacityAxesFollowTheMeasuredPoints draws a fit whose peak lies far
// beyond the measured points, with the knee and the SLO limit at the same
// concurrency: the axes hold the points with a margin, the projection is
// clipped at the edge, the peak beyond it named in the legend, and the
// lines' labels do not overlap.
func TestCapacityAxesFollowTheMeasuredPoints(t *testing.T) {
	met := true
	var points []results.CapacityPoint
	for _, n := range []float64{1, 2, 4, 8, 16, 32} {
		points = append(points, results.CapacityPoint{Concurrency: n, Throughput: 100 * n / (1 + 0.01*(n-1)), LittleOK: true, SLOMet: &met, P99: 5 * time.Millisecond})
	}
	res := &results.Results{Env: fixture(t).Env, Capacity: &results.CapacityReport{
		Workload: "http", Strategy: "semaphore", Knee: 32, SLOLimit: 32, SLO: "p99<=50ms", Points: points,
		Fit: &results.USLFit{USL: results.USL{Lambda: 100, Sigma: 0.01, Kappa: 1e-6}, R2: 0.99, PeakN: 990, PeakX: 9000, DF: 3,
			Covariance: [3][3]float64{{25, 0, 0}, {0, 1e-5, 0}, {0, 0, 1e-12}}},
	}}
	f := Capacity(res)
	legibleSVG(t, f)
	tp := f.Panels[0][0]
	top := points[len(points)-1].Throughput
	if tp.Y.Max > 1.4*top || tp.Y.Max < top {
		t.Errorf("throughput axis up to %.0f for points up to %.0f: want the points with a margin", tp.Y.Max, top)
	}
	if tp.X.Max > 32*1.5 {
		t.Errorf("concurrency axis up to %.0f for points up to 32: the projection sets the axis", tp.X.Max)
	}
	got := texts(t, f)
	for _, w := range []string{"N* = 990, beyond the measured range", "knee 32", "SLO 32"} {
		if !contains(got, w) {
			t.Errorf("no label %q on the reference lines", w)
		}
	}
}

// TestDrainIsNotACollapse leaves out the last second of an attack that
// ended early in it: requests still completing after the end are not a
// rate falling to almost 0.
func TestDrainIsNotACollapse(t *testing.T) {
	res := load(t, "attack.json")
	rep := res.Cells[0].Repetitions[0]
	last := rep.Intervals[len(rep.Intervals)-1]
	if last.Start < rep.Wall-time.Second/2 && last.Scheduled > 0 {
		t.Fatalf("fixture: the last second (%v, %d scheduled) is no drain after a wall of %v", last.Start, last.Scheduled, rep.Wall)
	}
	f := OverTime(res)
	for _, p := range f.Panels[0] {
		if p.X.Max > last.Start.Seconds() {
			t.Errorf("%q reaches %.2f s: the drain from %v is drawn", p.Title.Text, p.X.Max, last.Start)
		}
	}
}

// TestCellMarks fails pool 8 and semaphore 8 of io at the same p99 (their
// "60% err" and "65% err" would print on top of each other) and
// recommends unbounded: every chart stays legible, both error marks are
// drawn, failed bars are hollow and the recommended cell is marked in
// every chart of its workload, and in no other.
func TestCellMarks(t *testing.T) {
	res := fixture(t)
	for i := range res.Cells {
		c := &res.Cells[i]
		if c.Workload != "io" || c.Limit != 8 {
			continue
		}
		share := map[string]int{"pool": 60, "semaphore": 65}[c.Strategy]
		for r := range c.Repetitions {
			rep := &c.Repetitions[r]
			rep.Errors = map[string]int{"http-503": rep.Completed * share / 100}
			rep.Response.P99 = 40 * time.Millisecond
		}
		c.Summary = results.Combine(c.Repetitions)
	}
	res.Recommendations = []results.Recommendation{{Workload: "io", Strategy: "unbounded"}}
	for _, f := range Figures(res) {
		legibleSVG(t, f)
		got := texts(t, f)
		if f.Name == "scaling" {
			if !contains(got, "60% err") || !contains(got, "65% err") || !contains(got, "ringed: the recommended cell") {
				t.Errorf("scaling: error marks or the recommended ring missing: %q", got)
			}
			continue
		}
		marked := slices.DeleteFunc(slices.Clone(got), func(s string) bool {
			return !strings.HasPrefix(s, recommendedMark) || s == recommendedMark+"the recommended cell" // the legend
		})
		if want := len(f.Panels[0]); f.Name != "percentiles" && (len(marked) != want || slices.ContainsFunc(marked, func(s string) bool { return s != recommendedMark+"unbounded" })) {
			t.Errorf("%s: marked %q, want io's unbounded in each of its %d panels, and nothing else", f.Name, marked, want)
		}
	}
	if got := texts(t, Runtime(res)); !contains(got, "hollow: over the error budget") {
		t.Error("runtime: no legend for the hollow bars of failed cells")
	}
}

// TestGoodputBarsAreLabelled writes every bar's goodput over it: the
// sequential cell of io, 176/s beside 33.9k/s, has a bar too short to
// read, and its number says it.
func TestGoodputBarsAreLabelled(t *testing.T) {
	res := load(t, "default.json")
	got := texts(t, Throughput(res))
	for _, c := range res.Cells {
		if !slices.Contains(got, units.Rate(c.Summary.Throughput)) {
			t.Errorf("%s %s: no label %q over its bar", c.Workload, label(c), units.Rate(c.Summary.Throughput))
		}
	}
}

// TestTitlesTellWorkloadsApart: two io workloads of one run differ in
// latency; each panel title names the workload and that parameter, and
// nothing else of its parameters, which the notes under the figure list.
func TestTitlesTellWorkloadsApart(t *testing.T) {
	res := fixture(t)
	slow := res.Plan.Workloads[0]
	slow.Name, slow.Params = "io-slow", maps.Clone(slow.Params)
	slow.Params["latency"] = "50ms"
	res.Plan.Workloads = append(res.Plan.Workloads, slow)
	for _, c := range res.Cells {
		if c.Workload == "io" {
			c.Workload = "io-slow"
			res.Cells = append(res.Cells, c)
		}
	}
	got := texts(t, Latency(res))
	for _, want := range []string{"Response time: io latency=5ms", "Response time: io-slow latency=50ms", "Response time: cpu", "io-slow: 20 tasks dist=lognormal latency=50ms"} {
		if !slices.Contains(got, want) && !contains(got, want) {
			t.Errorf("no text %q", want)
		}
	}
	if contains(got, "Response time: io latency=5ms dist") || contains(got, "Response time: cpu cost") {
		t.Error("a title lists parameters that do not tell its workload apart")
	}
}

// TestRuntimeShowsLeaks adds the leak check's panel only when a cell left
// goroutines running.
func TestRuntimeShowsLeaks(t *testing.T) {
	res := fixture(t)
	before := len(Runtime(res).Panels[0])
	res.Cells[0].Summary.Leaked = 100
	f := Runtime(res)
	if len(f.Panels[0]) != before+1 || !contains(texts(t, f), "Left running") {
		t.Errorf("%d panels, want %d with a Left running panel", len(f.Panels[0]), before+1)
	}
}
