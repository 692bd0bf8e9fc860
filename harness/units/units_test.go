package units

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0"},
		{812, "812ns"},
		{812 * time.Microsecond, "812µs"},
		{5020 * time.Microsecond, "5.02ms"},
		{65432 * time.Microsecond, "65.4ms"},
		{1234 * time.Millisecond, "1.23s"},
		{123 * time.Second, "123s"},
	}
	for _, tt := range tests {
		if got := Duration(tt.d); got != tt.want {
			t.Errorf("Duration(%d) = %q, want %q", int64(tt.d), got, tt.want)
		}
	}
}

func TestRateAndBytes(t *testing.T) {
	for _, tt := range []struct {
		got, want string
	}{
		{Rate(3.456), "3.5"},
		{Rate(1466), "1466"},
		{Rate(32600), "32.6k"},
		{Rate(2.5e6), "2.50M"},
		{Bytes(512), "512B"},
		{Bytes(3 << 19), "1.5MiB"},
		{Bytes(1023 << 20), "1023MiB"}, // no decimal from 100 MiB: the table fits 120 columns
		{Bytes(3 << 30), "3.0GiB"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
