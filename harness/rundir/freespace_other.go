//go:build !unix

package rundir

import "errors"

// FreeSpace is not known on this system.
func FreeSpace(string) (uint64, error) { return 0, errors.New("free space unknown on this system") }
