package results

import (
	"context"
	"errors"
)

// ErrorKind names the kind of a task error for counting: the result of a
// Kind() string method when the error (or one it wraps) has one, "timeout"
// for a deadline, "canceled" for cancellation, and "error" otherwise.
func ErrorKind(err error) string {
	var k interface{ Kind() string }
	switch {
	case err == nil:
		return ""
	case errors.As(err, &k):
		return k.Kind()
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	default:
		return "error"
	}
}

// Panicked is implemented by the error a task's panic becomes
// (harness.PanicError): Summarize keeps the first few stacks.
type Panicked interface {
	error
	// PanicTrace is the panic's value and the panicking goroutine's stack.
	PanicTrace() string
}
