package workloads

import (
	"fmt"
	"testing"

	"github.com/concbench/concbench/harness/strategy"
)

// TestRecursionIsCorrectAtEveryLimit runs trees and chains deeper than the
// limit under every strategy. A wrong fan-in result counts as an error of
// kind wrong-result, so a clean cell is a correct one; a deadlock would hang
// the test.
func TestRecursionIsCorrectAtEveryLimit(t *testing.T) {
	shapes := []struct {
		name   string
		params map[string]string
		limits []int // all below the depth
	}{
		{"tree fanout 3 depth 3", map[string]string{"fanout": "3", "depth": "3", "latency": "200us"}, []int{1, 2}},
		{"chain depth 100 by spawn", map[string]string{"shape": "chain", "depth": "100", "latency": "200us"}, []int{1, 2, 64}},
		{"chain depth 100 by direct call", map[string]string{"shape": "chain", "call": "direct", "depth": "100", "latency": "200us"}, []int{1, 2, 64}},
		{"chain depth 1001 by trampoline", map[string]string{"shape": "chain", "call": "trampoline", "depth": "1001", "latency": "200us"}, []int{1, 2}},
		{"nested list", map[string]string{"shape": "list", "list": "[1,[2,3,[4,5]],6,[[[7]]],[]]", "latency": "200us"}, []int{1, 2}},
		{"tree fanout 2 depth 7 under limit 64", map[string]string{"fanout": "2", "depth": "7", "latency": "200us"}, []int{64}},
	}
	for _, sh := range shapes {
		for _, limit := range sh.limits {
			t.Run(fmt.Sprintf("%s at limit %d", sh.name, limit), func(t *testing.T) {
				for _, c := range measure(t, "recursive", sh.params, 3, limit, 1, strategy.All()...) {
					checkClean(t, c)
				}
			})
		}
	}
}

func TestChainSum(t *testing.T) {
	for d, want := range []int64{0, 1, 3, 4, 6, 7} {
		got := int64(0)
		for level := range d {
			got += chainStep(level)
		}
		if got != want || chainSum(d) != want {
			t.Errorf("depth %d: steps sum to %d, chainSum %d, want %d", d, got, chainSum(d), want)
		}
	}
}
