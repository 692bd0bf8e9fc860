package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/concbench/concbench/harness/results"
)

// CapacityLines describes a capacity model in sentences: the fit, the peak,
// what dominates, the SLO limit and the points where Little's law fails.
// The terminal and summary.md both print them.
func CapacityLines(c *results.CapacityReport) []string {
	var lines []string
	if c.Knee > 0 {
		lines = append(lines, fmt.Sprintf("knee: throughput reaches 90%% of its best at concurrency %g", c.Knee))
	}
	if u := c.Fit; u != nil {
		lines = append(lines, fmt.Sprintf("USL fit (%s): lambda %.4g/s, sigma %.4g (contention), kappa %.4g (coherency), R² %.4f", orDefault(u.Weighting, "relative"), u.Lambda, u.Sigma, u.Kappa, u.R2))
		if u.DF > 0 {
			lines = append(lines, fmt.Sprintf("95%% intervals (standard errors, %d degrees of freedom): lambda %.4g to %.4g (±%.3g), sigma %.4g to %.4g (±%.3g), kappa %.4g to %.4g (±%.3g)",
				u.DF, u.LambdaCI[0], u.LambdaCI[1], u.LambdaSE, u.SigmaCI[0], u.SigmaCI[1], u.SigmaSE, u.KappaCI[0], u.KappaCI[1], u.KappaSE))
		}
		if u.PeakN > 0 {
			peak := fmt.Sprintf("peak: %.0f concurrent at %s/s predicted (N* = sqrt((1-sigma)/kappa))", u.PeakN, Rate(u.PeakX))
			if u.PeakCI[1] > 0 {
				peak += fmt.Sprintf("; 95%% interval %.0f to %.0f", max(u.PeakCI[0], 0), u.PeakCI[1])
			}
			lines = append(lines, peak)
		}
		for _, w := range u.Warnings {
			lines = append(lines, "warning: "+w)
		}
		if u.Note != "" {
			lines = append(lines, u.Note)
		}
		lines = append(lines, "dominant: "+u.Dominant)
	} else {
		lines = append(lines, "no USL fit: "+c.FitError)
	}
	if len(c.FitExcluded) > 0 {
		var at []string
		for _, n := range c.FitExcluded {
			for _, p := range c.Points {
				if p.Concurrency == n {
					at = append(at, fmt.Sprintf("%g (%.0f%% errors)", n, 100*p.ErrorRatio))
				}
			}
		}
		lines = append(lines, fmt.Sprintf("left out of the fit, their errors above the budget of %g%%: %s", 100*c.ErrorBudget, strings.Join(at, ", ")))
	}
	if c.SLO != "" {
		if c.SLOLimit > 0 {
			lines = append(lines, fmt.Sprintf("recommended limit for a pool or semaphore: %d, %s", c.SLOLimit, boundText(c)))
			var failing []string
			for _, p := range c.Points {
				if p.SLOMet != nil && !*p.SLOMet {
					failing = append(failing, fmt.Sprintf("%g", p.Concurrency))
				}
			}
			if len(failing) > 0 {
				lines = append(lines, fmt.Sprintf("SLO %s failed at concurrency %s", c.SLO, strings.Join(failing, ", ")))
			}
		} else {
			lines = append(lines, fmt.Sprintf("SLO %s: no concurrency measured meets it", c.SLO))
		}
	}
	var off []string
	for _, p := range c.Points {
		if !p.LittleOK {
			off = append(off, fmt.Sprintf("%g (%.2f)", p.Concurrency, p.Little))
		}
	}
	if len(off) > 0 {
		lines = append(lines, "Little's law off by more than 10% (throughput x mean service / concurrency) at: "+strings.Join(off, ", "))
	}
	return lines
}

// boundText says what set the recommended limit.
func boundText(c *results.CapacityReport) string {
	switch c.Bound {
	case "error budget":
		return fmt.Sprintf("set by the error budget: above it more than %g%% of the tasks failed", 100*c.ErrorBudget)
	case "slo":
		return "set by the SLO " + c.SLO + ": above it the SLO fails"
	case "peak":
		return "set by the peak: above it goodput stops rising (measured, or the USL's peak)"
	case "sweep":
		return "the highest concurrency measured: the SLO may hold above it"
	}
	return "meeting the SLO " + c.SLO
}

// WriteCapacityTable writes the sweep's points aligned, then CapacityLines.
func WriteCapacityTable(w io.Writer, c *results.CapacityReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "concurrency\tthroughput/s\tmean service\tp99 service\terrors\tLittle\tSLO\t")
	for _, p := range c.Points {
		slo := "-"
		if p.SLOMet != nil {
			slo = map[bool]string{true: "met", false: "failed"}[*p.SLOMet]
		}
		little := fmt.Sprintf("%.2f", p.Little)
		if !p.LittleOK {
			little += " !"
		}
		mean, p99, errs := Duration(p.MeanResponse), Duration(p.P99), fmt.Sprintf("%.1f%%", 100*p.ErrorRatio)
		if p.MeanResponse == 0 && p.P99 == 0 { // fitted from concurrency,throughput lines: nothing else is known
			mean, p99, errs, little = "-", "-", "-", "-"
		}
		fmt.Fprintf(tw, "%g\t%s\t%s\t%s\t%s\t%s\t%s\t\n", p.Concurrency, Rate(p.Throughput), mean, p99, errs, little, slo)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, l := range CapacityLines(c) {
		fmt.Fprintln(w, l)
	}
	return nil
}

// orDefault is s, or def when s is empty (results written before a field
// existed).
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
