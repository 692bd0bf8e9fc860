//go:build unix

package rundir

import (
	"os"
	"path/filepath"
	"syscall"
)

// FreeSpace is the space available to this user on the file system that
// holds path (or its nearest existing parent).
func FreeSpace(path string) (uint64, error) {
	for {
		var st syscall.Statfs_t
		err := syscall.Statfs(path, &st)
		if err == nil {
			return st.Bavail * uint64(st.Bsize), nil
		}
		parent := filepath.Dir(path)
		if !os.IsNotExist(err) || parent == path {
			return 0, err
		}
		path = parent
	}
}
