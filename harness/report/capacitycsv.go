package report

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"github.com/concbench/concbench/harness/capacity"

	"github.com/concbench/concbench/harness/results"
)

// CapacityCSV is a capacity run's points and fitted curve, for spreadsheets.
const CapacityCSV = "capacity.csv"

// WriteCapacityCSV writes one row per measured point, then the fitted USL
// at powers of two up to twice the largest concurrency (kind "fitted").
func WriteCapacityCSV(w io.Writer, c *results.CapacityReport) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"kind", "concurrency", "throughput_per_s", "mean_response_ns", "p99_ns", "error_ratio", "little_ratio", "little_ok", "slo_met"}) //nolint:errcheck // cw.Error reports it
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	maxN := 0.0
	for _, p := range c.Points {
		met := ""
		if p.SLOMet != nil {
			met = strconv.FormatBool(*p.SLOMet)
		}
		cw.Write([]string{"measured", f(p.Concurrency), f(p.Throughput), strconv.FormatInt(int64(p.MeanResponse), 10), //nolint:errcheck
			strconv.FormatInt(int64(p.P99), 10), f(p.ErrorRatio), f(p.Little), strconv.FormatBool(p.LittleOK), met})
		maxN = math.Max(maxN, p.Concurrency)
	}
	if u := c.Fit; u != nil {
		for n := 1.0; n <= 2*math.Max(maxN, u.PeakN); n *= 2 {
			cw.Write([]string{"fitted", f(n), f(capacity.X(u.USL, n)), "", "", "", "", "", ""}) //nolint:errcheck
		}
	}
	cw.Flush()
	return cw.Error()
}
