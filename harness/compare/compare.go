package compare

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/concbench/concbench/harness/recommend"
	"github.com/concbench/concbench/harness/results"
	"golang.org/x/perf/benchmath"
)

// Comparison is everything compare found.
type Comparison struct {
	Base     []string `json:"base"` // results.json files of each side
	Head     []string `json:"head"`
	Rows     []Row    `json:"rows"`
	OnlyBase []Key    `json:"only_base,omitempty"` // cells measured on one side only
	OnlyHead []Key    `json:"only_head,omitempty"`
	Warnings []string `json:"warnings,omitempty"` // statistical and plan oddities: read them, they are not errors
	// Correction names how the comparison controls the errors of testing
	// many rows at once: "benjamini-hochberg" (each row's q).
	Correction string `json:"correction"`
	// NoisePct is the change, in percent either way, below which a
	// significant row is called within noise, as criterion does.
	NoisePct float64 `json:"noise_pct"`
	// Answers are each workload's recommendation on both sides (package
	// recommend, on each side's pooled cells).
	Answers []Answer `json:"answers,omitempty"`
	// ProfileShifts are, for cells whose CPU was profiled on both sides,
	// the functions whose share of the samples changed most.
	ProfileShifts []ProfileShift `json:"profile_shifts,omitempty"`
}

// Answer is one workload's recommendation on each side.
type Answer struct {
	Workload string `json:"workload"`
	Base     string `json:"base"` // "pool at 8", "nothing"
	Head     string `json:"head"`
	// Differs is set when head recommends another strategy, or a limit
	// outside base's range, that base did not find within noise of its
	// own answer.
	Differs bool `json:"differs"`
	// Tied is set when the two answers differ but each side found the
	// other's within noise of its own: a toss between equals, not a change.
	Tied bool `json:"tied,omitempty"`
}

// String is "io: pool at 8 (both)", "io: base pool at 8, head semaphore at
// 8", or, when tied, the same followed by "(tied within noise: not a
// change)".
func (a Answer) String() string {
	switch {
	case a.Tied:
		return a.Workload + ": base " + a.Base + ", head " + a.Head + " (tied within noise: not a change)"
	case a.Differs:
		return a.Workload + ": base " + a.Base + ", head " + a.Head
	}
	return a.Workload + ": " + a.Head + " (both)"
}

// Options tune a comparison; the zero value takes the defaults.
type Options struct {
	// NoisePct is the smallest change, in percent either way, that counts
	// as a change: below it a row is within noise (default DefaultNoisePct).
	NoisePct float64
}

// DefaultNoisePct is the default noise threshold: changes smaller than
// 2% are within the noise of a shared 2-core machine.
const DefaultNoisePct = 2.0

// Row is one metric of one cell.
type Row struct {
	Key
	Metric      string  `json:"metric"`
	Base        float64 `json:"base"` // median over repetitions
	Head        float64 `json:"head"`
	DeltaPct    float64 `json:"delta_pct"` // (head - base) / base x 100
	P           float64 `json:"p"`         // Mann-Whitney U p-value
	N1          int     `json:"n_base"`
	N2          int     `json:"n_head"`
	Alpha       float64 `json:"alpha"`
	Significant bool    `json:"significant"` // P < Alpha: this row alone, as benchstat judges it
	// BaseSpread and HeadSpread are each side's noise: the 95% interval of
	// the median as a share of it (min to max with fewer than 6
	// repetitions), as benchstat's "± 3%".
	BaseSpread float64 `json:"base_spread"`
	HeadSpread float64 `json:"head_spread"`
	// Q is the Benjamini-Hochberg adjusted p-value over every row of the
	// comparison: testing 50 rows at α = 0.05 finds a few "changes" in
	// identical code; Q < Alpha keeps the expected share of false ones
	// among the rows called changed at α.
	Q float64 `json:"q"`
	// WithinNoise marks a change smaller than the noise threshold.
	WithinNoise bool `json:"within_noise,omitempty"`
	// Changed is the verdict gates use: Q < Alpha and not within noise.
	Changed  bool     `json:"changed"`
	Better   bool     `json:"better"` // changed, in the metric's good direction
	Warnings []string `json:"warnings,omitempty"`
}

// Verdict is the change: the signed percentage when the row changed,
// "~" when it did not (as benchstat prints), and "~ (noise)" or "~ (q)"
// when benchstat alone would call it a change but it is within the noise
// threshold or does not survive the correction for many rows.
func (r Row) Verdict() string {
	switch {
	case r.Changed:
		return fmt.Sprintf("%+.2f%%", r.DeltaPct)
	case r.Significant && r.WithinNoise:
		return "~ (noise)"
	case r.Significant:
		return "~ (q)"
	}
	return "~"
}

// Stat is the test's detail: "p=0.008 q=0.040 n=5+5".
func (r Row) Stat() string {
	if r.N1 == r.N2 {
		return fmt.Sprintf("p=%.3f q=%.3f n=%d", r.P, r.Q, r.N1)
	}
	return fmt.Sprintf("p=%.3f q=%.3f n=%d+%d", r.P, r.Q, r.N1, r.N2)
}

// Row returns the row of cell k and metric; the zero Row (verdict "~")
// when there is none.
func (c *Comparison) Row(k Key, metric string) Row {
	for _, r := range c.Rows {
		if r.Key == k && r.Metric == metric {
			return r
		}
	}
	return Row{}
}

// Compare compares every metric of every cell present on both sides with
// the default options.
func Compare(base, head *Side) *Comparison { return CompareWith(base, head, Options{}) }

// CompareWith compares every metric of every cell present on both sides:
// a Mann-Whitney U test per row (golang.org/x/perf/benchmath, as
// benchstat), then the Benjamini-Hochberg correction over all rows and
// the noise threshold.
func CompareWith(base, head *Side, o Options) *Comparison {
	if o.NoisePct <= 0 {
		o.NoisePct = DefaultNoisePct
	}
	c := &Comparison{Base: base.Paths, Head: head.Paths, Correction: "benjamini-hochberg", NoisePct: o.NoisePct}
	for _, k := range base.Order {
		if _, ok := head.Cells[k]; !ok {
			c.OnlyBase = append(c.OnlyBase, k)
		}
	}
	for _, k := range head.Order {
		if _, ok := base.Cells[k]; !ok {
			c.OnlyHead = append(c.OnlyHead, k)
		}
	}
	c.Warnings = planWarnings(base, head)
	c.Answers = answers(base, head)
	c.ProfileShifts = profileShifts(base, head)
	needMore := map[string]bool{}
	for _, m := range Metrics {
		for _, k := range base.Order {
			h, ok := head.Cells[k]
			if !ok {
				continue
			}
			row := compareCell(k, m, base.Cells[k], h)
			for _, w := range row.Warnings {
				if strings.HasPrefix(w, "need ") {
					needMore[w] = true
				}
			}
			c.Rows = append(c.Rows, row)
		}
	}
	for _, w := range slices.Sorted(maps.Keys(needMore)) {
		hint := ""
		var n int
		if _, err := fmt.Sscanf(w, "need >= %d samples", &n); err == nil {
			hint = fmt.Sprintf(" (run with -reps %d or more)", n)
		}
		c.Warnings = append(c.Warnings, "too few repetitions: "+w+hint)
	}
	adjust(c.Rows)
	for i := range c.Rows {
		r := &c.Rows[i]
		r.WithinNoise = math.Abs(r.DeltaPct) < o.NoisePct
		r.Changed = r.Q < r.Alpha && !r.WithinNoise
		m, _ := MetricByName(r.Metric)
		r.Better = r.Changed && (r.Head > r.Base) == m.HigherIsBetter
	}
	return c
}

// adjust sets each row's Q, the Benjamini-Hochberg adjusted p-value:
// q(i) = min over j >= i of p(j) x m / j, p sorted ascending, at most 1.
func adjust(rows []Row) {
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rows[order[a]].P < rows[order[b]].P })
	m := float64(len(rows))
	q := 1.0
	for rank := len(order); rank >= 1; rank-- {
		r := &rows[order[rank-1]]
		q = min(q, r.P*m/float64(rank))
		r.Q = q
	}
}

func compareCell(k Key, m Metric, base, head *results.CellResult) Row {
	s1 := sample(base, m)
	s2 := sample(head, m)
	cmp := benchmath.AssumeNothing.Compare(s1, s2)
	b := benchmath.AssumeNothing.Summary(s1, 0.95).Center
	h := benchmath.AssumeNothing.Summary(s2, 0.95).Center
	row := Row{Key: k, Metric: m.Name, Base: b, Head: h, P: cmp.P, N1: cmp.N1, N2: cmp.N2, Alpha: cmp.Alpha}
	if b != 0 {
		row.DeltaPct = (h - b) / b * 100
	}
	row.Significant = cmp.P < cmp.Alpha
	row.BaseSpread = spreadPct(base, m)
	row.HeadSpread = spreadPct(head, m)
	sum1, sum2 := benchmath.AssumeNothing.Summary(s1, 0.95), benchmath.AssumeNothing.Summary(s2, 0.95)
	for _, w := range append(append(append(s1.Warnings, s2.Warnings...), cmp.Warnings...), append(sum1.Warnings, sum2.Warnings...)...) {
		row.Warnings = append(row.Warnings, w.Error())
	}
	return row
}

// spreadPct is the cell's spread of m over its repetitions, as a share of
// the median (results.Spread.Pct): a 95% interval with 6 or more, else
// min to max.
func spreadPct(c *results.CellResult, m Metric) float64 {
	return c.Spread(m.Value).Pct()
}

// answers recommends on each side's pooled cells and pairs the answers by
// workload; answers that differ only among cells tied within noise are
// tied, not changed.
func answers(base, head *Side) []Answer {
	b, h := recommend.For(base.Results()), recommend.For(head.Results())
	var out []Answer
	for _, hr := range h {
		for _, br := range b {
			if br.Workload != hr.Workload {
				continue
			}
			differs := br.Strategy != hr.Strategy || br.Unbounded != hr.Unbounded ||
				hr.Limit < br.Limit || hr.Limit > max(br.Limit, br.LimitMax)
			bCell, hCell := cellLabel(Key{Strategy: br.Strategy, Limit: br.Limit}), cellLabel(Key{Strategy: hr.Strategy, Limit: hr.Limit})
			tied := differs && slices.Contains(br.Tied, hCell) && slices.Contains(hr.Tied, bCell)
			out = append(out, Answer{Workload: hr.Workload, Base: recommend.What(br), Head: recommend.What(hr), Differs: differs && !tied, Tied: tied})
		}
	}
	return out
}

func sample(c *results.CellResult, m Metric) *benchmath.Sample {
	vs := make([]float64, len(c.Repetitions))
	for i, r := range c.Repetitions {
		vs[i] = m.Value(r)
	}
	return benchmath.NewSample(vs, &benchmath.DefaultThresholds)
}

// planWarnings notes what makes the two sides measure different things or
// on different machines.
func planWarnings(base, head *Side) []string {
	var out []string
	bw, hw := base.workloads(), head.workloads()
	names := slices.Sorted(maps.Keys(bw))
	for _, name := range names {
		h, ok := hw[name]
		if !ok {
			continue
		}
		b := bw[name]
		if b.Tasks != h.Tasks {
			out = append(out, fmt.Sprintf("workload %s: %d tasks in base, %d in head", name, b.Tasks, h.Tasks))
		}
		var diffs []string
		for _, p := range slices.Sorted(maps.Keys(b.Params)) {
			if hv := h.Params[p]; hv != b.Params[p] {
				diffs = append(diffs, fmt.Sprintf("%s=%s vs %s", p, b.Params[p], hv))
			}
		}
		if len(diffs) > 0 {
			sort.Strings(diffs)
			out = append(out, fmt.Sprintf("workload %s: parameters differ (%s): base and head ran different work", name, strings.Join(diffs, ", ")))
		}
	}
	if bs, hs := base.Runs[0].Scenario, head.Runs[0].Scenario; bs != nil && hs != nil && bs.SHA256 != hs.SHA256 {
		out = append(out, fmt.Sprintf("base and head ran different scenario files (%s sha256 %.12s, %s sha256 %.12s)", bs.Path, bs.SHA256, hs.Path, hs.SHA256))
	}
	be, he := base.Runs[0].Env, head.Runs[0].Env
	if be.GOMAXPROCS != he.GOMAXPROCS || be.CPUModel != he.CPUModel || be.GOARCH != he.GOARCH {
		out = append(out, fmt.Sprintf("environments differ: base %s GOMAXPROCS %d (%s), head %s GOMAXPROCS %d (%s)",
			be.GOARCH, be.GOMAXPROCS, be.CPUModel, he.GOARCH, he.GOMAXPROCS, he.CPUModel))
	}
	for _, side := range []*Side{base, head} {
		for _, r := range side.Runs {
			if !r.Complete {
				out = append(out, "a run was interrupted (complete: false); its cells hold fewer repetitions")
				return out
			}
		}
	}
	return out
}
