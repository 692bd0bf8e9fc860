package workloads

import (
	"errors"
	"io"
	"testing"

	"github.com/concbench/concbench/harness/input"
)

// FuzzBuild feeds arbitrary values to every parameter of every family:
// Build must accept or return an InputError, never panic, and an accepted
// workload must make a batch without error (except above the leaf bound).
func FuzzBuild(f *testing.F) {
	for _, s := range []string{"1ms", "0", "-1", "NaN", "1e400s", "chain", "block", "lognormal", "99999999999", "2.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		for _, spec := range All() {
			for _, p := range spec.Params() {
				if p.Name == "target" {
					continue // a URL is probed over the network; TestHTTPRejectsBadTargets covers it
				}
				if p.Name == "cost" || p.Name == "latency" || p.Name == "depth" || p.Name == "fanout" {
					// Keep accepted values cheap to batch: the parse is what is fuzzed.
					if len(value) > 0 && value[0] >= '2' && value[0] <= '9' && len(value) > 3 {
						continue
					}
				}
				w, err := spec.Build(spec.Name, map[string]string{p.Name: value}, 2)
				var in *input.Error
				if err != nil && !errors.As(err, &in) {
					t.Fatalf("%s.%s=%q: error %v is not an InputError", spec.Name, p.Name, value, err)
				}
				if err == nil {
					if _, err := w.Workload.Batch(2, 0); err != nil && spec.Name != "recursive" {
						t.Errorf("%s.%s=%q: Batch: %v", spec.Name, p.Name, value, err)
					}
					if c, ok := w.Workload.(io.Closer); ok {
						c.Close()
					}
				}
			}
		}
	})
}
