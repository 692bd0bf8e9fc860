package capacity

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxConcurrency and MaxThroughput bound what a CSV may give: beyond them
// the model's sums overflow to infinity, which no result can hold.
const (
	MaxConcurrency = 1e9
	MaxThroughput  = 1e12
)

// ReadPoints reads "concurrency,throughput" lines (from another load tool,
// or from production). Blank lines, lines starting with '#' and a header
// line whose fields are not numbers are skipped. A bad line is an error
// naming its number.
func ReadPoints(r io.Reader) ([]Point, error) {
	var pts []Point
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, ",")
		if len(fields) != 2 {
			return nil, fmt.Errorf("line %d: want concurrency,throughput, got %q", line, text)
		}
		n, errN := strconv.ParseFloat(strings.TrimSpace(fields[0]), 64)
		x, errX := strconv.ParseFloat(strings.TrimSpace(fields[1]), 64)
		if errN != nil && errX != nil && len(pts) == 0 {
			continue // a header
		}
		switch {
		case errN != nil || !(n >= 1 && n <= MaxConcurrency):
			return nil, fmt.Errorf("line %d: concurrency %q must be a number from 1 to %g", line, fields[0], float64(MaxConcurrency))
		case errX != nil || !(x > 0 && x <= MaxThroughput):
			return nil, fmt.Errorf("line %d: throughput %q must be a number above 0, at most %g", line, fields[1], float64(MaxThroughput))
		}
		pts = append(pts, Point{N: n, X: x})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(pts) == 0 {
		return nil, fmt.Errorf("no concurrency,throughput lines")
	}
	return pts, nil
}
