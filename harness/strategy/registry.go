// Package strategy holds concbench's built-in concurrency strategies, the
// registry through which plans find them by name, and the bookkeeping a
// correct strategy needs (panic capture is harness.Call; Tracker, WaitJoin
// and GoChildren count tasks and children). The contract is written on
// harness.Strategy; package strategytest checks it.
package strategy

import (
	"sync"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
)

var (
	mu         sync.RWMutex
	registered = []harness.Strategy{Sequential{}, Unbounded{}, Pool{}, Semaphore{}, Offload{}}
)

// Register adds a strategy under its Name. It panics if the name is empty
// or taken, as database/sql.Register does; call it from init.
func Register(s harness.Strategy) {
	mu.Lock()
	defer mu.Unlock()
	if s == nil || s.Name() == "" {
		panic("strategy: Register needs a strategy with a Name")
	}
	for _, r := range registered {
		if r.Name() == s.Name() {
			panic("strategy: Register called twice for " + s.Name())
		}
	}
	registered = append(registered, s)
}

// All returns every registered strategy: the built-ins first, then the
// others in registration order.
func All() []harness.Strategy {
	mu.RLock()
	defer mu.RUnlock()
	return append([]harness.Strategy(nil), registered...)
}

// Names returns the registered names, in the order of All.
func Names() []string {
	var names []string
	for _, s := range All() {
		names = append(names, s.Name())
	}
	return names
}

// Lookup returns the strategy registered under name, or an *input.Error
// (with no field: the caller names it) suggesting the closest name.
func Lookup(name string) (harness.Strategy, error) {
	for _, s := range All() {
		if s.Name() == name {
			return s, nil
		}
	}
	return nil, input.Unknown("", "strategy", name, Names())
}
