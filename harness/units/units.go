// Package units formats measured figures for people: durations, rates and
// byte counts with three significant digits, as every table, report and
// recommendation prints them.
package units

import (
	"math"
	"strconv"
	"time"
)

// Duration formats d with three significant digits: 812µs, 5.02ms, 1.23s.
func Duration(d time.Duration) string {
	if d <= 0 {
		return "0"
	}
	unit, scale := "ns", 1.0
	switch {
	case d >= time.Second:
		unit, scale = "s", float64(time.Second)
	case d >= time.Millisecond:
		unit, scale = "ms", float64(time.Millisecond)
	case d >= time.Microsecond:
		unit, scale = "µs", float64(time.Microsecond)
	}
	v := float64(d) / scale
	digits := max(0, 2-int(math.Floor(math.Log10(v))))
	return strconv.FormatFloat(v, 'f', digits, 64) + unit
}

// Rate formats a per-second rate with three significant digits.
func Rate(r float64) string {
	switch {
	case r >= 1e6:
		return strconv.FormatFloat(r/1e6, 'f', 2, 64) + "M"
	case r >= 1e4:
		return strconv.FormatFloat(r/1e3, 'f', 1, 64) + "k"
	case r >= 100:
		return strconv.FormatFloat(r, 'f', 0, 64)
	default:
		return strconv.FormatFloat(r, 'f', 1, 64)
	}
}

// Bytes formats a byte count in binary units: 512B, 3.2MiB, 512MiB, 1.5GiB, 10.5TiB.
func Bytes(n uint64) string {
	switch {
	case n >= 1<<40:
		return strconv.FormatFloat(float64(n)/(1<<40), 'f', 1, 64) + "TiB"
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + "GiB"
	case n >= 100<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 0, 64) + "MiB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + "MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + "KiB"
	}
	return strconv.FormatUint(n, 10) + "B"
}
