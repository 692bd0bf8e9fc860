//go:build !unix

package workloads

import "time"

// sleepBlocking falls back to time.Sleep where nanosleep is not available.
func sleepBlocking(d time.Duration) error { time.Sleep(d); return nil }
