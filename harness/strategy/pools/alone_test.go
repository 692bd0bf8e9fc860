package pools

import (
	"testing"
	"time"

	"github.com/alitto/pond/v2"
	"github.com/gammazero/workerpool"
	"github.com/panjf2000/ants/v2"
)

// stuck is how long a parent waits for its child before the test calls
// it a deadlock: the child takes no time at all.
const stuck = 300 * time.Millisecond

// TestLibrariesAloneDeadlockOnRecursion uses each library as its users
// would for recursion, a pool of one worker whose task submits a child
// and waits for it: the child never runs while its parent holds the only
// worker. This is what the adapters mend. (conc's pool deadlocks the same
// way, in a Go that cannot be woken: it is left out, not to leave its
// goroutine behind.)
func TestLibrariesAloneDeadlockOnRecursion(t *testing.T) {
	parent := func(submit func(func()) error) func() bool {
		return func() bool {
			done := make(chan struct{})
			if err := submit(func() { close(done) }); err != nil {
				return false
			}
			select {
			case <-done:
				return true
			case <-time.After(stuck):
				return false
			}
		}
	}
	t.Run("pond", func(t *testing.T) {
		p := pond.NewPool(1)
		ran := make(chan bool, 1)
		p.Go(func() { ran <- parent(p.Go)() })
		if <-ran {
			t.Error("the child ran while its parent held pond's only worker")
		}
		p.StopAndWait()
	})
	t.Run("workerpool", func(t *testing.T) {
		p := workerpool.New(1)
		ran := make(chan bool, 1)
		p.Submit(func() { ran <- parent(func(f func()) error { p.Submit(f); return nil })() })
		if <-ran {
			t.Error("the child ran while its parent held workerpool's only worker")
		}
		p.StopWait()
	})
	t.Run("ants", func(t *testing.T) {
		p, _ := ants.NewPool(1)
		ran := make(chan bool, 1)
		p.Submit(func() { ran <- parent(p.Submit)() }) //nolint:errcheck // the pool is open
		select {
		case ok := <-ran:
			t.Errorf("the parent returned (child ran: %v): Submit should wait for the only worker, which the parent holds", ok)
		case <-time.After(stuck):
		}
		_ = p.ReleaseTimeout(5 * time.Second) // wakes the parent's Submit: the pool closed
		<-ran
	})
}
