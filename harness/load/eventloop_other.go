//go:build !linux

package load

// newEventLoop: off Linux, attacks send through workers.
func newEventLoop(*sending) (hitSender, bool) { return nil, false }
