//go:build unix

package harness

import (
	"syscall"
	"time"
)

// CPUTimes returns the process's user and system CPU time so far.
func CPUTimes() (user, sys time.Duration) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}
