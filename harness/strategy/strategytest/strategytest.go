// Package strategytest checks that a concurrency strategy keeps the
// contract written on harness.Strategy, as testing/fstest.TestFS checks a
// file system. Call Test from any _test.go file:
//
//	func TestConformance(t *testing.T) { strategytest.Test(t, lifo.Strategy{}) }
//
// The checks run one after another, take a few seconds, and must not run
// in parallel with other tests (they count the process's goroutines). A
// strategy that deadlocks leaves its goroutines behind: the check reports
// the rule and moves on.
package strategytest

import (
	"errors"
	"fmt"

	"testing"
	"time"

	"github.com/concbench/concbench/harness"
)

// The rules the checks enforce; a failure names one.
const (
	RuleNoSlotWhileWaiting = "a parent waiting in Join.Wait must not hold a slot (give it back, or run queued children on the waiting goroutine)"
	RuleLimit              = "at most Capacity(limit).Tasks tasks run their own code at once"
	RulePanic              = "a task's panic becomes a *harness.PanicError with the panicking stack (harness.Call, or harness.AsPanicError in a deferred recover) and the strategy keeps its workers"
	RuleNothingOutlives    = "nothing the group started outlives Wait"
	RuleNoStartAfterDone   = "no task or child starts once the group's context is done"
	RuleConcurrentSpawn    = "Spawn is safe from many tasks at once, and every child runs exactly once"
	RuleParallelChildren   = "children run in parallel up to the limit: a tree finishes within IdealFactor of its ideal bound (an adaptive strategy's, one at a time: it may start there)"
)

// IdealFactor is how far above its ideal bound a tree's wall time may be
// (the median of several trials) before the strategy fails
// RuleParallelChildren. A strategy that runs a parent's children one after
// another takes 2x at limit 2 and 3x at limit 3.
const IdealFactor = 1.5

// Deadline bounds each run of a check: one still running then has
// deadlocked. The work it bounds takes milliseconds.
const Deadline = 5 * time.Second

// check is one rule's test: it returns nil, or an error naming the rule.
type check struct {
	name string
	run  func(s harness.Strategy) error
}

var checks = []check{
	{"a tree deeper than the limit finishes at limit 1", checkDeepTree},
	{"tasks in flight never exceed the limit", checkLimit},
	{"a root's or a child's panic becomes a PanicError with its stack, and the workers survive", checkPanic},
	{"nothing outlives Wait", checkNothingOutlives},
	{"no task starts after the context is done", checkNoStartAfterDone},
	{"concurrent Spawn from many tasks is safe", checkConcurrentSpawn},
	{"children run in parallel up to the limit", checkParallelChildren},
}

// Test runs every check against s, each as a subtest of t.
func Test(t *testing.T, s harness.Strategy) {
	t.Helper()
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if err := c.run(s); err != nil {
				t.Error(err)
			}
		})
	}
}

// Check runs every check against s and returns what failed, joined; nil
// when s keeps the contract.
func Check(s harness.Strategy) error {
	var errs []error
	for _, c := range checks {
		if err := c.run(s); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.name, err))
		}
	}
	return errors.Join(errs...)
}

// ruleError is a broken rule with what was seen.
type ruleError struct{ rule, seen string }

func (e *ruleError) Error() string { return e.seen + ": " + e.rule }

func broke(rule, format string, args ...any) error {
	return &ruleError{rule: rule, seen: fmt.Sprintf(format, args...)}
}

// limitsOf lists the limits a check runs s at: the given ones for a
// limited strategy, 1 (ignored) otherwise.
func limitsOf(s harness.Strategy, limits ...int) []int {
	if !s.Limited() {
		return []int{1}
	}
	return limits
}

// describe names s at limit for messages.
func describe(s harness.Strategy, limit int) string {
	if !s.Limited() {
		return s.Name()
	}
	return fmt.Sprintf("%s at limit %d", s.Name(), limit)
}

// within runs fn on a goroutine of its own and returns its error, or a
// deadlock error when it has not returned by Deadline: whatever the check,
// a parent holding its slot while it waits is the usual cause. A
// deadlocked fn is left behind.
func within(what string, fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	timer := time.NewTimer(Deadline)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		return broke(RuleNoSlotWhileWaiting, "%s did not finish within %v, a deadlock", what, Deadline)
	}
}
