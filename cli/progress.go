package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/concbench/concbench/harness"
	"golang.org/x/term"
)

// progress draws one self-overwriting line on a terminal; it is silent when
// the output is not a terminal or CI is set.
type progress struct {
	w  io.Writer
	on bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, on: ok && term.IsTerminal(int(f.Fd())) && os.Getenv("CI") == ""}
}

func (p *progress) show(s harness.Progress) {
	if !p.on {
		return
	}
	phase := "rep"
	if s.Warmup {
		phase = "warm-up"
	}
	fmt.Fprintf(p.w, "\r\033[K[%d/%d] %s  %s %d/%d  %s", s.Cell, s.Cells, s.Name, phase, s.Rep, s.Reps,
		s.Elapsed.Round(time.Second))
}

// note shows a free-form progress message.
func (p *progress) note(format string, args ...any) {
	if p.on {
		fmt.Fprintf(p.w, "\r\033[K"+format, args...)
	}
}

func (p *progress) clear() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
