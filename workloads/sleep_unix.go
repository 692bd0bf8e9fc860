//go:build unix

package workloads

import (
	"time"

	"golang.org/x/sys/unix"
)

// sleepBlocking sleeps in the nanosleep system call, holding the calling
// OS thread as blocking I/O does.
func sleepBlocking(d time.Duration) error {
	ts := unix.NsecToTimespec(int64(d))
	for {
		err := unix.Nanosleep(&ts, &ts)
		if err != unix.EINTR {
			return err
		}
	}
}
