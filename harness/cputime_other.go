//go:build !unix

package harness

import "time"

// CPUTimes is not measured on this platform; it reports zero.
func CPUTimes() (user, sys time.Duration) { return 0, 0 }
