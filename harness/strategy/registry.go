// Package strategy holds concbench's built-in concurrency strategies, the
// registry through which plans find them by name, and the bookkeeping a
// correct strategy needs (panic capture is harness.Call; Tracker, WaitJoin
// and GoChildren count tasks and children). The contract is written on
// harness.Strategy; package strategytest checks it.
package strategy

import (
	"flag"
	"sync"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/param"
)

var (
	mu         sync.RWMutex
	registered = []harness.Strategy{Sequential{}, Unbounded{}, Pool{}, Semaphore{}, Offload{}, Errgroup{}, RateLimit{}, Queue{}, AIMD{}, Gradient{}}
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

// Configurable is a strategy with parameters, set as -param
// <strategy>.<key>=value or under params: in a scenario file.
type Configurable interface {
	harness.Strategy
	// Define declares the parameters on fs, with types, defaults and
	// one-line usage, and returns the constructor of the strategy they
	// configure; it reports a bad value as an *input.Error on the
	// parameter's name.
	Define(fs *flag.FlagSet) func() (harness.Strategy, error)
}

// Build returns the strategy registered under name, configured with params
// (key to value; the rest keep their defaults), and every parameter's
// value: nil for a strategy without parameters, which refuses any. A bad
// name is an *input.Error with no field (the caller names it); a bad
// parameter one on "param <name>.<key>".
func Build(name string, params map[string]string) (harness.Strategy, map[string]string, error) {
	s, err := Lookup(name)
	if err != nil {
		return nil, nil, err
	}
	c, ok := s.(Configurable)
	if !ok {
		_, err := param.Apply(param.NewSet(name), name, params)
		return s, nil, err
	}
	fs := param.NewSet(name)
	construct := c.Define(fs)
	resolved, err := param.Apply(fs, name, params)
	if err != nil {
		return nil, nil, err
	}
	configured, err := construct()
	if err != nil {
		return nil, nil, param.Named(name, err)
	}
	return configured, resolved, nil
}

// Params documents the parameters of s: none unless it is Configurable.
func Params(s harness.Strategy) []param.Doc {
	c, ok := s.(Configurable)
	if !ok {
		return nil
	}
	fs := param.NewSet(s.Name())
	c.Define(fs)
	return param.Docs(fs)
}
