package lifo_test

import (
	"testing"

	"example.com/custom/lifo"
	"github.com/concbench/concbench/harness/strategy/strategytest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestConformance runs concbench's strategy conformance suite on lifo.
func TestConformance(t *testing.T) { strategytest.Test(t, lifo.Strategy{}) }
