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
// attack runs. Off a terminal (a CI log, a pod's), or when CI is set, it
// prints the line as a plain one every 10 s instead, so that long work
// shows life and short work prints nothing.
type progress struct {
	w     io.Writer
	on    bool          // on a terminal: redrawn in place
	lines bool          // off one: a plain line every linesEvery
	every time.Duration // how often to draw; 0: a second, or linesEvery
	mu    sync.Mutex
	line  func() string // what to draw now; nil: nothing
	stop  chan struct{}
	done  sync.WaitGroup
}

// linesEvery is how often progress prints a plain line off a terminal.
const linesEvery = 10 * time.Second

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	tty := ok && term.IsTerminal(int(f.Fd())) && os.Getenv("CI") == ""
	return &progress{w: w, on: tty, lines: !tty}
}

// set draws line now and again every second until the next set or clear;
// off a terminal, it prints it every 10 s from the first set.
func (p *progress) set(line func() string) {
	if !p.on && !p.lines {
		return
	}
	p.mu.Lock()
	p.line = line
	if p.stop == nil {
		p.stop = make(chan struct{})
		p.done.Add(1)
		go p.tick(p.stop)
	}
	if p.on {
		p.drawLocked()
	}
	p.mu.Unlock()
}

func (p *progress) tick(stop chan struct{}) {
	defer p.done.Done()
	every := p.every
	switch {
	case every > 0:
	case p.on:
		every = time.Second
	default:
		every = linesEvery
	}
	t := time.NewTicker(every)
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
	switch {
	case p.line == nil:
	case p.on:
		fmt.Fprint(p.w, "\r\033[K"+p.line())
	default:
		fmt.Fprintln(p.w, "progress: "+p.line())
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

// clear stops redrawing and erases the line (on a terminal).
func (p *progress) clear() {
	p.mu.Lock()
	stop := p.stop
	p.stop, p.line = nil, nil
	p.mu.Unlock()
	if stop != nil {
		close(stop)
		p.done.Wait()
	}
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
