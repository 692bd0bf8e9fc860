package capacity

import (
	"strings"
	"testing"
)

func TestReadPoints(t *testing.T) {
	pts, err := ReadPoints(strings.NewReader("# from wrk\nconcurrency,throughput\n1,100\n\n2, 190.5\n"))
	if err != nil || len(pts) != 2 || pts[1] != (Point{N: 2, X: 190.5}) {
		t.Fatalf("got %v, %v", pts, err)
	}
	for input, want := range map[string]string{
		"1,100\n2":       "line 2: want concurrency,throughput",
		"1,100\n0,5":     `line 2: concurrency "0" must be a number from 1 to 1e+09`,
		"1,100\n2,-1":    `line 2: throughput "-1" must be a number above 0, at most 1e+12`,
		"1,100\n2,1e308": `line 2: throughput "1e308" must be a number above 0`,
		"1,100\nNaN,5":   `line 2: concurrency "NaN"`,
		"":               "no concurrency,throughput lines",
		"1,100\n2,abc\n": `line 2: throughput "abc"`,
		"1,100,3":        "line 1: want concurrency,throughput",
	} {
		if _, err := ReadPoints(strings.NewReader(input)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadPoints(%q) = %v, want %q", input, err, want)
		}
	}
}

// FuzzReadPoints checks that any input is read or refused, never a panic,
// and that what is read can be fitted or refused cleanly.
func FuzzReadPoints(f *testing.F) {
	f.Add("1,100\n2,190\n4,350\n8,600\n16,800\n32,850\n")
	f.Add("concurrency,throughput\n1,1e308\n")
	f.Add("#\n\n,\n")
	f.Fuzz(func(t *testing.T, s string) {
		pts, err := ReadPoints(strings.NewReader(s))
		if err == nil {
			Fit(pts) //nolint:errcheck // refusing is fine; panicking is not
		}
	})
}
