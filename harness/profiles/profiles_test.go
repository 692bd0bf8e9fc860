package profiles

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/input"
	"github.com/google/pprof/profile"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// burn hashes for d: CPU work a profile sees.
func burn(d time.Duration) {
	buf := make([]byte, 4096)
	for end := time.Now().Add(d); time.Now().Before(end); {
		s := sha256.Sum256(buf)
		copy(buf, s[:])
	}
}

// contend has goroutines fight over one mutex for a while.
func contend() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				mu.Lock()
				time.Sleep(20 * time.Microsecond)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// TestSessionWritesEveryKind profiles two "repetitions" of CPU work,
// allocations and lock contention: every kind's file is written, each
// pprof file parses, the trace is kept, and the CPU summary names the
// burning function.
func TestSessionWritesEveryKind(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "profiles")
	s := Start(Kinds, dir, "io pool 8")
	for range 2 {
		s.Begin()
		start := time.Now()
		burn(150 * time.Millisecond)
		contend()
		s.Repetition(time.Since(start))
	}
	got, err := s.Stop()
	if err != nil {
		t.Fatal(err)
	}
	files, top := got.Files, got.Top
	if got.Trace == nil || got.Trace.Blocked["sync"] == 0 || got.Trace.Blocked["sleep"] == 0 {
		t.Errorf("trace summary %+v: the contended mutex and the sleeps in it must show as sync and sleep", got.Trace)
	}
	if len(files) != len(Kinds) {
		t.Fatalf("files %v, want one a kind", files)
	}
	for kind, rel := range files {
		data, err := os.ReadFile(filepath.Join(filepath.Dir(dir), rel))
		if err != nil || len(data) == 0 {
			t.Fatalf("%s: %v (%d bytes)", kind, err, len(data))
		}
		if !strings.HasPrefix(rel, "profiles/io-pool-8.") {
			t.Errorf("%s is at %s, want under profiles/ named after the cell", kind, rel)
		}
		if kind == "trace" {
			continue
		}
		if _, err := profile.Parse(bytes.NewReader(data)); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
	if len(top) == 0 || len(top) > TopFunctions || !strings.Contains(top[0].Name+top[1].Name+top[2].Name, "sha256") {
		t.Errorf("CPU top %v: want at most %d functions, sha256's among the first", top, TopFunctions)
	}
}

func TestValidate(t *testing.T) {
	if err := Validate("profile", []string{"cpu", "trace"}); err != nil {
		t.Error(err)
	}
	for _, bad := range [][]string{{"cpuu"}, {"cpu", "cpu"}, {""}} {
		var in *input.Error
		if err := Validate("profile", bad); !errors.As(err, &in) || in.Field != "profile" {
			t.Errorf("Validate(%q) = %v, want an input.Error on profile", bad, err)
		}
	}
}

// TestTop ranks a synthetic profile: flat on the leaf, cumulative along
// the stack, shares of the total.
func TestTop(t *testing.T) {
	fn := func(id uint64, name string) *profile.Function { return &profile.Function{ID: id, Name: name} }
	main, work, hash := fn(1, "main"), fn(2, "work"), fn(3, "hash")
	loc := func(id uint64, f *profile.Function) *profile.Location {
		return &profile.Location{ID: id, Line: []profile.Line{{Function: f}}}
	}
	lm, lw, lh := loc(1, main), loc(2, work), loc(3, hash)
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		Sample: []*profile.Sample{
			{Location: []*profile.Location{lh, lw, lm}, Value: []int64{3, 300}},
			{Location: []*profile.Location{lw, lm}, Value: []int64{1, 100}},
		},
		Function: []*profile.Function{main, work, hash}, Location: []*profile.Location{lm, lw, lh},
	}
	top := Top(p, 2)
	if len(top) != 2 || top[0].Name != "hash" || top[0].Flat != 0.75 || top[0].Cum != 0.75 || top[1].Name != "work" || top[1].Flat != 0.25 || top[1].Cum != 1 {
		t.Errorf("Top = %+v, want hash 75%%/75%%, then work 25%%/100%%", top)
	}
}
