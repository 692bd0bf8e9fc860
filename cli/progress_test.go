package cli

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the progress ticker.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestProgressRedrawsEverySecond checks that the line moves on its own
// while nothing reports, and that clear erases it and stops.
func TestProgressRedrawsEverySecond(t *testing.T) {
	var out syncBuffer
	p := &progress{w: &out, on: true}
	p.note("attack http 100/s (1/1)")
	time.Sleep(2300 * time.Millisecond)
	p.clear()
	lines := strings.Split(out.String(), "\r\033[K")
	var drawn []string
	for _, l := range lines {
		if l != "" {
			drawn = append(drawn, l)
		}
	}
	if len(drawn) < 3 || drawn[0] == drawn[len(drawn)-1] || !strings.HasSuffix(drawn[len(drawn)-1], "2s") {
		t.Errorf("drawn %q: want the line at 0s, 1s, 2s", drawn)
	}
	after := out.String()
	time.Sleep(1100 * time.Millisecond)
	if out.String() != after || !strings.HasSuffix(after, "\r\033[K") {
		t.Error("the line was drawn after clear, or not erased")
	}
}

// TestProgressOffATerminalPrintsLines checks that off a terminal the
// line is printed plain, once an interval, and never erased: a short run
// prints nothing.
func TestProgressOffATerminalPrintsLines(t *testing.T) {
	var out syncBuffer
	p := &progress{w: &out, lines: true, every: 200 * time.Millisecond}
	p.note("[2/4] io pool 8")
	if out.String() != "" {
		t.Errorf("printed %q at once: a run shorter than the interval prints nothing", out.String())
	}
	time.Sleep(500 * time.Millisecond)
	p.clear()
	got := out.String()
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "progress: [2/4] io pool 8  ") || strings.Contains(got, "\033") {
		t.Errorf("printed %q: want plain progress lines, one an interval", got)
	}
	time.Sleep(300 * time.Millisecond)
	if out.String() != got {
		t.Error("a line was printed after clear")
	}
}
