package compare

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"text/tabwriter"

	"github.com/concbench/concbench/harness/escape"
)

// table is one metric's rows, rendered as text or markdown.
type table struct {
	title string
	rows  [][]string // cell, base, head, change, test
}

// tables groups the rows by metric, as benchstat does.
func (c *Comparison) tables() []table {
	var out []table
	for _, m := range Metrics {
		t := table{title: m.Label}
		for _, r := range c.Rows {
			if r.Metric == m.Name {
				t.rows = append(t.rows, []string{r.Key.String(), m.Format(r.Base) + " " + pm(r.BaseSpread, r.N1), m.Format(r.Head) + " " + pm(r.HeadSpread, r.N2), r.Verdict(), "(" + r.Stat() + ")"})
			}
		}
		if len(t.rows) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// WriteText writes aligned tables, one per metric, then the cells present
// on one side only and the warnings.
func (c *Comparison) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, t := range c.tables() {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "%s\tbase\thead\tchange\t\n", t.title)
		for _, r := range t.rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s %s\t\n", escape.Terminal(r[0]), r[1], r[2], r[3], r[4])
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	c.writeNotes(w, "", escape.Terminal)
	return nil
}

// WriteMarkdown writes the comparison for a pull request: tables per
// metric, then the notes, then charts (file names without extension).
func (c *Comparison) WriteMarkdown(w io.Writer, charts []string) {
	fmt.Fprintf(w, "## concbench: head vs base\n\n")
	fmt.Fprintf(w, "Medians over repetitions, ± a 95%% interval of the median; `~` means no significant change (Mann-Whitney U, alpha 0.05, as benchstat).\n\n")
	for _, t := range c.tables() {
		fmt.Fprintf(w, "| %s | base | head | change | |\n| :--- | ---: | ---: | ---: | :--- |\n", t.title)
		for _, r := range t.rows {
			cells := make([]string, len(r))
			for i, cell := range r {
				cells[i] = escape.Markdown(cell)
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
		}
		fmt.Fprintln(w)
	}
	c.writeNotes(w, "- ", escape.Markdown)
	for _, name := range charts {
		fmt.Fprintf(w, "\n![%s](%s.png)\n", escape.Markdown(name), url.PathEscape(name))
	}
}

// pm is a spread as benchstat prints it: "±3%", or "±3%~" for a range
// from min to max (fewer than 6 repetitions give no 95% interval).
func pm(share float64, n int) string {
	if n < 6 {
		return fmt.Sprintf("±%.0f%%~", 100*share)
	}
	return fmt.Sprintf("±%.0f%%", 100*share)
}

// writeNotes writes the answers, the cells on one side only and the
// warnings, one a line, each escaped for the output.
func (c *Comparison) writeNotes(w io.Writer, bullet string, esc func(string) string) {
	lines := []string{}
	for _, a := range c.Answers {
		if a.Differs {
			lines = append(lines, "recommendation changed: "+a.String())
		} else {
			lines = append(lines, "recommendation: "+a.String())
		}
	}
	for _, sh := range c.ProfileShifts {
		lines = append(lines, "profile "+sh.String())
	}
	if len(c.OnlyBase) > 0 {
		lines = append(lines, "only in base: "+joinKeys(c.OnlyBase))
	}
	if len(c.OnlyHead) > 0 {
		lines = append(lines, "only in head: "+joinKeys(c.OnlyHead))
	}
	for _, warn := range c.Warnings {
		lines = append(lines, "warning: "+warn)
	}
	if len(lines) > 0 {
		fmt.Fprintln(w)
	}
	for _, l := range lines {
		fmt.Fprintln(w, bullet+esc(l))
	}
}

func joinKeys(ks []Key) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = k.String()
	}
	return strings.Join(s, ", ")
}

// WriteJSON writes the comparison as indented JSON.
func (c *Comparison) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}
