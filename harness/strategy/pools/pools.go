// Package pools adapts the pool libraries Go engineers pick to concbench's
// strategy contract, each in a file of its own, and registers them: ants
// (github.com/panjf2000/ants/v2), pond (github.com/alitto/pond/v2), conc
// (github.com/sourcegraph/conc/pool) and workerpool
// (github.com/gammazero/workerpool). Each runs tasks on the library's own
// pool, a fresh one a group, sized to the limit. cmd/bench imports it; a
// program that embeds cli.Main imports it for its side effect when it
// wants them:
//
//	import _ "github.com/concbench/concbench/harness/strategy/pools"
//
// Under recursion, each library leaves a task that waits for children it
// submitted holding its worker: once every worker is such a parent, the
// tree deadlocks. The adapters mend it the same way (see group.Spawn): a
// waiting parent runs its queued children on its own goroutine, in the
// worker it holds, while the pool's free workers take the rest.
package pools

import (
	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
)

func init() {
	for _, s := range All() {
		strategy.Register(s)
	}
}

// Background are the functions of the goroutines that importing this
// package starts, for leak checkers (goleak.IgnoreTopFunction) to leave
// out: package ants starts its default pool at init, a purger and a
// clock that wake twice a second, whether or not anyone submits to it.
var Background = []string{
	"github.com/panjf2000/ants/v2.(*poolCommon).purgeStaleWorkers",
	"github.com/panjf2000/ants/v2.(*poolCommon).ticktock",
}

// All are the adapters, in the order bench list shows them.
func All() []harness.Strategy { return []harness.Strategy{Ants{}, Pond{}, Conc{}, WorkerPool{}} }

// capacity is every adapter's: limit workers, each running one task's
// sections on its own goroutine.
func capacity(limit int) harness.Capacity {
	return harness.Capacity{Tasks: limit, Compute: limit, Block: limit, Workers: limit}
}
