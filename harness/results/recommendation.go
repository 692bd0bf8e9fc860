package results

// Recommendation is the answer for one workload: the strategy and limit to
// use, why, and the evidence, chosen by the rule in docs/recommendations.md
// (package recommend) from the cells within the error budget and the SLO.
type Recommendation struct {
	Workload string `json:"workload"`
	// Strategy is empty when no cell qualified; Reason then says why.
	Strategy string `json:"strategy,omitempty"`
	// Limit is the smallest limit of Strategy whose goodput reaches 95% of
	// the best; LimitMax, when above Limit, the largest tried that stays
	// within noise of the best. 0 for a strategy without a limit.
	Limit    int `json:"limit,omitempty"`
	LimitMax int `json:"limit_max,omitempty"`
	// Unbounded is set when the strategy bounds no task (unbounded, or
	// offload, whose limit bounds only its executors): its memory is then
	// the cost to read.
	Unbounded bool `json:"unbounded,omitempty"`
	// Reason is one sentence: why this cell, against what.
	Reason string `json:"reason"`
	// WaitsFor is what the work waits for, measured: "cpu", "timers or
	// network", "blocking calls" or "cpu and waiting".
	WaitsFor string `json:"waits_for,omitempty"`
	// CPUShare is CPU time per task over service time per task in the
	// least contended cell: near 1 for CPU-bound work, near 0 for waits.
	CPUShare float64 `json:"cpu_share"`
	// Tied are the other cells whose goodput is within noise of the best
	// ("pool 8", "semaphore 8").
	Tied     []string  `json:"tied,omitempty"`
	Evidence *Evidence `json:"evidence,omitempty"`
	// TryLimits are the limits to try next when the ones tried leave the
	// answer open (the best is the largest tried, or the smallest).
	TryLimits []int `json:"try_limits,omitempty"`
	// Failed are the cells left out, each with why ("pool 64: 65% failed").
	Failed []string `json:"failed,omitempty"`
}

// Evidence is what the recommended cell measured, and what it beat.
type Evidence struct {
	Cell           string  `json:"cell"`
	Goodput        Spread  `json:"goodput_per_s"`
	BestGoodput    float64 `json:"best_goodput_per_s"`
	ResponseP99    Spread  `json:"response_p99_ns"`
	PeakMemory     uint64  `json:"peak_memory_bytes"`
	PeakGoroutines int     `json:"peak_goroutines"`
	FailedFraction float64 `json:"failed_fraction"`
	// Beat are the other qualifying cells, best first: the ratio of the
	// recommended cell's goodput and p99 to theirs.
	Beat []Margin `json:"beat,omitempty"`
}

// Margin compares the recommended cell with another: Goodput is its
// goodput over theirs (above 1: faster), P99 its p99 over theirs (below 1:
// lower tail).
type Margin struct {
	Cell    string  `json:"cell"`
	Goodput float64 `json:"goodput_ratio"`
	P99     float64 `json:"p99_ratio"`
}
