package harness

import (
	"context"
	"time"
)

// Park waits d on a timer, holding no thread, as simulated I/O does, and
// returns nil; when ctx is done first it returns ctx's error at once. It
// costs one timer.
func Park(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
