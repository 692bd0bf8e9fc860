package rundir

import (
	"path/filepath"
	"slices"
	"sync"

	"github.com/concbench/concbench/harness/results"
)

// Checkpoint writes the results measured so far as the run folder's
// results.json (atomically, marked incomplete), replacing the previous
// checkpoint of the same run: a run killed later loses at most the cell it
// was running. It refuses to replace a complete results.json or another
// run's.
func Checkpoint(dir string, res *results.Results) error {
	partial := *res
	partial.Complete = false
	return WriteResults(dir, &partial)
}

// WriteResults writes the run folder's results.json, replacing only an
// incomplete one of the same run (same start time and command line): a
// checkpoint.
func WriteResults(dir string, res *results.Results) error {
	js, err := results.Encode(res)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, results.FileName)
	if old, err := results.ReadHeader(path); err == nil && !old.Complete && old.Env.Start.Equal(res.Env.Start) &&
		slices.Equal(old.Env.CommandLine, res.Env.CommandLine) {
		return ReplaceFile(path, js)
	}
	return WriteFile(path, js)
}

// Checkpointer writes checkpoints on its own goroutine, the latest
// winning: a caller that must not block (an attack, once a second) hands
// results over and goes on, and a checkpoint not yet written when a newer
// one arrives is skipped. Use NewCheckpointer, and Close when done.
type Checkpointer struct {
	dir  string
	mu   sync.Mutex
	next *results.Results
	wake chan struct{}
	done chan struct{}
	err  error // the first write that failed
}

// NewCheckpointer starts writing checkpoints into dir.
func NewCheckpointer(dir string) *Checkpointer {
	c := &Checkpointer{dir: dir, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go c.loop()
	return c
}

// Save hands res over for the next checkpoint; res must not change after.
func (c *Checkpointer) Save(res *results.Results) {
	c.mu.Lock()
	c.next = res
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Close writes the checkpoint still pending, if any, stops, and returns
// the first write that failed.
func (c *Checkpointer) Close() error {
	close(c.wake)
	<-c.done
	return c.err
}

func (c *Checkpointer) loop() {
	defer close(c.done)
	for range c.wake {
		c.mu.Lock()
		res := c.next
		c.next = nil
		c.mu.Unlock()
		if res == nil {
			continue
		}
		if err := Checkpoint(c.dir, res); err != nil && c.err == nil {
			c.err = err
		}
	}
}
