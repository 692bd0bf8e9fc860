package workloads

import (
	"context"
	"errors"
	"flag"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/httpclient"
)

// retryPolicy is retry with capped exponential backoff and full jitter
// (AWS's "Exponential Backoff and Jitter"): before attempt k+1 a task
// parks for a uniform draw from [0, min(cap, base x 2^k)). Workloads that
// can fail (http) declare it; one attempt means no retry.
type retryPolicy struct {
	attempts  int
	base, cap time.Duration
}

// defineRetry declares retry-attempts, retry-base and retry-cap on fs.
func defineRetry(fs *flag.FlagSet) *retryPolicy {
	r := &retryPolicy{}
	fs.IntVar(&r.attempts, "retry-attempts", 1, "attempts per task, the first included: 1 is no retry; a 5xx, 429 or connection error is retried")
	fs.DurationVar(&r.base, "retry-base", 10*time.Millisecond, "backoff before the second attempt, doubling for each further one (full jitter: a uniform draw below it)")
	fs.DurationVar(&r.cap, "retry-cap", time.Second, "the most any backoff can be")
	return r
}

func (r *retryPolicy) validate() error {
	switch {
	case r.attempts < 1 || r.attempts > 100:
		return badParam("retry-attempts", "%d is out of range 1..100", r.attempts)
	case r.base <= 0 || r.base > harness.MaxLatency:
		return badParam("retry-base", "%v is out of range (0, %v]", r.base, harness.MaxLatency)
	case r.cap < r.base || r.cap > harness.MaxLatency:
		return badParam("retry-cap", "%v is out of range [retry-base %v, %v]", r.cap, r.base, harness.MaxLatency)
	}
	return nil
}

// retryCounts is what one repetition's tasks sent.
type retryCounts struct {
	requests, mostAttempts atomic.Int64
}

// counters reports requests, amplification (requests / tasks) and the
// most attempts any task made.
func (c *retryCounts) counters(tasks int) map[string]float64 {
	req := float64(c.requests.Load())
	return map[string]float64{
		"requests":      req,
		"amplification": req / float64(max(tasks, 1)),
		"attempts-max":  float64(c.mostAttempts.Load()),
	}
}

// do runs attempt until it succeeds, fails for good, runs out of
// attempts, or ctx is done, backing off between attempts, and counts
// every attempt in c.
func (r *retryPolicy) do(ctx context.Context, c *retryCounts, attempt func() error) error {
	var err error
	tried := 0
	defer func() {
		for m := c.mostAttempts.Load(); int64(tried) > m && !c.mostAttempts.CompareAndSwap(m, int64(tried)); m = c.mostAttempts.Load() {
		}
	}()
	for k := range r.attempts {
		if k > 0 {
			if werr := harness.Park(ctx, r.backoff(k-1)); werr != nil {
				return err // the last attempt's error: ctx ended the retries
			}
		}
		tried++
		c.requests.Add(1)
		if err = attempt(); err == nil || !retryable(err) {
			return err
		}
	}
	return err
}

// backoff is the full-jitter wait before retry k (from 0).
func (r *retryPolicy) backoff(k int) time.Duration {
	ceiling := r.cap
	if k < 62 && r.base<<k > 0 && r.base<<k < r.cap {
		ceiling = r.base << k
	}
	return time.Duration(rand.Int64N(int64(ceiling))) // safe for concurrent use
}

// retryable reports whether err is worth another attempt: a server error,
// 429, or a failed connection; not a 4xx, a timeout or a cancellation.
func retryable(err error) bool {
	var status *httpclient.StatusError
	if errors.As(err, &status) {
		return status.Code >= 500 || status.Code == http.StatusTooManyRequests
	}
	var transport *httpclient.TransportError
	return errors.As(err, &transport) && transport.Kind() == "connection"
}
