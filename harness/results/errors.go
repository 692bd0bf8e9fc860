package results

import (
	"context"
	"errors"
)

// ErrorKind names the kind of a task error for counting: the result of a
// Kind() string method when the error (or one it wraps) has one, "timeout"
// for a deadline, "canceled" for cancellation, and "error" otherwise.
func ErrorKind(err error) string {
	if err == nil {
		return ""
	}
	if k, ok := find[interface{ Kind() string }](err); ok {
		return k.Kind()
	}
	switch {
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

// find returns the first error in err's tree that is a T, as errors.As
// does, but without allocating (errors.As takes its target's address,
// which escapes): it runs for every failed task. Unlike errors.As, it
// does not ask an error's own As method.
func find[T any](err error) (T, bool) {
	for err != nil {
		if t, ok := err.(T); ok {
			return t, true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if t, ok := find[T](e); ok {
					return t, true
				}
			}
			err = nil
		default:
			err = nil
		}
	}
	var zero T
	return zero, false
}
