package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/concbench/concbench/harness/results"
)

// SummarySchema names the compact summary's version (WriteSummaryJSON).
const SummarySchema = "concbench/summary/v1"

// Summary is a run in brief, for scripts: each cell's goodput,
// percentiles and errors, the recommendations and the thresholds'
// verdicts, without histograms or repetitions (results.json has them).
type Summary struct {
	Schema          string                   `json:"schema"`
	Results         string                   `json:"results"` // the run folder
	Complete        bool                     `json:"complete"`
	Cells           []SummaryCell            `json:"cells"`
	Recommendations []results.Recommendation `json:"recommendations,omitempty"`
	Thresholds      []results.Verdict        `json:"thresholds,omitempty"`
}

// SummaryCell is one cell's summary as the table shows it: medians over
// its repetitions, and the tasks submitted and failed summed over them.
type SummaryCell struct {
	Workload    string        `json:"workload"`
	Strategy    string        `json:"strategy"`
	Limit       int           `json:"limit,omitempty"`
	Repetitions int           `json:"repetitions"`
	Goodput     float64       `json:"goodput_per_s"`
	P50         time.Duration `json:"response_p50_ns"`
	P90         time.Duration `json:"response_p90_ns"`
	P99         time.Duration `json:"response_p99_ns"`
	Max         time.Duration `json:"response_max_ns"`
	Submitted   int           `json:"submitted"`
	Completed   int           `json:"completed"`
	// ResponseTotal is the completed tasks' response times summed, for a
	// summary's sum (each repetition's mean times its count).
	ResponseTotal  time.Duration  `json:"response_total_ns"`
	Errors         int            `json:"errors"`
	ErrorKinds     map[string]int `json:"errors_by_kind,omitempty"`
	NotStarted     int            `json:"not_started,omitempty"`
	Efficiency     float64        `json:"efficiency,omitempty"`
	PeakMemory     uint64         `json:"peak_memory_bytes"`
	PeakGoroutines int            `json:"peak_goroutines"`
	Leaked         int            `json:"leaked_goroutines,omitempty"`
	TargetRate     float64        `json:"target_rate_per_s,omitempty"`
	Late           int            `json:"late,omitempty"`
	Dropped        int            `json:"dropped,omitempty"`
	Failed         string         `json:"failed,omitempty"` // an isolated cell's process died or hung
}

// Name is the cell's name, as results.CellResult.Name gives it.
func (c SummaryCell) Name() string {
	return results.CellResult{Workload: c.Workload, Strategy: c.Strategy, Limit: c.Limit}.Name()
}

// NewSummary summarises res, saved in dir.
func NewSummary(res *results.Results, dir string) Summary {
	s := Summary{Schema: SummarySchema, Results: dir, Complete: res.Complete, Cells: []SummaryCell{},
		Recommendations: res.Recommendations, Thresholds: res.Thresholds}
	for _, c := range res.Cells {
		m := c.Summary
		var total time.Duration
		for _, r := range c.Repetitions {
			total += r.Response.Mean * time.Duration(r.Completed)
		}
		s.Cells = append(s.Cells, SummaryCell{
			Workload: c.Workload, Strategy: c.Strategy, Limit: c.Limit, Repetitions: len(c.Repetitions),
			Goodput: m.Throughput, P50: m.Response.P50, P90: m.Response.P90, P99: m.Response.P99, Max: m.Response.Max,
			Submitted: c.Total(func(r results.Repetition) int { return r.Submitted }), Completed: c.Total(func(r results.Repetition) int { return r.Completed }),
			ResponseTotal: total, Errors: m.ErrorCount(), ErrorKinds: m.Errors, NotStarted: m.NotStarted,
			Efficiency: m.Efficiency, PeakMemory: m.PeakMemory, PeakGoroutines: m.PeakGoroutines, Leaked: m.Leaked,
			TargetRate: m.TargetRate, Late: m.Late, Dropped: m.Dropped, Failed: c.Failed,
		})
	}
	return s
}

// WriteSummaryJSON writes res's summary (NewSummary) as indented JSON.
func WriteSummaryJSON(w io.Writer, res *results.Results, dir string) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewSummary(res, dir))
}
