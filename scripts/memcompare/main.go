// Command memcompare prints each cell's peak memory (heap and stacks, the
// median over its repetitions) in two runs of the same cells, and their
// ratio: scripts/mem-reps.sh's reader. It exits 1 when a cell differs by
// more than 10% and more than the floor (-floor, 64 KiB: the runtime's own
// caches, as dead goroutines' stacks kept for reuse, move small cells by
// that much).
package main

import (
	"flag"
	"fmt"
	"math"
	"os"

	"github.com/concbench/concbench/harness/results"
)

func main() {
	floor := flag.Uint64("floor", 64<<10, "differences below this many bytes pass whatever their ratio")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: memcompare [-floor BYTES] A/results.json B/results.json")
		os.Exit(2)
	}
	a, err := results.Read(flag.Arg(0))
	if err == nil {
		var b *results.Results
		if b, err = results.Read(flag.Arg(1)); err == nil {
			os.Exit(compare(a, b, *floor))
		}
	}
	fmt.Fprintln(os.Stderr, "memcompare:", err)
	os.Exit(2)
}

func compare(a, b *results.Results, floor uint64) int {
	peaks := map[string]uint64{}
	for _, c := range b.Cells {
		peaks[c.Name()] = c.Summary.PeakMemory
	}
	code, within, n := 0, 0, 0
	for _, c := range a.Cells {
		pb, ok := peaks[c.Name()]
		if !ok {
			continue
		}
		pa := c.Summary.PeakMemory
		n++
		ratio := float64(pb) / math.Max(float64(pa), 1)
		diff := max(pa, pb) - min(pa, pb)
		verdict := "ok"
		switch {
		case math.Abs(ratio-1) <= 0.10:
			within++
		case diff < floor:
			verdict = "ok (under the floor)"
		default:
			verdict, code = "DIFFERS", 1
		}
		fmt.Printf("%-28s %10d %10d  %.2fx  %s\n", c.Name(), pa, pb, ratio, verdict)
	}
	fmt.Printf("%d of %d cells within 10%%\n", within, n)
	return code
}
