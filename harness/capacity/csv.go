package capacity

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
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
		case errN != nil || math.IsNaN(n) || math.IsInf(n, 0) || n < 1:
			return nil, fmt.Errorf("line %d: concurrency %q must be a number >= 1", line, fields[0])
		case errX != nil || math.IsNaN(x) || math.IsInf(x, 0) || x <= 0:
			return nil, fmt.Errorf("line %d: throughput %q must be a number > 0", line, fields[1])
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
