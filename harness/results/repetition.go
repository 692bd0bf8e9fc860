package results

import (
	"time"
)

// Repetition is one measured execution of a cell: sub-records, each
// owning how its figures combine over a cell's repetitions (Combine) and
// merge over the shards of an attack (MergeShards). A scalar metric states
// both rules in its `rule` tag (see rules.go), so a new metric is one
// field in one sub-record. In JSON the sub-records' fields sit side by
// side, as one record.
type Repetition struct {
	Core
	OpenLoop
	Runtime
	// Classes are the response times of each class of task, when the
	// workload mixes classes (hog's victims and hogs).
	Classes Classes `json:"classes,omitempty"`
	// Counters are what the strategy and the workload counted, by name:
	// a queue's "queue-peak", "rejected" and "dropped"; retry's
	// "requests", "amplification" and "attempts-max"; an adaptive limit's
	// "limit-final" and "cuts".
	Counters Counters `json:"counters,omitempty"`
}

// Core is what every repetition measures: time, outcomes and latency.
type Core struct {
	Wall       time.Duration `json:"wall_ns" rule:"median,max"`
	Ideal      time.Duration `json:"ideal_ns" rule:"median,max"`    // the least wall time the strategy's capacity allows
	Efficiency float64       `json:"efficiency" rule:"median,none"` // ideal / wall: 1 is perfect
	Submitted  int           `json:"submitted" rule:"median,sum"`   // root tasks handed to the strategy
	Completed  int           `json:"completed" rule:"median,sum"`   // root tasks that ran to the end, with or without error
	// Cancelled counts root tasks that never started or ended with their
	// context cancelled: what a group cancelled on a first error (errgroup)
	// or an interruption stopped.
	Cancelled int `json:"cancelled,omitempty" rule:"median,sum"`
	// NotStarted counts root tasks that never started: a group deadline
	// passed, a group cancelled on an error, a queue rejected or dropped
	// them, or the run was interrupted.
	NotStarted   int            `json:"not_started,omitempty" rule:"median,sum"`
	Errors       map[string]int `json:"errors,omitempty"`                   // by kind; summed over repetitions and shards
	Throughput   float64        `json:"throughput_per_s" rule:"median,sum"` // goodput: successful tasks per second of wall time
	Response     Quantiles      `json:"response"`                           // end - intended start
	ResponseOK   Quantiles      `json:"response_ok"`                        // the same, of successful tasks alone
	Wait         Quantiles      `json:"wait"`                               // start - intended start
	Service      Quantiles      `json:"service"`                            // end - start
	PeakInFlight int            `json:"peak_in_flight" rule:"median,sum"`
	// Histograms are the repetition's response, wait and service times as
	// HdrHistograms, from which every quantile above comes; a cell's
	// summary merges its repetitions'. OutOfRange counts values outside
	// the histograms' range (1 ns to 1 h): counted, not recorded.
	Histograms *Histograms `json:"histograms,omitempty"`
	OutOfRange int64       `json:"out_of_range,omitempty" rule:"sum,sum"`
	// PanicStacks keeps the stacks of the first few panicking tasks.
	PanicStacks []string `json:"panic_stacks,omitempty"`
	// Interrupted marks a repetition cut short by an interruption: it
	// holds the tasks that completed, and the cell's summary leaves it out
	// when another repetition completed.
	Interrupted bool `json:"interrupted,omitempty"`
	// Warmup marks a warm-up repetition, kept only when an interruption
	// cut it short before any measured repetition: all there is of the
	// cell, read with care (a cold process).
	Warmup bool `json:"warmup,omitempty"`
}

// OpenLoop is what an open-loop attack measures besides the core.
type OpenLoop struct {
	// TargetRate is the rate asked for; Late counts the requests sent
	// after their intended time by more than the attack's allowance;
	// Dropped those due before the attack stopped but never sent (the
	// generator fell behind); NotSent those due after an interruption
	// stopped it.
	TargetRate float64 `json:"target_rate_per_s,omitempty" rule:"median,sum"`
	Late       int     `json:"late,omitempty" rule:"median,sum"`
	Dropped    int     `json:"dropped,omitempty" rule:"median,sum"`
	NotSent    int     `json:"not_sent,omitempty" rule:"median,sum"`
	// Intervals are the attack's seconds, in order: what completed in
	// each, for the percentiles-over-time chart.
	Intervals []Interval `json:"intervals,omitempty"`
	// Stages are a staged attack's stages, in order: what each asked for
	// and what completed in it.
	Stages []StageResult `json:"stages,omitempty"`
	// Began is when an attack began, by its generator's wall clock:
	// shards of one attack line up by it.
	Began time.Time `json:"began,omitzero"`
	// LatenessLimit is the p99 lateness (Core.Wait) past which the
	// attack's latencies include its generator's own delay: the
	// machine's timer resolution plus GeneratorLateness. CPUShare is the
	// CPU time the generator's process used over the attack, as a share
	// of its wall time on every core (an embedded target's included).
	// See GeneratorCheck.
	LatenessLimit time.Duration `json:"lateness_limit_ns,omitempty" rule:"max,max"`
	CPUShare      float64       `json:"cpu_share,omitempty" rule:"max,max"`
}

// Runtime is what the runtime probe saw during one repetition. Peaks are
// measured above what the process held when the repetition began, so that
// they measure the cell, not the harness or the cells before it.
type Runtime struct {
	PeakGoroutines int    `json:"peak_goroutines" rule:"median,sum"`   // goroutines above those running before the repetition
	PeakHeap       uint64 `json:"peak_heap_bytes" rule:"median,sum"`   // largest heap (objects, live and unswept) seen
	PeakStacks     uint64 `json:"peak_stack_bytes" rule:"median,sum"`  // largest goroutine stack memory seen (/memory/classes/heap/stacks)
	PeakMemory     uint64 `json:"peak_memory_bytes" rule:"median,sum"` // largest heap objects + stacks seen at once: what the cell held
	// PeakBlocked is the most goroutines seen at once in a system call or
	// cgo (/sched/goroutines/not-in-go), each holding an OS thread: what
	// blocking calls cost beyond their time.
	PeakBlocked  int           `json:"peak_blocked,omitempty" rule:"median,sum"`
	GCCycles     uint64        `json:"gc_cycles" rule:"median,sum"`            // GC cycles completed
	SchedLatency time.Duration `json:"sched_latency_p99_ns" rule:"median,max"` // p99 time goroutines waited runnable (/sched/latencies:seconds)
	Stall        time.Duration `json:"stall_max_ns" rule:"median,max"`         // the most a 1 ms ticker fired late: the Go analogue of event-loop delay
	UserCPU      time.Duration `json:"user_cpu_ns" rule:"median,sum"`          // process user CPU time
	SystemCPU    time.Duration `json:"system_cpu_ns" rule:"median,sum"`        // process system CPU time
	// Leaked counts the goroutines started during the repetition and
	// still running once its tasks had all ended and a short settle had
	// passed: what the workload (or a strategy) left behind. Leaks keeps
	// one stack of each kind, most first (a cell's summary keeps the first
	// leaking repetition's).
	Leaked int    `json:"leaked_goroutines,omitempty" rule:"max,sum"`
	Leaks  []Leak `json:"leaks,omitempty"`
}

// Leak is one kind of goroutine left running: how many, and one's stack
// as the runtime prints it.
type Leak struct {
	Count int    `json:"count"`
	Stack string `json:"stack"`
}

// Classes are response times by class of task.
type Classes map[string]Quantiles

// Counters are what a strategy or workload counted, by name.
type Counters map[string]float64
