// Package loopback says whether an address stays on this machine: the
// embedded target and the dashboard listen on loopback only, and the
// dashboard answers loopback names only.
package loopback

import (
	"errors"
	"fmt"
	"net"
)

// Host reports whether host is "localhost" or a loopback IP address
// (127.0.0.0/8, ::1).
func Host(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Addr checks that addr is host:port with a loopback host.
func Addr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("want host:port, such as 127.0.0.1:0")
	}
	if !Host(host) {
		return fmt.Errorf("%s is not a loopback address", host)
	}
	return nil
}
