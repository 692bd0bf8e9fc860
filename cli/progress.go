package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/concbench/concbench/harness"
	"golang.org/x/term"
)

// progress draws one self-overwriting line on a terminal, redrawn every
// second so that elapsed time and the ETA move while a long cell or an
// attack runs; it is silent when the output is not a terminal or CI is
// set.
type progress struct {
	w    io.Writer
	on   bool
	mu   sync.Mutex
	line func() string // what to draw now; nil: nothing
	stop chan struct{}
	done sync.WaitGroup
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, on: ok && term.IsTerminal(int(f.Fd())) && os.Getenv("CI") == ""}
}

// set draws line now and again every second until the next set or clear.
func (p *progress) set(line func() string) {
	if !p.on {
		return
	}
	p.mu.Lock()
	p.line = line
	if p.stop == nil {
		p.stop = make(chan struct{})
		p.done.Add(1)
		go p.tick(p.stop)
	}
	p.drawLocked()
	p.mu.Unlock()
}

func (p *progress) tick(stop chan struct{}) {
	defer p.done.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.drawLocked()
			p.mu.Unlock()
		}
	}
}

func (p *progress) drawLocked() {
	if p.line != nil {
		fmt.Fprint(p.w, "\r\033[K"+p.line())
	}
}

// show is a run's progress: the cell, the repetition, the time elapsed
// and, once a cell has ended, an estimate of the time left.
func (p *progress) show(s harness.Progress) {
	started := time.Now().Add(-s.Elapsed)
	p.set(func() string {
		elapsed := time.Since(started)
		where := fmt.Sprintf("[%d/%d] %s", s.Cell, s.Cells, s.Name)
		switch {
		case s.Isolated:
			where += "  (in a child process)"
		case s.Warmup:
			where += fmt.Sprintf("  warm-up %d/%d", s.Rep, s.Reps)
		default:
			where += fmt.Sprintf("  rep %d/%d", s.Rep, s.Reps)
		}
		where += "  " + elapsed.Round(time.Second).String()
		if done := float64(s.Cell-1) + float64(max(s.Rep-1, 0))/float64(max(s.Reps, 1)); done > 0 {
			left := time.Duration(float64(s.Elapsed) * (float64(s.Cells) - done) / done)
			where += fmt.Sprintf("  ETA %s", (left - (elapsed - s.Elapsed)).Round(time.Second).String())
		}
		return where
	})
}

// note shows a fixed progress message, with the time since it was set.
func (p *progress) note(format string, args ...any) {
	msg, since := fmt.Sprintf(format, args...), time.Now()
	p.set(func() string { return msg + "  " + time.Since(since).Round(time.Second).String() })
}

// clear stops redrawing and erases the line.
func (p *progress) clear() {
	if !p.on {
		return
	}
	p.mu.Lock()
	stop := p.stop
	p.stop, p.line = nil, nil
	p.mu.Unlock()
	if stop != nil {
		close(stop)
		p.done.Wait()
	}
	fmt.Fprint(p.w, "\r\033[K")
}
