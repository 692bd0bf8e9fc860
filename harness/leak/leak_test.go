package leak

import (
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// parked blocks until release closes: a goroutine left running.
func parked(release chan struct{}) { <-release }

// otherParked is a second kind of goroutine left running.
func otherParked(release chan struct{}) { <-release }

func TestSinceFindsTheGoroutinesLeftRunning(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := Take()
	for range 3 {
		go parked(release)
	}
	go otherParked(release)
	kinds := s.Since(20 * time.Millisecond)
	if len(kinds) != 2 || Count(kinds) != 4 {
		t.Fatalf("found %d kinds, %d goroutines, want 2 kinds of 4: %+v", len(kinds), Count(kinds), kinds)
	}
	if kinds[0].Count != 3 || !strings.Contains(kinds[0].Stack, "leak.parked(") || !strings.HasPrefix(kinds[0].Stack, "goroutine ") {
		t.Errorf("first kind: %d of\n%s\nwant the 3 parked, with the runtime's stack", kinds[0].Count, kinds[0].Stack)
	}
	if !strings.Contains(kinds[1].Stack, "otherParked") {
		t.Errorf("second kind:\n%s\nwant otherParked", kinds[1].Stack)
	}
}

func TestSinceWaitsForGoroutinesOnTheirWayOut(t *testing.T) {
	s := Take()
	for range 10 {
		go func() { time.Sleep(5 * time.Millisecond) }()
	}
	if kinds := s.Since(2 * time.Second); len(kinds) != 0 {
		t.Errorf("found %+v: goroutines that end within the settle are not left running", kinds)
	}
}

func TestSinceIsQuickWhenNothingIsLeft(t *testing.T) {
	s := Take()
	start := time.Now()
	if kinds := s.Since(time.Second); len(kinds) != 0 {
		t.Fatalf("found %+v with nothing started", kinds)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("took %v with nothing left: it should not wait out its settle", d)
	}
}

func TestSinceLeavesOutTheIgnored(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := Take()
	go parked(release)
	go otherParked(release)
	kinds := s.Since(10*time.Millisecond, "github.com/concbench/concbench/harness/leak.otherParked")
	if Count(kinds) != 1 || !strings.Contains(kinds[0].Stack, "leak.parked(") {
		t.Errorf("found %+v, want only parked", kinds)
	}
}

func TestParse(t *testing.T) {
	dump := "goroutine 1 [running]:\nmain.main()\n\t/x/main.go:5 +0x1d\n\n" +
		"goroutine 7 [chan receive, 2 minutes]:\nmain.(*T).wait(0xc000010000, {0x1, 0x2})\n\t/x/t.go:9 +0x25\ncreated by main.start in goroutine 1\n\t/x/t.go:3 +0x4f\n\n" +
		"not a goroutine\n\n" +
		"goroutine x [bad id]:\nmain.f()\n"
	gs := parse([]byte(dump))
	if len(gs) != 2 {
		t.Fatalf("parsed %d goroutines, want 2 (the others are not records): %+v", len(gs), gs)
	}
	if gs[1].id != 7 || strings.Join(gs[1].funcs, "|") != "main.(*T).wait|created by main.start" {
		t.Errorf("goroutine 7: id %d, funcs %q", gs[1].id, gs[1].funcs)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("goroutine 7 [chan receive]:\nmain.f(0x1)\n\t/x.go:1\ncreated by main.g in goroutine 1\n\t/x.go:2\n"))
	f.Add([]byte("goroutine \n\n\n(("))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, g := range parse(b) {
			if !strings.HasPrefix(g.stack, "goroutine ") {
				t.Errorf("record %q does not start with its header", g.stack)
			}
		}
	})
}
