package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/concbench/concbench/harness/strategy"
	"github.com/concbench/concbench/workloads"
)

// list prints every workload with its parameters and every strategy.
func list(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("list")
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WORKLOADS (set a parameter with -param <workload>.<name>=<value>)")
	for _, s := range workloads.All() {
		fmt.Fprintf(tw, "  %s\t%s (default %d tasks)\n", s.Name, s.Doc, s.Tasks)
		for _, p := range s.Params() {
			fmt.Fprintf(tw, "    %s.%s\t%s (default %s)\n", s.Name, p.Name, p.Usage, p.Default)
		}
	}
	fmt.Fprintln(tw, "\nSTRATEGIES (-strategies; limited ones run once per -limits value; set a parameter with -param <strategy>.<name>=<value>)")
	for _, s := range strategy.All() {
		limited := "no limit"
		if s.Limited() {
			limited = "uses limit"
		}
		fmt.Fprintf(tw, "  %s\t%s (%s)\n", s.Name(), s.Doc(), limited)
		for _, p := range strategy.Params(s) {
			fmt.Fprintf(tw, "    %s.%s\t%s (default %s)\n", s.Name(), p.Name, p.Usage, p.Default)
		}
	}
	return tw.Flush()
}
