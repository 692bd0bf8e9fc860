// Command aacount reads the results.json of repeated runs of one plan and
// says, per workload, how many runs agree with the most common
// recommendation: the same strategy, or a tie that includes it, and a
// limit within a factor of 2. It is scripts/aa-recommend.sh's counter.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/concbench/concbench/harness/results"
)

func main() {
	type pick struct {
		strategy string
		limit    int
		tied     []string
	}
	picks := map[string][]pick{}
	var order []string
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "aacount:", err)
			os.Exit(2)
		}
		var res results.Results
		if err := json.Unmarshal(data, &res); err != nil {
			fmt.Fprintln(os.Stderr, "aacount:", path+":", err)
			os.Exit(2)
		}
		for _, r := range res.Recommendations {
			if _, ok := picks[r.Workload]; !ok {
				order = append(order, r.Workload)
			}
			picks[r.Workload] = append(picks[r.Workload], pick{r.Strategy, r.Limit, r.Tied})
		}
	}
	fail := false
	for _, w := range order {
		ps := picks[w]
		count := map[string]int{}
		for _, p := range ps {
			count[fmt.Sprintf("%s %d", p.strategy, p.limit)]++
		}
		mode, most := "", 0
		for k, c := range count {
			if c > most || c == most && k < mode {
				mode, most = k, c
			}
		}
		var strategy string
		var limit int
		fmt.Sscanf(mode, "%s %d", &strategy, &limit)
		agree := 0
		for _, p := range ps {
			same := p.strategy == strategy || slices.ContainsFunc(p.tied, func(t string) bool { return strings.Fields(t)[0] == strategy })
			near := limit == 0 && p.limit == 0 || p.limit > 0 && limit > 0 && p.limit <= 2*limit && limit <= 2*p.limit || p.strategy != strategy
			if same && near {
				agree++
			}
		}
		fmt.Printf("%s: %d of %d runs agree with %q (%v)\n", w, agree, len(ps), mode, count)
		if 10*agree < 9*len(ps) {
			fail = true
		}
	}
	if fail {
		os.Exit(1)
	}
}
