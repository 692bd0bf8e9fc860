// Package profiles records what a cell's measured repetitions did, for
// the question the table cannot answer: why a strategy is slow. It
// writes pprof profiles (cpu; heap: the allocations made; mutex; block)
// of a cell's measured repetitions, and an execution trace from
// runtime/trace's flight recorder, kept for the slowest repetition; and
// it reads the CPU profile's top functions with github.com/google/pprof's
// profile package. Profiling costs time: a profiled cell's figures
// include it.
package profiles

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
	"github.com/google/pprof/profile"
)

// Kinds are the profiles a cell can record, as -profile names them.
var Kinds = []string{"cpu", "heap", "mutex", "block", "trace"}

// Validate refuses a kind not in Kinds, or one given twice, as an
// *input.Error on field.
func Validate(field string, kinds []string) error {
	for i, k := range kinds {
		if !slices.Contains(Kinds, k) {
			return input.Errorf(field, "%q: want some of %s", k, strings.Join(Kinds, ", "))
		}
		if slices.Contains(kinds[:i], k) {
			return input.Errorf(field, "%q is given twice", k)
		}
	}
	return nil
}

// TopFunctions is how many functions a cell's CPU summary keeps.
const TopFunctions = 10

// blockRate and mutexFraction are the samplers' settings while a cell
// is profiled: a blocking event every 10 µs blocked on average, one mutex
// contention in 5.
const (
	blockRate     = 10_000
	mutexFraction = 5
)

// Session profiles one cell's measured repetitions. Start it before the
// first, call Repetition after each, and Stop after the last. Not safe
// for concurrent use: the runtime allows one CPU profile and one flight
// recorder a process.
type Session struct {
	kinds    []string
	dir      string // where the files go
	stem     string // the cell's file name stem
	cpu      bytes.Buffer
	before   map[string]*profile.Profile // cumulative profiles at the start, for deltas
	recorder *trace.FlightRecorder
	slowest  time.Duration
	trace    bytes.Buffer // the recorder's window after the slowest repetition
	oldMutex int
	err      error // the first failure; Stop returns it
}

// Start begins profiling kinds for the cell named name, whose files go
// into dir (made if missing).
func Start(kinds []string, dir, name string) *Session {
	s := &Session{kinds: kinds, dir: dir, stem: Stem(name), before: map[string]*profile.Profile{}}
	if s.has("cpu") {
		if err := pprof.StartCPUProfile(&s.cpu); err != nil {
			s.fail(fmt.Errorf("cpu profile: %w", err))
		}
	}
	if s.has("mutex") {
		s.oldMutex = runtime.SetMutexProfileFraction(mutexFraction)
	}
	if s.has("block") {
		runtime.SetBlockProfileRate(blockRate)
	}
	for _, k := range []string{"heap", "mutex", "block"} {
		if s.has(k) {
			s.before[k] = s.snapshot(k)
		}
	}
	if s.has("trace") {
		s.recorder = trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: 10 * time.Second, MaxBytes: 64 << 20})
		if err := s.recorder.Start(); err != nil {
			s.fail(fmt.Errorf("trace: %w", err))
			s.recorder = nil
		}
	}
	return s
}

// Begin marks the start of a measured repetition in the trace.
func (s *Session) Begin() {
	if s.recorder != nil {
		markRepetition()
	}
}

// Repetition notes a measured repetition's wall time; after the slowest
// so far, it keeps the flight recorder's window, which ends with it.
func (s *Session) Repetition(wall time.Duration) {
	if s.recorder == nil || wall <= s.slowest {
		return
	}
	s.slowest = wall
	s.trace.Reset()
	if _, err := s.recorder.WriteTo(&s.trace); err != nil {
		s.fail(fmt.Errorf("trace: %w", err))
	}
}

// Stopped is what a session recorded: each kind's file, relative to the
// run folder, the CPU profile's top functions by flat time, and the
// trace's waits.
type Stopped struct {
	Files map[string]string
	Top   []results.ProfileFunc
	Trace *results.TraceSummary
}

// Stop ends profiling and writes the files: profiles/<stem>.<kind>.pprof,
// and <stem>.trace (see Stopped).
func (s *Session) Stop() (Stopped, error) {
	files, top, trace := map[string]string{}, []results.ProfileFunc(nil), (*results.TraceSummary)(nil)
	if s.has("cpu") {
		pprof.StopCPUProfile()
		s.write("cpu", ".cpu.pprof", s.cpu.Bytes(), files)
		if p, err := profile.Parse(bytes.NewReader(s.cpu.Bytes())); err == nil {
			top = Top(p, TopFunctions)
		}
	}
	for _, k := range []string{"heap", "mutex", "block"} {
		if !s.has(k) {
			continue
		}
		if delta := s.delta(k); delta != nil {
			var b bytes.Buffer
			if err := delta.Write(&b); err != nil {
				s.fail(err)
			}
			s.write(k, "."+k+".pprof", b.Bytes(), files)
		}
	}
	if s.has("mutex") {
		runtime.SetMutexProfileFraction(s.oldMutex)
	}
	if s.has("block") {
		runtime.SetBlockProfileRate(0)
	}
	if s.recorder != nil {
		s.recorder.Stop()
		s.write("trace", ".trace", s.trace.Bytes(), files)
		trace = s.summarize()
	}
	return Stopped{Files: files, Top: top, Trace: trace}, s.err
}

// Stem is a cell's name as a file name: "io pool 8" is "io-pool-8".
func Stem(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_':
			return r
		}
		return '-'
	}, name)
}

func (s *Session) has(kind string) bool { return slices.Contains(s.kinds, kind) }

func (s *Session) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// lookup names each kind's runtime profile: heap is the allocations
// made (the "allocs" profile, whose counts only grow).
var lookup = map[string]string{"heap": "allocs", "mutex": "mutex", "block": "block"}

// snapshot is the runtime's cumulative profile of kind now.
func (s *Session) snapshot(kind string) *profile.Profile {
	var b bytes.Buffer
	if err := pprof.Lookup(lookup[kind]).WriteTo(&b, 0); err != nil {
		s.fail(err)
		return nil
	}
	p, err := profile.Parse(&b)
	if err != nil {
		s.fail(err)
		return nil
	}
	return p
}

// delta is kind's profile now less the one at Start: what the cell's
// repetitions added, not what the process did before.
func (s *Session) delta(kind string) *profile.Profile {
	before, after := s.before[kind], s.snapshot(kind)
	if before == nil || after == nil {
		return after
	}
	before.Scale(-1)
	p, err := profile.Merge([]*profile.Profile{after, before})
	if err != nil {
		s.fail(fmt.Errorf("%s profile: %w", kind, err))
		return after
	}
	if kind == "heap" {
		p.DefaultSampleType = "alloc_space" // in-use figures do not subtract: read what was allocated
	}
	return p
}

// write writes data as the kind's file, atomically and never over
// another, and notes its path relative to the run folder.
func (s *Session) write(kind, suffix string, data []byte, files map[string]string) {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		s.fail(err)
		return
	}
	name := s.stem + suffix
	if err := rundir.WriteFile(filepath.Join(s.dir, name), data); err != nil {
		s.fail(err)
		return
	}
	files[kind] = filepath.ToSlash(filepath.Join(filepath.Base(s.dir), name))
}

// Top is p's n functions with the most flat samples of its last sample
// type (a CPU profile's nanoseconds), each with its flat and cumulative
// share of the total, most flat first.
func Top(p *profile.Profile, n int) []results.ProfileFunc {
	if len(p.SampleType) == 0 {
		return nil
	}
	vi := len(p.SampleType) - 1
	flat, cum := map[string]int64{}, map[string]int64{}
	var total int64
	for _, smp := range p.Sample {
		v := smp.Value[vi]
		total += v
		seen := map[string]bool{}
		for i, loc := range smp.Location {
			for j, line := range loc.Line {
				if line.Function == nil {
					continue
				}
				name := line.Function.Name
				if i == 0 && j == 0 {
					flat[name] += v
				}
				if !seen[name] {
					seen[name] = true
					cum[name] += v
				}
			}
		}
	}
	if total == 0 {
		return nil
	}
	names := make([]string, 0, len(cum))
	for name := range cum {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(flat[b], flat[a]), cmp.Compare(cum[b], cum[a]), strings.Compare(a, b))
	})
	var out []results.ProfileFunc
	for _, name := range names[:min(n, len(names))] {
		out = append(out, results.ProfileFunc{Name: name, Flat: float64(flat[name]) / float64(total), Cum: float64(cum[name]) / float64(total)})
	}
	return out
}
