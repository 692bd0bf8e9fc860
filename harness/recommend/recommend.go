// Package recommend turns a run's cells into the answer for each workload:
// which strategy, how many at once, and why. The rule is documented in
// docs/recommendations.md; it reads results only, so a recommendation can
// be made again from results.json.
package recommend

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/units"
)

// LimitShare is how close to the best goodput the recommended limit must
// come: the smallest limit reaching it is the one to use.
const LimitShare = 0.95

// NoiseFloor is the least difference that is not noise: two figures
// whose intervals do not overlap but that are within 5% of each other are
// tied all the same. Within one run, the 95% intervals over 6 repetitions
// are narrower than the spread between runs on a shared machine: on 20
// default runs of identical code, cpu's strategies (every one saturating
// both cores) were told apart by intervals alone, differently from run to
// run, in 7 of them.
const NoiseFloor = 0.05

// withinNoise reports whether a and b are within noise of each other: their
// intervals overlap, or their medians are within NoiseFloor.
func withinNoise(a, b results.Spread) bool {
	return a.Overlaps(b) || math.Abs(a.Median-b.Median) <= NoiseFloor*math.Max(math.Abs(a.Median), math.Abs(b.Median))
}

// For returns one recommendation per workload of res, in the order the
// workloads first appear. Only cells within the run's error budget (and
// its SLO, when the plan has one) count; the rest are listed as failed.
func For(res *results.Results) []results.Recommendation {
	var slo results.SLO
	if res.Plan.SLO != "" {
		slo, _ = results.ParseSLO("slo", res.Plan.SLO) // recorded from a parsed SLO
	}
	budget := res.Plan.Budget()
	var order []string
	byWorkload := map[string][]results.CellResult{}
	for _, c := range res.Cells {
		if _, seen := byWorkload[c.Workload]; !seen {
			order = append(order, c.Workload)
		}
		byWorkload[c.Workload] = append(byWorkload[c.Workload], c)
	}
	out := make([]results.Recommendation, 0, len(order))
	for _, w := range order {
		out = append(out, Workload(w, byWorkload[w], budget, slo, max(res.Env.GOMAXPROCS, 1)))
	}
	return out
}

// candidate is a qualifying cell with its spreads.
type candidate struct {
	cell    results.CellResult
	goodput results.Spread
	p99     results.Spread
}

// Workload recommends among the cells of one workload (see For).
func Workload(name string, cells []results.CellResult, budget float64, slo results.SLO, gomaxprocs int) results.Recommendation {
	rec := results.Recommendation{Workload: name}
	var ok []candidate
	for _, c := range cells {
		if why := disqualified(c, budget, slo); why != "" {
			rec.Failed = append(rec.Failed, short(c)+": "+why)
			continue
		}
		ok = append(ok, candidate{c, c.Spread(results.Goodput), c.Spread(results.ResponseP99)})
	}
	rec.WaitsFor, rec.CPUShare = WaitsFor(cells, gomaxprocs)
	if len(ok) == 0 {
		rec.Reason = fmt.Sprintf("no cell qualified: each failed, %s", qualifier(budget, slo))
		return rec
	}
	best := ok[0]
	for _, c := range ok[1:] {
		if c.goodput.Median > best.goodput.Median {
			best = c
		}
	}
	var tied []candidate
	for _, c := range ok {
		if withinNoise(c.goodput, best.goodput) {
			tied = append(tied, c)
		}
	}
	chosen, byMemory := pick(tied)
	rec.Strategy, rec.Unbounded = chosen.cell.Strategy, chosen.cell.Unbounded
	rec.Limit, rec.LimitMax = limits(chosen, ok, tied, best.goodput.Median)
	for _, c := range tied {
		if c.cell.Name() != chosen.cell.Name() {
			rec.Tied = append(rec.Tied, short(c.cell))
		}
	}
	rec.Evidence = evidence(chosen, ok, best.goodput.Median)
	rec.TryLimits = tryLimits(rec, ok, cells)
	rec.Reason = reason(rec, chosen, best, byMemory, budget, slo)
	return rec
}

// disqualified says why a cell cannot be recommended, or "".
func disqualified(c results.CellResult, budget float64, slo results.SLO) string {
	switch {
	case c.Failed != "":
		return "the cell failed (" + firstClause(c.Failed) + ")"
	case len(c.Repetitions) == 0:
		return "nothing measured"
	case c.OverBudget(budget):
		return fmt.Sprintf("%s failed (budget %s)", percent(c.FailedFraction()), percent(budget))
	case c.Summary.Leaked > 0:
		// Its speed is work it left running, not work it did.
		return fmt.Sprintf("left %d goroutines running after its tasks ended", c.Summary.Leaked)
	}
	if len(slo) > 0 {
		if failed := slo.CheckReps(results.Summarized(c.Repetitions)); failed != nil {
			return "misses the SLO: " + strings.Join(failed, ", ")
		}
	}
	return ""
}

// pick chooses among the cells tied on goodput: the lowest p99, and
// among those whose p99 is within noise of it, the least peak memory. It
// reports whether memory decided.
func pick(tied []candidate) (chosen candidate, byMemory bool) {
	low := tied[0]
	for _, c := range tied[1:] {
		if c.p99.Median < low.p99.Median {
			low = c
		}
	}
	chosen = low
	for _, c := range tied {
		if withinNoise(c.p99, low.p99) && c.cell.Summary.PeakMemory < chosen.cell.Summary.PeakMemory {
			chosen = c
		}
	}
	return chosen, chosen.cell.Name() != low.cell.Name()
}

// limits returns the smallest limit of the chosen strategy whose goodput
// reaches LimitShare of the best, and the largest of its limits tied with
// the best when that is higher (else 0).
func limits(chosen candidate, ok, tied []candidate, best float64) (limit, limitMax int) {
	if chosen.cell.Limit == 0 {
		return 0, 0
	}
	limit = chosen.cell.Limit
	for _, c := range ok {
		if c.cell.Strategy == chosen.cell.Strategy && c.cell.Limit > 0 && c.cell.Limit < limit && c.goodput.Median >= LimitShare*best {
			limit = c.cell.Limit
		}
	}
	for _, c := range tied {
		if c.cell.Strategy == chosen.cell.Strategy && c.cell.Limit > max(limit, limitMax) {
			limitMax = c.cell.Limit
		}
	}
	return limit, limitMax
}

// tryLimits suggests the limits to try next when those tried leave the
// answer open: the recommended limit is the smallest tried (a smaller one
// may do as well), or goodput still rises, beyond noise, from the
// strategy's second-largest limit to its largest (a larger one may do
// better).
func tryLimits(rec results.Recommendation, ok []candidate, cells []results.CellResult) []int {
	if rec.Limit == 0 || rec.Unbounded {
		return nil // no limit, or one that bounds no task
	}
	var tried []int
	for _, c := range cells {
		if c.Strategy == rec.Strategy && c.Limit > 0 {
			tried = append(tried, c.Limit)
		}
	}
	slices.Sort(tried)
	var out []int
	if rec.Limit == tried[0] && rec.Limit > 1 {
		for _, l := range []int{rec.Limit / 4, rec.Limit / 2} {
			if l >= 1 && !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	var byLimit []candidate // the strategy's qualifying cells, by limit
	for _, c := range ok {
		if c.cell.Strategy == rec.Strategy && c.cell.Limit > 0 {
			byLimit = append(byLimit, c)
		}
	}
	sort.Slice(byLimit, func(i, j int) bool { return byLimit[i].cell.Limit < byLimit[j].cell.Limit })
	if n := len(byLimit); n > 0 && byLimit[n-1].cell.Limit == tried[len(tried)-1] {
		top := byLimit[n-1]
		rising := n == 1 || top.goodput.Median > byLimit[n-2].goodput.Median && !withinNoise(top.goodput, byLimit[n-2].goodput)
		if rising && max(rec.Limit, rec.LimitMax) == top.cell.Limit {
			out = append(out, 2*top.cell.Limit, 4*top.cell.Limit)
		}
	}
	return out
}

// evidence is what the chosen cell measured and how it compares with the
// other qualifying cells, best goodput first.
func evidence(chosen candidate, ok []candidate, best float64) *results.Evidence {
	s := chosen.cell.Summary
	e := &results.Evidence{Cell: chosen.cell.Name(), Goodput: chosen.goodput, BestGoodput: best, ResponseP99: chosen.p99,
		PeakMemory: s.PeakMemory, PeakGoroutines: s.PeakGoroutines, FailedFraction: chosen.cell.FailedFraction()}
	others := slices.Clone(ok)
	sort.SliceStable(others, func(i, j int) bool { return others[i].goodput.Median > others[j].goodput.Median })
	for _, c := range others {
		if c.cell.Name() == chosen.cell.Name() {
			continue
		}
		e.Beat = append(e.Beat, results.Margin{Cell: c.cell.Name(), Goodput: ratio(chosen.goodput.Median, c.goodput.Median), P99: ratio(chosen.p99.Median, c.p99.Median)})
	}
	return e
}

// WaitsFor says what the work waits for, from the least contended cell
// (the one with the shortest mean service time): its CPU time per task
// over its service time per task, and whether more tasks held OS threads
// in system calls at once than twice GOMAXPROCS (a network call holds one
// only for a moment). It returns the kind and the CPU share.
func WaitsFor(cells []results.CellResult, gomaxprocs int) (string, float64) {
	var quiet *results.Repetition
	blocked := 0
	for i := range cells {
		s := &cells[i].Summary
		blocked = max(blocked, s.PeakBlocked)
		if s.Completed > 0 && s.Service.Mean > 0 && (quiet == nil || s.Service.Mean < quiet.Service.Mean) {
			quiet = s
		}
	}
	if quiet == nil {
		return "", 0
	}
	cpuPerTask := float64(quiet.UserCPU+quiet.SystemCPU) / float64(quiet.Completed)
	share := math.Round(100*min(cpuPerTask/float64(quiet.Service.Mean), 1)) / 100
	switch {
	case share >= 0.7:
		return "cpu", share
	case blocked > 2*gomaxprocs:
		return "blocking calls", share
	case share <= 0.3:
		return "timers or network", share
	}
	return "cpu and waiting", share
}

// reason is the one sentence that says why.
func reason(rec results.Recommendation, chosen, best candidate, byMemory bool, budget float64, slo results.SLO) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", What(rec))
	switch {
	case chosen.cell.Name() == best.cell.Name():
		fmt.Fprintf(&b, "the highest goodput %s", qualifierShort(budget, slo))
	case byMemory:
		fmt.Fprintf(&b, "goodput within noise of the best (%s), p99 within noise of the lowest, and the least memory of those", short(best.cell))
	default:
		fmt.Fprintf(&b, "goodput within noise of the best (%s), and the lowest p99 of those", short(best.cell))
	}
	fmt.Fprintf(&b, " (%s/s, p99 %s", rate(chosen.goodput.Median), duration(chosen.p99.Median))
	if rec.Unbounded {
		fmt.Fprintf(&b, ", at a cost of %d goroutines and %s at peak", chosen.cell.Summary.PeakGoroutines, bytes(chosen.cell.Summary.PeakMemory))
	}
	b.WriteString(")")
	if e := rec.Evidence; e != nil {
		// The strongest contrast: the best cell not tied with it.
		for _, m := range e.Beat {
			if !slices.Contains(rec.Tied, shortName(m.Cell, rec.Workload)) {
				fmt.Fprintf(&b, "; %sx the goodput of %s", times(m.Goodput), shortName(m.Cell, rec.Workload))
				break
			}
		}
	}
	if n := len(rec.Failed); n > 0 {
		fmt.Fprintf(&b, "; %d cell%s left out", n, plural(n))
	}
	if rec.WaitsFor != "" {
		fmt.Fprintf(&b, "; the work waits for %s (CPU %s of service time)", rec.WaitsFor, percent(rec.CPUShare))
	}
	return b.String() + "."
}

// What names the recommendation: "pool at 8", "pool at 8 to 16",
// "unbounded (no bound on tasks)", "offload with 8 executors (no bound on
// tasks)".
func What(rec results.Recommendation) string {
	switch {
	case rec.Strategy == "":
		return "nothing"
	case rec.Unbounded && rec.Limit > 0:
		return fmt.Sprintf("%s at %d (its limit bounds executors, not tasks)", rec.Strategy, rec.Limit)
	case rec.Unbounded:
		return rec.Strategy + " (no bound on tasks)"
	case rec.Limit == 0:
		return rec.Strategy
	case rec.LimitMax > rec.Limit:
		return fmt.Sprintf("%s at %d to %d", rec.Strategy, rec.Limit, rec.LimitMax)
	}
	return fmt.Sprintf("%s at %d", rec.Strategy, rec.Limit)
}

func qualifier(budget float64, slo results.SLO) string {
	if len(slo) > 0 {
		return fmt.Sprintf("went over the %s error budget or missed the SLO %s (see left out)", percent(budget), slo)
	}
	return fmt.Sprintf("or went over the %s error budget (see left out)", percent(budget))
}

func qualifierShort(budget float64, slo results.SLO) string {
	if len(slo) > 0 {
		return "within the SLO " + slo.String()
	}
	return "within the " + percent(budget) + " error budget"
}

// short is a cell's name without its workload: "pool 8".
func short(c results.CellResult) string { return shortName(c.Name(), c.Workload) }

func shortName(cell, workload string) string { return strings.TrimPrefix(cell, workload+" ") }

func firstClause(s string) string {
	if i := strings.IndexAny(s, ":("); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// times formats a ratio: "2.5", "12", "170".
func times(r float64) string {
	if r >= 10 {
		return strconv.FormatFloat(r, 'f', 0, 64)
	}
	return strconv.FormatFloat(r, 'g', 2, 64)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func percent(f float64) string {
	v := 100 * f
	if v != 0 && v < 1 {
		return strconv.FormatFloat(v, 'g', 2, 64) + "%"
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64) + "%"
}

func rate(r float64) string      { return units.Rate(r) }
func duration(ns float64) string { return units.Duration(time.Duration(ns)) }
func bytes(n uint64) string      { return units.Bytes(n) }
