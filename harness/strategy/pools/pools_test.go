package pools

import (
	"testing"

	"github.com/concbench/concbench/harness/strategy/strategytest"
	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind, but
// for ants's default pool (Background).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m, ignoreBackground()...) }

func ignoreBackground() []goleak.Option {
	var opts []goleak.Option
	for _, f := range Background {
		opts = append(opts, goleak.IgnoreTopFunction(f))
	}
	return opts
}

// TestConformance holds every adapter to the strategy contract.
func TestConformance(t *testing.T) {
	for _, s := range All() {
		t.Run(s.Name(), func(t *testing.T) { strategytest.Test(t, s) })
	}
}
