package results

import "time"

// DepthReport is what a depth search (bench depth) found for one way of
// recursing: the deepest chain that ran clean, and the shallowest that
// did not, with why.
type DepthReport struct {
	Call    string `json:"call"`    // direct, spawn or trampoline
	Deepest int    `json:"deepest"` // the deepest depth that ran clean; 0: none
	// Failed is the shallowest depth that did not (0: every depth up to
	// the search's maximum ran clean), and Why says how it ended.
	Failed int          `json:"failed,omitempty"`
	Why    string       `json:"why,omitempty"`
	Probes []DepthProbe `json:"probes"`
}

// DepthProbe is one depth tried, in the order tried.
type DepthProbe struct {
	Depth      int           `json:"depth"`
	OK         bool          `json:"ok"`
	Why        string        `json:"why,omitempty"` // how it failed
	Wall       time.Duration `json:"wall_ns,omitempty"`
	PeakMemory uint64        `json:"peak_memory_bytes,omitempty"`
}
